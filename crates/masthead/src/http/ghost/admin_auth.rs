//! Admin API authentication: `Authorization: Ghost <jwt>`, a JWT signed with HS256 by an admin
//! key (`kid` = the key's id, secret = the hex-decoded key secret), audience `/admin/`, and a
//! lifetime (`exp - iat`) of at most five minutes. Anything else is a Ghost-shaped 401.

use super::error::GhostError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// Ghost's limit on a token's lifetime.
const MAX_LIFETIME_SECS: i64 = 5 * 60;

/// Proof that the request carries a valid token of an unrevoked admin key.
pub struct AdminKey;

#[derive(Deserialize)]
struct Claims {
    iat: i64,
    exp: i64,
}

fn refused(context: &str) -> GhostError {
    GhostError::unauthorized("Invalid token", Some(context))
}

impl FromRequestParts<AppState> for AdminKey {
    type Rejection = GhostError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, GhostError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(token) = header.strip_prefix("Ghost ") else {
            return Err(GhostError::unauthorized(
                "Authorization failed",
                Some(
                    "Unable to determine the authenticated user or integration. Check that cookies are being passed through if using session authentication.",
                ),
            ));
        };
        let head = jsonwebtoken::decode_header(token.trim())
            .map_err(|_| refused("The token is not a JWT."))?;
        if head.alg != Algorithm::HS256 {
            return Err(refused("The token must be signed with HS256."));
        }
        let kid = head
            .kid
            .ok_or_else(|| refused("The token has no kid (the admin key's id)."))?;
        let secret = state
            .store
            .admin_key_secret(&kid)
            .await?
            .ok_or_else(|| GhostError::unauthorized("Unknown Admin API Key", None))?;
        let secret = hex::decode(secret).map_err(GhostError::internal)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&["/admin/", "/v6/admin/", "/v5/admin/"]);
        validation.set_required_spec_claims(&["exp", "aud"]);
        validation.leeway = 0;
        let data = jsonwebtoken::decode::<Claims>(
            token.trim(),
            &DecodingKey::from_secret(&secret),
            &validation,
        )
        .map_err(|e| refused(&format!("The token was refused: {e}.")))?;
        let lifetime = data.claims.exp - data.claims.iat;
        let now = chrono::Utc::now().timestamp();
        if !(0..=MAX_LIFETIME_SECS).contains(&lifetime) || data.claims.iat > now + 60 {
            return Err(refused(
                "The token must expire within 5 minutes of being issued.",
            ));
        }
        if parts.method != axum::http::Method::GET {
            // Which key wrote what: the one audit trail until staff accounts exist.
            tracing::info!(api_key.id = %kid, method = %parts.method, path = %parts.uri.path(), "admin api write");
        }
        Ok(AdminKey)
    }
}
