//! Turning Masthead content into bytes for people: Markdown → sanitized HTML at save time, and
//! Handlebars themes (plus the page metadata they embed), feeds and sitemaps at read time.
//!
//! Every function that shows a post takes a `domain::PostView`, never a `domain::Post`.

pub mod context;
pub mod email;
pub mod feed;
#[cfg(test)]
mod fixtures;
pub mod head;
pub mod markdown;
pub mod sitemap;
pub mod structured;
pub mod theme;

pub use theme::{Theme, ThemeError};

/// HTML-escapes text for element content and attribute values.
pub use handlebars::html_escape;
