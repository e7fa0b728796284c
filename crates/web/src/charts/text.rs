//! The French text of the charts: numbers with a decimal comma, labels wrapped without measuring
//! the font (plotters' naive layout), text styles, titles and legend labels.

use super::{Canvas, Drawn, INK};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Sizes of text in CSS pixels: never under 12.
pub(crate) const SMALL_PX: f64 = 12.0;
pub(crate) const TEXT_PX: f64 = 14.0;
pub(crate) const HEADING_PX: f64 = 16.0;
pub(crate) const TITLE_PX: f64 = 18.0;

/// A sans-serif text style of `px` CSS pixels, anchored at (`h`, `v`). The SVG backend writes
/// `font-size` as the requested size divided by 1.24, which this compensates.
pub(crate) fn font(px: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle::from((FontFamily::SansSerif, px * 1.24).into_font())
        .color(&INK)
        .pos(Pos::new(h, v))
}

/// `value` written the French way with `decimals` digits: decimal comma, narrow no-break spaces
/// between thousands, and a true minus sign (`12 345,6`, `−0,5`).
pub fn format_number(value: f64, decimals: usize) -> String {
    let digits = format!("{:.*}", decimals, value.abs());
    let (integer, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
    let mut grouped = String::new();
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(digit);
    }
    let is_zero = digits.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !is_zero { "−" } else { "" };
    match fraction {
        "" => format!("{sign}{grouped}"),
        _ => format!("{sign}{grouped},{fraction}"),
    }
}

/// Splits `text` into lines of at most `width` characters, at spaces (a longer word stays whole).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    // Only at ordinary spaces: a no-break space (as in « 10 000 ») holds its words together.
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Left and top margin of every chart, in pixels.
pub(crate) const MARGIN: i32 = 16;
/// Size of a legend's colour swatch, in pixels.
pub(crate) const SWATCH: (i32, i32) = (18, 14);

/// Draws `lines` of `px`-pixel text one under the other, the first one's top at `(x, y)`;
/// returns the `y` below the last one.
pub(crate) fn draw_lines(
    canvas: &Canvas,
    lines: &[String],
    (x, y): (i32, i32),
    px: f64,
) -> Result<i32, DrawingAreaErrorKind<std::io::Error>> {
    let step = (px * 1.35).round() as i32;
    for (index, line) in lines.iter().enumerate() {
        let top = y + step * index as i32;
        canvas.draw(&Text::new(
            line.as_str(),
            (x, top),
            font(px, HPos::Left, VPos::Top),
        ))?;
    }
    Ok(y + step * lines.len() as i32)
}

/// A chart's visible title, wrapped to the chart's width.
pub(crate) struct Title(Vec<String>);

impl Title {
    pub(crate) fn new(text: &str, chart_width: u32) -> Self {
        // About 10 pixels a character at 18 pixels, without measuring the font.
        Self(wrap(
            text,
            (chart_width as usize).saturating_sub(2 * MARGIN as usize) / 10,
        ))
    }

    /// The `y` under the title, where the chart's content starts.
    pub(crate) fn bottom(&self) -> i32 {
        MARGIN + (TITLE_PX * 1.35).round() as i32 * self.0.len() as i32 + 8
    }

    pub(crate) fn draw(&self, canvas: &Canvas) -> Drawn {
        draw_lines(canvas, &self.0, (MARGIN, MARGIN), TITLE_PX).map(|_| ())
    }
}

/// Writes `label` beside a legend swatch whose top-left corner is `(x, y)`.
pub(crate) fn legend_label(canvas: &Canvas, (x, y): (i32, i32), label: &str) -> Drawn {
    let at = (x + SWATCH.0 + 8, y + SWATCH.1 / 2);
    canvas.draw(&Text::new(
        label,
        at,
        font(TEXT_PX, HPos::Left, VPos::Center),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_french_way() {
        assert_eq!(format_number(1234567.891, 1), "1\u{202f}234\u{202f}567,9");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(1000.0, 0), "1\u{202f}000");
        assert_eq!(format_number(85.25, 2), "85,25");
        assert_eq!(format_number(-0.5, 1), "−0,5");
        assert_eq!(format_number(-0.01, 1), "0,0");
    }

    #[test]
    fn long_labels_wrap_at_spaces() {
        assert_eq!(
            wrap("Médecins généralistes pour 10\u{202f}000 habitants", 22),
            ["Médecins généralistes", "pour 10\u{202f}000 habitants"]
        );
    }
}
