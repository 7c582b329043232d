//! PNG with its physical resolution (pHYs) and sRGB chunk, streamed strip by strip.

use std::io::Write;

use png::{BitDepth, ColorType, Encoder, PixelDimensions, SrgbRenderingIntent, Unit};

use super::{Compression, ExportOptions};
use crate::effects::{render_strips, PixelStage};
use crate::error::Error;
use crate::pattern::Pattern;
use crate::render::View;

fn internal(e: png::EncodingError) -> Error {
    match e {
        png::EncodingError::IoError(io) => Error::Internal(format!("writing PNG: {io}")),
        other => Error::Internal(format!("PNG encoder: {other}")),
    }
}

/// Writes `pattern` in `view` as PNG. Opaque patterns are written as RGB.
pub fn write_png<W: Write>(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    w: W,
) -> Result<(), Error> {
    write_png_with(pattern, view, opts, &PixelStage::default(), w)
}

/// Writes `pattern` in `view` with the pixel effects of `stage` as PNG.
pub fn write_png_with<W: Write>(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &PixelStage,
    w: W,
) -> Result<(), Error> {
    let opaque = pattern.is_opaque() && pattern.colours.iter().all(|c| c.alpha == 255);
    let mut enc = Encoder::new(w, view.width, view.height);
    enc.set_color(if opaque {
        ColorType::Rgb
    } else {
        ColorType::Rgba
    });
    enc.set_depth(BitDepth::Eight);
    let ppm = opts.dpi.px_per_metre();
    enc.set_pixel_dims(Some(PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: Unit::Meter,
    }));
    enc.set_source_srgb(SrgbRenderingIntent::Perceptual);
    enc.set_compression(match opts.compression {
        Compression::Fast => png::Compression::Fast,
        Compression::Balanced => png::Compression::Balanced,
        Compression::Best => png::Compression::High,
    });
    let mut writer = enc.write_header().map_err(internal)?;
    let mut stream = writer.stream_writer_with_size(1 << 20).map_err(internal)?;
    let mut rgb = Vec::new();
    render_strips(pattern, view, &opts.render, stage, |strip| {
        let data = if opaque {
            rgb.clear();
            rgb.extend(strip.data.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]));
            &rgb
        } else {
            &strip.data
        };
        stream
            .write_all(data)
            .map_err(|e| Error::Internal(format!("writing PNG: {e}")))
    })?;
    stream.finish().map_err(internal)?;
    Ok(())
}
