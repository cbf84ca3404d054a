//! A post's body, split once at save time into its free part and its gated part.
//!
//! The gated part never leaves this crate except through `access` (for readers entitled to it,
//! and for the search index with the audiences entitled to it) and `Body::for_storage` (for the
//! store, which must persist it).

/// The line that separates the free part from the gated part in Markdown source.
pub const PAYWALL_MARKER: &str = "<!--members-only-->";

/// One half of a body: sanitized HTML and its plain text (for excerpts, reading time, search).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BodyPart {
    pub html: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    markdown: String,
    free: BodyPart,
    gated: Option<BodyPart>,
}

/// Everything the store needs to persist a body; see `Body::for_storage`.
pub struct StoredBody<'a> {
    pub markdown: &'a str,
    pub free: &'a BodyPart,
    pub gated: Option<&'a BodyPart>,
}

/// Splits Markdown source at the first line consisting only of the paywall marker.
/// Returns the free source and, when the marker is present, the gated source.
pub fn split_source(markdown: &str) -> (&str, Option<&str>) {
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        if line.trim() == PAYWALL_MARKER {
            let gated = &markdown[offset + line.len()..];
            return (&markdown[..offset], Some(gated));
        }
        offset += line.len();
    }
    (markdown, None)
}

impl Body {
    /// Builds a body from its source and the two rendered halves (rendering lives in `render`).
    pub fn new(markdown: String, free: BodyPart, gated: Option<BodyPart>) -> Body {
        Body {
            markdown,
            free,
            gated,
        }
    }

    /// The free part, which anyone allowed to see the post at all may read.
    pub fn free(&self) -> &BodyPart {
        &self.free
    }

    pub fn has_gated_part(&self) -> bool {
        self.gated.is_some()
    }

    /// This body split again after `free` blocks by `compose` (the renderer), unless its source
    /// has a paywall marker, which decides the split itself; `None` when nothing would change.
    /// The source never leaves the body, so the gated part stays behind the access gate.
    pub fn resplit(&self, free: usize, compose: impl FnOnce(&str, usize) -> Body) -> Option<Body> {
        if split_source(&self.markdown).1.is_some() {
            return None;
        }
        let body = compose(&self.markdown, free);
        (body != *self).then_some(body)
    }

    /// Persistence only: the store writes these columns. No output surface may call this.
    pub fn for_storage(&self) -> StoredBody<'_> {
        StoredBody {
            markdown: &self.markdown,
            free: &self.free,
            gated: self.gated.as_ref(),
        }
    }

    pub(crate) fn gated(&self) -> Option<&BodyPart> {
        self.gated.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_at_marker_line() {
        let src = "Intro para.\n\nSecond.\n<!--members-only-->\nSecret analysis.\n";
        let (free, gated) = split_source(src);
        assert_eq!(free, "Intro para.\n\nSecond.\n");
        assert_eq!(gated, Some("Secret analysis.\n"));
    }

    #[test]
    fn marker_with_surrounding_whitespace_and_crlf() {
        let (free, gated) = split_source("a\r\n   <!--members-only-->  \r\nb\r\n");
        assert_eq!(free, "a\r\n");
        assert_eq!(gated, Some("b\r\n"));
    }

    #[test]
    fn no_marker_means_no_gated_part() {
        assert_eq!(split_source("just text\n"), ("just text\n", None));
    }

    #[test]
    fn marker_inside_a_line_does_not_split() {
        let src = "text <!--members-only--> inline\nmore\n";
        assert_eq!(split_source(src), (src, None));
    }

    #[test]
    fn only_the_first_marker_splits() {
        let (free, gated) = split_source("a\n<!--members-only-->\nb\n<!--members-only-->\nc");
        assert_eq!(free, "a\n");
        assert_eq!(gated, Some("b\n<!--members-only-->\nc"));
    }

    #[test]
    fn marker_at_start_leaves_empty_free_part() {
        assert_eq!(
            split_source("<!--members-only-->\nall gated"),
            ("", Some("all gated"))
        );
    }
}
