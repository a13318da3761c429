//! The frame every page shares ([`Chrome`]: language, title, navigation, the language switch),
//! the one value type pages show ([`Val`]), the one rule for links from the data
//! ([`link_target`]), and the error page.

use askama::Template;

use super::words::{Texts, texts};
use crate::config::Lang;
use crate::model::LangText;
use crate::model::record::RecordKind;

/// One value on a page: text, maybe a link, maybe in another language than the page.
#[derive(Clone, Debug)]
pub struct Val {
    pub text: String,
    pub href: Option<String>,
    /// `lang` attribute when the text is not in the page language.
    pub lang: Option<String>,
    /// Shown as code (technical names, codes, OIDs).
    pub code: bool,
    /// Leaves the site.
    pub external: bool,
}

impl Val {
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), href: None, lang: None, code: false, external: false }
    }

    pub fn code(text: impl Into<String>) -> Self {
        Self { code: true, ..Self::text(text) }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self { href: Some(href.into()), ..Self::text(text) }
    }

    /// A URL or IRI from the data: a link that leaves the site when [`link_target`] allows
    /// it, else the text alone (`javascript:alert(1)` is shown, never linked).
    pub fn external(iri: &str) -> Self {
        match link_target(iri) {
            Some(href) => Self { external: true, ..Self::link(iri, href) },
            None => Self::code(iri),
        }
    }

    /// Text in the page language when there is one, marked with its language otherwise.
    pub fn lang_text(text: &LangText, lang: Lang) -> Self {
        let mut v = Self::text(text.best(lang.code()));
        v.lang = text.fallback_lang(lang.code()).filter(|l| !l.is_empty()).map(str::to_owned);
        v
    }
}

/// The one rule for whether a URL that comes from the data (an imported `dcat:accessURL`, a
/// `vcard:hasURL`, an IRI a SPARQL query binds) may become a link: only `http:`, `https:` and
/// `mailto:` (the scheme in any case, at the very start). Anything else (`javascript:`,
/// `data:`, `vbscript:`, a scheme hidden behind spaces or control characters) is shown as text.
pub fn link_target(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once(':')?;
    let allowed = ["http", "https", "mailto"].iter().any(|s| scheme.eq_ignore_ascii_case(s));
    (allowed && !rest.is_empty() && !url.contains(char::is_control)).then_some(url)
}

/// What every page shares: language, title, navigation state and the language switch.
pub struct Chrome {
    pub t: &'static Texts,
    pub title: String,
    /// The same page in the other language.
    pub switch_href: String,
    /// Which main-menu entry is current ("" for none).
    pub nav: &'static str,
    /// The breadcrumbs above this page (label, path), from the home page down; the page itself
    /// follows them as the current one.
    pub crumbs: Vec<(&'static str, &'static str)>,
    pub crumbs_label: &'static str,
}

impl Chrome {
    pub fn new(lang: Lang, title: impl Into<String>, path_and_query: &str, nav: &'static str) -> Self {
        let t = texts(lang);
        let crumbs = breadcrumbs(path_and_query, lang);
        Self {
            t,
            title: title.into(),
            switch_href: with_lang(path_and_query, t.other_lang),
            nav,
            crumbs,
            crumbs_label: super::words::curation::BREADCRUMBS.get(lang),
        }
    }
}

/// The pages above `path`: the home page, then every section page whose path is a proper
/// prefix of it (`/variable` above `/variable/par-hdia/historik`, `/admin/hamtning` above a
/// run's report). A record between them has no crumb of its own: its page's title names it.
fn breadcrumbs(path_and_query: &str, lang: Lang) -> Vec<(&'static str, &'static str)> {
    use super::paths as p;
    use super::words::curation as w;
    let t = texts(lang);
    let path = path_and_query.split(['?', '#']).next().unwrap_or("/").trim_end_matches('/');
    if path.is_empty() {
        return Vec::new();
    }
    let kind = |k: RecordKind| -> &'static str {
        match (k, lang) {
            (RecordKind::Dataset, _) => t.datasets,
            (RecordKind::Variable, _) => t.variables,
            (RecordKind::CodeList, _) => t.codelists,
            (RecordKind::UseCase, _) => t.usecases,
            (RecordKind::Agent, _) => t.agents,
            (RecordKind::Standard, _) => t.standards,
            (RecordKind::Distribution, Lang::Sv) => "Distributioner",
            (RecordKind::Distribution, Lang::En) => "Distributions",
            (RecordKind::DataService, Lang::Sv) => "Datatjänster",
            (_, _) => "Data services",
        }
    };
    let sections: [(&'static str, &'static str); 23] = [
        (p::SEARCH, t.nav_search),
        ("/dataset", kind(RecordKind::Dataset)),
        ("/variable", kind(RecordKind::Variable)),
        ("/codelist", kind(RecordKind::CodeList)),
        ("/usecase", kind(RecordKind::UseCase)),
        ("/agent", kind(RecordKind::Agent)),
        ("/standard", kind(RecordKind::Standard)),
        ("/distribution", kind(RecordKind::Distribution)),
        ("/dataservice", kind(RecordKind::DataService)),
        (p::COLLECTIONS, t.nav_collections),
        (p::VALIDATOR, t.nav_validate),
        (p::VARIABLE_LIST, t.nav_list),
        (p::ABOUT, t.nav_about),
        (p::QUALITY, w::QUALITY.get(lang)),
        (p::WORK, w::WORK_LIST.get(lang)),
        (p::IMPORT, w::IMPORT.get(lang)),
        (p::HARVEST, w::HARVEST.get(lang)),
        (p::USERS, w::USERS.get(lang)),
        (p::AUDIT_LOG, w::LOG.get(lang)),
        (p::SPARQL, "SPARQL"),
        (p::COMPARE, if lang == Lang::En { "Compare" } else { "Jämför" }),
        (p::DELIVERY_CHECK, t.check_delivery),
        (p::VALIDATOR_RULES, if lang == Lang::En { "Rules" } else { "Regler" }),
    ];
    let mut out = vec![(t.nav_home, p::HOME)];
    // every section page above this one, shortest first
    let mut above: Vec<(&'static str, &'static str)> = sections
        .iter()
        .filter(|(s, _)| path.len() > s.len() && path.starts_with(s) && path.as_bytes()[s.len()] == b'/')
        .map(|(s, l)| (*l, *s))
        .collect();
    above.sort_by_key(|(_, s)| s.len());
    out.extend(above);
    out
}

/// `path?…&lang=xx`, replacing an existing `lang`. Always a path on this site: a request for
/// `//evil.example/x` (or `/\\evil.example/x`) gets `/evil.example/x?lang=en`, never a network
/// path a browser would follow to another host.
fn with_lang(path_and_query: &str, lang: &str) -> String {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let path = format!("/{}", path.trim_start_matches(['/', '\\']));
    let mut parts: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let lang_part = format!("lang={lang}");
    parts.push(&lang_part);
    format!("{path}?{}", parts.join("&"))
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub heading: String,
    pub message: String,
    pub detail: Option<String>,
    pub suggestions: Vec<Val>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_https_and_mailto_become_links() {
        for ok in ["http://a.example/", "https://a.example/x?y", "HTTPS://A.EXAMPLE/", "mailto:a@example.org"] {
            assert_eq!(link_target(ok), Some(ok));
        }
        for no in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "java\tscript:x",
            "http:",
            "/lokal",
            "urn:x:y",
            "https://a\u{0}b",
        ] {
            assert_eq!(link_target(no), None, "{no:?}");
        }
        let v = Val::external("javascript:alert(1)");
        assert!(v.href.is_none() && v.code && v.text == "javascript:alert(1)");
        assert_eq!(Val::external("https://a.example/").href.as_deref(), Some("https://a.example/"));
    }

    #[test]
    fn breadcrumbs_name_the_section_pages_above() {
        let paths = |p: &str| breadcrumbs(p, Lang::Sv).into_iter().map(|(_, h)| h).collect::<Vec<_>>();
        assert!(paths("/").is_empty(), "the home page is the top");
        assert_eq!(paths("/variable"), vec!["/"]);
        assert_eq!(paths("/variable/par-hdia/historik?fran=1"), vec!["/", "/variable"]);
        assert_eq!(paths("/admin/hamtning/korning/7"), vec!["/", "/admin/hamtning"]);
        assert_eq!(paths("/kontroll/leverans"), vec!["/", "/kontroll"]);
        assert_eq!(paths("/kvalitet/dataset/lisa"), vec!["/", "/kvalitet"]);
        assert_eq!(paths("/import/guide"), vec!["/", "/import"]);
        assert_eq!(paths("/variabellista.csv"), vec!["/"], "a prefix must end at a /");
        assert_eq!(breadcrumbs("/codelist/kon", Lang::En), vec![("Home", "/"), ("Code lists", "/codelist")]);
    }

    #[test]
    fn the_language_switch_is_a_local_path() {
        assert_eq!(with_lang("/variable/x?sida=2&lang=sv", "en"), "/variable/x?sida=2&lang=en");
        assert_eq!(with_lang("//evil.example/x", "en"), "/evil.example/x?lang=en");
        assert_eq!(with_lang("/\\evil.example/x", "en"), "/evil.example/x?lang=en");
        assert_eq!(with_lang("/", "sv"), "/?lang=sv");
    }
}
