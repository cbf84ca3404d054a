//! The accent colour: a `#rrggbb` (or `#rgb`) hex colour whose contrast with white is at least
//! WCAG AA's 4.5:1, because the default theme sets white button text on it and uses it for
//! kickers and links on a near-white page.

/// WCAG AA's least contrast ratio for normal-size text.
pub const LEAST_CONTRAST: f64 = 4.5;

/// A colour as red, green and blue bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Reads `#rrggbb` or `#rgb` (the `#` may be left out; any case).
    pub fn parse(text: &str) -> Result<Rgb, String> {
        let hex = text.trim().trim_start_matches('#');
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
            .collect::<Option<_>>()
            .ok_or_else(|| not_a_colour(text))?;
        match digits[..] {
            [r, g, b] => Ok(Rgb(r * 17, g * 17, b * 17)),
            [r1, r2, g1, g2, b1, b2] => Ok(Rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
            _ => Err(not_a_colour(text)),
        }
    }

    /// `#rrggbb` in lower case.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2's relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The contrast ratio with white, 1 to 21.
    pub fn contrast_with_white(self) -> f64 {
        1.05 / (self.luminance() + 0.05)
    }
}

fn not_a_colour(text: &str) -> String {
    format!("{text:?} is not a hex colour such as #a3162b")
}

/// The accent colour setting: blank (the theme's own), or a colour dark enough for white text,
/// as `#rrggbb`; a lighter one is refused with its ratio.
pub fn accent(value: &str) -> Result<Option<String>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let colour = Rgb::parse(value)?;
    let ratio = colour.contrast_with_white();
    if ratio < LEAST_CONTRAST {
        return Err(format!(
            "{} has a contrast of {ratio:.2}:1 with white, below the 4.5:1 that WCAG AA asks for text (the theme puts white text on it and uses it for links); choose a darker shade",
            colour.hex()
        ));
    }
    Ok(Some(colour.hex()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_computed_as_wcag_does() {
        assert!((Rgb(0, 0, 0).contrast_with_white() - 21.0).abs() < 1e-9);
        assert!((Rgb(255, 255, 255).contrast_with_white() - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey that passes on white (4.54:1).
        let grey = Rgb::parse("#767676").map(Rgb::contrast_with_white);
        assert!(grey.is_ok_and(|r| (r - 4.54).abs() < 0.01));
    }

    #[test]
    fn dark_accents_pass_and_light_ones_are_refused_with_their_ratio() {
        assert_eq!(accent("#A3162B"), Ok(Some("#a3162b".to_owned())));
        assert_eq!(accent("036"), Ok(Some("#003366".to_owned())));
        assert_eq!(accent(" "), Ok(None));
        let err = accent("#ff1a75").unwrap_err();
        assert!(err.contains("3.71:1") && err.contains("4.5:1"), "{err}");
        assert!(accent("#ffff00").is_err());
        for bad in ["red", "#12345", "#gggggg", "#1234567"] {
            assert!(accent(bad).unwrap_err().contains("hex colour"), "{bad}");
        }
    }
}
