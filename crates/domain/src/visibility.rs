//! Who a post is for: everyone, signed-in members, paying members, or named tiers.

use crate::{InvalidInput, Slug};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "tiers")]
pub enum Visibility {
    Public,
    Members,
    Paid,
    /// Only members of these tiers (by slug).
    Tiers(Vec<Slug>),
}

impl Visibility {
    /// Parses `public`, `members` or `paid`.
    pub fn parse(raw: &str) -> Result<Visibility, InvalidInput> {
        match raw.trim() {
            "public" => Ok(Visibility::Public),
            "members" => Ok(Visibility::Members),
            "paid" => Ok(Visibility::Paid),
            other => Err(InvalidInput(format!(
                "visibility {other:?} must be public, members, paid or a list of tier slugs"
            ))),
        }
    }

    /// Parses a list of tier slugs; an empty list is an error because nobody could read the post.
    pub fn tiers<S: AsRef<str>>(slugs: &[S]) -> Result<Visibility, InvalidInput> {
        if slugs.is_empty() {
            return Err(InvalidInput(
                "visibility needs at least one tier slug".into(),
            ));
        }
        let tiers = slugs
            .iter()
            .map(|s| Slug::parse(s.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(Visibility::Tiers(tiers))
    }

    /// The storage name: `public`, `members`, `paid` or `tiers`.
    pub fn kind(&self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
            Visibility::Paid => "paid",
            Visibility::Tiers(_) => "tiers",
        }
    }

    pub fn tier_slugs(&self) -> &[Slug] {
        match self {
            Visibility::Tiers(t) => t,
            _ => &[],
        }
    }

    /// Rebuilds a visibility from its storage name and tier list.
    pub fn from_parts(kind: &str, tiers: Vec<Slug>) -> Result<Visibility, InvalidInput> {
        match kind {
            "tiers" => Ok(Visibility::Tiers(tiers)),
            other => Visibility::parse(other),
        }
    }

    pub fn is_public(&self) -> bool {
        matches!(self, Visibility::Public)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips() {
        for v in ["public", "members", "paid"] {
            assert_eq!(Visibility::parse(v).unwrap().kind(), v);
        }
        let t = Visibility::tiers(&["subscriber-plus"]).unwrap();
        assert_eq!(
            Visibility::from_parts(t.kind(), t.tier_slugs().to_vec()).unwrap(),
            t
        );
        assert!(Visibility::parse("secret").is_err());
        assert!(Visibility::tiers::<&str>(&[]).is_err());
        assert!(Visibility::tiers(&["Not A Slug"]).is_err());
    }
}
