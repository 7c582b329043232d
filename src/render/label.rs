//! Text as vector paths, for labels on contact sheets (gallery, edition sheets).
//!
//! Glyph outlines come from DejaVu Sans, bundled in `assets/fonts/` (Bitstream
//! Vera licence, see `DejaVu-LICENSE.txt` beside it) and embedded in the binary,
//! so labels look the same on every machine and need no system fonts. Text is
//! laid out on one line by advance widths plus the font's `kern` pairs; there is
//! no shaping, which is enough for motif names, sizes and palette names. A
//! character the font lacks is drawn as the font's `.notdef` box.

use std::sync::OnceLock;

use kurbo::{Affine, BezPath, PathEl, Point};
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Transform};
use ttf_parser::{Face, GlyphId, OutlineBuilder};

use crate::motif::palette::Colour;

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

fn face() -> &'static Face<'static> {
    static FACE: OnceLock<Face<'static>> = OnceLock::new();
    // The font is a build-time constant; failing to parse it is a packaging bug.
    FACE.get_or_init(|| Face::parse(FONT, 0).expect("bundled DejaVu Sans parses"))
}

/// Collects a glyph outline (font units, y up) into a kurbo path.
struct Collect(BezPath);

impl OutlineBuilder for Collect {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to((x as f64, y as f64));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to((x as f64, y as f64));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to((x1 as f64, y1 as f64), (x as f64, y as f64));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.curve_to(
            (x1 as f64, y1 as f64),
            (x2 as f64, y2 as f64),
            (x as f64, y as f64),
        );
    }
    fn close(&mut self) {
        self.0.close_path();
    }
}

fn kerning(face: &Face, left: GlyphId, right: GlyphId) -> i16 {
    face.tables()
        .kern
        .and_then(|k| {
            k.subtables
                .into_iter()
                .filter(|s| s.horizontal && !s.variable)
                .find_map(|s| s.glyphs_kerning(left, right))
        })
        .unwrap_or(0)
}

/// Width of `text` set at `size_px`, in pixels (the sum of advances and kerning).
pub fn text_width(text: &str, size_px: f64) -> f64 {
    let face = face();
    let scale = size_px / f64::from(face.units_per_em());
    let mut x = 0.0;
    let mut prev: Option<GlyphId> = None;
    for ch in text.chars() {
        let g = face.glyph_index(ch).unwrap_or(GlyphId(0));
        if let Some(p) = prev {
            x += f64::from(kerning(face, p, g));
        }
        x += f64::from(face.glyph_hor_advance(g).unwrap_or(0));
        prev = Some(g);
    }
    x * scale
}

/// The outlines of `text` set at `size_px` (the em size) with the left end of
/// its baseline at `origin`, in a y-down space (image pixels). Fill it with the
/// non-zero rule.
pub fn text_path(text: &str, size_px: f64, origin: Point) -> BezPath {
    let face = face();
    let scale = size_px / f64::from(face.units_per_em());
    let mut out = BezPath::new();
    let mut pen = 0.0;
    let mut prev: Option<GlyphId> = None;
    for ch in text.chars() {
        let g = face.glyph_index(ch).unwrap_or(GlyphId(0));
        if let Some(p) = prev {
            pen += f64::from(kerning(face, p, g));
        }
        let mut glyph = Collect(BezPath::new());
        if face.outline_glyph(g, &mut glyph).is_some() {
            // Font units are y-up; flip into the y-down image space.
            let place = Affine::translate(origin.to_vec2())
                * Affine::scale_non_uniform(scale, -scale)
                * Affine::translate((pen, 0.0));
            out.extend((place * glyph.0).elements().iter().copied());
        }
        pen += f64::from(face.glyph_hor_advance(g).unwrap_or(0));
        prev = Some(g);
    }
    out
}

/// Fills `text` onto `pm`, anti-aliased, baseline-left at (`x`, `y`) pixels.
pub fn draw_text(pm: &mut Pixmap, text: &str, x: f64, y: f64, size_px: f64, colour: Colour) {
    let path = text_path(text, size_px, Point::new(x, y));
    let mut b = PathBuilder::new();
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(p) => b.move_to(p.x as f32, p.y as f32),
            PathEl::LineTo(p) => b.line_to(p.x as f32, p.y as f32),
            PathEl::QuadTo(p1, p) => b.quad_to(p1.x as f32, p1.y as f32, p.x as f32, p.y as f32),
            PathEl::CurveTo(p1, p2, p) => b.cubic_to(
                p1.x as f32,
                p1.y as f32,
                p2.x as f32,
                p2.y as f32,
                p.x as f32,
                p.y as f32,
            ),
            PathEl::ClosePath => b.close(),
        }
    }
    // Empty or all-blank text (spaces) has no outline to fill.
    let Some(skia) = b.finish() else { return };
    let mut paint = Paint::default();
    paint.set_color_rgba8(colour.red, colour.green, colour.blue, colour.alpha);
    paint.anti_alias = true;
    pm.fill_path(
        &skia,
        &paint,
        FillRule::Winding,
        Transform::identity(),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::Shape;

    #[test]
    fn text_sits_on_the_baseline_and_grows_with_size() {
        let p = text_path("Hxg", 20.0, Point::new(10.0, 50.0));
        let b = p.bounding_box();
        // Cap height of DejaVu Sans is 0.73 em; the 'g' descends below the baseline.
        assert!((b.y0 - (50.0 - 0.73 * 20.0)).abs() < 0.5, "{b:?}");
        assert!(b.y1 > 52.0 && b.y1 < 56.0, "{b:?}");
        assert!(b.x0 >= 10.0 && b.x0 < 13.0, "{b:?}");
        let w = text_width("Hxg", 20.0);
        assert!(b.x1 <= 10.0 + w + 0.5);
        assert!((text_width("Hxg", 40.0) - 2.0 * w).abs() < 1e-9);
    }

    #[test]
    fn draw_text_inks_pixels_in_the_colour_and_only_near_the_text() {
        let mut pm = Pixmap::new(120, 40).unwrap();
        let red = Colour::new(200, 10, 20, 255);
        draw_text(&mut pm, "Parang", 4.0, 28.0, 20.0, red);
        let mut inked = 0;
        for (i, px) in pm.pixels().iter().enumerate() {
            let (x, y) = (i % 120, i / 120);
            if px.alpha() == 255 {
                assert_eq!((px.red(), px.green(), px.blue()), (200, 10, 20));
                inked += 1;
            }
            if px.alpha() > 0 {
                assert!(x >= 3 && (x as f64) <= 5.0 + text_width("Parang", 20.0));
                assert!((10..=34).contains(&y), "ink at row {y}");
            }
        }
        assert!(inked > 100, "{inked} solid pixels");
        // Blank text draws nothing.
        let mut blank = Pixmap::new(10, 10).unwrap();
        draw_text(&mut blank, "  ", 1.0, 8.0, 8.0, red);
        assert!(blank.pixels().iter().all(|p| p.alpha() == 0));
    }
}
