//! Gift links: a paid member shares one post; anyone opening `/{slug}/?gift=TOKEN` reads it.
//! The token is the gift's id sealed with the site's key; the row says whether it still works.
//! A member may give only a post their own membership lets them read in full (`may_give`),
//! and a gift opens its post only while that still holds for its giver.

use super::AppError;
use super::reader::grace;
use crate::ops::gifts;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::access::{MemberAccess, Viewer, decide};
use domain::{Access, Post};
use serde_json::{Value, json};
use store::Gift;

/// The gift link URL for a gift id.
pub fn url(state: &AppState, slug: &str, gift_id: &str) -> String {
    format!(
        "{}/{slug}/?gift={}",
        state.config.public_url,
        state.signer.seal(&format!("g1:{gift_id}"))
    )
}

/// The live gift a token names, if it is authentic, unrevoked and unexpired.
pub async fn open(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Gift>, AppError> {
    let Some(id) = state.signer.open(token).and_then(|p| p.strip_prefix("g1:")) else {
        return Ok(None);
    };
    Ok(state
        .store
        .gift(id)
        .await?
        .filter(|g| !g.revoked && g.expires_at > now))
}

/// Whether a member with `access` may give `post`: gift links come with a paid membership,
/// and only for a post that membership lets them read in full (a meter or a gift they hold
/// does not count), so no gift opens a tier its giver does not hold.
pub fn may_give(post: &Post, access: &MemberAccess, now: DateTime<Utc>) -> bool {
    access.paid && decide(post, &Viewer::member(access.clone()), now).0 == Access::Full
}

/// Whether `token` unlocks `post` at `now`: a live gift for this post whose giver may still
/// give it (a link made before the giver lost the tier, or through an older hole, opens
/// nothing).
pub async fn unlocks(
    state: &AppState,
    token: &str,
    post: &Post,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some(gift) = open(state, token, now).await? else {
        return Ok(false);
    };
    if gift.post_id != post.id {
        return Ok(false);
    }
    let sub = state.store.subscription(&gift.member_id).await?;
    let giver = MemberAccess::from_subscription(sub.as_ref(), now, grace(state).await?);
    Ok(may_give(post, &giver, now))
}

/// How many more gift links the member may create in the current 30 days.
pub async fn remaining(state: &AppState, member_id: &str) -> Result<u32, AppError> {
    Ok(gifts::remaining(&state.ops(), member_id, Utc::now()).await?)
}

/// Creates a gift for `post_id`; `None` when the quota is used up.
pub async fn create(
    state: &AppState,
    member_id: &str,
    post_id: &str,
) -> Result<Option<Gift>, AppError> {
    Ok(gifts::create(&state.ops(), member_id, post_id, Utc::now()).await?)
}

/// The member's live gift links as the account page lists them.
pub async fn account_gifts(state: &AppState, member_id: &str) -> Result<Vec<Value>, AppError> {
    let now = Utc::now();
    let gifts: Vec<Gift> = state
        .store
        .gifts_of(member_id)
        .await?
        .into_iter()
        .filter(|g| !g.revoked && g.expires_at > now)
        .collect();
    let ids: Vec<String> = gifts.iter().map(|g| g.post_id.clone()).collect();
    let posts = state.store.posts_by_ids(&ids).await?;
    Ok(gifts
        .iter()
        .filter_map(|g| {
            let post = posts.iter().find(|p| p.id == g.post_id)?;
            Some(json!({
                "id": g.id,
                "title": post.title,
                "url": url(state, post.slug.as_str(), &g.id),
                "expires_display": g.expires_at.format("%B %-d, %Y").to_string(),
            }))
        })
        .collect())
}

/// POST /members/gift: a paid member creates a gift link for a post they may give.
pub async fn create_gift(
    axum::extract::State(state): axum::extract::State<AppState>,
    reader: super::reader::Reader,
    axum::Form(f): axum::Form<super::member_form::MemberForm>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::{IntoResponse, Redirect};
    reader.check_csrf(&f.csrf)?;
    let now = Utc::now();
    let (Some(current), Some(access)) = (&reader.member, reader.access(now)) else {
        return Ok(Redirect::to("/signin/").into_response());
    };
    if !access.paid {
        return Err(AppError::Forbidden {
            code: "not_paid",
            message: "Gift links come with a paid membership.".into(),
        });
    }
    let post = state
        .store
        .posts_by_ids(std::slice::from_ref(&f.post_id))
        .await?
        .pop()
        .filter(|p| p.is_live(now))
        .ok_or(AppError::NotFound)?;
    if !may_give(&post, &access, now) {
        return Err(AppError::Forbidden {
            code: "not_entitled",
            message: "You can give gift links only for articles your membership lets you read \
                      in full. Upgrade your membership to give this one."
                .into(),
        });
    }
    let to = match create(&state, &current.member.id, &post.id).await? {
        Some(gift) => format!(
            "/{}/?gift_created={}",
            post.slug,
            state.signer.seal(&format!("g1:{}", gift.id))
        ),
        None => "/account/".to_owned(),
    };
    Ok((
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Redirect::to(&to),
    )
        .into_response())
}

/// POST /account/gifts/revoke.
pub async fn revoke_gift(
    axum::extract::State(state): axum::extract::State<AppState>,
    reader: super::reader::Reader,
    axum::Form(f): axum::Form<super::member_form::MemberForm>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::{IntoResponse, Redirect};
    reader.check_csrf(&f.csrf)?;
    let Some(current) = &reader.member else {
        return Ok(Redirect::to("/signin/").into_response());
    };
    gifts::revoke(&state.ops(), &current.member.id, &f.id).await?;
    Ok((
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Redirect::to("/account/?done=revoked"),
    )
        .into_response())
}
