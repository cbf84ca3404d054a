//! The dashboard's queries alone, without HTTP or templates (`scripts/bench-dashboard` builds
//! and runs it on the site it seeded): for each period, the time of `dashboard::overview` when
//! the top posts must be counted (as the hourly job and the first page after it do) and when
//! the kept count stands, then a post's funnel. Usage: `dashboard_queries DATA_DIR [RUNS]`;
//! prints a Markdown table.
#![allow(
    clippy::unwrap_used,
    reason = "a benchmark stops at the first failure, loudly"
)]
#![allow(clippy::print_stdout, reason = "a benchmark prints its table")]

use chrono::Utc;
use masthead::analytics::top_posts;
use masthead::ops::Ops;
use masthead::ops::analytics::dashboard::{self, PERIODS, Period};
use masthead::ops::staff::Actor;
use std::time::{Duration, Instant};
use store::Store;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p`th percentile (0–100) of `sorted`, nearest rank.
fn percentile(sorted: &[f64], p: usize) -> f64 {
    let i = (p * (sorted.len() - 1) + 50) / 100;
    sorted[i.min(sorted.len() - 1)]
}

fn verdict(p95: f64) -> &'static str {
    if p95 < 100.0 { "pass" } else { "FAIL" }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let data = args
        .next()
        .expect("usage: dashboard_queries DATA_DIR [RUNS]");
    let runs: usize = args.next().map_or(40, |r| r.parse().unwrap());
    let store = Store::open_sqlite(&std::path::Path::new(&data).join("masthead.db"))
        .await
        .unwrap();
    let ops = Ops::detached(&store, "http://127.0.0.1");
    println!(
        "| Queries | counting the top posts | p50 (kept count) | p95 (kept count) | max | p95 < 100 ms |"
    );
    println!("|---|---:|---:|---:|---:|---|");
    let now = Utc::now();
    let started = Instant::now();
    top_posts::recount(&store, now).await.unwrap();
    let recount_all = started.elapsed();
    let mut top_post = None;
    for days in PERIODS {
        // Counting one period's two lists: the overview right after the kept counts expire.
        let expired = now + top_posts::FRESH + chrono::Duration::minutes(1);
        let started = Instant::now();
        let o = dashboard::overview(&ops, Actor::Console, Period::last(days, expired), expired)
            .await
            .unwrap();
        let counting = started.elapsed();
        top_post = top_post.or_else(|| o.top_by_views.first().map(|p| p.post_id.clone()));
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            dashboard::overview(&ops, Actor::Console, Period::last(days, expired), expired)
                .await
                .unwrap();
            times.push(ms(started.elapsed()));
        }
        times.sort_by(f64::total_cmp);
        let p95 = percentile(&times, 95);
        println!(
            "| Dashboard, {days} days | {:.0} ms | {:.1} ms | {p95:.1} ms | {:.1} ms | {} |",
            ms(counting),
            percentile(&times, 50),
            times[times.len() - 1],
            verdict(p95)
        );
    }
    println!(
        "| Hourly recount, every period's two lists | {:.0} ms | – | – | – | – |",
        ms(recount_all)
    );
    if let Some(post) = top_post {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            dashboard::post_funnel(&ops, Actor::Console, &post, Period::last(365, Utc::now()))
                .await
                .unwrap();
            times.push(ms(started.elapsed()));
        }
        times.sort_by(f64::total_cmp);
        let p95 = percentile(&times, 95);
        println!(
            "| Funnel of the top post, 365 days | – | {:.1} ms | {p95:.1} ms | {:.1} ms | {} |",
            percentile(&times, 50),
            times[times.len() - 1],
            verdict(p95)
        );
    }
}
