//! The default publisher logo: a square PNG drawn here (a light "M" monogram over a red rule on
//! the theme's navy), used by structured data, OpenGraph and feeds until a `logo_url` is set;
//! and the same monogram as the default favicon (`/favicon.ico`) until an `icon` is set.

use image::codecs::ico::{IcoEncoder, IcoFrame};
use image::{DynamicImage, ExtendedColorType, ImageFormat, Rgb, RgbImage};
use std::io::Cursor;
use std::sync::OnceLock;

/// Width and height of the default logo in pixels (Google asks for at least 112).
pub const SIZE: u32 = 512;
pub const PATH: &str = "/logo.png";
/// Where browsers look for a site's icon by themselves.
pub const FAVICON_PATH: &str = "/favicon.ico";
/// The sizes inside the favicon: tabs, taskbars and high-density tabs.
const FAVICON_SIZES: [u32; 3] = [16, 32, 48];

const NAVY: [f32; 3] = [20.0, 33.0, 61.0];
const PAPER: [f32; 3] = [247.0, 244.0, 238.0];
const RED: [f32; 3] = [178.0, 34.0, 52.0];

/// The PNG bytes, drawn once per process.
pub fn png() -> &'static [u8] {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    PNG.get_or_init(|| {
        let mut out = Cursor::new(Vec::new());
        // Encoding an in-memory RGB image as PNG cannot fail.
        let _ = draw(SIZE, 2).write_to(&mut out, ImageFormat::Png);
        out.into_inner()
    })
}

/// The default favicon: a real ICO holding the monogram at each of `FAVICON_SIZES` (as PNG
/// entries, which every current browser reads), drawn once per process.
pub fn favicon_ico() -> &'static [u8] {
    static ICO: OnceLock<Vec<u8>> = OnceLock::new();
    ICO.get_or_init(|| {
        // A few pixels carry the whole letter, so small sizes take more samples per pixel.
        let frames: Vec<IcoFrame> = FAVICON_SIZES
            .iter()
            .filter_map(|&size| {
                // ICO's PNG entries must be RGBA (as Windows and the decoders read them).
                let img = DynamicImage::ImageRgb8(draw(size, 4)).to_rgba8();
                IcoFrame::as_png(img.as_raw(), size, size, ExtendedColorType::Rgba8).ok()
            })
            .collect();
        let mut out = Vec::new();
        // Sizes of 1–256 px in RGB always encode; an empty result would only mean a bug here.
        let _ = IcoEncoder::new(&mut out).encode_images(&frames);
        out
    })
}

/// The strokes of the monogram, as segments in a 512-unit square.
const STROKES: [((f32, f32), (f32, f32)); 4] = [
    ((150.0, 372.0), (150.0, 148.0)),
    ((150.0, 148.0), (256.0, 296.0)),
    ((256.0, 296.0), (362.0, 148.0)),
    ((362.0, 148.0), (362.0, 372.0)),
];
const HALF_STROKE: f32 = 22.0;
const RULE: (f32, f32, f32, f32) = (128.0, 408.0, 384.0, 424.0);

/// The monogram on a `size`-pixel square, with `samples`×`samples` samples per pixel to smooth
/// the diagonal edges.
fn draw(size: u32, samples: u32) -> RgbImage {
    let scale = 512.0 / size as f32;
    let offsets: Vec<f32> = (0..samples)
        .map(|i| (i as f32 + 0.5) / samples as f32)
        .collect();
    let weight = 1.0 / (samples * samples) as f32;
    RgbImage::from_fn(size, size, |x, y| {
        let mut acc = [0.0f32; 3];
        for &dy in &offsets {
            for &dx in &offsets {
                let p = ((x as f32 + dx) * scale, (y as f32 + dy) * scale);
                let c = colour_at(p);
                for i in 0..3 {
                    acc[i] += c[i] * weight;
                }
            }
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "clamped to 0..=255 first"
        )]
        Rgb(acc.map(|v| v.round().clamp(0.0, 255.0) as u8))
    })
}

fn colour_at((x, y): (f32, f32)) -> [f32; 3] {
    let (x0, y0, x1, y1) = RULE;
    if (x0..=x1).contains(&x) && (y0..=y1).contains(&y) {
        return RED;
    }
    if STROKES
        .iter()
        .any(|&(a, b)| distance_to_segment((x, y), a, b) <= HALF_STROKE)
    {
        return PAPER;
    }
    NAVY
}

fn distance_to_segment(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logo_is_a_square_png_of_the_announced_size() {
        let decoded = image::load_from_memory_with_format(png(), ImageFormat::Png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (SIZE, SIZE));
        let rgb = decoded.to_rgb8();
        assert_eq!(rgb.get_pixel(10, 10).0, [20, 33, 61], "navy field");
        assert_eq!(rgb.get_pixel(150, 260).0, [247, 244, 238], "the monogram");
        assert_eq!(rgb.get_pixel(256, 416).0, [178, 34, 52], "the red rule");
    }

    #[test]
    fn the_favicon_is_an_ico_with_the_monogram_at_each_size() {
        let ico = favicon_ico();
        assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO header");
        assert_eq!(u16::from_le_bytes([ico[4], ico[5]]), 3, "three sizes");
        let decoded = image::load_from_memory_with_format(ico, ImageFormat::Ico).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (48, 48),
            "the largest first"
        );
        assert_eq!(
            decoded.to_rgb8().get_pixel(1, 1).0,
            [20, 33, 61],
            "navy field"
        );
    }
}
