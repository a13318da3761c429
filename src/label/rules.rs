//! The label of one dataset from its evidence: every metric of `super::spec` computed (with
//! the evidence shown), declared by the holder, or missing; dimensions and the score from the
//! metrics; the quality-management element from the holder's maturity self-assessment; the
//! yearly confirmation. Pure: the service gathers the [`Evidence`] (`super::Labels`).
//!
//! Rules the catalogue chose, each beside its code: a computed level wins over a statement
//! (a statement of a metric with evidence is shown but does not count), a metric with neither
//! scores 0 (recital 85: the poorest class for what is not fulfilled), the score weighs the
//! twelve dimensions only (quality management and enrichments are shown, not scored: QUANTUM's
//! maturity is not a dataset score), and a confirmation is overdue 365 days after the last one
//! (Art. 60, recital 84: "at least every year").

use chrono::NaiveDate;

use super::delivery::DeliveryEvidence;
use super::maturity;
use super::spec::{self, DIMENSIONS, Dimension, Element, METRICS, Method, Metric};
use super::variables::VariableDocs;
use crate::state::label::{Attestation, Declaration, Maturity};

/// Days after a confirmation within which the next one is due.
pub const ATTESTATION_DAYS: i64 = 365;

/// A line of evidence or of explanation, in Swedish and English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub sv: String,
    pub en: String,
}

impl Fact {
    pub fn new(sv: impl Into<String>, en: impl Into<String>) -> Self {
        Self { sv: sv.into(), en: en.into() }
    }

    pub fn text(&self, en: bool) -> &str {
        if en { &self.en } else { &self.sv }
    }
}

/// Everything the catalogue knows of a dataset that the label reads.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// The access-rights code (`PUBLIC`, `NON_PUBLIC`, …).
    pub access_rights: Option<String>,
    /// The access conditions can be read: a licence or rights statement on a distribution.
    pub conditions_stated: bool,
    pub landing_page: bool,
    pub hdab: bool,
    pub population_described: bool,
    pub unique_individuals: Option<u64>,
    /// The dataset's own period(s), as years (start, end; `None` end: still running).
    pub years: Option<(Option<i32>, Option<i32>)>,
    /// Its variables (and its parts'), with their years.
    pub variables: VariableDocs,
    pub spatial: usize,
    pub regional_publisher: bool,
    /// EHDS minimum elements: present, derivable, of all.
    pub ehds: (usize, usize, usize),
    /// DCAT-AP-SE completeness (per cent).
    pub completeness: u32,
    pub coding_stated: bool,
    pub coding_by_variables: bool,
    pub provenance_statement: bool,
    pub generated_by: bool,
    /// Kinds of documentation ("landningssida"/"landing page", …), at most one each.
    pub documentation: Vec<Fact>,
    /// The frequency code (`MONTHLY`, …).
    pub accrual: Option<String>,
    /// `dct:modified`, at the latest day its precision allows; without it, the day the
    /// catalogue's record last changed (`modified_from_record`).
    pub modified: Option<NaiveDate>,
    pub modified_from_record: bool,
    /// Present for a data collection.
    pub deliveries: Option<DeliveryEvidence>,
    /// The holder's self-assessment (custodian's, else publisher's), with its organisation.
    pub maturity: Option<Maturity>,
    pub attestation: Option<Attestation>,
}

/// How a metric stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Computed,
    Declared,
    Missing,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Self::Computed => "computed",
            Self::Declared => "declared",
            Self::Missing => "missing",
        }
    }

    pub fn name(self, en: bool) -> &'static str {
        match (self, en) {
            (Self::Computed, false) => "beräknad",
            (Self::Computed, true) => "computed",
            (Self::Declared, false) => "uppgiven",
            (Self::Declared, true) => "declared",
            (Self::Missing, false) => "saknas",
            (Self::Missing, true) => "missing",
        }
    }
}

/// One metric of the label.
#[derive(Clone, Debug)]
pub struct MetricResult {
    pub metric: &'static Metric,
    pub status: Status,
    pub level: Option<u8>,
    /// Computed: the evidence read. Missing: why nothing could be computed.
    pub evidence: Vec<Fact>,
    /// The holder's statement, when there is one (it counts only when nothing was computed).
    pub declaration: Option<Declaration>,
}

impl MetricResult {
    /// The level's share of the top (0 when missing).
    pub fn value(&self) -> f64 {
        self.level.map_or(0.0, |l| self.metric.value(l))
    }
}

/// One dimension of the label.
#[derive(Clone, Debug)]
pub struct DimensionResult {
    pub dimension: &'static Dimension,
    pub metrics: Vec<MetricResult>,
    /// 0–1: the weighted mean of its metrics' values.
    pub score: f64,
}

impl DimensionResult {
    pub fn status(&self) -> Status {
        combined(self.metrics.iter().map(|m| m.status))
    }
}

/// The element "data quality management processes": the holder's maturity.
#[derive(Clone, Debug)]
pub struct QualityManagement {
    pub status: Status,
    /// The level (1–5) of the dimension the element reads ([`maturity::QUALITY_MANAGEMENT`]).
    pub level: Option<u8>,
    pub assessment: Option<Maturity>,
}

/// One element of Art. 78(3).
#[derive(Clone, Debug)]
pub struct ElementResult {
    pub element: Element,
    pub dimensions: Vec<DimensionResult>,
    /// Metrics of the element outside any dimension (enrichments).
    pub metrics: Vec<MetricResult>,
    pub status: Status,
}

/// A dataset's label.
#[derive(Clone, Debug)]
pub struct Label {
    pub dataset: String,
    pub elements: Vec<ElementResult>,
    pub quality_management: QualityManagement,
    /// 0–100.
    pub score: f64,
    pub class: char,
    pub attestation: Option<Attestation>,
    /// When the next confirmation is due (`None`: never confirmed, due now).
    pub attestation_due: Option<NaiveDate>,
    pub overdue: bool,
    pub computed_on: NaiveDate,
}

impl Label {
    pub fn dimensions(&self) -> impl Iterator<Item = &DimensionResult> {
        self.elements.iter().flat_map(|e| e.dimensions.iter())
    }

    /// Every metric, dimensions' first, then the elements' own.
    pub fn metrics(&self) -> impl Iterator<Item = &MetricResult> {
        self.dimensions().flat_map(|d| d.metrics.iter()).chain(self.elements.iter().flat_map(|e| e.metrics.iter()))
    }

    pub fn metric(&self, id: &str) -> Option<&MetricResult> {
        self.metrics().find(|m| m.metric.id == id)
    }

    pub fn dimension(&self, id: &str) -> Option<&DimensionResult> {
        self.dimensions().find(|d| d.dimension.id == id)
    }

    /// How many metrics stand how.
    pub fn count(&self, status: Status) -> usize {
        self.metrics().filter(|m| m.status == status).count()
    }
}

/// Computed if anything is, else declared if anything is, else missing.
fn combined(statuses: impl Iterator<Item = Status>) -> Status {
    let all: Vec<Status> = statuses.collect();
    if all.contains(&Status::Computed) {
        Status::Computed
    } else if all.contains(&Status::Declared) {
        Status::Declared
    } else {
        Status::Missing
    }
}

/// What computing a metric gave.
enum Computation {
    Level(u8, Vec<Fact>),
    /// No evidence, and why.
    Nothing(Fact),
}

/// A share (0–1) on the levels `bounds` (ascending lower bounds of levels 1, 2, …).
fn banded(share: f64, bounds: &[f64]) -> u8 {
    u8::try_from(bounds.iter().filter(|b| share >= **b - 1e-12).count()).unwrap_or(0)
}

fn pct(x: f64) -> String {
    let v = x * 100.0;
    if (v - v.round()).abs() < 0.05 { format!("{v:.0} %") } else { format!("{v:.1} %").replace('.', ",") }
}

fn pct_en(x: f64) -> String {
    pct(x).replace(',', ".")
}

/// The days of one interval of an EU frequency code; `None` for irregular, never, unknown.
pub fn interval_days(code: &str) -> Option<i64> {
    Some(match code {
        "CONT" | "UPDATE_CONT" | "HOURLY" | "DAILY" | "DAILY_2" | "OTHER_CONT" => 1,
        "WEEKLY_3" => 3,
        "WEEKLY_2" => 4,
        "WEEKLY" => 7,
        "BIWEEKLY" => 14,
        "MONTHLY_3" => 11,
        "MONTHLY_2" => 16,
        "MONTHLY" => 31,
        "BIMONTHLY" => 62,
        "QUARTERLY" => 92,
        "ANNUAL_3" => 122,
        "ANNUAL_2" => 183,
        "ANNUAL" => 366,
        "BIENNIAL" => 731,
        "TRIENNIAL" => 1096,
        "QUADRENNIAL" => 1461,
        "QUINQUENNIAL" => 1827,
        "DECENNIAL" => 3653,
        _ => return None,
    })
}

/// A date or year as people write it (`2024`, `2024-05`, `2024-05-01`, a date-time), at the
/// latest day it can mean: a year is its 31 December, a month its last day (so the rule never
/// holds a coarse date against the holder).
pub fn latest_day(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.len() >= 10
        && let Ok(d) = NaiveDate::parse_from_str(&v[..10], "%Y-%m-%d")
    {
        return Some(d);
    }
    if v.len() == 7 {
        let (y, m) = (v[..4].parse::<i32>().ok()?, v[5..].parse::<u32>().ok()?);
        let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)? };
        return next.pred_opt();
    }
    if v.len() == 4 {
        return NaiveDate::from_ymd_opt(v.parse().ok()?, 12, 31);
    }
    None
}

fn compute(m: &Metric, e: &Evidence, today: NaiveDate) -> Computation {
    use Computation::{Level, Nothing};
    let no_deliveries = || {
        Nothing(Fact::new(
            "Ingen leveransrapport: datamängden är ingen datainsamling eller har inga leveranser än.",
            "No delivery report: the dataset is no data collection or has no deliveries yet.",
        ))
    };
    match m.id {
        "ehds-elements" => {
            let (present, derivable, total) = e.ehds;
            if total == 0 {
                return Nothing(Fact::new("EHDS-bedömningen saknas.", "The EHDS judgement is missing."));
            }
            let share = (present + derivable) as f64 / total as f64;
            Level(
                banded(share, &[0.5, 0.8, 1.0]),
                vec![Fact::new(
                    format!("{present} av {total} finns, {derivable} kan härledas ({}).", pct(share)),
                    format!("{present} of {total} present, {derivable} derivable ({}).", pct_en(share)),
                )],
            )
        }
        "dcat-completeness" => {
            let share = f64::from(e.completeness) / 100.0;
            Level(
                banded(share, &[0.5, 0.8, 1.0]),
                vec![Fact::new(
                    format!("{} % av egenskaperna ifyllda.", e.completeness),
                    format!("{} % of the properties filled.", e.completeness),
                )],
            )
        }
        "variables-described" => {
            let v = e.variables;
            if v.variables == 0 {
                return Level(
                    0,
                    vec![Fact::new(
                        "Katalogen har inga publicerade variabler för datamängden.",
                        "The catalogue holds no published variables of the dataset.",
                    )],
                );
            }
            let share = v.described as f64 / v.variables as f64;
            Level(
                1 + banded(share, &[0.5, 0.9]),
                vec![Fact::new(
                    format!("{} av {} variabler har definition och datatyp eller kodlista ({}).", v.described, v.variables, pct(share)),
                    format!(
                        "{} of {} variables have a definition and a datatype or code list ({}).",
                        v.described,
                        v.variables,
                        pct_en(share)
                    ),
                )],
            )
        }
        "coding-systems" => {
            if e.coding_stated {
                Level(2, vec![Fact::new("Datamängden anger kodverk eller standarder.", "The dataset states coding systems or standards.")])
            } else if e.coding_by_variables {
                Level(
                    1,
                    vec![Fact::new(
                        "Variablerna anger kodverk; datamängden gör det inte.",
                        "The variables name coding systems; the dataset does not.",
                    )],
                )
            } else {
                Level(0, vec![Fact::new("Inga kodverk angivna.", "No coding systems named.")])
            }
        }
        "provenance-statement" => {
            let mut facts = Vec::new();
            if e.provenance_statement {
                facts.push(Fact::new("Ursprung beskrivet (dct:provenance).", "Provenance stated (dct:provenance)."));
            }
            if e.generated_by {
                facts.push(Fact::new(
                    "Verksamheten som skapade data angiven (prov:wasGeneratedBy).",
                    "The generating activity named (prov:wasGeneratedBy).",
                ));
            }
            if facts.is_empty() {
                facts.push(Fact::new("Varken ursprung eller aktivitet angiven.", "Neither a statement nor an activity."));
            }
            Level(u8::from(e.provenance_statement) + u8::from(e.generated_by), facts)
        }
        "support-documentation" => {
            let n = e.documentation.len();
            let facts =
                if n == 0 { vec![Fact::new("Ingen dokumentation länkad.", "No documentation linked.")] } else { e.documentation.clone() };
            Level(u8::try_from(n.min(2)).unwrap_or(2), facts)
        }
        "required-values" => match e.deliveries {
            Some(d) if d.counted > 0 && d.required_cells > 0 => {
                let share = d.required_filled as f64 / d.required_cells as f64;
                Level(
                    banded(share, &[0.8, 0.95, 0.99]),
                    vec![Fact::new(
                        format!(
                            "{} av {} obligatoriska celler ifyllda i {} leveranser ({}).",
                            d.required_filled,
                            d.required_cells,
                            d.counted,
                            pct(share)
                        ),
                        format!(
                            "{} of {} required cells filled in {} deliveries ({}).",
                            d.required_filled,
                            d.required_cells,
                            d.counted,
                            pct_en(share)
                        ),
                    )],
                )
            }
            Some(d) if d.deliveries > 0 => Nothing(Fact::new(
                "Leveranserna är bara kontrollerade på rubrikraden; inga värden räknade.",
                "The deliveries were checked on their header row only; no values counted.",
            )),
            _ => no_deliveries(),
        },
        "regions-delivering" => match e.deliveries {
            Some(d) if d.regions > 0 => {
                let share = d.regions_delivering as f64 / d.regions as f64;
                Level(
                    banded(share, &[0.5, 0.8, 1.0]),
                    vec![Fact::new(
                        format!("{} av {} regioner har levererat.", d.regions_delivering, d.regions),
                        format!("{} of {} regions have delivered.", d.regions_delivering, d.regions),
                    )],
                )
            }
            _ => no_deliveries(),
        },
        "valid-values" => match e.deliveries {
            Some(d) if d.filled > 0 => {
                let share = 1.0 - d.invalid as f64 / d.filled as f64;
                Level(
                    banded(share, &[0.9, 0.98, 0.999]),
                    vec![Fact::new(
                        format!(
                            "{} av {} ifyllda värden bryter mot datatyp, kodlista eller intervall ({} giltiga).",
                            d.invalid,
                            d.filled,
                            pct(share)
                        ),
                        format!(
                            "{} of {} filled values break their datatype, code list or range ({} valid).",
                            d.invalid,
                            d.filled,
                            pct_en(share)
                        ),
                    )],
                )
            }
            Some(d) if d.deliveries > 0 => Nothing(Fact::new(
                "Leveranserna har inga räknade värden (bara rubrikrader eller tomma filer).",
                "The deliveries hold no counted values (header rows or empty files only).",
            )),
            _ => no_deliveries(),
        },
        "stable-structure" => match e.deliveries {
            Some(d) if d.deliveries > 0 => {
                let share = d.complete as f64 / d.deliveries as f64;
                Level(
                    banded(share, &[0.8, 0.95, 1.0]),
                    vec![Fact::new(
                        format!("{} av {} leveranser har alla obligatoriska kolumner.", d.complete, d.deliveries),
                        format!("{} of {} deliveries have every required column.", d.complete, d.deliveries),
                    )],
                )
            }
            _ => no_deliveries(),
        },
        "update-on-schedule" => {
            let Some(code) = &e.accrual else {
                return Nothing(Fact::new(
                    "Uppdateringsfrekvens saknas (dct:accrualPeriodicity).",
                    "No update frequency (dct:accrualPeriodicity).",
                ));
            };
            let Some(days) = interval_days(code) else {
                return Nothing(Fact::new(
                    format!("Frekvensen {code} har inget fast intervall."),
                    format!("The frequency {code} has no fixed interval."),
                ));
            };
            let Some(modified) = e.modified else {
                return Nothing(Fact::new("Senaste ändring saknas.", "No last modification."));
            };
            let age = (today - modified).num_days().max(0);
            let level = if age <= days {
                2
            } else if age <= 2 * days {
                1
            } else {
                0
            };
            // without dct:modified the record's own last change stands in: a holder who keeps the
            // description current shows that much (the evidence says which date was used)
            let (from_sv, from_en) = if e.modified_from_record {
                ("Posten ändrades senast", "The record last changed")
            } else {
                ("Ändrad (dct:modified)", "Modified (dct:modified)")
            };
            Level(
                level,
                vec![Fact::new(
                    format!("{from_sv} {modified}, {age} dagar sedan; frekvens {code} ({days} dagar)."),
                    format!("{from_en} {modified}, {age} days ago; frequency {code} ({days} days)."),
                )],
            )
        }
        "population-described" => {
            if !e.population_described && e.unique_individuals.is_none() {
                return Level(0, vec![Fact::new("Populationen beskrivs inte.", "The population is not described.")]);
            }
            let mut facts = Vec::new();
            if e.population_described {
                facts.push(Fact::new("Populationen beskriven.", "The population is described."));
            }
            if let Some(n) = e.unique_individuals {
                facts.push(Fact::new(format!("{n} unika individer."), format!("{n} unique individuals.")));
            }
            Level(u8::from(e.population_described) + u8::from(e.unique_individuals.is_some()), facts)
        }
        "temporal-coverage" => {
            let v = e.variables;
            let var_years = v.first_year.map(|f| (f, if v.open_ended { None } else { v.last_year }));
            let show = |s: Option<i32>, end: Option<i32>| {
                format!("{}–{}", s.map(|y| y.to_string()).unwrap_or_default(), end.map(|y| y.to_string()).unwrap_or_default())
            };
            match (e.years, var_years) {
                (None, None) => Level(0, vec![Fact::new("Ingen period angiven.", "No period stated.")]),
                (Some((s, end)), None) => Level(
                    1,
                    vec![Fact::new(
                        format!("Datamängden: {}; variablerna anger ingen period.", show(s, end)),
                        format!("The dataset: {}; the variables state no period.", show(s, end)),
                    )],
                ),
                (None, Some((vs, ve))) => Level(
                    1,
                    vec![Fact::new(
                        format!("Variablerna: {}; datamängden anger ingen period.", show(Some(vs), ve)),
                        format!("The variables: {}; the dataset states no period.", show(Some(vs), ve)),
                    )],
                ),
                (Some((s, end)), Some((vs, ve))) => {
                    let starts_ok = s.is_none_or(|s| vs >= s);
                    let ends_ok = match (end, ve) {
                        (None, _) => true,
                        (Some(end), Some(ve)) => ve <= end,
                        (Some(_), None) => false,
                    };
                    let agree = starts_ok && ends_ok;
                    Level(
                        if agree { 2 } else { 1 },
                        vec![Fact::new(
                            format!(
                                "Datamängden: {}; variablerna: {}{}",
                                show(s, end),
                                show(Some(vs), ve),
                                if agree { "." } else { " (utanför datamängdens period)." }
                            ),
                            format!(
                                "The dataset: {}; the variables: {}{}",
                                show(s, end),
                                show(Some(vs), ve),
                                if agree { "." } else { " (outside the dataset's period)." }
                            ),
                        )],
                    )
                }
            }
        }
        "geographical-coverage" => {
            if e.spatial > 0 {
                Level(
                    2,
                    vec![Fact::new(
                        format!("{} område angivet (dct:spatial).", e.spatial),
                        format!("{} area(s) stated (dct:spatial).", e.spatial),
                    )],
                )
            } else if e.regional_publisher {
                Level(
                    1,
                    vec![Fact::new("Utgivaren är en region; dess län kan anges.", "The publisher is a region; its county can be given.")],
                )
            } else {
                Level(0, vec![Fact::new("Inget område angivet.", "No area stated.")])
            }
        }
        "access-policy" => {
            let Some(code) = &e.access_rights else {
                return Level(0, vec![Fact::new("Åtkomsträttigheter saknas (dct:accessRights).", "No access rights (dct:accessRights).")]);
            };
            let mut facts = vec![Fact::new(format!("Åtkomsträttigheter: {code}."), format!("Access rights: {code}."))];
            if e.conditions_stated {
                facts.push(Fact::new("Licens eller rättigheter anges på en distribution.", "A distribution states its licence or rights."));
            }
            if e.landing_page {
                facts.push(Fact::new("Landningssida beskriver datamängden.", "A landing page describes the dataset."));
            }
            if e.hdab {
                facts.push(Fact::new("Tillståndsmyndigheten (HDAB) anges.", "The health data access body is named."));
            }
            let comprehensive = e.conditions_stated || e.landing_page || e.hdab;
            Level(if comprehensive { 2 } else { 1 }, facts)
        }
        _ => match m.method {
            Method::Declared => Nothing(Fact::new(
                "Katalogen har inget underlag för detta mått; innehavaren kan ange det.",
                "The catalogue holds no evidence of this metric; the holder can state it.",
            )),
            Method::Computed => Nothing(Fact::new("Inget underlag.", "No evidence.")),
        },
    }
}

fn metric_result(m: &'static Metric, e: &Evidence, declarations: &[Declaration], today: NaiveDate) -> MetricResult {
    let declaration = declarations.iter().find(|d| d.metric == m.id).cloned();
    match compute(m, e, today) {
        // a level computed from evidence wins over a statement (module comment)
        Computation::Level(level, evidence) => {
            MetricResult { metric: m, status: Status::Computed, level: Some(level.min(m.top())), evidence, declaration }
        }
        Computation::Nothing(why) => match &declaration {
            Some(d) => {
                MetricResult { metric: m, status: Status::Declared, level: Some(d.level.min(m.top())), evidence: vec![why], declaration }
            }
            None => MetricResult { metric: m, status: Status::Missing, level: None, evidence: vec![why], declaration },
        },
    }
}

/// The label of `dataset` from its evidence and the holder's statements, as of `today`.
pub fn assess(dataset: &str, e: &Evidence, declarations: &[Declaration], today: NaiveDate) -> Label {
    let mut elements = Vec::new();
    let mut weighted = 0.0;
    let mut weights = 0.0;
    for element in Element::ALL {
        let mut dimensions = Vec::new();
        for d in DIMENSIONS.iter().filter(|d| d.element == element) {
            let metrics: Vec<MetricResult> = d.metrics().map(|m| metric_result(m, e, declarations, today)).collect();
            let total: f64 = metrics.iter().map(|r| r.metric.weight).sum();
            let score = if total > 0.0 { metrics.iter().map(|r| r.metric.weight * r.value()).sum::<f64>() / total } else { 0.0 };
            weighted += d.weight * score;
            weights += d.weight;
            dimensions.push(DimensionResult { dimension: d, metrics, score });
        }
        let metrics: Vec<MetricResult> = match element {
            Element::Enrichment => {
                METRICS.iter().filter(|m| m.dimension.is_empty()).map(|m| metric_result(m, e, declarations, today)).collect()
            }
            _ => Vec::new(),
        };
        let qm = (element == Element::QualityManagement).then(|| quality_management(e));
        let status = match &qm {
            Some(q) => q.status,
            None => combined(dimensions.iter().map(DimensionResult::status).chain(metrics.iter().map(|m| m.status))),
        };
        elements.push(ElementResult { element, dimensions, metrics, status });
    }
    let score = if weights > 0.0 { 100.0 * weighted / weights } else { 0.0 };
    let attestation_due = e.attestation.as_ref().map(|a| a.time.date_naive() + chrono::Duration::days(ATTESTATION_DAYS));
    Label {
        dataset: dataset.to_owned(),
        elements,
        quality_management: quality_management(e),
        score,
        class: spec::class_of(score),
        overdue: attestation_due.is_none_or(|due| today > due),
        attestation: e.attestation.clone(),
        attestation_due,
        computed_on: today,
    }
}

/// The quality-management element: the holder's level of [`maturity::QUALITY_MANAGEMENT`],
/// declared by the holder itself (a self-assessment), or missing.
fn quality_management(e: &Evidence) -> QualityManagement {
    let level = e.maturity.as_ref().and_then(|m| m.levels.get(maturity::QUALITY_MANAGEMENT).copied());
    QualityManagement { status: if level.is_some() { Status::Declared } else { Status::Missing }, level, assessment: e.maturity.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn declaration(metric: &str, level: u8) -> Declaration {
        Declaration {
            dataset: "d".into(),
            metric: metric.into(),
            level,
            evidence: "https://region.example.se/rapport".into(),
            note: String::new(),
            author: "anna".into(),
            time: Utc::now(),
        }
    }

    #[test]
    fn a_dataset_with_nothing_is_in_the_poorest_class_with_every_metric_missing_or_zero() {
        let label = assess("d", &Evidence::default(), &[], day("2026-12-01"));
        assert_eq!(label.class, 'E');
        assert!(label.score < 5.0, "{}", label.score);
        assert_eq!(label.metric("time-to-data").unwrap().status, Status::Missing);
        assert_eq!(label.metric("update-on-schedule").unwrap().status, Status::Missing);
        assert_eq!(label.metric("access-policy").unwrap().level, Some(0), "no access rights is level 0, computed");
        assert!(label.overdue, "never confirmed");
        assert_eq!(label.quality_management.status, Status::Missing);
        assert_eq!(label.dimensions().count(), 12);
    }

    #[test]
    fn a_statement_counts_where_nothing_is_computed_and_is_only_shown_where_something_is() {
        let e = Evidence { access_rights: Some("NON_PUBLIC".into()), ..Evidence::default() };
        let label = assess("d", &e, &[declaration("time-to-data", 3), declaration("access-policy", 2)], day("2026-12-01"));
        let time = label.metric("time-to-data").unwrap();
        assert_eq!((time.status, time.level), (Status::Declared, Some(3)));
        assert_eq!(time.declaration.as_ref().unwrap().evidence, "https://region.example.se/rapport");
        let policy = label.metric("access-policy").unwrap();
        assert_eq!((policy.status, policy.level), (Status::Computed, Some(1)), "computed wins");
        assert!(policy.declaration.is_some(), "the statement is still shown");
        let accessibility = label.dimension("accessibility").unwrap();
        assert!((accessibility.score - 0.75).abs() < 1e-9, "(1/2 + 3/3) / 2: {}", accessibility.score);
        // a statement above the top level is held to the top
        let over = assess("d", &e, &[declaration("time-to-data", 9)], day("2026-12-01"));
        assert_eq!(over.metric("time-to-data").unwrap().level, Some(3));
    }

    #[test]
    fn timeliness_compares_the_last_change_with_the_frequency() {
        let e = |code: &str, modified: &str| Evidence { accrual: Some(code.into()), modified: latest_day(modified), ..Evidence::default() };
        let today = day("2026-12-01");
        let level = |ev: &Evidence| assess("d", ev, &[], today).metric("update-on-schedule").unwrap().level;
        assert_eq!(level(&e("MONTHLY", "2026-11-15")), Some(2));
        assert_eq!(level(&e("MONTHLY", "2026-10-15")), Some(1));
        assert_eq!(level(&e("MONTHLY", "2026-06-01")), Some(0));
        assert_eq!(level(&e("ANNUAL", "2025")), Some(2), "a year is read as its last day");
        assert_eq!(level(&e("IRREG", "2020")), None, "irregular is not judged");
        assert_eq!(assess("d", &e("IRREG", "2020"), &[], today).metric("update-on-schedule").unwrap().status, Status::Missing);
        assert_eq!(latest_day("2024-02"), Some(day("2024-02-29")));
    }

    #[test]
    fn coverage_reads_the_periods_of_the_dataset_and_its_variables() {
        let vars = |first, last, open| VariableDocs {
            variables: 2,
            described: 2,
            first_year: Some(first),
            last_year: Some(last),
            open_ended: open,
            ..VariableDocs::default()
        };
        let level = |years, v| {
            assess("d", &Evidence { years, variables: v, ..Evidence::default() }, &[], day("2026-01-01"))
                .metric("temporal-coverage")
                .unwrap()
                .level
        };
        assert_eq!(level(Some((Some(1997), None)), vars(1998, 2020, true)), Some(2));
        assert_eq!(level(Some((Some(2000), Some(2010))), vars(1990, 2005, false)), Some(1), "variables before the dataset's start");
        assert_eq!(level(None, vars(1990, 2005, false)), Some(1));
        assert_eq!(level(None, VariableDocs::default()), Some(0));
    }

    #[test]
    fn delivery_evidence_moves_technical_quality() {
        let d = DeliveryEvidence {
            regions: 21,
            regions_delivering: 20,
            deliveries: 40,
            counted: 40,
            required_cells: 10_000,
            required_filled: 9_950,
            filled: 20_000,
            invalid: 100,
            complete: 39,
        };
        let label = assess("d", &Evidence { deliveries: Some(d), ..Evidence::default() }, &[], day("2026-01-01"));
        assert_eq!(label.metric("required-values").unwrap().level, Some(3));
        assert_eq!(label.metric("regions-delivering").unwrap().level, Some(2));
        assert_eq!(label.metric("valid-values").unwrap().level, Some(2));
        assert_eq!(label.metric("stable-structure").unwrap().level, Some(2));
        let worse = DeliveryEvidence { invalid: 5_000, ..d };
        let label2 = assess("d", &Evidence { deliveries: Some(worse), ..Evidence::default() }, &[], day("2026-01-01"));
        assert_eq!(label2.metric("valid-values").unwrap().level, Some(0));
        assert!(label2.score < label.score);
        // header checks only: the value metrics are missing, the structure is computed
        let headers = DeliveryEvidence { counted: 0, required_cells: 0, required_filled: 0, filled: 0, invalid: 0, ..d };
        let label3 = assess("d", &Evidence { deliveries: Some(headers), ..Evidence::default() }, &[], day("2026-01-01"));
        assert_eq!(label3.metric("valid-values").unwrap().status, Status::Missing);
        assert_eq!(label3.metric("stable-structure").unwrap().status, Status::Computed);
    }

    #[test]
    fn the_yearly_confirmation_is_due_a_year_after_the_last() {
        let at = |s: &str| Attestation {
            dataset: "d".into(),
            author: "anna".into(),
            time: day(s).and_hms_opt(12, 0, 0).unwrap().and_utc(),
            note: String::new(),
        };
        let label = assess("d", &Evidence { attestation: Some(at("2026-01-10")), ..Evidence::default() }, &[], day("2026-12-01"));
        assert!(!label.overdue);
        assert_eq!(label.attestation_due, Some(day("2027-01-10")));
        let late = assess("d", &Evidence { attestation: Some(at("2025-11-01")), ..Evidence::default() }, &[], day("2026-12-01"));
        assert!(late.overdue);
    }

    #[test]
    fn quality_management_reads_the_governance_level_and_is_not_scored() {
        let m = Maturity {
            agent: "a".into(),
            levels: [("governance".to_owned(), 4u8), ("data-model".to_owned(), 1)].into(),
            evidence: String::new(),
            note: String::new(),
            author: "anna".into(),
            time: Utc::now(),
        };
        let without = assess("d", &Evidence::default(), &[], day("2026-01-01"));
        let with = assess("d", &Evidence { maturity: Some(m), ..Evidence::default() }, &[], day("2026-01-01"));
        assert_eq!((with.quality_management.status, with.quality_management.level), (Status::Declared, Some(4)));
        assert_eq!(with.score, without.score);
        let element = with.elements.iter().find(|e| e.element == Element::QualityManagement).unwrap();
        assert_eq!(element.status, Status::Declared);
    }

    #[test]
    fn shares_are_banded_on_their_lower_bounds() {
        assert_eq!(banded(0.49, &[0.5, 0.8, 1.0]), 0);
        assert_eq!(banded(0.5, &[0.5, 0.8, 1.0]), 1);
        assert_eq!(banded(0.999, &[0.5, 0.8, 1.0]), 2);
        assert_eq!(banded(1.0, &[0.5, 0.8, 1.0]), 3);
    }
}
