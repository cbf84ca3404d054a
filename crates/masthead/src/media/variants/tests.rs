//! Variants: the lossy WebP of a photo-like picture is smaller than the JPEG variant and at
//! least as good by SSIM and by SSIMULACRA 2 (deterministic input: `media::sample`).

use super::*;
use crate::media::sample::photo;
use crate::media::ssim::ssim;

/// SSIMULACRA 2 of `other` against `reference` (100 = identical).
fn ssimulacra2(reference: &DynamicImage, other: &DynamicImage) -> f64 {
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
    ssimulacra2::compute_frame_ssimulacra2(frame(reference), frame(other)).unwrap()
}

#[test]
fn the_webp_variant_is_smaller_than_the_jpeg_and_at_least_as_good() {
    let source = photo(1280, 960, 7);
    for width in [320, 640] {
        let small = resize(&source, width).unwrap();
        let webp = encode_webp(&small, WEBP).unwrap();
        let jpeg = encode_jpeg(&small, JPEG_QUALITY).unwrap();
        let webp_image = image::load_from_memory(&webp).unwrap();
        let jpeg_image = image::load_from_memory(&jpeg).unwrap();
        let (webp_ssim, jpeg_ssim) = (
            ssim(&small, &webp_image).unwrap(),
            ssim(&small, &jpeg_image).unwrap(),
        );
        let (webp_s2, jpeg_s2) = (
            ssimulacra2(&small, &webp_image),
            ssimulacra2(&small, &jpeg_image),
        );
        let seen = format!(
            "{width} wide: WebP {} B, SSIM {webp_ssim:.4}, SSIMULACRA 2 {webp_s2:.1}; \
             JPEG {} B, SSIM {jpeg_ssim:.4}, SSIMULACRA 2 {jpeg_s2:.1}",
            webp.len(),
            jpeg.len()
        );
        assert!(webp.len() < jpeg.len(), "{seen}");
        assert!(webp_ssim >= jpeg_ssim, "{seen}");
        assert!(webp_s2 >= jpeg_s2, "{seen}");
    }
}

#[test]
fn variants_are_never_wider_than_the_original() {
    assert_eq!(widths_for(1000), [320, 640, 960]);
    assert_eq!(widths_for(300), Vec::<u32>::new());
    let [webp, own] = make(&photo(700, 350, 3), Kind::Jpeg, 640).unwrap();
    assert!(webp.webp && !own.webp);
    let decoded = image::load_from_memory(&webp.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (640, 320));
}
