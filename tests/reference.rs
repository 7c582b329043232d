//! Reference images of built-in motifs at small sizes.

mod common;

use wastra::Design;

#[test]
fn kawung_default() {
    let img = Design::builtin("kawung")
        .unwrap()
        .render_px(240, 240, 72.0)
        .unwrap();
    common::assert_reference("kawung", &img);
}

#[test]
fn kawung_picis_indigo_with_cross() {
    let img = Design::builtin("kawung")
        .unwrap()
        .preset("picis")
        .unwrap()
        .set("centre", "cross")
        .unwrap()
        .palette("indigo")
        .render_px(200, 160, 150.0)
        .unwrap();
    common::assert_reference("kawung-picis-indigo", &img);
}

#[test]
fn every_kawung_preset_and_choice_renders_something_of_each_role() {
    let d = Design::builtin("kawung").unwrap();
    for preset in ["picis", "bribil", "sen", "kemplong"] {
        let img = d
            .clone()
            .preset(preset)
            .unwrap()
            .render_px(64, 64, 150.0)
            .unwrap();
        let distinct: std::collections::HashSet<[u8; 4]> = img.pixels().map(|p| p.0).collect();
        assert!(distinct.len() > 3, "{preset} draws almost nothing");
    }
}
