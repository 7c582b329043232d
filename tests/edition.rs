//! Limited editions: determinism, uniqueness, manifest, resume, --unit, verify.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};
use wastra::edition::distance::{colourway_delta_e, param_steps, DE_STEP};
use wastra::edition::{Manifest, Plan};
use wastra::motif::registry::Library;
use wastra::motif::ParamKind;

fn wastra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wastra"))
        .args(args)
        .output()
        .expect("runs")
}

fn ok(args: &[&str]) -> String {
    let out = wastra(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    err
}

/// A small edition command writing to `dir`.
fn edition_args<'a>(dir: &'a str, count: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "edition",
        "kawung",
        "--count",
        count,
        "--seed",
        "Solo 2023",
        "--out",
        dir,
        "--width",
        "64",
        "--height",
        "64",
        "--dpi",
        "40",
        "--palettes",
        "sogan,indigo",
    ];
    a.extend_from_slice(extra);
    a
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

#[test]
fn same_command_gives_identical_bytes_with_any_thread_count() {
    let t = tmp();
    let (a, b, c) = (t.path().join("a"), t.path().join("b"), t.path().join("c"));
    let (sa, sb, sc) = (s(&a), s(&b), s(&c));
    ok(&edition_args(&sa, "6", &["--threads", "1"]));
    ok(&edition_args(&sb, "6", &["--threads", "2"]));
    ok(&edition_args(&sc, "6", &["--threads", "2"]));
    let fa = files(&a);
    assert_eq!(fa.len(), 6 * 3 + 2, "{:?}", fa.keys());
    assert_eq!(fa, files(&b));
    assert_eq!(fa, files(&c));
    // and the units really differ from each other
    let pngs: std::collections::HashSet<&Vec<u8>> = fa
        .iter()
        .filter(|(k, _)| k.ends_with(".png") && k.starts_with("kawung-"))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(pngs.len(), 6);
}

#[test]
fn another_seed_gives_another_edition() {
    let t = tmp();
    let (a, b) = (s(&t.path().join("a")), s(&t.path().join("b")));
    ok(&edition_args(&a, "3", &[]));
    let mut args = edition_args(&b, "3", &[]);
    args[5] = "Solo 2024";
    ok(&args);
    let ma = Manifest::read(&Path::new(&a).join("manifest.json")).unwrap();
    let mb = Manifest::read(&Path::new(&b).join("manifest.json")).unwrap();
    assert_ne!(ma.units[0].params, mb.units[0].params);
    assert_ne!(ma.provenance_sha256, mb.provenance_sha256);
}

fn plan_for(count: u32, vary: &[&str], palettes: &[&str], min_distance: f64) -> Plan {
    plan_fixing(count, vary, &[], palettes, min_distance)
}

fn plan_fixing(
    count: u32,
    vary: &[&str],
    fixed: &[&str],
    palettes: &[&str],
    min_distance: f64,
) -> Plan {
    let motif = Library::builtin().motif("kawung").unwrap().clone();
    let base = motif.defaults();
    let explicit: Vec<_> = vary
        .iter()
        .map(|v| wastra::edition::derive::parse_vary(&motif, v).unwrap())
        .collect();
    let (mref, _) = wastra::edition::motif_ref("kawung", &motif).unwrap();
    let spec = wastra::edition::EditionSpec {
        name: "t".into(),
        seed: "uniq".into(),
        count,
        motif: mref,
        preset: None,
        base: base.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
        vary: wastra::edition::derive::effective_vary(
            &motif,
            &base,
            &explicit,
            &fixed.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        ),
        palettes: palettes.iter().map(|p| p.to_string()).collect(),
        colors: vec![],
        repeat: "block".into(),
        width: 64,
        height: 64,
        size_mm: None,
        dpi: 40.0,
        format: "png".into(),
        compression: "fast".into(),
        min_distance,
        derivation: wastra::edition::derive::DERIVATION,
        finish: None,
        effects: vec![],
    };
    Plan::new(spec, motif).unwrap()
}

/// The documented measure, recomputed from the recorded values.
fn steps_between(plan: &Plan, a: &wastra::edition::Unit, b: &wastra::edition::Unit) -> f64 {
    let mut sum = 0.0;
    for v in &plan.spec.vary {
        let p = plan.motif.param(v.param()).unwrap();
        let range = p.spec.max.unwrap_or(0.0) - p.spec.min.unwrap_or(0.0);
        let d = param_steps(p.kind, range, &a.values[v.param()], &b.values[v.param()]);
        sum += d * d;
    }
    let ia = plan
        .spec
        .palettes
        .iter()
        .position(|p| *p == a.palette)
        .unwrap();
    let ib = plan
        .spec
        .palettes
        .iter()
        .position(|p| *p == b.palette)
        .unwrap();
    let c = colourway_delta_e(&plan.colourways[ia], &plan.colourways[ib]) / DE_STEP;
    (sum + c * c).sqrt()
}

#[test]
fn every_two_units_are_at_least_the_minimum_apart() {
    for (palettes, min) in [(&["sogan"][..], 1.0), (&["sogan", "indigo"][..], 1.5)] {
        let plan = plan_for(20, &[], palettes, min);
        assert_eq!(plan.units.len(), 20);
        let mut closest = f64::MAX;
        for (i, a) in plan.units.iter().enumerate() {
            for b in &plan.units[i + 1..] {
                assert_ne!(a.values, b.values, "units {} and {}", a.number, b.number);
                let d = steps_between(&plan, a, b);
                assert!(
                    d >= min,
                    "units {} and {} are {d} steps apart",
                    a.number,
                    b.number
                );
                closest = closest.min(d);
            }
        }
        assert!(
            closest < 3.0 * min,
            "the check is not vacuous: closest {closest}"
        );
    }
}

#[test]
fn a_unit_too_close_is_drawn_again_and_a_full_space_is_an_error() {
    // One narrow ratio: about 5 visible steps hold at most 5 or 6 units, so
    // redraws must happen, and a 30-unit edition cannot exist.
    let plan = plan_fixing(
        5,
        &["petal=0.6..0.7"],
        &["repeat", "outline"],
        &["sogan"],
        1.0,
    );
    assert_eq!(plan.spec.vary.len(), 1);
    let redrawn: Vec<&wastra::edition::Unit> =
        plan.units.iter().filter(|u| u.attempt > 0).collect();
    assert!(!redrawn.is_empty(), "no unit needed a redraw");
    for u in redrawn {
        // every rejected draw was within one step of an earlier unit
        for attempt in 0..u.attempt {
            let d = wastra::edition::derive::draw(
                &plan.motif,
                &plan.spec.vary,
                1,
                "uniq",
                u.number,
                attempt,
            );
            let mut candidate = u.clone();
            candidate.values.insert("petal".into(), d.values[0].clone());
            assert!(
                plan.units[..u.number as usize - 1]
                    .iter()
                    .any(|e| steps_between(&plan, &candidate, e) < 1.0),
                "unit {} attempt {attempt} was rejected needlessly",
                u.number
            );
        }
    }
    for (i, a) in plan.units.iter().enumerate() {
        for b in &plan.units[i + 1..] {
            assert!(steps_between(&plan, a, b) >= 1.0);
        }
    }
    let t = tmp();
    let out = wastra(&[
        "edition",
        "kawung",
        "--count",
        "30",
        "--seed",
        "x",
        "--out",
        &s(t.path()),
        "--width",
        "8",
        "--height",
        "8",
        "--set",
        "repeat=40",
        "--set",
        "outline=0.5",
        "--vary",
        "petal=0.6..0.7",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot be kept 1 visible steps"), "{err}");
    assert!(!t.path().join("manifest.json").exists());
}

#[test]
fn manifest_records_every_unit_with_correct_hashes() {
    let t = tmp();
    let dir = t.path().join("ed");
    ok(&edition_args(&s(&dir), "5", &["--name", "ioniq-solo"]));
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let m = Manifest::read(&dir.join("manifest.json")).unwrap();
    assert_eq!(m.edition.name, "ioniq-solo");
    assert_eq!(m.edition.seed, "Solo 2023");
    assert_eq!(m.edition.motif.name, "kawung");
    assert_eq!(m.wastra_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(m.units.len(), 5);
    let mut concat = String::new();
    for (i, u) in m.units.iter().enumerate() {
        let n = i as u32 + 1;
        assert_eq!(u.number, n);
        assert_eq!(u.file, format!("ioniq-solo-{n:03}.png"));
        assert_eq!(u.sha256, sha(&std::fs::read(dir.join(&u.file)).unwrap()));
        assert_eq!(
            u.certificate.sha256,
            sha(&std::fs::read(dir.join(&u.certificate.file)).unwrap())
        );
        assert!(["sogan", "indigo"].contains(&u.colourway.palette.as_str()));
        assert_eq!(u.colourway.colours.len(), 5);
        assert_eq!(u.params.len(), 6);
        assert_eq!(u.seeds.unit.len(), 64);
        assert!(u.film_lot.is_none() && u.application_date.is_none());
        // the unit's fragment holds the same record
        let frag: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("ioniq-solo-{n:03}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(frag["unit"]["sha256"], u.sha256.as_str());
        concat += &u.sha256;
    }
    assert_eq!(m.provenance_sha256, sha(concat.as_bytes()));
    assert!(text.contains("\"film_lot\": null") && text.contains("\"application_date\": null"));
    assert_eq!(
        m.contact_sheet.sha256,
        sha(&std::fs::read(dir.join("contact-sheet.png")).unwrap())
    );
    let sheet = image::open(dir.join("contact-sheet.png")).unwrap();
    assert!(sheet.width() > 3 * 160 && sheet.height() > 2 * 160);
    // the certificate names the unit and the motif's meaning, with a swatch
    let cert = std::fs::read_to_string(dir.join("ioniq-solo-004-certificate.svg")).unwrap();
    assert!(cert.contains("No. 004 of 5"));
    assert!(cert.contains("Kawung"));
    assert!(cert.contains("Purity and self-control"));
    assert!(cert.contains(&m.units[3].colourway.colours["petal"]));
    assert!(cert.contains(&m.units[3].sha256));
}

fn mtimes(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn resume_renders_only_unfinished_units() {
    let t = tmp();
    let dir = t.path().join("ed");
    let d = s(&dir);
    ok(&edition_args(&d, "5", &[]));
    let before = files(&dir);
    let times = mtimes(&dir);
    // an interruption: unit 3's picture half-written, its fragment never written
    std::fs::write(dir.join("kawung-003.png"), b"partial").unwrap();
    std::fs::remove_file(dir.join("kawung-003.json")).unwrap();
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let err = ok(&edition_args(&d, "5", &[]));
    assert!(
        err.contains("rendered unit 3; units 1-2, 4-5 were already done"),
        "{err}"
    );
    assert_eq!(files(&dir), before);
    let after = mtimes(&dir);
    for n in [1, 2, 4, 5] {
        let f = format!("kawung-{n:03}.png");
        assert_eq!(times[&f], after[&f], "{f} was rewritten");
    }
    // a finished edition is not rendered again
    let err = ok(&edition_args(&d, "5", &[]));
    assert!(
        err.contains("units 1-5 were already done") && !err.contains("rendered"),
        "{err}"
    );
}

#[test]
fn one_unit_alone_equals_that_unit_of_the_whole_edition_and_merges() {
    let t = tmp();
    let (full, split) = (t.path().join("full"), t.path().join("split"));
    let (f, sp) = (s(&full), s(&split));
    ok(&edition_args(&f, "4", &[]));
    let err = ok(&edition_args(&sp, "4", &["--unit", "3"]));
    assert!(err.contains("unit 3 of 4 done"), "{err}");
    let whole = files(&full);
    let alone = files(&split);
    assert_eq!(alone.len(), 3, "{:?}", alone.keys());
    for (name, bytes) in &alone {
        assert_eq!(&whole[name], bytes, "{name}");
    }
    // merging before every unit is done names the missing ones
    let out = wastra(&edition_args(&sp, "4", &["--merge"]));
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("units 1-2, 4 are not finished"), "{e}");
    for k in ["1", "2", "4"] {
        ok(&edition_args(&sp, "4", &["--unit", k]));
    }
    ok(&edition_args(&sp, "4", &["--merge"]));
    assert_eq!(files(&split), whole);
    let out = wastra(&edition_args(&sp, "4", &["--unit", "5"]));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn verify_passes_then_names_a_tampered_unit() {
    let t = tmp();
    let dir = t.path().join("ed");
    ok(&edition_args(&s(&dir), "4", &["--format", "svg"]));
    let manifest = s(&dir.join("manifest.json"));
    let err = ok(&["verify", &manifest]);
    assert!(err.contains("all 4 units"), "{err}");
    // the applicator fills in the warranty fields: still verified
    let text = std::fs::read_to_string(&manifest).unwrap();
    let filled = text
        .replacen("\"film_lot\": null", "\"film_lot\": \"3M-1080-L42\"", 1)
        .replacen(
            "\"application_date\": null",
            "\"application_date\": \"2023-08-17\"",
            1,
        );
    assert_ne!(filled, text);
    std::fs::write(&manifest, filled).unwrap();
    ok(&["verify", &manifest]);
    let f: PathBuf = dir.join("kawung-002.svg");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replacen("<path", "<path opacity=\"0.9\"", 1)).unwrap();
    let out = wastra(&["verify", &manifest]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("1 of 4 units no longer match (002)"), "{e}");
    assert!(
        e.contains("kawung-002.svg does not match its SHA-256"),
        "{e}"
    );
    for other in ["001", "003", "004"] {
        assert!(!e.contains(&format!("unit {other}")), "{e}");
    }
    // a manifest edited to match the tampered file breaks provenance and re-rendering
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    m["units"][1]["sha256"] = sha(&std::fs::read(&f).unwrap()).into();
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let out = wastra(&["verify", &manifest]);
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(e.contains("provenance_sha256 does not match"), "{e}");
    assert!(
        e.contains("unit 002: re-rendering it gives another picture"),
        "{e}"
    );
}

#[test]
fn bad_vary_is_a_one_line_error() {
    let t = tmp();
    let d = s(t.path());
    for (vary, want) in [
        ("petal", "invalid --vary: 'petal': expected NAME=MIN..MAX"),
        ("petal=0.9..0.5", "MIN 0.9 is larger than MAX 0.5"),
        ("petal=0.1..0.5", "outside its range 0.3..0.9"),
        ("nope=1..2", "unknown parameter 'nope'"),
        ("mark=star", "'star' is not a choice of 'mark'"),
        ("repeat=3cm", "give a range MIN..MAX"),
        (
            "petal=0.6..0.6",
            "MIN equals MAX: to fix 'petal' for every unit, use --set petal=0.6",
        ),
    ] {
        let out = wastra(&edition_args(&d, "3", &["--vary", vary]));
        assert_eq!(out.status.code(), Some(1), "{vary}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert_eq!(e.lines().count(), 1, "{vary}: {e}");
        assert!(e.starts_with("wastra: ") && e.contains(want), "{vary}: {e}");
    }
    // regression: a second --vary of the same parameter was silently ignored
    let out = wastra(&edition_args(
        &d,
        "3",
        &["--vary", "petal=0.5..0.6", "--vary", "petal=0.4..0.7"],
    ));
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("'petal' is varied twice"), "{e}");
    let out = wastra(&edition_args(
        &d,
        "3",
        &["--set", "petal=0.5", "--vary", "petal=0.4..0.6"],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("both fixed"));
    assert!(
        std::fs::read_dir(t.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn an_edition_of_100_fits_the_default_variation() {
    // The Solo edition: 100 units of Kawung, one colourway, default ranges.
    let plan = plan_for(100, &[], &["sogan"], 1.0);
    assert_eq!(plan.units.len(), 100);
    for (i, a) in plan.units.iter().enumerate() {
        for b in &plan.units[i + 1..] {
            assert!(steps_between(&plan, a, b) >= 1.0);
        }
    }
}

#[test]
fn choices_vary_only_when_asked() {
    let plan = plan_for(12, &[], &["sogan"], 1.0);
    assert!(plan
        .units
        .iter()
        .all(|u| u.values["mark"].to_string() == "seed"));
    let plan = plan_for(12, &["mark=seed,dots,line"], &["sogan"], 1.0);
    let marks: std::collections::BTreeSet<String> = plan
        .units
        .iter()
        .map(|u| u.values["mark"].to_string())
        .collect();
    assert!(marks.len() >= 2, "{marks:?}");
    assert!(plan.motif.param("mark").unwrap().kind == ParamKind::Choice);
}

#[test]
fn certificate_swatch_shows_the_unit_at_actual_size() {
    let t = tmp();
    let dir = t.path().join("ed");
    ok(&edition_args(&s(&dir), "2", &[]));
    let m = Manifest::read(&dir.join("manifest.json")).unwrap();
    let u = &m.units[1];
    let data = std::fs::read(dir.join(&u.certificate.file)).unwrap();
    let tree = resvg::usvg::Tree::from_data(&data, &resvg::usvg::Options::default()).unwrap();
    // A5 in mm; render at 2 px per mm
    assert_eq!(
        (tree.size().width(), tree.size().height()),
        (148.0 / 25.4 * 96.0, 210.0 / 25.4 * 96.0)
    );
    let k = 2.0 * 25.4 / 96.0;
    let mut pm = resvg::tiny_skia::Pixmap::new(296, 420).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(k, k),
        &mut pm.as_mut(),
    );
    let hex = |p: &resvg::tiny_skia::PremultipliedColorU8| {
        format!("#{:02X}{:02X}{:02X}", p.red(), p.green(), p.blue())
    };
    let colours = &u.colourway.colours;
    let in_swatch = |x: usize, y: usize| (84..212).contains(&x) && (72..200).contains(&y);
    let (mut petal, mut ground, mut outside_petal) = (0, 0, 0);
    for (i, p) in pm.pixels().iter().enumerate() {
        let (x, y) = (i % 296, i / 296);
        let c = hex(p);
        if in_swatch(x, y) {
            petal += (c == colours["petal"]) as u32;
            ground += (c == colours["ground"]) as u32;
        } else if (72..200).contains(&y) {
            outside_petal += (c == colours["petal"]) as u32;
        }
    }
    // 64 mm square swatch: both petal and ground fill large parts of it
    assert!(petal > 128 * 128 / 5, "{petal}");
    assert!(ground > 128 * 128 / 10, "{ground}");
    assert_eq!(outside_petal, 0, "the swatch is clipped to its square");
}

#[test]
fn a_motif_of_ones_own_is_copied_and_verifies() {
    let t = tmp();
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/motifs/kawung.toml"))
        .unwrap()
        .replace("name = \"kawung\"", "name = \"kawung-desa\"");
    let file = t.path().join("desa.toml");
    std::fs::write(&file, &src).unwrap();
    let dir = t.path().join("ed");
    let d = s(&dir);
    let mut args = edition_args(&d, "2", &[]);
    let f = s(&file);
    args[1] = &f;
    ok(&args);
    assert_eq!(
        std::fs::read_to_string(dir.join("kawung-desa.motif.toml")).unwrap(),
        src
    );
    assert!(dir.join("kawung-desa-002.png").exists());
    std::fs::remove_file(&file).unwrap();
    ok(&["verify", &s(&dir.join("manifest.json"))]);
    // a changed motif copy is refused by name
    std::fs::write(
        dir.join("kawung-desa.motif.toml"),
        src.replace("0.6", "0.61"),
    )
    .unwrap();
    let out = wastra(&["verify", &s(&dir.join("manifest.json"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not the motif the edition was made with")
    );
}

const FX: [&str; 4] = ["--effect", "crackle:density=4", "--finish", "tulis"];

#[test]
fn effects_change_every_unit_reproducibly_and_verify() {
    let t = tmp();
    let (plain, a, b) = (t.path().join("p"), t.path().join("a"), t.path().join("b"));
    ok(&edition_args(&s(&plain), "3", &[]));
    ok(&edition_args(&s(&a), "3", &FX));
    ok(&edition_args(&s(&b), "3", &FX));
    let fa = files(&a);
    assert_eq!(fa, files(&b), "the same command gives the same bytes");
    let fp = files(&plain);
    for n in 1..=3 {
        let f = format!("kawung-{n:03}.png");
        assert_ne!(fa[&f], fp[&f], "{f} has no effects");
    }
    let m = Manifest::read(&a.join("manifest.json")).unwrap();
    assert_eq!(m.edition.effects, ["crackle:density=4"]);
    assert_eq!(m.edition.finish.as_deref(), Some("tulis"));
    let cert = std::fs::read_to_string(a.join("kawung-002-certificate.svg")).unwrap();
    assert!(
        cert.contains("Effects tulis finish, crackle:density=4")
            && cert.contains(&m.units[1].seeds.effects),
        "the certificate names the effects and the unit's effects seed"
    );
    let manifest = s(&a.join("manifest.json"));
    ok(&["verify", &manifest]);
    // a unit swapped for its plain twin (same parameters, no effects) is caught
    std::fs::write(a.join("kawung-002.png"), &fp["kawung-002.png"]).unwrap();
    let out = wastra(&["verify", &manifest]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("1 of 3 units no longer match (002)"), "{e}");
    // and a manifest claiming other effects no longer matches its pictures
    std::fs::write(a.join("kawung-002.png"), &fa["kawung-002.png"]).unwrap();
    ok(&["verify", &manifest]);
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("\"finish\": \"tulis\"", "\"finish\": \"cap\""),
    )
    .unwrap();
    let out = wastra(&["verify", &manifest]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("spec_sha256 does not match"), "{e}");
    assert!(e.contains("re-rendering it gives another picture"), "{e}");
}

#[test]
fn each_unit_uses_its_own_effects_seed() {
    // Fixing every parameter but the repeat to one value and one colourway
    // would still vary the repeat; instead compare one unit's picture with
    // effects seeded by another unit's seed: the seed must reach the pixels.
    let t = tmp();
    let d = t.path().join("ed");
    ok(&edition_args(&s(&d), "2", &["--effect", "dye:amount=0.5"]));
    let m = Manifest::read(&d.join("manifest.json")).unwrap();
    assert_ne!(m.units[0].seeds.effects, m.units[1].seeds.effects);
    let u = &m.units[0];
    let render = |seed: &str, out: &Path| {
        let mut args: Vec<String> = [
            "render",
            "kawung",
            "-o",
            &s(out),
            "--width",
            "64",
            "--height",
            "64",
            "--dpi",
            "40",
            "--palette",
            &u.colourway.palette,
            "--effect",
            "dye:amount=0.5",
            "--seed",
            seed,
        ]
        .iter()
        .map(|x| x.to_string())
        .collect();
        for (k, v) in &u.params {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            args.extend(["--set".to_string(), format!("{k}={v}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(&args);
        std::fs::read(out).unwrap()
    };
    let own = u64::from_str_radix(&u.seeds.effects, 16)
        .unwrap()
        .to_string();
    let other = u64::from_str_radix(&m.units[1].seeds.effects, 16)
        .unwrap()
        .to_string();
    let unit = std::fs::read(d.join(&u.file)).unwrap();
    // `render` with the unit's parameters and effects seed gives the unit itself
    assert_eq!(render(&own, &t.path().join("own.png")), unit);
    assert_ne!(render(&other, &t.path().join("other.png")), unit);
}

#[test]
fn every_render_format_makes_an_edition_that_verifies() {
    let t = tmp();
    for format in ["tif", "jpg", "svg", "pdf"] {
        let d = t.path().join(format);
        let err = ok(&edition_args(
            &s(&d),
            "2",
            &[&["--format", format][..], &FX].concat(),
        ));
        let raster_only_note = err.contains("note: effect dye, crackle is raster-only");
        assert_eq!(
            raster_only_note,
            ["svg", "pdf"].contains(&format),
            "{format}: {err}"
        );
        assert!(d.join(format!("kawung-002.{format}")).exists(), "{format}");
        ok(&["verify", &s(&d.join("manifest.json"))]);
    }
    let out = wastra(&edition_args(
        &s(&t.path().join("x")),
        "2",
        &["--format", "gif"],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("must be png, tif, jpg, svg or pdf"));
    let out = wastra(&edition_args(
        &s(&t.path().join("y")),
        "2",
        &["--format", "jpg", "--compression", "best"],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("applies to PNG and TIFF output"));
}

#[test]
fn rerunning_keeps_film_lots_and_application_dates() {
    // regression: resuming or merging rewrote manifest.json with nulls
    let t = tmp();
    let dir = t.path().join("ed");
    let d = s(&dir);
    ok(&edition_args(&d, "3", &[]));
    let manifest = dir.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    m["units"][1]["film_lot"] = "3M-1080-L42".into();
    m["units"][2]["application_date"] = "2023-08-17".into();
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let kept = |why: &str| {
        let m = Manifest::read(&manifest).unwrap();
        assert_eq!(m.units[0].film_lot, None, "{why}");
        assert_eq!(m.units[1].film_lot.as_deref(), Some("3M-1080-L42"), "{why}");
        assert_eq!(
            m.units[2].application_date.as_deref(),
            Some("2023-08-17"),
            "{why}"
        );
    };
    // resume after unit 2 was lost
    std::fs::remove_file(dir.join("kawung-002.json")).unwrap();
    let err = ok(&edition_args(&d, "3", &[]));
    assert!(err.contains("rendered unit 2;"), "{err}");
    kept("resume");
    ok(&edition_args(&d, "3", &["--merge"]));
    kept("merge");
    ok(&["verify", &s(&manifest)]);
    // another spec must not throw the filled-in fields away
    let out = wastra(&edition_args(&d, "3", &["--min-distance", "0.5"]));
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains(
            "belongs to another edition spec and holds film lots or application dates of 2 units"
        ),
        "{e}"
    );
    kept("another spec refused");
}

#[test]
fn a_smaller_count_warns_of_the_units_left_beyond_it() {
    let t = tmp();
    let d = s(&t.path().join("ed"));
    ok(&edition_args(&d, "4", &[]));
    let err = ok(&edition_args(&d, "2", &[]));
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].contains("holds files of units 3-4 beyond --count 2"),
        "{err}"
    );
    // the singular, and nothing said when nothing is left over
    let err = ok(&edition_args(&d, "3", &[]));
    assert!(err.contains("files of unit 4 beyond --count 3"), "{err}");
    let fresh = s(&t.path().join("fresh"));
    let err = ok(&edition_args(&fresh, "1", &[]));
    assert!(!err.contains("warning"), "{err}");
    assert!(err.contains("rendered unit 1;"), "{err}");
}

#[test]
fn merging_fragments_of_another_spec_says_so() {
    let t = tmp();
    let d = s(&t.path().join("ed"));
    for k in ["1", "2"] {
        ok(&edition_args(&d, "2", &["--unit", k]));
    }
    let out = wastra(&edition_args(
        &d,
        "2",
        &["--merge", "--min-distance", "0.5"],
    ));
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains("the fragments of units 1-2 in") && e.contains("belong to another edition spec"),
        "{e}"
    );
    std::fs::remove_file(t.path().join("ed/kawung-002.json")).unwrap();
    let out = wastra(&edition_args(&d, "2", &["--merge"]));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("unit 2 is not finished"), "{e}");
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn stale_temp_files_of_a_killed_run_are_removed_on_resume() {
    // regression: `.NAME.wastra-PID.tmp` left by a SIGKILLed run stayed forever
    let t = tmp();
    let dir = t.path().join("ed");
    let d = s(&dir);
    ok(&edition_args(&d, "2", &[]));
    std::fs::remove_file(dir.join("kawung-002.json")).unwrap();
    let stale = [
        ".kawung-002.png.wastra-4194301.tmp",
        ".kawung-001-certificate.svg.wastra-12.tmp",
        ".manifest.json.wastra-77.tmp",
    ];
    // not this edition's: left alone
    let foreign = [".kawung-009.png.wastra-5.tmp", ".notes.txt.wastra-5.tmp"];
    for f in stale.iter().chain(&foreign) {
        std::fs::write(dir.join(f), b"half a unit").unwrap();
    }
    ok(&edition_args(&d, "2", &[]));
    let mut left = temp_files(&dir);
    left.sort();
    assert_eq!(left, [foreign[0], foreign[1]]);
    // --unit K clears only its own unit's debris
    std::fs::write(dir.join(stale[0]), b"x").unwrap();
    std::fs::write(dir.join(stale[2]), b"x").unwrap();
    ok(&edition_args(&d, "2", &["--unit", "2"]));
    assert!(!dir.join(stale[0]).exists());
    assert!(dir.join(stale[2]).exists());
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_an_edition_leaves_no_temporary_file() {
    let t = tmp();
    let dir = t.path().join("ed");
    let d = s(&dir);
    // large enough that the first units are still being written when the signal comes
    let mut child = Command::new(env!("CARGO_BIN_EXE_wastra"))
        .args([
            "edition", "kawung", "--count", "2", "--seed", "s", "--out", &d, "--width", "6000",
            "--height", "6000", "--effect", "crackle", "--quiet",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = false;
    for _ in 0..600 {
        if dir.is_dir() && !temp_files(&dir).is_empty() {
            seen = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(seen, "no unit was being written");
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert_eq!(temp_files(&dir), Vec::<String>::new());
    assert!(!dir.join("manifest.json").exists());
}
