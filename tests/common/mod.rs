//! Shared test helpers: reference images and the CLI.
//!
//! Reference images live in `tests/reference/NAME.png`. A render matches when
//! every channel of every pixel is within 1 of the reference. On a mismatch a
//! three-panel image (reference | actual | differences in red) is written to
//! `tests/diffs/NAME.png`. References are (re)written only when the
//! environment variable `WASTRA_BLESS=1` is set.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use image::{Rgba, RgbaImage};

/// Per-channel tolerance of reference comparisons.
pub const TOLERANCE: u8 = 1;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether references are being regenerated.
pub fn blessing() -> bool {
    std::env::var("WASTRA_BLESS").is_ok_and(|v| v == "1")
}

/// Compares `actual` with `tests/reference/{name}.png` (name may contain `/`).
pub fn assert_reference(name: &str, actual: &RgbaImage) {
    let path = root().join("tests/reference").join(format!("{name}.png"));
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        actual.save(&path).unwrap();
        eprintln!("blessed {}", path.display());
        return;
    }
    let expected = image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "reference {} unreadable ({e}); run with WASTRA_BLESS=1 to create it",
                path.display()
            )
        })
        .to_rgba8();
    if let Some(msg) = compare(&expected, actual, TOLERANCE) {
        let diff = root().join("tests/diffs").join(format!("{name}.png"));
        std::fs::create_dir_all(diff.parent().unwrap()).unwrap();
        three_panel(&expected, actual).save(&diff).unwrap();
        panic!("{name}: {msg}; diff image written to {}", diff.display());
    }
}

/// `None` when the images are within `tol` per channel, else a description.
pub fn compare(expected: &RgbaImage, actual: &RgbaImage, tol: u8) -> Option<String> {
    if expected.dimensions() != actual.dimensions() {
        return Some(format!(
            "size {:?} differs from reference {:?}",
            actual.dimensions(),
            expected.dimensions()
        ));
    }
    let mut bad = 0usize;
    let mut worst = 0u8;
    for (a, b) in expected.pixels().zip(actual.pixels()) {
        let d =
            a.0.iter()
                .zip(b.0.iter())
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap();
        worst = worst.max(d);
        if d > tol {
            bad += 1;
        }
    }
    (bad > 0).then(|| format!("{bad} pixels differ by more than {tol} (worst {worst})"))
}

/// Reference | actual | differences (red, brighter = larger).
pub fn three_panel(expected: &RgbaImage, actual: &RgbaImage) -> RgbaImage {
    let (w, h) = (
        expected.width().max(actual.width()),
        expected.height().max(actual.height()),
    );
    let mut out = RgbaImage::from_pixel(w * 3, h, Rgba([255, 255, 255, 255]));
    image::imageops::overlay(&mut out, expected, 0, 0);
    image::imageops::overlay(&mut out, actual, w as i64, 0);
    for y in 0..h.min(expected.height()).min(actual.height()) {
        for x in 0..w.min(expected.width()).min(actual.width()) {
            let (a, b) = (expected.get_pixel(x, y), actual.get_pixel(x, y));
            let d =
                a.0.iter()
                    .zip(b.0.iter())
                    .map(|(p, q)| p.abs_diff(*q))
                    .max()
                    .unwrap();
            let v = if d > TOLERANCE {
                128u8.saturating_add(d)
            } else {
                0
            };
            out.put_pixel(2 * w + x, y, Rgba([v, 0, 0, 255]));
        }
    }
    out
}

/// Runs the `wastra` binary.
pub fn wastra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wastra"))
        .args(args)
        .output()
        .expect("run wastra")
}

/// Runs `wastra` and asserts success.
pub fn wastra_ok(args: &[&str]) -> Output {
    let out = wastra(args);
    assert!(
        out.status.success(),
        "wastra {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Reads the pHYs chunk of a PNG by walking its chunks (no PNG library), as
/// pixels per metre and unit.
pub fn png_phys(path: &Path) -> Option<(u32, u32, u8)> {
    let b = std::fs::read(path).ok()?;
    let mut i = 8;
    while i + 8 <= b.len() {
        let len = u32::from_be_bytes(b[i..i + 4].try_into().ok()?) as usize;
        let kind = &b[i + 4..i + 8];
        if kind == b"pHYs" {
            let d = &b[i + 8..i + 8 + 9];
            return Some((
                u32::from_be_bytes(d[0..4].try_into().ok()?),
                u32::from_be_bytes(d[4..8].try_into().ok()?),
                d[8],
            ));
        }
        i += 12 + len;
    }
    None
}
