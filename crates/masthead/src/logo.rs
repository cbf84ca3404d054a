//! The default publisher logo: a square PNG drawn here (a light "M" monogram over a red rule on
//! the theme's navy), used by structured data, OpenGraph and feeds until a `logo_url` is set.

use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;
use std::sync::OnceLock;

/// Width and height of the default logo in pixels (Google asks for at least 112).
pub const SIZE: u32 = 512;
pub const PATH: &str = "/logo.png";

const NAVY: [f32; 3] = [20.0, 33.0, 61.0];
const PAPER: [f32; 3] = [247.0, 244.0, 238.0];
const RED: [f32; 3] = [178.0, 34.0, 52.0];

/// The PNG bytes, drawn once per process.
pub fn png() -> &'static [u8] {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    PNG.get_or_init(draw)
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

fn draw() -> Vec<u8> {
    let scale = 512.0 / SIZE as f32;
    // 2×2 samples per pixel smooth the diagonal edges.
    let offsets = [0.25, 0.75];
    let img = RgbImage::from_fn(SIZE, SIZE, |x, y| {
        let mut acc = [0.0f32; 3];
        for dy in offsets {
            for dx in offsets {
                let p = ((x as f32 + dx) * scale, (y as f32 + dy) * scale);
                let c = colour_at(p);
                for i in 0..3 {
                    acc[i] += c[i] / 4.0;
                }
            }
        }
        Rgb(acc.map(|v| v.round().clamp(0.0, 255.0) as u8))
    });
    let mut out = Cursor::new(Vec::new());
    // Encoding an in-memory RGB image as PNG cannot fail.
    let _ = img.write_to(&mut out, ImageFormat::Png);
    out.into_inner()
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
}
