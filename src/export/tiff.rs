//! TIFF for print: resolution in pixels per inch, Deflate or LZW with the
//! horizontal predictor, RGB with unassociated alpha (ExtraSamples = 2) or no
//! alpha when opaque, CMYK through an output profile, 8 or 16 bits, ICC
//! profile in tag 34675, BigTIFF when a classic TIFF could pass 4 GiB.
//!
//! The file is written strip by strip as the renderer delivers them: strips
//! are compressed here (in parallel, several TIFF strips per rendered strip)
//! and written raw through the `tiff` crate's directory encoder, which writes
//! the tags. Its `ImageEncoder::write_strip` is not used: in tiff 0.11 it
//! writes strips uncompressed whatever compression the tag declares (only
//! `write_data`, which needs the whole image, compresses).

use std::io::{Seek, Write};

use rayon::prelude::*;
use tiff::encoder::compression::{CompressionAlgorithm, Deflate, DeflateLevel, Lzw};
use tiff::encoder::{
    DirectoryEncoder, Rational, TiffEncoder, TiffKind, TiffKindBig, TiffKindStandard,
};
use tiff::tags::{
    CompressionMethod, ExtraSamples, PhotometricInterpretation, ResolutionUnit, SampleFormat, Tag,
    Type,
};

use super::stream::{for_each_strip_map, Channels, Piece, Samples};
use super::{ExportOptions, TiffCompression};
use crate::error::Error;
use crate::pattern::Pattern;
use crate::render::{Strip, View, STRIP_ROWS};

/// Rows per TIFF strip; divides [`STRIP_ROWS`] so TIFF strips never straddle
/// two rendered strips.
const TIFF_STRIP_ROWS: u32 = 32;
const _: () = assert!(STRIP_ROWS % TIFF_STRIP_ROWS == 0);

/// Room kept under the classic TIFF's 4 GiB for the directory and profile.
const CLASSIC_LIMIT: u64 = u32::MAX as u64 - (64 << 20);

fn internal(e: tiff::TiffError) -> Error {
    match e {
        tiff::TiffError::IoError(io) => Error::write("TIFF", io),
        other => Error::Internal(format!("writing TIFF: {other}")),
    }
}

/// Whether image data of `raw` bytes can exceed a classic TIFF under
/// `compression`: LZW (12-bit codes for 8-bit symbols) grows data by at most
/// 3/2, Deflate's stored blocks by a few bytes per 64 KiB.
pub fn needs_bigtiff(raw: u64, compression: TiffCompression) -> bool {
    let worst = match compression {
        TiffCompression::Lzw => raw / 2 * 3 + raw % 2 * 2,
        TiffCompression::Deflate => raw + raw / 1000 + 1024,
        TiffCompression::None => raw,
    };
    worst > CLASSIC_LIMIT
}

/// Writes `pattern` in `view` as TIFF.
pub fn write_tiff<W: Write + Seek>(
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &crate::effects::PixelStage,
    w: W,
) -> Result<(), Error> {
    let samples = Samples::new(pattern, opts, false)?;
    let raw = view.width as u64 * view.height as u64 * samples.bytes_per_pixel() as u64;
    if opts.bigtiff || needs_bigtiff(raw, opts.tiff_compression) {
        let enc = TiffEncoder::<W, TiffKindBig>::new_generic(w).map_err(internal)?;
        write_with(enc, samples, pattern, view, opts, stage, true)
    } else {
        let enc = TiffEncoder::<W, TiffKindStandard>::new_generic(w).map_err(internal)?;
        write_with(enc, samples, pattern, view, opts, stage, false)
    }
}

fn write_with<W: Write + Seek, K: TiffKind>(
    mut enc: TiffEncoder<W, K>,
    mut samples: Samples,
    pattern: &Pattern,
    view: &View,
    opts: &ExportOptions,
    stage: &crate::effects::PixelStage,
    big: bool,
) -> Result<(), Error> {
    let mut dir = enc.image_directory().map_err(internal)?;
    let spp = samples.channels.count();
    let sixteen = samples.sixteen;
    let samples_bytes = samples.bytes_per_pixel();
    let row_bytes = view.width as usize * samples_bytes;
    let strip_bytes = row_bytes * TIFF_STRIP_ROWS as usize;
    let compression = opts.tiff_compression;
    let mut offsets: Vec<u64> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    // Without a colour conversion a rendered strip is converted and its TIFF
    // strips compressed on the render thread that made it (as PNG does);
    // a conversion is stateful and runs here, on the writing thread.
    let direct = samples.direct();
    let encode = |buf: &mut [u8]| -> Result<Vec<Vec<u8>>, Error> {
        buf.par_chunks_mut(strip_bytes)
            .map(|chunk| compress(chunk, row_bytes, spp, sixteen, compression))
            .collect()
    };
    let map = |strip: &mut Strip| {
        Piece::of(direct, strip, |d, strip| {
            let mut buf = Vec::with_capacity(strip.data.len() / 4 * samples_bytes);
            d.encode(&strip.data, &mut buf);
            encode(&mut buf)
        })
    };
    let mut buf = Vec::new();
    for_each_strip_map(pattern, view, opts, stage, 2, map, |piece| {
        let encoded = match piece {
            Piece::Done(e) => e,
            Piece::Raw(strip) => {
                buf.clear();
                samples.encode(&strip.data, &mut buf);
                encode(&mut buf)?
            }
        };
        for data in encoded {
            let offset = dir.write_data(&data[..]).map_err(internal)?;
            offsets.push(offset);
            counts.push(data.len() as u64);
        }
        Ok(())
    })?;
    if !big
        && offsets
            .last()
            .zip(counts.last())
            .is_some_and(|(o, c)| o + c > u32::MAX as u64)
    {
        return Err(Error::Internal(
            "writing TIFF: the image data passed a classic TIFF's 4 GiB".into(),
        ));
    }
    write_tags(&mut dir, &samples, view, opts, (&offsets, &counts), big).map_err(internal)?;
    dir.finish().map_err(internal)
}

/// Predicts (horizontal differencing) and compresses one TIFF strip in place.
fn compress(
    chunk: &mut [u8],
    row_bytes: usize,
    spp: usize,
    sixteen: bool,
    compression: TiffCompression,
) -> Result<Vec<u8>, Error> {
    if compression == TiffCompression::None {
        return Ok(chunk.to_vec());
    }
    for row in chunk.chunks_exact_mut(row_bytes) {
        if sixteen {
            // Native-endian u16 samples, differenced right to left.
            let stride = spp * 2;
            for i in (stride..row.len()).step_by(2).rev() {
                let cur = u16::from_ne_bytes([row[i], row[i + 1]]);
                let left = u16::from_ne_bytes([row[i - stride], row[i - stride + 1]]);
                row[i..i + 2].copy_from_slice(&cur.wrapping_sub(left).to_ne_bytes());
            }
        } else {
            for i in (spp..row.len()).rev() {
                row[i] = row[i].wrapping_sub(row[i - spp]);
            }
        }
    }
    let mut out = Vec::with_capacity(chunk.len() / 8);
    match compression {
        TiffCompression::Deflate => {
            Deflate::with_level(DeflateLevel::Fast).write_to(&mut out, chunk)
        }
        TiffCompression::Lzw => Lzw.write_to(&mut out, chunk),
        TiffCompression::None => unreachable!("handled above"),
    }
    .map_err(|e| Error::Internal(format!("compressing a TIFF strip: {e}")))?;
    Ok(out)
}

fn write_tags<W: Write + Seek, K: TiffKind>(
    dir: &mut DirectoryEncoder<'_, W, K>,
    samples: &Samples,
    view: &View,
    opts: &ExportOptions,
    strips: (&[u64], &[u64]),
    big: bool,
) -> tiff::TiffResult<()> {
    let spp = samples.channels.count();
    let bits = if samples.sixteen { 16u16 } else { 8 };
    let cmyk = matches!(samples.channels, Channels::Cmyk | Channels::Cmyka);
    let (method, predictor) = match opts.tiff_compression {
        TiffCompression::Deflate => (CompressionMethod::Deflate, 2u16),
        TiffCompression::Lzw => (CompressionMethod::LZW, 2),
        TiffCompression::None => (CompressionMethod::None, 1),
    };
    let photometric = if cmyk {
        PhotometricInterpretation::CMYK
    } else {
        PhotometricInterpretation::RGB
    };
    dir.write_tag(Tag::ImageWidth, view.width)?;
    dir.write_tag(Tag::ImageLength, view.height)?;
    dir.write_tag(Tag::BitsPerSample, &vec![bits; spp][..])?;
    dir.write_tag(Tag::Compression, method.to_u16())?;
    dir.write_tag(Tag::PhotometricInterpretation, photometric.to_u16())?;
    dir.write_tag(Tag::SamplesPerPixel, spp as u16)?;
    dir.write_tag(Tag::RowsPerStrip, TIFF_STRIP_ROWS)?;
    dir.write_tag(Tag::PlanarConfiguration, 1u16)?;
    dir.write_tag(Tag::Predictor, predictor)?;
    dir.write_tag(
        Tag::SampleFormat,
        &vec![SampleFormat::Uint.to_u16(); spp][..],
    )?;
    if samples.channels.has_alpha() {
        dir.write_tag(Tag::ExtraSamples, ExtraSamples::UnassociatedAlpha.to_u16())?;
    }
    if cmyk {
        // InkSet 1: the four process inks, in CMYK order.
        dir.write_tag(Tag::Unknown(332), 1u16)?;
    }
    let dpi = rational(opts.dpi.get());
    dir.write_tag(Tag::XResolution, dpi.clone())?;
    dir.write_tag(Tag::YResolution, dpi)?;
    dir.write_tag(Tag::ResolutionUnit, ResolutionUnit::Inch.to_u16())?;
    dir.write_tag(Tag::Software, "wastra")?;
    if let Some(p) = &opts.icc {
        // ICC profiles are UNDEFINED bytes (libtiff insists), not BYTE.
        let entry = dir.write_entry_bytes(Type::UNDEFINED, p.bytes())?;
        let mut extra = tiff::Directory::empty();
        extra.extend([(Tag::IccProfile, entry)]);
        dir.extend_from(&extra);
    }
    let (offsets, counts) = strips;
    if big {
        dir.write_tag(Tag::StripOffsets, offsets)?;
        dir.write_tag(Tag::StripByteCounts, counts)?;
    } else {
        let narrow = |v: &[u64]| -> Vec<u32> {
            // write_with only chooses classic TIFF when every offset fits.
            v.iter()
                .map(|&x| u32::try_from(x).unwrap_or(u32::MAX))
                .collect()
        };
        dir.write_tag(Tag::StripOffsets, &narrow(offsets)[..])?;
        dir.write_tag(Tag::StripByteCounts, &narrow(counts)[..])?;
    }
    Ok(())
}

/// `dpi` as a TIFF rational, exact to 1/1000 dpi.
fn rational(dpi: f64) -> Rational {
    let r = (dpi * 1000.0).round();
    if dpi.fract() == 0.0 && dpi <= u32::MAX as f64 {
        Rational {
            n: dpi as u32,
            d: 1,
        }
    } else if r <= u32::MAX as f64 {
        Rational {
            n: r as u32,
            d: 1000,
        }
    } else {
        Rational {
            n: dpi.round().min(u32::MAX as f64) as u32,
            d: 1,
        }
    }
}
