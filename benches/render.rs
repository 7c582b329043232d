//! Throughput of the renderer and the exporters.
//!
//! - `raster/MOTIF/SIDE`: every built-in motif rendered at 1024², 4096² and
//!   16384² px at 300 dpi, strips dropped as they come (Mpix/s; linear
//!   scaling shows as equal throughput across sizes).
//! - `threads/N`: a 4096² Kawung PNG, rendered and encoded in process, on 1
//!   and 2 threads.
//! - `encode/FORMAT`: exporting a 4096² Kawung, whose render is a copy of one
//!   period, so the figure is the encoder's; `encode/png-pixels` encodes
//!   pixels already in memory.
//! - `cli/...`: the `wastra` binary end to end, process start included.
//!
//! `cargo bench --bench render`; the CI smoke run (`-- --test`) executes
//! each benchmark once. Method and results: benches/README.md.

use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use wastra::effects::PixelStage;
use wastra::export::{jpeg, png, tiff, ExportOptions, TiffCompression};
use wastra::motif::registry::Library;
use wastra::render::{render_image, render_strips, RenderOptions, View};
use wastra::Design;

fn raster(c: &mut Criterion) {
    let mut g = c.benchmark_group("raster");
    g.sample_size(10);
    let opts = RenderOptions::with_threads(2);
    for motif in Library::builtin().motifs() {
        let p = Design::new(motif.clone()).resolve().unwrap();
        for side in [1024u32, 4096, 16384] {
            let view = View::at_dpi(&p, side, side, 300.0);
            g.throughput(Throughput::Elements(side as u64 * side as u64));
            g.bench_with_input(BenchmarkId::new(motif.name(), side), &view, |b, v| {
                b.iter(|| {
                    render_strips(&p, v, &opts, |s| {
                        std::hint::black_box(s.data.len());
                        Ok(())
                    })
                })
            });
        }
    }
    g.finish();
}

fn kawung() -> wastra::Pattern {
    Design::builtin("kawung").unwrap().resolve().unwrap()
}

fn threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("threads");
    g.sample_size(10);
    let p = kawung();
    let view = View::at_dpi(&p, 4096, 4096, 300.0);
    g.throughput(Throughput::Elements(4096 * 4096));
    for n in [1usize, 2] {
        let mut opts = ExportOptions::default();
        opts.render = RenderOptions::with_threads(n);
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                png::write_png(&p, &view, &opts, &PixelStage::default(), std::io::sink()).unwrap()
            })
        });
    }
    g.finish();
}

fn encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("encode");
    g.sample_size(10);
    let p = kawung();
    let side = 4096;
    let view = View::at_dpi(&p, side, side, 300.0);
    let stage = PixelStage::default();
    g.throughput(Throughput::Elements(side as u64 * side as u64));
    let formats: [(&str, ExportOptions); 6] = [
        ("png-fast", ExportOptions::default()),
        (
            "png-balanced",
            with(|o| o.compression = "balanced".parse().unwrap()),
        ),
        (
            "png-best",
            with(|o| o.compression = "best".parse().unwrap()),
        ),
        ("tiff-deflate", ExportOptions::default()),
        (
            "tiff-lzw",
            with(|o| o.tiff_compression = TiffCompression::Lzw),
        ),
        ("jpeg", ExportOptions::default()),
    ];
    for (name, opts) in &formats {
        g.bench_function(*name, |b| {
            b.iter(|| {
                let mut out = Vec::new();
                match *name {
                    n if n.starts_with("png") => png::write_png(&p, &view, opts, &stage, &mut out),
                    n if n.starts_with("tiff") => {
                        tiff::write_tiff(&p, &view, opts, &stage, std::io::Cursor::new(&mut out))
                    }
                    _ => jpeg::write_jpeg(&p, &view, opts, &stage, &mut out),
                }
                .unwrap();
                out.len()
            })
        });
    }
    let img = render_image(&p, &view, &RenderOptions::default()).unwrap();
    g.bench_function("png-pixels", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            png::write_png_image(&img, &ExportOptions::default(), &mut out).unwrap();
            out.len()
        })
    });
    g.finish();
}

fn with(f: impl FnOnce(&mut ExportOptions)) -> ExportOptions {
    let mut o = ExportOptions::default();
    f(&mut o);
    o
}

fn cli(c: &mut Criterion) {
    let mut g = c.benchmark_group("cli");
    g.sample_size(10);
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let cases: [(&str, Vec<String>); 4] = [
        ("kawung-2048-png", args("kawung", 2048, &out("k.png"), &[])),
        ("parang-2048-tif", args("parang", 2048, &out("p.tif"), &[])),
        ("kawung-2048-svg", args("kawung", 2048, &out("k.svg"), &[])),
        (
            "kawung-2048-crackle-png",
            args("kawung", 2048, &out("c.png"), &["--effect", "crackle"]),
        ),
    ];
    for (name, a) in &cases {
        g.bench_function(*name, |b| {
            b.iter(|| {
                let s = Command::new(env!("CARGO_BIN_EXE_wastra"))
                    .args(a)
                    .status()
                    .unwrap();
                assert!(s.success());
            })
        });
    }
    g.finish();
}

fn args(motif: &str, side: u32, out: &str, extra: &[&str]) -> Vec<String> {
    let side = side.to_string();
    let mut a: Vec<String> = ["render", motif, "-q", "-o", out, "--width", &side]
        .iter()
        .map(|s| s.to_string())
        .collect();
    a.extend(["--height", &side, "--dpi", "300"].map(String::from));
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

criterion_group!(benches, raster, threads, encode, cli);
criterion_main!(benches);
