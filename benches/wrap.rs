//! The 2 m × 1 m vehicle wrap at 300 dpi (23622 × 11811 px, 279 Mpix):
//! wastra rendering and encoding the PNG, against the png crate's encoder
//! alone writing the same pixels from memory (RGB, its fast compression, one
//! thread, as the crate does). Both write to a sink.
//!
//! `cargo bench --bench wrap`; each sample takes seconds and the pixels held
//! for the encoder-only case take 1.1 GB. Peak memory of the real command is
//! measured from outside (benches/README.md).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wastra::effects::PixelStage;
use wastra::export::{png as wpng, ExportOptions};
use wastra::render::{render_image, RenderOptions, View};
use wastra::Design;

const W: u32 = 23622;
const H: u32 = 11811;

fn wrap(c: &mut Criterion) {
    let p = Design::builtin("kawung").unwrap().resolve().unwrap();
    let view = View::at_dpi(&p, W, H, 300.0);
    let mut g = c.benchmark_group("wrap");
    g.sample_size(10);
    g.throughput(Throughput::Elements(W as u64 * H as u64));
    g.bench_function("wastra-render-and-png", |b| {
        b.iter(|| {
            wpng::write_png(
                &p,
                &view,
                &ExportOptions::default(),
                &PixelStage::default(),
                std::io::sink(),
            )
            .unwrap()
        })
    });
    let rgba = render_image(&p, &view, &RenderOptions::default()).unwrap();
    let rgb: Vec<u8> = rgba
        .as_raw()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    drop(rgba);
    g.bench_function("png-crate-encode-only", |b| {
        b.iter(|| {
            let mut e = png::Encoder::new(std::io::sink(), W, H);
            e.set_color(png::ColorType::Rgb);
            e.set_compression(png::Compression::Fast);
            let mut w = e.write_header().unwrap();
            let mut s = w.stream_writer_with_size(1 << 20).unwrap();
            for rows in rgb.chunks(W as usize * 3 * 256) {
                std::io::Write::write_all(&mut s, rows).unwrap();
            }
            s.finish().unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, wrap);
criterion_main!(benches);
