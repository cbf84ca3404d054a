//! The deliverer: a background task that works through the store's queue of webhook
//! deliveries. Each due delivery is claimed (so of several processes one sends it), `POSTed`
//! with a 2 s timeout and `X-Ghost-Signature`, then dropped on a 2xx, retried with doubling
//! waits on anything else (`domain::webhook::retry_delay_ms`), and its hook removed on a 410,
//! as Ghost does. The outcome is recorded on the hook (`last_triggered_*`). Unless the site
//! allows private targets, a target inside the server's own networks is refused (`guard.rs`),
//! before or while connecting, and given up at once. It also announces scheduled posts going
//! live (`post.published`), by a clock kept in the store.

use super::Hooks;
use super::{emit, guard, sign};
use chrono::{DateTime, Duration as Span, Utc};
use domain::webhook::retry_delay_ms;
use futures_util::future::join_all;
use std::time::Duration;
use store::{Delivery, Store, Webhook};

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(2);
/// A claimed delivery whose attempt never finished (the process died) is tried again after this.
const LEASE: Span = Span::seconds(60);
/// Deliveries sent at once.
const BATCH: i64 = 32;
/// How often the queue and the clock are looked at without being woken.
const TICK: Duration = Duration::from_secs(1);
/// No retry waits longer than a day, whatever the configured base.
const LONGEST_WAIT_MS: u64 = 24 * 60 * 60 * 1000;
/// The store's clock for scheduled posts going live.
const WENT_LIVE: &str = "went_live";
/// An idle went-live clock is still moved on this often, so its span stays short.
const CLOCK_STRIDE: Span = Span::minutes(5);

/// What the deliverer takes from the site's configuration.
pub struct DeliverySettings {
    /// The site's public URL, for the bodies of went-live events.
    pub public_url: String,
    /// The first wait before a failed delivery is retried; it doubles with each failure.
    pub retry_ms: u64,
    /// Whether targets inside the server's own networks may be called.
    pub allow_private: bool,
}

pub struct Deliverer {
    store: Store,
    /// Wakes the deliverer when this process queues an event.
    hooks: Hooks,
    public_url: String,
    retry_ms: u64,
    client: reqwest::Client,
    /// Whether targets inside the server's own networks are refused (`webhook_allow_private`
    /// off, the default).
    guarded: bool,
    /// The went-live clock's position as this process last set or read it (`None`: read it).
    went_live_from: std::sync::Mutex<Option<DateTime<Utc>>>,
}

/// What one attempt came to.
enum Outcome {
    Delivered(u16),
    Gone,
    Failed {
        status: Option<u16>,
        error: String,
    },
    /// The target is inside the server's own networks: not tried, and never retried.
    Refused,
}

impl Deliverer {
    pub fn new(
        store: Store,
        hooks: Hooks,
        settings: DeliverySettings,
    ) -> Result<Deliverer, reqwest::Error> {
        let guarded = !settings.allow_private;
        let mut client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "Masthead/",
                env!("CARGO_PKG_VERSION"),
                " (webhooks)"
            ));
        if guarded {
            client = guard::guarded(client);
        }
        Ok(Deliverer {
            store,
            hooks,
            public_url: settings.public_url,
            retry_ms: settings.retry_ms,
            client: client.build()?,
            guarded,
            went_live_from: std::sync::Mutex::new(None),
        })
    }

    pub async fn run(self) {
        loop {
            if let Err(err) = self.announce_went_live(Utc::now()).await {
                tracing::warn!(error = %err, "scheduled posts could not be checked for webhooks");
            }
            match self.deliver_due(Utc::now()).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "the webhook queue could not be read"),
            }
            tokio::select! {
                () = self.hooks.woken() => {}
                () = tokio::time::sleep(TICK) => {}
            }
        }
    }

    /// Sends every delivery due by `now` (a batch at a time); returns how many were tried.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<usize, store::StoreError> {
        let due = self.store.due_deliveries(now, BATCH).await?;
        let mut claimed = Vec::with_capacity(due.len());
        for d in due {
            if self.store.claim_delivery(&d, now + LEASE).await? {
                claimed.push(d);
            }
        }
        let tried = claimed.len();
        join_all(claimed.iter().map(|d| self.attempt(d))).await;
        Ok(tried)
    }

    async fn attempt(&self, d: &Delivery) {
        let store = &self.store;
        let hook = match store.webhook(&d.webhook_id).await {
            Ok(Some(hook)) => hook,
            // Deleting a hook deletes its queue; a row left behind has nowhere to go.
            Ok(None) => return,
            Err(err) => {
                tracing::warn!(error = %err, "a webhook could not be read; its delivery waits for the lease");
                return;
            }
        };
        let outcome = self.send(&hook, d).await;
        let at = Utc::now();
        let result = match outcome {
            Outcome::Delivered(status) => {
                tracing::info!(webhook = %hook.id, event = %d.event, status, "webhook delivered");
                store
                    .record_delivery_attempt(d, at, Some(&status.to_string()), None, None)
                    .await
            }
            Outcome::Gone => {
                tracing::info!(webhook = %hook.id, target = hook.target_url.as_str(), "webhook target answered 410 Gone; the webhook is removed");
                store.delete_webhook(&hook.id).await.map(|_| ())
            }
            Outcome::Failed { status, error } => {
                let failed = u32::try_from(d.attempts + 1).unwrap_or(u32::MAX);
                let retry = retry_delay_ms(failed, self.retry_ms)
                    .map(|ms| at + Span::milliseconds(ms.min(LONGEST_WAIT_MS).cast_signed()));
                match retry {
                    Some(next) => {
                        tracing::warn!(webhook = %hook.id, event = %d.event, error, attempt = failed, retry_at = %next, "webhook delivery failed; it will be retried");
                    }
                    None => {
                        tracing::warn!(webhook = %hook.id, event = %d.event, error, attempts = failed, "webhook delivery failed for the last time; it is given up");
                    }
                }
                let status = status.map(|s| s.to_string());
                store
                    .record_delivery_attempt(d, at, status.as_deref(), Some(&error), retry)
                    .await
            }
            Outcome::Refused => {
                tracing::warn!(webhook = %hook.id, event = %d.event, "webhook target is inside this server's networks; the delivery is refused (webhook_allow_private allows it)");
                store
                    .record_delivery_attempt(d, at, None, Some(guard::REFUSED), None)
                    .await
            }
        };
        if let Err(err) = result {
            tracing::warn!(error = %err, "a webhook delivery's outcome could not be saved; it is retried after the lease");
        }
    }

    async fn send(&self, hook: &Webhook, d: &Delivery) -> Outcome {
        // An address as the host is connected to without the resolver: check it here.
        let inside = hook
            .target_url
            .host_ip()
            .is_some_and(domain::webhook::is_inside);
        if self.guarded && inside {
            return Outcome::Refused;
        }
        let mut req = self
            .client
            .post(hook.target_url.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("x-masthead-event", &d.event)
            .header("x-masthead-delivery", &d.id)
            .body(d.body.clone());
        if let Some(secret) = hook.secret.as_deref().filter(|s| !s.is_empty()) {
            let millis = Utc::now().timestamp_millis();
            req = req.header(
                "x-ghost-signature",
                sign::signature(secret, &d.body, millis),
            );
        }
        match req.send().await {
            Ok(res) if res.status().is_success() => Outcome::Delivered(res.status().as_u16()),
            Ok(res) if res.status() == reqwest::StatusCode::GONE => Outcome::Gone,
            Ok(res) => Outcome::Failed {
                status: Some(res.status().as_u16()),
                error: format!("the target answered {}", res.status()),
            },
            Err(err) if self.guarded && guard::is_refusal(&err) => Outcome::Refused,
            Err(err) if err.is_timeout() => Outcome::Failed {
                status: None,
                error: format!("no answer within {} s", TIMEOUT.as_secs()),
            },
            Err(err) => Outcome::Failed {
                status: None,
                error: format!("the request failed: {err}"),
            },
        }
    }

    /// Fires `post.published` (`page.published`) for scheduled posts whose time came since the
    /// store's went-live clock, once across all processes: the clock is moved by
    /// compare-and-set before anything is fired. Returns how many were announced.
    pub async fn announce_went_live(&self, now: DateTime<Utc>) -> Result<usize, store::StoreError> {
        let store = &self.store;
        let known = *self.went_live_from.lock().expect("clock lock");
        let from = match known {
            Some(from) => from,
            None => store.webhook_clock(WENT_LIVE, now).await?,
        };
        *self.went_live_from.lock().expect("clock lock") = Some(from);
        if from >= now {
            return Ok(0);
        }
        let ids = store.scheduled_went_live(from, now).await?;
        if ids.is_empty() && now - from < CLOCK_STRIDE {
            return Ok(0);
        }
        let advanced = store.advance_webhook_clock(WENT_LIVE, from, now).await?;
        // Lost to another process: read where it left the clock next time.
        *self.went_live_from.lock().expect("clock lock") = advanced.then_some(now);
        if !advanced {
            return Ok(0);
        }
        let posts = store.posts_by_ids(&ids).await?;
        let mut fired = 0;
        for post in posts.iter().filter(|p| p.is_live(now)) {
            let emitter = emit::Emitter {
                store,
                public_url: &self.public_url,
                hooks: Some(&self.hooks),
            };
            emit::went_live(&emitter, post).await;
            fired += 1;
        }
        Ok(fired)
    }
}
