//! The motif file format, as serde reads it (see `docs/motif-format.md`).
//!
//! These structs mirror the TOML one to one and reject unknown keys, so a typo
//! is reported with its line and column instead of being silently ignored.
//! Meaning (ranges, references, geometry) is checked later, in `motif::check`
//! and `pattern::resolve`, where the parameters are known.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::expr::Expr;

/// A whole motif file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MotifFile {
    /// Format version; only 1 exists. Default: 1.
    #[serde(default = "one")]
    pub format: u32,
    /// Who the motif is and what it means.
    pub motif: Meta,
    /// Named parameters, in file order.
    #[serde(default)]
    pub params: indexmap_like::OrderedParams,
    /// Named sets of parameter values.
    #[serde(default)]
    pub presets: BTreeMap<String, Preset>,
    /// Colour roles and the default colourway.
    pub colors: Colors,
    /// The lattice and its symmetry group.
    pub lattice: LatticeSpec,
    /// Textile effects a render from the command line takes unless it names
    /// `--effect`s or a `--finish` (`--finish none` for none): `--effect`
    /// specs such as `"ikat:amount=1.2"`, in order. For cloth whose look is
    /// its making, as ikat's feathered edges are. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<String>,
    /// What is drawn in one cell, bottom layer first.
    #[serde(rename = "layer")]
    pub layers: Vec<Layer>,
}

fn one() -> u32 {
    1
}

/// Metadata.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Identifier used on the command line: lower case, digits and `-`.
    pub name: String,
    /// Display name, e.g. "Parang Barong". Default: the name.
    #[serde(default)]
    pub title: Option<String>,
    /// `batik` or `tenun`.
    pub family: Family,
    /// Where the motif comes from.
    pub region: String,
    /// One line for `wastra list`.
    pub description: String,
    /// Cultural meaning.
    pub meaning: String,
}

/// The textile tradition a motif belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Wax-resist dyed cloth.
    Batik,
    /// Woven cloth (ikat, songket).
    Tenun,
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Family::Batik => "batik",
            Family::Tenun => "tenun",
        })
    }
}

/// One parameter's declaration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// Default value: a number, or one of `choices`.
    pub default: ParamValue,
    /// Smallest allowed value (numbers).
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest allowed value (numbers).
    #[serde(default)]
    pub max: Option<f64>,
    /// `mm` (a physical length), `ratio`, `count`, `deg`, or `choice`. Default: `ratio`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Allowed values of a choice parameter.
    #[serde(default)]
    pub choices: Vec<String>,
    /// One-line documentation.
    pub doc: String,
}

/// A parameter value as written in a file or on the command line.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    untagged,
    expecting = "wrong type: expected a number or a quoted text value"
)]
pub enum ParamValue {
    /// A number (for `mm`, in millimetres).
    Number(f64),
    /// A choice, or a length with a unit such as `"4cm"`.
    Text(String),
}

/// A preset: a documented set of parameter values.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// What the preset is (shown by `wastra info`).
    pub doc: String,
    /// Parameter values.
    #[serde(default)]
    pub set: BTreeMap<String, ParamValue>,
    /// Colourway to use with this preset. Default: the motif's.
    #[serde(default)]
    pub palette: Option<String>,
}

/// Colour roles.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    /// Default colourway (a palette name).
    pub palette: String,
    /// Motif role → palette slot name, or a literal `#RRGGBB[AA]`.
    /// The role `ground` is the background.
    pub roles: BTreeMap<String, String>,
}

/// The lattice and symmetry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LatticeSpec {
    /// `square`, `rectangular`, `hexagonal` or `oblique`.
    pub kind: String,
    /// Physical length in mm of one drawing unit (an expression, usually `"repeat"`).
    pub unit: Expr,
    /// Length of the first lattice vector in drawing units. Default: 1.
    #[serde(default)]
    pub width: Option<Expr>,
    /// Length of the second lattice vector (rectangular, oblique). Default: 1.
    #[serde(default)]
    pub height: Option<Expr>,
    /// Angle between the lattice vectors in degrees (oblique). Default: 90.
    #[serde(default)]
    pub angle: Option<Expr>,
    /// Wallpaper group, `p1` … `p6m`. Default: `p1`.
    #[serde(default)]
    pub group: Option<String>,
}

/// A layer: shapes with one style.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Name, for error messages. Default: `layer N`.
    #[serde(default)]
    pub name: Option<String>,
    /// Fill role. Default: no fill.
    #[serde(default)]
    pub fill: Option<String>,
    /// Stroke role. Default: no stroke.
    #[serde(default)]
    pub stroke: Option<String>,
    /// Stroke width in drawing units. Default: 0.01.
    #[serde(default)]
    pub stroke_width: Option<Expr>,
    /// `nonzero` or `evenodd`. Default: `nonzero`.
    #[serde(default)]
    pub fill_rule: Option<String>,
    /// Apply the lattice's symmetry group to these shapes. Default: true.
    #[serde(default)]
    pub symmetry: Option<bool>,
    /// Draw the layer only when this holds: `NAME == CHOICE`, `NAME != CHOICE`,
    /// or a numeric expression that is non-zero.
    #[serde(default)]
    pub when: Option<String>,
    /// The shapes.
    #[serde(rename = "shape", default)]
    pub shapes: Vec<ShapeSpec>,
    /// Draw the layer only inside this region: a list of shapes (their union),
    /// or the name of an earlier layer whose shapes are the region. The region
    /// is what `isen` and `motif` shapes fill. Default: no clip.
    #[serde(default)]
    pub clip: Option<ClipSpec>,
    /// Draw each closed shape as stepped colour bands. Default: plain fills.
    #[serde(default)]
    pub bands: Option<BandsSpec>,
}

/// A layer's clip region.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ClipSpec {
    /// The shapes of the earlier layer of this name (before symmetry).
    Layer(String),
    /// Shapes whose union is the region.
    Shapes(Vec<ShapeSpec>),
}

/// Stepped colour bands: `count` bands of `width`, inward from each outline.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BandsSpec {
    /// Number of bands, 1 to the number of `roles`.
    pub count: Expr,
    /// Width of each band in drawing units (the last band fills the core).
    pub width: Expr,
    /// Colour roles from the outline inwards; `count` bands take colours spread
    /// evenly over this list, first to last.
    pub roles: Vec<String>,
}

/// One shape; which fields apply depends on `type`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeSpec {
    /// `circle`, `ellipse`, `rect`, `polygon`, `polyline`, `regular`, `star`,
    /// `arc`, `path`; or `isen` (a filler in the layer's clip region), `along`
    /// (marks along the `guide` shape) or `motif` (another motif filling the
    /// layer's clip region).
    #[serde(rename = "type")]
    pub kind: String,
    /// Centre (circle, ellipse, regular, star, arc; rect when `w`/`h` are given).
    pub center: Option<[Expr; 2]>,
    /// Radius (circle, regular, arc).
    pub r: Option<Expr>,
    /// Semi-axis along the ellipse's own x.
    pub rx: Option<Expr>,
    /// Semi-axis along the ellipse's own y.
    pub ry: Option<Expr>,
    /// Width (rect).
    pub w: Option<Expr>,
    /// Height (rect).
    pub h: Option<Expr>,
    /// Vertices (polygon, polyline).
    pub points: Option<Vec<[Expr; 2]>>,
    /// Number of sides (regular) or tips (star).
    pub sides: Option<Expr>,
    /// Tip radius (star).
    pub outer: Option<Expr>,
    /// Valley radius (star).
    pub inner: Option<Expr>,
    /// Start angle in degrees (arc).
    pub start: Option<Expr>,
    /// Sweep in degrees (arc).
    pub sweep: Option<Expr>,
    /// SVG path data in drawing units (path).
    pub d: Option<String>,
    /// Rotation in degrees about `center` (or the origin).
    pub rotate: Option<Expr>,
    /// Uniform scale about the origin, applied before `translate`.
    pub scale: Option<Expr>,
    /// Translation applied last.
    pub translate: Option<[Expr; 2]>,
    /// Rotational copies about `copy_about`: this many in total. Default: 1.
    pub copies: Option<Expr>,
    /// Centre of the rotational copies. Default: the origin.
    pub copy_about: Option<[Expr; 2]>,
    /// Which filler (isen): `cecek`, `cecek-pitu`, `cecek-telu`, `sawut`,
    /// `galaran`, `ukel`, `sisik`.
    pub isen: Option<String>,
    /// Distance between filler elements (isen) or marks (along).
    pub spacing: Option<Expr>,
    /// Dot radius, curl or scale radius (isen); mark radius or half side (along).
    pub size: Option<Expr>,
    /// Line width (sawut, galaran, ukel, sisik). Default: depends on the filler.
    pub width: Option<Expr>,
    /// Clearance kept between whole filler elements and the region's edge.
    /// Default: half the element's size.
    pub margin: Option<Expr>,
    /// Mark placed along the guide: `dot`, `square` or `dash`. Default: `dot`.
    pub mark: Option<String>,
    /// Length of a `dash` mark. Default: 3 × size.
    pub length: Option<Expr>,
    /// Distance of the marks from the guide; positive is outward for a closed
    /// guide. Default: 0.
    pub offset: Option<Expr>,
    /// The path marks are placed along (along).
    pub guide: Option<Box<ShapeSpec>>,
    /// The motif filling the region (motif): a built-in motif's name.
    pub motif: Option<String>,
    /// Parameter values of the nested motif. Default: its defaults.
    pub set: Option<BTreeMap<String, ParamValue>>,
    /// Nested motif role → slot (or `#RRGGBB`) of the palette. Default: the
    /// nested motif's own roles.
    pub colors: Option<BTreeMap<String, String>>,
    /// Palette for the nested motif's colours. Default: the outer palette.
    pub palette: Option<String>,
}

/// An ordered map of parameters: TOML tables are ordered in the file, and
/// `wastra info` lists parameters in the order their author wrote them.
pub mod indexmap_like {
    use serde::de::{MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::ParamSpec;

    /// Parameters in file order.
    #[derive(Debug, Clone, Default)]
    pub struct OrderedParams(pub Vec<(String, ParamSpec)>);

    impl<'de> Deserialize<'de> for OrderedParams {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = OrderedParams;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a table of parameters")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                    let mut v = Vec::new();
                    while let Some((k, spec)) = m.next_entry::<String, ParamSpec>()? {
                        if v.iter().any(|(n, _)| n == &k) {
                            return Err(serde::de::Error::custom(format!(
                                "parameter '{k}' declared twice"
                            )));
                        }
                        v.push((k, spec));
                    }
                    Ok(OrderedParams(v))
                }
            }
            d.deserialize_map(V)
        }
    }

    impl Serialize for OrderedParams {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
}
