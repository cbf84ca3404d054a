//! `/p/{id}/`: a post's private share link. Whoever opens it sees the post — draft, scheduled
//! or published — through the access gate as themselves (anonymous, a member's session, a
//! staff session: the full text), on the article page itself, marked `noindex`,
//! `private, no-store`, and outside the page cache.

use super::AppError;
use super::article::Article;
use super::reader::Reader;
use super::site::load;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::access::{MemberAccess, Viewer, project};
use domain::{Access, Slug};
use serde_json::Value;

/// `/p/{id}/`: the post whose preview id is `id`, for this reader.
pub async fn share(
    State(state): State<AppState>,
    reader: Reader,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    // Only the canonical spelling of a UUID is a preview id.
    let id = uuid::Uuid::parse_str(&id)
        .ok()
        .filter(|u| u.to_string() == id)
        .ok_or(AppError::NotFound)?;
    let post = state
        .store
        .post_by_preview_id(&id.to_string())
        .await?
        .ok_or(AppError::NotFound)?;
    let site = load(&state).await?;
    // A staff user reads it in full; anyone else as their own membership allows.
    let staff = super::admin::staff::signed_in(&state, &reader.jar).await?;
    let viewer = match (&staff, reader.access(site.now)) {
        (Some(_), _) => Viewer::staff(),
        (None, Some(access)) => Viewer::member(access),
        (None, None) => Viewer::anonymous(),
    };
    let view = project(&post, &viewer.with_preview(&post.id), site.now);
    if view.access == Access::Denied {
        return Err(AppError::NotFound);
    }
    let page = Article {
        post: &post,
        view,
        meta_viewer: Viewer::anonymous().with_preview(&post.id),
        meter: Value::Null,
        query: None,
        preview: true,
        staff: staff.is_some(),
    };
    page.respond(&state, reader, &site).await
}

/// The viewer a newsroom preview is rendered as: `anonymous`, `free` (a free member),
/// `tier:<slug>` (a paid member of that tier) or `staff`. `None` for anything else.
pub fn chosen_viewer(choice: &str) -> Option<Viewer> {
    match choice {
        "anonymous" => Some(Viewer::anonymous()),
        "free" => Some(Viewer::member(MemberAccess::default())),
        "staff" => Some(Viewer::staff()),
        other => {
            let tier = Slug::parse(other.strip_prefix("tier:")?).ok()?;
            Some(Viewer::member(MemberAccess {
                paid: true,
                tiers: vec![tier],
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::chosen_viewer;
    use domain::access::Who;

    #[test]
    fn previews_are_rendered_as_the_chosen_reader() {
        let who = |c: &str| chosen_viewer(c).map(|v| v.who);
        assert_eq!(who("anonymous"), Some(Who::Anonymous));
        assert_eq!(who("staff"), Some(Who::Staff));
        assert!(matches!(who("free"), Some(Who::Member(m)) if !m.paid));
        assert!(
            matches!(who("tier:subscriber-plus"), Some(Who::Member(m)) if m.paid && m.tiers[0].as_str() == "subscriber-plus")
        );
        for wrong in ["", "tier:", "tier:Not A Slug", "admin", "paid"] {
            assert!(chosen_viewer(wrong).is_none(), "{wrong}");
        }
    }
}
