//! JPEG (baseline, JFIF) with its density in dots per inch, for previews and
//! print shops that take it; never more than 65535 px per side (the format's
//! limit). Transparent areas are flattened onto white (JPEG has no alpha).
//!
//! The `image` crate's `JpegEncoder::encode_image` reads pixels from any
//! `GenericImageView` in 8×8 blocks, top to bottom, each once; [`StripImage`]
//! serves those reads from the strips the renderer streams, so a JPEG is
//! written with a few strips in memory, like PNG and TIFF.

use std::cell::RefCell;
use std::io::Write;
use std::sync::mpsc::{sync_channel, Receiver};

use image::codecs::jpeg::{JpegEncoder, PixelDensity, PixelDensityUnit};
use image::{GenericImageView, ImageEncoder as _, Rgb};

use super::colour::Converter;
use super::stream::for_each_strip;
use super::{BitDepth, ExportOptions};
use crate::error::{Error, UserError};
use crate::pattern::Pattern;
use crate::render::View;

/// JPEG's largest side, in pixels.
pub const MAX_SIDE: u32 = 65535;

/// Refuses images JPEG cannot hold.
pub fn check_size(view: &View) -> Result<(), UserError> {
    if view.width > MAX_SIDE || view.height > MAX_SIDE {
        return Err(UserError::TooLarge(format!(
            "{} × {} px is too large for JPEG, which stores at most {MAX_SIDE} px per side; use .tif or .png",
            view.width, view.height
        )));
    }
    Ok(())
}

/// One rendered band of opaque RGB8 rows.
struct Band {
    y: u32,
    rows: u32,
    rgb: Vec<u8>,
}

/// An image whose pixels arrive as bands, in order, through a channel.
struct StripImage {
    width: u32,
    height: u32,
    bands: Receiver<Band>,
    current: RefCell<Option<Band>>,
}

impl GenericImageView for StripImage {
    type Pixel = Rgb<u8>;

    fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn get_pixel(&self, x: u32, y: u32) -> Rgb<u8> {
        let mut cur = self.current.borrow_mut();
        while !cur.as_ref().is_some_and(|b| y >= b.y && y < b.y + b.rows) {
            match self.bands.recv() {
                Ok(b) => *cur = Some(b),
                // The renderer failed or was cancelled: its error is reported
                // and the file discarded; the encoder just needs to finish.
                Err(_) => return Rgb([0, 0, 0]),
            }
        }
        let b = cur.as_ref().expect("band found above");
        let i = ((y - b.y) as usize * self.width as usize + x as usize) * 3;
        Rgb([b.rgb[i], b.rgb[i + 1], b.rgb[i + 2]])
    }
}

/// Straight RGBA over white, as RGB.
fn flatten(rgba: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(rgba.chunks_exact(4).flat_map(|p| {
        let a = p[3] as u32;
        let over = |c: u8| ((c as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        [over(p[0]), over(p[1]), over(p[2])]
    }));
}

/// Writes `pattern` in `view` as JPEG.
pub fn write_jpeg<W: Write + Send>(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &crate::effects::PixelStage,
    w: W,
) -> Result<(), Error> {
    check_size(view)?;
    let converter = match &opts.icc {
        Some(p) => Some(Converter::new(p, opts.intent, BitDepth::Eight)?),
        None => None,
    };
    let dpi = opts.dpi.get().round().clamp(1.0, u16::MAX as f64) as u16;
    let mut enc = JpegEncoder::new_with_quality(w, opts.jpeg_quality);
    enc.set_pixel_density(PixelDensity {
        density: (dpi, dpi),
        unit: PixelDensityUnit::Inches,
    });
    if let Some(p) = &opts.icc {
        enc.set_icc_profile(p.bytes().to_vec())
            .map_err(|e| Error::Internal(format!("JPEG encoder: {e}")))?;
    }
    let (tx, rx) = sync_channel::<Band>(1);
    let image = StripImage {
        width: view.width,
        height: view.height,
        bands: rx,
        current: RefCell::new(None),
    };
    std::thread::scope(|s| {
        let encoder = s.spawn(move || enc.encode_image(&image));
        let mut flat = Vec::new();
        let rendered = for_each_strip(pattern, view, opts, stage, |strip| {
            flatten(&strip.data, &mut flat);
            let rgb = match &converter {
                Some(c) => {
                    let mut out = vec![0; flat.len()];
                    c.convert(&flat, &mut out);
                    out
                }
                None => std::mem::take(&mut flat),
            };
            tx.send(Band {
                y: strip.y,
                rows: strip.rows,
                rgb,
            })
            .map_err(|_| Error::Internal("JPEG encoder stopped".into()))
        });
        drop(tx);
        let encoded = encoder.join().unwrap_or_else(|_| {
            Err(image::ImageError::IoError(std::io::Error::other(
                "JPEG encoder panicked",
            )))
        });
        // An encoder failure (a full disk) explains a renderer that could not send.
        encoded.map_err(|e| match e {
            image::ImageError::IoError(io) => Error::write("JPEG", io),
            other => Error::Internal(format!("writing JPEG: {other}")),
        })?;
        rendered
    })
}
