//! A map of the CPTS's communes coloured by an indicator: classes by quantiles, a sequential blue
//! palette, hatches where the value is not available, each commune named, a scale bar in km;
//! and its legend, for the page to write in HTML.

mod classes;
mod hatch;
mod legend;
mod projection;

pub use legend::{Legend, LegendClass};

use super::text::{MARGIN, SMALL_PX, Title, font, format_number};
use super::{Canvas, Drawn, INK, MUTED, escape, render_group};
use classes::Classes;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use projection::{Frame, Projection, scale_bar_km};

/// The map: the indicator and the communes.
#[derive(Debug, Clone)]
pub struct Choropleth {
    pub title: String,
    /// The legend's heading, e.g. « Médecins généralistes ».
    pub indicator: String,
    /// E.g. « pour 10 000 habitants ».
    pub unit: String,
    pub communes: Vec<Commune>,
}

/// A commune: its value (`None` when not available) and its outline as rings of (longitude,
/// latitude) in WGS84 degrees, one per piece of land (islands); holes are not cut out, but
/// smaller rings are drawn over larger ones, so an enclave stays visible.
#[derive(Debug, Clone)]
pub struct Commune {
    pub name: String,
    pub value: Option<f64>,
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// The map's largest size, and the chart around it (the legend is the page's, in HTML, so
/// that it stays legible on a phone); the chart is as tall as the map needs.
const MAP_SIZE: (f64, f64) = (540.0, 600.0);
const WIDTH: u32 = MAP_SIZE.0 as u32 + 2 * MARGIN as u32;
const MIN_HEIGHT: f64 = 280.0;
/// Under the map: the scale bar.
const SCALE_BAR: i32 = 44;
const MAX_CLASSES: usize = 5;
const BORDER: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
const NOT_AVAILABLE: RGBColor = RGBColor(0xf2, 0xf2, 0xf2);
const HATCH_SPACING: f64 = 6.0;

/// A drawn map: its SVG document, and its legend for the page to write beside it.
#[derive(Debug, Clone)]
pub struct Map {
    pub svg: String,
    pub legend: Legend,
}

/// The map as an SVG document, each commune a group named by its `<title>` (shown by the
/// mouse, read by screen readers), and its legend.
pub fn choropleth(chart: &Choropleth) -> Map {
    let values: Vec<f64> = chart
        .communes
        .iter()
        .filter_map(|commune| commune.value)
        .collect();
    let classes = Classes::quantiles(&values, MAX_CLASSES);
    let title = Title::new(&chart.title, WIDTH);
    let frame = Frame {
        left: f64::from(MARGIN),
        top: f64::from(title.bottom()),
        width: MAP_SIZE.0,
        height: MAP_SIZE.1,
    };
    let points: Vec<(f64, f64)> = chart
        .communes
        .iter()
        .flat_map(|c| c.rings.iter().flatten().copied())
        .collect();
    let projection = Projection::fit(&points, frame);
    let map_height = projection
        .as_ref()
        .map_or(0.0, Projection::height)
        .max(MIN_HEIGHT);
    let height = title.bottom() + map_height.round() as i32 + SCALE_BAR + MARGIN;
    let description = description(chart, classes.as_ref());
    let drawn = render_group(
        (WIDTH, height as u32),
        &chart.title,
        &description,
        |canvas| {
            title.draw(canvas)?;
            match &projection {
                Some(projection) => draw_scale_bar(canvas, projection, frame),
                None => Ok(()),
            }
        },
    );
    let communes = projection.map_or_else(String::new, |projection| {
        communes(chart, classes.as_ref(), &projection)
    });
    let svg = match drawn.rsplit_once("</svg>") {
        Some((body, _)) => format!("{body}{communes}</svg>"),
        None => drawn,
    };
    Map {
        svg,
        legend: legend::legend(chart, classes.as_ref()),
    }
}

/// A colour as SVG writes it.
fn hex(colour: RGBColor) -> String {
    let (r, g, b) = colour.rgb();
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// Each commune as a group named by its title: its rings, filled with its class's colour or
/// hatched, the communes with larger rings first so that an enclave stays visible over the
/// commune around it.
fn communes(chart: &Choropleth, classes: Option<&Classes>, projection: &Projection) -> String {
    let mut drawn: Vec<(f64, String)> = chart
        .communes
        .iter()
        .map(|commune| {
            let colour = commune
                .value
                .zip(classes)
                .map(|(v, classes)| classes.colour(classes.class_of(v)));
            let name = escape(&commune_value(commune, &chart.unit));
            let mut group = format!("<g role=\"img\" aria-label=\"{name}\"><title>{name}</title>");
            let mut largest: f64 = 0.0;
            for ring in &commune.rings {
                let pixels: Vec<(f64, f64)> =
                    ring.iter().map(|&p| projection.to_pixels(p)).collect();
                largest = largest.max(area(&pixels));
                let fill = hex(colour.unwrap_or(NOT_AVAILABLE));
                group.push_str(&format!(
                    "<polygon points=\"{}\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"1\"/>",
                    svg_points(&pixels),
                    hex(BORDER)
                ));
                if colour.is_none() {
                    group.push_str(&hatches(&pixels));
                }
            }
            group.push_str("</g>");
            (largest, group)
        })
        .collect();
    drawn.sort_by(|(a, _), (b, _)| b.total_cmp(a));
    drawn.into_iter().map(|(_, group)| group).collect()
}

/// `x,y x,y …` rounded to the pixel.
fn svg_points(pixels: &[(f64, f64)]) -> String {
    pixels
        .iter()
        .map(|&(x, y)| format!("{},{}", x.round(), y.round()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A commune and its value as its title says it: « Cabriès : 12,3 pour 100 000 habitants ».
fn commune_value(commune: &Commune, unit: &str) -> String {
    match commune.value {
        Some(value) => format!("{} : {} {unit}", commune.name, format_number(value, 1)),
        None => format!("{} : non disponible", commune.name),
    }
}

/// The area of a ring in square pixels (shoelace formula).
fn area(ring: &[(f64, f64)]) -> f64 {
    let doubled: f64 = ring
        .iter()
        .zip(ring.iter().cycle().skip(1))
        .map(|(&(x0, y0), &(x1, y1))| x0 * y1 - x1 * y0)
        .sum();
    doubled.abs() / 2.0
}

/// The hatches of a ring without value, as SVG lines.
fn hatches(ring: &[(f64, f64)]) -> String {
    hatch::hatch(ring, HATCH_SPACING)
        .into_iter()
        .map(|segment| {
            format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
                svg_points(&segment),
                hex(MUTED)
            )
        })
        .collect()
}

/// A bar of a round number of km under the map's left corner, at most a quarter of its width.
fn draw_scale_bar(canvas: &Canvas, projection: &Projection, frame: Frame) -> Drawn {
    let km = scale_bar_km(projection.pixels_per_km(), frame.width / 4.0);
    let length = (km * projection.pixels_per_km()).round() as i32;
    let bottom = frame.top + projection.height();
    let (left, y) = (MARGIN, bottom.round() as i32 + SCALE_BAR / 2);
    let bar = vec![
        (left, y - 5),
        (left, y),
        (left + length, y),
        (left + length, y - 5),
    ];
    canvas.draw(&PathElement::new(bar, INK.stroke_width(2)))?;
    let label = format!("{} km", format_number(km, usize::from(km < 1.0)));
    canvas.draw(&Text::new(
        label,
        (left + length + 8, y),
        font(SMALL_PX, HPos::Left, VPos::Center),
    ))
}

/// What a screen reader says: the classes, then every commune's value.
fn description(chart: &Choropleth, classes: Option<&Classes>) -> String {
    let classes = classes.map_or_else(String::new, |classes| {
        let labels: Vec<String> = (0..classes.count())
            .map(|class| classes.label(class))
            .collect();
        format!(
            " en {} classes par quantiles ({})",
            classes.count(),
            labels.join(" ; ")
        )
    });
    let communes: Vec<String> = chart
        .communes
        .iter()
        .map(|commune| {
            let value = commune
                .value
                .map_or_else(|| "non disponible".to_owned(), |v| format_number(v, 1));
            format!("{} : {value}", commune.name)
        })
        .collect();
    format!(
        "Carte des {} communes : {} ({}){classes}. {}.",
        chart.communes.len(),
        chart.indicator,
        chart.unit,
        communes.join(" ; ")
    )
}

#[cfg(test)]
mod tests;
