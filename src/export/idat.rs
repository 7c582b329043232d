//! PNG image data compressed on every core.
//!
//! A PNG's pixels are one zlib stream. Its deflate data may be cut anywhere a
//! block ends on a byte boundary, which a *sync flush* guarantees: so each
//! band of rows is filtered and deflated on its own (in parallel), ending with
//! a sync flush, and the bands are concatenated in order behind one zlib
//! header; an empty final block and the Adler-32 of all filtered bytes close
//! the stream. This is how pigz parallelises gzip. Each band starts without
//! the previous band's 32 KiB history, which costs well under 1 % of size on
//! bands of 64 rows or more.
//!
//! Filtering needs each row's predecessor, which the caller passes across
//! bands and strips. At the fast level rows are left unfiltered (see
//! [`compress_rows`]); otherwise each row gets the filter with the smallest sum
//! of absolute values among None, Sub, Up and Paeth (the heuristic the PNG
//! specification recommends; Average rarely wins on flat art).
//!
//! Rejected: the png crate's own stream writer (one thread: at 8192² px it
//! took twice as long as rendering), and fdeflate (fastest on one core but
//! one block per stream, so it cannot be cut, and 14× larger on batik than
//! zlib level 1, whose files RIPs and viewers then load faster).

use flate2::{Compress, Compression, FlushCompress, Status};
use rayon::prelude::*;

use crate::error::Error;

/// Rows per independently compressed band.
pub const BAND_ROWS: usize = 64;

/// Deflate effort, from the file's compression choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level(pub u32);

impl Level {
    /// The zlib header for this level (CMF 0x78: deflate, 32 KiB window).
    pub fn zlib_header(self) -> [u8; 2] {
        match self.0 {
            0..=1 => [0x78, 0x01],
            2..=5 => [0x78, 0x5E],
            6 => [0x78, 0x9C],
            _ => [0x78, 0xDA],
        }
    }
}

/// An empty final fixed-Huffman block: ends the deflate stream.
pub const FINAL_BLOCK: [u8; 2] = [0x03, 0x00];

/// One band, filtered and deflated.
pub struct Band {
    /// Adler-32 of the filtered bytes (a filter-type byte, then the row).
    pub adler: u32,
    /// Number of filtered bytes.
    pub len: u64,
    /// Raw deflate data ending in a sync flush.
    pub deflated: Vec<u8>,
}

/// The Adler-32 of a stream, assembled from its bands' in order.
#[derive(Debug, Clone, Copy)]
pub struct Checksum(u32);

impl Default for Checksum {
    fn default() -> Self {
        Checksum(1)
    }
}

impl Checksum {
    /// Appends `band`'s bytes to the checksummed stream.
    pub fn add(&mut self, band: &Band) {
        self.0 = zlib_rs::adler32::adler32_combine(self.0, band.adler, band.len);
    }
    /// The checksum as the zlib stream stores it.
    pub fn to_be_bytes(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }
}

/// Converts one row of the input into the file's samples, appending them.
pub type ToSamples<'a> = &'a (dyn Fn(&[u8], &mut Vec<u8>) + Sync);

/// Converts, filters and deflates `input` (rows `in_row` bytes long, turned
/// into `bpp`-byte samples by `to_samples`) in bands on the current rayon
/// pool; `above` is the sample row above the first (zeros for the image's
/// first row), or `None` to filter the first row of *every* band without the
/// row above it (None or Sub only). Independent bands make the file the same
/// however the image was cut into strips (a multiple of [`BAND_ROWS`] rows
/// each), and cost one row in 64 the choice of Up or Paeth. Fast levels (1–3) store rows unfiltered: on flat batik art
/// deflate's matches already find the repeats (at 2048² px Kawung, unfiltered
/// rows deflate 10 % smaller than Up or Sub, and with crackle and dye 8 %
/// smaller), and a filter pass costs as much as deflate itself; slower levels
/// pick a filter per row.
pub fn compress_rows(
    input: &[u8],
    in_row: usize,
    above: Option<&[u8]>,
    bpp: usize,
    level: Level,
    to_samples: ToSamples<'_>,
) -> Result<Vec<Band>, Error> {
    let band_bytes = in_row * BAND_ROWS;
    input
        .par_chunks(band_bytes)
        .enumerate()
        // A compressor and a row buffer per worker, reused band after band:
        // fresh ones cost a page-faulted allocation and zeroed tables each.
        .map_init(
            || (Vec::new(), Compress::new(Compression::new(level.0), false)),
            |(filtered, c), (i, band)| {
                filtered.clear();
                if level.0 <= 3 {
                    for row in band.chunks_exact(in_row) {
                        filtered.push(0);
                        to_samples(row, filtered);
                    }
                } else {
                    let mut prev = Vec::new();
                    let prev = match (i, above) {
                        (_, None) => None,
                        (0, above) => above,
                        _ => {
                            to_samples(&input[i * band_bytes - in_row..i * band_bytes], &mut prev);
                            Some(&prev[..])
                        }
                    };
                    let mut rows = Vec::with_capacity(band.len());
                    for row in band.chunks_exact(in_row) {
                        to_samples(row, &mut rows);
                    }
                    let row_bytes = rows.len() / (band.len() / in_row);
                    filter_band(&rows, prev, row_bytes, bpp, filtered);
                }
                c.reset();
                let deflated = deflate(c, filtered)?;
                Ok(Band {
                    adler: zlib_rs::adler32::adler32(1, filtered),
                    len: filtered.len() as u64,
                    deflated,
                })
            },
        )
        .collect()
}

/// `data` deflated by `c` (fresh or reset), ending with a sync flush.
fn deflate(c: &mut Compress, data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    loop {
        let consumed = c.total_in() as usize;
        let status = c
            .compress_vec(&data[consumed..], &mut out, FlushCompress::Sync)
            .map_err(|e| Error::Internal(format!("deflate: {e}")))?;
        // Done once all input is in and the flush fitted with room to spare;
        // otherwise the output was full: grow it and go on.
        if c.total_in() as usize == data.len() && status == Status::Ok && out.len() < out.capacity()
        {
            return Ok(out);
        }
        out.reserve(out.capacity().max(4096));
    }
}

/// Each row of `band` with its best filter, as PNG stores it; without the
/// row `above`, the first row may only use None or Sub.
fn filter_band(band: &[u8], above: Option<&[u8]>, row_bytes: usize, bpp: usize, out: &mut Vec<u8>) {
    out.reserve(band.len() + band.len() / row_bytes);
    let (mut sub, mut up, mut paeth) = (
        vec![0u8; row_bytes],
        vec![0u8; row_bytes],
        vec![0u8; row_bytes],
    );
    let mut prev = above;
    for row in band.chunks_exact(row_bytes) {
        filter_sub(row, bpp, &mut sub);
        let mut choices = vec![(0u8, row), (1, &sub[..])];
        if let Some(prev) = prev {
            filter_up(row, prev, &mut up);
            filter_paeth(row, prev, bpp, &mut paeth);
            choices.extend([(2, &up[..]), (4, &paeth[..])]);
        }
        let (kind, best) = choices
            .into_iter()
            .min_by_key(|(_, f)| cost(f))
            .expect("None is always a choice");
        out.push(kind);
        out.extend_from_slice(best);
        prev = Some(row);
    }
}

/// The PNG heuristic: sum of the filtered bytes read as signed.
fn cost(f: &[u8]) -> u64 {
    f.iter().map(|&b| (b as i8).unsigned_abs() as u64).sum()
}

fn filter_sub(row: &[u8], bpp: usize, out: &mut [u8]) {
    out[..bpp].copy_from_slice(&row[..bpp]);
    for i in bpp..row.len() {
        out[i] = row[i].wrapping_sub(row[i - bpp]);
    }
}

fn filter_up(row: &[u8], above: &[u8], out: &mut [u8]) {
    for ((o, &r), &a) in out.iter_mut().zip(row).zip(above) {
        *o = r.wrapping_sub(a);
    }
}

fn filter_paeth(row: &[u8], above: &[u8], bpp: usize, out: &mut [u8]) {
    for i in 0..row.len() {
        let (a, c) = if i >= bpp {
            (row[i - bpp], above[i - bpp])
        } else {
            (0, 0)
        };
        out[i] = row[i].wrapping_sub(paeth(a, above[i], c));
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (a as i16, b as i16, c as i16);
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Bands concatenated behind one header are one zlib stream with a right
    /// checksum; the png crate's decoder then recovers the pixels.
    #[test]
    fn concatenated_bands_are_one_valid_zlib_stream() {
        let (w, h, bpp) = (37usize, 150usize, 3usize);
        let pixels: Vec<u8> = (0..w * h * bpp)
            .map(|i| ((i * 7919) % 251) as u8 / 8 * 8)
            .collect();
        for level in [Level(1), Level(6)] {
            let copy = |row: &[u8], out: &mut Vec<u8>| out.extend_from_slice(row);
            let bands = compress_rows(&pixels, w * bpp, None, bpp, level, &copy).unwrap();
            assert_eq!(bands.len(), h.div_ceil(BAND_ROWS));
            let mut stream = level.zlib_header().to_vec();
            let mut adler = Checksum::default();
            for b in &bands {
                stream.extend_from_slice(&b.deflated);
                adler.add(b);
            }
            stream.extend_from_slice(&FINAL_BLOCK);
            stream.extend_from_slice(&adler.to_be_bytes());
            // zlib verifies the Adler-32 as it inflates.
            let mut inflated = Vec::new();
            flate2::read::ZlibDecoder::new(&stream[..])
                .read_to_end(&mut inflated)
                .unwrap();
            assert_eq!(inflated.len(), h * (1 + w * bpp));
            // Unfilter with the png crate by wrapping the stream as a PNG.
            let mut png = Vec::new();
            {
                let mut e = png::Encoder::new(&mut png, w as u32, h as u32);
                e.set_color(png::ColorType::Rgb);
                let mut wr = e.write_header().unwrap();
                wr.write_chunk(png::chunk::IDAT, &stream).unwrap();
                wr.finish().unwrap();
            }
            let mut dec = png::Decoder::new(std::io::Cursor::new(png))
                .read_info()
                .unwrap();
            let mut buf = vec![0; dec.output_buffer_size().unwrap()];
            dec.next_frame(&mut buf).unwrap();
            assert_eq!(buf, pixels, "level {}", level.0);
        }
    }

    #[test]
    fn paeth_picks_the_nearest_neighbour() {
        assert_eq!(paeth(10, 20, 10), 20);
        assert_eq!(paeth(20, 10, 10), 20);
        assert_eq!(paeth(5, 5, 5), 5);
    }
}
