//! The media benchmark (`scripts/bench-media` builds and runs it in release): a 4000 × 3000
//! photo-like JPEG made by `media::sample` (gradients, soft-edged shapes, faint texture, mild
//! grain; no downloaded photo), put through the pipeline as an upload is: checked, cleaned,
//! decoded, then every variant made and timed. Each variant is compared with the resized
//! picture it was encoded from, with two measures:
//! - SSIM as Wang et al. (2004) define it (`media::ssim`): on luma, 11 × 11 Gaussian windows,
//!   1.0 = identical;
//! - SSIMULACRA 2 (the `ssimulacra2` crate, rust-av, BSD-2): a perceptual score on colour,
//!   100 = identical, 90 ≈ visually lossless, 70 ≈ high quality.
//!
//! Then, at 1280 wide, a sweep of JPEG qualities and libwebp settings, and the smallest WebP
//! that is at least as good as the JPEG variant by both measures. Prints Markdown tables.
#![allow(
    clippy::unwrap_used,
    reason = "a benchmark stops at the first failure, loudly"
)]
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "pixel arithmetic on small values"
)]

use image::DynamicImage;
use masthead::media::sample::photo;
use masthead::media::ssim::ssim;
use masthead::media::variants::{
    self, JPEG_QUALITY, WEBP, WebpSettings, encode_jpeg, encode_webp, widths_for,
};
use masthead::media::{Limits, check, clean};
use std::time::Instant;

/// SSIMULACRA 2 of `encoded` against `reference`.
fn ssimulacra2(reference: &DynamicImage, encoded: &DynamicImage) -> f64 {
    let frame = |image: &DynamicImage| {
        let data = image
            .to_rgb8()
            .pixels()
            .map(|p| p.0.map(|c| f32::from(c) / 255.0))
            .collect();
        ssimulacra2::Rgb::new(
            data,
            image.width() as usize,
            image.height() as usize,
            ssimulacra2::TransferCharacteristic::SRGB,
            ssimulacra2::ColorPrimaries::BT709,
        )
        .unwrap()
    };
    ssimulacra2::compute_frame_ssimulacra2(frame(reference), frame(encoded)).unwrap()
}

/// Bytes and both scores of one encoding.
struct Scored {
    bytes: usize,
    ssim: f64,
    s2: f64,
}

fn score(reference: &DynamicImage, encoded: &[u8]) -> Scored {
    let decoded = image::load_from_memory(encoded).unwrap();
    Scored {
        bytes: encoded.len(),
        ssim: ssim(reference, &decoded).unwrap(),
        s2: ssimulacra2(reference, &decoded),
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn describe(s: WebpSettings) -> String {
    format!(
        "WebP q{} m{} sns{}{}",
        s.quality,
        s.method,
        s.sns_strength,
        if s.sharp_yuv { " sharp-yuv" } else { "" }
    )
}

fn main() {
    let (width, height) = (4000, 3000);
    let original = photo(width, height, 42);
    let jpeg = encode_jpeg(&original, 90).unwrap();
    println!(
        "Source: {width} × {height} photo-like JPEG (quality 90), {} bytes, made by this program.\n",
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
        "\nVariants ({}; JPEG q{JPEG_QUALITY}); SSIM and SSIMULACRA 2 against the resized picture:\n",
        describe(WEBP)
    );
    println!("| width | resize ms | format | encode ms | bytes | SSIM | SSIMULACRA 2 |");
    println!("|---:|---:|---|---:|---:|---:|---:|");
    let all = Instant::now();
    let mut timed = 0.0;
    let mut at_1280 = None;
    for w in widths_for(width) {
        let t = Instant::now();
        let small = variants::resize(&decoded, w).unwrap();
        let resize = ms(t);
        let t = Instant::now();
        let webp = encode_webp(&small, WEBP).unwrap();
        let webp_ms = ms(t);
        let t = Instant::now();
        let own = encode_jpeg(&small, JPEG_QUALITY).unwrap();
        let jpeg_ms = ms(t);
        timed += resize + webp_ms + jpeg_ms;
        for (format, bytes, took) in [("WebP", &webp, webp_ms), ("JPEG", &own, jpeg_ms)] {
            let s = score(&small, bytes);
            println!(
                "| {w} | {resize:.0} | {format} | {took:.0} | {} | {:.4} | {:.1} |",
                s.bytes, s.ssim, s.s2
            );
        }
        if w == 1280 {
            at_1280 = Some(small);
        }
    }
    println!(
        "\nAll {} widths, both formats: {timed:.0} ms of resizing and encoding ({:.0} ms with the scoring).",
        widths_for(width).len(),
        ms(all)
    );

    sweep(&at_1280.unwrap());
}

/// At 1280 wide: JPEG qualities and libwebp settings, and the smallest WebP at least as good
/// as the JPEG variant by both measures.
fn sweep(small: &DynamicImage) {
    println!("\n1280 wide, settings swept:\n");
    println!("| encoding | bytes | SSIM | SSIMULACRA 2 | ms |\n|---|---:|---:|---:|---:|");
    let mut reference = None;
    for q in [75, 82, 90] {
        let t = Instant::now();
        let bytes = encode_jpeg(small, q).unwrap();
        let took = ms(t);
        let s = score(small, &bytes);
        println!(
            "| JPEG q{q} | {} | {:.4} | {:.1} | {took:.0} |",
            s.bytes, s.ssim, s.s2
        );
        if q == JPEG_QUALITY {
            reference = Some(s);
        }
    }
    let reference = reference.unwrap();
    let mut best: Option<(WebpSettings, Scored)> = None;
    for quality in [75.0, 80.0, 85.0, 90.0] {
        for method in [4, 6] {
            for sns_strength in [50, 80] {
                for sharp_yuv in [false, true] {
                    let settings = WebpSettings {
                        quality,
                        method,
                        sns_strength,
                        sharp_yuv,
                    };
                    let t = Instant::now();
                    let bytes = encode_webp(small, settings).unwrap();
                    let took = ms(t);
                    let s = score(small, &bytes);
                    println!(
                        "| {} | {} | {:.4} | {:.1} | {took:.0} |",
                        describe(settings),
                        s.bytes,
                        s.ssim,
                        s.s2
                    );
                    let as_good = s.ssim >= reference.ssim && s.s2 >= reference.s2;
                    if as_good && best.as_ref().is_none_or(|(_, b)| s.bytes < b.bytes) {
                        best = Some((settings, s));
                    }
                }
            }
        }
    }
    match best {
        Some((settings, s)) => println!(
            "\nSmallest WebP at least as good as JPEG q{JPEG_QUALITY} ({} bytes, SSIM {:.4}, SSIMULACRA 2 {:.1}): {} — {} bytes ({:.0} %), SSIM {:.4}, SSIMULACRA 2 {:.1}.",
            reference.bytes,
            reference.ssim,
            reference.s2,
            describe(settings),
            s.bytes,
            100.0 * s.bytes as f64 / reference.bytes as f64,
            s.ssim,
            s.s2
        ),
        None => {
            println!(
                "\nNo WebP setting swept is as good as JPEG q{JPEG_QUALITY} by both measures."
            );
        }
    }
}
