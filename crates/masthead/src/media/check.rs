//! Checking an upload before anything decodes it: its kind from its bytes (never its name), its
//! size in bytes, and its size in pixels read from its header, so a small file that would
//! decode into gigabytes (a decompression bomb) is refused before it costs any memory.

use std::fmt;

/// The limits an upload must keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_pixels: u64,
}

/// Default limits: 20 MB and 50 megapixels (a 8660 × 5773 photo).
pub const DEFAULT_LIMITS: Limits = Limits {
    max_bytes: 20_000_000,
    max_pixels: 50_000_000,
};

impl Default for Limits {
    fn default() -> Limits {
        DEFAULT_LIMITS
    }
}

/// The image formats the site keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    WebP,
    Avif,
}

impl Kind {
    /// Recognises a format by its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Kind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Kind::WebP)
        } else if bytes.len() >= 12
            && &bytes[4..8] == b"ftyp"
            && matches!(&bytes[8..12], b"avif" | b"avis")
        {
            Some(Kind::Avif)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Gif => "image/gif",
            Kind::WebP => "image/webp",
            Kind::Avif => "image/avif",
        }
    }

    /// The extension stored names end in.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Gif => "gif",
            Kind::WebP => "webp",
            Kind::Avif => "avif",
        }
    }

    /// The kind a stored name's extension says (stored names end in `extension()`).
    pub fn from_extension(ext: &str) -> Option<Kind> {
        match ext {
            "jpg" | "jpeg" => Some(Kind::Jpeg),
            "png" => Some(Kind::Png),
            "gif" => Some(Kind::Gif),
            "webp" => Some(Kind::WebP),
            "avif" => Some(Kind::Avif),
            _ => None,
        }
    }

    /// Whether variants are made: animated GIFs would lose their motion, and AVIF cannot be
    /// decoded here (Debian 12's dav1d is older than the `dav1d` crate needs).
    pub fn has_variants(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png | Kind::WebP)
    }
}

/// An upload that passed the checks: what it is and how large it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
}

/// Why an upload was refused; each message tells the editor what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("The file is empty. Please choose an image.")]
    Empty,
    #[error(
        "This file is not an image we can use. Please upload a JPEG, PNG, GIF, WebP or AVIF image."
    )]
    Unsupported,
    #[error("The image is {} and the limit is {}. Please export a smaller file.", Size(*.bytes), Size(*.limit))]
    TooLarge { bytes: u64, limit: u64 },
    #[error(
        "The image is {width} × {height} pixels, more than the {} megapixels we accept. Please resize it before uploading.",
        .limit / 1_000_000
    )]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error(
        "The image looks damaged or incomplete and could not be read. Please export it again and re-upload it."
    )]
    Malformed,
    #[error(
        "This AVIF image carries EXIF or XMP metadata, which may include where it was taken, and we cannot remove it from AVIF files. Please export it without metadata, or upload it as JPEG, PNG or WebP."
    )]
    AvifMetadata,
}

/// A byte count for people: "20 MB", "512 KB".
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 >= 1_000_000 {
            write!(f, "{:.1} MB", self.0 as f64 / 1e6)
        } else {
            write!(f, "{} KB", self.0.div_ceil(1000))
        }
    }
}

/// Checks `bytes` against `limits` without decoding them: kind, byte size, then the pixel size
/// the header declares.
pub fn check(bytes: &[u8], limits: Limits) -> Result<Checked, CheckError> {
    if bytes.is_empty() {
        return Err(CheckError::Empty);
    }
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(CheckError::TooLarge {
            bytes: size,
            limit: limits.max_bytes,
        });
    }
    let kind = Kind::sniff(bytes).ok_or(CheckError::Unsupported)?;
    let dims = imagesize::blob_size(bytes).map_err(|_| CheckError::Malformed)?;
    let (Ok(width), Ok(height)) = (u32::try_from(dims.width), u32::try_from(dims.height)) else {
        return Err(CheckError::Malformed);
    };
    if width == 0 || height == 0 {
        return Err(CheckError::Malformed);
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(CheckError::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    Ok(Checked {
        kind,
        width,
        height,
    })
}

#[cfg(test)]
mod tests;
