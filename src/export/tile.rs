//! Exact repeat tiles for textile printers.
//!
//! A printer tiles a file by whole pixels, so the tile's pixel period must be an
//! integer, and even where half of it is used (half-drop height, brick width).
//! The repeat is rounded to such a period and the pattern scaled to fit it
//! exactly; the real repeat size is reported so nothing is hidden.

use kurbo::Affine;

use crate::error::{Error, UserError};
use crate::geom::Dpi;
use crate::pattern::{Pattern, TextileRepeat};
use crate::render::{even_px, View};

/// One exact repeat unit at a resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExactTile {
    /// Tile width in pixels.
    pub width: u32,
    /// Tile height in pixels.
    pub height: u32,
    /// Drawing units → tile pixels (possibly a hair non-uniform, < 0.5 px per period).
    pub transform: Affine,
    /// The real repeat size in mm after rounding to whole pixels.
    pub repeat_mm: (f64, f64),
}

impl ExactTile {
    /// The exact tile of `block` (a pattern before any textile repeat) for `repeat` at `dpi`.
    pub fn new(block: &Pattern, repeat: TextileRepeat, dpi: Dpi) -> Result<Self, Error> {
        let (w, h) = block.lattice.rect_period().ok_or_else(|| {
            UserError::invalid(
                "tile",
                format!(
                    "motif '{}' has an oblique lattice with no rectangular tile",
                    block.motif
                ),
            )
        })?;
        let px = |units: f64, even: bool| -> u32 {
            let v = units * block.unit_mm * dpi.px_per_mm();
            if even {
                even_px(v) as u32
            } else {
                v.round().max(1.0) as u32
            }
        };
        let width = px(w, repeat == TextileRepeat::Brick);
        let height = px(h, repeat == TextileRepeat::HalfDrop);
        let transform = Affine::scale_non_uniform(width as f64 / w, height as f64 / h);
        let repeat_mm = (
            width as f64 / dpi.px_per_mm(),
            height as f64 / dpi.px_per_mm(),
        );
        Ok(ExactTile {
            width,
            height,
            transform,
            repeat_mm,
        })
    }

    /// The view of the tile itself.
    pub fn view(&self) -> View {
        View::new(self.width, self.height, self.transform)
    }

    /// The view of `across` × `down` tiles.
    pub fn view_of(&self, across: u32, down: u32) -> View {
        // Saturating: an absurd tile count is then refused by `View::check`.
        View::new(
            self.width.saturating_mul(across),
            self.height.saturating_mul(down),
            self.transform,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Design;

    #[test]
    fn half_drop_tiles_have_even_height() {
        let p = Design::builtin("kawung")
            .unwrap()
            .set("repeat", 10.1)
            .unwrap()
            .resolve()
            .unwrap();
        let t = ExactTile::new(&p, TextileRepeat::HalfDrop, Dpi::new(300.0).unwrap()).unwrap();
        assert_eq!(t.height % 2, 0);
        assert_eq!(t.width, 119); // 10.1 mm at 300 dpi = 119.29 px
        assert!((t.repeat_mm.0 - 119.0 * 25.4 / 300.0).abs() < 1e-9);
    }
}
