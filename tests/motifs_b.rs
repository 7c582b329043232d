//! The motifs of issue 3 part B (parang, lereng, truntum, ceplok, ikat wajik,
//! songket, sumba, sido mukti) and the gallery: reference images, presets,
//! `info --json` round trips, the court sizes of parang, the contact sheet.

mod common;

use std::collections::HashSet;

use wastra::gallery::{builtin_gallery, GalleryOptions, INK, PAPER};
use wastra::motif::registry::Library;
use wastra::Design;

/// (motif, width, height, dpi): about two repeats in a small image.
const REFERENCES: &[(&str, u32, u32, f64)] = &[
    ("parang", 240, 240, 50.0),
    ("lereng", 200, 200, 80.0),
    ("truntum", 200, 200, 100.0),
    ("ceplok-grompol", 220, 220, 56.0),
    ("ceplok-bintang", 200, 200, 64.0),
    ("ikat-wajik", 200, 240, 40.0),
    ("songket", 220, 220, 56.0),
    ("sumba", 240, 320, 25.0),
    ("sido-mukti", 240, 240, 50.0),
];

fn motifs() -> impl Iterator<Item = &'static str> {
    REFERENCES.iter().map(|r| r.0)
}

fn source(name: &str) -> toml::Table {
    let path = format!("{}/motifs/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap().parse().unwrap()
}

fn distinct(img: &image::RgbaImage) -> usize {
    img.pixels().map(|p| p.0).collect::<HashSet<_>>().len()
}

#[test]
fn each_motif_matches_its_reference_image() {
    for &(name, w, h, dpi) in REFERENCES {
        let img = Design::builtin(name).unwrap().render_px(w, h, dpi).unwrap();
        common::assert_reference(&format!("motifs-b/{name}"), &img);
    }
}

#[test]
fn parang_klitik_in_indigo_matches_its_reference_image() {
    let img = Design::builtin("parang")
        .unwrap()
        .preset("klitik")
        .unwrap()
        .set("sawut", "none")
        .unwrap()
        .palette("indigo")
        .render_px(200, 200, 100.0)
        .unwrap();
    common::assert_reference("motifs-b/parang-klitik-indigo", &img);
}

#[test]
fn every_preset_renders_every_colour_role() {
    for name in motifs() {
        let d = Design::builtin(name).unwrap();
        let presets: Vec<String> = d.motif().file().presets.keys().cloned().collect();
        assert!(!presets.is_empty(), "{name} has no presets");
        let roles = d.motif().file().colors.roles.len();
        for p in &presets {
            let img = d
                .clone()
                .preset(p)
                .unwrap()
                .render_px(160, 160, 30.0)
                .unwrap();
            // Anti-aliasing adds mixtures; every role (some share a colour) shows at least.
            let n = distinct(&img);
            assert!(n >= roles.min(3), "{name} --preset {p}: only {n} colours");
        }
    }
}

#[test]
fn parang_presets_follow_the_yogyakarta_court_sizes() {
    let m = Library::builtin().motif("parang").unwrap();
    let repeat = |p: &str| {
        m.values(Some(p), &[])
            .unwrap()
            .get("repeat")
            .unwrap()
            .to_json()
            .as_f64()
            .unwrap()
    };
    assert!(repeat("rusak-barong") > 100.0);
    assert!((100.0..=120.0).contains(&repeat("barong")));
    assert!((75.0..=85.0).contains(&repeat("gendreh")));
    assert!(repeat("klitik") <= 40.0);
    let out = common::wastra_ok(&["info", "parang"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "rusak-barong",
        "[repeat 140 mm]",
        "[repeat 110 mm]",
        "[repeat 80 mm]",
        "[repeat 35 mm]",
    ] {
        assert!(text.contains(line), "info parang lacks {line}:\n{text}");
    }
}

#[test]
fn parang_bands_run_at_45_degrees_with_p2_symmetry() {
    let p = Design::builtin("parang").unwrap().resolve().unwrap();
    // One lattice vector along the band (45°), the other across to the next band.
    let (a, b) = (p.lattice.a, p.lattice.b);
    assert!((b.y.atan2(b.x).to_degrees() - 45.0).abs() < 1e-9);
    // The band pitch across the bands is one drawing unit = `repeat` mm.
    let normal = kurbo::Vec2::new(-1.0, 1.0) / 2f64.sqrt();
    assert!((a.dot(normal).abs() - 1.0).abs() < 1e-9);
    assert!((p.unit_mm - 60.0).abs() < 1e-9);
    let out = common::wastra_ok(&["info", "parang", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lattice"]["group"], "p2");
}

#[test]
fn each_motif_round_trips_through_info_json() {
    // Every built-in motif, not only this file's: the list comes from the library.
    let all: Vec<String> = wastra::motif::registry::Library::builtin()
        .motifs()
        .map(|m| m.name().to_string())
        .collect();
    assert!(all.len() >= 16, "{all:?}");
    for name in all.iter().map(String::as_str) {
        let out = common::wastra_ok(&["info", name, "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let file = source(name);
        assert_eq!(v["name"], name);
        let listed: Vec<&str> = v["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        let declared: Vec<&str> = file["params"]
            .as_table()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(listed, declared, "{name}: params");
        let repeat = v["params"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "repeat")
            .unwrap_or_else(|| panic!("{name} has no repeat"));
        assert_eq!(repeat["unit"], "mm", "{name}: repeat must be physical");
        let mut presets: Vec<&str> = v["presets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        let mut declared: Vec<&str> = file["presets"]
            .as_table()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        presets.sort_unstable();
        declared.sort_unstable();
        assert_eq!(presets, declared, "{name}: presets");
        for p in v["presets"].as_array().unwrap() {
            assert!(p["repeat_mm"].as_f64().unwrap() > 0.0, "{name}: {p}");
        }
        for key in ["region", "meaning", "description"] {
            assert!(v[key].as_str().unwrap().len() > 10, "{name}: {key}");
        }
    }
}

#[test]
fn every_palette_defines_the_shared_slots() {
    for p in Library::builtin().palettes() {
        for slot in ["ground", "ink", "mid", "light", "accent"] {
            assert!(p.slots.contains_key(slot), "{} lacks {slot}", p.name);
        }
    }
}

/// Ink or anti-aliased ink: much darker than the paper, and grey like the ink.
fn is_ink(p: &image::Rgba<u8>) -> bool {
    let [r, g, b, _] = p.0;
    let grey = r.abs_diff(g) <= 12 && g.abs_diff(b) <= 12;
    grey && u16::from(r) + u16::from(g) + u16::from(b) < 3 * 170 && r >= INK.red.saturating_sub(2)
}

#[test]
fn the_gallery_has_one_labelled_thumbnail_per_motif() {
    let mut opts = GalleryOptions::default();
    opts.thumb = 96;
    opts.columns = 5;
    opts.label_px = 12.0;
    let g = builtin_gallery(&opts).unwrap();
    let names: Vec<&str> = Library::builtin().motifs().map(|m| m.name()).collect();
    let cells: Vec<&str> = g.cells.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cells, names);
    for m in motifs() {
        assert!(cells.contains(&m), "{m} missing from the gallery");
    }
    for c in &g.cells {
        let (x, y, w, h) = c.label;
        let mut ink = 0;
        let mut ink_rows = HashSet::new();
        for yy in y..y + h {
            for xx in x..x + w {
                if is_ink(g.image.get_pixel(xx, yy)) {
                    ink += 1;
                    ink_rows.insert(yy);
                }
            }
        }
        // Two lines of text: the title and the name with its repeat.
        assert!(ink > 40, "{}: label has {ink} ink pixels", c.name);
        assert!(
            ink_rows.len() > 12,
            "{}: label spans {} rows",
            c.name,
            ink_rows.len()
        );
        assert!(c.detail.starts_with(&c.name));
        let (tx, ty, tw, th) = c.thumb;
        let thumb = image::imageops::crop_imm(&g.image, tx, ty, tw, th).to_image();
        assert!(distinct(&thumb) > 3, "{}: empty thumbnail", c.name);
        // No ink outside the labels' columns: the gaps between cells are paper.
        let gap_x = tx + tw + 4;
        if gap_x < g.image.width() {
            assert_eq!(
                g.image.get_pixel(gap_x, ty + th / 2).0[..3],
                [PAPER.red, PAPER.green, PAPER.blue]
            );
        }
    }
}

#[test]
fn gallery_cli_writes_a_png_and_refuses_bad_input_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gallery.png");
    let out_s = out.to_str().unwrap();
    common::wastra_ok(&[
        "gallery",
        "-o",
        out_s,
        "--palette",
        "indigo",
        "--thumb",
        "64",
        "-q",
    ]);
    let img = image::open(&out).unwrap().to_rgba8();
    let n = Library::builtin().motifs().count() as u32;
    let rows = n.div_ceil(4);
    assert_eq!(img.width(), 2 * 16 + 4 * (64 + 16) - 16);
    assert!(img.height() > rows * 64);
    let bad = dir.path().join("bad.png");
    let r = common::wastra(&["gallery", "-o", bad.to_str().unwrap(), "--palette", "nope"]);
    assert_eq!(r.status.code(), Some(1));
    assert!(!bad.exists());
    let r = common::wastra(&["gallery", "-o", dir.path().join("g.svg").to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8(r.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// Sekar Jagad declared `repeat` up to 800 mm and Tambal up to 600 mm, but
/// both failed above about 600 and 400 mm (their nested fillers passed the
/// shape limit): every numeric parameter of every motif, at its declared
/// minimum and maximum, now resolves and renders.
#[test]
fn every_parameter_renders_at_both_ends_of_its_declared_range() {
    let lib = Library::builtin();
    for m in lib.motifs() {
        let d = Design::builtin(m.name()).unwrap();
        for p in d.motif().params() {
            let (Some(min), Some(max)) = (p.spec.min, p.spec.max) else {
                continue;
            };
            for v in [min, max] {
                let r = d
                    .clone()
                    .set(&p.name, v)
                    .and_then(|d| d.render_px(48, 48, 10.0));
                assert!(
                    r.is_ok(),
                    "{} --set {}={v}: {}",
                    m.name(),
                    p.name,
                    r.unwrap_err()
                );
            }
        }
    }
}

/// Truntum's blossom was copied onto itself by a p4m group, so a blossom of
/// 5, 6, 7, 9, 10 or 11 petals merged into a disc ringed with dots. Count the
/// petals on a circle through them: the ground shows between each pair.
#[test]
fn truntum_blossoms_keep_their_petal_count() {
    for petals in 5..=12 {
        let p = Design::builtin("truntum")
            .unwrap()
            .set("petals", petals as f64)
            .unwrap()
            .resolve()
            .unwrap();
        // One repeat (24 mm) is 600 px at 635 dpi; the blossom at (0, 0) is
        // drawn at pixel (300, 300).
        let view = wastra::render::View::at_dpi(&p, 600, 600, 635.0).shifted(-300.0, -300.0);
        let img = wastra::render::render_image(&p, &view, &Default::default()).unwrap();
        let ground = img.get_pixel(300 + 150, 300 + 75).0;
        // A circle of 0.145 repeats (87 px) crosses each petal once, inside
        // the ground-coloured dots at the petal tips.
        let on = |k: u32| {
            let a = k as f64 * std::f64::consts::TAU / 720.0;
            let (x, y) = (300.0 + 87.0 * a.cos(), 300.0 + 87.0 * a.sin());
            img.get_pixel(x.round() as u32, y.round() as u32).0 != ground
        };
        let runs = (0..720).filter(|&k| on(k) && !on((k + 719) % 720)).count();
        assert_eq!(runs, petals, "truntum --set petals={petals}");
    }
}
