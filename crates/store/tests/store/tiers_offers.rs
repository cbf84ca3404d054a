//! Tiers as the console sells them and offers with their redemptions, on both backends.

use super::{each_backend, id, now};
use domain::offer::StripePrice;
use domain::{
    Cadence, Offer, OfferCode, OfferDuration, OfferKind, Slug, Tier, TierListing, TierStripe,
};
use store::query::{Cond, MemberField, Test, Value};
use store::{StoreError, TierEntry};

fn entry(slug: &str, visible: bool, sort_order: i64) -> TierEntry {
    TierEntry {
        tier: Tier {
            id: id(),
            slug: Slug::parse(slug).unwrap(),
            name: slug.to_uppercase(),
            description: String::new(),
            benefits: vec!["All of it".into()],
            monthly_price: 1500,
            yearly_price: 0,
            currency: "usd".into(),
            trial_days: 0,
            active: true,
        },
        listing: TierListing {
            visible,
            sort_order,
        },
        stripe: TierStripe::default(),
    }
}

#[tokio::test]
async fn tiers_keep_their_listing_and_offers_count_each_subscription_once() {
    each_backend(|store| async move {
        let analyst = entry("analyst", true, 2);
        let insider = entry("insider", true, 1);
        let hidden = entry("hidden", false, 0);
        for e in [&analyst, &insider, &hidden] {
            store.create_tier(e, now()).await.unwrap();
        }
        assert!(matches!(
            store.create_tier(&entry("analyst", true, 0), now()).await,
            Err(StoreError::Conflict(_))
        ));
        let shown: Vec<String> = store
            .signup_tiers()
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.tier.slug.to_string())
            .collect();
        assert_eq!(shown, ["insider", "analyst"], "visible tiers in sort order");
        let stripe = TierStripe {
            product_id: Some("prod_1".into()),
            monthly: Some(StripePrice {
                id: "price_1".into(),
                terms: StripePrice::terms("usd", 1500),
            }),
            yearly: None,
        };
        store
            .set_tier_stripe(&analyst.tier.id, &stripe)
            .await
            .unwrap();
        let mut archived = store.tier_entry(&analyst.tier.id).await.unwrap().unwrap();
        assert_eq!(archived.stripe, stripe);
        archived.tier.active = false;
        assert!(store.update_tier(&archived).await.unwrap());
        assert_eq!(
            store
                .tier_entry_by_slug("analyst")
                .await
                .unwrap()
                .unwrap()
                .stripe,
            stripe,
            "an edit keeps the Stripe ids"
        );
        assert_eq!(store.signup_tiers().await.unwrap().len(), 1);

        let offer = Offer {
            id: id(),
            name: "Launch".into(),
            code: OfferCode::parse("LAUNCH20").unwrap(),
            display_title: String::new(),
            display_description: String::new(),
            kind: OfferKind::Percent(20),
            tier_id: insider.tier.id.clone(),
            cadence: Cadence::Month,
            duration: OfferDuration::Repeating(3),
            active: true,
            retention: true,
            stripe_coupon_id: None,
            redemptions: 0,
        };
        store.create_offer(&offer, now()).await.unwrap();
        let clash = Offer {
            id: id(),
            code: OfferCode::parse("launch20").unwrap(),
            ..offer.clone()
        };
        assert!(
            matches!(
                store.create_offer(&clash, now()).await,
                Err(StoreError::Conflict(_))
            ),
            "codes are unique in any case"
        );
        store.set_offer_coupon(&offer.id, "co_1").await.unwrap();
        assert!(
            store
                .record_redemption(&offer.id, "sub_1", None, now())
                .await
                .unwrap()
        );
        assert!(
            !store
                .record_redemption(&offer.id, "sub_1", None, now())
                .await
                .unwrap()
        );
        // Ghost's `offer_redemptions:ID` member filter finds who redeemed it.
        for (member, email) in [("m1", "one@example.com"), ("m2", "two@example.com")] {
            let email = domain::Email::parse(email).unwrap();
            store
                .create_member(member, &email, "", now())
                .await
                .unwrap();
        }
        store
            .record_redemption(&offer.id, "sub_2", Some("m2"), now())
            .await
            .unwrap();
        let redeemed = store::MemberQuery {
            filter: Cond::Test {
                field: MemberField::Offer,
                negated: false,
                test: Test::Eq(Value::Text(offer.id.clone())),
            },
            search: None,
        };
        let page = store
            .member_page(
                &redeemed,
                store::Window {
                    limit: 10,
                    offset: 0,
                },
            )
            .await
            .unwrap();
        let ids: Vec<&str> = page.iter().map(|m| m.member.id.as_str()).collect();
        assert_eq!(ids, ["m2"], "only the member who redeemed the offer");
        let read = store.offer_by_code("launch20").await.unwrap().unwrap();
        assert_eq!(read.redemptions, 2);
        assert_eq!(read.stripe_coupon_id.as_deref(), Some("co_1"));
        assert_eq!(read.duration, OfferDuration::Repeating(3));
        assert_eq!(
            store
                .retention_offer(&insider.tier.id)
                .await
                .unwrap()
                .map(|o| o.id),
            Some(offer.id.clone())
        );
        let second = Offer {
            id: id(),
            code: OfferCode::parse("STAY").unwrap(),
            ..offer.clone()
        };
        store.create_offer(&second, now()).await.unwrap();
        assert_eq!(
            store
                .retention_offer(&insider.tier.id)
                .await
                .unwrap()
                .map(|o| o.id),
            Some(second.id.clone()),
            "one retention offer a tier"
        );
        assert_eq!(store.offers().await.unwrap().len(), 2);
    })
    .await;
}
