//! Metadata quality pages: the dashboard `/kvalitet` (the catalogue's MQA score, the rating
//! bands, publishers and regions ranked by average score in bar charts drawn as SVG on the
//! server, each with a table beside it), the breakdown of one dataset
//! `/kvalitet/dataset/{id}`, the JSON at `/api/v1/quality` and `/api/v1/quality/dataset/{id}`,
//! and the quality block of a dataset's own page. The scores are `validate::quality`'s,
//! computed once per store generation.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::PageError;
use super::kernel::words::field;
use super::views::Chrome;
use super::views::QualityBlock;
use crate::config::Lang;
use crate::model::record::RecordKind;
use crate::validate::mqa::{CatalogueScore, DatasetScore, Dimension, GroupScore, MAX_POINTS, Obligation, Outcome};
use crate::validate::quality::{Quality, QualityError};

// ---- views -------------------------------------------------------------------------------

/// One bar of a chart, laid out in SVG user units.
pub struct Bar {
    pub label: String,
    pub value_text: String,
    pub y: u32,
    pub text_y: u32,
    pub width: String,
    pub value_x: String,
}

/// A horizontal bar chart of average scores (0–405) with the band boundaries marked.
pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub height: u32,
    pub axis_y: u32,
    /// Where the labels end, the bars start and a full bar ends.
    pub label_x: u32,
    pub left: u32,
    pub right: u32,
    pub bars: Vec<Bar>,
    /// (x, label) of the band boundaries and ticks.
    pub ticks: Vec<(String, String)>,
    pub bands: Vec<(String, String)>,
    /// The table beside the chart: label, datasets, average, band.
    pub rows: Vec<(String, usize, String, String)>,
    pub heading: String,
}

/// A row of the dimension and indicator tables.
pub struct ScoreRow {
    pub name: String,
    pub points: String,
    pub max: u32,
    pub extra: String,
}

/// A dataset in the dashboard's list.
pub struct DatasetRow {
    pub title: String,
    pub href: Option<String>,
    pub points: u32,
    pub rating: &'static str,
    pub completeness: u32,
}

#[derive(Template)]
#[template(path = "quality.html")]
pub struct DashboardPage {
    pub chrome: Chrome,
    pub points: String,
    pub rating: &'static str,
    pub datasets: usize,
    pub online: bool,
    pub compliance_checked: bool,
    pub dimensions: Vec<ScoreRow>,
    pub indicators: Vec<ScoreRow>,
    pub bands: Vec<(&'static str, u32, u32, usize)>,
    pub charts: Vec<Chart>,
    pub rows: Vec<DatasetRow>,
    /// Datasets without a yearly confirmation, by publisher (`web::label`).
    pub overdue: Vec<super::label::OverdueView>,
    pub lw: &'static super::kernel::words::label::LabelTexts,
}

/// One indicator on the breakdown page.
pub struct IndicatorRow {
    pub name: String,
    pub property: &'static str,
    pub earned: u32,
    pub max: u32,
    pub outcome: &'static str,
    pub outcome_class: &'static str,
    pub detail: Option<String>,
    pub advice: Option<&'static str>,
}

pub struct DimensionSection {
    pub id: &'static str,
    pub name: &'static str,
    pub earned: u32,
    pub max: u32,
    pub rows: Vec<IndicatorRow>,
}

#[derive(Template)]
#[template(path = "quality_dataset.html")]
pub struct BreakdownPage {
    pub chrome: Chrome,
    pub dataset_href: String,
    pub points: u32,
    pub rating: &'static str,
    pub assumed: u32,
    pub online: bool,
    pub compliance_checked: bool,
    pub best_distribution: Option<String>,
    /// Its link, when `views::link_target` allows one.
    pub best_distribution_href: Option<String>,
    pub distributions: usize,
    pub sections: Vec<DimensionSection>,
    pub completeness: u32,
    pub recommended: (usize, usize),
    pub missing_recommended: Vec<(String, &'static str)>,
    pub missing_optional: Vec<(String, &'static str)>,
    /// The EHDS minimum elements, one line each (`web::ehds`).
    pub ehds: Option<Vec<super::ehds::ElementLine>>,
}

// ---- helpers -----------------------------------------------------------------------------

/// The breakdown page of a dataset minted here (a harvested dataset keeps a foreign IRI and has
/// no `/kvalitet/dataset/{id}`).
fn breakdown_href(minter: &crate::model::Minter, iri: &NamedNode) -> Option<String> {
    match minter.parse(iri.as_str()) {
        Some((RecordKind::Dataset, id)) => Some(format!("/kvalitet/dataset/{id}")),
        _ => None,
    }
}

/// A dataset's own page: `/dataset/{id}`, or `/resurs?iri=` for a harvested one.
fn dataset_href(minter: &crate::model::Minter, iri: &NamedNode) -> String {
    match minter.parse(iri.as_str()) {
        Some((RecordKind::Dataset, id)) => format!("/dataset/{id}"),
        _ => format!("/resurs?iri={}", url_encode(iri.as_str())),
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn one_decimal(x: f64, lang: Lang) -> String {
    let s = format!("{x:.1}");
    if lang == Lang::En { s } else { s.replace('.', ",") }
}

async fn compute<T: Send + 'static>(
    quality: &web::Data<Quality>,
    f: impl FnOnce(&Quality) -> Result<T, QualityError> + Send + 'static,
) -> Result<T, String> {
    let q = quality.clone().into_inner();
    match web::block(move || f(&q)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "quality score failed");
            Err(e.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Where bars start (labels are right-aligned before it) and how long a full bar is, in SVG units.
const CHART_LEFT: u32 = 310;
const CHART_WIDTH: f64 = 380.0;
const ROW: u32 = 26;

fn chart(id: &str, heading: String, groups: &[GroupScore], lang: Lang) -> Chart {
    let en = lang == Lang::En;
    let x_of = |points: f64| CHART_LEFT as f64 + points / f64::from(MAX_POINTS) * CHART_WIDTH;
    let top = 24;
    let bars: Vec<Bar> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let y = top + u32::try_from(i).unwrap_or(0) * ROW;
            let avg = g.average.unwrap_or(0.0);
            let value_text = match g.average {
                Some(a) => one_decimal(a, lang),
                None => (if en { "no datasets" } else { "inga datamängder" }).to_owned(),
            };
            Bar {
                label: g.name.best(lang.code()).to_owned(),
                value_text,
                y: y + 4,
                text_y: y + 17,
                width: format!("{:.1}", x_of(avg) - CHART_LEFT as f64),
                value_x: format!("{:.1}", x_of(avg) + 6.0),
            }
        })
        .collect();
    let axis_y = top + u32::try_from(groups.len()).unwrap_or(0) * ROW + 4;
    let ticks = [0u32, 100, 200, 300, 405].iter().map(|t| (format!("{:.1}", x_of(f64::from(*t))), t.to_string())).collect();
    let bands = [121u32, 221, 351].iter().map(|b| (format!("{:.1}", x_of(f64::from(*b))), b.to_string())).collect();
    let rows = groups
        .iter()
        .map(|g| {
            (
                g.name.best(lang.code()).to_owned(),
                g.datasets,
                g.average.map(|a| one_decimal(a, lang)).unwrap_or_else(|| "–".into()),
                g.rating().map(|r| r.name(lang)).unwrap_or("–").to_owned(),
            )
        })
        .collect();
    let scored: Vec<&GroupScore> = groups.iter().filter(|g| g.average.is_some()).collect();
    let desc = match (scored.first(), scored.last()) {
        (Some(best), Some(worst)) if en => format!(
            "Horizontal bars, one per organisation, from 0 to {MAX_POINTS} points; lines mark the rating bands at 121, 221 and 351 points. Highest: {} with {} points. Lowest: {} with {} points. {} of {} have datasets. The same figures are in the table below.",
            best.name.best("en"),
            one_decimal(best.average.unwrap_or(0.0), lang),
            worst.name.best("en"),
            one_decimal(worst.average.unwrap_or(0.0), lang),
            scored.len(),
            groups.len()
        ),
        (Some(best), Some(worst)) => format!(
            "Liggande staplar, en per organisation, från 0 till {MAX_POINTS} poäng; linjer markerar betygsnivåerna vid 121, 221 och 351 poäng. Högst: {} med {} poäng. Lägst: {} med {} poäng. {} av {} har datamängder. Samma siffror finns i tabellen nedanför.",
            best.name.best("sv"),
            one_decimal(best.average.unwrap_or(0.0), lang),
            worst.name.best("sv"),
            one_decimal(worst.average.unwrap_or(0.0), lang),
            scored.len(),
            groups.len()
        ),
        _ if en => "No organisation has datasets yet.".to_owned(),
        _ => "Ingen organisation har datamängder ännu.".to_owned(),
    };
    Chart {
        id: id.to_owned(),
        title: heading.clone(),
        desc,
        height: axis_y + 24,
        axis_y,
        label_x: CHART_LEFT - 8,
        left: CHART_LEFT,
        right: CHART_LEFT + CHART_WIDTH as u32,
        bars,
        ticks,
        bands,
        rows,
        heading,
    }
}

fn dashboard(score: &CatalogueScore, minter: &crate::model::Minter, lang: Lang, path: &str) -> DashboardPage {
    let en = lang == Lang::En;
    let title = if en { "Metadata quality" } else { "Metadatakvalitet" };
    let dimensions = Dimension::ALL
        .iter()
        .map(|d| ScoreRow {
            name: d.name(lang).to_owned(),
            points: one_decimal(score.dimension_points(*d), lang),
            max: d.max_points(),
            extra: String::new(),
        })
        .collect();
    let indicators = Dimension::ALL
        .iter()
        .flat_map(|d| d.indicators())
        .map(|i| ScoreRow {
            name: i.name(lang).to_owned(),
            points: one_decimal(score.indicator_points(i), lang),
            max: i.points(),
            extra: format!("{} / {}", score.indicator_passed(i), score.datasets.len()),
        })
        .collect();
    let bands = score.bands().iter().map(|(r, n)| (r.name(lang), r.range().0, r.range().1, *n)).collect();
    let charts = vec![
        chart(
            "utgivare",
            (if en { "Publishers by average score" } else { "Utgivare efter genomsnittlig poäng" }).to_owned(),
            &score.publishers,
            lang,
        ),
        chart(
            "regioner",
            (if en { "Regions by average score" } else { "Regioner efter genomsnittlig poäng" }).to_owned(),
            &score.regions,
            lang,
        ),
    ];
    let mut rows: Vec<DatasetRow> = score
        .datasets
        .iter()
        .map(|d| DatasetRow {
            title: d.title.best(lang.code()).to_owned(),
            href: breakdown_href(minter, &d.iri),
            points: d.total(),
            rating: d.rating().name(lang),
            completeness: d.completeness.percent(),
        })
        .collect();
    rows.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.title.cmp(&b.title)));
    DashboardPage {
        chrome: Chrome::new(lang, title, path, ""),
        points: one_decimal(score.total(), lang),
        rating: score.rating().name(lang),
        datasets: score.datasets.len(),
        online: score.online,
        compliance_checked: score.compliance_checked,
        dimensions,
        indicators,
        bands,
        charts,
        rows,
        overdue: Vec::new(),
        lw: super::kernel::words::label::texts(lang),
    }
}

fn missing_labels(d: &DatasetScore, obligation: Obligation, lang: Lang) -> Vec<(String, &'static str)> {
    d.completeness.missing_of(obligation).map(|p| (field(lang, p.key).to_owned(), p.curie)).collect()
}

fn breakdown(d: &DatasetScore, quality: &Quality, minter: &crate::model::Minter, lang: Lang, path: &str) -> BreakdownPage {
    let en = lang == Lang::En;
    let sections = Dimension::ALL
        .iter()
        .map(|dim| DimensionSection {
            id: dim.id(),
            name: dim.name(lang),
            earned: d.dimension_points(*dim),
            max: dim.max_points(),
            rows: d
                .results
                .iter()
                .filter(|r| r.indicator.dimension() == *dim)
                .map(|r| IndicatorRow {
                    name: r.indicator.name(lang).to_owned(),
                    property: r.indicator.property(),
                    earned: r.earned,
                    max: r.indicator.points(),
                    outcome: r.outcome.name(lang),
                    outcome_class: match r.outcome {
                        Outcome::Passed => "ok",
                        Outcome::Failed => "fail",
                        Outcome::NotChecked { .. } => "unchecked",
                    },
                    detail: r.detail.clone().filter(|s| !s.is_empty()),
                    advice: match r.outcome {
                        Outcome::Passed => None,
                        Outcome::Failed => Some(r.indicator.advice(lang)),
                        Outcome::NotChecked { .. } => Some(r.indicator.not_checked_advice(lang)),
                    },
                })
                .collect(),
        })
        .collect();
    let title = d.title.best(lang.code());
    BreakdownPage {
        chrome: Chrome::new(lang, if en { format!("Metadata quality: {title}") } else { format!("Metadatakvalitet: {title}") }, path, ""),
        dataset_href: dataset_href(minter, &d.iri),
        points: d.total(),
        rating: d.rating().name(lang),
        assumed: d.assumed_points(),
        online: quality.settings().online,
        compliance_checked: quality.checks_compliance(),
        best_distribution: d.best_distribution.as_ref().map(|x| x.as_str().to_owned()),
        best_distribution_href: d.best_distribution.as_ref().and_then(|x| super::views::link_target(x.as_str())).map(str::to_owned),
        distributions: d.distributions,
        sections,
        completeness: d.completeness.percent(),
        recommended: d.completeness.recommended(),
        missing_recommended: missing_labels(d, Obligation::Recommended, lang),
        missing_optional: missing_labels(d, Obligation::Optional, lang),
        ehds: None,
    }
}

// ---- handlers ----------------------------------------------------------------------------

fn quality_of(req: &HttpRequest) -> web::Data<Quality> {
    req.app_data::<web::Data<Quality>>().cloned().expect("the quality service is registered with the server")
}

pub(super) async fn dashboard_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let score = compute(&quality_of(&req), |q| q.score()).await.map_err(|e| ctx.fail(e))?;
    let mut page = dashboard(&score, state.catalogue.minter(), ctx.lang, &ctx.path_and_query);
    page.overdue = super::label::overdue_views(&state, &ctx).await;
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

async fn dataset_of(req: &HttpRequest, state: &web::Data<AppState>, id: &str) -> Result<Option<Arc<DatasetScore>>, String> {
    let Ok(iri) = state.catalogue.minter().record(RecordKind::Dataset, id) else { return Ok(None) };
    compute(&quality_of(req), move |q| q.dataset_score(&iri)).await
}

pub(super) async fn dataset_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let d = dataset_of(&req, &state, &path).await.map_err(|e| ctx.fail(e))?.ok_or_else(|| ctx.not_found(Some(RecordKind::Dataset)))?;
    let mut page = breakdown(&d, &quality_of(&req), state.catalogue.minter(), ctx.lang, &ctx.path_and_query);
    page.ehds = super::ehds::dataset_lines(&state, d.iri.clone(), ctx.lang).await;
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `GET /api/v1/quality`.
#[utoipa::path(get, path = "/api/v1/quality", tag = "quality",
    summary = "Katalogens kvalitetspoäng / The catalogue's quality score",
    description = "MQA-poängen för den publicerade katalogen, betygsgränserna och varje datamängds poäng. / The MQA score of the published catalogue, the rating bands and every dataset's score.",
    responses((status = 200, description = "Poängen / The score", body = Object)))]
pub(super) async fn catalogue_api(req: HttpRequest) -> HttpResponse {
    match compute(&quality_of(&req), |q| q.score()).await {
        Ok(score) => HttpResponse::Ok().json(score.to_json()),
        Err(e) => HttpResponse::InternalServerError().json(serde_json::json!({ "error": e })),
    }
}

/// `GET /api/v1/quality/dataset/{id}`.
#[utoipa::path(get, path = "/api/v1/quality/dataset/{id}", tag = "quality",
    summary = "En datamängds kvalitetspoäng / A dataset's quality score",
    params(("id" = String, Path, description = "Datamängdens id / The dataset's id")),
    responses(
        (status = 200, description = "Poängen per indikator / The score per indicator", body = Object),
        (status = 404, description = "Ingen publicerad datamängd / No published dataset", body = super::api::schema::PlainError),
    ))]
pub(super) async fn dataset_api(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    match dataset_of(&req, &state, &path).await {
        Ok(Some(d)) => {
            let mut value = d.to_json();
            // the labels of missing properties, as the pages show them
            if let Some(c) = value.get_mut("completeness") {
                for key in ["missing_recommended", "missing_optional"] {
                    if let Some(list) = c.get_mut(key).and_then(|l| l.as_array_mut()) {
                        for item in list {
                            let k = item.get("key").and_then(|k| k.as_str()).unwrap_or_default().to_owned();
                            item["label"] = serde_json::json!({ "sv": field(Lang::Sv, &k), "en": field(Lang::En, &k) });
                        }
                    }
                }
            }
            HttpResponse::Ok().json(value)
        }
        Ok(None) => HttpResponse::NotFound().json(serde_json::json!({ "error": format!("no public dataset {}", path.as_str()) })),
        Err(e) => HttpResponse::InternalServerError().json(serde_json::json!({ "error": e })),
    }
}

/// The quality block of a dataset's page (`None` when the score cannot be had: the page is
/// shown without it rather than failing).
pub async fn record_block(req: &HttpRequest, minter: &crate::model::Minter, iri: NamedNode, lang: Lang) -> Option<QualityBlock> {
    let href = breakdown_href(minter, &iri);
    let d = compute(&quality_of(req), move |q| q.dataset_score(&iri)).await.ok()??;
    let missing: Vec<&str> = d.completeness.missing_of(Obligation::Recommended).map(|p| field(lang, p.key)).collect();
    Some(QualityBlock {
        points: d.total(),
        max: MAX_POINTS,
        rating: d.rating().name(lang),
        completeness: d.completeness.percent(),
        recommended: d.completeness.recommended(),
        missing: missing.join(", "),
        href,
    })
}
