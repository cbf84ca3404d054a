//! The offer a Stripe event names: `metadata.offer` on the Checkout Session or subscription
//! (Masthead puts it on both at Checkout). Read apart from `webhook::parse`, which reads what
//! billing state needs; verify the payload first.

use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    object: Option<Object>,
}

#[derive(Deserialize)]
struct Object {
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    offer: Option<String>,
}

/// The offer id in a verified event's object metadata, if it names one.
pub fn offer_of(payload: &[u8]) -> Option<String> {
    let envelope: Envelope = serde_json::from_slice(payload).ok()?;
    envelope
        .data?
        .object?
        .metadata?
        .offer
        .filter(|o| !o.is_empty())
}

#[cfg(test)]
mod tests {
    use super::offer_of;

    #[test]
    fn the_offer_comes_from_the_objects_metadata() {
        let with = br#"{"data":{"object":{"metadata":{"offer":"off_1","tier":"plus"}}}}"#;
        assert_eq!(offer_of(with).as_deref(), Some("off_1"));
        assert_eq!(
            offer_of(br#"{"data":{"object":{"metadata":{"offer":""}}}}"#),
            None
        );
        assert_eq!(offer_of(br#"{"data":{"object":{}}}"#), None);
        assert_eq!(offer_of(b"not json"), None);
    }
}
