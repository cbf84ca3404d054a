//! Reading a customer's subscriptions: `GET /v1/subscriptions?customer=…&status=all`, for the
//! members import, which links a Stripe customer's live subscription to the imported member.

use super::{StripeClient, StripeError, api_error};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// One subscription as Stripe lists it (the fields the import reads).
#[derive(Debug, Clone, Deserialize)]
pub struct StripeSubscription {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub cancel_at_period_end: bool,
    /// Older API versions put the period end on the subscription, newer ones on each item.
    #[serde(default)]
    pub current_period_end: Option<i64>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
    pub items: Items,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Items {
    pub data: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub price: Price,
    #[serde(default)]
    pub current_period_end: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Price {
    pub id: String,
    #[serde(default)]
    pub unit_amount: Option<i64>,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub recurring: Option<Recurring>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Recurring {
    pub interval: String,
}

#[derive(Deserialize)]
struct List {
    data: Vec<StripeSubscription>,
}

impl StripeSubscription {
    /// The first item's price (a Masthead subscription has one).
    pub fn price(&self) -> Option<&Price> {
        self.items.data.first().map(|i| &i.price)
    }

    /// When the paid period ends, from the subscription or its first item.
    pub fn period_end(&self) -> Option<DateTime<Utc>> {
        let secs = self
            .current_period_end
            .or_else(|| self.items.data.first().and_then(|i| i.current_period_end))?;
        DateTime::from_timestamp(secs, 0)
    }

    /// Whether it entitles its customer now: active, trialing or past due (in grace).
    pub fn is_live(&self) -> bool {
        matches!(self.status.as_str(), "active" | "trialing" | "past_due")
    }
}

impl StripeClient {
    /// Every subscription of `customer_id`, whatever its status (the first 100; a customer of
    /// this site has one or two).
    pub async fn customer_subscriptions(
        &self,
        customer_id: &str,
    ) -> Result<Vec<StripeSubscription>, StripeError> {
        let response = self
            .http
            .get(format!("{}/v1/subscriptions", self.base_url))
            .bearer_auth(&self.secret_key.0)
            .query(&[
                ("customer", customer_id),
                ("status", "all"),
                ("limit", "100"),
            ])
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(api_error(status.as_u16(), &body));
        }
        let list: List = serde_json::from_slice(&body)
            .map_err(|e| StripeError::UnexpectedResponse(e.to_string()))?;
        Ok(list.data)
    }
}
