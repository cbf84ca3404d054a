//! The media benchmark (`scripts/bench-media` builds and runs it in release): a 4000 × 3000
//! photo-like JPEG made here (gradients, shapes and sensor-like noise; no downloaded photo),
//! put through the pipeline as an upload is: checked, cleaned, decoded, then every variant
//! made and timed. Then the 1280-wide WebP and JPEG are compared with the resized picture they
//! were encoded from: bytes, and SSIM (`image-compare`'s MSSIM on luma, 1.0 = identical).
//! Prints a Markdown table.
#![allow(
    clippy::unwrap_used,
    reason = "a benchmark stops at the first failure, loudly"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel arithmetic clamped to 0..=255 before the cast"
)]

use image::{DynamicImage, ImageBuffer, Rgb};
use masthead::media::variants::{
    self, JPEG_QUALITY, WEBP_QUALITY, encode_jpeg, encode_webp, widths_for,
};
use masthead::media::{Limits, check, clean};
use std::time::Instant;

/// A deterministic pseudo-random stream (`SplitMix64`).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Roughly normal, mean 0, spread about `amount` (sum of four uniforms).
    fn grain(&mut self, amount: f32) -> f32 {
        let sum: f32 = (0..4)
            .map(|_| (self.next() >> 40) as f32 / (1u64 << 24) as f32)
            .sum();
        (sum - 2.0) * amount
    }
}

/// Sky-to-ground gradients, a sun, hills, a few buildings with windows, and grain.
fn photo(width: u32, height: u32) -> DynamicImage {
    let mut noise = Noise(42);
    let (wide, high) = (width as f32, height as f32);
    let buildings: Vec<(f32, f32, f32)> = (0..14)
        .map(|i| {
            let x = (noise.next() % 1000) as f32 / 1000.0 * wide;
            let bw = wide * (0.03 + (i % 4) as f32 * 0.015);
            let top = high * (0.45 + (noise.next() % 200) as f32 / 1000.0);
            (x, bw, top)
        })
        .collect();
    let image = ImageBuffer::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let depth = fy / high;
        let mut c = [
            40.0 + 150.0 * depth,
            90.0 + 80.0 * depth,
            200.0 - 90.0 * depth,
        ];
        let sun = ((fx - wide * 0.72).powi(2) + (fy - high * 0.22).powi(2)).sqrt();
        if sun < high * 0.07 {
            c = [250.0, 220.0, 150.0];
        } else if sun < high * 0.2 {
            let glow = 1.0 - sun / (high * 0.2);
            c = c.map(|v| v + 70.0 * glow);
        }
        let hill = high * (0.62 + 0.06 * (fx / wide * 9.0).sin() + 0.03 * (fx / wide * 23.0).cos());
        if fy > hill {
            let d = (fy - hill) / high;
            c = [60.0 + 90.0 * d, 110.0 - 40.0 * d, 50.0 + 20.0 * d];
        }
        for &(bx, bw, top) in &buildings {
            if fx >= bx && fx < bx + bw && fy > top {
                let lit = ((fx - bx) as u32 / 24).is_multiple_of(2)
                    && ((fy - top) as u32 / 40).is_multiple_of(3);
                c = if lit {
                    [235.0, 205.0, 120.0]
                } else {
                    [70.0, 72.0, 85.0]
                };
            }
        }
        let g = noise.grain(9.0);
        Rgb(c.map(|v| (v + g).clamp(0.0, 255.0) as u8))
    });
    DynamicImage::ImageRgb8(image)
}

fn ssim(reference: &DynamicImage, encoded: &[u8]) -> f64 {
    let decoded = image::load_from_memory(encoded).unwrap();
    image_compare::gray_similarity_structure(
        &image_compare::Algorithm::MSSIMSimple,
        &reference.to_luma8(),
        &decoded.to_luma8(),
    )
    .unwrap()
    .score
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let (width, height) = (4000, 3000);
    let original = photo(width, height);
    let jpeg = encode_jpeg(&original, 90).unwrap();
    println!(
        "Source: {width} × {height} JPEG (quality 90), {} bytes, made by this program.\n",
        jpeg.len()
    );

    let started = Instant::now();
    let checked = check(&jpeg, Limits::default()).unwrap();
    let cleaned = clean(&jpeg, checked).unwrap();
    println!("| step | ms |\n|---|---:|");
    println!(
        "| check + clean (decode, strip metadata) | {:.0} |",
        ms(started)
    );
    let started = Instant::now();
    let decoded = variants::decode(&cleaned.bytes).unwrap();
    println!("| decode for variants | {:.0} |", ms(started));

    println!(
        "\n| width | resize ms | WebP q{WEBP_QUALITY} ms | WebP bytes | JPEG q{JPEG_QUALITY} ms | JPEG bytes |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    let all = Instant::now();
    let mut at_1280 = None;
    for w in widths_for(width) {
        let t = Instant::now();
        let small = variants::resize(&decoded, w).unwrap();
        let resize = ms(t);
        let t = Instant::now();
        let webp = encode_webp(&small, WEBP_QUALITY).unwrap();
        let webp_ms = ms(t);
        let t = Instant::now();
        let own = encode_jpeg(&small, JPEG_QUALITY).unwrap();
        let jpeg_ms = ms(t);
        println!(
            "| {w} | {resize:.0} | {webp_ms:.0} | {} | {jpeg_ms:.0} | {} |",
            webp.len(),
            own.len()
        );
        if w == 1280 {
            at_1280 = Some(small);
        }
    }
    println!(
        "\nAll {} widths, both formats: {:.0} ms.",
        widths_for(width).len(),
        ms(all)
    );

    let small = at_1280.unwrap();
    println!("\n1280 wide against the resized reference (SSIM: image-compare MSSIM on luma):\n");
    println!("| encoding | bytes | SSIM |\n|---|---:|---:|");
    for q in [75, 82, 90] {
        let bytes = encode_jpeg(&small, q).unwrap();
        println!(
            "| JPEG q{q} | {} | {:.4} |",
            bytes.len(),
            ssim(&small, &bytes)
        );
    }
    for q in [70.0, 75.0, 80.0, 85.0] {
        let bytes = encode_webp(&small, q).unwrap();
        println!(
            "| WebP q{q} | {} | {:.4} |",
            bytes.len(),
            ssim(&small, &bytes)
        );
    }
}
