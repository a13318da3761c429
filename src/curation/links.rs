//! The pre-publish check: a record is published only when it is whole, that is when every
//! record of this catalogue it links to (its datasets, code list, codes, concepts, agents,
//! parent dataset, use cases …) is public already or is published in the same step. Otherwise
//! the public page would link to a 404.
//!
//! A link is any IRI minted under the catalogue's base that the record's graph holds, as the
//! object of one of its statements or as the subject of a statement about it (a variable's
//! graph holds `<dataset> disco:variable <variable>`: the dataset is a link too). A fragment is
//! cut off (`agent/x#kontakt` is the agent `agent/x`). IRIs minted elsewhere are not this
//! catalogue's to check.
//!
//! The rule is here, beside the workflow, so that every door (the draft page, the work list's
//! bulk publish, a JSON API) goes through [`unresolved`] by way of `Curation::publish_all`.

use std::collections::{BTreeSet, HashSet};

use oxigraph::model::{NamedNode, NamedOrBlankNodeRef, TermRef};

use crate::model::Minter;
use crate::model::record::{RecordKind, Resource};

/// The records of this catalogue that `r` links to, each once, in IRI order.
pub fn linked_records(r: &Resource, minter: &Minter) -> Vec<NamedNode> {
    let own = r.iri();
    let mut out = BTreeSet::new();
    let mut consider = |iri: &str| {
        let record = iri.split_once('#').map_or(iri, |(base, _)| base);
        if record == own.as_str() || !record.starts_with(minter.base()) {
            return;
        }
        match minter.parse(record) {
            None | Some((RecordKind::Catalog, _)) => {}
            Some(_) => {
                out.insert(NamedNode::new_unchecked(record));
            }
        }
    };
    for t in r.to_graph().iter() {
        if let NamedOrBlankNodeRef::NamedNode(s) = t.subject {
            consider(s.as_str());
        }
        if let TermRef::NamedNode(o) = t.object {
            consider(o.as_str());
        }
    }
    out.into_iter().collect()
}

/// The links of `r` that do not resolve: to records that are neither public (`is_public`) nor
/// among `together`, the records published in the same step.
pub fn unresolved<E>(
    r: &Resource,
    minter: &Minter,
    together: &HashSet<NamedNode>,
    mut is_public: impl FnMut(&NamedNode) -> Result<bool, E>,
) -> Result<Vec<NamedNode>, E> {
    let mut out = Vec::new();
    for target in linked_records(r, minter) {
        if together.contains(&target) || is_public(&target)? {
            continue;
        }
        out.push(target);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Agent, Dataset, LangText, Variable};

    const BASE: &str = "https://k.example/";

    fn iri(path: &str) -> NamedNode {
        NamedNode::new(format!("{BASE}{path}")).unwrap()
    }

    /// A variable held by a dataset, coded with a code list, with a source outside the catalogue.
    fn variable() -> Resource {
        let mut v = Variable::new(iri("variable/x-kon"), LangText::sv("Kön"));
        v.datasets = vec![iri("dataset/x")];
        v.representation = Some(crate::model::Representation::CodeList {
            scheme: iri("codelist/kon"),
            datatype: NamedNode::new("http://www.w3.org/2001/XMLSchema#string").unwrap(),
        });
        v.sources = vec![NamedNode::new("https://elsewhere.example/spec").unwrap()];
        Resource::Variable(v)
    }

    fn never_public(_: &NamedNode) -> Result<bool, ()> {
        Ok(false)
    }

    #[test]
    fn the_dataset_that_holds_a_variable_is_a_link_though_the_graph_names_it_as_subject() {
        let links = linked_records(&variable(), &Minter::new(BASE));
        assert_eq!(links, vec![iri("codelist/kon"), iri("dataset/x")], "the source outside the base is not checked");
    }

    #[test]
    fn a_link_to_a_draft_is_unresolved_unless_published_in_the_same_step() {
        let m = Minter::new(BASE);
        let alone = unresolved(&variable(), &m, &HashSet::new(), never_public).unwrap();
        assert_eq!(alone, vec![iri("codelist/kon"), iri("dataset/x")]);
        let together: HashSet<NamedNode> = [iri("dataset/x")].into_iter().collect();
        assert_eq!(unresolved(&variable(), &m, &together, never_public).unwrap(), vec![iri("codelist/kon")]);
        let public_list = |n: &NamedNode| Ok::<_, ()>(n == &iri("codelist/kon"));
        assert!(unresolved(&variable(), &m, &together, public_list).unwrap().is_empty(), "public or published together: whole");
    }

    #[test]
    fn a_fragment_names_its_record_and_the_record_itself_is_no_link() {
        let mut d = Dataset::new(iri("dataset/y"), LangText::sv("Y"));
        d.publisher = Some(iri("agent/region-x"));
        d.contact_points = vec![iri("agent/region-x#kontakt")];
        d.is_part_of = vec![iri("dataset/y")];
        let links = linked_records(&Resource::Dataset(d), &Minter::new(BASE));
        assert_eq!(links, vec![iri("agent/region-x")]);
        let a = Agent::new(iri("agent/region-x"), LangText::sv("Region X"));
        assert!(linked_records(&Resource::Agent(a), &Minter::new(BASE)).is_empty());
    }

    #[test]
    fn a_code_links_to_its_list() {
        let mut c = crate::model::Concept::new(iri("codelist/kon/1"), "1", LangText::sv("Man"));
        c.in_scheme = vec![iri("codelist/kon")];
        let links = linked_records(&Resource::Concept(c), &Minter::new(BASE));
        assert_eq!(links, vec![iri("codelist/kon")]);
        let errors = unresolved(
            &Resource::Concept(crate::model::Concept::new(iri("codelist/kon/2"), "2", LangText::new())),
            &Minter::new(BASE),
            &HashSet::new(),
            |_| Err("store down"),
        );
        assert!(errors.is_ok(), "no link, no lookup");
    }
}
