use image::RgbaImage;
use wastra::export::tile::ExactTile;
use wastra::geom::Dpi;
use wastra::pattern::TextileRepeat;
use wastra::render::*;
use wastra::Design;
fn main() {
    for mm in [18.0, 17.3, 25.0, 31.1] {
        let p = Design::builtin("kawung")
            .unwrap()
            .set("repeat", mm)
            .unwrap()
            .resolve()
            .unwrap();
        let exact = ExactTile::new(&p, TextileRepeat::Block, Dpi::new(300.0).unwrap()).unwrap();
        let tile = render_image(&p, &exact.view(), &RenderOptions::default()).unwrap();
        let big = render_image(&p, &exact.view_of(2, 2), &RenderOptions::default()).unwrap();
        let (w, h) = tile.dimensions();
        let mut n = 0;
        let mut worst = 0u8;
        let mut first = None;
        for y in 0..2 * h {
            for x in 0..2 * w {
                let a = big.get_pixel(x, y);
                let b = tile.get_pixel(x % w, y % h);
                let d =
                    a.0.iter()
                        .zip(b.0.iter())
                        .map(|(p, q)| p.abs_diff(*q))
                        .max()
                        .unwrap();
                if d > 0 {
                    n += 1;
                    worst = worst.max(d);
                    if first.is_none() {
                        first = Some((x, y));
                    }
                }
            }
        }
        let _ = RgbaImage::new(1, 1);
        println!("{mm} mm: tile {w}x{h}, {n} px differ, worst {worst}, first {first:?}");
    }
}
