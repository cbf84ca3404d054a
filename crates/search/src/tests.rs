//! Relevance, filters, snippets, suggestions, related articles and recovery, on a small fixed
//! corpus written for these tests.

use crate::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::access::{Entitlement, Viewer};

mod entitlement;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
}

fn doc(id: &str, title: &str, dek: &str, body: &str, tags: &[&str], days_ago: i64) -> IndexDoc {
    IndexDoc {
        id: id.into(),
        title: title.into(),
        dek: dek.into(),
        body: body.into(),
        gated: None,
        section: tags.first().map(ToString::to_string),
        tags: tags
            .iter()
            .map(|t| (t.to_string(), t.replace('-', " ")))
            .collect(),
        authors: vec![("ada-park".into(), "Ada Park".into())],
        published_at: now() - Duration::days(days_ago),
    }
}

fn corpus() -> Vec<IndexDoc> {
    vec![
        doc(
            "phrase",
            "Shipping lanes under pressure",
            "Insurers react",
            "The strait of hormuz closure would raise premiums across the gulf.",
            &["deep-dive", "energy"],
            10,
        ),
        doc(
            "scattered",
            "Gulf notes",
            "Odds and ends",
            "A strait in the north, a closure of a port, and hormuz is mentioned once without context.",
            &["opinion", "energy"],
            11,
        ),
        doc(
            "title",
            "Sanctions on Caracas tighten",
            "Oil exports fall",
            "Officials described the measures.",
            &["deep-dive", "venezuela"],
            30,
        ),
        doc(
            "body",
            "Weekly briefing",
            "What happened",
            "In other news, sanctions were discussed at length by diplomats in Caracas.",
            &["opinion", "venezuela"],
            30,
        ),
        doc(
            "cyber",
            "Ransomware gangs target hospitals",
            "A cybersecurity crisis",
            "Hospitals in three states paid ransoms after intrusions.",
            &["expert-interviews", "cyber"],
            5,
        ),
        doc(
            "nuclear",
            "Inside the enrichment talks",
            "Negotiators meet in Vienna",
            "Centrifuges and inspections dominate the agenda; the deal hinges on verification.",
            &["deep-dive", "iran"],
            200,
        ),
        doc(
            "future",
            "Embargoed analysis of centrifuges",
            "Not yet",
            "Scheduled for next week.",
            &["deep-dive", "iran"],
            -7,
        ),
        doc(
            "markup",
            "Tags <b>are</b> & text",
            "Ampersands & angles",
            "Use <script>alert(1)</script> & friends carefully.",
            &["opinion"],
            1,
        ),
    ]
}

fn index_with(docs: &[IndexDoc]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (index, opened) = SearchIndex::open(&dir.path().join("search")).unwrap();
    assert!(matches!(opened, Opened::Rebuilt(_)));
    index.apply(docs, &[], &Cursor::default()).unwrap();
    (dir, index)
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    run(index, q, Sort::Relevance).ids
}

fn run(index: &SearchIndex, q: &str, sort: Sort) -> Results {
    index.search(&request(q, sort, anonymous())).unwrap()
}

fn anonymous() -> Entitlement {
    Entitlement::of(&Viewer::anonymous())
}

fn request(q: &str, sort: Sort, entitlement: Entitlement) -> SearchRequest {
    SearchRequest {
        parsed: parse(q),
        sort,
        offset: 0,
        limit: 20,
        now: now(),
        ranking: Ranking::default(),
        entitlement,
    }
}

#[test]
fn an_exact_phrase_beats_scattered_words() {
    let (_d, index) = index_with(&corpus());
    assert_eq!(ids(&index, "\"strait of hormuz closure\""), ["phrase"]);
    assert_eq!(ids(&index, "strait hormuz closure")[0], "phrase");
    assert!(ids(&index, "strait hormuz closure").contains(&"scattered".to_string()));
}

#[test]
fn a_title_match_beats_a_body_match() {
    let (_d, index) = index_with(&corpus());
    assert_eq!(ids(&index, "sanctions caracas"), ["title", "body"]);
}

#[test]
fn stems_typos_and_prefixes_still_find_the_story() {
    let (_d, index) = index_with(&corpus());
    assert_eq!(ids(&index, "sanctioned")[0], "title", "stemming");
    assert_eq!(
        ids(&index, "ransomwear"),
        ["cyber"],
        "one typo in a 10-letter word"
    );
    assert_eq!(
        ids(&index, "hosptals"),
        ["cyber"],
        "one typo in an 8-letter word"
    );
    assert_eq!(ids(&index, "centrifuegs"), ["nuclear"], "transposition");
    assert!(
        ids(&index, "ira ").is_empty(),
        "short words get no typo tolerance"
    );
    assert_eq!(
        ids(&index, "ira"),
        ["nuclear"],
        "but do complete while typed"
    );
    assert_eq!(
        ids(&index, "cybersec"),
        ["cyber"],
        "the word being typed completes"
    );
    assert!(
        ids(&index, "cybersec ").is_empty(),
        "a finished word does not"
    );
}

#[test]
fn filters_narrow_and_exclusions_exclude() {
    let (_d, index) = index_with(&corpus());
    assert_eq!(ids(&index, "sanctions section:deep-dive"), ["title"]);
    assert_eq!(ids(&index, "sanctions tag:opinion"), ["body"]);
    assert_eq!(ids(&index, "sanctions -diplomats"), ["title"]);
    assert_eq!(ids(&index, "hormuz -\"strait of hormuz\""), ["scattered"]);
    assert_eq!(
        ids(&index, "author:ada-park").len(),
        7,
        "a filter alone lists by date"
    );
    assert!(ids(&index, "sanctions author:someone-else").is_empty());
    let recent = run(&index, "after:2026-10-15", Sort::Date).ids;
    assert_eq!(recent, ["markup", "cyber", "phrase", "scattered"]);
    let old = ids(&index, "before:2026-05-01");
    assert_eq!(old, ["nuclear"]);
}

#[test]
fn future_dated_posts_stay_hidden_until_their_time() {
    let (_d, index) = index_with(&corpus());
    assert_eq!(ids(&index, "centrifuges"), ["nuclear"]);
    let later = index
        .search(&SearchRequest {
            now: now() + Duration::days(8),
            ..request("centrifuges", Sort::Date, anonymous())
        })
        .unwrap();
    assert_eq!(later.ids, ["future", "nuclear"]);
}

#[test]
fn date_sort_and_pagination() {
    let (_d, index) = index_with(&corpus());
    let all = run(&index, "tag:venezuela", Sort::Date);
    assert_eq!(all.total, 2);
    let second = index
        .search(&SearchRequest {
            offset: 2,
            limit: 2,
            ..request("author:ada-park", Sort::Date, anonymous())
        })
        .unwrap();
    assert_eq!(second.total, 7);
    assert_eq!(second.ids, ["phrase", "scattered"]);
}

#[test]
fn recency_breaks_ties_and_is_tunable() {
    let old = doc("old", "Drone strikes", "", "", &["opinion"], 400);
    let new = doc("new", "Drone strikes", "", "", &["opinion"], 2);
    let (_d, index) = index_with(&[old, new]);
    assert_eq!(ids(&index, "drone"), ["new", "old"]);
}

#[test]
fn snippets_escape_everything_but_marks_and_use_only_the_text_given() {
    let (_d, index) = index_with(&corpus());
    let results = run(&index, "friends script", Sort::Relevance);
    assert_eq!(results.ids, ["markup"]);
    let html = results
        .highlighter
        .snippet("Use <script>alert(1)</script> & friends carefully.");
    assert!(html.contains("<mark>friends</mark>"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;") && html.contains("&amp;"), "{html}");
    // The snippet is built from the visible text only; nothing else can appear in it.
    let free_only = results.highlighter.snippet("A free teaser with no match.");
    assert_eq!(free_only, "A free teaser with no match.");
    assert_eq!(
        results.highlighter.title("Tags <b>are</b> & text"),
        "Tags &lt;b&gt;are&lt;/b&gt; &amp; text"
    );
    let titled = run(&index, "ransomware", Sort::Relevance);
    assert_eq!(
        titled
            .highlighter
            .title("Ransomware gangs target hospitals"),
        "<mark>Ransomware</mark> gangs target hospitals"
    );
}

#[test]
fn hostile_queries_get_results_or_nothing_never_an_error() {
    let (_d, index) = index_with(&corpus());
    let long = "x".repeat(10_000);
    let many = "sanctions ".repeat(1_000);
    for q in [
        "",
        " ",
        "\"",
        "-",
        "-\"\"",
        "tag:",
        "***",
        "\u{0}",
        "((",
        long.as_str(),
        many.as_str(),
        "a:b \"unbalanced",
        "-sanctions",
    ] {
        let r = run(&index, q, Sort::Relevance);
        assert!(r.total <= 8, "{q:?}");
    }
    assert_eq!(
        run(&index, "-sanctions", Sort::Relevance).total,
        0,
        "exclusions alone match nothing"
    );
}

#[test]
fn did_you_mean_comes_from_the_index_vocabulary() {
    let (_d, index) = index_with(&corpus());
    assert_eq!(
        index
            .suggest("ransonware gangz", &anonymous(), now())
            .as_deref(),
        Some("ransomware gangs")
    );
    assert_eq!(
        index.suggest("hospitals", &anonymous(), now()),
        None,
        "known words need no correction"
    );
    assert_eq!(index.suggest("qqqqqqqq", &anonymous(), now()), None);
}

#[test]
fn deletes_and_updates_apply_with_the_cursor() {
    let (_d, index) = index_with(&corpus());
    let mut changed = corpus()[4].clone();
    changed.title = "Hospitals pay ransoms".into();
    let cursor = Cursor {
        changed_at: 42,
        id: "cyber".into(),
        deleted_at: 7,
    };
    index.apply(&[changed], &["title".into()], &cursor).unwrap();
    assert!(ids(&index, "gangs").is_empty());
    assert_eq!(ids(&index, "sanctions"), ["body"]);
    assert_eq!(index.num_docs(), 7);
    assert_eq!(index.cursor(), cursor);
}

#[test]
fn a_missing_outdated_or_damaged_index_is_rebuilt_and_a_whole_one_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    {
        let (index, _) = SearchIndex::open(&path).unwrap();
        index
            .apply(
                &corpus(),
                &[],
                &Cursor {
                    changed_at: 5,
                    ..Cursor::default()
                },
            )
            .unwrap();
        assert!(matches!(
            SearchIndex::open(&path),
            Err(SearchError::Busy(_))
        ));
    }
    let (index, opened) = SearchIndex::open(&path).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(index.num_docs(), 8);
    assert_eq!(index.cursor().changed_at, 5);
    drop(index);

    // Truncate every segment file.
    for entry in std::fs::read_dir(&path).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let json = p.extension().is_some_and(|e| e == "json");
        if !json && !name.starts_with('.') && name != "VERSION" {
            let len = std::fs::metadata(&p).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&p)
                .unwrap()
                .set_len(len / 2)
                .unwrap();
        }
    }
    let (index, opened) = SearchIndex::open(&path).unwrap();
    assert!(
        matches!(opened, Opened::Rebuilt(ref why) if why.contains("damaged")),
        "{opened:?}"
    );
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.cursor(), Cursor::default());
    drop(index);

    std::fs::write(path.join("VERSION"), "0").unwrap();
    let (_, opened) = SearchIndex::open(&path).unwrap();
    assert!(matches!(opened, Opened::Rebuilt(ref why) if why.contains("version")));

    std::fs::remove_dir_all(&path).unwrap();
    let (index, opened) = SearchIndex::open(&path).unwrap();
    assert!(matches!(opened, Opened::Rebuilt(_)));
    assert!(index.is_on_disk());
}

#[test]
fn related_articles_are_similar_live_distinct_and_never_the_post_itself() {
    let mut docs = corpus();
    docs.push(doc(
        "nuclear-2",
        "Enrichment limits and inspections",
        "Verification is the sticking point",
        "Inspectors want access to centrifuges; negotiators in Vienna disagree on enrichment.",
        &["opinion", "iran"],
        20,
    ));
    let (_d, index) = index_with(&docs);
    let nuclear = docs.iter().find(|d| d.id == "nuclear").unwrap();
    let related = index.related(nuclear, now(), RELATED_COUNT).unwrap();
    assert_eq!(related[0], "nuclear-2");
    assert!(!related.contains(&"nuclear".to_string()));
    assert!(!related.contains(&"future".to_string()), "not yet live");
    assert!(related.len() <= RELATED_COUNT);
    let mut unique = related.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), related.len());
}

#[test]
fn snippets_of_long_texts_find_the_passage_far_down() {
    let (_d, index) = index_with(&corpus());
    let results = run(&index, "ransomware", Sort::Relevance);
    let long = format!(
        "{} The ransomware crews struck at night. {}",
        "Filler sentence about nothing in particular. ".repeat(200),
        "More filler follows here. ".repeat(200)
    );
    let html = results.highlighter.snippet(&long);
    assert!(html.contains("<mark>ransomware</mark> crews"), "{html}");
    assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
    let none = results.highlighter.snippet("Nothing relevant here at all.");
    assert_eq!(none, "Nothing relevant here at all.");
    let accented = results
        .highlighter
        .snippet("Café owners fear ransomware élite gangs.");
    assert!(accented.contains("<mark>ransomware</mark>"), "{accented}");
}
