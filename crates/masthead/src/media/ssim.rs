//! SSIM as Wang, Bovik, Sheikh and Simoncelli (2004) define it, for the media benchmark and the
//! encoders' tests: on luma (BT.601 weights), 11 × 11 Gaussian windows (σ = 1.5), K1 = 0.01,
//! K2 = 0.03, L = 255, averaged over the windows that fit in the picture. Written here because
//! `image-compare` 0.5's `MSSIMSimple` sums each window's variances and covariance instead of
//! averaging them (its stabilising constants then vanish and flat areas score about 0.5 for an
//! invisible change), and `dssim-core` is AGPL-licensed.

use image::DynamicImage;

/// The Gaussian window's radius: 11 taps.
const RADIUS: usize = 5;

/// Mean SSIM of `other` against `reference`, on luma; 1.0 when identical. `None` when the
/// pictures differ in size or are smaller than one window (11 × 11).
pub fn ssim(reference: &DynamicImage, other: &DynamicImage) -> Option<f64> {
    let (w, h) = (reference.width() as usize, reference.height() as usize);
    if (other.width(), other.height()) != (reference.width(), reference.height())
        || w <= 2 * RADIUS
        || h <= 2 * RADIUS
    {
        return None;
    }
    let (a, b) = (luma(reference), luma(other));
    let product =
        |p: &[f32], q: &[f32]| -> Vec<f32> { p.iter().zip(q).map(|(x, y)| x * y).collect() };
    let mean_a = gaussian(&a, w, h);
    let mean_b = gaussian(&b, w, h);
    let aa = gaussian(&product(&a, &a), w, h);
    let bb = gaussian(&product(&b, &b), w, h);
    let ab = gaussian(&product(&a, &b), w, h);
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let windows = mean_a.len();
    let sum: f64 = (0..windows)
        .map(|i| {
            let (ma, mb) = (f64::from(mean_a[i]), f64::from(mean_b[i]));
            let va = f64::from(aa[i]) - ma * ma;
            let vb = f64::from(bb[i]) - mb * mb;
            let cov = f64::from(ab[i]) - ma * mb;
            ((2.0 * ma * mb + c1) * (2.0 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
        })
        .sum();
    Some(sum / windows as f64)
}

/// Luma (BT.601 weights) of a picture as 8-bit RGB, as floats.
fn luma(image: &DynamicImage) -> Vec<f32> {
    image
        .to_rgb8()
        .pixels()
        .map(|p| 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]))
        .collect()
}

/// `plane` (`w` × `h`, both above `2 * RADIUS`) filtered by the Gaussian (σ = 1.5) across and
/// down, only where the whole window fits: `(w - 10) × (h - 10)` values.
fn gaussian(plane: &[f32], w: usize, h: usize) -> Vec<f32> {
    let kernel: Vec<f32> = (0..=2 * RADIUS)
        .map(|i| {
            let d = i as f32 - RADIUS as f32;
            (-(d * d) / (2.0 * 1.5 * 1.5)).exp()
        })
        .collect();
    let total: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / total).collect();
    let (vw, vh) = (w - 2 * RADIUS, h - 2 * RADIUS);
    let across: Vec<f32> = (0..h)
        .flat_map(|y| {
            let row = &plane[y * w..(y + 1) * w];
            row.windows(kernel.len())
                .map(|taps| taps.iter().zip(&kernel).map(|(p, k)| p * k).sum())
                .collect::<Vec<f32>>()
        })
        .collect();
    let mut out = vec![0.0; vw * vh];
    for (k, weight) in kernel.iter().enumerate() {
        let rows = &across[k * vw..(k + vh) * vw];
        for (o, v) in out.iter_mut().zip(rows) {
            *o += weight * v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ssim;
    use crate::media::sample::photo;
    use image::DynamicImage;

    #[test]
    fn identical_pictures_score_one_and_a_darker_copy_less() {
        let a = photo(64, 48, 1);
        assert!((ssim(&a, &a).unwrap() - 1.0).abs() < 1e-6);
        let mut darker = a.to_rgb8();
        for p in darker.pixels_mut() {
            p.0 = p.0.map(|c| c / 2);
        }
        let score = ssim(&a, &DynamicImage::ImageRgb8(darker)).unwrap();
        assert!(score < 0.9, "{score}");
        assert_eq!(ssim(&a, &photo(64, 40, 1)), None);
        assert_eq!(ssim(&photo(10, 10, 1), &photo(10, 10, 1)), None);
    }
}
