//! Locally generated abstract lead images ("editorial illustrations") for demo
//! posts: a dark two-tone gradient with a faint map grid, translucent bands,
//! soft discs, rings and a small network of linked points, in colours picked
//! from the seed. Everything is computed here; nothing is fetched or copied.
//!
//! The same seed and size always give the same JPEG bytes.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::many_single_char_names,
    clippy::too_many_lines,
    reason = "pixel arithmetic: coordinates and channels are clamped before each cast, and x, y, w, h, r, g, b read as in the formulas"
)]
use image::ExtendedColorType;
use image::codecs::jpeg::JpegEncoder;

/// JPEG quality used for every lead image.
pub const JPEG_QUALITY: u8 = 80;

/// Largest side produced; larger requests are clamped to this.
pub const MAX_SIDE: u32 = 4096;

/// The size demo lead images are generated at (16:9).
pub fn dimensions() -> (u32, u32) {
    (1200, 675)
}

struct Palette {
    name: &'static str,
    top: [u8; 3],
    bottom: [u8; 3],
    accent: [u8; 3],
    accent2: [u8; 3],
    ink: [u8; 3],
}

const PALETTES: [Palette; 8] = [
    Palette {
        name: "navy and amber",
        top: [12, 24, 48],
        bottom: [34, 56, 92],
        accent: [232, 163, 61],
        accent2: [92, 122, 160],
        ink: [226, 232, 240],
    },
    Palette {
        name: "slate and teal",
        top: [34, 40, 50],
        bottom: [70, 82, 98],
        accent: [42, 157, 143],
        accent2: [118, 138, 160],
        ink: [220, 230, 235],
    },
    Palette {
        name: "midnight blue and coral",
        top: [9, 16, 38],
        bottom: [28, 44, 84],
        accent: [240, 113, 103],
        accent2: [70, 90, 142],
        ink: [236, 236, 242],
    },
    Palette {
        name: "charcoal and gold",
        top: [26, 26, 30],
        bottom: [60, 60, 68],
        accent: [212, 175, 55],
        accent2: [112, 112, 122],
        ink: [242, 236, 218],
    },
    Palette {
        name: "deep green and sand",
        top: [14, 40, 36],
        bottom: [36, 76, 66],
        accent: [224, 198, 146],
        accent2: [70, 122, 102],
        ink: [238, 232, 216],
    },
    Palette {
        name: "indigo and silver",
        top: [28, 24, 70],
        bottom: [58, 52, 122],
        accent: [202, 207, 218],
        accent2: [112, 102, 172],
        ink: [242, 242, 250],
    },
    Palette {
        name: "navy and crimson",
        top: [11, 21, 46],
        bottom: [30, 48, 86],
        accent: [198, 50, 62],
        accent2: [82, 102, 142],
        ink: [232, 232, 238],
    },
    Palette {
        name: "steel blue and ivory",
        top: [36, 58, 84],
        bottom: [76, 104, 138],
        accent: [244, 238, 220],
        accent2: [122, 152, 182],
        ink: [250, 248, 240],
    },
];

fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn palette_index(seed: u64) -> usize {
    (mix64(seed ^ 0x5041_4C45_5454_4531) % PALETTES.len() as u64) as usize
}

/// Plain-words name of the two main colours of the image for `seed`
/// (for example "navy and amber"), for use in alt text.
pub fn palette_description(seed: u64) -> &'static str {
    PALETTES[palette_index(seed)].name
}

/// Renders the abstract illustration for `seed` at `width` x `height`
/// (each side clamped to 1..=[`MAX_SIDE`]) and encodes it as a JPEG.
pub fn lead_image_jpeg(seed: u64, width: u32, height: u32) -> Vec<u8> {
    let w = width.clamp(1, MAX_SIDE);
    let h = height.clamp(1, MAX_SIDE);
    let rgb = render(seed, w as usize, h as usize);
    let mut out = Vec::with_capacity(rgb.len() / 12 + 1024);
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode(&rgb, w, h, ExtendedColorType::Rgb8)
        .expect("encoding an in-memory RGB buffer as JPEG does not fail");
    out
}

/// Small deterministic generator for the shape parameters.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }
    /// Uniform in [lo, hi).
    fn f(&mut self, lo: f32, hi: f32) -> f32 {
        let unit = (self.next() >> 40) as f32 / (1u64 << 24) as f32;
        lo + (hi - lo) * unit
    }
    /// Uniform in lo..=hi.
    fn n(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }
    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

fn fc(c: [u8; 3]) -> [f32; 3] {
    [f32::from(c[0]), f32::from(c[1]), f32::from(c[2])]
}

struct Canvas {
    buf: Vec<u8>,
    w: usize,
    h: usize,
}

impl Canvas {
    #[inline]
    fn blend(&mut self, x: usize, y: usize, c: [f32; 3], a: f32) {
        let i = (y * self.w + x) * 3;
        let px = &mut self.buf[i..i + 3];
        for k in 0..3 {
            let p = f32::from(px[k]);
            px[k] = (p + (c[k] - p) * a + 0.5) as u8;
        }
    }

    /// Inclusive pixel range covering [lo, hi] clamped to 0..len, or None.
    fn span(lo: f32, hi: f32, len: usize) -> Option<(usize, usize)> {
        let a = lo.floor().max(0.0);
        let b = hi.ceil().min(len as f32 - 1.0);
        if b < a {
            None
        } else {
            Some((a as usize, b as usize))
        }
    }

    /// Filled disc with a soft edge `feather` pixels wide.
    fn disc(&mut self, cx: f32, cy: f32, r: f32, feather: f32, c: [f32; 3], alpha: f32) {
        let reach = r + feather;
        let (Some((x0, x1)), Some((y0, y1))) = (
            Self::span(cx - reach, cx + reach, self.w),
            Self::span(cy - reach, cy + reach, self.h),
        ) else {
            return;
        };
        for y in y0..=y1 {
            let dy = y as f32 + 0.5 - cy;
            for x in x0..=x1 {
                let dx = x as f32 + 0.5 - cx;
                let d = (dx * dx + dy * dy).sqrt();
                let cov = ((r - d) / feather + 0.5).clamp(0.0, 1.0);
                if cov > 0.0 {
                    self.blend(x, y, c, alpha * cov);
                }
            }
        }
    }

    /// Circle outline of the given stroke width.
    fn ring(&mut self, cx: f32, cy: f32, r: f32, stroke: f32, c: [f32; 3], alpha: f32) {
        let reach = r + stroke + 1.0;
        let (Some((x0, x1)), Some((y0, y1))) = (
            Self::span(cx - reach, cx + reach, self.w),
            Self::span(cy - reach, cy + reach, self.h),
        ) else {
            return;
        };
        let inner = (r - stroke - 1.0).max(0.0);
        let inner2 = inner * inner;
        let half = stroke * 0.5;
        for y in y0..=y1 {
            let dy = y as f32 + 0.5 - cy;
            for x in x0..=x1 {
                let dx = x as f32 + 0.5 - cx;
                let d2 = dx * dx + dy * dy;
                if d2 < inner2 {
                    continue;
                }
                let d = d2.sqrt();
                let cov = (half - (d - r).abs() + 0.5).clamp(0.0, 1.0);
                if cov > 0.0 {
                    self.blend(x, y, c, alpha * cov);
                }
            }
        }
    }

    /// Straight band crossing the image: centre x = x0 + slope * y.
    fn band(&mut self, x0: f32, slope: f32, half: f32, feather: f32, c: [f32; 3], alpha: f32) {
        for y in 0..self.h {
            let cx = x0 + slope * y as f32;
            let Some((a, b)) = Self::span(cx - half - feather, cx + half + feather, self.w) else {
                continue;
            };
            for x in a..=b {
                let d = (x as f32 + 0.5 - cx).abs();
                let cov = ((half - d) / feather + 0.5).clamp(0.0, 1.0);
                if cov > 0.0 {
                    self.blend(x, y, c, alpha * cov);
                }
            }
        }
    }

    /// Thin anti-aliased segment, stepped along its major axis.
    fn line(&mut self, p: (f32, f32), q: (f32, f32), width: f32, c: [f32; 3], alpha: f32) {
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let half = width * 0.5;
        if dx.abs() >= dy.abs() {
            let (a, b) = if p.0 <= q.0 { (p, q) } else { (q, p) };
            let slope = if dx == 0.0 {
                0.0
            } else {
                (b.1 - a.1) / (b.0 - a.0)
            };
            let Some((x0, x1)) = Self::span(a.0, b.0, self.w) else {
                return;
            };
            for x in x0..=x1 {
                let yc = a.1 + (x as f32 + 0.5 - a.0) * slope;
                let Some((y0, y1)) = Self::span(yc - half - 1.0, yc + half + 1.0, self.h) else {
                    continue;
                };
                for y in y0..=y1 {
                    let cov = (half - (y as f32 + 0.5 - yc).abs() + 0.5).clamp(0.0, 1.0);
                    if cov > 0.0 {
                        self.blend(x, y, c, alpha * cov);
                    }
                }
            }
        } else {
            let (a, b) = if p.1 <= q.1 { (p, q) } else { (q, p) };
            let slope = (b.0 - a.0) / (b.1 - a.1);
            let Some((y0, y1)) = Self::span(a.1, b.1, self.h) else {
                return;
            };
            for y in y0..=y1 {
                let xc = a.0 + (y as f32 + 0.5 - a.1) * slope;
                let Some((x0, x1)) = Self::span(xc - half - 1.0, xc + half + 1.0, self.w) else {
                    continue;
                };
                for x in x0..=x1 {
                    let cov = (half - (x as f32 + 0.5 - xc).abs() + 0.5).clamp(0.0, 1.0);
                    if cov > 0.0 {
                        self.blend(x, y, c, alpha * cov);
                    }
                }
            }
        }
    }
}

fn render(seed: u64, w: usize, h: usize) -> Vec<u8> {
    let pal = &PALETTES[palette_index(seed)];
    let mut dice = Dice(mix64(seed));
    let (top, bottom) = (fc(pal.top), fc(pal.bottom));
    let (accent, accent2, ink) = (fc(pal.accent), fc(pal.accent2), fc(pal.ink));
    let (wf, hf) = (w as f32, h as f32);
    let unit = hf.min(wf);

    // Background: diagonal gradient from `top` to `bottom` with a gentle
    // vignette. Both are separable, so per pixel this is a lerp and a scale.
    let tilt = dice.f(0.0, 0.45);
    let flip = dice.coin();
    let col_t: Vec<f32> = (0..w)
        .map(|x| {
            let u = x as f32 / (wf - 1.0).max(1.0);
            tilt * if flip { 1.0 - u } else { u }
        })
        .collect();
    let col_v: Vec<f32> = (0..w)
        .map(|x| {
            let u = 2.0 * (x as f32 + 0.5) / wf - 1.0;
            1.0 - 0.22 * u * u
        })
        .collect();
    let mut buf = vec![0u8; w * h * 3];
    for (y, row) in buf.chunks_exact_mut(w * 3).enumerate() {
        let v = 2.0 * (y as f32 + 0.5) / hf - 1.0;
        let row_v = 1.0 - 0.30 * v * v;
        let row_t = (1.0 - tilt) * y as f32 / (hf - 1.0).max(1.0);
        for (x, px) in row.chunks_exact_mut(3).enumerate() {
            let t = row_t + col_t[x];
            let f = row_v * col_v[x];
            for k in 0..3 {
                px[k] = ((top[k] + (bottom[k] - top[k]) * t) * f) as u8;
            }
        }
    }
    let mut cv = Canvas { buf, w, h };

    // A faint map grid over one side of the picture.
    let cell = (unit / dice.f(6.0, 10.0)).max(4.0);
    let grid_left = wf * dice.f(0.35, 0.6);
    let offset = dice.f(0.0, cell);
    let mut gx = grid_left + offset;
    while gx < wf {
        cv.line((gx, 0.0), (gx, hf), 1.0, ink, 0.10);
        gx += cell;
    }
    let mut gy = offset;
    while gy < hf {
        cv.line((grid_left, gy), (wf, gy), 1.0, ink, 0.10);
        gy += cell;
    }

    // One or two translucent diagonal bands.
    for _ in 0..dice.n(1, 2) {
        let slope = dice.f(0.25, 0.9) * if dice.coin() { 1.0 } else { -1.0 };
        let x0 = dice.f(0.1, 0.9) * wf - slope * hf * 0.5;
        let half = unit * dice.f(0.04, 0.11);
        cv.band(
            x0,
            slope,
            half,
            unit * 0.02 + 1.0,
            accent2,
            dice.f(0.16, 0.28),
        );
    }

    // Soft discs; the first is the accent "sun", the others quieter.
    let discs = dice.n(2, 4);
    let mut focus = (wf * 0.5, hf * 0.5, unit * 0.2);
    for i in 0..discs {
        let r = unit * dice.f(0.10, 0.36);
        let cx = wf * dice.f(0.1, 0.9);
        let cy = hf * dice.f(0.15, 0.85);
        let feather = (r * 0.05).max(1.5);
        if i == 0 {
            focus = (cx, cy, r);
            cv.disc(cx, cy, r, feather, accent, dice.f(0.55, 0.8));
        } else {
            cv.disc(cx, cy, r, feather, accent2, dice.f(0.22, 0.4));
        }
    }

    // Concentric rings around the focus disc.
    let stroke = (unit / 240.0).max(1.0) * 2.0;
    for k in 1..=dice.n(1, 3) {
        let r = focus.2 * (1.0 + 0.28 * k as f32);
        cv.ring(focus.0, focus.1, r, stroke, ink, 0.45 / k as f32 + 0.1);
    }

    // A small network of linked points, like a stylised route map.
    let nodes = dice.n(4, 6) as usize;
    let mut pts = [(0.0f32, 0.0f32); 6];
    for p in pts.iter_mut().take(nodes) {
        *p = (wf * dice.f(0.08, 0.92), hf * dice.f(0.12, 0.88));
    }
    let lw = (unit / 400.0).max(1.0);
    for i in 1..nodes {
        cv.line(pts[i - 1], pts[i], lw, ink, 0.55);
    }
    let dot = (unit / 110.0).max(1.5);
    for p in pts.iter().take(nodes) {
        cv.disc(p.0, p.1, dot * 1.8, 1.0, ink, 0.9);
        cv.disc(p.0, p.1, dot, 1.0, accent, 1.0);
    }

    // An editorial rule in the lower-left corner.
    let rule_y = hf * 0.9;
    let rule_w = (unit / 110.0).max(1.0);
    cv.line(
        (wf * 0.05, rule_y),
        (wf * 0.22, rule_y),
        rule_w,
        accent,
        0.95,
    );

    cv.buf
}
