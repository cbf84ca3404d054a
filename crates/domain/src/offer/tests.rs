use super::*;

fn offer(kind: OfferKind, duration: OfferDuration) -> Offer {
    Offer {
        id: "o".into(),
        name: "Analyst launch".into(),
        code: OfferCode::parse("ANALYST20").unwrap(),
        display_title: String::new(),
        display_description: String::new(),
        kind,
        tier_id: "t".into(),
        cadence: Cadence::Month,
        duration,
        active: true,
        retention: false,
        stripe_coupon_id: None,
        redemptions: 0,
    }
}

#[test]
fn kinds_check_their_amounts() {
    assert_eq!(
        OfferKind::parse("percent", 20, None).unwrap(),
        OfferKind::Percent(20)
    );
    assert!(OfferKind::parse("percent", 0, None).is_err());
    assert!(OfferKind::parse("percent", 101, None).is_err());
    assert_eq!(
        OfferKind::parse("fixed", 500, Some("USD")).unwrap(),
        OfferKind::Fixed {
            amount: 500,
            currency: "usd".into()
        }
    );
    assert!(OfferKind::parse("fixed", 500, None).is_err());
    assert!(OfferKind::parse("fixed", 500, Some("dollars")).is_err());
    assert_eq!(
        OfferKind::parse("trial", 14, None).unwrap(),
        OfferKind::Trial(14)
    );
    assert!(OfferKind::parse("trial", 0, None).is_err());
    assert!(OfferKind::parse("bogus", 5, None).is_err());
}

#[test]
fn durations_and_codes_are_checked() {
    assert_eq!(
        OfferDuration::parse("repeating", Some(3)).unwrap(),
        OfferDuration::Repeating(3)
    );
    assert!(OfferDuration::parse("repeating", None).is_err());
    assert!(OfferDuration::parse("sometimes", None).is_err());
    assert_eq!(
        OfferCode::parse(" ANALYST20 ").unwrap().as_str(),
        "ANALYST20"
    );
    for bad in ["", "has space", "a/b", "ünï", &"x".repeat(65)] {
        assert!(OfferCode::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn offers_read_as_readers_see_them() {
    assert_eq!(
        offer(OfferKind::Percent(20), OfferDuration::Once).summary(),
        "20% off the first month"
    );
    assert_eq!(
        offer(OfferKind::Percent(50), OfferDuration::Repeating(3)).summary(),
        "50% off for 3 months"
    );
    let fixed = OfferKind::Fixed {
        amount: 500,
        currency: "usd".into(),
    };
    assert_eq!(
        offer(fixed, OfferDuration::Forever).summary(),
        "$5 off forever"
    );
    assert_eq!(
        offer(OfferKind::Trial(14), OfferDuration::Once).summary(),
        "14 days free"
    );
    assert!(
        offer(OfferKind::Trial(14), OfferDuration::Forever)
            .check()
            .is_err()
    );
}

#[test]
fn prices_are_read_as_typed() {
    assert_eq!(parse_money("15").unwrap(), 1500);
    assert_eq!(parse_money(" 15.5 ").unwrap(), 1550);
    assert_eq!(parse_money("1,500.05").unwrap(), 150_005);
    assert_eq!(parse_money("").unwrap(), 0);
    for bad in ["abc", "1.234", "-5", "1e3", ".5", "99999999999"] {
        assert!(parse_money(bad).is_err(), "{bad:?}");
    }
    assert_eq!(money_input(1500), "15.00");
    assert_eq!(money_input(0), "");
}

#[test]
fn amounts_are_read_as_their_kind_types_them() {
    assert_eq!(typed_amount("fixed", "2.50").unwrap(), 250);
    assert_eq!(typed_amount("percent", " 20 ").unwrap(), 20);
    assert_eq!(typed_amount("trial", "14").unwrap(), 14);
    assert!(typed_amount("percent", "2.5").is_err());
    assert!(typed_amount("fixed", "abc").is_err());
}
