#![allow(
    clippy::too_many_lines,
    clippy::many_single_char_names,
    clippy::cast_possible_truncation,
    reason = "tables of filters read top to bottom; y, m, d, h, s name a date's parts"
)]
use super::*;
use crate::ghost::fields;
use chrono::TimeZone;
use store::query::{Attr, PostField as F};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

fn posts(input: &str) -> Result<Cond<F>, FilterError> {
    parse(input, fields::post, now())
}

fn is(field: F, test: Test) -> Cond<F> {
    Cond::Test {
        field,
        negated: false,
        test,
    }
}

fn not(field: F, test: Test) -> Cond<F> {
    Cond::Test {
        field,
        negated: true,
        test,
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> Value {
    Value::Time(Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap())
}

#[test]
fn valid_filters_and_their_meaning() {
    let slug = F::Tag(Attr::Slug);
    let table: Vec<(&str, Cond<F>)> = vec![
        ("", Cond::All(vec![])),
        ("   ", Cond::All(vec![])),
        ("tag:china", is(slug, Test::Eq(text("china")))),
        ("tags.slug:china", is(slug, Test::Eq(text("china")))),
        ("tags:china", is(slug, Test::Eq(text("china")))),
        (
            "tags.name:'Deep Dive'",
            is(F::Tag(Attr::Name), Test::Eq(text("Deep Dive"))),
        ),
        ("-tag:china", not(slug, Test::Eq(text("china")))),
        ("tag:-china", not(slug, Test::Eq(text("china")))),
        (
            "tag:[china,russia]",
            is(slug, Test::In(vec![text("china"), text("russia")])),
        ),
        (
            "tag:-[china, russia]",
            not(slug, Test::In(vec![text("china"), text("russia")])),
        ),
        (
            "featured:true",
            is(F::Featured, Test::Eq(Value::Bool(true))),
        ),
        (
            "featured:false",
            is(F::Featured, Test::Eq(Value::Bool(false))),
        ),
        ("visibility:paid", is(F::Visibility, Test::Eq(text("paid")))),
        (
            "primary_tag:deep-dive",
            is(F::PrimaryTag(Attr::Slug), Test::Eq(text("deep-dive"))),
        ),
        (
            "author:dana",
            is(F::Author(Attr::Slug), Test::Eq(text("dana"))),
        ),
        (
            "authors.slug:dana",
            is(F::Author(Attr::Slug), Test::Eq(text("dana"))),
        ),
        (
            "primary_author:dana",
            is(F::PrimaryAuthor(Attr::Slug), Test::Eq(text("dana"))),
        ),
        (
            "feature_image:null",
            is(F::FeatureImage, Test::Eq(Value::Null)),
        ),
        (
            "feature_image:-null",
            not(F::FeatureImage, Test::Eq(Value::Null)),
        ),
        ("title:'null'", is(F::Title, Test::Eq(text("null")))),
        (
            "title:~'strait'",
            is(F::Title, Test::Like(LikeOp::Contains, "strait".into())),
        ),
        (
            "title:~^'What'",
            is(F::Title, Test::Like(LikeOp::StartsWith, "What".into())),
        ),
        (
            "title:~$mean",
            is(F::Title, Test::Like(LikeOp::EndsWith, "mean".into())),
        ),
        (
            "title:'It\\'s here'",
            is(F::Title, Test::Eq(text("It's here"))),
        ),
        (
            "title:\"double, quoted\"",
            is(F::Title, Test::Eq(text("double, quoted"))),
        ),
        (
            "published_at:>2026-11-01",
            is(
                F::PublishedAt,
                Test::Cmp(CmpOp::Gt, at(2026, 11, 1, 0, 0, 0)),
            ),
        ),
        (
            "published_at:>='2026-11-01 09:30:00'",
            is(
                F::PublishedAt,
                Test::Cmp(CmpOp::Gte, at(2026, 11, 1, 9, 30, 0)),
            ),
        ),
        (
            "published_at:<'2026-11-01T09:30:00Z'",
            is(
                F::PublishedAt,
                Test::Cmp(CmpOp::Lt, at(2026, 11, 1, 9, 30, 0)),
            ),
        ),
        (
            "published_at:<=now",
            is(F::PublishedAt, Test::Cmp(CmpOp::Lte, Value::Time(now()))),
        ),
        (
            "published_at:>now-7d",
            is(
                F::PublishedAt,
                Test::Cmp(CmpOp::Gt, at(2026, 11, 13, 12, 0, 0)),
            ),
        ),
        (
            "updated_at:>now-2w",
            is(
                F::UpdatedAt,
                Test::Cmp(CmpOp::Gt, at(2026, 11, 6, 12, 0, 0)),
            ),
        ),
        (
            "created_at:<now-1M",
            is(
                F::CreatedAt,
                Test::Cmp(CmpOp::Lt, at(2026, 10, 20, 12, 0, 0)),
            ),
        ),
        (
            "created_at:<now-1y",
            is(
                F::CreatedAt,
                Test::Cmp(CmpOp::Lt, at(2025, 11, 20, 12, 0, 0)),
            ),
        ),
        (
            "published_at:<'now+3h'",
            is(
                F::PublishedAt,
                Test::Cmp(CmpOp::Lt, at(2026, 11, 20, 15, 0, 0)),
            ),
        ),
        (
            "featured:true+tag:china",
            Cond::All(vec![
                is(F::Featured, Test::Eq(Value::Bool(true))),
                is(slug, Test::Eq(text("china"))),
            ]),
        ),
        (
            // `+` binds tighter than `,`.
            "tag:a,tag:b+featured:true",
            Cond::Any(vec![
                is(slug, Test::Eq(text("a"))),
                Cond::All(vec![
                    is(slug, Test::Eq(text("b"))),
                    is(F::Featured, Test::Eq(Value::Bool(true))),
                ]),
            ]),
        ),
        (
            "(tag:a,tag:b)+featured:true",
            Cond::All(vec![
                Cond::Any(vec![
                    is(slug, Test::Eq(text("a"))),
                    is(slug, Test::Eq(text("b"))),
                ]),
                is(F::Featured, Test::Eq(Value::Bool(true))),
            ]),
        ),
        (" ( tag : a ) ", is(slug, Test::Eq(text("a")))),
    ];
    for (input, expected) in table {
        assert_eq!(posts(input), Ok(expected), "{input}");
    }
}

#[test]
fn fields_outside_the_allow_list_are_refused() {
    for input in [
        "email:a@b.c",
        "authors.email:a@b.c",
        "authors.password:x",
        "password:x",
        "markdown:~secret",
        "gated_html:~secret",
        "html:~secret",
        "plaintext:~secret",
        "tags.description:x",
        "status:draft",
        "primary_author.email:x",
    ] {
        let err = posts(input).unwrap_err();
        assert!(err.0.starts_with("cannot filter on"), "{input}: {err}");
    }
    assert!(parse("email:x", fields::author, now()).is_err());
    assert!(parse("slug:x", fields::author, now()).is_ok());
    assert!(parse("visibility:public", fields::tag, now()).is_ok());
}

#[test]
fn malformed_filters_are_errors() {
    for input in [
        "tag",
        "tag:",
        ":china",
        "tag:china+",
        "tag:china,",
        "+tag:china",
        "(tag:china",
        "tag:china)",
        "((tag:china)",
        "tag:[china,russia",
        "tag:[china,",
        "tag:[]",
        "tag:china]",
        "tag:'china",
        "tag:\"china",
        "tag:china tag:russia",
        "tag:=china",
        "tag:!china",
        "tag:>>china",
        "tag:china:russia",
        "featured:yes",
        "featured:>true",
        "featured:~tru",
        "published_at:yesterday",
        "published_at:>now-7",
        "published_at:>now-7q",
        "published_at:>now-99999999999d",
        "published_at:>'2026-13-45'",
        "published_at:~2026",
        "title:>null",
        "-(tag:china)",
        "--",
        "[",
        "]",
        "'",
        "\\",
    ] {
        assert!(posts(input).is_err(), "{input:?} should be refused");
    }
}

#[test]
fn oversized_and_deep_filters_are_errors_not_crashes() {
    let long = format!("title:'{}'", "a".repeat(10 * 1024));
    assert!(posts(&long).unwrap_err().0.contains("longer than"));
    let deep = format!("{}tag:a{}", "(".repeat(200), ")".repeat(200));
    assert!(posts(&deep).is_err());
    let ok_depth = format!("{}tag:a{}", "(".repeat(10), ")".repeat(10));
    assert!(posts(&ok_depth).is_ok());
    let list: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
    assert!(posts(&format!("tag:[{}]", list.join(","))).is_err());
    let many: Vec<String> = (0..300).map(|i| format!("tag:t{i}")).collect();
    assert!(posts(&many.join(",")).is_ok(), "long flat ors are fine");
}

#[test]
fn random_bytes_never_panic() {
    // A small deterministic generator: the same bytes every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet: Vec<char> = "tag:[],()+-'\"~^$<>=!\\ .aéz0\u{0}\u{202e}featured:truenow-7d"
        .chars()
        .collect();
    for _ in 0..5000 {
        let mut input = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 40) as usize;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            input.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let _ = posts(&input);
    }
    let lossy = String::from_utf8_lossy(&[0xff, 0xfe, b't', b':', 0x80]).into_owned();
    assert!(posts(&lossy).is_err());
}
