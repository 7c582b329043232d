//! PNG with its physical resolution (pHYs) and either the sRGB chunk or an
//! embedded ICC profile (iCCP), 8 or 16 bits, streamed strip by strip.

use std::borrow::Cow;
use std::io::Write;

use png::{BitDepth, ColorType, Encoder, PixelDimensions, SrgbRenderingIntent, Unit};

use super::stream::{for_each_strip, Channels, Samples};
use super::{Compression, ExportOptions, ProfileSpace};
use crate::effects::PixelStage;
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
    stage: &PixelStage,
    w: W,
) -> Result<(), Error> {
    if opts
        .icc
        .as_ref()
        .is_some_and(|p| p.space() != ProfileSpace::Rgb)
    {
        return Err(Error::Internal("PNG cannot hold CMYK".into()));
    }
    let mut samples = Samples::new(pattern, opts, true)?;
    let mut info = png::Info::with_size(view.width, view.height);
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
    let mut stream = writer.stream_writer_with_size(1 << 20).map_err(internal)?;
    let mut buf = Vec::new();
    for_each_strip(pattern, view, opts, stage, |strip| {
        buf.clear();
        samples.encode(&strip.data, &mut buf);
        stream
            .write_all(&buf)
            .map_err(|e| Error::Internal(format!("writing PNG: {e}")))
    })?;
    stream.finish().map_err(internal)?;
    Ok(())
}
