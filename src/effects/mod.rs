//! Textile effects: the stage between the resolved pattern and the exporters
//! that makes a print look like cloth rather than clip art.
//!
//! Two kinds of effect, applied in two places:
//!
//! - **Geometry effects** change the [`Pattern`] before rendering: [`Tulis`]
//!   (the wobble and changing line weight of a hand-drawn canting line) and
//!   [`Cap`] (misregistered copper-stamp impressions). Their result is still
//!   vector, so SVG output carries them.
//! - **Pixel effects** work on rendered pixels, strip by strip, as pure
//!   functions of absolute pixel coordinates, the seed and the pattern:
//!   [`Crackle`] (wax crackle, from a crack network grown once per render),
//!   [`Ikat`] (thread-offset bleed), [`Weave`] (thread relief, songket metal)
//!   and [`Dye`] (uneven dyeing). SVG output leaves them out and the CLI says so.
//!
//! Effects compose: geometry effects apply in the order given, then the pixel
//! effects in the order given. Every random choice is a hash of the seed, the
//! effect's position in the list and integer coordinates (see [`field`]), so the
//! same seed gives the same file on every machine and thread count. In tileable
//! mode ([`Frame::tileable`], used for exact repeat tiles) every field is
//! periodic in the tile the way the printer lays it, so the tile stays seamless.
//!
//! ```
//! use wastra::effects::{Effect, Effects};
//! let fx = Effects::parse(&["crackle:density=3,width=0.15".into()], Some("tulis"), 7)?;
//! assert_eq!(fx.effects.len(), 3); // tulis, dye, crackle
//! # Ok::<(), wastra::UserError>(())
//! ```
//!
//! Each pixel effect is built to cost at most about as much again as the plain
//! render it finishes (`cargo bench --bench effects` measures it); how, and
//! what was rejected, is in the documentation of the stage (`stage.rs`). The
//! crack network grows once per render, beside the drawing of the first plain
//! strips ([`PixelStage::prepare`]).
//!
//! Rejected: one image filter pass after the whole render (would hold the whole
//! image in memory, breaking streaming of print-size files), and effects as
//! motif-file features (they belong to the making of the cloth, not the motif).

mod cap;
mod crackle;
mod dye;
pub mod field;
mod ikat;
mod params;
mod stage;
mod tulis;
mod weave;

use std::str::FromStr;

pub use cap::Cap;
pub use crackle::{CrackField, Crackle};
pub use dye::Dye;
pub use ikat::{Direction, Ikat};
pub use stage::{
    render_image, render_reference, render_strips, render_strips_map, Frame, PixelStage, Region,
};
pub use tulis::Tulis;
pub use weave::Weave;

use field::hash;
use params::ParamList;
use stage::PixelEffect;

use crate::error::{Error, UserError};
use crate::motif::palette::Colour;
use crate::pattern::Pattern;
use crate::render::{RenderOptions, View};

/// One textile effect with its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Effect {
    /// Wax crackle (remukan).
    Crackle(Crackle),
    /// Hand-drawn wobble (batik tulis).
    Tulis(Tulis),
    /// Stamped misregistration (batik cap).
    Cap(Cap),
    /// Ikat bleed.
    Ikat(Ikat),
    /// Woven thread structure (tenun, songket).
    Weave(Weave),
    /// Uneven dyeing of the ground.
    Dye(Dye),
}

/// Effect names accepted by `--effect`.
pub const NAMES: [&str; 6] = ["crackle", "tulis", "cap", "ikat", "weave", "dye"];
/// Finish presets accepted by `--finish`; `none` is no effect at all (not
/// even a motif's own `effects`).
pub const FINISHES: [&str; 3] = ["tulis", "cap", "none"];

impl Effect {
    /// The effect's name.
    pub fn name(&self) -> &'static str {
        match self {
            Effect::Crackle(_) => "crackle",
            Effect::Tulis(_) => "tulis",
            Effect::Cap(_) => "cap",
            Effect::Ikat(_) => "ikat",
            Effect::Weave(_) => "weave",
            Effect::Dye(_) => "dye",
        }
    }

    /// Whether the effect changes geometry (and so reaches vector output).
    pub fn is_geometry(&self) -> bool {
        matches!(self, Effect::Tulis(_) | Effect::Cap(_))
    }
}

impl FromStr for Effect {
    type Err = UserError;

    /// `NAME` or `NAME:param=value,...`.
    fn from_str(s: &str) -> Result<Self, UserError> {
        let (name, rest) = s.split_once(':').unwrap_or((s, ""));
        let name = name.trim();
        Ok(match name {
            "crackle" | "remukan" => {
                let p = ParamList::parse(name, rest, &["density", "width", "color"])?;
                let d = Crackle::default();
                Effect::Crackle(Crackle {
                    density: p.number("density", d.density, 0.2, 20.0)?,
                    width_mm: p.number("width", d.width_mm, 0.01, 2.0)?,
                    dye: p.colour("color", d.dye)?,
                })
            }
            "tulis" => {
                let p = ParamList::parse(name, rest, &["wobble", "weight", "scale"])?;
                let d = Tulis::default();
                Effect::Tulis(Tulis {
                    wobble_mm: p.number("wobble", d.wobble_mm, 0.0, 5.0)?,
                    weight_mm: p.number("weight", d.weight_mm, 0.0, 2.0)?,
                    scale_mm: p.number("scale", d.scale_mm, 0.5, 500.0)?,
                })
            }
            "cap" => {
                let p = ParamList::parse(name, rest, &["offset", "stamps"])?;
                let d = Cap::default();
                Effect::Cap(Cap {
                    offset_mm: p.number("offset", d.offset_mm, 0.0, 10.0)?,
                    stamps: p.number("stamps", d.stamps as f64, 1.0, 8.0)?.round() as u32,
                })
            }
            "ikat" => {
                let p = ParamList::parse(name, rest, &["amount", "threads", "direction"])?;
                let d = Ikat::default();
                Effect::Ikat(Ikat {
                    amount_mm: p.number("amount", d.amount_mm, 0.0, 20.0)?,
                    threads: p.number("threads", d.threads, 1.0, 100.0)?,
                    direction: match p.choice("direction", &["warp", "weft"])? {
                        "weft" => Direction::Weft,
                        _ => Direction::Warp,
                    },
                })
            }
            "weave" | "songket" => {
                let p = ParamList::parse(name, rest, &["threads", "depth", "metal", "float"])?;
                let d = Weave::default();
                let gold = Colour::new(0xD4, 0xA5, 0x37, 255);
                Effect::Weave(Weave {
                    threads: p.number("threads", d.threads, 2.0, 200.0)?,
                    depth: p.number("depth", d.depth, 0.0, 1.0)?,
                    metal: if name == "songket" {
                        Some(p.colour("metal", gold)?)
                    } else {
                        p.opt_colour("metal")?
                    },
                    float: p.number("float", d.float as f64, 2.0, 16.0)?.round() as u32,
                })
            }
            "dye" => {
                let p = ParamList::parse(name, rest, &["amount", "scale"])?;
                let d = Dye::default();
                Effect::Dye(Dye {
                    amount: p.number("amount", d.amount, 0.0, 1.0)?,
                    scale_mm: p.number("scale", d.scale_mm, 1.0, 2000.0)?,
                })
            }
            other => {
                let known = NAMES.iter().copied().chain(["songket", "remukan"]);
                let e = UserError::unknown("effect", other, known);
                return Err(match e {
                    UserError::Unknown {
                        ref suggestions, ..
                    } if suggestions.is_empty() => UserError::invalid(
                        "effect",
                        format!("unknown effect '{other}' (effects: {})", NAMES.join(", ")),
                    ),
                    e => e,
                });
            }
        })
    }
}

/// A list of effects and the seed that drives them.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Effects {
    /// Seed of every random choice. Default: 0.
    pub seed: u64,
    /// The effects, in order. Default: none.
    pub effects: Vec<Effect>,
}

impl Effects {
    /// No effects, with `seed`.
    pub fn new(seed: u64) -> Self {
        Effects {
            seed,
            effects: Vec::new(),
        }
    }

    /// These effects followed by `e`.
    pub fn with(mut self, e: Effect) -> Self {
        self.effects.push(e);
        self
    }

    /// The bundle of a finish: `tulis` (hand-drawn wobble and uneven dye) or
    /// `cap` (stamp misregistration and a lighter dye unevenness).
    pub fn finish(name: &str) -> Result<Vec<Effect>, UserError> {
        match name {
            "tulis" => Ok(vec![
                Effect::Tulis(Tulis::default()),
                Effect::Dye(Dye::default()),
            ]),
            "cap" => Ok(vec![
                Effect::Cap(Cap::default()),
                Effect::Dye(Dye {
                    amount: 0.06,
                    ..Dye::default()
                }),
            ]),
            "none" => Ok(Vec::new()),
            other => Err(UserError::unknown("finish", other, FINISHES)),
        }
    }

    /// The CLI's `--finish` bundle (first) and `--effect` specs, with `seed`.
    pub fn parse(specs: &[String], finish: Option<&str>, seed: u64) -> Result<Self, UserError> {
        let mut fx = Effects::new(seed);
        if let Some(f) = finish {
            fx.effects.extend(Self::finish(f)?);
        }
        for s in specs {
            fx.effects.push(s.parse()?);
        }
        Ok(fx)
    }

    /// Whether there are no effects.
    pub fn is_empty(&self) -> bool {
        self.effects.is_empty()
    }

    fn seed_of(&self, i: usize) -> u64 {
        hash(self.seed, 1, i as i64, 0)
    }

    /// The pattern with every geometry effect applied, in order.
    pub fn apply_geometry(&self, p: &Pattern) -> Pattern {
        let mut out = p.clone();
        for (i, e) in self.effects.iter().enumerate() {
            out = match e {
                Effect::Tulis(t) => t.apply(&out, self.seed_of(i)),
                Effect::Cap(c) => c.apply(&out, self.seed_of(i)),
                _ => continue,
            };
        }
        out
    }

    /// Names of the effects that only raster output can show.
    pub fn raster_only(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .effects
            .iter()
            .filter(|e| !e.is_geometry())
            .map(|e| e.name())
            .collect();
        v.dedup();
        v
    }

    /// Prepares the pixel effects for rendering `pattern` (with geometry
    /// effects already applied) in `view`. Crackle grows its cracks here.
    pub fn pixel_stage(
        &self,
        pattern: &Pattern,
        view: &View,
        frame: &Frame,
        opts: &RenderOptions,
    ) -> Result<PixelStage, Error> {
        let mut st = PixelStage::default();
        for (i, e) in self.effects.iter().enumerate() {
            let seed = self.seed_of(i);
            let f = frame.wrap;
            st.effects.push(match e {
                Effect::Tulis(_) | Effect::Cap(_) => continue,
                Effect::Crackle(c) => {
                    PixelEffect::Crackle(Box::new(c.field(pattern, view, frame, seed, opts)?))
                }
                Effect::Ikat(k) => {
                    let field = k.field(frame.px_per_mm, f, seed);
                    let (x, y) = field.reach();
                    st.margin = (st.margin.0 + x, st.margin.1 + y);
                    PixelEffect::Ikat(field)
                }
                Effect::Weave(w) => PixelEffect::Weave(w.field(frame.px_per_mm, f, pattern, seed)),
                Effect::Dye(d) => PixelEffect::Dye(d.field(frame.px_per_mm, f, seed)),
            });
        }
        Ok(st)
    }
}
