//! A stored page and answering requests from it: the body compressed once with br and gzip,
//! the validators, conditional GET, and pages with per-reader slots filled in per request.

use super::record::{Dep, Recording, Slot};
use super::validators;
use axum::body::{Body, Bytes};
use axum::http::response::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

pub struct Entry {
    /// Tells this entry from a later one stored under the same key.
    pub id: u64,
    pub deps: Vec<Dep>,
    headers: HeaderMap,
    body: Stored,
}

enum Stored {
    /// The same bytes for every reader of the class, in each encoding.
    Whole {
        identity: Bytes,
        br: Bytes,
        gzip: Bytes,
        etag: HeaderValue,
    },
    /// Text with per-reader slots, filled in (and compressed by the outer layer) per request.
    /// `tag` is the ETag of the text with its markers; each reader's is derived from it.
    Slotted { pieces: Vec<Piece>, tag: String },
}

enum Piece {
    Text(Bytes),
    Slot(Slot),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

impl Entry {
    /// An entry for a rendered 200 response whose body is `body`.
    pub fn new(parts: &Parts, body: &Bytes, rec: &Recording) -> Entry {
        let mut headers = parts.headers.clone();
        for name in [header::CONTENT_LENGTH, header::ETAG, header::SET_COOKIE] {
            headers.remove(name);
        }
        let pieces = if rec.slots.is_empty() {
            vec![]
        } else {
            split(body, &rec.nonce)
        };
        // A page whose template asked for a slot but did not print it is whole.
        let stored = if pieces.iter().any(|p| matches!(p, Piece::Slot(_))) {
            Stored::Slotted {
                pieces,
                tag: validators::tag_of(body),
            }
        } else {
            Stored::Whole {
                etag: etag_of(body),
                br: brotli(body),
                gzip: gzip(body),
                identity: body.clone(),
            }
        };
        Entry {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            deps: rec.deps.iter().cloned().collect(),
            headers,
            body: stored,
        }
    }

    /// Bytes this entry holds, for the cache's size bound.
    pub fn weight(&self) -> usize {
        let body = match &self.body {
            Stored::Whole {
                identity, br, gzip, ..
            } => identity.len() + br.len() + gzip.len(),
            Stored::Slotted { pieces, .. } => pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => t.len() + 16,
                    Piece::Slot(_) => 16,
                })
                .sum(),
        };
        let deps: usize = self.deps.iter().map(|d| 48 + dep_len(d)).sum();
        let headers: usize = self
            .headers
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len() + 32)
            .sum();
        256 + body + deps + headers
    }

    /// The slots this entry needs filled for each reader.
    pub fn slots(&self) -> Vec<Slot> {
        match &self.body {
            Stored::Whole { .. } => vec![],
            Stored::Slotted { pieces, .. } => {
                let mut slots: Vec<Slot> = pieces
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Slot(s) => Some(*s),
                        Piece::Text(_) => None,
                    })
                    .collect();
                slots.dedup();
                slots
            }
        }
    }

    /// The response to a request with headers `req`; `fill` gives this reader's slot values.
    pub fn respond(&self, req: &HeaderMap, fill: &[(Slot, String)], outcome: &str) -> Response {
        let (body, etag, encoding) = match &self.body {
            Stored::Whole {
                identity,
                br,
                gzip,
                etag,
            } => {
                let encoding = preferred(req);
                let body = match encoding {
                    Encoding::Br => br.clone(),
                    Encoding::Gzip => gzip.clone(),
                    Encoding::Identity => identity.clone(),
                };
                (body, etag.clone(), encoding)
            }
            Stored::Slotted { pieces, tag } => {
                let body = assemble(pieces, fill);
                // The page is its template plus this reader's values: hash those, not the page.
                let mut key = tag.clone();
                for (slot, value) in fill {
                    key.push_str(&format!("{slot:?}={value};"));
                }
                (body, etag_of(key.as_bytes()), Encoding::Identity)
            }
        };
        let mut res = if validators::not_modified(req, &self.headers, etag.to_str().unwrap_or("")) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut res = Response::new(Body::from(body));
            *res.headers_mut() = self.headers.clone();
            if encoding != Encoding::Identity {
                let name = if encoding == Encoding::Br {
                    "br"
                } else {
                    "gzip"
                };
                res.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
            }
            res
        };
        if res.status() == StatusCode::NOT_MODIFIED {
            for name in [header::CACHE_CONTROL, header::LAST_MODIFIED] {
                if let Some(v) = self.headers.get(&name) {
                    res.headers_mut().insert(name, v.clone());
                }
            }
        }
        let h = res.headers_mut();
        h.insert(header::ETAG, etag);
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Ok(v) = HeaderValue::from_str(outcome) {
            h.insert("x-masthead-cache", v);
        }
        res
    }
}

fn dep_len(d: &Dep) -> usize {
    match d {
        Dep::Post(s) | Dep::Related(s) | Dep::Tag(s) | Dep::Author(s) => s.len(),
        Dep::AllPosts | Dep::Search => 0,
    }
}

fn etag_of(body: &[u8]) -> HeaderValue {
    HeaderValue::from_str(&validators::tag_of(body)).unwrap_or(HeaderValue::from_static("\"\""))
}

fn brotli(body: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 4);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        let _ = w.write_all(body);
    }
    Bytes::from(out)
}

fn gzip(body: &[u8]) -> Bytes {
    let mut w = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::best(),
    );
    let _ = w.write_all(body);
    Bytes::from(w.finish().unwrap_or_default())
}

/// The page cut at each slot marker.
fn split(body: &[u8], nonce: &str) -> Vec<Piece> {
    let markers: Vec<(Slot, Vec<u8>)> = Slot::ALL
        .iter()
        .map(|s| (*s, s.marker(nonce).into_bytes()))
        .collect();
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < body.len() {
        let hit = markers
            .iter()
            .find(|(_, m)| body[i..].starts_with(m.as_slice()));
        match hit {
            Some((slot, m)) => {
                pieces.push(Piece::Text(Bytes::copy_from_slice(&body[start..i])));
                pieces.push(Piece::Slot(*slot));
                i += m.len();
                start = i;
            }
            None => i += 1,
        }
    }
    pieces.push(Piece::Text(Bytes::copy_from_slice(&body[start..])));
    pieces
}

fn assemble(pieces: &[Piece], fill: &[(Slot, String)]) -> Bytes {
    let mut out = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.extend_from_slice(t),
            Piece::Slot(s) => {
                let value = fill.iter().find(|(f, _)| f == s).map_or("", |(_, v)| v);
                out.extend_from_slice(render::html_escape(value).as_bytes());
            }
        }
    }
    Bytes::from(out)
}

/// Fills the slots of a page rendered with markers, for the reader who caused the render.
pub fn fill_in(body: &Bytes, rec: &Recording) -> Bytes {
    assemble(&split(body, &rec.nonce), &rec.slots)
}

/// The best encoding the client accepts: br, then gzip, then none.
fn preferred(req: &HeaderMap) -> Encoding {
    let Some(accept) = req
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    let q = |name: &str| -> Option<f32> {
        accept.split(',').find_map(|item| {
            let mut parts = item.split(';');
            let coding = parts.next()?.trim();
            if !coding.eq_ignore_ascii_case(name) {
                return None;
            }
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |v| v.trim().parse().ok())?;
            Some(q)
        })
    };
    let star = q("*");
    let accepts = |name| q(name).or(star).is_some_and(|q| q > 0.0);
    if accepts("br") {
        Encoding::Br
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(accept: &str) -> Encoding {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, accept.parse().unwrap());
        preferred(&h)
    }

    #[test]
    fn negotiates_the_best_accepted_encoding() {
        assert_eq!(enc("gzip, deflate, br"), Encoding::Br);
        assert_eq!(enc("gzip"), Encoding::Gzip);
        assert_eq!(enc("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(enc("identity"), Encoding::Identity);
        assert_eq!(enc("*"), Encoding::Br);
        assert_eq!(enc("*;q=0"), Encoding::Identity);
        assert_eq!(enc("gzip;q=nonsense"), Encoding::Identity);
        assert_eq!(preferred(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn slots_are_cut_out_and_filled_per_reader() {
        let nonce = "n0nce";
        let body = format!(
            "<input value=\"{}\"><p>{} left</p>{}",
            Slot::Csrf.marker(nonce),
            Slot::GiftsLeft.marker(nonce),
            Slot::Csrf.marker(nonce)
        );
        let pieces = split(body.as_bytes(), nonce);
        let out = assemble(
            &pieces,
            &[(Slot::Csrf, "TOKEN".into()), (Slot::GiftsLeft, "3".into())],
        );
        assert_eq!(&out[..], b"<input value=\"TOKEN\"><p>3 left</p>TOKEN");
        // A marker with another nonce is just text.
        let other = Slot::Csrf.marker("other");
        let pieces = split(other.as_bytes(), nonce);
        assert_eq!(&assemble(&pieces, &[])[..], other.as_bytes());
    }
}
