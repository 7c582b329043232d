//! A one-page certificate per unit: an A5 SVG with the unit number, the motif's
//! name and meaning, an actual-size vector swatch of the unit, its colour
//! chips, the seeds and hash that make it traceable, and blank lines for the
//! film lot and application date.
//!
//! The page is in millimetres (viewBox 148 × 210). Text is SVG text in a serif
//! stack, so it stays selectable and searchable; the bytes do not depend on
//! fonts installed anywhere.

use svg::node::element::{ClipPath, Group, Line, Rectangle, Text};
use svg::node::Blob;
use svg::Document;

use super::chips;
use super::manifest::UnitRecord;
use super::Plan;
use crate::error::Error;
use crate::geom::Dpi;
use crate::render::View;
use crate::Design;

const PAGE_W: f64 = 148.0;
const PAGE_H: f64 = 210.0;
const SWATCH_MM: f64 = 64.0;
const FONT: &str = "Georgia, 'Times New Roman', serif";

fn text(x: f64, y: f64, size: f64, s: &str) -> Text {
    Text::new(s)
        .set("x", num(x))
        .set("y", num(y))
        .set("font-size", num(size))
        .set("font-family", FONT)
        .set("fill", "#222222")
}

fn centred(y: f64, size: f64, s: &str) -> Text {
    text(PAGE_W / 2.0, y, size, s).set("text-anchor", "middle")
}

fn num(v: f64) -> String {
    crate::motif::params::trim_float((v * 1e3).round() / 1e3)
}

/// Breaks `s` into lines of at most `width` characters, at spaces.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The certificate of unit `r` (its `sha256` already known), drawn from `design`.
pub fn certificate(plan: &Plan, r: &UnitRecord, design: &Design) -> Result<Vec<u8>, Error> {
    let spec = &plan.spec;
    let motif = &plan.motif;
    let f = &motif.file().motif;
    let mut doc = Document::new()
        .set("width", format!("{PAGE_W}mm"))
        .set("height", format!("{PAGE_H}mm"))
        .set("viewBox", (0, 0, PAGE_W, PAGE_H))
        .add(svg::node::element::Title::new(format!(
            "{} {} of {}: certificate",
            spec.name,
            spec.number(r.number),
            spec.count
        )))
        .add(
            Rectangle::new()
                .set("width", PAGE_W)
                .set("height", PAGE_H)
                .set("fill", "#FFFDF7"),
        )
        .add(
            Rectangle::new()
                .set("x", 6)
                .set("y", 6)
                .set("width", PAGE_W - 12.0)
                .set("height", PAGE_H - 12.0)
                .set("fill", "none")
                .set("stroke", "#4A2C17")
                .set("stroke-width", 0.4),
        )
        .add(centred(
            16.0,
            4.0,
            &format!("Limited edition “{}” · {}", spec.name, motif.title()),
        ))
        .add(centred(
            29.0,
            11.0,
            &format!("No. {} of {}", spec.number(r.number), spec.count),
        ));

    // An actual-size vector swatch of the unit itself.
    let pattern = design.resolve()?;
    let dpi = Dpi::new(96.0).expect("positive");
    let px = (SWATCH_MM * dpi.px_per_mm()).round() as u32;
    let inner = crate::export::svg::document(
        &pattern,
        &View::at_dpi(&pattern, px, px, dpi.get()),
        dpi,
        None,
    )
    .to_string();
    // The swatch's drawing goes in a transformed, clipped group rather than a
    // nested <svg>, which some renderers (ImageMagick's) misplace.
    let body = inner
        .find('>')
        .zip(inner.rfind("</svg>"))
        .map_or("", |(a, b)| &inner[a + 1..b]);
    let x0 = (PAGE_W - SWATCH_MM) / 2.0;
    let swatch = Group::new()
        .set(
            "transform",
            format!("translate({} 36) scale({})", num(x0), SWATCH_MM / px as f64),
        )
        .set("clip-path", "url(#swatch-clip)")
        .add(
            ClipPath::new()
                .set("id", "swatch-clip")
                .add(Rectangle::new().set("width", px).set("height", px)),
        )
        .add(Blob::new(body));
    doc = doc.add(swatch).add(
        Rectangle::new()
            .set("x", num((PAGE_W - SWATCH_MM) / 2.0))
            .set("y", 36)
            .set("width", SWATCH_MM)
            .set("height", SWATCH_MM)
            .set("fill", "none")
            .set("stroke", "#222222")
            .set("stroke-width", 0.25),
    );
    doc = doc.add(centred(
        36.0 + SWATCH_MM + 4.0,
        2.6,
        "swatch at actual size",
    ));

    let mut y = 114.0;
    doc = doc.add(centred(y, 7.0, motif.title()));
    y += 5.5;
    doc = doc.add(centred(
        y,
        3.0,
        &format!("{} · {}", motif.family(), f.region),
    ));
    y += 7.0;
    for line in wrap(&f.meaning, 78).into_iter().take(6) {
        doc = doc.add(centred(y, 3.1, &line));
        y += 4.4;
    }

    let params: Vec<String> = r
        .params
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k} {s}"),
            other => format!("{k} {other}"),
        })
        .collect();
    let mut details = vec![format!(
        "Colourway {} · parameters: {}",
        r.colourway.palette,
        params.join(", ")
    )];
    details.push(format!(
        "Edition seed “{}” · unit seed {}",
        spec.seed, r.seeds.unit
    ));
    // Effects make each unit's cloth unique too: name them and their seed.
    if spec.finish.is_some() || !spec.effects.is_empty() {
        let finish = spec.finish.iter().map(|f| format!("{f} finish"));
        let all: Vec<String> = finish.chain(spec.effects.iter().cloned()).collect();
        details.push(format!(
            "Effects {} · effects seed {}",
            all.join(", "),
            r.seeds.effects
        ));
    }
    details.push(format!("File {} · SHA-256 {}", r.file, r.sha256));
    let details: Vec<String> = details.iter().flat_map(|d| wrap(d, 96)).collect();
    let line_y = PAGE_H - 16.0;

    // Colour chips of the unit's colourway, one per distinct colour, in the
    // room the details leave above the film lot line.
    y += 2.0;
    let groups = chips::group_by_colour(r.colourway.colours.iter());
    let room = line_y - 6.0 - details.len() as f64 * 3.3 - y;
    let (laid, used) = chips::layout(&groups, 12.0, PAGE_W - 24.0, y, room);
    for c in &laid {
        if c.swatch.2 > 0.0 {
            let (x, sy, w, h) = c.swatch;
            doc = doc.add(
                Rectangle::new()
                    .set("x", num(x))
                    .set("y", num(sy))
                    .set("width", num(w))
                    .set("height", num(h))
                    .set("fill", c.hex.as_str())
                    .set("stroke", "#222222")
                    .set("stroke-width", 0.15),
            );
        }
        for (x, ly, t) in &c.lines {
            doc = doc.add(text(*x, *ly, chips::LABEL_MM, t));
        }
    }
    y += used + 2.0;
    for d in &details {
        doc = doc.add(text(12.0, y, 2.3, d));
        y += 3.3;
    }
    for (x, label) in [(12.0, "Film lot"), (78.0, "Applied on")] {
        doc = doc.add(text(x, line_y, 2.8, label)).add(
            Line::new()
                .set("x1", x + 15.0)
                .set("y1", line_y + 0.5)
                .set("x2", x + 58.0)
                .set("y2", line_y + 0.5)
                .set("stroke", "#222222")
                .set("stroke-width", 0.2),
        );
    }
    doc = doc.add(centred(
        PAGE_H - 9.0,
        2.3,
        &format!(
            "wastra {} · verify with: wastra verify manifest.json",
            env!("CARGO_PKG_VERSION")
        ),
    ));
    let mut out = Vec::new();
    svg::write(&mut out, &doc).map_err(|e| Error::Internal(format!("writing SVG: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("longword x", 3), ["longword", "x"]);
        assert!(wrap("", 10).is_empty());
    }
}
