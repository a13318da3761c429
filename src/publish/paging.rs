//! Paging of the published catalogue, and the request parameters harvesters send.
//!
//! Owns: the `page`, `page_size` and `modified_since` parameters (checked, with errors that
//! name the parameter and the rule), and the Hydra page node that both ckanext-dcat and piveau
//! follow (notes/standards.md §4): one node typed `hydra:PartialCollectionView` *and*
//! `hydra:PagedCollection`, with `next`/`nextPage`, `previous`/`previousPage`,
//! `first`/`firstPage`, `last`/`lastPage`, and `totalItems` and `itemsPerPage` on that node
//! (piveau reads `totalItems` there). Page links are absolute, under the configured base IRI.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use oxigraph::model::{Literal, NamedNode, Triple};

use crate::model::ids::encode_query;
use crate::model::vocab::{hydra, rdf, xsd};

/// Datasets per page when `page_size` is not given (ckanext-dcat's default too).
pub const DEFAULT_PAGE_SIZE: u64 = 100;
/// The largest `page_size` accepted.
pub const MAX_PAGE_SIZE: u64 = 1000;

/// A parameter a harvester sent that cannot be used.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamError {
    #[error("page={value:?} is not a page number: use a whole number from 1")]
    Page { value: String },
    #[error("page_size={value:?} is not allowed: use a whole number from 1 to {MAX_PAGE_SIZE}")]
    PageSize { value: String },
    #[error("page {page} does not exist: with page_size={page_size} the last page is {last}")]
    PastLastPage { page: u64, page_size: u64, last: u64 },
    #[error("modified_since={value:?} is not an ISO 8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)")]
    ModifiedSince { value: String },
    #[error("profile={value:?} is unknown: use dcat-ap-se, healthdcat-ap or dcat-ap (or leave it out)")]
    Profile { value: String },
}

/// Which page a harvester asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// From 1.
    pub page: u64,
    pub page_size: u64,
}

impl PageRequest {
    /// Reads `page` and `page_size`; `None` when neither is given (the whole catalogue).
    pub fn parse(page: Option<&str>, page_size: Option<&str>) -> Result<Option<Self>, ParamError> {
        if page.is_none() && page_size.is_none() {
            return Ok(None);
        }
        let page = match page {
            None => 1,
            Some(v) => v.trim().parse::<u64>().ok().filter(|p| *p >= 1).ok_or_else(|| ParamError::Page { value: v.to_owned() })?,
        };
        let page_size = match page_size {
            None => DEFAULT_PAGE_SIZE,
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=MAX_PAGE_SIZE).contains(s))
                .ok_or_else(|| ParamError::PageSize { value: v.to_owned() })?,
        };
        Ok(Some(Self { page, page_size }))
    }

    /// The number of pages for `total` items (at least 1: an empty catalogue has one empty page).
    pub fn last_page(&self, total: u64) -> u64 {
        total.div_ceil(self.page_size).max(1)
    }

    /// The offset of the first item, or an error when the page is past the last one.
    pub fn offset(&self, total: u64) -> Result<u64, ParamError> {
        let last = self.last_page(total);
        if self.page > last {
            return Err(ParamError::PastLastPage { page: self.page, page_size: self.page_size, last });
        }
        // page 0 is refused where a request is read; one built in code counts as the first
        Ok(self.page.saturating_sub(1) * self.page_size)
    }
}

/// Reads `modified_since`: an ISO 8601 date (midnight UTC), or a date-time with or without an
/// offset (UTC when none).
pub fn parse_modified_since(value: &str) -> Result<DateTime<Utc>, ParamError> {
    let v = value.trim();
    let err = || ParamError::ModifiedSince { value: value.to_owned() };
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Ok(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(v, f) {
            return Ok(d.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).ok_or_else(err)?.and_utc());
    }
    Err(err())
}

/// Builds the page URLs of one listing: `{base}{path}?page=N` plus the parameters the
/// harvester chose (page size, profile, modified_since), so that following `next` keeps them.
#[derive(Clone, Debug)]
pub struct PageLinks {
    /// `{base}catalog` or `{base}catalog.ttl`.
    pub document: String,
    /// Extra parameters in a fixed order, already chosen by the caller.
    pub params: Vec<(&'static str, String)>,
}

impl PageLinks {
    pub fn url(&self, page: u64) -> NamedNode {
        let mut url = format!("{}?page={page}", self.document);
        for (k, v) in &self.params {
            url.push('&');
            url.push_str(k);
            url.push('=');
            url.push_str(&encode_query(v));
        }
        NamedNode::new_unchecked(url)
    }
}

/// The Hydra node of one page.
#[derive(Clone, Debug)]
pub struct PageNode {
    pub this: NamedNode,
    pub first: NamedNode,
    pub last: NamedNode,
    pub previous: Option<NamedNode>,
    pub next: Option<NamedNode>,
    pub total_items: u64,
    pub items_per_page: u64,
}

impl PageNode {
    pub fn new(links: &PageLinks, request: PageRequest, total_items: u64) -> Self {
        let last = request.last_page(total_items);
        Self {
            this: links.url(request.page),
            first: links.url(1),
            last: links.url(last),
            previous: (request.page > 1).then(|| links.url(request.page - 1)),
            next: (request.page < last).then(|| links.url(request.page + 1)),
            total_items,
            items_per_page: request.page_size,
        }
    }

    /// The triples of the node, plus `<catalog> hydra:view <page>`.
    pub fn triples(&self, catalog: &NamedNode) -> Vec<Triple> {
        let s = &self.this;
        let t = |p: oxigraph::model::NamedNodeRef<'_>, o: oxigraph::model::Term| Triple::new(s.clone(), p, o);
        let count = |n: u64| Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into();
        let mut out = vec![
            t(rdf::TYPE, hydra::PARTIAL_COLLECTION_VIEW.into_owned().into()),
            t(rdf::TYPE, hydra::PAGED_COLLECTION.into_owned().into()),
            t(hydra::TOTAL_ITEMS, count(self.total_items)),
            t(hydra::ITEMS_PER_PAGE, count(self.items_per_page)),
            t(hydra::FIRST, self.first.clone().into()),
            t(hydra::FIRST_PAGE, self.first.clone().into()),
            t(hydra::LAST, self.last.clone().into()),
            t(hydra::LAST_PAGE, self.last.clone().into()),
        ];
        if let Some(p) = &self.previous {
            out.push(t(hydra::PREVIOUS, p.clone().into()));
            out.push(t(hydra::PREVIOUS_PAGE, p.clone().into()));
        }
        if let Some(n) = &self.next {
            out.push(t(hydra::NEXT, n.clone().into()));
            out.push(t(hydra::NEXT_PAGE, n.clone().into()));
        }
        out.push(Triple::new(catalog.clone(), hydra::VIEW, self.this.clone()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_parameters_are_checked() {
        assert_eq!(PageRequest::parse(None, None), Ok(None));
        assert_eq!(PageRequest::parse(Some("2"), None), Ok(Some(PageRequest { page: 2, page_size: 100 })));
        assert_eq!(PageRequest::parse(None, Some("7")), Ok(Some(PageRequest { page: 1, page_size: 7 })));
        for bad in ["0", "-1", "x", ""] {
            assert!(matches!(PageRequest::parse(Some(bad), None), Err(ParamError::Page { .. })), "{bad}");
        }
        for bad in ["0", "1001", "ten"] {
            let e = PageRequest::parse(None, Some(bad)).unwrap_err();
            assert!(e.to_string().contains("1 to 1000"), "{e}");
        }
        let r = PageRequest { page: 4, page_size: 10 };
        assert_eq!(r.offset(31), Ok(30));
        assert_eq!(r.offset(30), Err(ParamError::PastLastPage { page: 4, page_size: 10, last: 3 }));
        assert_eq!(PageRequest { page: 1, page_size: 10 }.offset(0), Ok(0), "an empty catalogue has page 1");
    }

    #[test]
    fn modified_since_accepts_dates_and_date_times() {
        assert_eq!(parse_modified_since("2026-01-31").unwrap().to_rfc3339(), "2026-01-31T00:00:00+00:00");
        assert_eq!(parse_modified_since("2026-01-31T12:00:00+02:00").unwrap().to_rfc3339(), "2026-01-31T10:00:00+00:00");
        assert_eq!(parse_modified_since("2026-01-31T12:00:00").unwrap().to_rfc3339(), "2026-01-31T12:00:00+00:00");
        assert!(parse_modified_since("yesterday").is_err());
        assert!(parse_modified_since("2026-13-01").is_err());
    }

    #[test]
    fn the_page_node_links_both_ways() {
        let links = PageLinks {
            document: "https://k.se/catalog".into(),
            params: vec![("page_size", "10".into()), ("modified_since", "2026-01-01T00:00:00Z".into())],
        };
        let node = PageNode::new(&links, PageRequest { page: 2, page_size: 10 }, 25);
        assert_eq!(node.this.as_str(), "https://k.se/catalog?page=2&page_size=10&modified_since=2026-01-01T00%3A00%3A00Z");
        assert_eq!(node.last.as_str(), "https://k.se/catalog?page=3&page_size=10&modified_since=2026-01-01T00%3A00%3A00Z");
        assert!(node.previous.is_some() && node.next.is_some());
        let triples = node.triples(&NamedNode::new_unchecked("https://k.se/catalog"));
        assert_eq!(triples.len(), 13);
        let last = PageNode::new(&links, PageRequest { page: 3, page_size: 10 }, 25);
        assert!(last.next.is_none());
    }
}
