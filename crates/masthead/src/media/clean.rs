//! Making an upload safe to publish: decoded once in full under memory limits (so a truncated
//! or malformed file is refused here, not when a reader asks for it), turned upright by its
//! EXIF orientation, and stripped of EXIF, XMP, IPTC and comments, which may say where and
//! when a photo was taken. Colour profiles are kept.

use super::check::{CheckError, Checked, Kind};
use bytes::Bytes;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use img_parts::ImageEXIF;
use std::io::Cursor;

/// The bytes to store, with the size of the upright image.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
}

/// The quality a turned JPEG is saved at: high, as it is the original variants are made from.
const REENCODE_JPEG_QUALITY: u8 = 92;

/// Cleans `bytes`, which `check` found to be `checked`.
pub fn clean(bytes: &[u8], checked: Checked) -> Result<Cleaned, CheckError> {
    match checked.kind {
        Kind::Avif => clean_avif(bytes, checked),
        Kind::Gif => {
            // Decoding the first frame proves the file readable; GIFs carry no EXIF.
            decode(bytes, checked)?;
            Ok(as_is(bytes, checked))
        }
        Kind::Jpeg | Kind::Png | Kind::WebP => {
            if checked.kind == Kind::Jpeg && !jpeg_is_complete(bytes) {
                return Err(CheckError::Malformed);
            }
            let (image, orientation) = decode(bytes, checked)?;
            if orientation == Orientation::NoTransforms {
                strip(bytes, checked)
            } else {
                upright(image, orientation, checked.kind)
            }
        }
    }
}

fn as_is(bytes: &[u8], checked: Checked) -> Cleaned {
    Cleaned {
        bytes: bytes.to_vec(),
        kind: checked.kind,
        width: checked.width,
        height: checked.height,
    }
}

/// Decodes the image (the first frame of an animation) under limits matching what `check`
/// read from the header, with its EXIF orientation.
pub(super) fn decode(
    bytes: &[u8],
    checked: Checked,
) -> Result<(DynamicImage, Orientation), CheckError> {
    let format = match checked.kind {
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Png => ImageFormat::Png,
        Kind::Gif => ImageFormat::Gif,
        Kind::WebP => ImageFormat::WebP,
        Kind::Avif => return Err(CheckError::Unsupported),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(checked.width);
    limits.max_image_height = Some(checked.height);
    // 16-bit RGBA at the checked size, the most any format here decodes into.
    limits.max_alloc = Some(u64::from(checked.width) * u64::from(checked.height) * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| CheckError::Malformed)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(|_| CheckError::Malformed)?;
    Ok((image, orientation))
}

/// Removes metadata without touching the pixels.
fn strip(bytes: &[u8], checked: Checked) -> Result<Cleaned, CheckError> {
    let input = Bytes::copy_from_slice(bytes);
    let out = match checked.kind {
        Kind::Jpeg => {
            let mut jpeg =
                img_parts::jpeg::Jpeg::from_bytes(input).map_err(|_| CheckError::Malformed)?;
            // APP1 holds EXIF and XMP, APP13 Photoshop's IPTC, COM free-text comments.
            for marker in [
                img_parts::jpeg::markers::APP1,
                img_parts::jpeg::markers::APP13,
                img_parts::jpeg::markers::COM,
            ] {
                jpeg.remove_segments_by_marker(marker);
            }
            jpeg.encoder().bytes()
        }
        Kind::Png => {
            let mut png =
                img_parts::png::Png::from_bytes(input).map_err(|_| CheckError::Malformed)?;
            // eXIf is EXIF; XMP and any other text ride in the three text chunks.
            for chunk in [*b"eXIf", *b"iTXt", *b"tEXt", *b"zTXt"] {
                png.remove_chunks_by_type(chunk);
            }
            png.encoder().bytes()
        }
        Kind::WebP => {
            let mut webp =
                img_parts::webp::WebP::from_bytes(input).map_err(|_| CheckError::Malformed)?;
            webp.remove_chunks_by_id(*b"XMP ");
            // Also recomputes the extended header's flags for the chunks left.
            webp.set_exif(None);
            webp.encoder().bytes()
        }
        Kind::Gif | Kind::Avif => return Ok(as_is(bytes, checked)),
    };
    Ok(Cleaned {
        bytes: out.to_vec(),
        ..as_is(&[], checked)
    })
}

/// Turns the image upright and saves it afresh, which writes no metadata at all.
fn upright(
    mut image: DynamicImage,
    orientation: Orientation,
    kind: Kind,
) -> Result<Cleaned, CheckError> {
    image.apply_orientation(orientation);
    let bytes = match kind {
        Kind::Jpeg => super::variants::encode_jpeg(&image, REENCODE_JPEG_QUALITY),
        Kind::Png => super::variants::encode_png(&image),
        _ => super::variants::encode_webp_lossless(&image),
    }
    .map_err(|_| CheckError::Malformed)?;
    Ok(Cleaned {
        bytes,
        kind,
        width: image.width(),
        height: image.height(),
    })
}

/// Whether a JPEG's last scan is followed by its end-of-image marker. The JPEG decoder fills
/// in what a truncated file lacks with grey rather than failing, which would publish half a
/// photo.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(scan) = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[scan..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// AVIF is kept as uploaded (it cannot be decoded here), so one that carries EXIF or XMP items
/// is refused rather than published with them.
fn clean_avif(bytes: &[u8], checked: Checked) -> Result<Cleaned, CheckError> {
    if avif_has_metadata(bytes) {
        return Err(CheckError::AvifMetadata);
    }
    Ok(as_is(bytes, checked))
}

/// Whether an AVIF file declares an `Exif` item or an XMP (`application/rdf+xml`) item in its
/// item-info entries (`infe`).
fn avif_has_metadata(bytes: &[u8]) -> bool {
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    holds(b"Exif") || holds(b"application/rdf+xml")
}

#[cfg(test)]
mod tests;
