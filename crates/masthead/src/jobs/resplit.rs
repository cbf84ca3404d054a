//! `posts.resplit`: after the "free paragraphs" setting changed, every stored non-public post
//! without a paywall marker is split again at the new count (a marker keeps its own split).
//! Each rewritten body goes through the store's post write, which stamps the change clock, so
//! page caches, other nodes and the search index hear of it. Progress counts posts visited of
//! the non-public posts. Payload: `{"free_paragraphs": N}`; a job whose N is no longer the
//! setting stops at once (a newer job took over). Safe to run again: an unchanged split is
//! not written.

use super::{JobContext, JobError};
use crate::settings::SiteSettings;
use domain::Post;

pub const KIND: &str = "posts.resplit";

/// Posts read per page.
const PAGE: u32 = 200;

pub async fn run(ctx: JobContext) -> Result<(), JobError> {
    let wanted = ctx
        .payload()
        .get("free_paragraphs")
        .and_then(serde_json::Value::as_u64)
        .ok_or("a posts.resplit job needs free_paragraphs")?;
    let wanted = usize::try_from(wanted)?;
    if SiteSettings::load(&ctx.store).await?.free_paragraphs != wanted {
        tracing::info!(
            free_paragraphs = wanted,
            "the setting changed again; a newer re-split job does the work"
        );
        return Ok(());
    }
    let total = ctx.store.count_gated_posts().await?;
    ctx.progress(0, Some(total));
    let (mut done, mut rewritten, mut after) = (0u64, 0u64, String::new());
    loop {
        let ids = ctx.store.gated_post_ids(&after, PAGE).await?;
        let Some(last) = ids.last() else { break };
        after.clone_from(last);
        for post in ctx.store.posts_by_ids(&ids).await? {
            if resplit(&ctx, &post, wanted).await? {
                rewritten += 1;
            }
            done += 1;
            ctx.progress(done, Some(total.max(done)));
        }
    }
    tracing::info!(
        free_paragraphs = wanted,
        posts = done,
        rewritten,
        "posts re-split"
    );
    Ok(())
}

/// Splits `post` again after `free` blocks unless it has a marker; whether it was rewritten.
async fn resplit(ctx: &JobContext, post: &Post, free: usize) -> Result<bool, JobError> {
    if post.visibility.is_public() {
        return Ok(false);
    }
    let Some(body) = post.body.resplit(free, |markdown, free| {
        render::markdown::compose_body(markdown, Some(free))
    }) else {
        return Ok(false);
    };
    Ok(ctx.store.resplit_post(&post.id, &body, ctx.now()).await?)
}
