//! A motif file that loads must resolve and render: tiny raster renders (tiled
//! and reference, which must agree byte for byte) and the SVG document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wastra::render::{render_image, render_reference, RenderOptions, View};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(design) = wastra::Design::from_toml(text) else {
        return;
    };
    let Ok(pattern) = design.resolve() else {
        return;
    };
    // About 12 px per cell on a 40 × 28 image: every shape, several cells.
    let l = pattern.lattice;
    let diag = (l.a.hypot() + l.b.hypot()).max(1e-300);
    let view = View::new(40, 28, kurbo::Affine::scale(24.0 / diag));
    let tiled = render_image(&pattern, &view, &RenderOptions::with_threads(1));
    let reference = render_reference(&pattern, &view);
    match (tiled, reference) {
        (Ok(a), Ok(b)) => assert!(a == b, "tiled render differs from the reference"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("tiled {:?} but reference {:?}", a.err(), b.err()),
    }
    let _ = wastra::export::svg::document(&pattern, &view, wastra::geom::Dpi::default(), None);
});
