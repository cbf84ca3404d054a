//! `analytics.snapshot`, enqueued by every worker once an hour: writes today's members by kind
//! (free, paid, comped) for the dashboard's "members over time", and recounts the dashboard's
//! top posts (`analytics::top_posts`). Subscriptions keep no history, so the past is what these
//! snapshots recorded; each run replaces today's row, so a day's row holds its last hour's
//! counts.

use super::{JobContext, JobError};
use store::day_of;

pub const KIND: &str = "analytics.snapshot";

pub async fn snapshot(ctx: JobContext) -> Result<(), JobError> {
    let now = ctx.now();
    let day = day_of(now);
    let counts = ctx.store.member_counts_now(now).await?;
    ctx.store.save_member_counts(day, counts).await?;
    tracing::info!(
        free = counts.free,
        paid = counts.paid,
        comped = counts.comped,
        "member counts recorded"
    );
    let started = std::time::Instant::now();
    crate::analytics::top_posts::recount(&ctx.store, now).await?;
    tracing::info!(
        ms = started.elapsed().as_millis(),
        "dashboard top posts recounted"
    );
    Ok(())
}
