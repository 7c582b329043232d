//! Colour management through Little CMS (lcms2): output profiles, rendering
//! intents, and the conversion of rendered sRGB pixels into a profile's space.
//!
//! Every colour wastra draws is sRGB (palette hex codes). Without a profile,
//! files are marked sRGB. With an RGB profile the pixels are converted into it
//! and the profile embedded, so a colour-managed reader shows the same colours;
//! embedding without converting would silently shift them. With a CMYK output
//! profile (a printing condition such as FOGRA39) the pixels are separated into
//! CMYK by lcms2, as a RIP would, and the profile is embedded in the TIFF.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use lcms2::{ColorSpaceSignature, InfoType, Locale, PixelFormat, Profile, Transform};

use super::BitDepth;
use crate::error::{Error, UserError};

/// The colour space of an output profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileSpace {
    /// Three channels, red, green, blue.
    Rgb,
    /// Four inks, cyan, magenta, yellow, black.
    Cmyk,
}

/// An ICC output profile, checked by lcms2.
#[derive(Debug, Clone)]
pub struct IccProfile {
    bytes: Arc<[u8]>,
    space: ProfileSpace,
    description: String,
}

impl IccProfile {
    /// Reads and checks the profile in `path`.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Ok(Self::from_bytes(bytes, &path.display().to_string())?)
    }

    /// Checks the profile `bytes`; `name` is used in messages.
    pub fn from_bytes(bytes: Vec<u8>, name: &str) -> Result<Self, UserError> {
        let bad = |why: String| UserError::invalid("ICC profile", format!("{name}: {why}"));
        let profile =
            Profile::new_icc(&bytes).map_err(|e| bad(format!("not a valid ICC profile ({e})")))?;
        let space = match profile.color_space() {
            ColorSpaceSignature::RgbData => ProfileSpace::Rgb,
            ColorSpaceSignature::CmykData => ProfileSpace::Cmyk,
            other => {
                return Err(bad(format!(
                    "a {other:?} profile; wastra writes RGB or CMYK"
                )))
            }
        };
        let description = profile
            .info(InfoType::Description, Locale::none())
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| name.to_string());
        let p = IccProfile {
            bytes: bytes.into(),
            space,
            description,
        };
        // Fail now, not after rendering, if lcms2 cannot convert into it.
        Converter::new(&p, Intent::default(), BitDepth::Eight)?;
        Ok(p)
    }

    /// The profile's bytes, as embedded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// RGB or CMYK.
    pub fn space(&self) -> ProfileSpace {
        self.space
    }

    /// The profile's own description (or its file name).
    pub fn description(&self) -> &str {
        &self.description
    }
}

/// ICC rendering intent of a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Intent {
    /// Compress the whole gamut to fit. Default.
    #[default]
    Perceptual,
    /// Keep in-gamut colours exact, relative to the paper white (with black point compensation).
    Relative,
    /// Keep colours vivid.
    Saturation,
    /// Keep colours exact, including the paper white.
    Absolute,
}

impl FromStr for Intent {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Self, UserError> {
        match s {
            "perceptual" => Ok(Self::Perceptual),
            "relative" | "relative-colorimetric" => Ok(Self::Relative),
            "saturation" => Ok(Self::Saturation),
            "absolute" | "absolute-colorimetric" => Ok(Self::Absolute),
            _ => Err(UserError::unknown(
                "intent",
                s,
                ["perceptual", "relative", "saturation", "absolute"],
            )),
        }
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Perceptual => "perceptual",
            Self::Relative => "relative",
            Self::Saturation => "saturation",
            Self::Absolute => "absolute",
        })
    }
}

/// sRGB (8-bit) → an output profile's channels, 8 or 16 bits (native endian).
pub(crate) struct Converter {
    transform: Transform<u8, u8>,
    channels: usize,
    sixteen: bool,
}

impl Converter {
    /// A conversion into `profile`.
    pub fn new(profile: &IccProfile, intent: Intent, depth: BitDepth) -> Result<Self, UserError> {
        let output = Profile::new_icc(profile.bytes()).map_err(|e| {
            UserError::invalid("ICC profile", format!("{}: {e}", profile.description))
        })?;
        let sixteen = depth == BitDepth::Sixteen;
        let (format, channels) = match (profile.space, sixteen) {
            (ProfileSpace::Rgb, false) => (PixelFormat::RGB_8, 3),
            (ProfileSpace::Rgb, true) => (PixelFormat::RGB_16, 3),
            (ProfileSpace::Cmyk, false) => (PixelFormat::CMYK_8, 4),
            (ProfileSpace::Cmyk, true) => (PixelFormat::CMYK_16, 4),
        };
        let (lcms_intent, flags) = match intent {
            Intent::Perceptual => (lcms2::Intent::Perceptual, lcms2::Flags::default()),
            Intent::Relative => (
                lcms2::Intent::RelativeColorimetric,
                lcms2::Flags::BLACKPOINT_COMPENSATION,
            ),
            Intent::Saturation => (lcms2::Intent::Saturation, lcms2::Flags::default()),
            Intent::Absolute => (lcms2::Intent::AbsoluteColorimetric, lcms2::Flags::default()),
        };
        let transform = Transform::new_flags(
            &Profile::new_srgb(),
            PixelFormat::RGB_8,
            &output,
            format,
            lcms_intent,
            flags,
        )
        .map_err(|e| {
            UserError::invalid(
                "ICC profile",
                format!(
                    "{} cannot be used as an output profile ({e})",
                    profile.description
                ),
            )
        })?;
        Ok(Converter {
            transform,
            channels,
            sixteen,
        })
    }

    /// Output channels per pixel (3 or 4).
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Converts packed sRGB pixels `rgb` into `out`, `channels` samples per
    /// pixel of 1 or 2 (native-endian) bytes.
    pub fn convert(&self, rgb: &[u8], out: &mut [u8]) {
        let n = rgb.len() / 3;
        let bytes = self.channels * if self.sixteen { 2 } else { 1 };
        debug_assert_eq!(out.len(), n * bytes);
        // lcms2 takes at most u32::MAX pixels per call; a strip is far fewer.
        self.transform.transform_pixels(rgb, out);
    }
}
