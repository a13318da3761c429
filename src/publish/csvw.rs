//! The CSVW projection of variables for HealthDCAT-AP.
//!
//! Owns: how a dataset's `disco:Variable`s are published as a data dictionary:
//!
//! ```turtle
//! <dataset/x> healthdcatap:hasVariables <dataset/x#csvw> .
//! <dataset/x#csvw> a csvw:TableGroup ; dct:title "Variabler i …"@sv ;
//!     csvw:table <dataset/x#csvw-table> .
//! <dataset/x#csvw-table> a csvw:Table ; dct:title "…"@sv ;
//!     csvw:column <dataset/x#csvw-column-par-hdia> , … .
//! <dataset/x#csvw-column-par-hdia> a csvw:Column ;
//!     csvw:name "HDIA" ;                                  # technical name
//!     csvw:title "Huvuddiagnos"@sv ; csvw:titles "Huvuddiagnos"@sv ;   # titles: R5 only
//!     dct:description "Angiven huvuddiagnos"@sv ;
//!     csvw:datatype "string" ;                            # CSVW built-in datatype name
//!     csvw:propertyUrl <variable/par-hdia> .
//! ```
//!
//! HealthDCAT-AP Release 5's shapes ask for `csvw:titles`, which is not a term of the CSVW
//! vocabulary (that is `csvw:title`), so the older projections write both; Release 8 asks for
//! `csvw:title` (and a `dct:title` on the table group), and gets only that. Whether the dataset
//! has structured data (`hasStructuredData`) is the profile's rule (`publish::profile`). HealthDCAT-AP puts `csvw:column` directly on
//! the table (CSVW proper uses a `csvw:tableSchema`); we follow HealthDCAT-AP. A variable
//! without a definition gets a description made only of its known facts (label, technical
//! name, datatype, unit) that says the definition is missing; nothing is invented.
//! Node IRIs are fragments of the dataset IRI, so they are stable between harvests.

use oxigraph::model::{Graph, Literal, NamedNode, TripleRef};

use super::Profile;
use crate::model::vocab::{csvw, dct, healthdcatap, rdf, xsd};
use crate::model::{Dataset, LangText, Representation, Variable};

/// The IRI of a node of the projection: `{dataset}#csvw{suffix}` (or `-csvw…` when the dataset
/// IRI already has a fragment).
fn node(dataset: &NamedNode, suffix: &str) -> NamedNode {
    let sep = if dataset.as_str().contains('#') { "-" } else { "#" };
    NamedNode::new_unchecked(format!("{}{sep}csvw{suffix}", dataset.as_str()))
}

/// A column key from the variable IRI's last segment, kept to IRI-fragment-safe characters.
fn column_key(variable: &NamedNode) -> String {
    let last = variable.as_str().trim_end_matches('/').rsplit(['/', '#']).next().unwrap_or("");
    let key: String = last.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' }).collect();
    if key.is_empty() { "column".to_owned() } else { key }
}

/// The CSVW name of an XSD datatype (CSVW's built-in datatypes are the XSD local names).
pub fn csvw_datatype(representation: Option<&Representation>) -> String {
    match representation {
        Some(r) => r.datatype().as_str().strip_prefix(xsd::NS).unwrap_or("string").to_owned(),
        None => "string".to_owned(),
    }
}

/// The technical name of a column: the register's name, else the identifier, else the IRI's
/// last segment.
fn column_name(v: &Variable) -> String {
    v.notation.clone().or_else(|| v.identifier.clone()).unwrap_or_else(|| column_key(&v.iri))
}

/// The column description: the definition, or the known facts when there is none.
fn column_description(v: &Variable, name: &str, datatype: &str) -> LangText {
    if !v.definition.is_empty() {
        return v.definition.clone();
    }
    let unit = v.unit.as_deref();
    let mut out = LangText::new();
    let sv_label = v.label.best("sv");
    let mut sv = format!("{sv_label}: variabeln {name} av datatypen {datatype}");
    if let Some(u) = unit {
        sv.push_str(&format!(", enhet {u}"));
    }
    sv.push_str(". Definition saknas ännu i katalogen.");
    out.set("sv", sv);
    if let Some(en_label) = v.label.get("en") {
        let mut en = format!("{en_label}: the variable {name} of datatype {datatype}");
        if let Some(u) = unit {
            en.push_str(&format!(", unit {u}"));
        }
        en.push_str(". The catalogue has no definition of it yet.");
        out.set("en", en);
    }
    out
}

fn add_text(g: &mut Graph, s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, text: &LangText) {
    for (lang, value) in text.iter() {
        let l =
            if lang.is_empty() { Literal::new_simple_literal(value) } else { Literal::new_language_tagged_literal_unchecked(value, lang) };
        g.insert(TripleRef::new(s, p, &l));
    }
}

/// The title of a dataset's table group: "Variabler i {titel}" / "Variables of {title}".
fn group_title(dataset: &Dataset) -> LangText {
    let mut out = LangText::new();
    for (lang, title) in dataset.title.iter() {
        let text = match lang {
            "en" => format!("Variables of {title}"),
            "sv" | "" => format!("Variabler i {title}"),
            _ => title.to_owned(),
        };
        out.set(lang, text);
    }
    out
}

/// The data dictionary of a dataset, with the dataset's `hasVariables` link; empty when the
/// dataset has no variables.
pub fn table_group(dataset: &Dataset, variables: &[Variable], profile: Profile) -> Graph {
    let mut g = Graph::new();
    if variables.is_empty() {
        return g;
    }
    let ds = &dataset.iri;
    let group = node(ds, "");
    let table = node(ds, "-table");
    g.insert(TripleRef::new(ds, healthdcatap::HAS_VARIABLES, &group));
    g.insert(TripleRef::new(&group, rdf::TYPE, csvw::TABLE_GROUP));
    add_text(&mut g, &group, dct::TITLE, &group_title(dataset));
    g.insert(TripleRef::new(&group, csvw::TABLE_PROP, &table));
    g.insert(TripleRef::new(&table, rdf::TYPE, csvw::TABLE));
    add_text(&mut g, &table, dct::TITLE, &dataset.title);
    for v in variables {
        let column = node(ds, &format!("-column-{}", column_key(&v.iri)));
        let name = column_name(v);
        let datatype = csvw_datatype(v.representation.as_ref());
        g.insert(TripleRef::new(&table, csvw::COLUMN_PROP, &column));
        g.insert(TripleRef::new(&column, rdf::TYPE, csvw::COLUMN));
        g.insert(TripleRef::new(&column, csvw::NAME, &Literal::new_simple_literal(&name)));
        add_text(&mut g, &column, csvw::TITLE, &v.label);
        if !profile.release8() {
            add_text(&mut g, &column, csvw::TITLES, &v.label);
        }
        add_text(&mut g, &column, dct::DESCRIPTION, &column_description(v, &name, &datatype));
        g.insert(TripleRef::new(&column, csvw::DATATYPE, &Literal::new_simple_literal(&datatype)));
        g.insert(TripleRef::new(&column, csvw::PROPERTY_URL, &v.iri));
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> NamedNode {
        NamedNode::new_unchecked(s)
    }

    #[test]
    fn columns_carry_name_titles_description_datatype_and_property_url() {
        let ds = Dataset::new(n("https://k.se/dataset/par"), LangText::sv("Patientregistret"));
        let mut hdia = Variable::new(n("https://k.se/variable/par-hdia"), LangText::sv("Huvuddiagnos").with("en", "Main diagnosis"));
        hdia.notation = Some("HDIA".into());
        hdia.definition = LangText::sv("Angiven huvuddiagnos");
        let mut indatum = Variable::new(n("https://k.se/variable/par-indatum"), LangText::sv("Inskrivningsdatum"));
        indatum.notation = Some("INDATUM".into());
        indatum.representation = Some(Representation::Datatype(xsd::DATE.into_owned()));
        let g = table_group(&ds, &[hdia.clone(), indatum.clone()], Profile::HealthDcatApR5);

        let col = n("https://k.se/dataset/par#csvw-column-par-indatum");
        let get = |s: &NamedNode, p| g.object_for_subject_predicate(s, p).map(|o| o.to_string());
        assert_eq!(get(&col, csvw::NAME).as_deref(), Some("\"INDATUM\""));
        assert_eq!(get(&col, csvw::DATATYPE).as_deref(), Some("\"date\""));
        assert_eq!(get(&col, csvw::TITLE), get(&col, csvw::TITLES));
        assert!(get(&col, dct::DESCRIPTION).unwrap().contains("Definition saknas"));
        assert_eq!(get(&col, csvw::PROPERTY_URL).as_deref(), Some("<https://k.se/variable/par-indatum>"));
        let hdia_col = n("https://k.se/dataset/par#csvw-column-par-hdia");
        assert_eq!(get(&hdia_col, dct::DESCRIPTION).as_deref(), Some("\"Angiven huvuddiagnos\"@sv"));
        assert_eq!(get(&hdia_col, csvw::DATATYPE).as_deref(), Some("\"string\""));
        assert_eq!(g.objects_for_subject_predicate(&hdia_col, csvw::TITLES).count(), 2, "every language");
        let group = n("https://k.se/dataset/par#csvw");
        assert_eq!(get(&group, dct::TITLE).as_deref(), Some("\"Variabler i Patientregistret\"@sv"), "the table group has a title");
        assert!(table_group(&ds, &[], Profile::HealthDcatAp).is_empty(), "no variables, no table group");
        // Release 8: csvw:title only (csvw:titles is not a CSVW term)
        let r8 = table_group(&ds, &[hdia, indatum], Profile::HealthDcatAp);
        assert!(r8.triples_for_predicate(csvw::TITLES).next().is_none());
        assert_eq!(r8.objects_for_subject_predicate(&hdia_col, csvw::TITLE).count(), 2);
        assert!(r8.triples_for_predicate(healthdcatap::HAS_STRUCTURED_DATA).next().is_none(), "the profile states it");
    }
}
