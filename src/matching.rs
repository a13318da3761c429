//! Compare by meaning, not by name (issue 18): when two variables describe the same thing and
//! why, how the cells of a comparison are judged, and where a concept is available, register by
//! year.
//!
//! Owns: the matching rule ([`signals`]: a shared concept, the same code list or code lists
//! sharing codes, the same coding system or a version of it, and — weakest — an equal technical
//! name without case and marks); the comparison's cell rule ([`judge`]: an empty cell is "not
//! stated", values equal without case and spacing are equal) and code lists compared by code
//! ([`compare_codes`]); the years a period covers ([`years`]); and the reads that apply them to
//! the public catalogue ([`same_elsewhere`], [`group_of`], [`availability`]).
//! Does not: know HTTP or words: `web::compare` says the signals in Swedish and English.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use oxigraph::model::{NamedNode, Term};

use crate::catalog::{Catalogue, MatchBy, StoreError};
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::dct;
use crate::model::{Concept, LangText, Period, Variable, fold};

/// Why two variables are taken to be the same thing, strongest first (the order of the
/// variants is the order of strength).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Signal {
    /// Both name this concept (`disco:concept` or `dct:subject`).
    Concept(NamedNode),
    /// Both take their values from this code list.
    CodeList(NamedNode),
    /// Their code lists share these codes (the same code with the same label).
    SharedCodes(Vec<String>),
    /// Both are coded with this coding system.
    CodingSystem(NamedNode),
    /// One is coded with a version of the other's coding system: (the version, the system).
    CodingSystemVersion(NamedNode, NamedNode),
    /// Their technical names are equal without case and marks (the weakest signal).
    Name(String),
}

/// One code of a code list as the rule compares it: the code and its label, folded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub notation: String,
    pub label: String,
}

impl Code {
    pub fn new(notation: &str, label: &str) -> Self {
        Self { notation: notation.trim().to_owned(), label: normalise(label) }
    }
}

/// What the rule reads of a variable (or of a concept, code list or coding system that
/// variables are matched against).
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// The technical name, folded (`model::fold::name`).
    pub name: Option<String>,
    pub concepts: BTreeSet<NamedNode>,
    pub coding_systems: BTreeSet<NamedNode>,
    pub code_list: Option<NamedNode>,
    pub codes: Vec<Code>,
}

impl Facts {
    /// A variable's facts; `codes` are those of its code list.
    pub fn of(v: &Variable, codes: &[Concept]) -> Self {
        let mut concepts: BTreeSet<NamedNode> = v.concepts.iter().cloned().collect();
        concepts.extend(v.extra.iter().filter(|t| t.predicate == dct::SUBJECT).filter_map(|t| match &t.object {
            Term::NamedNode(n) => Some(n.clone()),
            _ => None,
        }));
        Self {
            name: v.notation.as_deref().map(fold::name).filter(|n| !n.is_empty()),
            concepts,
            coding_systems: v.coding_systems.iter().cloned().collect(),
            code_list: v.representation.as_ref().and_then(|r| r.code_list()).cloned(),
            codes: code_facts(codes),
        }
    }
}

fn code_facts(codes: &[Concept]) -> Vec<Code> {
    codes.iter().filter_map(|c| Some(Code::new(c.notation.as_deref()?, c.label.best("sv")))).collect()
}

/// Codes of two code lists that are the same code: the same notation, and the same label
/// (without case and spacing) where both state one.
fn shared_codes(a: &[Code], b: &[Code]) -> Vec<String> {
    a.iter()
        .filter(|x| b.iter().any(|y| y.notation == x.notation && (x.label.is_empty() || y.label.is_empty() || x.label == y.label)))
        .map(|x| x.notation.clone())
        .collect()
}

/// The matching rule: every reason to take `a` and `b` for the same thing, strongest first;
/// empty when there is none. `versions` are the known versions among coding systems, as
/// (the version, the system it is a version of).
pub fn signals(a: &Facts, b: &Facts, versions: &[(NamedNode, NamedNode)]) -> Vec<Signal> {
    let mut out: Vec<Signal> = a.concepts.intersection(&b.concepts).cloned().map(Signal::Concept).collect();
    match (&a.code_list, &b.code_list) {
        (Some(x), Some(y)) if x == y => out.push(Signal::CodeList(x.clone())),
        _ => {
            let shared = shared_codes(&a.codes, &b.codes);
            let smaller = a.codes.len().min(b.codes.len());
            // one shared code ("9 = uppgift saknas") is chance; two, or all of a short list, is not
            if shared.len() >= 2 || (!shared.is_empty() && shared.len() == smaller) {
                out.push(Signal::SharedCodes(shared));
            }
        }
    }
    out.extend(a.coding_systems.intersection(&b.coding_systems).cloned().map(Signal::CodingSystem));
    for (version, system) in versions {
        let holds = |f: &Facts, s: &NamedNode| f.coding_systems.contains(s);
        if (holds(a, version) && holds(b, system)) || (holds(a, system) && holds(b, version)) {
            let signal = Signal::CodingSystemVersion(version.clone(), system.clone());
            if !out.contains(&signal) {
                out.push(signal);
            }
        }
    }
    if let (Some(x), Some(y)) = (&a.name, &b.name)
        && x == y
    {
        out.push(Signal::Name(x.clone()));
    }
    out.sort();
    out
}

/// A value as the comparison sees it: lower case, runs of whitespace as one space, trimmed.
pub fn normalise(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// How one cell of a comparison's row stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Nothing is stated: neither equal nor different.
    NotStated,
    /// Equal to the row's first stated value (or that value itself).
    Same,
    /// Different from the row's first stated value.
    Differs,
}

/// The cells of one row: each value against the row's first stated value ([`normalise`]d);
/// an empty value is [`Cell::NotStated`], never a difference.
pub fn judge(values: &[String]) -> Vec<Cell> {
    let reference = values.iter().map(|v| normalise(v)).find(|v| !v.is_empty());
    values
        .iter()
        .map(|v| {
            let v = normalise(v);
            match &reference {
                _ if v.is_empty() => Cell::NotStated,
                Some(r) if *r != v => Cell::Differs,
                _ => Cell::Same,
            }
        })
        .collect()
}

/// Two code lists compared by their codes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeComparison {
    pub shared: Vec<String>,
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
}

impl CodeComparison {
    pub fn differs(&self) -> bool {
        !self.only_a.is_empty() || !self.only_b.is_empty()
    }
}

/// The codes of `a` and `b` (notations), each once, in their own order: shared, only in `a`,
/// only in `b`.
pub fn compare_codes(a: &[String], b: &[String]) -> CodeComparison {
    let (sa, sb): (BTreeSet<&str>, BTreeSet<&str>) = (a.iter().map(|x| x.trim()).collect(), b.iter().map(|x| x.trim()).collect());
    let mut out = CodeComparison::default();
    let mut seen = BTreeSet::new();
    for x in a.iter().map(|x| x.trim()) {
        if seen.insert(x) {
            if sb.contains(x) { &mut out.shared } else { &mut out.only_a }.push(x.to_owned());
        }
    }
    for x in b.iter().map(|x| x.trim()) {
        if !sa.contains(x) && seen.insert(x) {
            out.only_b.push(x.to_owned());
        }
    }
    out
}

/// The calendar years periods cover; an open end runs to `this_year`. A period without a start
/// year (or longer than 500 years) names no year.
pub fn years(periods: &[Period], this_year: i32) -> BTreeSet<i32> {
    let mut out = BTreeSet::new();
    for p in periods {
        let Some(start) = p.start.as_ref().and_then(|t| t.year()) else { continue };
        let end = p.end.as_ref().and_then(|t| t.year()).unwrap_or(this_year.max(start));
        if end >= start && end - start <= 500 {
            out.extend(start..=end);
        }
    }
    out
}

// ---- reads over the public catalogue ----------------------------------------------------

/// A variable found to be the same thing, and why (no signals: the variable asked about).
pub struct Match {
    pub variable: Variable,
    pub signals: Vec<Signal>,
}

/// The facts of a public variable, its code list's codes read.
pub fn facts(cat: &Catalogue, v: &Variable) -> Result<Facts, StoreError> {
    let codes = match v.representation.as_ref().and_then(|r| r.code_list()) {
        Some(s) => cat.concepts_of(s)?,
        None => Vec::new(),
    };
    Ok(Facts::of(v, &codes))
}

/// The public variables the rule pairs with `target`, strongest signal first, then by IRI
/// (`except` left out).
fn matches_of(cat: &Catalogue, target: &Facts, except: Option<&NamedNode>) -> Result<Vec<Match>, StoreError> {
    let systems: Vec<NamedNode> = target.coding_systems.iter().cloned().collect();
    let versions = cat.coding_system_versions(&systems)?;
    let mut all_systems: BTreeSet<NamedNode> = target.coding_systems.clone();
    for (a, b) in &versions {
        all_systems.insert(a.clone());
        all_systems.insert(b.clone());
    }
    let concepts: Vec<NamedNode> = target.concepts.iter().cloned().collect();
    let all_systems: Vec<NamedNode> = all_systems.into_iter().collect();
    let code_lists: Vec<NamedNode> = target.code_list.iter().cloned().collect();
    let codes: Vec<String> = target.codes.iter().map(|c| c.notation.clone()).collect();
    let by =
        MatchBy { concepts: &concepts, coding_systems: &all_systems, code_lists: &code_lists, codes: &codes, name: target.name.as_deref() };
    let mut codes_of: HashMap<NamedNode, Vec<Concept>> = HashMap::new();
    let mut out = Vec::new();
    for iri in cat.match_candidates(&by)? {
        if Some(&iri) == except {
            continue;
        }
        let Some((_, Resource::Variable(v))) = cat.public_resource(iri.as_ref())? else { continue };
        let codes = match v.representation.as_ref().and_then(|r| r.code_list()) {
            Some(s) => {
                if !codes_of.contains_key(s) {
                    codes_of.insert(s.clone(), cat.concepts_of(s)?);
                }
                codes_of.get(s).map(Vec::as_slice).unwrap_or_default()
            }
            None => &[],
        };
        let signals = signals(target, &Facts::of(&v, codes), &versions);
        if !signals.is_empty() {
            out.push(Match { variable: v, signals });
        }
    }
    out.sort_by(|a, b| {
        a.signals
            .first()
            .cmp(&b.signals.first())
            .then_with(|| natural(a.variable.notation.as_deref().unwrap_or("")).cmp(&natural(b.variable.notation.as_deref().unwrap_or(""))))
            .then_with(|| a.variable.iri.as_str().cmp(b.variable.iri.as_str()))
    });
    Ok(out)
}

/// A technical name's order as people read it: `DIA2` before `DIA10`.
fn natural(name: &str) -> (String, u64) {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (head, tail) = name.split_at(name.len() - digits);
    (head.to_lowercase(), tail.parse().unwrap_or(0))
}

/// "The same in other registers": the public variables the rule pairs with `v` that are held by
/// a register `v` is not held by (or by none stated), strongest first.
pub fn same_elsewhere(cat: &Catalogue, v: &Variable) -> Result<Vec<Match>, StoreError> {
    let own: BTreeSet<&NamedNode> = v.datasets.iter().collect();
    let matches = matches_of(cat, &facts(cat, v)?, Some(&v.iri))?;
    Ok(matches.into_iter().filter(|m| m.variable.datasets.is_empty() || m.variable.datasets.iter().any(|d| !own.contains(d))).collect())
}

/// The reasons for every pair of `variables` (by index, `i < j`); a pair without a reason is
/// left out.
pub fn pair_signals(cat: &Catalogue, variables: &[Variable]) -> Result<Vec<(usize, usize, Vec<Signal>)>, StoreError> {
    let facts: Vec<Facts> = variables.iter().map(|v| facts(cat, v)).collect::<Result<_, _>>()?;
    let systems: Vec<NamedNode> =
        facts.iter().flat_map(|f| f.coding_systems.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect();
    let versions = cat.coding_system_versions(&systems)?;
    let mut out = Vec::new();
    for i in 0..facts.len() {
        for j in i + 1..facts.len() {
            out.push((i, j, signals(&facts[i], &facts[j], &versions)));
        }
    }
    Ok(out)
}

/// A concept (a variable, a code, a code list or a coding system) and the public variables that
/// are the same thing: for a variable, itself first (no signals) and its matches; otherwise
/// the variables that name the code as their concept, take values from its code list, or are
/// coded with its coding system (or a version of it).
pub struct Group {
    pub subject: NamedNode,
    pub kind: RecordKind,
    pub label: LangText,
    pub members: Vec<Match>,
}

/// The group of a public record, `None` when it is not public or not of a kind that names a
/// concept.
pub fn group_of(cat: &Catalogue, iri: &NamedNode) -> Result<Option<Group>, StoreError> {
    let Some((_, resource)) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
    let systems_of = |schemes: &[NamedNode]| -> Result<BTreeSet<NamedNode>, StoreError> {
        let mut out = BTreeSet::new();
        for s in schemes {
            if let Some((_, Resource::CodeList(c))) = cat.public_resource(s.as_ref())? {
                out.extend(c.conforms_to);
            }
        }
        Ok(out)
    };
    let (target, own) = match &resource {
        Resource::Variable(v) => (facts(cat, v)?, Some(v.clone())),
        Resource::Concept(c) => {
            let target = Facts {
                concepts: BTreeSet::from([c.iri.clone()]),
                code_list: c.in_scheme.first().cloned(),
                coding_systems: systems_of(&c.in_scheme)?,
                ..Facts::default()
            };
            (target, None)
        }
        Resource::CodeList(c) => {
            let target = Facts {
                code_list: Some(c.iri.clone()),
                coding_systems: c.conforms_to.iter().cloned().collect(),
                codes: code_facts(&cat.concepts_of(&c.iri)?),
                ..Facts::default()
            };
            (target, None)
        }
        Resource::Standard(s) => (Facts { coding_systems: BTreeSet::from([s.iri.clone()]), ..Facts::default() }, None),
        _ => return Ok(None),
    };
    let mut members = matches_of(cat, &target, Some(iri))?;
    if let Some(v) = own {
        members.insert(0, Match { variable: v, signals: Vec::new() });
    }
    Ok(Some(Group { subject: iri.clone(), kind: resource.kind(), label: resource.label().clone(), members }))
}

/// One register (dataset) of an availability matrix: the group's variables it holds and the
/// years they cover.
pub struct Availability {
    pub register: NamedNode,
    pub variables: Vec<NamedNode>,
    pub years: BTreeSet<i32>,
    /// Some years come from the register's own coverage, for variables that state none.
    pub from_register: bool,
}

/// A concept's availability, register by year (like IPUMS): one row per register holding a
/// variable of the group, in IRI order, and every year from the first covered to the last.
pub struct Matrix {
    pub rows: Vec<Availability>,
    pub years: Vec<i32>,
}

/// The availability matrix of a group: each variable's coverage (`dct:temporal`), or where it
/// states none the coverage of the register holding it; open periods run to `this_year`.
pub fn availability(cat: &Catalogue, group: &Group, this_year: i32) -> Result<Matrix, StoreError> {
    let mut rows: BTreeMap<NamedNode, Availability> = BTreeMap::new();
    let mut register_years: HashMap<NamedNode, BTreeSet<i32>> = HashMap::new();
    for m in &group.members {
        let v = &m.variable;
        let own = years(&v.temporal, this_year);
        for d in &v.datasets {
            if !register_years.contains_key(d) {
                let ys = match cat.public_resource(d.as_ref())? {
                    Some((_, Resource::Dataset(ds))) => years(&ds.temporal, this_year),
                    Some(_) => BTreeSet::new(),
                    None => continue, // not a public register
                };
                register_years.insert(d.clone(), ys);
            }
            let register = register_years.get(d).cloned().unwrap_or_default();
            // a variable is in a register's data only in the years the register holds data: its
            // own years within the register's (one variable shared by inpatient care since 1964
            // and outpatient care since 2001 is in the outpatient register from 2001); with no
            // years of its own, the register's years stand for it, and the page says so
            let (covered, from_register) = match (own.is_empty(), register.is_empty()) {
                (true, _) => {
                    let from = !register.is_empty();
                    (register, from)
                }
                (false, true) => (own.clone(), false),
                (false, false) => {
                    let within: BTreeSet<i32> = own.intersection(&register).copied().collect();
                    let from = within != own;
                    (within, from)
                }
            };
            let row = rows.entry(d.clone()).or_insert_with(|| Availability {
                register: d.clone(),
                variables: Vec::new(),
                years: BTreeSet::new(),
                from_register: false,
            });
            row.variables.push(v.iri.clone());
            row.years.extend(covered);
            row.from_register |= from_register;
        }
    }
    let all: BTreeSet<i32> = rows.values().flat_map(|r| r.years.iter().copied()).collect();
    let years = match (all.first(), all.last()) {
        (Some(a), Some(b)) => (*a..=*b).collect(),
        _ => Vec::new(),
    };
    Ok(Matrix { rows: rows.into_values().collect(), years })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Temporal;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new(format!("https://x.se/{s}")).unwrap()
    }

    fn facts(name: &str) -> Facts {
        Facts { name: Some(fold::name(name)), ..Facts::default() }
    }

    #[test]
    fn a_shared_concept_is_the_strongest_signal_and_comes_first() {
        let mut a = facts("DIAG");
        let mut b = facts("diag");
        a.concepts.insert(iri("begrepp/diagnos"));
        b.concepts.insert(iri("begrepp/diagnos"));
        assert_eq!(signals(&a, &b, &[]), vec![Signal::Concept(iri("begrepp/diagnos")), Signal::Name("diag".into())]);
    }

    #[test]
    fn technical_names_match_without_case_and_marks_and_only_as_the_weakest_signal() {
        assert_eq!(signals(&facts("Kon"), &facts("kon"), &[]), vec![Signal::Name("kon".into())]);
        assert_eq!(signals(&facts("KÖN"), &facts("Kon"), &[]), vec![Signal::Name("kon".into())]);
        assert!(signals(&facts("Kon"), &facts("Lan"), &[]).is_empty());
        assert!(signals(&Facts::default(), &Facts::default(), &[]).is_empty(), "no name is no signal");
    }

    #[test]
    fn a_coding_system_and_its_versions_match() {
        let (se, who, atc) = (iri("icd-10-se"), iri("icd-10"), iri("atc"));
        let mut hdia = facts("HDIA");
        hdia.coding_systems.insert(se.clone());
        let mut ulorsak = facts("ULORSAK");
        ulorsak.coding_systems.insert(who.clone());
        let mut dia1 = facts("DIA1");
        dia1.coding_systems.insert(se.clone());
        let versions = vec![(se.clone(), who.clone())];
        assert_eq!(signals(&hdia, &ulorsak, &versions), vec![Signal::CodingSystemVersion(se.clone(), who.clone())]);
        assert_eq!(signals(&ulorsak, &hdia, &versions), vec![Signal::CodingSystemVersion(se.clone(), who.clone())]);
        assert!(signals(&hdia, &ulorsak, &[]).is_empty(), "without the version link, two systems are two systems");
        assert_eq!(signals(&hdia, &dia1, &versions), vec![Signal::CodingSystem(se.clone())]);
        let mut atc_var = facts("ATC");
        atc_var.coding_systems.insert(atc);
        assert!(signals(&hdia, &atc_var, &versions).is_empty());
    }

    #[test]
    fn code_lists_match_when_the_same_or_sharing_codes_with_their_labels() {
        let kon = |list: &str, codes: &[(&str, &str)]| Facts {
            code_list: Some(iri(list)),
            codes: codes.iter().map(|(n, l)| Code::new(n, l)).collect(),
            ..Facts::default()
        };
        let a = kon("kon", &[("1", "Man"), ("2", "Kvinna")]);
        assert_eq!(signals(&a, &kon("kon", &[]), &[]), vec![Signal::CodeList(iri("kon"))]);
        assert_eq!(
            signals(&a, &kon("kon-scb", &[("1", "man"), ("2", " Kvinna "), ("3", "Okänt")]), &[]),
            vec![Signal::SharedCodes(vec!["1".into(), "2".into()])]
        );
        // the same codes with other meanings are not the same list
        assert!(signals(&a, &kon("vardtyp", &[("1", "Sluten vård"), ("2", "Öppen vård")]), &[]).is_empty());
        // one code in common with a long list is chance
        let long = kon("x", &[("1", "Man"), ("7", "a"), ("8", "b")]);
        assert!(signals(&kon("y", &[("1", "Man"), ("5", "c"), ("6", "d")]), &long, &[]).is_empty());
    }

    #[test]
    fn an_empty_cell_is_not_stated_and_case_and_spacing_do_not_differ() {
        let row = |v: &[&str]| judge(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(row(&["Kon", "kon", " KON "]), vec![Cell::Same, Cell::Same, Cell::Same]);
        assert_eq!(row(&["Kön", "", "Sex"]), vec![Cell::Same, Cell::NotStated, Cell::Differs]);
        assert_eq!(
            row(&["", "Sträng", "sträng"]),
            vec![Cell::NotStated, Cell::Same, Cell::Same],
            "the first stated value is the reference"
        );
        assert_eq!(row(&["Angiven  huvuddiagnos", "angiven huvuddiagnos"]), vec![Cell::Same, Cell::Same]);
    }

    #[test]
    fn code_lists_are_compared_by_code() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let c = compare_codes(&s(&["1", "2", "9"]), &s(&["2", "1", "3"]));
        assert_eq!(c.shared, s(&["1", "2"]));
        assert_eq!(c.only_a, s(&["9"]));
        assert_eq!(c.only_b, s(&["3"]));
        assert!(c.differs());
        assert!(!compare_codes(&s(&["1", "2"]), &s(&["2", "1"])).differs());
    }

    #[test]
    fn technical_names_sort_as_people_read_them() {
        let mut names = vec!["DIA10", "DIA2", "HDIA", "DIA1"];
        names.sort_by_key(|n| natural(n));
        assert_eq!(names, vec!["DIA1", "DIA2", "DIA10", "HDIA"]);
    }

    #[test]
    fn periods_cover_their_years_and_open_ones_run_to_this_year() {
        let p = |a: &str, b: Option<&str>| Period { start: Temporal::read(a), end: b.and_then(Temporal::read) };
        assert_eq!(years(&[p("1997", None)], 2000), BTreeSet::from([1997, 1998, 1999, 2000]));
        assert_eq!(years(&[p("2001-01-01", Some("2002-12-31")), p("2005", Some("2005"))], 2026), BTreeSet::from([2001, 2002, 2005]));
        assert!(years(&[Period { start: None, end: Temporal::read("2001") }], 2026).is_empty());
    }
}
