//! A photo-like picture made by code, for the media benchmark and the encoders' tests: smooth
//! sky and ground gradients, a sun with a glow, rolling hills, buildings with lit windows, all
//! with soft (anti-aliased) edges, plus a faint texture on the ground and mild sensor-like
//! grain. Deterministic for a given size and seed; nothing is downloaded.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "pixel arithmetic on small values, clamped to 0..=255 before the cast"
)]

use image::{DynamicImage, ImageBuffer, Rgb};

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

    /// Uniform in `0.0..1.0`.
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Roughly normal, mean 0, spread about `amount` (sum of four uniforms).
    fn grain(&mut self, amount: f32) -> f32 {
        ((0..4).map(|_| self.unit()).sum::<f32>() - 2.0) * amount
    }
}

/// 0 well below `edge`, 1 well above it, a smooth ramp `soft` wide in between.
fn ramp(value: f32, edge: f32, soft: f32) -> f32 {
    let t = ((value - edge) / soft + 0.5).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

/// A building: left edge, width and roof line, as fractions of the picture.
struct Building {
    x: f32,
    width: f32,
    top: f32,
    shade: f32,
}

/// A `width` × `height` photo-like RGB picture; `seed` varies the buildings and the grain.
pub fn photo(width: u32, height: u32, seed: u64) -> DynamicImage {
    let mut noise = Noise(seed);
    let buildings: Vec<Building> = (0..14)
        .map(|i| Building {
            x: noise.unit(),
            width: 0.03 + (i % 4) as f32 * 0.015,
            top: 0.45 + noise.unit() * 0.2,
            shade: noise.unit(),
        })
        .collect();
    let (wide, high) = (width.max(1) as f32, height.max(1) as f32);
    // Edges are soft over about a thousandth of the picture (4 px at 4000 wide), as a lens
    // would draw them; never sharper than one pixel.
    let soft = (wide / 1000.0).max(1.0);
    let image = ImageBuffer::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let (u, v) = (fx / wide, fy / high);
        let sky = mix([70.0, 120.0, 200.0], [225.0, 190.0, 160.0], v / 0.65);
        let sun_distance = ((u - 0.72) * wide).hypot((v - 0.22) * high) / high;
        let glow = (1.0 - sun_distance / 0.25).max(0.0).powi(2);
        let mut c = mix(sky, [255.0, 235.0, 190.0], glow * 0.6);
        c = mix(
            c,
            [252.0, 236.0, 200.0],
            1.0 - ramp(sun_distance * high, 0.06 * high, soft),
        );
        let hill = 0.62 + 0.05 * (u * 9.0).sin() + 0.025 * (u * 23.0 + 1.0).cos();
        let depth = (v - hill).max(0.0);
        let texture = 6.0 * (fx * 0.9 + 3.0 * (fy * 0.05).sin()).sin() * (fy * 0.37).sin();
        let ground = [
            70.0 + 150.0 * depth + texture,
            115.0 - 60.0 * depth + texture,
            55.0 + 30.0 * depth,
        ];
        c = mix(c, ground, ramp(fy, hill * high, soft));
        for b in &buildings {
            let inside = ramp(fx, b.x * wide, soft)
                * (1.0 - ramp(fx, (b.x + b.width) * wide, soft))
                * ramp(fy, b.top * high, soft);
            if inside > 0.0 {
                let (bx, by) = (fx - b.x * wide, fy - b.top * high);
                let column = (bx / (wide * 0.006)) as u32;
                let row = (by / (high * 0.013)) as u32;
                let lit = column % 2 == 1 && row % 3 == 1;
                let wall = mix(
                    [60.0, 64.0, 80.0],
                    [120.0, 110.0, 105.0],
                    b.shade * 0.7 + v * 0.3,
                );
                let colour = if lit { [235.0, 205.0, 120.0] } else { wall };
                c = mix(c, colour, inside);
            }
        }
        let g = noise.grain(2.5);
        Rgb(c.map(|value| (value + g).clamp(0.0, 255.0) as u8))
    });
    DynamicImage::ImageRgb8(image)
}
