//! Every path of the site, in one place: the patterns routes are registered under and the
//! functions that build links to them. A handler or view never writes a path as a string; it
//! calls a function here, so a path is written once.

use crate::model::record::RecordKind;

pub const HOME: &str = "/";
pub const ABOUT: &str = "/om";
pub const ABOUT_DATA: &str = "/om/data";
pub const HEALTH: &str = "/healthz";
pub const READY: &str = "/readyz";
pub const METRICS: &str = "/metrics";
pub const STYLESHEET: &str = "/static/style.css";
pub const SEARCH_SCRIPT: &str = "/static/search.js";
pub const LIST_SCRIPT: &str = "/static/list.js";
pub const SEARCH: &str = "/sok";
pub const SEARCH_API: &str = "/api/v1/search";
pub const SUGGEST_API: &str = "/api/v1/suggest";
pub const SUGGEST_SCRIPT: &str = "/static/suggest.js";
pub const FORMS_SCRIPT: &str = "/static/forms.js";
/// The API's page for people (the OpenAPI document rendered).
pub const API_PAGE: &str = "/api";
pub const API_DOCUMENT: &str = "/api/v1/openapi.json";
pub const API_BATCH: &str = "/api/v1/batch";
pub const API_COLLECTION: &str = "/api/v1/{collection}";
pub const API_RECORD: &str = "/api/v1/{collection}/{id}";
pub const API_STEP: &str = "/api/v1/{collection}/{id}/{action}";
pub const COMPARE: &str = "/jamfor";
/// A concept's availability, register by year (`?begrepp=IRI`: a variable, code, code list or
/// coding system), and the same as CSV.
pub const AVAILABILITY: &str = "/tillganglighet";
pub const AVAILABILITY_CSV: &str = "/tillganglighet.csv";
pub const FOREIGN_RECORD: &str = "/resurs";
pub const LOGIN: &str = "/login";
pub const LOGOUT: &str = "/logout";
pub const WORK: &str = "/arbete";
/// Several drafts at once: send for review or publish (POST).
pub const WORK_BULK: &str = "/arbete/flera";
pub const USERS: &str = "/admin/anvandare";
pub const USER: &str = "/admin/anvandare/{name}";
pub const AUDIT_LOG: &str = "/admin/logg";
pub const HARVEST: &str = "/admin/hamtning";
pub const VARIABLE_LIST: &str = "/variabellista";
pub const VARIABLE_LIST_EXPORT: &str = "/variabellista.{ext}";
pub const VARIABLE_LIST_ADD: &str = "/variabellista/lagg-till";
pub const VARIABLE_LIST_REMOVE: &str = "/variabellista/ta-bort";
pub const VARIABLE_LIST_CLEAR: &str = "/variabellista/tom";
pub const VARIABLE_LIST_ADD_ALL: &str = "/variabellista/lagg-till-alla";
pub const VARIABLE_LIST_SAVE: &str = "/variabellista/spara";
/// The data request of this browser's list or of a list's link (`?v=`), and one holder's part.
pub const VARIABLE_LIST_REQUEST: &str = "/variabellista/ansokan";
pub const VARIABLE_LIST_REQUEST_PART: &str = "/variabellista/ansokan/{holder}.{ext:csv|xlsx|json}";
/// A saved list (its id: 16 of `a–z2–7`), its exports, removal, data request and parts.
pub const SAVED_LIST: &str = "/variabellista/{id:[a-z2-7]{16}}";
pub const SAVED_LIST_EXPORT: &str = "/variabellista/{id:[a-z2-7]{16}}.{ext:csv|xlsx|json}";
pub const SAVED_LIST_DELETE: &str = "/variabellista/{id:[a-z2-7]{16}}/ta-bort";
pub const SAVED_LIST_REQUEST: &str = "/variabellista/{id:[a-z2-7]{16}}/ansokan";
pub const SAVED_LIST_REQUEST_PART: &str = "/variabellista/{id:[a-z2-7]{16}}/ansokan/{holder}.{ext:csv|xlsx|json}";
pub const VARIABLE_EXPORT: &str = "/variable/{id:[a-z0-9-]+}.{ext:json|csv}";
pub const COLLECTIONS: &str = "/datainsamling";
pub const COLLECTION: &str = "/datainsamling/{id}";
pub const COLLECTION_FILE: &str = "/datainsamling/{id}/{file}";
pub const DELIVERY_CHECK: &str = "/kontroll/leverans";
pub const QUALITY: &str = "/kvalitet";
pub const QUALITY_DATASET: &str = "/kvalitet/dataset/{id}";
pub const QUALITY_API: &str = "/api/v1/quality";
pub const QUALITY_DATASET_API: &str = "/api/v1/quality/dataset/{id}";
pub const EHDS: &str = "/kvalitet/ehds";
pub const EHDS_CSV: &str = "/kvalitet/ehds.csv";
pub const EHDS_API: &str = "/api/v1/ehds";
/// The quality and utility label's specification (its metrics' IRIs are fragments of it).
pub const LABEL_SPEC: &str = "/kvalitetsmarkning";
pub const LABEL: &str = "/dataset/{id}/kvalitetsmarkning";
pub const LABEL_API: &str = "/api/v1/quality/dataset/{id}/label";
pub const ATTEST: &str = "/dataset/{id}/intyga";
pub const OVERDUE_FEED: &str = "/kvalitet/forsenade.atom";
pub const MATURITY: &str = "/agent/{id}/mognad";
pub const DELIVERIES: &str = "/datainsamling/{id}/leveranser";
pub const DELIVERIES_CSV: &str = "/datainsamling/{id}/leveranser.csv";
pub const DELIVERIES_API: &str = "/api/v1/datainsamling/{id}/leveranser";
pub const IMPORT: &str = "/import";
pub const IMPORT_CONFIRM: &str = "/import/bekrafta";
/// The import guide (docs/import.md as a page).
pub const IMPORT_GUIDE: &str = "/import/guide";
/// The template workbook, generated from what the importer reads.
pub const IMPORT_TEMPLATE: &str = "/import/mall.xlsx";
pub const FEED: &str = "/feed.atom";
pub const DATASET_FEED: &str = "/dataset/{id}/feed.atom";
pub const DATASET_EXPORT: &str = "/dataset/{id}/variabler.{ext:xlsx|csv}";
pub const CHANGES: &str = "/andringar";
pub const CHANGES_FEED: &str = "/andringar.atom";
/// One published version of a record (its versioned IRI, `{base}{kind}/{id}/version/{n}`).
pub const VERSION: &str = "/{kind}/{id}/version/{n}";
pub const CITE: &str = "/variable/{id}/citera";
pub const CONCEPT: &str = "/codelist/{list}/{code}";
pub const LIST: &str = "/{kind}";
pub const RECORD: &str = "/{kind}/{id}";
/// The form of a new record, and the edit form of a record, of every kind with a form.
pub const NEW_FORM: &str = "/{kind:dataset|variable|codelist|usecase}/ny";
pub const EDIT_FORM: &str = "/{kind:dataset|variable|codelist|usecase}/{id}/redigera";
/// The kinds that have curation pages, as a route segment.
pub const CURATED_KINDS: &str = "{kind:dataset|variable|codelist|usecase|agent|standard|distribution|dataservice}";
pub const CATALOG: &str = "/catalog";
pub const CATALOG_SUFFIX: &str = "/catalog.{ext}";
pub const VALIDATOR: &str = "/kontroll";
pub const VALIDATOR_RULES: &str = "/kontroll/regler";
pub const VALIDATE_API: &str = "/api/v1/validate";
pub const HARVEST_SOURCES: &str = "/admin/hamtning/kallor";
pub const HARVEST_START: &str = "/admin/hamtning/kor/{id}";
pub const HARVEST_RUN: &str = "/admin/hamtning/korning/{run}";

/// The route pattern of a curation page or action of a record (`utkast`, `historik`,
/// `skicka`, `publicera`, `aterforvisa`, `utfasa`, `aterstall`, `kommentar`).
pub fn curation_route(tail: &str) -> String {
    format!("/{CURATED_KINDS}/{{id}}/{tail}")
}

/// A curation page or action of a record.
pub fn curation(kind: RecordKind, id: &str, tail: &str) -> String {
    format!("/{}/{id}/{tail}", kind.as_str())
}

/// A harvest run's report.
pub fn harvest_run(run: u64) -> String {
    format!("/admin/hamtning/korning/{run}")
}
pub const SPARQL: &str = "/sparql";

/// The site's own record page of a kind and id.
pub fn record(kind: RecordKind, id: &str) -> String {
    format!("/{}/{id}", kind.as_str())
}

/// The list page of a kind.
pub fn list(kind: RecordKind) -> String {
    format!("/{}", kind.as_str())
}

/// Page `n` of a kind's list.
pub fn list_page(kind: RecordKind, n: u64) -> String {
    format!("/{}?sida={n}", kind.as_str())
}

/// A record's draft page.
pub fn draft(kind: RecordKind, id: &str) -> String {
    format!("/{}/{id}/utkast", kind.as_str())
}

/// A record's edit form.
pub fn edit(kind: RecordKind, id: &str) -> String {
    format!("/{}/{id}/redigera", kind.as_str())
}

/// The form of a new record of a kind.
pub fn new_record(kind: RecordKind) -> String {
    format!("/{}/ny", kind.as_str())
}

/// A record's history.
pub fn history(kind: RecordKind, id: &str) -> String {
    format!("/{}/{id}/historik", kind.as_str())
}

/// A published version's page.
pub fn version(kind: RecordKind, id: &str, n: u64) -> String {
    format!("/{}/{id}/version/{n}", kind.as_str())
}

/// A variable's citation in a format (`bibtex`, `csl-json`, `ris`, `text`), of one version
/// or (`None`) the current one.
pub fn cite(id: &str, format: &str, version: Option<u64>) -> String {
    match version {
        Some(n) => format!("/variable/{id}/citera?format={format}&version={n}"),
        None => format!("/variable/{id}/citera?format={format}"),
    }
}

/// A record's page as published on a day (`YYYY-MM-DD`).
pub fn as_of(path: &str, day: &str) -> String {
    format!("{path}?per={}", crate::model::ids::encode_query(day))
}

/// The list of published changes: older than revision `before`, of one class (`typ`), about
/// some variables (`v`, ids).
pub fn changes(before: Option<u64>, class: Option<&str>, variables: &[String]) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(c) = class {
        pairs.push(("typ", c.to_owned()));
    }
    for v in variables {
        pairs.push(("v", v.clone()));
    }
    if let Some(b) = before {
        pairs.push(("fore", b.to_string()));
    }
    if pairs.is_empty() { CHANGES.to_owned() } else { format!("{CHANGES}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default()) }
}

/// The feed of breaking changes, of some variables (ids) or of all.
pub fn changes_feed(variables: &[String]) -> String {
    let pairs: Vec<(&str, &str)> = variables.iter().map(|v| ("v", v.as_str())).collect();
    if pairs.is_empty() {
        CHANGES_FEED.to_owned()
    } else {
        format!("{CHANGES_FEED}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }
}

/// A record shown by IRI (harvested records keep their own IRI).
pub fn foreign(iri: &str) -> String {
    format!("{FOREIGN_RECORD}?iri={}", crate::model::ids::encode_query(iri))
}

/// The sign-in page, returning to `next` afterwards.
pub fn login(next: &str) -> String {
    format!("{LOGIN}?{}", serde_urlencoded::to_string([("next", next)]).unwrap_or_default())
}

/// The search page for these query pairs.
pub fn search(pairs: &[(&str, &str)]) -> String {
    format!("{SEARCH}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

/// The comparison of these variables (IRIs).
pub fn compare(iris: &[&str]) -> String {
    let pairs: Vec<(&str, &str)> = iris.iter().map(|i| ("v", *i)).collect();
    format!("{COMPARE}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

/// The availability matrix of a concept (its IRI).
pub fn availability(iri: &str) -> String {
    format!("{AVAILABILITY}?begrepp={}", crate::model::ids::encode_query(iri))
}

/// The availability matrix of a concept as CSV.
pub fn availability_csv(iri: &str) -> String {
    format!("{AVAILABILITY_CSV}?begrepp={}", crate::model::ids::encode_query(iri))
}

/// Page `n` of the audit log.
pub fn audit_log_page(n: usize) -> String {
    format!("{AUDIT_LOG}?sida={n}")
}

/// A dataset's quality breakdown.
pub fn quality_dataset(id: &str) -> String {
    format!("/kvalitet/dataset/{id}")
}

/// A dataset's quality and utility label.
pub fn label_page(id: &str) -> String {
    format!("/dataset/{id}/kvalitetsmarkning")
}

/// A dataset's label as JSON.
pub fn label_api(id: &str) -> String {
    format!("/api/v1/quality/dataset/{id}/label")
}

/// Where a dataset's yearly confirmation is posted.
pub fn attest(id: &str) -> String {
    format!("/dataset/{id}/intyga")
}

/// An organisation's maturity form.
pub fn maturity(id: &str) -> String {
    format!("/agent/{id}/mognad")
}

/// A data collection's deliveries (`ext` empty for the page, `csv` for the download).
pub fn deliveries(id: &str, ext: &str) -> String {
    if ext.is_empty() { format!("/datainsamling/{id}/leveranser") } else { format!("/datainsamling/{id}/leveranser.{ext}") }
}

/// Where a region posts a delivery report.
pub fn deliveries_api(id: &str) -> String {
    format!("/api/v1/datainsamling/{id}/leveranser")
}

/// A dataset's variables in the workbook layout (`xlsx`, `csv`).
pub fn dataset_export(id: &str, ext: &str) -> String {
    format!("/dataset/{id}/variabler.{ext}")
}

/// A dataset's change feed.
pub fn dataset_feed(id: &str) -> String {
    format!("/dataset/{id}/feed.atom")
}

/// One variable as a download (`json`, `csv`).
pub fn variable_export(id: &str, ext: &str) -> String {
    format!("/variable/{id}.{ext}")
}

/// The import page after `n` records were saved as the revisions `from..=to`.
pub fn import_done(n: usize, from: u64, to: u64) -> String {
    format!("{IMPORT}?klart={n}&fran={from}&till={to}")
}

/// The work list after a bulk step (`skickade` or `publicerade`: how many).
pub fn work_done(what: &str, n: usize) -> String {
    format!("{WORK}?{what}={n}")
}

/// One page of the harvest document in a profile.
pub fn catalog_page(profile: &str, page: u64) -> String {
    format!("{CATALOG}?profile={profile}&page={page}")
}

/// A collection of the JSON API (`variables`, `datasets`, …).
pub fn api_collection(segment: &str) -> String {
    API_COLLECTION.replace("{collection}", segment)
}

/// A record of the JSON API.
pub fn api_record(segment: &str, id: &str) -> String {
    API_RECORD.replace("{collection}", segment).replace("{id}", id)
}

/// The SPARQL page with a query filled in.
pub fn sparql(query: &str) -> String {
    format!("{SPARQL}?query={}", crate::model::ids::encode_query(query))
}

/// A saved list.
pub fn saved_list(id: &str) -> String {
    format!("{VARIABLE_LIST}/{id}")
}

/// A saved list as a download (`csv`, `xlsx`, `json`).
pub fn saved_list_export(id: &str, ext: &str) -> String {
    format!("{VARIABLE_LIST}/{id}.{ext}")
}

/// A saved list's data request.
pub fn saved_list_request(id: &str) -> String {
    format!("{VARIABLE_LIST}/{id}/ansokan")
}

/// The data request of a list's link (`query` is `v=…&v=…`).
pub fn list_request(query: &str) -> String {
    format!("{VARIABLE_LIST_REQUEST}?{query}")
}

/// A list named by its link (`query` is `v=…&v=…`).
pub fn shared_list(query: &str) -> String {
    format!("{VARIABLE_LIST}?{query}")
}

/// A data collection's page.
pub fn collection(id: &str) -> String {
    format!("{COLLECTIONS}/{id}")
}

/// One of a data collection's machine-readable files (`tableschema.json`, `csvw-metadata.json`).
pub fn collection_file(id: &str, file: &str) -> String {
    format!("{COLLECTIONS}/{id}/{file}")
}

/// The delivery check with a collection chosen (none: `id` empty).
pub fn delivery_check(id: &str) -> String {
    if id.is_empty() {
        DELIVERY_CHECK.to_owned()
    } else {
        format!("{DELIVERY_CHECK}?datainsamling={}", crate::model::ids::encode_query(id))
    }
}

/// The variable list with a message (`full`).
pub fn variable_list_message(message: &str) -> String {
    format!("{VARIABLE_LIST}?meddelande={message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_built_the_way_routes_match_them() {
        assert_eq!(record(RecordKind::Variable, "par-hdia"), "/variable/par-hdia");
        assert_eq!(draft(RecordKind::CodeList, "kon"), "/codelist/kon/utkast");
        assert_eq!(login("/arbete?x=1"), "/login?next=%2Farbete%3Fx%3D1");
        assert_eq!(foreign("https://x.se/a b"), "/resurs?iri=https%3A%2F%2Fx.se%2Fa%20b");
        assert_eq!(compare(&["a", "b"]), "/jamfor?v=a&v=b");
        assert_eq!(version(RecordKind::Variable, "par-hdia", 3), "/variable/par-hdia/version/3");
        assert_eq!(cite("par-hdia", "bibtex", Some(2)), "/variable/par-hdia/citera?format=bibtex&version=2");
        assert_eq!(as_of("/codelist/kon", "2024-01-01"), "/codelist/kon?per=2024-01-01");
        assert_eq!(changes(Some(7), Some("bryter"), &["a".into()]), "/andringar?typ=bryter&v=a&fore=7");
        assert_eq!(changes_feed(&["a".into(), "b".into()]), "/andringar.atom?v=a&v=b");
        assert_eq!(availability("https://x.se/variable/a"), "/tillganglighet?begrepp=https%3A%2F%2Fx.se%2Fvariable%2Fa");
    }

    #[test]
    fn the_label_service_mints_the_iris_these_routes_answer() {
        let base = "https://k.se/";
        assert_eq!(crate::label::label_page(base, "kpp"), format!("https://k.se{}", label_page("kpp")));
        assert_eq!(crate::label::label_json_url(base, "kpp"), format!("https://k.se{}", label_api("kpp")));
        assert_eq!(crate::label::spec_page(base), format!("https://k.se{LABEL_SPEC}"));
        assert_eq!(LABEL.replace("{id}", "kpp"), label_page("kpp"));
        assert_eq!(DELIVERIES_CSV.replace("{id}", "kpp"), deliveries("kpp", "csv"));
    }
}
