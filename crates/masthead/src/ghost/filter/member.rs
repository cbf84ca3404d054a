//! Ghost's member filter: which field names a members filter may use (the console's and the
//! Admin API's), and the filter plus `search=` as one `MemberQuery`.
//! `offer_redemptions:ID` (or `offer:ID`) selects the members who redeemed that offer.

use super::{FilterError, parse};
use chrono::{DateTime, Utc};
use store::MemberQuery;
use store::query::MemberField;

/// Longest search accepted: a name or an address is far shorter.
pub const MAX_SEARCH: usize = 200;

/// Filterable fields of members, by their Ghost names.
pub fn field(name: &str) -> Option<MemberField> {
    use MemberField as F;
    Some(match name {
        "id" => F::Id,
        "email" => F::Email,
        "name" => F::Name,
        "status" => F::Status,
        "tier" | "tiers" | "tiers.slug" | "product" | "products" | "products.slug" => F::Tier,
        "label" | "labels" | "labels.slug" => F::Label,
        "created_at" => F::CreatedAt,
        "last_seen_at" => F::LastSeenAt,
        "subscribed" | "newsletters.subscribed" => F::Subscribed,
        "email_disabled" => F::EmailDisabled,
        "comped" => F::Comped,
        "offer" | "offer_redemptions" | "offer_redemptions.id" => F::Offer,
        _ => return None,
    })
}

/// The members `filter` (Ghost's NQL; empty: all) and `search` (emails and names containing
/// it, any case) select.
pub fn query(filter: &str, search: &str, now: DateTime<Utc>) -> Result<MemberQuery, FilterError> {
    let search = search.trim();
    if search.len() > MAX_SEARCH {
        return Err(FilterError(format!(
            "search is longer than {MAX_SEARCH} bytes"
        )));
    }
    Ok(MemberQuery {
        filter: parse(filter, field, now)?,
        search: Some(search.to_owned()).filter(|s| !s.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use store::query::{CmpOp, Cond, Test, Value};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }

    fn members(filter: &str) -> Result<Cond<MemberField>, FilterError> {
        query(filter, "", now()).map(|q| q.filter)
    }

    #[test]
    fn ghost_member_filters_parse() {
        let date = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            members("status:paid+created_at:>'2026-01-01'").unwrap(),
            Cond::All(vec![
                Cond::Test {
                    field: MemberField::Status,
                    negated: false,
                    test: Test::Eq(Value::Text("paid".into())),
                },
                Cond::Test {
                    field: MemberField::CreatedAt,
                    negated: false,
                    test: Test::Cmp(CmpOp::Gt, Value::Time(date)),
                },
            ])
        );
        assert_eq!(
            members("label:[vip,press]").unwrap(),
            Cond::Test {
                field: MemberField::Label,
                negated: false,
                test: Test::In(vec![Value::Text("vip".into()), Value::Text("press".into())]),
            }
        );
        assert_eq!(
            members("email_disabled:true").unwrap(),
            Cond::Test {
                field: MemberField::EmailDisabled,
                negated: false,
                test: Test::Eq(Value::Bool(true)),
            }
        );
        assert!(members("tier:-gold,comped:false").is_ok());
        assert!(members("last_seen_at:<now-30d").is_ok());
        assert!(members("subscribed:true").is_ok());
        assert!(members("offer_redemptions:[abc,def]").is_ok());
        assert_eq!(members("").unwrap(), Cond::All(vec![]));
    }

    #[test]
    fn unknown_and_private_fields_are_refused() {
        for hostile in [
            "password_hash:null",
            "stripe_customer_id:-null",
            "m.id:1",
            "status:paid);DROP TABLE members;--",
            "note:~'x'",
        ] {
            assert!(members(hostile).is_err(), "{hostile} must be refused");
        }
        assert!(members("created_at:>'yesterday'").is_err(), "not a date");
        assert!(members("subscribed:maybe").is_err(), "not a boolean");
        assert!(members(&"(".repeat(40)).is_err(), "too deep");
        assert!(query("", &"x".repeat(MAX_SEARCH + 1), now()).is_err());
    }

    #[test]
    fn quoted_values_stay_values() {
        // A quote inside a value is data bound as a parameter, never SQL.
        assert_eq!(
            members(r"email:'o\'brien@example.com'").unwrap(),
            Cond::Test {
                field: MemberField::Email,
                negated: false,
                test: Test::Eq(Value::Text("o'brien@example.com".into())),
            }
        );
        let q = query("", "  Ada  ", now()).unwrap();
        assert_eq!(q.search.as_deref(), Some("Ada"));
        assert_eq!(query("", "   ", now()).unwrap().search, None);
    }
}
