//! A map of the CPTS's communes coloured by an indicator: classes by quantiles, a sequential blue
//! palette, hatches where the value is not available, a legend and a scale bar in km.

mod classes;
mod hatch;
mod legend;
mod projection;

use super::text::{MARGIN, SMALL_PX, Title, font, format_number};
use super::{Canvas, Drawn, INK, MUTED, render};
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

const WIDTH: u32 = 800;
/// The map's largest size; the chart is as tall as the map needs, and the legend.
const MAP_SIZE: (f64, f64) = (540.0, 600.0);
const MIN_HEIGHT: f64 = 280.0;
/// Under the map: the scale bar.
const SCALE_BAR: i32 = 44;
const MAX_CLASSES: usize = 5;
const BORDER: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
const NOT_AVAILABLE: RGBColor = RGBColor(0xf2, 0xf2, 0xf2);
const HATCH_SPACING: f64 = 6.0;

/// The map as an SVG document.
pub fn choropleth(chart: &Choropleth) -> String {
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
    render(
        (WIDTH, height as u32),
        &chart.title,
        &description,
        |canvas| {
            title.draw(canvas)?;
            if let Some(projection) = &projection {
                draw_communes(canvas, chart, classes.as_ref(), projection)?;
                draw_scale_bar(canvas, projection, frame)?;
            }
            legend::draw(canvas, chart, classes.as_ref(), title.bottom())
        },
    )
}

/// A ring of a commune in pixels, and its fill (`None`: not available, hatched).
type Piece = (Vec<(f64, f64)>, Option<RGBColor>);

/// Every ring, the larger ones first so that an enclave stays visible over the commune around it.
fn draw_communes(
    canvas: &Canvas,
    chart: &Choropleth,
    classes: Option<&Classes>,
    projection: &Projection,
) -> Drawn {
    let mut pieces: Vec<Piece> = chart
        .communes
        .iter()
        .flat_map(|commune| {
            let colour = commune
                .value
                .zip(classes)
                .map(|(v, classes)| classes.colour(classes.class_of(v)));
            commune.rings.iter().map(move |ring| {
                (
                    ring.iter().map(|&p| projection.to_pixels(p)).collect(),
                    colour,
                )
            })
        })
        .collect();
    pieces.sort_by(|(a, _), (b, _)| area(b).total_cmp(&area(a)));
    for (ring, colour) in &pieces {
        let pixels: Vec<(i32, i32)> = ring
            .iter()
            .map(|&(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        canvas.draw(&Polygon::new(
            pixels.clone(),
            colour.unwrap_or(NOT_AVAILABLE).filled(),
        ))?;
        if colour.is_none() {
            draw_hatches(canvas, ring)?;
        }
        let closed: Vec<(i32, i32)> = pixels.iter().chain(pixels.first()).copied().collect();
        canvas.draw(&PathElement::new(closed, BORDER.stroke_width(1)))?;
    }
    Ok(())
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

fn draw_hatches(canvas: &Canvas, ring: &[(f64, f64)]) -> Drawn {
    for [(x0, y0), (x1, y1)] in hatch::hatch(ring, HATCH_SPACING) {
        let segment = vec![
            (x0.round() as i32, y0.round() as i32),
            (x1.round() as i32, y1.round() as i32),
        ];
        canvas.draw(&PathElement::new(segment, MUTED.stroke_width(1)))?;
    }
    Ok(())
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
