//! Every bad input we know of, run through the real `wastra` binary: the exact
//! stderr line and exit code. The table in `docs/bad-inputs.md` is generated
//! from these runs and checked here, so it cannot drift from what users see.
//! After changing a message, regenerate it with
//! `WASTRA_BLESS=1 cargo test --test cli_errors`.

use std::path::Path;
use std::process::Command;

/// A hostile motif file: kawung with one text replaced.
struct MotifEdit {
    file: &'static str,
    from: &'static str,
    to: &'static str,
}

struct Case {
    what: &'static str,
    args: &'static [&'static str],
    code: i32,
}

const fn case(what: &'static str, args: &'static [&'static str], code: i32) -> Case {
    Case { what, args, code }
}

const KAWUNG: &str = include_str!("../motifs/kawung.toml");

fn cases() -> Vec<(Case, Option<MotifEdit>)> {
    let plain = |c: Case| (c, None);
    let edit = |what, file: &'static str, from, to| {
        let args: &'static [&'static str] = Vec::leak(vec![
            "render", file, "-o", "out.png", "--width", "32", "--height", "32",
        ]);
        (case(what, args, 1), Some(MotifEdit { file, from, to }))
    };
    vec![
        plain(case(
            "width zero",
            &[
                "render", "kawung", "-o", "out.png", "--width", "0", "--height", "10",
            ],
            1,
        )),
        plain(case(
            "negative width",
            &[
                "render", "kawung", "-o", "out.png", "--width", "-5", "--height", "10",
            ],
            1,
        )),
        plain(case(
            "NaN width",
            &[
                "render", "kawung", "-o", "out.png", "--width", "NaN", "--height", "10",
            ],
            1,
        )),
        plain(case(
            "fractional width",
            &[
                "render", "kawung", "-o", "out.png", "--width", "1.5", "--height", "10",
            ],
            1,
        )),
        plain(case(
            "10,000,000 px per side",
            &[
                "render", "kawung", "-o", "out.png", "--width", "10000000", "--height", "10000000",
            ],
            1,
        )),
        plain(case(
            "10,000,000 px wide strip",
            &[
                "render", "kawung", "-o", "out.png", "--width", "10000000", "--height", "10",
            ],
            1,
        )),
        plain(case(
            "largest u32 sides",
            &[
                "render",
                "kawung",
                "-o",
                "out.png",
                "--width",
                "4294967295",
                "--height",
                "4294967295",
            ],
            1,
        )),
        plain(case(
            "beyond u32",
            &[
                "render",
                "kawung",
                "-o",
                "out.png",
                "--width",
                "99999999999",
                "--height",
                "10",
            ],
            1,
        )),
        plain(case(
            "zero physical size",
            &["render", "kawung", "-o", "out.png", "--size", "0x10cm"],
            1,
        )),
        plain(case(
            "negative physical size",
            &["render", "kawung", "-o", "out.png", "--size", "-1x10cm"],
            1,
        )),
        plain(case(
            "NaN physical size",
            &["render", "kawung", "-o", "out.png", "--size", "NaNx10cm"],
            1,
        )),
        plain(case(
            "size without unit",
            &["render", "kawung", "-o", "out.png", "--size", "60x40"],
            1,
        )),
        plain(case(
            "1 km square print",
            &[
                "render",
                "kawung",
                "-o",
                "out.png",
                "--size",
                "100000x100000cm",
            ],
            1,
        )),
        plain(case(
            "--dpi 0",
            &["render", "kawung", "-o", "out.png", "--dpi", "0"],
            1,
        )),
        plain(case(
            "negative dpi",
            &["render", "kawung", "-o", "out.png", "--dpi", "-3"],
            1,
        )),
        plain(case(
            "NaN dpi",
            &["render", "kawung", "-o", "out.png", "--dpi", "NaN"],
            1,
        )),
        plain(case(
            "absurd dpi",
            &["render", "kawung", "-o", "out.png", "--dpi", "1e300"],
            1,
        )),
        plain(case(
            "sub-1 dpi",
            &["render", "kawung", "-o", "out.png", "--dpi", "0.001"],
            1,
        )),
        plain(case(
            "default size at huge dpi",
            &["render", "kawung", "-o", "out.png", "--dpi", "100000"],
            1,
        )),
        plain(case(
            "--threads 0",
            &["render", "kawung", "-o", "out.png", "--threads", "0"],
            1,
        )),
        plain(case(
            "--intent without --icc",
            &["render", "kawung", "-o", "out.png", "--intent", "relative"],
            1,
        )),
        plain(case(
            "--threads 99999",
            &["render", "kawung", "-o", "out.png", "--threads", "99999"],
            1,
        )),
        plain(case(
            "--width without --height",
            &["render", "kawung", "-o", "out.png", "--width", "100"],
            1,
        )),
        plain(case(
            "--size with --width",
            &[
                "render", "kawung", "-o", "out.png", "--size", "6x4cm", "--width", "100",
                "--height", "100",
            ],
            1,
        )),
        plain(case(
            "unknown motif",
            &["render", "kawng", "-o", "out.png"],
            1,
        )),
        plain(case(
            "missing motif file",
            &["render", "nope.toml", "-o", "out.png"],
            1,
        )),
        plain(case(
            "unknown extension",
            &["render", "kawung", "-o", "out.bmp"],
            1,
        )),
        plain(case("no extension", &["render", "kawung", "-o", "out"], 1)),
        plain(case(
            "output directory missing",
            &["render", "kawung", "-o", "no/such/dir/out.png"],
            1,
        )),
        plain(case(
            "output is a directory",
            &["render", "kawung", "-o", "sub.png"],
            1,
        )),
        plain(case(
            "parameter NaN",
            &["render", "kawung", "-o", "out.png", "--set", "repeat=NaN"],
            1,
        )),
        plain(case(
            "parameter inf",
            &["render", "kawung", "-o", "out.png", "--set", "repeat=inf"],
            1,
        )),
        plain(case(
            "parameter out of range",
            &["render", "kawung", "-o", "out.png", "--set", "repeat=-1"],
            1,
        )),
        plain(case(
            "unknown parameter",
            &["render", "kawung", "-o", "out.png", "--set", "repet=30"],
            1,
        )),
        plain(case(
            "--set without =",
            &["render", "kawung", "-o", "out.png", "--set", "repeat"],
            1,
        )),
        plain(case(
            "choice not offered",
            &["render", "kawung", "-o", "out.png", "--set", "mark=star"],
            1,
        )),
        plain(case(
            "zero repeat size",
            &["render", "kawung", "-o", "out.png", "--repeat-size", "0"],
            1,
        )),
        plain(case(
            "unknown palette",
            &["render", "kawung", "-o", "out.png", "--palette", "sogn"],
            1,
        )),
        plain(case(
            "bad colour",
            &[
                "render",
                "kawung",
                "-o",
                "out.png",
                "--color",
                "ground=#ggg",
            ],
            1,
        )),
        plain(case(
            "unknown colour role",
            &[
                "render",
                "kawung",
                "-o",
                "out.png",
                "--color",
                "grund=#112233",
            ],
            1,
        )),
        plain(case(
            "unknown preset",
            &["render", "kawung", "-o", "out.png", "--preset", "pics"],
            1,
        )),
        plain(case(
            "unknown repeat",
            &["render", "kawung", "-o", "out.png", "--repeat", "spiral"],
            1,
        )),
        plain(case(
            "unknown compression",
            &["render", "kawung", "-o", "out.png", "--compression", "max"],
            1,
        )),
        plain(case(
            "tile at huge dpi",
            &[
                "tile",
                "kawung",
                "-o",
                "out.png",
                "--dpi",
                "100000",
                "--set",
                "repeat=500",
            ],
            1,
        )),
        plain(case("not a motif file", &["info", "notes.toml"], 1)),
        plain(case("unknown subcommand", &["draw", "kawung"], 1)),
        edit(
            "TOML syntax error",
            "syntax.toml",
            "family = \"batik\"",
            "family = ",
        ),
        edit(
            "unknown key",
            "key.toml",
            "[lattice]",
            "[lattice]\nsymetry = 1",
        ),
        edit("wrong type", "type.toml", "default = 0.6", "default = true"),
        edit("NaN bound", "nanmin.toml", "min = 0.3", "min = nan"),
        edit(
            "infinite default",
            "inf.toml",
            "default = 40.0",
            "default = inf",
        ),
        edit(
            "unknown parameter in formula",
            "formula.toml",
            "stroke_width = \"outline / repeat\"\n[[layer.shape]]\ntype = \"ellipse\"",
            "stroke_width = \"outlin / repeat\"\n[[layer.shape]]\ntype = \"ellipse\"",
        ),
        edit(
            "formula syntax",
            "parse.toml",
            "when = \"mark == seed\"",
            "when = \"(((\"",
        ),
        edit(
            "division by zero",
            "divzero.toml",
            "when = \"mark == seed\"",
            "when = \"1/0\"",
        ),
        edit(
            "unknown palette",
            "palette.toml",
            "palette = \"sogan\"",
            "palette = \"sogun\"",
        ),
        edit(
            "unknown palette slot",
            "slot.toml",
            "ground = \"mid\"",
            "ground = \"midd\"",
        ),
        edit(
            "unknown role",
            "role.toml",
            "fill = \"petal\"",
            "fill = \"petl\"",
        ),
        edit(
            "unknown choice in when",
            "when.toml",
            "when = \"mark == seed\"",
            "when = \"mark == sed\"",
        ),
        edit(
            "preset out of range",
            "preset.toml",
            "set = { repeat = 36.0",
            "set = { repeat = 3600.0",
        ),
        edit(
            "preset palette unknown",
            "presetpal.toml",
            "set = { repeat = 36.0",
            "palette = \"nope\"\nset = { repeat = 36.0",
        ),
        edit(
            "unknown shape type",
            "shape.toml",
            "type = \"ellipse\"",
            "type = \"elipse\"",
        ),
        edit(
            "zero-size cell",
            "zerocell.toml",
            "unit = \"repeat\"",
            "unit = \"repeat\"\nwidth = 0",
        ),
        edit(
            "needle-thin cell",
            "tinycell.toml",
            "unit = \"repeat\"",
            "unit = \"repeat\"\nwidth = 1e-12",
        ),
        edit(
            "kilometre cell",
            "hugecell.toml",
            "unit = \"repeat\"",
            "unit = \"1e9\"",
        ),
        edit(
            "shape a billion cells wide",
            "hugeshape.toml",
            "r = 0.04\n",
            "r = 1e9\n",
        ),
        edit(
            "shape scaled to infinity",
            "scaleinf.toml",
            "r = 0.04\n",
            "r = 0.04\nscale = 1e300\n",
        ),
        edit(
            "stroke wider than the motif",
            "stroke.toml",
            "stroke_width = \"outline / repeat\"",
            "stroke_width = 1e9",
        ),
        edit(
            "arc swept a billion degrees",
            "arc.toml",
            "type = \"circle\"\ncenter = [0.5, 0]\nr = 0.04",
            "type = \"arc\"\ncenter = [0.5, 0]\nr = 0.04\nstart = 0\nsweep = 1e9",
        ),
        edit(
            "path with overflowing numbers",
            "path.toml",
            "type = \"circle\"\ncenter = [0.5, 0]\nr = 0.04",
            "type = \"path\"\nd = \"M 0 0 L 1e308 1e308 L -1e308 5 Z\"",
        ),
        edit(
            "truncated path data",
            "path2.toml",
            "type = \"circle\"\ncenter = [0.5, 0]\nr = 0.04",
            "type = \"path\"\nd = \"M 0 0 Q\"",
        ),
        edit(
            "10,000 copies of a 1000-gon",
            "copies.toml",
            "r = 0.04\nsides = 4\n",
            "r = 0.001\nsides = 1000\ncopies = 10000\n",
        ),
        edit(
            "unsupported format",
            "format.toml",
            "[motif]",
            "format = 2\n[motif]",
        ),
    ]
}

fn run(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_wastra"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run wastra");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    (stderr, out.status.code().expect("exit code"))
}

fn table() -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub.png")).unwrap();
    std::fs::write(dir.path().join("notes.toml"), "These are my notes.\n").unwrap();
    let mut md = String::from(
        "# Bad inputs and what the user sees\n\n\
         Generated by `tests/cli_errors.rs` from real runs of `wastra` (regenerate with\n\
         `WASTRA_BLESS=1 cargo test --test cli_errors`). Motif files are the built-in\n\
         `kawung.toml` with the one change shown. Exit code 1 is a user error, 2 an\n\
         internal error (a bug), 0 success; an error is always one line on stderr and\n\
         no output file is created or changed.\n\n\
         | Input | Command or change | stderr | Exit |\n|---|---|---|---|\n",
    );
    for (c, edit) in cases() {
        let input = match &edit {
            Some(e) => {
                assert!(KAWUNG.contains(e.from), "{}: edit does not apply", c.what);
                std::fs::write(dir.path().join(e.file), KAWUNG.replacen(e.from, e.to, 1)).unwrap();
                format!(
                    "`{}` → `{}`",
                    e.from.lines().next().unwrap(),
                    e.to.replace('\n', "⏎")
                )
            }
            None => format!("`wastra {}`", c.args.join(" ")),
        };
        // A sentinel where the output goes: no failed run may touch it.
        let sentinel = dir.path().join("out.png");
        std::fs::write(&sentinel, b"keep me").unwrap();
        let (stderr, code) = run(dir.path(), c.args);
        assert_eq!(
            code, c.code,
            "{}: exit code {code}, stderr {stderr}",
            c.what
        );
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}: not one line: {stderr}", c.what);
        assert!(lines[0].starts_with("wastra: "), "{}: {stderr}", c.what);
        assert!(!lines[0].contains("panicked"), "{}: {stderr}", c.what);
        assert_eq!(
            std::fs::read(&sentinel).unwrap(),
            b"keep me",
            "{}: output clobbered",
            c.what
        );
        let debris: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(debris.is_empty(), "{}: left {debris:?}", c.what);
        let cell = |s: &str| s.replace('|', "\\|");
        md.push_str(&format!(
            "| {} | {} | `` {} `` | {} |\n",
            c.what,
            cell(&input),
            cell(lines[0]),
            code
        ));
    }
    md
}

#[test]
fn bad_inputs_table_matches_the_binary() {
    let md = table();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/bad-inputs.md");
    if std::env::var_os("WASTRA_BLESS").is_some() {
        std::fs::write(&path, &md).unwrap();
        return;
    }
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        doc == md,
        "docs/bad-inputs.md is out of date; regenerate with WASTRA_BLESS=1 cargo test --test cli_errors"
    );
}

#[test]
fn success_exits_zero_and_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (stderr, code) = run(
        dir.path(),
        &[
            "render", "kawung", "-o", "k.png", "--width", "40", "--height", "40", "-q",
        ],
    );
    assert_eq!((stderr.as_str(), code), ("", 0));
    assert!(std::fs::read(dir.path().join("k.png"))
        .unwrap()
        .starts_with(b"\x89PNG"));
}
