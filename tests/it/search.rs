//! Search relevance, folding, stemming, typos, prefixes, facets and index upkeep, asserted.

use std::collections::BTreeSet;

use oxigraph::io::RdfFormat;
use vardkatalog::catalog::{Catalogue, ImportOptions};
use vardkatalog::search::{FacetName, SearchRequest, SearchResponse, Sort};

use crate::support::{BASE, seeded_catalogue};

fn search(cat: &Catalogue, text: &str) -> SearchResponse {
    cat.index().search(&SearchRequest { text: text.into(), limit: 20, ..Default::default() }).unwrap()
}

fn first(cat: &Catalogue, text: &str) -> String {
    let r = search(cat, text);
    r.hits.first().unwrap_or_else(|| panic!("{text:?} found nothing")).iri.trim_start_matches(BASE).to_owned()
}

fn found(cat: &Catalogue, text: &str) -> Vec<String> {
    search(cat, text).hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect()
}

fn seeded() -> &'static Catalogue {
    static CAT: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    CAT.get_or_init(|| {
        let cat = seeded_catalogue();
        // an excerpt of ICD-10-SE, so that codes can be searched
        let icd = r#"
            @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dct: <http://purl.org/dc/terms/> .
            <codelist/icd-10-se-utdrag> a skos:ConceptScheme ; dct:title "ICD-10-SE (utdrag)"@sv ;
                dct:conformsTo <standard/icd-10-se> .
            <codelist/icd-10-se-utdrag/S72> a skos:Concept ; skos:notation "S72" ; skos:prefLabel "Fraktur på lårbenet"@sv ;
                skos:inScheme <codelist/icd-10-se-utdrag> .
            <codelist/icd-10-se-utdrag/S72.0> a skos:Concept ; skos:notation "S72.0" ; skos:prefLabel "Fraktur på lårbenshalsen"@sv ;
                skos:inScheme <codelist/icd-10-se-utdrag> ; skos:broader <codelist/icd-10-se-utdrag/S72> .
        "#;
        cat.import_document(icd.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).unwrap();
        cat
    })
}

#[test]
fn an_exact_technical_name_ranks_first() {
    let cat = seeded();
    assert_eq!(first(cat, "HDIA"), "variable/par-hdia");
    assert_eq!(first(cat, "hdia"), "variable/par-hdia", "case does not matter");
    assert_eq!(first(cat, "INDATUM"), "variable/par-indatum");
    assert_eq!(first(cat, "DIA12"), "variable/par-dia12");
}

#[test]
fn a_code_finds_itself_first_and_the_variables_coded_with_its_system() {
    let cat = seeded();
    let code = first(cat, "S72");
    assert!(["codelist/icd-10-se-utdrag/S72", "codelist/icd-10-se-hoftfraktur/S72"].contains(&code.as_str()), "{code}");
    let r = cat.index().search(&SearchRequest { text: "S72".into(), limit: 200, ..Default::default() }).unwrap();
    let hits: Vec<String> = r.hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert!(hits.contains(&"variable/par-hdia".to_owned()), "HDIA is coded with ICD-10-SE: {hits:?}");
    assert!(hits.contains(&"variable/par-dia1".to_owned()), "{hits:?}");
    assert!(!hits.contains(&"variable/lmed-atc".to_owned()), "ATC is not ICD-10-SE: {hits:?}");
}

#[test]
fn folding_finds_swedish_letters_from_ascii() {
    let cat = seeded();
    let hits = found(cat, "vardplatser");
    assert!(hits.iter().any(|h| h == "variable/vp-disponibla-vardplatser"), "{hits:?}");
    let hits = found(cat, "Ostergotland");
    assert!(hits.iter().any(|h| h == "codelist/lan/05"), "Östergötlands län: {hits:?}");
}

#[test]
fn stemming_matches_other_forms_in_both_languages() {
    let cat = seeded();
    // Swedish: "överbeläggning" (singular) finds "överbeläggningar"
    let hits = found(cat, "överbeläggning");
    assert!(hits.iter().any(|h| h == "variable/vp-overbelaggningar"), "{hits:?}");
    // English: "dates" finds "date"
    let hits = found(cat, "admission dates");
    assert!(hits.iter().any(|h| h == "variable/par-indatum"), "{hits:?}");
}

#[test]
fn prefixes_match_while_typing_and_typos_are_tolerated() {
    let cat = seeded();
    let hits = found(cat, "huvuddiag");
    assert_eq!(hits.first().map(String::as_str), Some("variable/par-hdia"), "{hits:?}");
    let hits = found(cat, "huvuddaignos");
    assert!(hits.iter().any(|h| h == "variable/par-hdia"), "one transposition: {hits:?}");
    let hits = found(cat, "läkemedlsregistret");
    assert!(hits.iter().any(|h| h == "dataset/lakemedelsregistret"), "one missing letter: {hits:?}");
}

#[test]
fn the_head_of_a_compound_finds_the_compound() {
    let cat = seeded();
    let r = cat.index().search(&SearchRequest { text: "diagnos".into(), limit: 200, ..Default::default() }).unwrap();
    assert!(r.hits.iter().any(|h| h.iri.ends_with("variable/par-hdia")), "diagnos finds huvuddiagnos");
    let hits = found(cat, "platser");
    assert!(hits.iter().any(|h| h.contains("vardplatser")), "platser finds vårdplatser: {hits:?}");
}

#[test]
fn a_label_match_outranks_a_definition_match() {
    let cat = seeded();
    let hits = found(cat, "utskrivningsdatum");
    assert_eq!(hits.first().map(String::as_str), Some("variable/par-utdatum"), "{hits:?}");
}

#[test]
fn facets_count_filter_and_combine() {
    let cat = seeded();
    let all = cat.index().search(&SearchRequest { limit: 10, ..Default::default() }).unwrap();
    let kinds = all.facets.iter().find(|f| f.name == FacetName::Kind).unwrap();
    let variables = kinds.values.iter().find(|(v, _, _)| v == "variable").unwrap().1;
    assert!(variables >= 155, "{variables}");

    let mut req = SearchRequest { limit: 200, ..Default::default() };
    req.filters.insert(FacetName::Kind, BTreeSet::from(["variable".to_owned()]));
    req.filters.insert(FacetName::Dataset, BTreeSet::from([format!("{BASE}dataset/lakemedelsregistret")]));
    let r = cat.index().search(&req).unwrap();
    assert_eq!(r.total, r.hits.len());
    assert!(r.total >= 5, "{}", r.total);
    assert!(r.hits.iter().all(|h| h.kind == "variable" && h.display.datasets.iter().any(|d| d.iri.ends_with("lakemedelsregistret"))));
    // the selected facet still shows its other values (disjunctive counts)
    let ds = r.facets.iter().find(|f| f.name == FacetName::Dataset).unwrap();
    assert!(ds.values.len() > 1 && ds.values.iter().any(|(_, _, selected)| *selected));
    // two values of one facet are alternatives
    req.filters.get_mut(&FacetName::Dataset).unwrap().insert(format!("{BASE}dataset/cancerregistret"));
    let wider = cat.index().search(&req).unwrap();
    assert!(wider.total > r.total);

    // coverage: variables covering 1970 (Patientregistret sluten vård, yes; Läkemedelsregistret, no)
    let mut req = SearchRequest { limit: 200, year_from: Some(1970), year_to: Some(1970), ..Default::default() };
    req.filters.insert(FacetName::Kind, BTreeSet::from(["variable".to_owned()]));
    let r = cat.index().search(&req).unwrap();
    assert!(r.hits.iter().any(|h| h.iri.ends_with("par-indatum") || h.iri.ends_with("par-hdia")) || r.total > 0);
    assert!(r.hits.iter().all(|h| !h.display.years.is_empty()), "only variables with a known coverage");
}

/// The count of a facet value is the total the search would give with that value chosen
/// instead of the facet's own selection (disjunctive facets), while the other facets'
/// selections stay in force.
#[test]
fn facet_counts_are_the_totals_of_the_searches_they_lead_to() {
    // counted over several segments (the seed and later imports), and over the one segment
    // a rebuild leaves
    let rebuilt = seeded_catalogue();
    rebuilt.reindex().unwrap();
    for cat in [seeded(), &rebuilt] {
        facet_counts_match_totals(cat);
    }
}

fn facet_counts_match_totals(cat: &Catalogue) {
    let count_of = |r: &SearchResponse, name: FacetName, value: &str| {
        r.facets.iter().find(|f| f.name == name).and_then(|f| f.values.iter().find(|(v, _, _)| v == value)).map(|(_, n, _)| *n)
    };
    let with = |text: &str, filters: &[(FacetName, &str)]| {
        let mut req = SearchRequest { text: text.into(), limit: 5, ..Default::default() };
        for (name, value) in filters {
            req.filters.entry(*name).or_default().insert((*value).to_owned());
        }
        cat.index().search(&req).unwrap()
    };
    let lmed = format!("{BASE}dataset/lakemedelsregistret");
    let cancer = format!("{BASE}dataset/cancerregistret");
    for text in ["", "datum"] {
        let r = with(text, &[(FacetName::Kind, "variable"), (FacetName::Dataset, &lmed)]);
        assert!(r.total > 0, "{text:?}");
        // the selected values count what was found
        assert_eq!(count_of(&r, FacetName::Kind, "variable"), Some(r.total as u64), "{text:?}");
        assert_eq!(count_of(&r, FacetName::Dataset, &lmed), Some(r.total as u64), "{text:?}");
        // another register counts what choosing it instead would find
        let other = with(text, &[(FacetName::Kind, "variable"), (FacetName::Dataset, &cancer)]);
        assert!(other.total > 0, "{text:?}: the cancer register has such variables too");
        assert_eq!(count_of(&r, FacetName::Dataset, &cancer).unwrap_or(0), other.total as u64, "{text:?}");
        // another kind counts what that kind in the chosen register would find
        let datasets = with(text, &[(FacetName::Kind, "dataset"), (FacetName::Dataset, &lmed)]);
        assert_eq!(count_of(&r, FacetName::Kind, "dataset").unwrap_or(0), datasets.total as u64, "{text:?}");
        // a facet without a selection counts within everything chosen
        let status: u64 = r.facets.iter().find(|f| f.name == FacetName::Status).map(|f| f.values.iter().map(|v| v.1).sum()).unwrap_or(0);
        assert_eq!(status, r.total as u64, "{text:?}: every record has one status");
    }
}

#[test]
fn sorting_by_label_and_paging_are_stable() {
    let cat = seeded();
    let mut req = SearchRequest { limit: 10, sort: Sort::Label, ..Default::default() };
    req.filters.insert(FacetName::Kind, BTreeSet::from(["variable".to_owned()]));
    let page1 = cat.index().search(&req).unwrap();
    req.offset = 10;
    let page2 = cat.index().search(&req).unwrap();
    // Swedish order: a–z, then å, ä, ö
    let swedish = |l: &str| -> Vec<u32> {
        l.to_lowercase()
            .chars()
            .take(8)
            .map(|c| match c {
                'å' => 123,
                'ä' => 124,
                'ö' => 125,
                c => c as u32,
            })
            .collect()
    };
    let keys: Vec<Vec<u32>> = page1.hits.iter().chain(&page2.hits).map(|h| swedish(&h.label_sv)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "labels A–Ö across two pages");
    assert!(page1.hits.iter().all(|h| page2.hits.iter().all(|g| g.iri != h.iri)));
}

#[test]
fn nothing_found_offers_near_matches() {
    let cat = seeded();
    let r = search(cat, "xyzzyplugh");
    assert_eq!(r.total, 0);
    let r = search(cat, "cancerregistrettt qqq");
    assert_eq!(r.total, 0);
    assert_eq!(r.suggestions, ["cancerregistret"], "the misspelt word corrected, the word nothing holds left out");
}

/// "Menade du" offers only searches that find something: a word corrected to a word of the
/// catalogue, spelt as the catalogue spells it; never the labels of records that happen to
/// start with similar letters, and nothing for a code-like text no record holds.
#[test]
fn suggestions_are_searches_that_find_something() {
    let cat = seed_only();
    for (typed, meant) in [
        ("lakemedlsregistret zzqx", "läkemedelsregistret"),
        ("överbelaggningarx xxyyzz", "överbeläggningar"),
        ("huvuddignos qqq", "huvuddiagnos"),
    ] {
        let r = search(cat, typed);
        assert_eq!(r.total, 0, "{typed}");
        assert_eq!(r.suggestions, [meant], "{typed}");
        assert!(search(cat, meant).total > 0, "{meant} finds something");
    }
    for nonsense in ["ZQ9X9", "xyzzyplugh", "Q99Q99Q"] {
        let r = search(cat, nonsense);
        assert_eq!(r.total, 0, "{nonsense}");
        assert!(r.suggestions.is_empty(), "{nonsense}: {:?}", r.suggestions);
    }
}

/// The seed as it is, without the ICD-10-SE excerpt the other tests add.
fn seed_only() -> &'static Catalogue {
    static CAT: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    CAT.get_or_init(seeded_catalogue)
}

fn search_all(cat: &Catalogue, text: &str) -> SearchResponse {
    cat.index().search(&SearchRequest { text: text.into(), limit: 200, ..Default::default() }).unwrap()
}

/// Every public record coded with a coding system (the `kodverk` facet), as paths.
fn coded_with(cat: &Catalogue, system: &str) -> BTreeSet<String> {
    let mut req = SearchRequest { limit: 200, ..Default::default() };
    req.filters.insert(FacetName::CodingSystem, BTreeSet::from([format!("{BASE}standard/{system}")]));
    cat.index().search(&req).unwrap().hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect()
}

/// A code of ICD-10 as a researcher types it finds the Patient Register's diagnosis variables
/// (coded with ICD-10-SE) though no code list of the catalogue holds the code: the code is
/// recognised by the form ICD-10-SE states for its codes. The first hits are all coded with
/// it; the search says what it understood.
#[test]
fn diagnosis_codes_find_the_patient_registers_diagnosis_variables() {
    let cat = seed_only();
    let icd = coded_with(cat, "icd-10-se");
    assert!(icd.contains("variable/par-hdia") && icd.contains("variable/par-dia1"), "{icd:?}");
    let who = coded_with(cat, "icd-10");
    let tumours = coded_with(cat, "icd-o-3");
    for code in ["J18", "I21", "C50", "S72", "J18.9", "i21", "S720"] {
        let r = search_all(cat, code);
        let hits: Vec<String> = r.hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
        for v in ["variable/par-hdia", "variable/par-dia1", "variable/par-dia30"] {
            assert!(hits.contains(&v.to_owned()), "{code} finds {v}: {hits:?}");
        }
        assert!(!hits.contains(&"variable/lmed-atc".to_owned()), "{code}: ATC is not ICD: {hits:?}");
        let top: Vec<&String> = hits.iter().take(10).collect();
        assert!(
            top.iter().all(|h| icd.contains(*h)
                || who.contains(*h)
                || tumours.contains(*h)
                || h.starts_with("codelist/icd-10-se")
                || h.starts_with("usecase/")),
            "{code}: the first hits are coded with ICD-10-SE, WHO's ICD-10 (or ICD-O-3), or quote the code: {top:?}"
        );
        let understood = r.recognised.iter().find(|x| x.is_code).unwrap_or_else(|| panic!("{code}: {:?}", r.recognised));
        assert!(understood.systems.iter().any(|s| s.iri.ends_with("standard/icd-10-se")), "{code}: {understood:?}");
        assert!(r.suggestions.is_empty(), "{code}: {:?}", r.suggestions);
    }
    // the cause-of-death register codes with WHO's ICD-10
    let hits: Vec<String> = search_all(cat, "I21").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert!(hits.contains(&"variable/dors-ulorsak".to_owned()), "{hits:?}");
    // C50 is also a topography code of ICD-O-3: the cancer register's tumour code
    let hits: Vec<String> = search_all(cat, "C50").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert!(hits.contains(&"variable/can-icdo3".to_owned()), "{hits:?}");
    // other systems: KVÅ and ATC
    let hits: Vec<String> = search_all(cat, "NFJ49").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert!(hits.contains(&"variable/par-op".to_owned()), "{hits:?}");
    assert!(!hits.contains(&"variable/par-hdia".to_owned()), "{hits:?}");
    let hits: Vec<String> = search_all(cat, "A10BA02").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert_eq!(hits.first().map(String::as_str), Some("variable/lmed-atc"), "{hits:?}");
    assert!(!hits.contains(&"variable/par-hdia".to_owned()), "{hits:?}");
    // a code with other words: both must match
    let hits: Vec<String> = search_all(cat, "J18 huvuddiagnos").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert_eq!(hits.first().map(String::as_str), Some("variable/par-hdia"), "{hits:?}");
    assert!(!hits.contains(&"variable/par-dia1".to_owned()), "{hits:?}");
}

/// A code that a code list of the catalogue holds finds the code first, then the list.
#[test]
fn a_code_in_a_code_list_finds_the_code_then_the_list() {
    let cat = seed_only();
    let hits: Vec<String> = search_all(cat, "S72").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert_eq!(hits[..2], ["codelist/icd-10-se-hoftfraktur/S72", "codelist/icd-10-se-hoftfraktur"], "{hits:?}");
    let r = search_all(cat, "S720");
    assert_eq!(r.hits[0].iri, format!("{BASE}codelist/icd-10-se-hoftfraktur/S72.0"), "as the register writes it");
    let understood = &r.recognised[0];
    assert_eq!(understood.codes.iter().map(|c| c.notation.as_str()).collect::<Vec<_>>(), ["S72.0"]);
    // a range as the use cases write it
    let hits: Vec<String> = search_all(cat, "S72.0–S72.2").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert!(hits.contains(&"variable/par-hdia".to_owned()), "{hits:?}");
}

/// Clinical words reach the variables through the codes they name: "höftfraktur" is a search
/// word of S72.0–S72.2, "lårbenshalsfraktur" a synonym of S72.0, "femur" in the titles of S72
/// and its codes; those codes are ICD-10-SE codes, so the Patient Register's diagnosis
/// variables are found, beside the hip-fracture register.
#[test]
fn clinical_words_reach_the_diagnosis_variables_through_codes_and_synonyms() {
    let cat = seed_only();
    for (words, code) in [
        ("höftfraktur", "codelist/icd-10-se-hoftfraktur/S72.0"),
        ("lårbenshalsfraktur", "codelist/icd-10-se-hoftfraktur/S72.0"),
        ("femur", "codelist/icd-10-se-hoftfraktur/S72"),
        ("hip fracture", "codelist/icd-10-se-hoftfraktur/S72.1"),
        ("lårbenshalsfrakturer", "codelist/icd-10-se-hoftfraktur/S72.0"),
    ] {
        let r = search_all(cat, words);
        let hits: Vec<String> = r.hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
        assert!(hits.contains(&code.to_owned()), "{words} finds {code}: {hits:?}");
        let page: Vec<&String> = hits.iter().take(20).collect();
        assert!(page.contains(&&"variable/par-hdia".to_owned()), "{words}: the main diagnosis on the first page: {page:?}");
        let understood = r.recognised.iter().find(|x| !x.is_code).unwrap_or_else(|| panic!("{words}: {:?}", r.recognised));
        assert!(understood.systems.iter().any(|s| s.iri.ends_with("standard/icd-10-se")), "{words}: {understood:?}");
        assert!(understood.codes.iter().any(|c| code.ends_with(&c.notation)), "{words}: {understood:?}");
    }
    let hits = found(cat, "höftfraktur");
    assert!(hits.contains(&"dataset/rikshoft".to_owned()), "the hip-fracture register itself: {hits:?}");
    // typing the start of a synonym
    let hits: Vec<String> = search_all(cat, "lårbenshals").hits.iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect();
    assert!(hits.contains(&"codelist/icd-10-se-hoftfraktur/S72.0".to_owned()), "{hits:?}");
}

#[test]
fn snippets_highlight_the_matched_words() {
    let cat = seeded();
    let r = search(cat, "patienten skrivs");
    let hit = r.hits.iter().find(|h| h.iri.ends_with("par-indatum")).expect("INDATUM");
    let marked: Vec<&str> = hit.snippet.iter().filter(|f| f.highlighted).map(|f| f.text.as_str()).collect();
    assert_eq!(marked, ["patienten", "skrivs"], "{:?}", hit.snippet);
}

#[test]
fn the_index_follows_every_change_and_is_rebuilt_only_when_stale() {
    let (_dir, config) = crate::support::temp_config();
    let cat = vardkatalog::app::open_and_seed(&config).unwrap();
    let generation = cat.store().generation().unwrap();
    assert_eq!(cat.index().generation(), Some(generation));
    assert!(!cat.ensure_index_current().unwrap(), "a current index is not rebuilt");

    // a renamed dataset: its variables are found under the new name at once
    let ttl = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <dataset/ny> a dcat:Dataset ; dct:title "Zebraregistret"@sv .
        <variable/ny-x> a <http://rdf-vocabulary.ddialliance.org/discovery#Variable> ; <http://www.w3.org/2004/02/skos/core#prefLabel> "Randighet"@sv .
        <dataset/ny> <http://rdf-vocabulary.ddialliance.org/discovery#variable> <variable/ny-x> ."#;
    let browse = SearchRequest { limit: 10, ..Default::default() };
    let before = cat.index().search(&browse).unwrap().total;
    assert_eq!(cat.index().search(&browse).unwrap().total, before, "the browse, asked twice");
    cat.import_document(ttl.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).unwrap();
    assert_eq!(first(&cat, "randighet"), "variable/ny-x");
    let after = cat.index().search(&browse).unwrap();
    assert_eq!(after.total, before + 2, "the browse (cached per commit) counts the new dataset and variable");
    let kinds = after.facets.iter().find(|f| f.name == FacetName::Kind).unwrap();
    assert_eq!(kinds.values.iter().map(|v| v.1).sum::<u64>(), after.total as u64, "and so do its facets");
    assert!(found(&cat, "zebraregistret").contains(&"variable/ny-x".to_owned()), "found through its register");
    let renamed = ttl.replace("Zebraregistret", "Tigerregistret");
    cat.import_document(renamed.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).unwrap();
    assert!(!found(&cat, "tigerregistret").is_empty());
    assert!(found(&cat, "zebraregistret").is_empty(), "the old name is gone from the variable's document too");

    // drafts are not searchable
    let draft = r#"<variable/hemlig> a <http://rdf-vocabulary.ddialliance.org/discovery#Variable> ; <http://www.w3.org/2004/02/skos/core#prefLabel> "Hemligt utkast"@sv ."#;
    let mut opts = ImportOptions::published_import();
    opts.state = vardkatalog::store::RecordState::Draft;
    cat.import_document(draft.as_bytes(), RdfFormat::Turtle, &opts).unwrap();
    assert!(found(&cat, "hemligt utkast").is_empty());
    drop(cat);

    // reopening: current, not rebuilt; a deleted index is rebuilt
    let cat = vardkatalog::app::open_catalogue(&config).unwrap();
    assert!(!cat.ensure_index_current().unwrap());
    drop(cat);
    std::fs::remove_dir_all(config.index_dir()).unwrap();
    let cat = vardkatalog::app::open_catalogue(&config).unwrap();
    assert!(cat.ensure_index_current().unwrap());
    assert_eq!(first(&cat, "randighet"), "variable/ny-x");
    let generation = cat.store().generation().unwrap();
    drop(cat);

    // an index written by an older schema version (same store generation) is rebuilt
    {
        let index = tantivy::Index::open_in_dir(config.index_dir()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&format!(r#"{{"schema":1,"generation":{generation}}}"#));
        commit.commit().unwrap();
    }
    let cat = vardkatalog::app::open_catalogue(&config).unwrap();
    assert_eq!(cat.index().generation(), None, "an index of another schema version is not taken as current");
    assert!(cat.ensure_index_current().unwrap(), "and is rebuilt");
    assert_eq!(first(&cat, "randighet"), "variable/ny-x");
}

/// Labels for links (facet values, the variable list, compare) come from the public records.
#[test]
fn labels_of_linked_records() {
    let cat = seeded();
    let iri = |p: &str| oxigraph::model::NamedNode::new(format!("{BASE}{p}")).unwrap();
    let asked = [iri("dataset/lakemedelsregistret"), iri("agent/inera#kontakt"), iri("variable/par-hdia"), iri("dataset/finns-inte")];
    let labels = cat.labels(&asked).unwrap();
    assert_eq!(labels[&asked[0]].best("sv"), "Läkemedelsregistret");
    assert!(
        !labels[&asked[1]].best("sv").is_empty() && labels[&asked[1]].best("sv").contains("Inera"),
        "a contact point by its agent's name: {:?}",
        labels[&asked[1]]
    );
    assert!(labels[&asked[2]].best("sv").to_lowercase().contains("diagnos"), "{:?}", labels[&asked[2]]);
    assert!(!labels.contains_key(&asked[3]), "not a public record");
}

/// Hits of the same relevance come in Swedish alphabetical order of their labels, not in the
/// order the index happens to hold them (which a rebuild or an update may shuffle): J18's
/// diagnosis variables score alike, and the results, a page and the next, and the order in
/// which checked hits are compared are the same every time.
#[test]
fn hits_of_equal_relevance_come_in_alphabetical_order() {
    // the first eight letters, a–z then å, ä, ö (the order the label sort uses)
    fn key(label: &str) -> Vec<u32> {
        let letter = |c: char| match c {
            'å' => 'z' as u32 + 1,
            'ä' => 'z' as u32 + 2,
            'ö' => 'z' as u32 + 3,
            c => c as u32,
        };
        label.trim().chars().flat_map(char::to_lowercase).take(8).map(letter).collect()
    }
    let cat = seed_only();
    let hits = search_all(cat, "J18").hits;
    let mut ties = 0;
    for pair in hits.windows(2) {
        if pair[0].score == pair[1].score {
            ties += 1;
            assert!(key(&pair[0].label_sv) <= key(&pair[1].label_sv), "{} before {}", pair[0].label_sv, pair[1].label_sv);
        }
    }
    assert!(ties > 5, "J18's diagnosis variables score alike: {ties}");
    let first: Vec<&str> = hits.iter().map(|h| h.iri.trim_start_matches(BASE)).collect();
    let hdia = first.iter().position(|h| *h == "variable/par-hdia").unwrap();
    let ulorsak = first.iter().position(|h| *h == "variable/dors-ulorsak").unwrap();
    assert!(hdia < ulorsak, "Huvuddiagnos before Underliggande dödsorsak: {first:?}");
}
