//! Renders Kawung Bribil in the indigo colourway to `kawung.png` at print
//! resolution, and the same design as a vector `kawung.svg`.
//!
//! `cargo run --release --example render_kawung`

use wastra::export::ExportOptions;
use wastra::Design;

fn main() -> Result<(), wastra::Error> {
    let design = Design::builtin("kawung")?
        .preset("bribil")?
        .set("centre", "cross")?
        .palette("indigo");
    // 10 × 10 cm at 300 dpi.
    let opts = ExportOptions::default();
    design.write("kawung.png", 1181, 1181, &opts)?;
    design.write("kawung.svg", 1181, 1181, &opts)?;
    println!("wrote kawung.png and kawung.svg");
    Ok(())
}
