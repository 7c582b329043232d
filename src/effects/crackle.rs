//! Wax crackle (remukan): thin dye-filled cracks where the wax broke.
//!
//! Model, after Wyvill, van Overveld and Carpendale, "Rendering Cracks in
//! Batik" (NPAR 2004): cracks form one after another on the waxed cloth. A
//! distance field holds, for every cell of a coarse grid, the distance to the
//! nearest wax edge or earlier crack. The next crack starts near the cell
//! farthest from both (a seeded jitter picks among near-ties), runs across the
//! region the short way (of eight seeded directions, the shortest chord, so
//! regions split into compact plates as drying wax does), wandering a little,
//! and each of its two ends stops where it meets the wax edge or an earlier
//! crack. So T-junctions are common and crossings rare (a small seeded
//! chance lets a crack run on through one). Cracks stop forming when no cell is
//! farther than about a third of the crack spacing from a crack. Older cracks
//! are wider (they opened first and were stretched longest): a crack's age is
//! how far its start was from the nearest edge or crack, relative to where
//! cracks stop, since the farthest cells crack first. The dye colour
//! multiplies the pixel where a crack lies over wax.
//!
//! Wax is everywhere but the darkest colour: pixels whose luminance is above
//! 20% of the way from the pattern's darkest colour to its lightest. In a
//! classical batik the darkest dye (the outlines, the soga or indigo of the last
//! bath) is the only part never covered by wax, so the cracks run over ground
//! and motif alike and stop at the dark lines.
//!
//! The grid's cell is a ninth of the crack spacing (at least a pixel) at every
//! image size, stretched by up to a tenth where that makes the image's
//! whole-pixel period whole cells (so the wax is drawn for one period and
//! copied, see [`grid_cell`]), so cracks per cm² and their look do not
//! depend on how large the image is: a crop of the 2 m wrap looks like the
//! same area of a 4096² render (both about 27 cracks per waxed cm² of kawung at the default
//! density). What spans the whole grid is a bit per cell (the wax, rendered
//! in bands of rows, and the labelling's visited set); everything else is per
//! region.
//!
//! The crack network is computed once per render on a grid over the image (or,
//! in tileable mode, over the exact tile with the printer's wrap, so cracks
//! continue across tile edges; see [`grow`]) and stored as short segments,
//! each once, with an index of 16 × 16-pixel buckets ([`network`]).
//!
//! Cracks never cross a cell that is not wax, and such cells are at distance
//! 0, so separate connected regions of wax never affect each other: each is
//! grown on its own grid, in parallel, and everything random about a crack
//! (its path, its strength) is seeded from its start cell and its width
//! from its start distance, so no crack depends on the order regions are
//! grown in or on the thread count. Kawung's wax at 4096² is some 700 such
//! regions (the largest 90 × 90 cells), truntum's 450; a motif whose ground
//! is one region (parang's diagonal bands are a few large ones) gains less. The wax is rendered when the field is
//! made (it can fail); the growth itself waits until the network is first
//! needed, so the strip renderer can run it on one core while the others
//! draw the plain strips (see [`PixelStage::prepare`]).
//!
//! A pixel's crack coverage is the largest, over the segments of its bucket,
//! of `strength × min(1, reach − distance)`; it is a pure function of the
//! pixel's coordinates, so strips, threads and the tile margin do not matter.
//!
//! Drawing is driven by the segments, not the pixels: for each row of
//! buckets (the up to sixteen rows of a strip in it, walked together), each
//! bucket hands its segments to the few pixels of each row each can reach
//! (its bounding box), and only pixels some crack reaches are darkened.
//! A pixel so gets the same maximum over the same segments as a per-pixel
//! search of its bucket, at the cost of about one distance per pixel instead
//! of one per segment in the bucket (a 9× slower render before). Coverage is a
//! maximum, so the order segments arrive in does not change it.
//!
//! Rejected: Voronoi cells (no T-junction ordering, every vertex is a Y); a
//! random walk on pixels per strip (cracks would stop at strip edges); growing
//! at full resolution (minutes for a print-size image, for no visible gain
//! since cracks are a few pixels wide); stroking the segments into a coverage
//! mask with tiny-skia per strip (its anti-aliasing adds overlapping strokes
//! where cracks meet instead of taking the maximum, darkening every junction,
//! and would change the look for no gain over the bucket splat); a coverage
//! map of the whole image (memory in proportion to the print, which the strip
//! renderer exists to avoid); a copy of every segment, with its precomputed
//! direction, length and box, in each bucket it touches (112 bytes each time:
//! 1.5 GB for the 2 m wrap at 300 dpi, and a fifth of the 4096² time went to
//! the kernel zeroing that memory); a crack's width and strength from its
//! index in the global order (which made growing regions apart impossible
//! without changing every crack); splitting one large region into tiles grown
//! apart (cracks would stop at the tile edges: visible seams); capping the
//! grid at 2.5 million cells over the whole image (what bounded the growth's
//! memory before regions grew apart: on the 2 m wrap at 300 dpi it made cells
//! 2.8 to a crack spacing, and a third as many cracks per cm² as a small
//! render, longer and straighter); a `u32` label per cell for the regions
//! (100 MB on the wrap; each region is flooded again from its first cell
//! instead).

mod grow;
mod label;
mod network;

use std::ops::Range;
use std::sync::OnceLock;

use kurbo::Affine;

use super::field::{floor_i, Wrap};
use super::stage::{luminance, round_u8, Frame, Region};
use crate::error::Error;
use crate::motif::palette::Colour;
use crate::pattern::Pattern;
use crate::render::period::{egcd, pixel_period};
use crate::render::{render_image, RenderOptions, View};
use grow::{grow_all, stop_distance, Bits, Cells};
use network::{segments, Network, Scale, Segs, BUCKET};

#[cfg(doc)]
use super::stage::PixelStage;

/// Cells of the grid the wax is rendered in at a time (4 bytes each while
/// it is an image).
const WAX_BAND_CELLS: usize = 1 << 20;

/// Parameters of wax crackle.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Crackle {
    /// Cracks per centimetre (the spacing of the crack network is 10/density mm). Default: 4.
    pub density: f64,
    /// Average crack width in mm. Default: 0.08.
    pub width_mm: f64,
    /// The dye that entered the cracks. Default: #3B2A20 (soga brown).
    pub dye: Colour,
}

impl Default for Crackle {
    fn default() -> Self {
        Crackle {
            density: 4.0,
            width_mm: 0.08,
            dye: Colour::new(0x3B, 0x2A, 0x20, 255),
        }
    }
}

/// Wax crackle for one render: the wax on the growth grid, and the crack
/// network once grown.
#[derive(Debug)]
pub struct CrackField {
    /// The grid: `gw × gh` cells, wrapped by `gwrap`, and which are not wax.
    gw: i64,
    gh: i64,
    gwrap: Option<Wrap>,
    unwaxed: Bits,
    scale: Scale,
    network: OnceLock<Network>,
    dye: [f64; 3],
    wax_threshold: f64,
    px_per_mm: f64,
}

impl Crackle {
    /// The crack field for `view` of `pattern`: renders the wax now; the
    /// cracks grow when first needed ([`CrackField::prepare`]).
    pub fn field(
        &self,
        pattern: &Pattern,
        view: &View,
        frame: &Frame,
        seed: u64,
        opts: &RenderOptions,
    ) -> Result<CrackField, Error> {
        let spacing_px = 10.0 / self.density * frame.px_per_mm;
        let (dw, dh) = match frame.wrap {
            Some(w) => (w.nx as f64, w.ny as f64),
            None => (view.width as f64, view.height as f64),
        };
        let cell = grid_cell(pattern, view, spacing_px);
        let (gwrap, gw, gh) = match frame.wrap {
            Some(w) => {
                let (c, _, _) = w.coarse(cell);
                (Some(c), c.nx, c.ny)
            }
            None => (
                None,
                (dw / cell.0).ceil() as i64,
                (dh / cell.1).ceil() as i64,
            ),
        };
        let (sx, sy) = match frame.wrap {
            Some(_) => (dw / gw as f64, dh / gh as f64),
            None => cell,
        };
        let wax_threshold = wax_threshold(pattern);
        // The wax: the pattern rendered at grid resolution, a bit per cell,
        // in bands of rows so that no image of the whole grid exists (it
        // would be 4 bytes a cell, 100 MB for the 2 m wrap at 300 dpi). The
        // bands depend on the grid's width only, not on the thread count.
        let to_grid = Affine::scale_non_uniform(1.0 / sx, 1.0 / sy) * view.transform;
        let band = (WAX_BAND_CELLS / gw.max(1) as usize).max(1) as i64;
        let mut unwaxed = Bits::new((gw * gh) as usize);
        let mut y0 = 0;
        while y0 < gh {
            let rows = band.min(gh - y0);
            let small = View::new(
                gw as u32,
                rows as u32,
                Affine::translate((0.0, -(y0 as f64))) * to_grid,
            );
            let img = render_image(pattern, &small, opts)?;
            for (k, p) in img.pixels().enumerate() {
                if p.0[3] < 128 || luminance(p.0[0], p.0[1], p.0[2]) <= wax_threshold {
                    unwaxed.set((y0 * gw) as usize + k);
                }
            }
            y0 += rows;
        }
        Ok(CrackField {
            gw,
            gh,
            gwrap,
            unwaxed,
            scale: Scale {
                sx,
                sy,
                width_px: self.width_mm * frame.px_per_mm,
                spacing: spacing_px / sx.max(sy),
                stop: stop_distance(spacing_px / sx.max(sy)),
                dw,
                dh,
                wrap: frame.wrap,
                seed,
            },
            network: OnceLock::new(),
            dye: [
                self.dye.red as f64 / 255.0,
                self.dye.green as f64 / 255.0,
                self.dye.blue as f64 / 255.0,
            ],
            wax_threshold,
            px_per_mm: frame.px_per_mm,
        })
    }
}

/// Largest stretch of the growth grid's cell away from a ninth of the crack
/// spacing, to fit the image's period (see [`grid_cell`]).
const MAX_CELL_FIT: f64 = 0.1;

/// The growth grid's cell `(sx, sy)`, pixels: a ninth of the crack spacing
/// (at least a pixel), so a crop of a print looks like the same area of a
/// small render (see the module docs), stretched by up to
/// [`MAX_CELL_FIT`] where that makes the image's whole-pixel period a whole
/// number of cells. The wax grid then repeats with the image, and its
/// rendering draws one period and copies it; drawn whole it was an eighth of
/// a 4096² kawung crackle render's instructions.
fn grid_cell(pattern: &Pattern, view: &View, spacing_px: f64) -> (f64, f64) {
    let cell = (spacing_px / 9.0).max(1.0);
    let Some((w, h, shift)) = pixel_period(pattern, view.transform) else {
        return (cell, cell);
    };
    // Columns of a period: a multiple of `w / gcd(w, shift)`, so the step
    // to the next row of periods is whole cells too.
    let step = u64::from(w) / egcd(i64::from(w), i64::from(shift)).0.unsigned_abs();
    let kx = ((f64::from(w) / cell / step as f64).round().max(1.0)) * step as f64;
    let sx = f64::from(w) / kx;
    // Rows as near square to the columns as whole cells allow: a stretch
    // changes how many cells the crack spacing is (it is measured in the
    // larger side), an oblong cell would stretch every plate.
    let sy = f64::from(h) / (f64::from(h) / sx).round().max(1.0);
    let near = |s: f64| s >= 1.0 && (s / cell - 1.0).abs() <= MAX_CELL_FIT;
    if near(sx) && near(sy) {
        (sx, sy)
    } else {
        (cell, cell)
    }
}

/// Luminance 20% of the way from the darkest colour of `p` to its lightest.
fn wax_threshold(p: &Pattern) -> f64 {
    let lums: Vec<f64> = std::iter::once(p.background)
        .chain(p.colours.iter().copied())
        .map(|c| luminance(c.red, c.green, c.blue))
        .collect();
    let lo = lums.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = lums.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    lo + 0.2 * (hi - lo)
}

impl CrackField {
    /// Grows the crack network, if it has not grown yet: a second, sequential
    /// part of the set-up, which [`PixelStage::prepare`] runs beside the
    /// drawing of the first plain strips.
    pub fn prepare(&self) {
        self.network();
    }

    /// Whether the crack network has grown.
    pub fn is_prepared(&self) -> bool {
        self.network.get().is_some()
    }

    /// The waxed area the cracks grow in, mm² (for tests and reports): the
    /// waxed cells of the grid.
    pub fn waxed_mm2(&self) -> f64 {
        let n = (self.gw * self.gh) as usize;
        let waxed = (0..n).filter(|&k| !self.unwaxed.get(k)).count();
        waxed as f64 * self.scale.sx * self.scale.sy / (self.px_per_mm * self.px_per_mm)
    }

    /// Number of cracks grown (for tests and reports); grows them if needed.
    pub fn cracks(&self) -> usize {
        self.network().cracks
    }

    fn network(&self) -> &Network {
        self.network.get_or_init(|| {
            let cells = Cells {
                gw: self.gw,
                gh: self.gh,
                wrap: self.gwrap,
                unwaxed: &self.unwaxed,
                seed: self.scale.seed,
            };
            // Each component's cracks become segments as soon as they have
            // grown, so their polylines never all exist at once.
            let (mut count, mut segs) = (0, Segs::default());
            grow_all(
                &cells,
                self.scale.spacing,
                |cracks| {
                    let mut segs = Vec::new();
                    for c in &cracks {
                        segments(c, &self.scale, &mut segs);
                    }
                    (cracks.len(), segs)
                },
                |(n, s)| {
                    count += n;
                    segs.extend(s);
                },
            );
            Network::new(segs, count, &self.scale)
        })
    }

    /// Darkens the cracked pixels of rows `rows` of `r`.
    pub fn apply(&self, r: &mut Region, rows: Range<usize>) {
        let net = self.network();
        let Some(w) = self.scale.wrap else {
            return self.apply_unwrapped(net, r, rows);
        };
        let mut cov = vec![0.0f64; r.w];
        for row in rows {
            let y = r.y + row as i64;
            // Runs of pixels whose bucket coordinates advance with the column:
            // each stretch up to a tile edge.
            let mut col = 0;
            let mut any = 0;
            while col < r.w {
                let x = r.x + col as i64;
                let (px, py) = w.reduce_f(x as f64 + 0.5, y as f64 + 0.5);
                let len = ((-floor_i(px - w.nx as f64)).max(1) as usize).min(r.w - col);
                any |= net.cover((px, py), 1, &mut cov[col..], r.w, len);
                col += len;
            }
            if any != 0 {
                let line = &mut r.data[row * r.w * 4..(row + 1) * r.w * 4];
                self.dye_row(&mut cov, line);
            }
        }
    }

    /// [`apply`](Self::apply) without a wrap: the rows a row of buckets
    /// holds at a time, so each bucket's segments are walked once for them.
    fn apply_unwrapped(&self, net: &Network, r: &mut Region, rows: Range<usize>) {
        let mut cov = vec![0.0f64; r.w * BUCKET];
        let mut row = rows.start;
        while row < rows.end {
            let y = r.y + row as i64;
            // Outside the grown area there are no cracks.
            if y < 0 {
                row += 1;
                continue;
            }
            let n = ((BUCKET as i64 - y % BUCKET as i64) as usize).min(rows.end - row);
            let col = (-r.x).max(0) as usize;
            let x = r.x + col as i64;
            if col < r.w && x < net.width() as i64 {
                let p = (x as f64 + 0.5, y as f64 + 0.5);
                let touched = net.cover(p, n, &mut cov[col..], r.w, r.w - col);
                for k in (0..n).filter(|k| touched >> k & 1 != 0) {
                    let line = &mut r.data[(row + k) * r.w * 4..(row + k + 1) * r.w * 4];
                    self.dye_row(&mut cov[k * r.w..(k + 1) * r.w], line);
                }
            }
            row += n;
        }
    }

    /// Multiplies the crack dye into the pixels of `line` with coverage, over
    /// wax, and clears `cov` for the next row.
    fn dye_row(&self, cov: &mut [f64], line: &mut [u8]) {
        for (c, p) in cov.iter_mut().zip(line.chunks_exact_mut(4)) {
            if *c <= 0.0 {
                continue;
            }
            let l = luminance(p[0], p[1], p[2]);
            let wax = ((l - self.wax_threshold) / 0.06 + 0.5).clamp(0.0, 1.0);
            let k = *c * wax;
            for (v, dye) in p.iter_mut().zip(self.dye) {
                *v = round_u8(*v as f64 * (1.0 - k * (1.0 - dye)));
            }
            *c = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wax_grid_repeats_with_the_image() {
        let spacing = 10.0 / Crackle::default().density * 300.0 / 25.4;
        let cell = spacing / 9.0;
        let whole = |v: f64| (v - v.round()).abs() < 1e-9;
        for name in ["kawung", "truntum", "lereng", "nitik", "ceplok-bintang"] {
            let p = crate::Design::builtin(name).unwrap().resolve().unwrap();
            let view = View::at_dpi(&p, 2048, 2048, 300.0);
            let (w, h, shift) = pixel_period(&p, view.transform).unwrap();
            let (sx, sy) = grid_cell(&p, &view, spacing);
            let (w, h, shift) = (w as f64, h as f64, shift as f64);
            assert!(
                whole(w / sx) && whole(h / sy) && whole(shift / sx),
                "{name}: period {w} × {h} (shift {shift}) px in cells {sx} × {sy}"
            );
            for s in [sx, sy] {
                assert!((s / cell - 1.0).abs() <= MAX_CELL_FIT, "{name}: cell {s}");
            }
            assert!((sx / sy - 1.0).abs() < 0.02, "{name}: cell {sx} × {sy}");
        }
        // With no whole-pixel period the cell is the spacing's ninth.
        let p = crate::Design::builtin("kawung").unwrap().resolve().unwrap();
        let view = View::at_dpi_exact(&p, 2048, 2048, 300.0);
        assert_eq!(grid_cell(&p, &view, spacing), (cell, cell));
    }

    #[test]
    fn the_network_stores_each_segment_once_and_an_index_of_u32() {
        let p = crate::Design::builtin("kawung").unwrap().resolve().unwrap();
        let view = View::at_dpi(&p, 1024, 1024, 300.0);
        let opts = RenderOptions::with_threads(2);
        let f = Crackle::default()
            .field(&p, &view, &Frame::at_dpi(300.0), 7, &opts)
            .unwrap();
        let net = f.network();
        let per = net.bytes() as f64 / net.segments() as f64;
        assert!(net.segments() > 1000, "{} segments", net.segments());
        // 24 bytes of segment and a few 4-byte entries (it was 112 bytes in
        // every bucket a segment touched); simplified segments are longer and
        // cross more buckets, but there are a third as many.
        assert!(per < 64.0, "{per:.1} bytes per segment");
    }
}
