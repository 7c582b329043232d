//! A motif of your own, written as data: a ceplok-like bloom of four petals and
//! a star, on a square lattice with p4m symmetry. No recompiling is needed to
//! use such a file from the CLI either: `wastra render my-motif.toml -o out.png`.
//!
//! `cargo run --example custom_motif`

use wastra::Design;

const MY_MOTIF: &str = r##"
[motif]
name = "my-bloom"
family = "batik"
region = "my studio"
description = "Four petals and a star, for trying the format"
meaning = "An exercise in the motif format"

[params.repeat]
default = 30.0
min = 5.0
max = 300.0
unit = "mm"
doc = "Size of one square repeat"

[params.petal]
default = 0.12
min = 0.05
max = 0.2
doc = "Petal half-width, in repeats"

[colors]
palette = "pesisir"
roles = { ground = "ground", petal = "ink", star = "mid", line = "ink" }

[lattice]
kind = "square"
unit = "repeat"
group = "p4m"

[[layer]]
fill = "petal"
[[layer.shape]]
type = "ellipse"
center = [0.25, 0]
rx = 0.2
ry = "petal"

[[layer]]
fill = "star"
stroke = "line"
stroke_width = 0.01
[[layer.shape]]
type = "star"
center = [0.5, 0.5]
outer = 0.18
inner = 0.07
sides = 8
"##;

fn main() -> Result<(), wastra::Error> {
    let design = Design::from_toml(MY_MOTIF)?.set("petal", 0.15)?;
    let img = design.render_px(600, 600, 150.0)?;
    img.save("my-bloom.png")
        .map_err(|e| wastra::Error::Internal(e.to_string()))?;
    println!(
        "wrote my-bloom.png ({} fills per cell)",
        design.resolve()?.len()
    );
    Ok(())
}
