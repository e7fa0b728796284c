//! Server-side SVG charts of the territorial diagnosis, drawn with plotters into a `String`:
//! the shared palette and the accessible SVG wrapper (the French text helpers are in `text`).
//!
//! Each chart is a pure function from plain data to a standalone SVG document (no script, no
//! external resource, no `style` attribute so that the page's CSP holds) whose `viewBox` lets it
//! scale to the width of its container.

pub mod choropleth;
pub mod levels;
pub mod pyramid;

#[cfg(test)]
mod svg_check;
mod text;

pub use text::format_number;

use plotters::coord::Shift;
use plotters::prelude::*;

/// The root drawing area of a chart, in pixels from its top-left corner.
pub(crate) type Canvas<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// What drawing on a [`Canvas`] returns.
pub(crate) type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Text, axes and outlines.
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text (« n.d. ») and light rules.
pub(crate) const MUTED: RGBColor = RGBColor(0x5f, 0x5f, 0x5f);

/// Anchors of the sequential blue ramp, from pale to dark: lightness falls steadily so that
/// its shades stay ordered in grey print and for colour-blind readers.
const RAMP: [(u8, u8, u8); 5] = [
    (0xe4, 0xee, 0xf7),
    (0xa8, 0xc9, 0xe4),
    (0x69, 0x9f, 0xcd),
    (0x33, 0x6f, 0xa9),
    (0x0c, 0x3c, 0x72),
];

/// The shade of the blue ramp at `t` in `[0, 1]` (0 = palest, 1 = darkest), interpolated
/// linearly between its anchors.
pub(crate) fn ramp(t: f64) -> RGBColor {
    let position = t.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64;
    let low = (position.floor() as usize).min(RAMP.len() - 2);
    let weight = position - low as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * weight).round() as u8;
    let ((r0, g0, b0), (r1, g1, b1)) = (RAMP[low], RAMP[low + 1]);
    RGBColor(mix(r0, r1), mix(g0, g1), mix(b0, b1))
}

/// Draws a chart of `size` pixels on a white background and returns it as an accessible SVG
/// document named by `title` and described by `desc` (both French, read by screen readers).
pub(crate) fn render(
    size: (u32, u32),
    title: &str,
    desc: &str,
    draw: impl FnOnce(&Canvas) -> Drawn,
) -> String {
    accessible(&drawn(size, draw), size, "img", title, desc)
}

/// As [`render`], for a chart whose parts are named one by one (the communes of a map): the
/// document is a group, which screen readers enter, named by `title` and described by `desc`.
pub(crate) fn render_group(
    size: (u32, u32),
    title: &str,
    desc: &str,
    draw: impl FnOnce(&Canvas) -> Drawn,
) -> String {
    accessible(&drawn(size, draw), size, "group", title, desc)
}

/// What plotters draws of a chart of `size` pixels on a white background.
fn drawn(size: (u32, u32), draw: impl FnOnce(&Canvas) -> Drawn) -> String {
    let mut raw = String::new();
    {
        let canvas = SVGBackend::with_string(&mut raw, size).into_drawing_area();
        let drawn = canvas
            .fill(&WHITE)
            .and_then(|()| draw(&canvas))
            .and_then(|()| canvas.present());
        if let Err(error) = drawn {
            // Writing into a String cannot fail: this would be a plotters bug, and the document
            // stays well formed (the backend closes its tags when dropped).
            tracing::warn!(%error, "drawing a chart failed");
        }
    }
    raw
}

/// Replaces plotters' opening `<svg>` tag (fixed width and height) by one that scales with its
/// container and is exposed with `role` (an image, or a group of named parts) named by its
/// `<title>` and described by its `<desc>`.
fn accessible(
    raw: &str,
    (width, height): (u32, u32),
    role: &str,
    title: &str,
    desc: &str,
) -> String {
    let body = raw.split_once('>').map_or(raw, |(_, body)| body);
    let id = format!("chart-{:08x}", fnv1a(&[title, desc]));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         role=\"{role}\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" \
         class=\"chart\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{body}",
        escape(title),
        escape(desc),
    )
}

/// A stable 32-bit FNV-1a hash, so that two charts of one page get distinct element ids.
fn fnv1a(parts: &[&str]) -> u32 {
    parts
        .iter()
        .flat_map(|part| part.bytes().chain([0]))
        .fold(0x811c_9dc5, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        })
}

/// `text` with the characters XML reserves replaced by entities.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_darkens_from_pale_to_dark() {
        let grey =
            |c: RGBColor| 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
        let greys: Vec<f64> = (0..=8).map(|i| grey(ramp(f64::from(i) / 8.0))).collect();
        assert!(greys.windows(2).all(|pair| pair[0] > pair[1]), "{greys:?}");
        assert_eq!(ramp(0.0), RGBColor(0xe4, 0xee, 0xf7));
        assert_eq!(ramp(1.0), RGBColor(0x0c, 0x3c, 0x72));
    }

    #[test]
    fn the_wrapper_names_and_describes_a_scalable_image() {
        let svg = render(
            (200, 100),
            "Densités « A & B »",
            "Une description.",
            |_| Ok(()),
        );
        svg_check::assert_well_formed(&svg);
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\"")
        );
        assert!(svg.contains("role=\"img\""));
        let opening = &svg[..svg.find('>').expect("a tag")];
        assert!(
            !opening.contains("width"),
            "no fixed size: the viewBox scales"
        );
        assert!(svg.contains("<title id=\"chart-"));
        assert!(svg.contains(">Densités « A &amp; B »</title>"));
        assert!(svg.contains(">Une description.</desc>"));
        assert!(!svg.contains("<script") && !svg.contains("href"));
    }
}
