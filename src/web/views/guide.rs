//! Guides kept as Markdown in `docs/` served as pages: the import guide (`docs/import.md`),
//! rendered to HTML once by pulldown-cmark (CommonMark with tables).
//!
//! The file is ours and embedded at build time, yet what it may put on a page is still kept
//! narrow: raw HTML in it is shown as text, and only `http`, `https`, `mailto` and in-page
//! (`#…`) links stay links ([`link_target`]); a link to another file of the repository keeps its
//! text without the link. The first level-one heading is left out: the page has its own (one `h1` a page).

use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::link_target;

/// The import guide's source.
pub const IMPORT_MD: &str = include_str!("../../../docs/import.md");

/// A guide as a page: its body as HTML (the page's title is the site's word for it).
pub struct Guide {
    pub html: String,
}

/// The import guide, rendered once.
pub fn import_guide() -> &'static Guide {
    static GUIDE: OnceLock<Guide> = OnceLock::new();
    GUIDE.get_or_init(|| render(IMPORT_MD))
}

/// Renders Markdown as a page body (see the module's rules).
pub fn render(markdown: &str) -> Guide {
    let (mut in_title, mut title_done) = (false, false);
    let mut dropped_links = Vec::new();
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) if !title_done => in_title = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_title => {
                in_title = false;
                title_done = true;
            }
            _ if in_title => {}
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let keep = dest_url.starts_with('#') || link_target(&dest_url).is_some();
                dropped_links.push(!keep);
                if keep {
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => events.push(Event::Text(CowStr::from(dest_url.to_string()))),
            Event::End(TagEnd::Image) => {}
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Guide { html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_guide_renders_with_its_tables_and_one_title() {
        let g = import_guide();
        assert!(!g.html.contains("<h1") && !g.html.contains("Bulk import and export"), "the page's own h1 is the title");
        assert!(g.html.contains("<h2>Which reader</h2>"));
        assert!(g.html.contains("<table>") && g.html.contains("<th>Attribute</th>"), "tables are tables");
        assert!(g.html.contains("<code>Metadata - Variabelnivå</code>"));
        assert!(!g.html.contains("| ---"), "no table left as text");
    }

    #[test]
    fn raw_html_is_text_and_only_safe_links_stay_links() {
        let g = render("# T\n\n<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](other.md) [c](https://example.org/) [d](#x)\n");
        assert!(!g.html.contains("<script>") && g.html.contains("&lt;script&gt;"));
        assert!(!g.html.contains("javascript:") && !g.html.contains("other.md"));
        assert!(g.html.contains(r#"<a href="https://example.org/">c</a>"#) && g.html.contains(r##"<a href="#x">d</a>"##));
        assert!(g.html.contains("a") && g.html.contains("b"), "the text of a dropped link stays");
    }
}
