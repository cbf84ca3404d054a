//! The settings table: defaults that read, unreadable values that fall back, checks on write.

use super::*;

fn stored(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn every_default_reads_and_is_what_an_empty_store_gives() {
    for setting in SETTINGS {
        assert_eq!(setting.check(setting.default), Ok(()), "{}", setting.key);
        assert!(
            !setting.about.is_empty(),
            "{} says what it does",
            setting.key
        );
    }
    let settings = SiteSettings::default();
    assert_eq!(settings.title, "Masthead");
    assert_eq!(settings.language, "en");
    assert_eq!(settings.paid_tier_name, "Subscriber+");
    assert_eq!((settings.meter_members, settings.meter_anonymous), (0, 0));
    assert_eq!(settings.free_paragraphs, 2);
    assert_eq!((settings.icon, settings.default_author), (None, None));
}

#[test]
fn keys_are_unique_and_found_by_name() {
    for (i, setting) in SETTINGS.iter().enumerate() {
        assert!(SETTINGS[..i].iter().all(|s| s.key != setting.key));
        assert_eq!(find(setting.key).map(|s| s.key), Ok(setting.key));
    }
    let err = find("robot_extra").err().unwrap_or_default();
    assert!(err.contains("robots_extra"), "{err}");
}

#[test]
fn stored_values_are_read_into_their_types() {
    let settings = SiteSettings::from_stored(&stored(&[
        ("title", ""),
        ("meter_members", "3"),
        ("free_paragraphs", "0"),
        ("icon", " https://cdn.example/icon.png "),
        ("default_author", "  "),
    ]));
    assert_eq!(settings.title, "", "an empty title is the editor's choice");
    assert_eq!(settings.meter_members, 3);
    assert_eq!(settings.free_paragraphs, 0);
    assert_eq!(
        settings.icon.as_deref(),
        Some("https://cdn.example/icon.png")
    );
    assert_eq!(settings.default_author, None, "blank means Staff");
}

#[test]
fn an_unreadable_stored_value_falls_back_to_the_default() {
    let settings = SiteSettings::from_stored(&stored(&[
        ("meter_members", "three"),
        ("meter_anonymous", "-1"),
        ("free_paragraphs", ""),
        ("title", "Still Read"),
    ]));
    assert_eq!(settings.meter_members, 0);
    assert_eq!(settings.meter_anonymous, 0);
    assert_eq!(settings.free_paragraphs, 2);
    assert_eq!(settings.title, "Still Read", "the others are unaffected");
}

#[test]
fn checks_refuse_what_would_not_read_and_say_what_would() {
    let meter = find("meter_members").ok();
    let err = meter.map(|s| s.check("lots")).and_then(Result::err);
    let err = err.unwrap_or_default();
    assert!(
        err.contains("meter_members") && err.contains("whole number"),
        "{err}"
    );
    assert_eq!(meter.map(|s| s.check("5")), Some(Ok(())));
    assert_eq!(find("title").map(|s| s.check("")), Ok(Ok(())));
}

#[test]
fn shown_values_are_the_stored_text_or_the_default() {
    let stored = stored(&[("title", "The Review")]);
    let shown: Vec<(&str, &str)> = shown(&stored).map(|(s, v)| (s.key, v)).collect();
    assert_eq!(shown[0], ("title", "The Review"));
    assert!(shown.contains(&("free_paragraphs", "2")));
    assert_eq!(shown.len(), SETTINGS.len());
}

#[test]
fn grace_days_are_0_to_60_and_unset_means_the_configured_number() {
    let grace = find("past_due_grace_days").ok();
    for ok in ["", "0", "3", "60"] {
        assert_eq!(grace.map(|s| s.check(ok)), Some(Ok(())), "{ok:?}");
    }
    for bad in ["61", "-1", "a week"] {
        let err = grace.map(|s| s.check(bad)).and_then(Result::err);
        assert!(err.unwrap_or_default().contains("0 to 60"), "{bad:?}");
    }
    let unset = SiteSettings::default();
    assert_eq!(unset.grace(7), chrono::Duration::days(7));
    let set = SiteSettings::from_stored(&stored(&[("past_due_grace_days", "3")]));
    assert_eq!(set.grace(7), chrono::Duration::days(3));
}
