//! The web kernel: what every handler stands on, and nothing else of the web layer depends on
//! a handler. One request context ([`context::Ctx`], an extractor), one error type for pages
//! ([`error::PageError`]), the guard every route passes ([`guard`]), every path of the site
//! ([`paths`]), the UI words ([`words`]), the page frame and its values ([`page`]), forms,
//! content negotiation and vocabulary labels.
//!
//! Invariant (tested in `tests/it/architecture.rs`): no file of the kernel imports a handler
//! or a view, and no file of `web` imports `store` or `state`.

pub mod app;
pub mod conneg;
pub mod context;
pub mod error;
pub mod form;
pub mod guard;
pub mod labels;
pub mod page;
pub mod paths;
pub mod words;

pub use app::AppState;
