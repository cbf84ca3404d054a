//! Member labels: staff's own tags for members ("VIP", "press"), named freely and unique
//! whatever their case, each with a slug for Ghost's `label:` filter.

use crate::{InvalidInput, Slug};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Longest label name, as Ghost allows.
pub const MAX_LABEL_NAME: usize = 191;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub id: String,
    pub name: String,
    pub slug: Slug,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A label's name: trimmed, not empty, at most [`MAX_LABEL_NAME`] characters, no control
/// characters.
pub fn label_name(raw: &str) -> Result<String, InvalidInput> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(InvalidInput("a label needs a name".into()));
    }
    if name.chars().count() > MAX_LABEL_NAME {
        return Err(InvalidInput(format!(
            "a label name has at most {MAX_LABEL_NAME} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(InvalidInput(
            "a label name cannot hold control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(label_name("  VIP ").unwrap(), "VIP");
        assert!(label_name("   ").is_err());
        assert!(label_name("a\u{0}b").is_err());
        assert!(label_name(&"x".repeat(MAX_LABEL_NAME)).is_ok());
        assert!(label_name(&"x".repeat(MAX_LABEL_NAME + 1)).is_err());
    }
}
