//! Cleaning: metadata gone, damaged files refused, never a panic.

use super::*;
use crate::media::check::{Limits, check};
use image::{ImageBuffer, Rgb};

fn photo(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([
            (x * 7 % 256).to_le_bytes()[0],
            (y * 5 % 256).to_le_bytes()[0],
            128,
        ])
    }))
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    crate::media::variants::encode_jpeg(&photo(width, height), 90).unwrap()
}

fn cleaned(bytes: &[u8]) -> Result<Cleaned, CheckError> {
    clean(bytes, check(bytes, Limits::default())?)
}

#[test]
fn png_text_chunks_are_removed() {
    let png = crate::media::variants::encode_png(&photo(8, 8)).unwrap();
    let mut with_text = png[..33].to_vec();
    let body = b"tEXtLocation\0Lat 48.8584 Lon 2.2945";
    with_text.extend_from_slice(&u32::try_from(body.len() - 4).unwrap().to_be_bytes());
    with_text.extend_from_slice(body);
    with_text.extend_from_slice(&crc32(body).to_be_bytes());
    with_text.extend_from_slice(&png[33..]);
    let out = cleaned(&with_text).unwrap();
    assert!(!out.bytes.windows(8).any(|w| w == b"Location"));
    assert_eq!((out.width, out.height), (8, 8));
}

#[test]
fn truncated_and_garbled_files_are_refused() {
    let whole = jpeg(64, 64);
    for cut in [whole.len() / 2, 200, 20] {
        let err = cleaned(&whole[..cut]).unwrap_err();
        assert_eq!(err, CheckError::Malformed, "cut at {cut}");
    }
    let mut garbled = whole.clone();
    for b in garbled.iter_mut().skip(400).step_by(3) {
        *b ^= 0x5A;
    }
    // Whatever the decoder makes of it, no panic, and a refusal or a readable image.
    let _ = cleaned(&garbled);
    let png = crate::media::variants::encode_png(&photo(32, 32)).unwrap();
    assert_eq!(
        cleaned(&png[..png.len() - 30]).unwrap_err(),
        CheckError::Malformed
    );
}

#[test]
fn avif_with_exif_is_refused() {
    let mut avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf".to_vec();
    avif.extend_from_slice(b"\0\0\0\x15infe\x02\0\0\0\0\x02\0\0Exif\0");
    assert!(avif_has_metadata(&avif));
    let checked = Checked {
        kind: Kind::Avif,
        width: 10,
        height: 10,
    };
    assert_eq!(clean(&avif, checked).unwrap_err(), CheckError::AvifMetadata);
}

/// PNG's chunk checksum (CRC-32, ISO 3309), bit by bit: fast enough for a test.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
