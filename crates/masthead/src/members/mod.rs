//! Members without HTTP: tokens, hashes and signing (`crypto`), which member a session signs in
//! (`session`), where a member may be redirected (`redirect`), mail, and abuse limits. The
//! flows that change members (sign-up, sign-in, credentials, sessions) are in `ops`.

pub mod crypto;
pub mod limits;
pub mod mail;
pub mod redirect;
pub mod session;
