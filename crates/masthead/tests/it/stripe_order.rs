//! Stripe events about one member sent at the same moment, over real HTTP: the stored
//! subscription ends as Stripe ordered the events (by `created`), never as their transactions
//! happened to commit. On SQLite, and on PostgreSQL when `MASTHEAD_TEST_POSTGRES` is set.

use crate::helpers::TestApp;
use crate::stripe::{WEBHOOK_SECRET, event};
use chrono::Utc;
use domain::billing::{self, Subscription, SubscriptionStatus, Transition};
use masthead::billing::webhook::{parse, sign};
use masthead::config::{Config, Database, Secret, StripeConfig};
use serde_json::{Value, json};

const ROUNDS: usize = 32;

fn stripe() -> StripeConfig {
    StripeConfig {
        api_base: "http://127.0.0.1:9".into(),
        secret_key: Secret("sk_test_masthead".into()),
        webhook_secrets: vec![Secret(WEBHOOK_SECRET.into())],
    }
}

/// One member's Stripe objects, unique per round so rounds cannot disturb each other.
struct Round {
    member_id: String,
    sub: String,
    customer: String,
}

impl Round {
    fn subscription(&self, status: &str) -> Value {
        json!({
            "id": self.sub, "object": "subscription", "customer": self.customer, "status": status,
            "cancel_at_period_end": false,
            "current_period_end": Utc::now().timestamp() + 30 * 86_400,
            "metadata": { "tier": "subscriber-plus", "member_id": self.member_id },
        })
    }

    fn invoice(&self) -> Value {
        json!({ "id": format!("in_{}", self.sub), "object": "invoice", "customer": self.customer,
            "subscription": self.sub })
    }

    /// The pair of events sent at once in round `i`: the deletion against a paid
    /// invoice, or a failed payment against a paid one, each in both orders of `created`.
    fn pair(&self, i: usize, base: i64) -> [String; 2] {
        let (first, second) = if i.is_multiple_of(2) {
            (10, 20)
        } else {
            (20, 10)
        };
        let other = if i % 4 < 2 {
            event(
                &format!("evt_del_{i}"),
                "customer.subscription.deleted",
                base + first,
                self.subscription("canceled"),
            )
        } else {
            event(
                &format!("evt_fail_{i}"),
                "invoice.payment_failed",
                base + first,
                self.invoice(),
            )
        };
        let paid = event(
            &format!("evt_paid_{i}"),
            "invoice.paid",
            base + second,
            self.invoice(),
        );
        [other, paid]
    }
}

/// What `domain::billing` makes of `events` applied one by one in Stripe's order.
fn in_stripes_order(start: Option<Subscription>, events: &[String]) -> SubscriptionStatus {
    let mut parsed: Vec<_> = events
        .iter()
        .map(|e| parse(e.as_bytes()).unwrap())
        .collect();
    parsed.sort_by_key(|e| e.created);
    let end = parsed.iter().fold(start, |current, e| {
        match billing::apply(current.as_ref(), e, Utc::now()) {
            Transition::Set(sub) => Some(sub),
            Transition::Unchanged => current,
        }
    });
    end.expect("the round started with a subscription").status
}

async fn send(client: &reqwest::Client, base: &str, payload: &str) -> reqwest::StatusCode {
    let signature = sign(payload.as_bytes(), WEBHOOK_SECRET, Utc::now().timestamp());
    client
        .post(format!("{base}/webhooks/stripe"))
        .header("stripe-signature", signature)
        .header("content-type", "application/json")
        .body(payload.to_owned())
        .send()
        .await
        .expect("the site answers")
        .status()
}

/// `ROUNDS` rounds, each starting from an active subscription and sending one pair at once.
async fn race(app: &TestApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, app.router.clone()).into_future());
    let client = reqwest::Client::new();
    let store = &app.state.store;
    let created = Utc::now().timestamp() - 3_600;
    let mut outcomes = Vec::new();
    for i in 0..ROUNDS {
        let email = domain::Email::parse(&format!("race{i}@example.com")).unwrap();
        let m = store
            .create_member(&format!("m-race-{i}"), &email, "", Utc::now())
            .await
            .unwrap();
        let round = Round {
            member_id: m.id.clone(),
            sub: format!("sub_race_{i}"),
            customer: format!("cus_race_{i}"),
        };
        let start = event(
            &format!("evt_start_{i}"),
            "customer.subscription.created",
            created,
            round.subscription("active"),
        );
        assert!(send(&client, &base, &start).await.is_success());
        let before = store.subscription(&m.id).await.unwrap();
        let [a, b] = round.pair(i, created);
        let (sa, sb) = tokio::join!(send(&client, &base, &a), send(&client, &base, &b));
        assert!(sa.is_success() && sb.is_success(), "round {i}: {sa}, {sb}");
        let want = in_stripes_order(before, &[a, b]);
        let got = store.subscription(&m.id).await.unwrap().unwrap().status;
        outcomes.push((i, want, got));
    }
    let wrong: Vec<_> = outcomes
        .iter()
        .filter(|(_, want, got)| want != got)
        .collect();
    assert!(
        wrong.is_empty(),
        "{:?}: rounds whose result is not Stripe's order (round, Stripe's order, stored): {wrong:?}",
        store.backend()
    );
    let finals: std::collections::BTreeSet<_> = outcomes.iter().map(|o| o.1.as_str()).collect();
    assert_eq!(
        finals.into_iter().collect::<Vec<_>>(),
        ["active", "canceled", "past_due"],
        "the rounds cover every ending"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_events_follow_stripes_order_on_sqlite() {
    let app = TestApp::boot_with(tempfile::tempdir().unwrap(), |c| Config {
        stripe: Some(stripe()),
        ..c
    })
    .await;
    race(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_events_follow_stripes_order_on_postgres() {
    let Some(admin) = store::testing::postgres_admin_url() else {
        return;
    };
    let (store, url) = store::testing::postgres(&admin).await.unwrap();
    store.close().await;
    let dir = tempfile::tempdir().unwrap();
    let database = Database::Postgres(Secret(url));
    let app = TestApp::boot_with(dir, |c| Config {
        database,
        stripe: Some(stripe()),
        ..c
    })
    .await;
    race(&app).await;
}
