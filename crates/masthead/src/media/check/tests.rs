//! Hostile uploads: wrong kinds, lies in headers, decompression bombs.

use super::*;

/// A PNG whose header claims `width` × `height` pixels, with no pixel data after it.
pub(crate) fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    png
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let err = check(&png_header(100_000, 100_000), Limits::default()).unwrap_err();
    assert!(matches!(err, CheckError::TooManyPixels { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("100000 × 100000"), "{message}");
    assert!(message.contains("50 megapixels"), "{message}");

    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0]);
    assert!(matches!(
        check(&gif, Limits::default()),
        Err(CheckError::TooManyPixels { .. })
    ));
}

#[test]
fn kinds_come_from_content_and_limits_from_config() {
    assert_eq!(check(b"", Limits::default()), Err(CheckError::Empty));
    assert_eq!(
        check(
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            Limits::default()
        ),
        Err(CheckError::Unsupported)
    );
    assert_eq!(
        check(b"\x89PNG\r\n\x1a\n", Limits::default()),
        Err(CheckError::Malformed)
    );
    let small = Limits {
        max_bytes: 10,
        max_pixels: 100,
    };
    let err = check(&png_header(4, 4), small).unwrap_err();
    assert!(err.to_string().contains("limit is 1 KB"), "{err}");
    let ok = check(&png_header(10, 10), Limits::default()).unwrap();
    assert_eq!((ok.kind, ok.width, ok.height), (Kind::Png, 10, 10));
    let mut avif = b"\0\0\0\x1cftypavif".to_vec();
    avif.extend_from_slice(&[0; 16]);
    assert_eq!(Kind::sniff(&avif), Some(Kind::Avif));
}
