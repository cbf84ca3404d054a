//! Search is no oracle for gated text: a canary that lives only in the gated part of a members,
//! a paid and a tier post matches, completes, corrects, excludes and weighs only for viewers
//! entitled to read that post in full; for everyone else the index behaves as if it were not
//! there. (A public post's gated part, which everyone reads in full, matches for everyone.)

use super::{anonymous, doc, index_with, now, request};
use crate::*;
use domain::access::{Entitlement, GatedText, MemberAccess, Viewer, audiences};
use domain::{Slug, Visibility};

struct Probe {
    id: &'static str,
    canary: &'static str,
    /// Whom the gated part is for: `public`, `members`, `paid`, `gold` or `silver` (tiers).
    kind: &'static str,
}

const PROBES: [Probe; 5] = [
    Probe {
        id: "public-probe",
        canary: "jubilantroc",
        kind: "public",
    },
    Probe {
        id: "members-probe",
        canary: "zephyrine",
        kind: "members",
    },
    Probe {
        id: "paid-probe",
        canary: "quetzalbrine",
        kind: "paid",
    },
    Probe {
        id: "gold-probe",
        canary: "vorpalnexus",
        kind: "gold",
    },
    Probe {
        id: "silver-probe",
        canary: "xylocrumbs",
        kind: "silver",
    },
];

fn visibility(kind: &str) -> Visibility {
    match kind {
        "public" => Visibility::Public,
        "members" => Visibility::Members,
        "paid" => Visibility::Paid,
        tier => Visibility::tiers(&[tier]).unwrap(),
    }
}

fn gated(doc: &mut IndexDoc, text: &str, visibility: &Visibility) {
    doc.gated = Some(GatedText {
        text: text.into(),
        audiences: audiences(visibility),
    });
}

/// The fixed corpus plus one probe per gated visibility: free text shared by all, the canary
/// only in the gated part (beside words other posts use freely, so that statistics would show).
fn probed(keep_gated: impl Fn(&Probe) -> bool) -> Vec<IndexDoc> {
    let mut docs = super::corpus();
    for (i, p) in PROBES.iter().enumerate() {
        let mut d = doc(
            p.id,
            &format!("Harbour pilots report {i}"),
            "A dispatch from the docks",
            "Free opening about harbour pilots and the strait.",
            &["deep-dive", "energy"],
            3 + i64::try_from(i).unwrap(),
        );
        if keep_gated(p) {
            let text = format!(
                "The pilots logged {} cargo near hormuz. Sanctions and hospitals follow.",
                p.canary
            );
            gated(&mut d, &text, &visibility(p.kind));
        }
        docs.push(d);
    }
    docs
}

fn member(paid: bool, tiers: &[&str]) -> Entitlement {
    Entitlement::of(&Viewer::member(MemberAccess {
        paid,
        tiers: tiers.iter().map(|t| Slug::parse(t).unwrap()).collect(),
    }))
}

/// Every kind of viewer, with the probe kinds each may read in full.
fn viewers() -> Vec<(&'static str, Entitlement, &'static [&'static str])> {
    vec![
        ("anonymous", anonymous(), &["public"]),
        ("free member", member(false, &[]), &["public", "members"]),
        (
            "gold member",
            member(true, &["gold"]),
            &["public", "members", "paid", "gold"],
        ),
        (
            "silver member",
            member(true, &["silver"]),
            &["public", "members", "paid", "silver"],
        ),
        (
            "staff",
            Entitlement::of(&Viewer::staff()),
            &["public", "members", "paid", "gold", "silver"],
        ),
    ]
}

/// One letter changed in the middle of the word.
fn misspelt(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'k' { 'j' } else { 'k' };
    chars.into_iter().collect()
}

/// What a reader might try to learn a canary with: the word, a phrase around it, the word
/// narrowed by each filter, a misspelling and the word still being typed.
fn probes_of(canary: &str) -> Vec<String> {
    vec![
        canary.to_owned(),
        format!("\"logged {canary} cargo\""),
        format!("{canary} tag:energy"),
        format!("{canary} author:ada-park"),
        format!("{canary} section:deep-dive"),
        format!("{canary} after:2026-10-01"),
        format!("{} ", misspelt(canary)),
        canary[..6].to_owned(),
    ]
}

#[test]
fn gated_words_match_only_for_viewers_entitled_to_the_post() {
    let (_d, index) = index_with(&probed(|_| true));
    for (name, entitlement, reads) in viewers() {
        for probe in &PROBES {
            let entitled = reads.contains(&probe.kind);
            for q in probes_of(probe.canary) {
                let found = index
                    .search(&request(&q, Sort::Relevance, entitlement.clone()))
                    .unwrap();
                let want: &[&str] = if entitled { &[probe.id] } else { &[] };
                assert_eq!(found.ids, want, "{name}: {q:?}");
                assert_eq!(found.total, want.len(), "{name}: {q:?}");
                let counted = index.count(&parse(&q), &entitlement, now()).unwrap();
                assert_eq!(counted, want.len(), "{name}: count of {q:?}");
                // Completions and near spellings are highlighted in snippets: none may come
                // from text this viewer may not read.
                if !q.contains(probe.canary) {
                    let marked = found.highlighter.snippet(&format!("x {} y", probe.canary));
                    assert_eq!(
                        marked.contains("<mark>"),
                        entitled,
                        "{name}: {q:?} {marked}"
                    );
                }
            }
        }
    }
}

#[test]
fn did_you_mean_offers_only_words_the_viewer_may_read() {
    let (_d, index) = index_with(&probed(|_| true));
    for (name, entitlement, reads) in viewers() {
        for probe in &PROBES {
            let typo = misspelt(probe.canary);
            let suggested = index.suggest(&typo, &entitlement, now());
            if reads.contains(&probe.kind) {
                assert_eq!(suggested.as_deref(), Some(probe.canary), "{name}: {typo}");
            } else {
                let leaked = suggested
                    .iter()
                    .any(|s| s.to_lowercase().contains(probe.canary));
                assert!(!leaked, "{name}: {typo} → {suggested:?}");
            }
        }
    }
    // A word found in the free vocabulary is corrected for everyone.
    for (name, entitlement, _) in viewers() {
        let suggested = index.suggest("harbuor pilots", &entitlement, now());
        assert_eq!(suggested.as_deref(), Some("harbour pilots"), "{name}");
    }
    // Beside a readable word as near, the gated one is offered only to who may read it; the
    // others get the readable one, as if the gated word did not exist.
    let mut docs = probed(|_| true);
    docs.push(doc(
        "near",
        "Winds",
        "",
        "The zephyrinz blew.",
        &["opinion"],
        2,
    ));
    let (_e, index) = index_with(&docs);
    let typo = misspelt("zephyrine");
    for (name, entitlement, reads) in viewers() {
        let want = if reads.contains(&"members") {
            "zephyrine"
        } else {
            "zephyrinz"
        };
        let suggested = index.suggest(&typo, &entitlement, now());
        assert_eq!(suggested.as_deref(), Some(want), "{name}: {typo}");
    }
}

#[test]
fn an_exclusion_looks_only_at_gated_text_the_viewer_may_read() {
    let (_d, index) = index_with(&probed(|_| true));
    for (name, entitlement, reads) in viewers() {
        for probe in &PROBES {
            for q in [
                format!("harbour -{}", probe.canary),
                format!("harbour -\"logged {} cargo\"", probe.canary),
            ] {
                let found = index
                    .search(&request(&q, Sort::Date, entitlement.clone()))
                    .unwrap();
                let hidden = !found.ids.iter().any(|id| id == probe.id);
                assert_eq!(hidden, reads.contains(&probe.kind), "{name}: {q}");
                assert_eq!(
                    found.total,
                    PROBES.len() - usize::from(hidden),
                    "{name}: {q}"
                );
            }
        }
    }
}

/// For every viewer, the index answers as an index would that never held the gated text they
/// may not read: the same posts, the same totals, the same suggestions.
#[test]
fn for_each_viewer_the_index_acts_as_if_unreadable_gated_text_were_absent() {
    let (_d, full) = index_with(&probed(|_| true));
    let mut queries: Vec<String> = [
        "harbour",
        "sanctions",
        "sanctions -hormuz",
        "hospitals tag:energy",
        "hosp",
        "sanctons ",
        "\"sanctions and hospitals\"",
        "hormuz closure",
        "pilots -cargo",
        "cargo",
    ]
    .map(String::from)
    .to_vec();
    queries.extend(PROBES.iter().flat_map(|p| probes_of(p.canary)));
    for (name, entitlement, reads) in viewers() {
        let (_e, stripped) = index_with(&probed(|p| reads.contains(&p.kind)));
        for q in &queries {
            let ask = request(q, Sort::Relevance, entitlement.clone());
            let (a, b) = (full.search(&ask).unwrap(), stripped.search(&ask).unwrap());
            assert_eq!(a.total, b.total, "{name}: {q}");
            let (mut a_ids, mut b_ids) = (a.ids.clone(), b.ids.clone());
            if name == "anonymous" {
                assert_eq!(a_ids, b_ids, "{name}: {q} ranks alike");
            }
            a_ids.sort();
            b_ids.sort();
            assert_eq!(a_ids, b_ids, "{name}: {q}");
            assert_eq!(
                full.suggest(q, &entitlement, now()),
                stripped.suggest(q, &entitlement, now()),
                "{name}: suggestion for {q}"
            );
        }
    }
}

/// How often other readers' gated text uses a word must not move an entitled reader's results:
/// the weight of a gated word counts only the posts the viewer may match.
#[test]
fn other_tiers_gated_text_does_not_weigh_a_word() {
    let ranked = |silver_word: &str| {
        let mut docs = vec![doc(
            "free",
            "Farming notes",
            "",
            &format!("{} kelp.", "Long free text about the coast. ".repeat(8)),
            &["opinion"],
            5,
        )];
        let mut gold = doc("gold", "Gold briefing", "", "Free part.", &["opinion"], 5);
        gated(&mut gold, "kelp yields", &visibility("gold"));
        docs.push(gold);
        for i in 0..20 {
            let mut d = doc(&format!("s{i}"), "Silver", "", "Free.", &["opinion"], 9);
            gated(
                &mut d,
                &format!("{silver_word} yields"),
                &visibility("silver"),
            );
            docs.push(d);
        }
        let (_d, index) = index_with(&docs);
        let ask = request("kelp", Sort::Relevance, member(true, &["gold"]));
        index.search(&ask).unwrap().ids
    };
    assert_eq!(ranked("kelp"), ranked("moss"));
    assert_eq!(ranked("kelp"), ["gold", "free"]);
}

/// Whether a word is completed depends on how common it is: only where the viewer may match it,
/// or a word common in other readers' gated text would stop completing (and so be revealed).
#[test]
fn a_word_common_only_in_unreadable_gated_text_still_completes() {
    let mut docs = vec![doc(
        "lisbon",
        "Portugal",
        "",
        "Lisbon dockers.",
        &["news"],
        2,
    )];
    for i in 0..20 {
        let mut d = doc(&format!("s{i}"), "Silver", "", "Free.", &["opinion"], 9);
        gated(&mut d, "The port authority.", &visibility("silver"));
        docs.push(d);
    }
    let (_d, index) = index_with(&docs);
    let found = |entitlement| {
        let results = index.search(&request("port", Sort::Date, entitlement));
        results.unwrap()
    };
    assert_eq!(found(anonymous()).ids, ["lisbon"]);
    assert_eq!(found(member(true, &["gold"])).ids, ["lisbon"]);
    assert_eq!(
        found(member(true, &["silver"])).total,
        20,
        "common: not completed"
    );
}

/// Related Articles are shown to everyone: two posts that share words only in their gated
/// parts are not related for it, while the same words in their free parts do relate them.
#[test]
fn related_articles_ignore_gated_text() {
    let pair = |in_free: bool| {
        let text = "Zanzibar clove auditors counted warehouses and harvest ledgers.";
        let mut docs = super::corpus();
        for (id, tag, own) in [
            ("left", "alpha", "Monsoon rains delayed shipping."),
            ("right", "beta", "Parliament debated fisheries quotas."),
        ] {
            let free = if in_free { text } else { own };
            let mut d = doc(id, id, "", free, &[tag], 4);
            gated(&mut d, text, &Visibility::Paid);
            docs.push(d);
        }
        // Words shared by two posts are only "rare" for more-like-this beside a third.
        docs.push(doc("third", "Cloves", "", text, &["gamma"], 40));
        let (_d, index) = index_with(&docs);
        let left = docs.iter().find(|d| d.id == "left").unwrap().clone();
        index.related(&left, now(), RELATED_COUNT).unwrap()
    };
    assert!(
        !pair(false).contains(&"right".to_string()),
        "{:?}",
        pair(false)
    );
    assert!(
        pair(true).contains(&"right".to_string()),
        "{:?}",
        pair(true)
    );
}
