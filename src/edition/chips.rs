//! Laying out a certificate's colour chips: one chip per distinct colour,
//! labelled with its hex and the roles that use it, in wrapped rows inside a
//! given area.
//!
//! Motifs made of other motifs (sekar-jagad, tambal) have dozens of roles
//! (`ceplok-grompol.cecek`) but only a few colours: a chip per role made 36
//! slivers with labels printed over each other. Roles sharing a colour are
//! grouped by nested motif (`kawung: mark, petal`), and a label that cannot
//! fit ends with `+N more`: the full role → colour map is in the manifest.

use super::certificate::wrap;

/// Font size of chip labels, mm.
pub const LABEL_MM: f64 = 2.3;
/// Baseline to baseline, mm.
const LEADING_MM: f64 = 2.9;
/// A conservative width of one label character, mm: wider than Georgia's
/// average (about 0.5 em) so that estimated boxes hold the drawn text.
pub const CHAR_MM: f64 = 0.62 * LABEL_MM;
const SWATCH_H: f64 = 7.0;
const MIN_CELL_W: f64 = 24.0;
const GAP: f64 = 2.0;

/// One laid-out chip.
#[derive(Debug, Clone, PartialEq)]
pub struct Chip {
    /// The colour, `#RRGGBB`.
    pub hex: String,
    /// The colour swatch: x, y, width, height in mm.
    pub swatch: (f64, f64, f64, f64),
    /// Label lines: x, baseline y, text.
    pub lines: Vec<(f64, f64, String)>,
}

impl Chip {
    /// The box the label's text can take: x, y, width, height in mm.
    pub fn label_box(&self) -> (f64, f64, f64, f64) {
        let (x, top) = match self.lines.first() {
            Some((x, y, _)) => (*x, y - LABEL_MM),
            None => return (self.swatch.0, self.swatch.1 + self.swatch.3, 0.0, 0.0),
        };
        let chars = self.lines.iter().map(|l| l.2.chars().count()).max();
        let bottom = self.lines.last().map_or(top, |l| l.1 + 0.25 * LABEL_MM);
        (x, top, chars.unwrap_or(0) as f64 * CHAR_MM, bottom - top)
    }
}

/// Roles grouped by colour, in the order colours first appear; each group's
/// roles grouped by nested motif: `ground; kawung: mark, petal`.
pub fn group_by_colour<'a>(
    colours: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<&'a str>)> = Vec::new();
    for (role, hex) in colours {
        match groups.iter_mut().find(|g| g.0 == *hex) {
            Some(g) => g.1.push(role),
            None => groups.push((hex.clone(), vec![role])),
        }
    }
    groups
        .into_iter()
        .map(|(hex, roles)| {
            let mut parts: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
            for r in roles {
                let (prefix, name) = match r.rsplit_once('.') {
                    Some((p, n)) => (Some(p), n),
                    None => (None, r),
                };
                match parts.iter_mut().find(|p| p.0 == prefix) {
                    Some(p) => p.1.push(name),
                    None => parts.push((prefix, vec![name])),
                }
            }
            let text: Vec<String> = parts
                .into_iter()
                .map(|(p, names)| match p {
                    Some(p) => format!("{p}: {}", names.join(", ")),
                    None => names.join(", "),
                })
                .collect();
            (hex, text.join("; "))
        })
        .collect()
}

/// Lays out `chips` (hex, roles text) in rows across `width` mm from `x0`,
/// starting at `y0`, within `max_h` mm. Returns the chips and the height
/// used. Labels are cut short (`+N more`) to fit; if not even one line per
/// chip fits, the last chips that fit say how many colours are left out.
pub fn layout(
    chips: &[(String, String)],
    x0: f64,
    width: f64,
    y0: f64,
    max_h: f64,
) -> (Vec<Chip>, f64) {
    let n = chips.len().max(1);
    let cols = ((width / MIN_CELL_W).floor() as usize).clamp(1, n);
    let cell_w = width / cols as f64;
    let chars = (((cell_w - GAP) / CHAR_MM).floor() as usize).max(4);
    let rows = chips.len().div_ceil(cols);
    // Lines of roles per chip: as many as the height allows, at most 5.
    let per_row = |role_lines: usize| SWATCH_H + 1.0 + LEADING_MM * (1 + role_lines) as f64 + GAP;
    let mut role_lines = 5;
    while role_lines > 0 && rows as f64 * per_row(role_lines) > max_h {
        role_lines -= 1;
    }
    let row_h = per_row(role_lines);
    let fit_rows = ((max_h / row_h).floor() as usize).clamp(1, rows.max(1));
    let mut shown = chips.len().min(fit_rows * cols);
    let left_out = chips.len() - shown;
    if left_out > 0 {
        shown -= 1; // the last place says what is left out
    }
    let mut out = Vec::new();
    let mut used = 0.0f64;
    for (i, (hex, roles)) in chips.iter().take(shown).enumerate() {
        let (col, row) = (i % cols, i / cols);
        let x = x0 + col as f64 * cell_w;
        let y = y0 + row as f64 * row_h;
        let mut lines = vec![hex.clone()];
        let mut wrapped = wrap(roles, chars);
        if wrapped.len() > role_lines && role_lines > 0 {
            let rest = wrapped.len() - role_lines + 1;
            wrapped.truncate(role_lines - 1);
            wrapped.push(format!("… {rest} lines more"));
        }
        wrapped.truncate(role_lines);
        lines.extend(wrapped);
        // A word longer than the cell is cut rather than run into the next.
        for l in &mut lines {
            if l.chars().count() > chars {
                *l = l.chars().take(chars - 1).chain(['…']).collect();
            }
        }
        let base = y + SWATCH_H + 1.0 + LABEL_MM;
        out.push(Chip {
            hex: hex.clone(),
            swatch: (x, y, cell_w - GAP, SWATCH_H),
            lines: lines
                .into_iter()
                .enumerate()
                .map(|(k, t)| (x, base + k as f64 * LEADING_MM, t))
                .collect(),
        });
        used = used.max(y - y0 + row_h);
    }
    if left_out > 0 {
        let i = shown;
        let (x, y) = (
            x0 + (i % cols) as f64 * cell_w,
            y0 + (i / cols) as f64 * row_h,
        );
        out.push(Chip {
            hex: String::new(),
            swatch: (x, y, 0.0, 0.0),
            lines: vec![(x, y + LABEL_MM, format!("+{} colours", left_out + 1))],
        });
        used = used.max(y - y0 + row_h);
    }
    // The height actually taken, when labels are shorter than their room.
    let taken = out
        .iter()
        .map(|c| {
            let b = c.label_box();
            (b.1 + b.3).max(c.swatch.1 + c.swatch.3) - y0 + GAP
        })
        .fold(0.0, f64::max);
    (out, taken.min(used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    }

    fn check(chips: &[(String, String)]) {
        let (x0, w, y0, h) = (12.0, 124.0, 140.0, 32.0);
        let (laid, used) = layout(chips, x0, w, y0, h);
        assert!(used <= h + 1e-9, "{used}");
        let boxes: Vec<_> = laid
            .iter()
            .flat_map(|c| [c.label_box(), c.swatch])
            .filter(|b| b.2 > 0.0)
            .collect();
        for b in &boxes {
            assert!(
                b.0 >= x0 && b.0 + b.2 <= x0 + w + 1e-9 && b.1 >= y0 && b.1 + b.3 <= y0 + h + 1e-9,
                "{b:?} is outside the area"
            );
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlap(*a, *b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn chips_of_many_roles_stay_apart_and_inside() {
        // sekar-jagad's 36 roles in 4 colours, and the worst case: 36 colours
        let roles: Vec<String> = (0..36)
            .map(|i| format!("ceplok-grompol-{}.cecek{i}", i % 6))
            .collect();
        let hexes = ["#4A2C17", "#E9DCC0", "#B5835A", "#8B5A2B"];
        let few: Vec<(String, String)> = roles
            .iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), hexes[i % 4].to_string()))
            .collect();
        let grouped = group_by_colour(few.iter().map(|(r, h)| (r, h)));
        assert_eq!(grouped.len(), 4);
        check(&grouped);
        let many: Vec<(String, String)> = roles
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("#{i:06X}"), r.clone()))
            .collect();
        check(&many);
        let (laid, _) = layout(&many, 12.0, 124.0, 140.0, 32.0);
        assert!(
            laid.last().unwrap().lines[0].2.ends_with("colours"),
            "says what is left out"
        );
        check(&many[..5]);
    }

    #[test]
    fn roles_group_by_colour_and_nested_motif() {
        let c = |a: &str| a.to_string();
        let pairs = [
            (c("ground"), c("#111111")),
            (c("kawung.mark"), c("#222222")),
            (c("kawung.petal"), c("#111111")),
            (c("kawung.outline"), c("#111111")),
        ];
        assert_eq!(
            group_by_colour(pairs.iter().map(|(r, h)| (r, h))),
            [
                (c("#111111"), c("ground; kawung: petal, outline")),
                (c("#222222"), c("kawung: mark"))
            ]
        );
    }
}
