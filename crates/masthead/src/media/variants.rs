//! Responsive variants: an image resized (SIMD, `fast_image_resize`, Lanczos 3) to each of
//! `WIDTHS` that is no wider than it, and saved in lossy WebP (libwebp) and in its own format.

use super::check::Kind;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder};
use std::borrow::Cow;

/// The widths variants are made at (the default theme's `image_sizes`: xs, s, m, l, xl).
pub const WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];

/// How lossy WebP variants are encoded (the fields of libwebp's `WebPConfig` we set).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WebpSettings {
    /// libwebp's quality, 0–100 (its scale is not JPEG's).
    pub quality: f32,
    /// Effort, 0 (fast) to 6 (smallest files).
    pub method: i32,
    /// Spatial noise shaping, 0–100: moves bits from busy to flat areas.
    pub sns_strength: i32,
    /// The sharper (iterative) RGB → YUV conversion, which keeps colour edges crisp.
    pub sharp_yuv: bool,
}

/// The WebP settings of every variant: quality 90, method 4, sharp YUV. Measured by
/// `scripts/bench-media` on `media::sample`'s 4000×3000 photo-like picture at 1280 wide, this
/// WebP is 71,344 B against the JPEG q82's 123,158 B (58 %), and better by both measures: SSIM
/// 0.9881 against 0.9799, SSIMULACRA 2 82.6 against 81.6. Quality 80 made files half that size
/// with a higher SSIM but a SSIMULACRA 2 up to 9 points lower, so it was not "equal quality".
pub const WEBP: WebpSettings = WebpSettings {
    quality: 90.0,
    method: 4,
    sns_strength: 50,
    sharp_yuv: true,
};

/// JPEG quality of the original-format variants.
pub const JPEG_QUALITY: u8 = 82;

/// One variant's bytes.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    /// WebP, else the original's format.
    pub webp: bool,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("the image could not be decoded: {0}")]
    Decode(#[from] image::ImageError),
    #[error("the image could not be resized: {0}")]
    Resize(#[from] fast_image_resize::ResizeError),
    #[error("the WebP encoder failed: {0}")]
    WebP(String),
    #[error("{0:?} images get no variants")]
    NoVariants(Kind),
}

/// The widths of `WIDTHS` an image `width` pixels wide gets: never wider than itself.
pub fn widths_for(width: u32) -> Vec<u32> {
    WIDTHS.into_iter().filter(|w| *w <= width).collect()
}

/// Decodes stored bytes (already checked and cleaned) into 8-bit RGB or RGBA.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, VariantError> {
    let image = image::load_from_memory(bytes)?;
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

/// `image` resized to `width`, keeping its aspect ratio.
pub fn resize(image: &DynamicImage, width: u32) -> Result<DynamicImage, VariantError> {
    let height = scaled_height(image.width(), image.height(), width);
    let mut out = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new().resize(image, &mut out, &options)?;
    Ok(out)
}

/// The height of a `width`-wide copy of a `w` × `h` image, at least one pixel.
pub fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    let height = (u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// Lossy WebP with `settings` (normally `WEBP`).
pub fn encode_webp(image: &DynamicImage, settings: WebpSettings) -> Result<Vec<u8>, VariantError> {
    let mut config = webp::WebPConfig::new()
        .map_err(|()| VariantError::WebP("libwebp refused its configuration".into()))?;
    config.quality = settings.quality;
    config.method = settings.method;
    config.sns_strength = settings.sns_strength;
    config.use_sharp_yuv = i32::from(settings.sharp_yuv);
    config.alpha_compression = 1;
    webp_encode(image, &config)
}

/// Lossless WebP (an upright copy of a WebP upload).
pub fn encode_webp_lossless(image: &DynamicImage) -> Result<Vec<u8>, VariantError> {
    let mut config = webp::WebPConfig::new()
        .map_err(|()| VariantError::WebP("libwebp refused its configuration".into()))?;
    config.lossless = 1;
    config.alpha_compression = 0;
    webp_encode(image, &config)
}

/// libwebp takes 8-bit RGB or RGBA: other layouts (16-bit PNGs, grey) are converted first.
fn eight_bit(image: &DynamicImage) -> Cow<'_, DynamicImage> {
    match image {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => Cow::Borrowed(image),
        _ if image.color().has_alpha() => Cow::Owned(DynamicImage::ImageRgba8(image.to_rgba8())),
        _ => Cow::Owned(DynamicImage::ImageRgb8(image.to_rgb8())),
    }
}

fn webp_encode(image: &DynamicImage, config: &webp::WebPConfig) -> Result<Vec<u8>, VariantError> {
    let image = eight_bit(image);
    let (w, h) = (image.width(), image.height());
    let encoder = match &*image {
        DynamicImage::ImageRgba8(rgba) => webp::Encoder::from_rgba(rgba.as_raw(), w, h),
        _ => webp::Encoder::from_rgb(image.as_bytes(), w, h),
    };
    encoder
        .encode_advanced(config)
        .map(|m| m.to_vec())
        .map_err(|e| VariantError::WebP(format!("{e:?}")))
}

pub fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, VariantError> {
    let rgb = image.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(&rgb)?;
    Ok(out)
}

pub fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, VariantError> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(
        image.as_bytes(),
        image.width(),
        image.height(),
        image.color().into(),
    )?;
    Ok(out)
}

/// Both variants of `image` at `width`: WebP first, then the original format.
pub fn make(image: &DynamicImage, kind: Kind, width: u32) -> Result<[Variant; 2], VariantError> {
    let small = resize(image, width)?;
    let own = match kind {
        Kind::Jpeg => encode_jpeg(&small, JPEG_QUALITY)?,
        Kind::Png => encode_png(&small)?,
        Kind::WebP => encode_webp(&small, WEBP)?,
        Kind::Gif | Kind::Avif => return Err(VariantError::NoVariants(kind)),
    };
    let webp = encode_webp(&small, WEBP)?;
    Ok([
        Variant {
            width,
            webp: true,
            bytes: webp,
        },
        Variant {
            width,
            webp: false,
            bytes: own,
        },
    ])
}

#[cfg(test)]
mod tests;
