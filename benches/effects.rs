//! Cost of the textile effects against the plain render at the same size.
//!
//! `cargo bench --bench effects`: compare each `effects/NAME` with
//! `effects/plain` (kawung, 1024 × 1024 px at 300 dpi, 2 threads). The crack
//! network is grown inside the measured time, as it is once per render.

use criterion::{criterion_group, criterion_main, Criterion};
use wastra::effects::{render_image, Effects, Frame};
use wastra::render::{RenderOptions, View};
use wastra::Design;

fn bench(c: &mut Criterion) {
    let pattern = Design::builtin("kawung").unwrap().resolve().unwrap();
    let opts = RenderOptions::with_threads(2);
    let mut g = c.benchmark_group("effects");
    g.sample_size(10);
    let cases: [(&str, &[&str], Option<&str>); 8] = [
        ("plain", &[], None),
        ("crackle", &["crackle"], None),
        ("ikat", &["ikat"], None),
        ("weave", &["weave"], None),
        ("songket", &["weave:metal=#D4A537"], None),
        ("dye", &["dye"], None),
        ("tulis", &[], Some("tulis")),
        ("cap", &[], Some("cap")),
    ];
    for (name, specs, finish) in cases {
        let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
        let fx = Effects::parse(&specs, finish, 1).unwrap();
        g.bench_function(name, |b| {
            b.iter(|| {
                let p = fx.apply_geometry(&pattern);
                let view = View::at_dpi(&p, 1024, 1024, 300.0);
                let stage = fx
                    .pixel_stage(&p, &view, &Frame::at_dpi(300.0), &opts)
                    .unwrap();
                render_image(&p, &view, &opts, &stage).unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
