//! The members CSV parser (`import::members_csv`), pure: Ghost's columns, per-row errors with
//! row numbers, duplicates, tiers, and hostile files (BOM, CRLF, quotes, formulas, garbage,
//! non-UTF-8) answered with a clear message and never a panic.

use domain::{Slug, Tier};
use masthead::import::members_csv::{FileError, MAX_ROWS, parse};

pub fn tiers() -> Vec<Tier> {
    let tier = |slug: &str, name: &str, monthly: u32| Tier {
        id: slug.to_owned(),
        slug: Slug::parse(slug).unwrap(),
        name: name.to_owned(),
        description: String::new(),
        benefits: vec![],
        monthly_price: monthly,
        yearly_price: monthly * 10,
        currency: "usd".into(),
        trial_days: 0,
        active: true,
    };
    vec![
        tier("free", "Free", 0),
        tier("subscriber-plus", "Subscriber+", 800),
    ]
}

const HEADER: &str = "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers\n";

#[test]
fn ghosts_columns_are_read_and_extra_ones_ignored() {
    let csv = format!(
        "{HEADER}abc,Ann@Example.com,Ann Lee,Met at a conference,false,true,cus_Abc123,2024-03-01T10:00:00.000Z,,\"VIP, press\",Subscriber+\n\
         def,bob@example.com,,,,,,2024-03-02,,,\n"
    );
    let parsed = parse(csv.as_bytes(), &tiers()).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.rows.len(), 2);
    let ann = &parsed.rows[0];
    assert_eq!(ann.row, 2, "the header is row 1");
    assert_eq!(ann.member.email.as_str(), "ann@example.com");
    assert_eq!(ann.member.name.as_deref(), Some("Ann Lee"));
    assert_eq!(ann.member.note.as_deref(), Some("Met at a conference"));
    assert_eq!(ann.member.subscribed, Some(false));
    assert_eq!(
        ann.member.comp.as_ref().map(Slug::as_str),
        Some("subscriber-plus")
    );
    assert_eq!(ann.member.stripe_customer_id.as_deref(), Some("cus_Abc123"));
    assert_eq!(ann.member.labels, ["VIP", "press"]);
    assert_eq!(
        ann.member.created_at.unwrap().to_rfc3339(),
        "2024-03-01T10:00:00+00:00"
    );
    let bob = &parsed.rows[1].member;
    assert_eq!(
        (bob.name.as_ref(), bob.subscribed, bob.comp.as_ref()),
        (None, None, None)
    );
    assert!(bob.created_at.is_some());
}

#[test]
fn bad_rows_are_reported_by_number_and_the_rest_kept() {
    let csv = "email,name,subscribed_to_emails,created_at,tiers,complimentary_plan\n\
               ok@example.com,Ok,true,,,\n\
               bob@,Bob,,,,\n\
               c@example.com,C,maybe,,,\n\
               d@example.com,D,,yesterday,,\n\
               e@example.com,E,,,gold,\n\
               OK@example.com,Again,,,,\n\
               ,No email,,,,\n\
               f@example.com,F,,,,perhaps\n";
    let parsed = parse(csv.as_bytes(), &tiers()).unwrap();
    assert_eq!(parsed.rows.len(), 1);
    let errors: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "row 3: email 'bob@' is not an address",
            "row 4: subscribed_to_emails 'maybe' is not true or false",
            "row 5: created_at 'yesterday' is not a date (2024-03-01 or 2024-03-01T10:00:00Z)",
            "row 6: tier 'gold' is not a tier here (tiers: free, subscriber-plus)",
            "row 7: email 'ok@example.com' is already on row 2",
            "row 8: the email is empty",
            "row 9: complimentary_plan 'perhaps' is not true or false",
        ]
    );
    assert_eq!(parsed.total(), 8);
}

#[test]
fn a_bom_crlf_and_quoted_cells_are_read_as_text() {
    let csv = "\u{feff}email,name,note\r\n\
               a@example.com,\"Lee, Ann \"\"The Pen\"\"\",\"two\r\nlines\"\r\n\
               b@example.com,=cmd|' /C calc'!A0,+SUM(1)\r\n";
    let parsed = parse(csv.as_bytes(), &tiers()).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let a = &parsed.rows[0].member;
    assert_eq!(a.name.as_deref(), Some("Lee, Ann \"The Pen\""));
    assert_eq!(a.note.as_deref(), Some("two\r\nlines"));
    let b = &parsed.rows[1].member;
    assert_eq!(
        b.name.as_deref(),
        Some("=cmd|' /C calc'!A0"),
        "a formula stays text"
    );
    assert_eq!(b.note.as_deref(), Some("+SUM(1)"));
}

#[test]
fn whole_file_problems_get_a_clear_message() {
    let t = tiers();
    assert_eq!(parse(b"", &t).unwrap_err(), FileError::Empty);
    assert_eq!(parse(b"  \n", &t).unwrap_err(), FileError::Empty);
    assert_eq!(
        parse(b"name,note\nAnn,x\n", &t).unwrap_err(),
        FileError::NoEmailColumn
    );
    let latin1 = b"email,name\nann@example.com,Ren\xe9e\n";
    let err = parse(latin1, &t).unwrap_err();
    assert_eq!(err, FileError::NotUtf8 { row: 2 });
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    let mut many = String::from("email\n");
    for i in 0..=MAX_ROWS {
        many.push_str(&format!("m{i}@example.com\n"));
    }
    assert_eq!(
        parse(many.as_bytes(), &t).unwrap_err(),
        FileError::TooManyRows
    );
}

#[test]
fn ten_megabytes_of_garbage_is_refused_without_a_panic() {
    // A deterministic stream of bytes (xorshift), some printable, some not.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..10 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 56) as u8
        })
        .collect();
    assert!(parse(&garbage, &tiers()).is_err());
    // Printable garbage with commas, quotes and newlines: no email column.
    let printable: Vec<u8> = garbage
        .iter()
        .map(|b| b"ab,\"\n =x"[usize::from(*b) % 8])
        .collect();
    assert!(parse(&printable, &tiers()).is_err());
    // With an email header, every row is an error, none a panic.
    let mut with_header = b"email,name\n".to_vec();
    with_header.extend_from_slice(&printable[..1024 * 1024]);
    if let Ok(parsed) = parse(&with_header, &tiers()) {
        assert!(parsed.rows.is_empty());
    }
}
