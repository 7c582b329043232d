//! The command line: outputs, JSON, DPI in files, and one-line errors with
//! exit code 1 that never leave a partial or clobbered file.

mod common;

use common::{wastra, wastra_ok};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs a failing command: exit code 1, exactly one line on stderr containing `needle`.
fn user_error(args: &[&str], needle: &str) {
    let out = wastra(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "wastra {args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(
        err.contains(needle),
        "wastra {args:?}: '{err}' lacks '{needle}'"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn list_and_json_list_name_every_motif_with_family() {
    let out = wastra_ok(&["list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("kawung"));
    let out = wastra_ok(&["list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert!(arr
        .iter()
        .any(|m| m["name"] == "kawung" && m["family"] == "batik"));
    assert!(arr
        .iter()
        .all(|m| m["name"].is_string() && m["family"].is_string()));
}

#[test]
fn info_json_lists_params_with_ranges_and_presets() {
    let out = wastra_ok(&["info", "kawung", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let params = v["params"].as_array().unwrap();
    let repeat = params.iter().find(|p| p["name"] == "repeat").unwrap();
    assert_eq!(repeat["unit"], "mm");
    assert_eq!(repeat["default"], 40.0);
    for name in ["petal", "outline", "centre"] {
        assert!(params.iter().any(|p| p["name"] == name), "{name}");
    }
    let presets: Vec<&str> = v["presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in ["picis", "bribil", "sen"] {
        assert!(presets.contains(&p), "{p}");
    }
    assert!(v["meaning"].as_str().unwrap().contains("kiblat papat"));
}

#[test]
fn png_carries_its_dpi_and_physical_size() {
    let d = tmp();
    let out = d.path().join("k.png");
    wastra_ok(&[
        "render",
        "kawung",
        "-o",
        out.to_str().unwrap(),
        "--size",
        "2x1cm",
        "--dpi",
        "254",
    ]);
    // 2 cm at 254 dpi is 200 px; 254 dpi is 10000 px per metre.
    let img = image::open(&out).unwrap();
    assert_eq!((img.width(), img.height()), (200, 100));
    assert_eq!(common::png_phys(&out), Some((10000, 10000, 1)));
}

#[test]
fn svg_has_physical_size_in_mm() {
    let d = tmp();
    let out = d.path().join("k.svg");
    wastra_ok(&[
        "render",
        "kawung",
        "-o",
        out.to_str().unwrap(),
        "--size",
        "60x40mm",
        "--dpi",
        "100",
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("width=\"60mm\"") && text.contains("height=\"40mm\""),
        "{}",
        &text[..300]
    );
    assert!(text.contains("<path") && text.contains("<use"));
}

#[test]
fn one_and_two_threads_write_identical_files() {
    let d = tmp();
    let (a, b) = (d.path().join("a.png"), d.path().join("b.png"));
    let base = [
        "render", "kawung", "--preset", "picis", "--width", "900", "--height", "700", "--dpi",
        "300",
    ];
    wastra_ok(&[&base[..], &["-o", a.to_str().unwrap(), "--threads", "1"]].concat());
    wastra_ok(&[&base[..], &["-o", b.to_str().unwrap(), "--threads", "2"]].concat());
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
}

#[test]
fn user_motif_file_renders_without_recompiling() {
    let d = tmp();
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/motifs/kawung.toml"))
        .unwrap()
        .replace("name = \"kawung\"", "name = \"my-kawung\"");
    let file = d.path().join("my-motif.toml");
    std::fs::write(&file, src).unwrap();
    let out = d.path().join("m.png");
    wastra_ok(&[
        "render",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--width",
        "50",
        "--height",
        "50",
    ]);
    assert!(out.exists());
    let info = wastra_ok(&["info", file.to_str().unwrap(), "--json"]);
    assert!(String::from_utf8_lossy(&info.stdout).contains("my-kawung"));
}

#[test]
fn palette_and_colour_override_change_the_pixels() {
    let d = tmp();
    let out = d.path().join("c.png");
    let o = out.to_str().unwrap();
    wastra_ok(&[
        "render",
        "kawung",
        "-o",
        o,
        "--width",
        "40",
        "--height",
        "40",
        "--palette",
        "indigo",
        "--color",
        "ground=#FF0000",
    ]);
    let img = image::open(&out).unwrap().to_rgb8();
    // The top-middle pixel lies in the ground (between two petals) at this scale.
    assert!(
        img.pixels().any(|p| p.0 == [255, 0, 0]),
        "override not applied"
    );
}

/// Regression: the tile was written before the preview was checked, so a
/// preview too large for its format left the old tile already replaced.
#[test]
fn tile_preview_that_cannot_be_made_leaves_the_old_tile_alone() {
    let d = tmp();
    let out = d.path().join("t.jpg");
    std::fs::write(&out, b"old tile").unwrap();
    // A 500 mm tile at 2000 dpi is 39370 px: a JPEG can hold it, but not the
    // 3 × 3 preview (118110 px a side).
    let res = wastra(&[
        "tile",
        "kawung",
        "--repeat-size",
        "500mm",
        "--dpi",
        "2000",
        "-o",
        out.to_str().unwrap(),
        "--preview",
    ]);
    assert_eq!(res.status.code(), Some(1), "{}", stderr(&res));
    assert!(stderr(&res).contains("65535"), "{}", stderr(&res));
    assert_eq!(std::fs::read(&out).unwrap(), b"old tile");
    assert!(!d.path().join("t-preview.jpg").exists());
}

#[test]
fn tile_writes_an_integer_period_and_reports_the_real_repeat() {
    let d = tmp();
    let out = d.path().join("t.png");
    let res = wastra_ok(&[
        "tile",
        "kawung",
        "--repeat-size",
        "1in",
        "--dpi",
        "150",
        "-o",
        out.to_str().unwrap(),
        "--preview",
    ]);
    let img = image::open(&out).unwrap();
    assert_eq!((img.width(), img.height()), (150, 150));
    let prev = image::open(d.path().join("t-preview.png")).unwrap();
    assert_eq!((prev.width(), prev.height()), (450, 450));
    assert!(
        stderr(&res).contains("real repeat 25.400 × 25.400 mm"),
        "{}",
        stderr(&res)
    );
}

#[test]
fn bad_input_is_one_line_with_exit_code_1() {
    let d = tmp();
    let o = d.path().join("x.png");
    let o = o.to_str().unwrap();
    user_error(&["render", "kawng", "-o", o], "did you mean kawung");
    user_error(&["render", "kawung", "-o", o, "--dpi", "0"], "dpi");
    user_error(&["render", "kawung", "-o", o, "--dpi", "NaN"], "dpi");
    user_error(&["render", "kawung", "-o", o, "--size", "0x10cm"], "size");
    user_error(&["render", "kawung", "-o", o, "--size", "-5x10cm"], "size");
    user_error(
        &["render", "kawung", "-o", o, "--size", "ten by ten"],
        "size",
    );
    user_error(
        &[
            "render", "kawung", "-o", o, "--width", "0", "--height", "10",
        ],
        "no pixels",
    );
    user_error(
        &[
            "render", "kawung", "-o", o, "--width", "10000000", "--height", "10000000",
        ],
        "would need 400.0 TB",
    );
    user_error(
        &["render", "kawung", "-o", &o.replace(".png", ".bmp")],
        "unknown extension '.bmp'",
    );
    user_error(
        &["render", "kawung", "-o", "/nonexistent-dir/x.png"],
        "does not exist",
    );
    user_error(
        &["render", "kawung", "-o", o, "--set", "petal=5"],
        "outside its range 0.3..0.9",
    );
    user_error(
        &["render", "kawung", "-o", o, "--set", "petl=0.5"],
        "did you mean petal",
    );
    user_error(
        &["render", "kawung", "-o", o, "--set", "centre=star"],
        "not one of dot, cross, diamond, none",
    );
    user_error(
        &["render", "kawung", "-o", o, "--set", "repeat=inf"],
        "repeat",
    );
    user_error(
        &["render", "kawung", "-o", o, "--preset", "picsi"],
        "did you mean picis",
    );
    user_error(
        &["render", "kawung", "-o", o, "--palette", "sogn"],
        "did you mean sogan",
    );
    user_error(
        &["render", "kawung", "-o", o, "--color", "petal=brown"],
        "not a colour",
    );
    user_error(
        &["render", "kawung", "-o", o, "--color", "petel=#112233"],
        "unknown colour role 'petel'",
    );
    user_error(
        &["render", "kawung", "-o", o, "--repeat", "zigzag"],
        "unknown repeat 'zigzag'",
    );
    user_error(&["render", "kawung", "-o", o, "--threads", "0"], "threads");
    user_error(
        &["render", "kawung", "-o", o, "--bogus"],
        "unexpected argument",
    );
    user_error(
        &["render", "missing-file.toml", "-o", o],
        "missing-file.toml",
    );
    assert!(
        !std::path::Path::new(o).exists(),
        "a failed run left a file"
    );
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        0,
        "a failed run left debris"
    );
}

#[test]
fn broken_motif_files_name_the_line_and_the_problem() {
    let d = tmp();
    let f = d.path().join("bad.toml");
    let o = d.path().join("x.png");
    std::fs::write(&f, "[motif]\nname = \"bad\"\nfamily = \"batik\n").unwrap();
    user_error(
        &["render", f.to_str().unwrap(), "-o", o.to_str().unwrap()],
        "line 3",
    );
    let kawung =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/motifs/kawung.toml"))
            .unwrap();
    std::fs::write(
        &f,
        kawung.replace("rx = \"sqrt(0.125", "rx = \"sqrt(0.125 * wobble"),
    )
    .unwrap();
    user_error(
        &["render", f.to_str().unwrap(), "-o", o.to_str().unwrap()],
        "unknown parameter 'wobble'",
    );
    std::fs::write(&f, kawung.replace("fill = \"petal\"", "fill = \"petals\"")).unwrap();
    user_error(
        &["render", f.to_str().unwrap(), "-o", o.to_str().unwrap()],
        "unknown colour role 'petals'",
    );
    std::fs::write(&f, kawung.replace("group = \"p4m\"", "group = \"p6m\"")).unwrap();
    user_error(
        &["render", f.to_str().unwrap(), "-o", o.to_str().unwrap()],
        "p6m cannot live on a square lattice",
    );
}

#[test]
fn a_failed_render_keeps_the_existing_file() {
    let d = tmp();
    let out = d.path().join("keep.png");
    std::fs::write(&out, b"precious").unwrap();
    user_error(
        &[
            "render",
            "kawung",
            "-o",
            out.to_str().unwrap(),
            "--set",
            "petal=9",
        ],
        "outside its range",
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"precious");
}

/// `wastra info kawung | head -3` printed "internal error: failed printing to
/// stdout: Broken pipe … (this is a bug)" and exited 2: a reader that has
/// gone is now the end of the command, quietly.
#[test]
fn a_closed_stdout_pipe_was_an_internal_error() {
    for args in [&["info", "kawung"][..], &["list", "--json"], &["palettes"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wastra"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before the command writes (it has not started yet).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("internal error"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}
