//! The age pyramid: the six INSEE age bands, men on the left and women on the right, as shares of
//! the whole population so that the CPTS (filled bars) compares with a reference area (outlines).

use super::text::{
    HEADING_PX, MARGIN, SMALL_PX, SWATCH, TEXT_PX, Title, font, format_number, legend_label,
};
use super::{Canvas, Drawn, INK, MUTED, render};
use maillage_domain::diagnosis::AGE_BANDS;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// An area's inhabitants per age band (in the order of [`AGE_BANDS`]) and sex; INSEE counts
/// may be fractional (weighted census estimates).
#[derive(Debug, Clone)]
pub struct Population {
    pub name: String,
    pub men: [f64; 6],
    pub women: [f64; 6],
}

/// The chart: the CPTS's population and, optionally, the one it is compared with (e.g. France).
#[derive(Debug, Clone)]
pub struct Pyramid {
    pub title: String,
    pub area: Population,
    pub reference: Option<Population>,
}

/// Each band's men and women as percentages of the whole population (both sexes, all ages):
/// the twelve shares add up to 100 (all zero for an empty population).
pub fn shares(population: &Population) -> ([f64; 6], [f64; 6]) {
    let total: f64 = population.men.iter().chain(&population.women).sum();
    let share = |count: f64| {
        if total > 0.0 {
            100.0 * count / total
        } else {
            0.0
        }
    };
    (population.men.map(share), population.women.map(share))
}

const WIDTH: u32 = 800;
const LEGEND_LINE: i32 = 22;
/// « Hommes » and « Femmes » above the bars.
const SIDES: i32 = 28;
const BAND: i32 = 44;
/// Bars fill the middle of their band.
const BAR_INSET: f64 = 0.14;
const AXIS: i32 = 56;
const BAND_LABELS: i32 = 120;
const MEN: RGBColor = RGBColor(0x2b, 0x5f, 0x9e);
const WOMEN: RGBColor = RGBColor(0xd0, 0x74, 0x2c);

/// The pyramid as an SVG document.
pub fn pyramid(chart: &Pyramid) -> String {
    let title = Title::new(&chart.title, WIDTH);
    let legend_lines = 1 + i32::from(chart.reference.is_some());
    let plot_top = title.bottom() + LEGEND_LINE * legend_lines + 8;
    let height = (plot_top + SIDES + BAND * AGE_BANDS.len() as i32 + AXIS + MARGIN) as u32;
    render(
        (WIDTH, height),
        &chart.title,
        &description(chart),
        |canvas| {
            title.draw(canvas)?;
            draw_legend(canvas, chart, title.bottom())?;
            let plot = canvas.margin(plot_top + SIDES, MARGIN, MARGIN, MARGIN + BAND_LABELS / 2);
            draw_bars(&plot, chart)
        },
    )
}

fn draw_legend(canvas: &Canvas, chart: &Pyramid, top: i32) -> Drawn {
    let half = SWATCH.0 / 2;
    for (x, colour) in [(MARGIN, MEN), (MARGIN + half, WOMEN)] {
        let swatch = [(x, top), (x + half, top + SWATCH.1)];
        canvas.draw(&Rectangle::new(swatch, colour.filled()))?;
    }
    legend_label(
        canvas,
        (MARGIN, top),
        &format!("{} (hommes, femmes)", chart.area.name),
    )?;
    if let Some(reference) = &chart.reference {
        let (x0, y0, x1, y1) = (
            MARGIN,
            top + LEGEND_LINE,
            MARGIN + SWATCH.0,
            top + LEGEND_LINE + SWATCH.1,
        );
        let outline = vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
        canvas.draw(&PathElement::new(outline, INK.stroke_width(2)))?;
        legend_label(
            canvas,
            (MARGIN, top + LEGEND_LINE),
            &format!("{} (contour)", reference.name),
        )?;
    }
    Ok(())
}

/// The bars in `plot`: x in percent (men negative), y in bands from the youngest at the bottom.
fn draw_bars(plot: &Canvas, chart: &Pyramid) -> Drawn {
    let (men, women) = shares(&chart.area);
    let reference = chart.reference.as_ref().map(shares);
    let largest = [Some((men, women)), reference]
        .iter()
        .flatten()
        .flat_map(|(men, women)| men.iter().chain(women))
        .fold(0.0_f64, |max, &share| max.max(share));
    let x_max = (largest * 1.1).ceil().max(1.0);
    let decimals = usize::from(x_max < 4.0);
    let mut bars = ChartBuilder::on(plot)
        .x_label_area_size(AXIS)
        .y_label_area_size(BAND_LABELS)
        .build_cartesian_2d(-x_max..x_max, 0.0..AGE_BANDS.len() as f64)?;
    bars.configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(9)
        .max_light_lines(0)
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .axis_style(MUTED)
        .label_style(font(SMALL_PX, HPos::Center, VPos::Top))
        .axis_desc_style(font(TEXT_PX, HPos::Center, VPos::Top))
        .x_label_formatter(&|share| format!("{} %", format_number(share.abs(), decimals)))
        .x_desc("Part de la population totale (%)")
        .draw()?;
    let area = bars.plotting_area();
    let top = AGE_BANDS.len() as f64;
    for (side, x) in [("Hommes", -x_max / 2.0), ("Femmes", x_max / 2.0)] {
        let style = font(HEADING_PX, HPos::Center, VPos::Bottom);
        area.draw(&(EmptyElement::at((x, top)) + Text::new(side, (0, -8), style)))?;
    }
    for (band, age) in AGE_BANDS.iter().enumerate() {
        let (low, high) = (band as f64 + BAR_INSET, band as f64 + 1.0 - BAR_INSET);
        for (share, colour) in [(-men[band], MEN), (women[band], WOMEN)] {
            area.draw(&Rectangle::new(
                [(share, low), (0.0, high)],
                colour.filled(),
            ))?;
        }
        for share in reference
            .iter()
            .flat_map(|(men, women)| [-men[band], women[band]])
        {
            let outline = vec![(0.0, low), (share, low), (share, high), (0.0, high)];
            area.draw(&PathElement::new(outline, INK.stroke_width(2)))?;
        }
        let middle = band as f64 + 0.5;
        let style = font(TEXT_PX, HPos::Right, VPos::Center);
        area.draw(&(EmptyElement::at((-x_max, middle)) + Text::new(age.label, (-10, 0), style)))?;
    }
    area.draw(&PathElement::new(
        vec![(0.0, 0.0), (0.0, top)],
        INK.stroke_width(1),
    ))
}

/// What a screen reader says: each area's shares, band by band.
fn description(chart: &Pyramid) -> String {
    let describe = |population: &Population| {
        let (men, women) = shares(population);
        let bands: Vec<String> = AGE_BANDS
            .iter()
            .enumerate()
            .map(|(band, age)| {
                let (men, women) = (format_number(men[band], 1), format_number(women[band], 1));
                format!("{} : hommes {men} %, femmes {women} %", age.label)
            })
            .collect();
        format!("{} — {}.", population.name, bands.join(" ; "))
    };
    let reference = chart.reference.as_ref().map(describe).unwrap_or_default();
    format!(
        "Pyramide des âges : part de chaque tranche d’âge et de chaque sexe dans la population \
         totale, en %. {} {reference}",
        describe(&chart.area)
    )
    .trim_end()
    .to_owned()
}

#[cfg(test)]
mod tests;
