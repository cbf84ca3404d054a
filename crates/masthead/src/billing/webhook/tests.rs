//! Signature checks on good, forged, late and malformed headers; event parsing from samples shaped
//! like Stripe's, and from garbage.

use super::*;
use chrono::TimeZone;

const SECRET: &str = "whsec_test_secret";
const T: i64 = 1_772_366_400; // 2026-03-01T12:00:00Z

fn now() -> DateTime<Utc> {
    Utc.timestamp_opt(T, 0).unwrap()
}

fn secrets(list: &[&str]) -> Vec<String> {
    list.iter().map(std::string::ToString::to_string).collect()
}

fn check(header: &str, payload: &[u8], keys: &[&str]) -> Result<(), WebhookError> {
    verify(header, payload, &secrets(keys), now(), Duration::minutes(5))
}

const BODY: &[u8] = br#"{"id":"evt_1","object":"event","type":"invoice.paid"}"#;

#[test]
fn a_valid_signature_passes() {
    assert_eq!(check(&sign(BODY, SECRET, T), BODY, &[SECRET]), Ok(()));
    assert!(sign(BODY, SECRET, T).starts_with(&format!("t={T},v1=")));
}

#[test]
fn forged_signatures_fail() {
    let header = sign(BODY, SECRET, T);
    assert_eq!(
        check(&header, BODY, &["whsec_other"]),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        check(&header, b"{\"id\":\"evt_2\"}", &[SECRET]),
        Err(WebhookError::BadSignature),
        "tampered body"
    );
    assert_eq!(
        check(&header, BODY, &[]),
        Err(WebhookError::BadSignature),
        "no secret configured"
    );
    assert_eq!(
        check(&sign(BODY, "", T), BODY, &["", SECRET]),
        Err(WebhookError::BadSignature),
        "an empty secret never verifies, whatever else is configured"
    );
    assert_eq!(
        check(&sign(BODY, "", T), BODY, &[""]),
        Err(WebhookError::BadSignature),
        "an empty secret alone verifies nothing"
    );
    let other_time = sign(BODY, SECRET, T - 1).replace(&format!("t={}", T - 1), &format!("t={T}"));
    assert_eq!(
        check(&other_time, BODY, &[SECRET]),
        Err(WebhookError::BadSignature),
        "timestamp swapped"
    );
}

#[test]
fn any_v1_signature_and_any_secret_may_match() {
    let good = sign(BODY, SECRET, T);
    let good_v1 = good.split_once("v1=").unwrap().1;
    let header = format!(
        "t={T},v1={},v1={good_v1},v0=6ffbb59b2300aae63f27240606",
        "ab".repeat(32)
    );
    assert_eq!(check(&header, BODY, &[SECRET]), Ok(()));
    let reordered = format!("v0=00, scheme=x, v1={good_v1}, t={T}");
    assert_eq!(check(&reordered, BODY, &[SECRET]), Ok(()));
    assert_eq!(
        check(&good, BODY, &["whsec_old", SECRET]),
        Ok(()),
        "rolling secrets"
    );
}

#[test]
fn timestamps_outside_the_tolerance_fail() {
    let late = sign(BODY, SECRET, T - 301);
    assert_eq!(
        check(&late, BODY, &[SECRET]),
        Err(WebhookError::StaleTimestamp { skew_secs: 301 })
    );
    let future = sign(BODY, SECRET, T + 301);
    assert_eq!(
        check(&future, BODY, &[SECRET]),
        Err(WebhookError::StaleTimestamp { skew_secs: -301 })
    );
    assert_eq!(
        check(&sign(BODY, SECRET, T - 300), BODY, &[SECRET]),
        Ok(()),
        "the edge is inside"
    );
    assert_eq!(check(&sign(BODY, SECRET, T + 300), BODY, &[SECRET]), Ok(()));
    for extreme in [i64::MIN, i64::MAX, 0] {
        let header = sign(BODY, SECRET, extreme);
        assert!(
            matches!(
                check(&header, BODY, &[SECRET]),
                Err(WebhookError::StaleTimestamp { .. })
            ),
            "{extreme}"
        );
    }
}

#[test]
fn malformed_headers_fail() {
    assert_eq!(check("", BODY, &[SECRET]), Err(WebhookError::MissingHeader));
    assert_eq!(
        check("  ", BODY, &[SECRET]),
        Err(WebhookError::MissingHeader)
    );
    let v1 = "ab".repeat(32);
    for bad in [
        "garbage".to_owned(),
        format!("t=abc,v1={v1}"),
        format!("v1={v1}"),
        format!("t={T},t={T},v1={v1}"),
        format!("t={T}"),
        format!("t={T},v0={v1}"),
        format!("t={T},v1=not-hex"),
        format!("t=,v1={v1}"),
        format!("t={T},,v1={v1}"),
        "t=99999999999999999999999,v1=00".to_owned(),
        ",,,=,=".to_owned(),
    ] {
        assert!(
            matches!(
                check(&bad, BODY, &[SECRET]),
                Err(WebhookError::Malformed(_))
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn errors_say_what_is_wrong() {
    assert_eq!(
        WebhookError::MissingHeader.to_string(),
        "the request has no Stripe-Signature header"
    );
    let stale = WebhookError::StaleTimestamp { skew_secs: 301 }.to_string();
    assert!(stale.contains("301 seconds"), "{stale}");
    let Err(malformed) = check("t=1", BODY, &[SECRET]) else {
        panic!()
    };
    assert!(
        malformed.to_string().contains("no v1 signature"),
        "{malformed}"
    );
}

const CHECKOUT: &str = r#"{
  "id": "evt_1QxCheckout",
  "object": "event",
  "api_version": "2025-03-31.basil",
  "created": 1772366400,
  "livemode": false,
  "type": "checkout.session.completed",
  "data": {
    "object": {
      "id": "cs_test_a1b2c3",
      "object": "checkout.session",
      "amount_total": 800,
      "client_reference_id": "0195a3c4-member-1",
      "currency": "usd",
      "customer": "cus_Rk1",
      "customer_details": { "email": "reader@example.com" },
      "metadata": { "tier": "subscriber-plus", "member_id": "0195a3c4-member-1" },
      "mode": "subscription",
      "payment_status": "paid",
      "status": "complete",
      "subscription": "sub_1Qx"
    }
  }
}"#;

const SUBSCRIPTION_UPDATED_OLD_API: &str = r#"{
  "id": "evt_2", "object": "event", "api_version": "2024-06-20", "created": 1772366460,
  "type": "customer.subscription.updated",
  "data": {
    "object": {
      "id": "sub_1Qx", "object": "subscription", "customer": "cus_Rk1", "status": "past_due",
      "cancel_at_period_end": true, "current_period_end": 1775044800, "current_period_start": 1772366400,
      "metadata": { "tier": "subscriber-plus", "member_id": "0195a3c4-member-1" },
      "items": { "object": "list", "data": [ { "id": "si_1", "object": "subscription_item",
        "price": { "id": "price_1", "object": "price", "lookup_key": "subscriber-plus_month", "metadata": {} } } ] }
    },
    "previous_attributes": { "status": "active" }
  }
}"#;

const SUBSCRIPTION_CREATED_NEW_API: &str = r#"{
  "id": "evt_3", "object": "event", "api_version": "2025-03-31.basil", "created": 1772366400,
  "type": "customer.subscription.created",
  "data": {
    "object": {
      "id": "sub_1Qx", "object": "subscription", "customer": { "id": "cus_Rk1", "object": "customer" },
      "status": "trialing", "cancel_at_period_end": false, "metadata": {},
      "items": { "object": "list", "data": [ { "id": "si_1", "object": "subscription_item",
        "current_period_start": 1772366400, "current_period_end": 1773576000,
        "price": { "id": "price_1", "object": "price", "lookup_key": "subscriber-plus_month",
          "metadata": { "tier": "subscriber-plus" } } } ] }
    }
  }
}"#;

const SUBSCRIPTION_DELETED: &str = r#"{
  "id": "evt_4", "object": "event", "created": 1772366520, "type": "customer.subscription.deleted",
  "data": { "object": { "id": "sub_1Qx", "object": "subscription", "customer": "cus_Rk1",
    "status": "canceled", "metadata": { "member_id": "0195a3c4-member-1" } } }
}"#;

const INVOICE_PAID_NEW_API: &str = r#"{
  "id": "evt_5", "object": "event", "created": 1772366580, "type": "invoice.paid",
  "data": { "object": {
    "id": "in_1", "object": "invoice", "customer": "cus_Rk1", "status": "paid", "period_end": 1772366400,
    "parent": { "type": "subscription_details", "subscription_details": { "subscription": "sub_1Qx", "metadata": {} } },
    "lines": { "object": "list", "data": [
      { "id": "il_1", "period": { "start": 1772366400, "end": 1774000000 } },
      { "id": "il_2", "period": { "start": 1772366400, "end": 1775044800 } }
    ] }
  } }
}"#;

const INVOICE_FAILED_OLD_API: &str = r#"{
  "id": "evt_6", "object": "event", "created": 1772366640, "type": "invoice.payment_failed",
  "data": { "object": { "id": "in_2", "object": "invoice", "customer": "cus_Rk1", "subscription": "sub_1Qx",
    "attempt_count": 1, "lines": { "data": [] } } }
}"#;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

#[allow(
    clippy::unnecessary_wraps,
    reason = "the tier field of a subscription is optional"
)]
fn plus() -> Option<Slug> {
    Some(Slug::parse("subscriber-plus").unwrap())
}

fn kind(json: &str) -> BillingEvent {
    parse(json.as_bytes()).unwrap().kind
}

#[test]
fn checkout_session_completed() {
    let event = parse(CHECKOUT.as_bytes()).unwrap();
    assert_eq!(
        (event.id.as_str(), event.created),
        ("evt_1QxCheckout", at(T))
    );
    let want = BillingEvent::CheckoutCompleted {
        member_id: Some("0195a3c4-member-1".into()),
        customer_id: "cus_Rk1".into(),
        subscription_id: "sub_1Qx".into(),
        tier: plus(),
    };
    assert_eq!(event.kind, want);
    let from_metadata = CHECKOUT.replace(
        r#""client_reference_id": "0195a3c4-member-1""#,
        r#""client_reference_id": null"#,
    );
    assert_eq!(kind(&from_metadata).member_id(), Some("0195a3c4-member-1"));
    let payment = CHECKOUT.replace(r#""mode": "subscription""#, r#""mode": "payment""#);
    assert_eq!(
        kind(&payment),
        BillingEvent::Ignored {
            event_type: "checkout.session.completed".into()
        }
    );
}

#[test]
fn subscription_updated_on_older_api_versions() {
    let want = BillingEvent::SubscriptionUpdated {
        member_id: Some("0195a3c4-member-1".into()),
        customer_id: "cus_Rk1".into(),
        subscription_id: "sub_1Qx".into(),
        tier: plus(),
        stripe_status: "past_due".into(),
        current_period_end: Some(at(1_775_044_800)),
        cancel_at_period_end: true,
    };
    assert_eq!(kind(SUBSCRIPTION_UPDATED_OLD_API), want);
}

#[test]
fn subscription_created_on_newer_api_versions() {
    let want = BillingEvent::SubscriptionUpdated {
        member_id: None,
        customer_id: "cus_Rk1".into(),
        subscription_id: "sub_1Qx".into(),
        tier: plus(),
        stripe_status: "trialing".into(),
        current_period_end: Some(at(1_773_576_000)),
        cancel_at_period_end: false,
    };
    assert_eq!(
        kind(SUBSCRIPTION_CREATED_NEW_API),
        want,
        "period end and tier come from the first item"
    );
}

#[test]
fn subscription_deleted() {
    let want = BillingEvent::SubscriptionDeleted {
        member_id: Some("0195a3c4-member-1".into()),
        customer_id: "cus_Rk1".into(),
        subscription_id: "sub_1Qx".into(),
    };
    assert_eq!(kind(SUBSCRIPTION_DELETED), want);
}

#[test]
fn invoices_on_both_api_shapes() {
    let paid = BillingEvent::InvoicePaid {
        customer_id: "cus_Rk1".into(),
        subscription_id: Some("sub_1Qx".into()),
        period_end: Some(at(1_775_044_800)),
    };
    assert_eq!(
        kind(INVOICE_PAID_NEW_API),
        paid,
        "the latest line end, not the top-level period_end"
    );
    let failed = BillingEvent::InvoicePaymentFailed {
        customer_id: "cus_Rk1".into(),
        subscription_id: Some("sub_1Qx".into()),
    };
    assert_eq!(kind(INVOICE_FAILED_OLD_API), failed);
    let one_off = r#"{"id":"evt_7","created":1772366400,"type":"invoice.paid","data":{"object":{"customer":"cus_Rk1"}}}"#;
    assert_eq!(
        kind(one_off),
        BillingEvent::InvoicePaid {
            customer_id: "cus_Rk1".into(),
            subscription_id: None,
            period_end: None
        }
    );
}

#[test]
fn other_event_types_are_ignored() {
    let other = r#"{"id":"evt_8","object":"event","created":1772366400,"type":"customer.created","data":{"object":{"id":"cus_1"}}}"#;
    assert_eq!(
        kind(other),
        BillingEvent::Ignored {
            event_type: "customer.created".into()
        }
    );
    let bare = r#"{"id":"evt_9","created":1772366400,"type":"payout.paid"}"#;
    assert_eq!(
        kind(bare),
        BillingEvent::Ignored {
            event_type: "payout.paid".into()
        }
    );
}

#[test]
fn missing_fields_are_named() {
    let cases = [
        (
            CHECKOUT.replace(r#""subscription": "sub_1Qx""#, r#""subscription": null"#),
            "subscription",
        ),
        (
            CHECKOUT.replace(r#""customer": "cus_Rk1","#, ""),
            "customer",
        ),
        (CHECKOUT.replace(r#""created": 1772366400,"#, ""), "created"),
        (CHECKOUT.replace(r#""id": "evt_1QxCheckout","#, ""), "id"),
        (
            CHECKOUT.replace(r#""type": "checkout.session.completed","#, ""),
            "type",
        ),
        (
            SUBSCRIPTION_DELETED.replace(r#""id": "sub_1Qx", "#, ""),
            "id",
        ),
        (
            SUBSCRIPTION_UPDATED_OLD_API.replace(r#""status": "past_due","#, ""),
            "status",
        ),
        (
            INVOICE_FAILED_OLD_API.replace(r#""customer": "cus_Rk1","#, ""),
            "customer",
        ),
        (
            r#"{"id":"e","created":1,"type":"invoice.paid","data":{}}"#.to_owned(),
            "data.object",
        ),
        (CHECKOUT.replace("subscriber-plus", "Not A Slug"), "tier"),
    ];
    for (json, field) in cases {
        match parse(json.as_bytes()) {
            Err(WebhookError::Malformed(message)) => {
                assert!(message.contains(field), "{message} should name {field}");
            }
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[test]
fn garbage_never_panics() {
    let huge = [
        r#"{"id":"e","created":1e400,"type":"invoice.paid"}"#,
        r#"{"id":"e","created":18446744073709551616,"type":"invoice.paid"}"#,
        r#"{"id":"e","created":9223372036854775807,"type":"invoice.paid"}"#,
        r#"{"id":"e","created":-9223372036854775808,"type":"invoice.paid"}"#,
        r#"{"id":"e","created":1,"type":"invoice.paid","data":{"object":{"customer":"c","lines":{"data":[{"period":{"end":9223372036854775807}}]}}}}"#,
        r#"{"id":"e","created":1,"type":"customer.subscription.updated","data":{"object":{"id":"s","customer":"c","status":"active","current_period_end":-9223372036854775808}}}"#,
    ];
    for json in huge {
        assert!(
            matches!(parse(json.as_bytes()), Err(WebhookError::Malformed(_))),
            "{json}"
        );
    }
    let wrong_types = [
        "",
        "null",
        "[]",
        "42",
        "\"evt\"",
        "{}",
        r#"{"id":5}"#,
        r#"{"id":"e","created":"yesterday","type":"x"}"#,
        r#"{"id":"e","created":1,"type":"invoice.paid","data":{"object":[]}}"#,
        r#"{"id":"e","created":1,"type":"checkout.session.completed","data":{"object":{"customer":7}}}"#,
        r#"{"id":"e","created":1,"type":"customer.subscription.updated","data":{"object":{"items":{"data":"x"}}}}"#,
        r#"{"id":"e","created":1,"type":"invoice.paid","data":{"object":{"customer":"c","lines":{"data":[{"period":null}]}}}}"#,
    ];
    for json in wrong_types {
        let _ = parse(json.as_bytes());
    }
    let nested = "[".repeat(100_000);
    assert!(parse(nested.as_bytes()).is_err());
    assert!(parse(&[0xff, 0xfe, 0x00, 0x7b]).is_err());
    for sample in [
        CHECKOUT,
        SUBSCRIPTION_UPDATED_OLD_API,
        SUBSCRIPTION_CREATED_NEW_API,
        INVOICE_PAID_NEW_API,
    ] {
        for cut in 0..sample.len() {
            assert!(
                parse(&sample.as_bytes()[..cut]).is_err(),
                "a truncated event never parses"
            );
        }
        for_each_mutation(sample.as_bytes(), |bytes| {
            let _ = parse(bytes);
        });
    }
}

/// Flips bytes of `sample` at pseudo-random places into JSON-significant characters.
fn for_each_mutation(sample: &[u8], mut f: impl FnMut(&[u8])) {
    let replacements = b"{}[]\",:0-9en ";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2_000 {
        let mut bytes = sample.to_vec();
        for _ in 0..3 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let at = (state >> 33) as usize % bytes.len();
            bytes[at] = replacements[(state >> 17) as usize % replacements.len()];
        }
        f(&bytes);
    }
}

#[test]
fn a_signed_event_verifies_and_parses() {
    let header = sign(CHECKOUT.as_bytes(), SECRET, T + 2);
    assert_eq!(check(&header, CHECKOUT.as_bytes(), &[SECRET]), Ok(()));
    assert!(matches!(
        parse(CHECKOUT.as_bytes()).unwrap().kind,
        BillingEvent::CheckoutCompleted { .. }
    ));
}
