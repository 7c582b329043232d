//! Geometry in `f64`: validated numbers, physical lengths, and shape builders.
//!
//! Design rules:
//! - All geometry is `f64` and uses [`kurbo`] types (`Point`, `Vec2`, `Affine`,
//!   `BezPath`, `Rect`). kurbo already does curves, arcs, ellipses, affine maps,
//!   bounding boxes and stroking well; this module adds only what it lacks
//!   (regular polygons, stars, physical lengths) instead of wrapping it.
//! - Conversion to `f32` happens once, at the render boundary (`render::device`),
//!   so precision is never lost while a pattern is being resolved.
//! - Numbers that come from users go through [`Finite`] and [`Positive`], so NaN,
//!   infinities and non-positive sizes are rejected with a typed error where they
//!   enter, not discovered as a blank picture later.

mod shapes;
mod units;

pub use kurbo::{Affine, BezPath, Point, Rect, Vec2};
pub use shapes::{regular_polygon, star, Shape};
pub use units::{Dpi, Finite, Length, LengthUnit, PhysicalSize, Positive, SizeSpec};
