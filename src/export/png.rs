//! PNG with its physical resolution (pHYs) and either the sRGB chunk or an
//! embedded ICC profile (iCCP), 8 or 16 bits, streamed strip by strip and
//! compressed on every core (see [`idat`]).

use std::borrow::Cow;
use std::io::Write;

use png::{BitDepth, ColorType, Encoder, PixelDimensions, SrgbRenderingIntent, Unit};

use super::idat;
use super::stream::{for_each_strip_map, Channels, Piece, Samples};
use super::{Compression, ExportOptions, ProfileSpace};
use crate::effects::PixelStage;
use crate::error::Error;
use crate::pattern::Pattern;
use crate::render::{Strip, View, STRIP_ROWS};

fn internal(e: png::EncodingError) -> Error {
    match e {
        png::EncodingError::IoError(io) => Error::write("PNG", io),
        other => Error::Internal(format!("PNG encoder: {other}")),
    }
}

/// Maps strips to pieces in parallel, hands pieces to the writer in order.
type Run<'a> = dyn FnOnce(
        &(dyn Fn(&mut Strip) -> Result<Piece<Vec<idat::Band>>, Error> + Sync),
        &mut dyn FnMut(Piece<Vec<idat::Band>>) -> Result<(), Error>,
    ) -> Result<(), Error>
    + 'a;

/// Writes `pattern` in `view` as PNG. Opaque patterns are written as RGB.
pub fn write_png<W: Write>(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &PixelStage,
    w: W,
) -> Result<(), Error> {
    let samples = Samples::new(pattern, opts, true)?;
    // Two strips per thread in flight: compressed strips are small, and a
    // thread that finishes a strip early starts the next at once.
    let run: Box<Run> =
        Box::new(|map, sink| for_each_strip_map(pattern, view, opts, stage, 2, map, sink));
    encode(view.width, view.height, samples, opts, w, run)
}

/// Writes pixels already rendered (straight RGBA8) as PNG with the same
/// metadata and encoder as [`write_png`]: RGB when every pixel is opaque.
pub fn write_png_image<W: Write>(
    img: &image::RgbaImage,
    opts: &ExportOptions,
    w: W,
) -> Result<(), Error> {
    let alpha = img.pixels().any(|p| p.0[3] != 255);
    let samples = Samples::with_alpha(alpha, opts, true)?;
    let (width, height) = img.dimensions();
    let pool = crate::render::pool(&opts.render)?;
    let run: Box<Run> = Box::new(|map, sink| {
        let row = width as usize * 4;
        for (i, rows) in img.as_raw().chunks(row * STRIP_ROWS as usize).enumerate() {
            let mut strip = Strip {
                y: i as u32 * STRIP_ROWS,
                rows: (rows.len() / row) as u32,
                data: rows.to_vec(),
            };
            sink(pool.install(|| map(&mut strip))?)?;
        }
        Ok(())
    });
    encode(width, height, samples, opts, w, run)
}

/// Writes a `width × height` PNG of the strips `run` produces.
fn encode<W: Write>(
    width: u32,
    height: u32,
    mut samples: Samples,
    opts: &ExportOptions,
    w: W,
    run: Box<Run>,
) -> Result<(), Error> {
    if opts
        .icc
        .as_ref()
        .is_some_and(|p| p.space() != ProfileSpace::Rgb)
    {
        return Err(Error::Internal("PNG cannot hold CMYK".into()));
    }
    let mut info = png::Info::with_size(width, height);
    info.color_type = if samples.channels == Channels::Rgba {
        ColorType::Rgba
    } else {
        ColorType::Rgb
    };
    info.bit_depth = if samples.sixteen {
        BitDepth::Sixteen
    } else {
        BitDepth::Eight
    };
    let ppm = opts.dpi.px_per_metre();
    info.pixel_dims = Some(PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: Unit::Meter,
    });
    // sRGB and iCCP are exclusive (the png crate drops iCCP when sRGB is set).
    if let Some(p) = &opts.icc {
        info.icc_profile = Some(Cow::Owned(p.bytes().to_vec()));
    }
    let mut enc = Encoder::with_info(w, info).map_err(internal)?;
    if opts.icc.is_none() {
        enc.set_source_srgb(SrgbRenderingIntent::Perceptual);
    }
    enc.set_compression(match opts.compression {
        Compression::Fast => png::Compression::Fast,
        Compression::Balanced => png::Compression::Balanced,
        Compression::Best => png::Compression::High,
    });
    let mut writer = enc.write_header().map_err(internal)?;
    let level = idat::Level(match opts.compression {
        Compression::Fast => 1,
        Compression::Balanced => 6,
        Compression::Best => 9,
    });
    let bpp = samples.bytes_per_pixel();
    let (in_row, out_row) = (width as usize * 4, width as usize * bpp);
    let pool = crate::render::pool(&opts.render)?;
    let mut above = vec![0u8; out_row];
    let mut adler = idat::Checksum::default();
    let mut converted = Vec::new();
    let mut pending = level.zlib_header().to_vec();
    let direct = samples.direct();
    // Without a colour conversion each strip is converted and compressed on
    // the thread that rendered it, its first row filtered without the row
    // above, so strips need nothing from each other.
    let map = |strip: &mut Strip| {
        Piece::of(direct, strip, |d, strip| {
            let to_samples = |row: &[u8], out: &mut Vec<u8>| d.encode(row, out);
            idat::compress_rows(&strip.data, in_row, None, bpp, level, &to_samples)
        })
    };
    run(&map, &mut |piece| {
        let bands = match piece {
            Piece::Done(bands) => bands,
            Piece::Raw(strip) => {
                converted.clear();
                samples.encode(&strip.data, &mut converted);
                let copy = |row: &[u8], out: &mut Vec<u8>| out.extend_from_slice(row);
                let bands = pool.install(|| {
                    idat::compress_rows(&converted, out_row, Some(&above), bpp, level, &copy)
                })?;
                above.copy_from_slice(&converted[converted.len() - out_row..]);
                bands
            }
        };
        for band in bands {
            adler.add(&band);
            pending.extend_from_slice(&band.deflated);
        }
        // IDAT chunks of at least 1 MiB: few chunk headers, bounded memory.
        if pending.len() >= 1 << 20 {
            writer
                .write_chunk(png::chunk::IDAT, &pending)
                .map_err(internal)?;
            pending.clear();
        }
        Ok(())
    })?;
    pending.extend_from_slice(&idat::FINAL_BLOCK);
    pending.extend_from_slice(&adler.to_be_bytes());
    writer
        .write_chunk(png::chunk::IDAT, &pending)
        .map_err(internal)?;
    writer.finish().map_err(internal)?;
    Ok(())
}
