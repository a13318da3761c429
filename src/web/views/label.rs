//! The quality and utility label's page as shown: the dimensions' chart (SVG drawn on the
//! server, in user units), every element, dimension and metric with its status, evidence and
//! declaration, and the holder's forms. Built from the label service's snapshot; the handler
//! in `web::label` only reads the request and renders.

use askama::Template;

use super::super::kernel::context::Ctx;
use super::super::kernel::page::{Chrome, link_target};
use super::super::kernel::paths;
use super::super::kernel::words::label::{LabelTexts, texts};
use crate::label::{self, Label, Snapshot, Status, maturity, spec};
use crate::model::ids::Minter;
use crate::model::record::RecordKind;

pub(in crate::web) fn percent(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

// ---- the label page ---------------------------------------------------------------------

/// A bar of the dimensions' chart, in SVG user units.
pub struct DimBar {
    pub label: String,
    pub value: String,
    pub y: u32,
    pub text_y: u32,
    pub width: String,
    pub value_x: String,
}

pub struct DeclarationView {
    pub level: String,
    pub evidence: Option<String>,
    pub evidence_text: String,
    pub note: String,
    pub who: String,
    pub when: String,
}

pub struct MetricView {
    pub id: &'static str,
    pub name: &'static str,
    pub status_id: &'static str,
    pub status: &'static str,
    pub level: String,
    pub evidence: Vec<String>,
    pub declaration: Option<DeclarationView>,
    /// (level, name) for the form.
    pub levels: Vec<(u8, String)>,
    pub declared_level: Option<u8>,
}

pub struct DimensionView {
    pub id: &'static str,
    pub number: &'static str,
    pub name: &'static str,
    pub weight: String,
    pub score: String,
    pub status: &'static str,
    pub metrics: Vec<MetricView>,
}

pub struct ElementView {
    pub id: &'static str,
    pub name: &'static str,
    pub reference: String,
    pub status_id: &'static str,
    pub status: &'static str,
    pub dimensions: Vec<DimensionView>,
    pub metrics: Vec<MetricView>,
    pub quality_management: bool,
}

#[derive(Template)]
#[template(path = "label.html")]
pub struct LabelPage {
    pub chrome: Chrome,
    pub w: &'static LabelTexts,
    pub id: String,
    pub dataset_title: String,
    pub dataset_href: String,
    pub class: char,
    pub score: String,
    pub counts: (usize, usize, usize),
    pub computed_on: String,
    pub confirmed: Option<(String, String)>,
    pub due: Option<String>,
    pub overdue: bool,
    pub chart_height: u32,
    pub chart_desc: String,
    pub bars: Vec<DimBar>,
    pub elements: Vec<ElementView>,
    pub qm_level: Option<String>,
    pub qm_org: Option<(String, String)>,
    pub qm_when: Option<(String, String)>,
    pub can_edit: bool,
    pub csrf: String,
    pub done: Option<&'static str>,
    pub json_href: String,
    pub spec_href: String,
}

fn metric_view(m: &label::MetricResult, en: bool) -> MetricView {
    let level = match m.level {
        Some(l) => format!("{l} / {}: {}", m.metric.top(), m.metric.level_name(l, en)),
        None => "–".to_owned(),
    };
    MetricView {
        id: m.metric.id,
        name: m.metric.name(en),
        status_id: m.status.id(),
        status: m.status.name(en),
        level,
        evidence: m.evidence.iter().map(|f| f.text(en).to_owned()).collect(),
        declaration: m.declaration.as_ref().map(|d| DeclarationView {
            level: format!(
                "{} / {}: {}",
                d.level.min(m.metric.top()),
                m.metric.top(),
                m.metric.level_name(d.level.min(m.metric.top()), en)
            ),
            evidence: link_target(&d.evidence).map(str::to_owned),
            evidence_text: d.evidence.clone(),
            note: d.note.clone(),
            who: d.author.clone(),
            when: d.time.format("%Y-%m-%d").to_string(),
        }),
        levels: (0..=m.metric.top()).map(|l| (l, format!("{l}: {}", m.metric.level_name(l, en)))).collect(),
        declared_level: m.declaration.as_ref().map(|d| d.level),
    }
}

const CHART_LEFT: u32 = 300;
const CHART_WIDTH: f64 = 380.0;

/// The label page of the dataset `id` (`klart`: the step just done, from the query).
pub fn label_page(
    ctx: &Ctx,
    minter: &Minter,
    id: String,
    snapshot: &Snapshot,
    label: &Label,
    can_edit: bool,
    klart: Option<&str>,
) -> LabelPage {
    let (lang, en, w) = (ctx.lang, ctx.en(), texts(ctx.lang));
    let info = snapshot.datasets.get(label.dataset.as_str());
    let title = info.map(|d| d.title.best(lang.code()).to_owned()).unwrap_or_default();
    let dims: Vec<&label::rules::DimensionResult> = label.dimensions().collect();
    let bars = dims
        .iter()
        .enumerate()
        .map(|(n, d)| {
            let y = 8 + u32::try_from(n).unwrap_or(0) * 26;
            DimBar {
                label: format!("{} {} ({:.1} %)", d.dimension.number, d.dimension.name(en), d.dimension.weight),
                value: percent(d.score),
                y: y + 4,
                text_y: y + 17,
                width: format!("{:.1}", d.score * CHART_WIDTH),
                value_x: format!("{:.1}", CHART_LEFT as f64 + d.score * CHART_WIDTH + 6.0),
            }
        })
        .collect();
    let best = dims.iter().max_by(|a, b| a.score.total_cmp(&b.score));
    let worst = dims.iter().min_by(|a, b| a.score.total_cmp(&b.score));
    let chart_desc = match (best, worst) {
        (Some(b), Some(low)) => w
            .chart_desc
            .replace("{best}", b.dimension.name(en))
            .replace("{best_score}", &percent(b.score))
            .replace("{worst}", low.dimension.name(en))
            .replace("{worst_score}", &percent(low.score)),
        _ => String::new(),
    };
    let elements = label
        .elements
        .iter()
        .map(|e| ElementView {
            id: e.element.id(),
            name: e.element.name(en),
            reference: e.element.reference(en),
            status_id: e.status.id(),
            status: e.status.name(en),
            dimensions: e
                .dimensions
                .iter()
                .map(|d| DimensionView {
                    id: d.dimension.id,
                    number: d.dimension.number,
                    name: d.dimension.name(en),
                    weight: format!("{:.2} %", d.dimension.weight),
                    score: percent(d.score),
                    status: d.status().name(en),
                    metrics: d.metrics.iter().map(|m| metric_view(m, en)).collect(),
                })
                .collect(),
            metrics: e.metrics.iter().map(|m| metric_view(m, en)).collect(),
            quality_management: e.element == spec::Element::QualityManagement,
        })
        .collect();
    let qm = &label.quality_management;
    LabelPage {
        chrome: Chrome::new(lang, format!("{}: {title}", w.label), &ctx.path_and_query, "datasets"),
        w,
        dataset_href: paths::record(RecordKind::Dataset, &id),
        json_href: paths::label_api(&id),
        spec_href: paths::LABEL_SPEC.to_owned(),
        id,
        dataset_title: title,
        class: label.class,
        score: format!("{:.0}", label.score),
        counts: (label.count(Status::Computed), label.count(Status::Declared), label.count(Status::Missing)),
        computed_on: label.computed_on.to_string(),
        confirmed: label.attestation.as_ref().map(|a| (a.time.format("%Y-%m-%d").to_string(), a.author.clone())),
        due: label.attestation_due.map(|d| d.to_string()),
        overdue: label.overdue,
        chart_height: 8 + u32::try_from(dims.len()).unwrap_or(0) * 26 + 28,
        chart_desc,
        bars,
        elements,
        qm_level: qm.level.map(|l| format!("{l} / 5: {}", maturity::level_name(l, en))),
        qm_org: qm.assessment.as_ref().map(|m| (snapshot.agent_name(&m.agent).best(lang.code()).to_owned(), minter.path(&m.agent))),
        qm_when: qm.assessment.as_ref().map(|m| (m.time.format("%Y-%m-%d").to_string(), m.author.clone())),
        can_edit,
        csrf: ctx.csrf.clone(),
        done: match klart {
            Some("sparad") => Some(w.saved),
            Some("borttagen") => Some(w.withdrawn),
            Some("bekraftad") => Some(w.attested),
            _ => None,
        },
    }
}

/// The label's line on a dataset's page, with the yearly confirmation.
pub struct LabelBlock {
    pub class: char,
    pub score: String,
    pub href: String,
    pub confirmed: Option<(String, String)>,
    pub due: Option<String>,
    pub overdue: bool,
    /// The confirmation form, for an editor of the holder: (action, csrf, return path).
    pub attest: Option<(String, String, String)>,
    pub just_attested: bool,
}

/// An organisation's maturity on its page.
pub struct MaturityBlock {
    /// (dimension, level text)
    pub rows: Vec<(&'static str, String)>,
    pub assessed: Option<(String, String)>,
    pub edit_href: Option<String>,
}
