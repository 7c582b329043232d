//! Validated numbers and physical units.

use std::fmt;
use std::str::FromStr;

use crate::error::UserError;

/// A finite `f64` (never NaN or infinite).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Finite(f64);

impl Finite {
    /// Accepts `v` if it is finite.
    pub fn new(v: f64) -> Option<Self> {
        v.is_finite().then_some(Self(v))
    }
    /// The value.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A finite `f64` strictly greater than zero.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Positive(f64);

impl Positive {
    /// Accepts `v` if it is finite and `> 0`.
    pub fn new(v: f64) -> Option<Self> {
        (v.is_finite() && v > 0.0).then_some(Self(v))
    }
    /// Like [`Positive::new`], with an error naming `what`.
    pub fn named(v: f64, what: &str) -> Result<Self, UserError> {
        Self::new(v).ok_or_else(|| {
            UserError::invalid(what, format!("must be a positive finite number, got {v}"))
        })
    }
    /// The value.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A unit of physical length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Millimetres.
    Mm,
    /// Centimetres.
    Cm,
    /// Inches (25.4 mm).
    In,
}

impl LengthUnit {
    /// Millimetres in one of this unit.
    pub fn mm(self) -> f64 {
        match self {
            LengthUnit::Mm => 1.0,
            LengthUnit::Cm => 10.0,
            LengthUnit::In => 25.4,
        }
    }
    fn parse_suffix(s: &str) -> Option<(Self, &str)> {
        for (suffix, unit) in [
            ("mm", Self::Mm),
            ("cm", Self::Cm),
            ("in", Self::In),
            ("\"", Self::In),
        ] {
            if let Some(num) = s.strip_suffix(suffix) {
                return Some((unit, num));
            }
        }
        None
    }
}

/// A positive physical length, stored in millimetres.
///
/// Parses `"40mm"`, `"4cm"`, `"1.5in"`; a bare number is millimetres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Length(Positive);

impl Length {
    /// A length of `mm` millimetres, if positive and finite.
    pub fn from_mm(mm: f64) -> Option<Self> {
        Positive::new(mm).map(Self)
    }
    /// The length in millimetres.
    pub fn mm(self) -> f64 {
        self.0.get()
    }
    /// The length in inches.
    pub fn inches(self) -> f64 {
        self.mm() / 25.4
    }
    /// Pixels this length covers at `dpi` (not rounded).
    pub fn px(self, dpi: Dpi) -> f64 {
        self.inches() * dpi.get()
    }
}

impl FromStr for Length {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, UserError> {
        let t = s.trim();
        let (unit, num) = LengthUnit::parse_suffix(t).unwrap_or((LengthUnit::Mm, t));
        let v: f64 = num.trim().parse().map_err(|_| {
            UserError::invalid(
                "length",
                format!("'{s}' is not a length like 40mm, 4cm or 1.5in"),
            )
        })?;
        Length::from_mm(v * unit.mm()).ok_or_else(|| {
            UserError::invalid("length", format!("'{s}' must be positive and finite"))
        })
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mm() >= 10.0 {
            write!(f, "{:.2} cm", self.mm() / 10.0)
        } else {
            write!(f, "{:.2} mm", self.mm())
        }
    }
}

/// Resolution in dots (pixels) per inch; positive and finite.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Dpi(Positive);

impl Dpi {
    /// The print default: 300 dpi.
    pub const DEFAULT: f64 = 300.0;
    /// Resolutions accepted from text (the command line): 1 to 100,000 dpi.
    /// Printers stop near 2400; below 1 every motif is smaller than a pixel.
    pub const RANGE: (f64, f64) = (1.0, 100_000.0);
    /// A resolution of `dpi`, if positive and finite.
    pub fn new(dpi: f64) -> Option<Self> {
        Positive::new(dpi).map(Self)
    }
    /// The value in dots per inch.
    pub fn get(self) -> f64 {
        self.0.get()
    }
    /// Pixels per millimetre.
    pub fn px_per_mm(self) -> f64 {
        self.get() / 25.4
    }
    /// Pixels per metre, rounded, as PNG's pHYs chunk stores it.
    pub fn px_per_metre(self) -> u32 {
        (self.get() / 0.0254).round() as u32
    }
}

impl Default for Dpi {
    fn default() -> Self {
        Self(Positive(Self::DEFAULT))
    }
}

impl FromStr for Dpi {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, UserError> {
        let v: f64 = s
            .trim()
            .parse()
            .map_err(|_| UserError::invalid("dpi", format!("'{s}' is not a number")))?;
        let dpi = Dpi::new(v).ok_or_else(|| {
            UserError::invalid("dpi", format!("must be a positive number, got '{s}'"))
        })?;
        if !(Dpi::RANGE.0..=Dpi::RANGE.1).contains(&v) {
            return Err(UserError::invalid(
                "dpi",
                format!("{s} is outside {}..{}", Dpi::RANGE.0, Dpi::RANGE.1),
            ));
        }
        Ok(dpi)
    }
}

/// A physical width × height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhysicalSize {
    /// Width.
    pub width: Length,
    /// Height.
    pub height: Length,
}

impl FromStr for PhysicalSize {
    type Err = UserError;
    /// Parses `60x40cm`, `600x400mm`, `24x16in`, or `60cmx40cm`.
    fn from_str(s: &str) -> Result<Self, UserError> {
        let bad = || {
            UserError::invalid(
                "size",
                format!("'{s}' is not a size like 60x40cm, 600x400mm or 24x16in"),
            )
        };
        let t = s.trim().to_ascii_lowercase();
        let (w, h) = t.split_once(['x', '×']).ok_or_else(bad)?;
        let unit_of_h = LengthUnit::parse_suffix(h.trim()).map(|(u, _)| u);
        let w = match (LengthUnit::parse_suffix(w.trim()), unit_of_h) {
            (Some(_), _) => w.parse::<Length>()?,
            (None, Some(u)) => {
                let v: f64 = w.trim().parse().map_err(|_| bad())?;
                Length::from_mm(v * u.mm()).ok_or_else(|| {
                    UserError::invalid("size", format!("'{s}': width must be positive and finite"))
                })?
            }
            (None, None) => return Err(bad()),
        };
        let height = h.parse::<Length>()?;
        Ok(Self { width: w, height })
    }
}

/// How big an output is: pixels, or a physical size at a DPI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeSpec {
    /// Exact pixel dimensions.
    Pixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// A physical size; pixels are `round(length × dpi)`.
    Physical(PhysicalSize),
}

impl SizeSpec {
    /// Pixel dimensions at `dpi`, each at least 1.
    pub fn pixels(&self, dpi: Dpi) -> (u64, u64) {
        match *self {
            SizeSpec::Pixels { width, height } => (width as u64, height as u64),
            SizeSpec::Physical(p) => (
                (p.width.px(dpi).round() as u64).max(1),
                (p.height.px(dpi).round() as u64).max(1),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_parse_with_units() {
        assert_eq!("40mm".parse::<Length>().unwrap().mm(), 40.0);
        assert_eq!("4cm".parse::<Length>().unwrap().mm(), 40.0);
        assert_eq!("1in".parse::<Length>().unwrap().mm(), 25.4);
        assert_eq!("12".parse::<Length>().unwrap().mm(), 12.0);
        for bad in ["0mm", "-3cm", "NaNmm", "inf", "abc", ""] {
            assert!(bad.parse::<Length>().is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_parse_in_all_forms() {
        let s: PhysicalSize = "60x40cm".parse().unwrap();
        assert_eq!((s.width.mm(), s.height.mm()), (600.0, 400.0));
        let s: PhysicalSize = "10cmx20mm".parse().unwrap();
        assert_eq!((s.width.mm(), s.height.mm()), (100.0, 20.0));
        assert!("60x40".parse::<PhysicalSize>().is_err());
        assert!("0x40cm".parse::<PhysicalSize>().is_err());
    }

    #[test]
    fn wrap_panel_pixel_size_matches_print_notes() {
        let s = SizeSpec::Physical("2000x1000mm".parse().unwrap());
        assert_eq!(s.pixels(Dpi::new(300.0).unwrap()), (23622, 11811));
        assert_eq!(Dpi::new(300.0).unwrap().px_per_metre(), 11811);
    }

    #[test]
    fn dpi_rejects_zero_nan_and_negative() {
        for bad in ["0", "-1", "NaN", "inf", "x", "0.5", "1e300"] {
            assert!(bad.parse::<Dpi>().is_err(), "{bad}");
        }
    }
}
