//! Admin API request bodies: Ghost wraps the one object an add or edit writes in a list named
//! after the resource (`{"tags":[{…}]}`), so every handler reads its first element alike.

use super::error::GhostError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The JSON body of an add or edit as axum extracted it; a rejection becomes Ghost's 422.
pub type Body = Result<Json<Value>, JsonRejection>;

/// The first object of the list under one of `keys` (posts and pages accept either name), as a
/// `T`. `what` names the resource in errors ("post", "tag").
pub fn one<T: DeserializeOwned>(body: Body, keys: &[&str], what: &str) -> Result<T, GhostError> {
    let not_ghost = |why: String| {
        GhostError::validation(&format!("The request body is not a Ghost {what}: {why}."))
    };
    let Json(mut value) = body.map_err(|e| not_ghost(e.to_string()))?;
    let list = keys
        .iter()
        .find_map(|k| value.get_mut(*k).map(Value::take))
        .ok_or_else(|| not_ghost(format!("missing field `{}`", keys[0])))?;
    let Value::Array(items) = list else {
        return Err(not_ghost(format!("`{}` is not a list", keys[0])));
    };
    let first = items
        .into_iter()
        .next()
        .ok_or_else(|| GhostError::validation(&format!("The request body holds no {what}.")))?;
    serde_json::from_value(first).map_err(|e| not_ghost(e.to_string()))
}
