//! The fields of the member forms (sign-in, sign-up, account, gifts, billing), read by their
//! handlers.

use serde::Deserialize;

/// Fields any member form may carry; each handler reads the ones it needs.
#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub redirect: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirm: String,
    /// A gift link's id (revoking it).
    #[serde(default)]
    pub id: String,
    /// The post a gift link is for.
    #[serde(default)]
    pub post_id: String,
}
