//! `jobs.probe`: a job that does nothing but wait `sleep_ms` milliseconds (at most a minute),
//! reporting progress. It shows that workers run, and how several share a queue (the tests
//! queue it).

use super::{JobContext, JobError};
use std::time::Duration;

pub const KIND: &str = "jobs.probe";

const LONGEST: u64 = 60_000;

pub async fn run(ctx: JobContext) -> Result<(), JobError> {
    let ms = ctx
        .payload()
        .get("sleep_ms")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
        .min(LONGEST);
    let steps = ms.div_ceil(100);
    for step in 0..steps {
        tokio::time::sleep(Duration::from_millis(100)).await;
        ctx.progress(step + 1, Some(steps));
    }
    Ok(())
}
