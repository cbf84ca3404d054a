//! What the index holds about one post.

use crate::schema::Fields;
use chrono::{DateTime, Utc};
use domain::access::{GatedText, gated_text_for_search};
use domain::{Post, PostKind, Status, TagKind};
use tantivy::TantivyDocument;

/// The searchable text and filterable facts of one published post. Built only by
/// [`IndexDoc::from_post`]; the index stores the id, section, tags and date, never the text.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    pub id: String,
    pub title: String,
    pub dek: String,
    /// The free part, which every reader may match.
    pub body: String,
    /// The gated part, kept apart with the audiences who may match it.
    pub gated: Option<GatedText>,
    pub section: Option<String>,
    /// Tag slugs and names, in the post's order.
    pub tags: Vec<(String, String)>,
    /// Author slugs and names.
    pub authors: Vec<(String, String)>,
    pub published_at: DateTime<Utc>,
}

impl IndexDoc {
    /// The document for `post` if it belongs in the index: published posts (not pages, drafts
    /// or scheduled ones). Posts published with a future date are indexed and filtered by date
    /// at query time, so they appear the moment they go live.
    pub fn from_post(post: &Post) -> Option<IndexDoc> {
        if post.kind != PostKind::Post || post.status != Status::Published {
            return None;
        }
        Some(IndexDoc {
            id: post.id.clone(),
            title: post.title.clone(),
            dek: post.dek.clone(),
            body: post.body.free().text.clone(),
            gated: gated_text_for_search(post),
            section: post
                .tags
                .iter()
                .find(|t| t.kind == TagKind::Section)
                .map(|t| t.slug.to_string()),
            tags: post
                .tags
                .iter()
                .map(|t| (t.slug.to_string(), t.name.clone()))
                .collect(),
            authors: post
                .authors
                .iter()
                .map(|a| (a.slug.to_string(), a.name.clone()))
                .collect(),
            published_at: post.published_at.unwrap_or(post.created_at),
        })
    }

    pub(crate) fn to_tantivy(&self, f: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &self.id);
        doc.add_text(f.title, &self.title);
        doc.add_text(f.dek, &self.dek);
        doc.add_text(f.body, &self.body);
        doc.add_text(f.words, &self.title);
        doc.add_text(f.words, &self.dek);
        doc.add_text(f.words, &self.body);
        if let Some(section) = &self.section {
            doc.add_text(f.section, section);
        }
        for (slug, name) in &self.tags {
            doc.add_text(f.tag, slug);
            doc.add_text(f.tags, name);
            doc.add_text(f.words, name);
        }
        for (slug, name) in &self.authors {
            doc.add_text(f.author, slug);
            doc.add_text(f.authors, name);
            doc.add_text(f.words, name);
        }
        if let Some(gated) = &self.gated {
            doc.add_text(f.gated_body, &gated.text);
            doc.add_text(f.gated_words, &gated.text);
            for audience in &gated.audiences {
                doc.add_text(f.audience, audience.as_str());
            }
        }
        doc.add_i64(f.published_at, micros(self.published_at));
        doc
    }
}

pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}
