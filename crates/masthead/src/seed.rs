//! `masthead seed`: many synthetic posts, deterministically, in batches, with a progress bar.

use crate::compose::{Composer, save};
use crate::demo::{DemoError, content, draft};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use store::Store;

/// Posts per transaction: large enough to amortise commits, small enough to show progress.
const BATCH: u64 = 2_000;

/// Adds `count` synthetic posts generated from `seed`. Numbering continues after the posts the
/// site already has, so seeding twice adds new posts instead of colliding.
pub async fn seed(
    store: &Store,
    count: u64,
    seed: u64,
    show_progress: bool,
) -> Result<(), DemoError> {
    let now = Utc::now();
    let first = store.count_posts().await?;
    let progress = if show_progress {
        ProgressBar::new(count)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("seeding {bar:40} {pos}/{len} posts ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut composer = Composer::new(store);
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let mut posts = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
        for i in 0..n {
            let generated = content::synthetic_post(seed, first + done + i, now);
            let mut post = composer.compose(draft(generated, None)?, now).await?;
            post.updated_at = post.published_at.unwrap_or(now);
            posts.push(post);
        }
        save(store, &posts).await.map_err(DemoError::Save)?;
        done += n;
        progress.set_position(done);
    }
    progress.finish();
    Ok(())
}
