//! Cost of the textile effects against the plain render at the same size.
//!
//! `cargo bench --bench effects`, three groups:
//!
//! - `effects/NAME`: a whole render (kawung, 1024 × 1024 px at 300 dpi, 2
//!   threads) with the effect, to compare with `effects/plain` (the repeat
//!   copied, as effects start from it) and `effects/plain-drawn` (every
//!   repeat drawn, as for a pattern that is not periodic in whole pixels). Per-render
//!   set-up (the crack network is grown once per render) is inside the
//!   measured time, as it is in the CLI.
//! - `effects-4096/NAME`: the same at 4096 × 4096 px, where per-pixel costs
//!   dominate and the fixed set-up weighs less than at 1024².
//! - `effects-pixel/NAME`: only the effect's own pixel work, one thread, on one
//!   strip-sized region (1024 × 256 px plus the effect's margin) of the plain
//!   render; criterion's throughput (elements = output pixels) gives ns per
//!   pixel. Geometry finishes (tulis, cap) have no pixel work; their `dye`
//!   half is `dye` here.
//!
//! The machine these run on may be shared: compare ratios measured in one run,
//! not absolute times across runs. Sample counts are criterion's minimum.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use wastra::effects::{render_image, Effects, Frame, PixelStage, Region};
use wastra::pattern::Pattern;
use wastra::render::{render_region, PixelRect, RenderOptions, View};
use wastra::Design;

const CASES: [(&str, &[&str], Option<&str>); 8] = [
    ("plain", &[], None),
    ("crackle", &["crackle"], None),
    ("ikat", &["ikat"], None),
    ("weave", &["weave"], None),
    ("songket", &["weave:metal=#D4A537"], None),
    ("dye", &["dye"], None),
    ("tulis", &[], Some("tulis")),
    ("cap", &[], Some("cap")),
];

fn effects(specs: &[&str], finish: Option<&str>) -> Effects {
    let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    Effects::parse(&specs, finish, 1).unwrap()
}

fn whole(c: &mut Criterion, group: &str, side: u32, pattern: &Pattern) {
    let opts = RenderOptions::with_threads(2);
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    // The plain render with the repeat left at its exact, fractional size,
    // which is drawn rather than copied: the cost of drawing the pattern, for
    // comparison with the copied `plain`, which effects start from.
    g.bench_function("plain-drawn", |b| {
        b.iter(|| {
            let view = View::at_dpi_exact(pattern, side, side, 300.0);
            wastra::render::render_image(pattern, &view, &opts).unwrap()
        })
    });
    for (name, specs, finish) in CASES {
        let fx = effects(specs, finish);
        g.bench_function(name, |b| {
            b.iter(|| {
                let p = fx.apply_geometry(pattern);
                let view = View::at_dpi(&p, side, side, 300.0);
                let stage = fx
                    .pixel_stage(&p, &view, &Frame::at_dpi(300.0), &opts)
                    .unwrap();
                render_image(&p, &view, &opts, &stage).unwrap()
            })
        });
    }
    g.finish();
}

fn pixel(c: &mut Criterion, pattern: &Pattern) {
    let opts = RenderOptions::with_threads(1);
    let (w, h) = (1024u32, 256u32);
    let mut g = c.benchmark_group("effects-pixel");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(w as u64 * h as u64));
    for (name, specs, _) in CASES {
        if specs.is_empty() {
            continue;
        }
        let fx = effects(specs, None);
        g.bench_function(name, |b| {
            // Set-up inside the closure, so a filtered run does not grow cracks
            // for effects it does not measure.
            let (stage, region) = prepare(pattern, &fx, &opts, w, h);
            b.iter_batched_ref(|| region.clone(), |r| stage.apply(r), BatchSize::LargeInput)
        });
    }
    g.finish();
}

/// The pixel stage of `fx` for a 4096² render, and an interior `w × h` region
/// of the plain render with the stage's margin around it.
fn prepare(
    pattern: &Pattern,
    fx: &Effects,
    opts: &RenderOptions,
    w: u32,
    h: u32,
) -> (PixelStage, Region) {
    let view = View::at_dpi(pattern, 4096, 4096, 300.0);
    let stage = fx
        .pixel_stage(pattern, &view, &Frame::at_dpi(300.0), opts)
        .unwrap();
    // Grow the cracks now, not in the first measured iteration.
    stage.prepare();
    let (mx, my) = stage.margin();
    // An interior strip, so the region and its margin are inside the image.
    let rect = PixelRect {
        x: 512 - mx as i64,
        y: 1024 - my as i64,
        w: w + 2 * mx,
        h: h + 2 * my,
    };
    let mut data = vec![0u8; rect.w as usize * rect.h as usize * 4];
    render_region(pattern, &view, rect, &mut data, rect.w as usize * 4).unwrap();
    let region = Region {
        x: rect.x,
        y: rect.y,
        w: rect.w as usize,
        h: rect.h as usize,
        data,
    };
    (stage, region)
}

fn bench(c: &mut Criterion) {
    let pattern = Design::builtin("kawung").unwrap().resolve().unwrap();
    whole(c, "effects", 1024, &pattern);
    whole(c, "effects-4096", 4096, &pattern);
    pixel(c, &pattern);
}

criterion_group!(benches, bench);
criterion_main!(benches);
