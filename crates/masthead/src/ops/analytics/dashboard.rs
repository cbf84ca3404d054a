//! The dashboard's numbers for administrators (`Action::Dashboard`): traffic per day, members
//! now and per day, MRR, new paid and churn, top posts by views and by sign-ups, and one
//! post's funnel. Read-only; the period is the last 30, 90 or 365 UTC days up to today.
//!
//! The top posts come from `analytics::top_posts`, counted at most once an hour.

use super::super::staff::Actor;
use super::super::{Ops, OpsError};
use crate::analytics::top_posts::{self, TopList};
use chrono::{DateTime, Utc};
use domain::Action;
use store::{DayCounts, Funnel, MemberCounts, PaidTotals, PostCount};

pub use crate::analytics::top_posts::{PERIODS, Period};

/// What active paying subscriptions bring in per month, in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrr {
    pub currency: String,
    /// Minor units (cents) per month.
    pub monthly: u64,
    pub subscriptions: i64,
}

/// Everything the dashboard's front page shows.
#[derive(Debug, Clone)]
pub struct Overview {
    pub period: Period,
    /// One entry per day of the period, zero where nothing was counted.
    pub traffic: Vec<DayCounts>,
    pub members_now: MemberCounts,
    /// The daily snapshots of the period (`analytics.snapshot`, hourly), today's live.
    pub members: Vec<MemberCounts>,
    pub mrr: Vec<Mrr>,
    pub paid: PaidTotals,
    pub top_by_views: Vec<PostCount>,
    pub top_by_signups: Vec<PostCount>,
    /// When the top lists were counted (at most `top_posts::FRESH` ago).
    pub top_counted_at: DateTime<Utc>,
}

/// The dashboard's front page for `actor` over `period`.
pub async fn overview(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Overview, OpsError> {
    actor.require(Action::Dashboard, false)?;
    let store = ops.store;
    let stored = store.views_by_day(period.from, period.to).await?;
    let traffic = (period.from..=period.to)
        .map(|day| {
            stored
                .iter()
                .find(|d| d.day == day)
                .copied()
                .unwrap_or(DayCounts {
                    day,
                    views: 0,
                    visitors: 0,
                })
        })
        .collect();
    let members_now = MemberCounts {
        day: period.to,
        ..store.member_counts_now(now).await?
    };
    let mut members = store
        .member_counts_by_day(period.from, period.to - 1)
        .await?;
    members.push(members_now);
    let (top_by_views, views_at) = top_posts::current(store, TopList::Views, period, now).await?;
    let (top_by_signups, signups_at) =
        top_posts::current(store, TopList::Signups, period, now).await?;
    Ok(Overview {
        period,
        traffic,
        members_now,
        members,
        mrr: mrr(ops).await?,
        paid: store.paid_totals(period.from, period.to).await?,
        top_by_views,
        top_by_signups,
        top_counted_at: views_at.min(signups_at),
    })
}

/// Monthly recurring revenue per currency: each active or past-due subscription at its
/// tier's monthly price, or a twelfth of the yearly price when the tier has only that.
/// (Subscriptions do not record their cadence yet, so a yearly subscriber of a tier with
/// both prices counts at the monthly price.)
async fn mrr(ops: &Ops<'_>) -> Result<Vec<Mrr>, OpsError> {
    let tiers = ops.store.tiers().await?;
    let mut out: Vec<Mrr> = Vec::new();
    for row in ops.store.paying_by_tier().await? {
        let Some(tier) = tiers.iter().find(|t| t.slug.as_str() == row.tier) else {
            continue;
        };
        let per_month = if tier.monthly_price > 0 {
            u64::from(tier.monthly_price)
        } else {
            u64::from(tier.yearly_price) / 12
        };
        let count = u64::try_from(row.subscriptions).unwrap_or(0);
        match out.iter_mut().find(|m| m.currency == tier.currency) {
            Some(m) => {
                m.monthly += per_month * count;
                m.subscriptions += row.subscriptions;
            }
            None => out.push(Mrr {
                currency: tier.currency.clone(),
                monthly: per_month * count,
                subscriptions: row.subscriptions,
            }),
        }
    }
    Ok(out)
}

/// The post a funnel is about: its title and path, nothing of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelPost {
    pub id: String,
    pub title: String,
    pub slug: String,
}

/// Post `post_id` and its funnel over `period`; `NotFound` when there is no such post.
pub async fn post_funnel(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    post_id: &str,
    period: Period,
) -> Result<(FunnelPost, Funnel), OpsError> {
    actor.require(Action::Dashboard, false)?;
    let (title, slug) = ops
        .store
        .post_title(post_id)
        .await?
        .ok_or(OpsError::NotFound("Post"))?;
    let funnel = ops
        .store
        .post_funnel(post_id, period.from, period.to)
        .await?;
    let post = FunnelPost {
        id: post_id.to_owned(),
        title,
        slug,
    };
    Ok((post, funnel))
}
