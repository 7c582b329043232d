//! Raster throughput of the strip renderer, in pixels per second.
//!
//! Sizes are kept to what a 2-core machine measures in seconds; the CI smoke
//! run (`cargo bench -- --test`) executes each benchmark once.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use wastra::render::{render_strips, RenderOptions, View};
use wastra::Design;

fn raster(c: &mut Criterion) {
    let mut g = c.benchmark_group("raster");
    g.sample_size(10);
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    for side in [1024u32, 4096] {
        let view = View::at_dpi(&p, side, side, 300.0);
        g.throughput(Throughput::Elements(side as u64 * side as u64));
        for threads in [1usize, 2] {
            g.bench_with_input(
                BenchmarkId::new(format!("kawung/{threads}t"), side),
                &view,
                |b, v| {
                    b.iter(|| {
                        render_strips(&p, v, &RenderOptions::with_threads(threads), |s| {
                            std::hint::black_box(s.data.len());
                            Ok(())
                        })
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, raster);
criterion_main!(benches);
