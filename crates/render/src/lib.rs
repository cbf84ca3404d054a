//! Turning Masthead content into bytes for people: Markdown → sanitized HTML at save time, and
//! Handlebars themes (plus the page metadata they embed) at read time.
//!
//! Every function that shows a post takes a `domain::PostView`, never a `domain::Post`.

pub mod context;
pub mod email;
pub mod head;
pub mod markdown;
pub mod theme;

pub use theme::{Theme, ThemeError};
