//! The allow-lists: which Ghost field names a filter or `order` may use on each resource, and
//! the stored field each one means. Anything else is refused (an author's email, a password,
//! a gated body), so no filter can be used as an oracle on data a reader may not see.

use store::query::{Attr, AuthorField, PostField, TagField};

/// Filterable fields of posts and pages, by their Ghost names.
pub fn post(name: &str) -> Option<PostField> {
    use PostField as F;
    let attr = |rest: &str| match rest {
        "" | "slug" => Some(Attr::Slug),
        "name" => Some(Attr::Name),
        "id" => Some(Attr::Id),
        _ => None,
    };
    let (head, rest) = name.split_once('.').unwrap_or((name, ""));
    Some(match head {
        "id" | "uuid" if rest.is_empty() => F::Id,
        "slug" if rest.is_empty() => F::Slug,
        "title" if rest.is_empty() => F::Title,
        "featured" if rest.is_empty() => F::Featured,
        "visibility" if rest.is_empty() => F::Visibility,
        "published_at" if rest.is_empty() => F::PublishedAt,
        "updated_at" if rest.is_empty() => F::UpdatedAt,
        "created_at" if rest.is_empty() => F::CreatedAt,
        "feature_image" if rest.is_empty() => F::FeatureImage,
        "tag" if rest.is_empty() => F::Tag(Attr::Slug),
        "tags" => F::Tag(attr(rest)?),
        "primary_tag" => F::PrimaryTag(attr(rest)?),
        "author" if rest.is_empty() => F::Author(Attr::Slug),
        "authors" => F::Author(attr(rest)?),
        "primary_author" => F::PrimaryAuthor(attr(rest)?),
        _ => return None,
    })
}

/// Sortable fields of posts: columns only (a post has many tags, so "by tag" means nothing).
pub fn post_order(name: &str) -> Option<PostField> {
    post(name).filter(|f| {
        !matches!(
            f,
            PostField::Tag(_)
                | PostField::PrimaryTag(_)
                | PostField::Author(_)
                | PostField::PrimaryAuthor(_)
        )
    })
}

pub fn tag(name: &str) -> Option<TagField> {
    Some(match name {
        "id" => TagField::Id,
        "slug" => TagField::Slug,
        "name" => TagField::Name,
        "visibility" => TagField::Visibility,
        _ => return None,
    })
}

pub fn author(name: &str) -> Option<AuthorField> {
    Some(match name {
        "id" => AuthorField::Id,
        "slug" => AuthorField::Slug,
        "name" => AuthorField::Name,
        _ => return None,
    })
}
