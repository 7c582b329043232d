//! Writes `docs/images/finishes.png`: Kawung plain, tulis, cap, with wax
//! crackle and as ikat, side by side (left to right), each 30 × 30 mm at 300 dpi.
//!
//! Run: `cargo run --release --example finishes`

use wastra::effects::{Effect, Effects, Frame};
use wastra::render::{RenderOptions, View};
use wastra::Design;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let side = 354; // 30 mm at 300 dpi
    let gap = 8;
    let pattern = Design::builtin("kawung")?.set("repeat", 20.0)?.resolve()?;
    let seed = 7;
    let finishes: [(&str, Effects); 5] = [
        ("plain", Effects::new(seed)),
        ("tulis", Effects::parse(&[], Some("tulis"), seed)?),
        ("cap", Effects::parse(&[], Some("cap"), seed)?),
        (
            "crackle",
            Effects::new(seed).with("crackle".parse::<Effect>()?),
        ),
        ("ikat", Effects::new(seed).with("ikat".parse::<Effect>()?)),
    ];
    let mut out =
        image::RgbaImage::from_pixel(5 * side + 4 * gap, side, image::Rgba([255, 255, 255, 255]));
    for (i, (name, fx)) in finishes.iter().enumerate() {
        let p = fx.apply_geometry(&pattern);
        let view = View::at_dpi(&p, side, side, 300.0);
        let opts = RenderOptions::default();
        let stage = fx.pixel_stage(&p, &view, &Frame::at_dpi(300.0), &opts)?;
        let img = wastra::effects::render_image(&p, &view, &opts, &stage)?;
        image::imageops::overlay(&mut out, &img, (i as u32 * (side + gap)) as i64, 0);
        eprintln!("{name}: {} pixel effects", stage.is_empty() as u8 ^ 1);
    }
    std::fs::create_dir_all("docs/images")?;
    out.save("docs/images/finishes.png")?;
    Ok(())
}
