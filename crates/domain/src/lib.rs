//! Masthead's vocabulary and rules: posts, tags, authors, visibility, the access gate and
//! newsletter requests.
//!
//! No I/O, no async, no clock, no SQL, no HTTP and no templates live here; callers pass `now`.

pub mod access;
pub mod activity;
pub mod billing;
pub mod body;
pub mod label;
pub mod member;
pub mod navigation;
pub mod newsletter;
pub mod offer;
pub mod post;
pub mod revision;
pub mod slug;
pub mod staff;
pub mod taxonomy;
pub mod visibility;
pub mod webhook;

pub use access::{Access, PostView, Viewer};
pub use activity::{ActivityKind, MemberEvent};
pub use body::{Body, BodyPart};
pub use label::Label;
pub use member::{Email, Member, Tier};
pub use navigation::NavLink;
pub use newsletter::{EmailSegment, NewsletterRequest};
pub use offer::{Cadence, Offer, OfferCode, OfferDuration, OfferKind, TierListing, TierStripe};
pub use post::{LeadImage, Post, PostKind, PostStub, Social, Status};
pub use revision::{Editor, FieldChange, Revision, RevisionFields};
pub use slug::Slug;
pub use staff::{Action, Role, StaffStatus};
pub use taxonomy::{Author, Tag, TagKind, TagMeta};
pub use visibility::Visibility;
pub use webhook::{TargetUrl, WebhookEvent};

/// An error in a value supplied by a user (front matter, a form, a flag).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);
