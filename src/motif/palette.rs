//! Colourways: named palettes of colour slots, read from `motifs/palettes.toml`.
//!
//! Every palette defines the same five slots — `ground`, `ink`, `mid`, `light`,
//! `accent` — so any motif can be shown in any colourway (printers expect the
//! same number of colours across the colourways of a collection). A palette may
//! add slots of its own (`red`, `gold`, …). Slots `step1` … `step9`, used for
//! stepped bands such as Mega Mendung's seven skies, are the palette's own where
//! defined and otherwise mixed from `ink` to `light` in Oklab, so gradations look
//! even to the eye in every colourway.

use std::collections::BTreeMap;
use std::str::FromStr;

use palette::{Mix, Oklab, Srgb, Srgba, WithAlpha};
use serde::Deserialize;

use crate::error::UserError;

/// A straight-alpha sRGB colour with 8-bit channels.
pub type Colour = Srgba<u8>;

/// The slots every palette defines.
pub const REQUIRED_SLOTS: [&str; 5] = ["ground", "ink", "mid", "light", "accent"];

/// How many `stepN` slots can be derived.
pub const MAX_STEPS: usize = 9;

/// Parses `#RRGGBB` or `#RRGGBBAA`.
pub fn parse_colour(s: &str) -> Result<Colour, UserError> {
    let t = s.trim();
    let bad = || {
        UserError::invalid(
            "colour",
            format!("'{s}' is not a colour like #4A2C17 or #4A2C17FF"),
        )
    };
    if !t.starts_with('#') {
        return Err(bad());
    }
    match t.len() {
        7 => Srgb::<u8>::from_str(t)
            .map(|c| c.with_alpha(255))
            .map_err(|_| bad()),
        9 => Srgba::<u8>::from_str(t).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// Formats a colour as `#RRGGBB`, or `#RRGGBBAA` when not opaque.
pub fn format_colour(c: Colour) -> String {
    if c.alpha == 255 {
        format!("#{:02X}{:02X}{:02X}", c.red, c.green, c.blue)
    } else {
        format!("#{:02X}{:02X}{:02X}{:02X}", c.red, c.green, c.blue, c.alpha)
    }
}

/// One colourway.
#[derive(Debug, Clone)]
pub struct Palette {
    /// Identifier, e.g. `sogan`.
    pub name: String,
    /// One line about it.
    pub description: String,
    /// Slot name → colour.
    pub slots: BTreeMap<String, Colour>,
}

impl Palette {
    /// The colour of `slot`, deriving `stepN` when the palette has no such slot.
    pub fn slot(&self, slot: &str) -> Option<Colour> {
        if let Some(c) = self.slots.get(slot) {
            return Some(*c);
        }
        let n: usize = slot.strip_prefix("step")?.parse().ok()?;
        (1..=MAX_STEPS).contains(&n).then(|| self.derived_step(n))
    }

    fn derived_step(&self, n: usize) -> Colour {
        let to_lab = |c: Colour| Oklab::from_color_unclamped_srgb(c);
        let (a, b) = (to_lab(self.slots["ink"]), to_lab(self.slots["light"]));
        let t = (n - 1) as f32 / (MAX_STEPS - 1) as f32;
        let mixed: Srgb<f32> = palette::FromColor::from_color(a.mix(b, t));
        mixed.into_format::<u8>().with_alpha(255)
    }
}

trait FromSrgbU8 {
    fn from_color_unclamped_srgb(c: Colour) -> Self;
}

impl FromSrgbU8 for Oklab {
    fn from_color_unclamped_srgb(c: Colour) -> Self {
        palette::FromColor::from_color(c.color.into_format::<f32>())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaletteFile {
    palette: BTreeMap<String, PaletteEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaletteEntry {
    description: String,
    colors: BTreeMap<String, String>,
}

/// Parses a palettes file (the format of `motifs/palettes.toml`).
pub fn parse_palettes(source: &str, file: &str) -> Result<Vec<Palette>, UserError> {
    let err = |message: String| UserError::MotifFile {
        file: file.to_string(),
        message,
    };
    let parsed: PaletteFile = toml::from_str(source)
        .map_err(|e| err(crate::motif::load::describe_toml_error(&e, source)))?;
    let mut out = Vec::new();
    for (name, entry) in parsed.palette {
        let mut slots = BTreeMap::new();
        for (slot, hex) in &entry.colors {
            let c = parse_colour(hex)
                .map_err(|e| err(format!("palette '{name}', slot '{slot}': {e}")))?;
            slots.insert(slot.clone(), c);
        }
        for req in REQUIRED_SLOTS {
            if !slots.contains_key(req) {
                return Err(err(format!(
                    "palette '{name}' lacks the slot '{req}' (every palette needs {})",
                    REQUIRED_SLOTS.join(", ")
                )));
            }
        }
        out.push(Palette {
            name,
            description: entry.description,
            slots,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_format() {
        let c = parse_colour("#4A2C17").unwrap();
        assert_eq!((c.red, c.green, c.blue, c.alpha), (0x4A, 0x2C, 0x17, 255));
        assert_eq!(format_colour(c), "#4A2C17");
        assert_eq!(parse_colour("#00000080").unwrap().alpha, 0x80);
        for bad in ["4A2C17", "#4A2C1", "#GGGGGG", "red"] {
            assert!(parse_colour(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn steps_run_from_ink_to_light() {
        let src = r##"[palette.t]
description = "test"
colors = { ground = "#FFFFFF", ink = "#000000", mid = "#777777", light = "#FFFFFF", accent = "#FF0000" }
"##;
        let p = &parse_palettes(src, "t").unwrap()[0];
        assert_eq!(p.slot("step1").unwrap(), p.slots["ink"]);
        assert_eq!(p.slot("step9").unwrap(), p.slots["light"]);
        let mid = p.slot("step5").unwrap();
        assert!(mid.red > 60 && mid.red < 200, "{mid:?}");
        assert!(p.slot("step10").is_none());
    }

    #[test]
    fn missing_required_slot_is_named() {
        let src = "[palette.t]\ndescription = \"x\"\ncolors = { ground = \"#FFFFFF\" }\n";
        let e = parse_palettes(src, "p.toml").unwrap_err().to_string();
        assert!(e.contains("lacks the slot 'ink'"), "{e}");
    }
}
