//! Densities of professionals by level: for each profession, one horizontal bar per area (the
//! CPTS first, darkest, then its department(s), region(s) and France, lighter and lighter).

use super::text::{
    HEADING_PX, MARGIN, SMALL_PX, SWATCH, TEXT_PX, Title, font, format_number, legend_label,
};
use super::{Canvas, Drawn, INK, MUTED, ramp, render};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The unit of every density.
pub const UNIT: &str = "pour 100\u{202f}000 habitants";

/// The chart: which areas are compared, and the densities of each profession.
#[derive(Debug, Clone)]
pub struct Levels {
    pub title: String,
    /// The areas' names, the CPTS first (e.g. « CPTS du Piémont », « Bas-Rhin », « Grand Est »,
    /// « France »).
    pub areas: Vec<String>,
    pub professions: Vec<Profession>,
}

/// One profession's densities per 100,000 inhabitants, one per area in the order of
/// [`Levels::areas`]; `None` (or a missing entry) when not known.
#[derive(Debug, Clone)]
pub struct Profession {
    pub name: String,
    pub densities: Vec<Option<f64>>,
}

impl Profession {
    fn density(&self, area: usize) -> Option<f64> {
        self.densities.get(area).copied().flatten()
    }
}

const WIDTH: u32 = 800;
const BAR: i32 = 16;
const BAR_GAP: i32 = 4;
/// The profession's name above its bars, and the space after its last bar.
const GROUP_HEAD: i32 = 24;
const GROUP_GAP: i32 = 14;
const LEGEND_LINE: i32 = 22;
const AXIS: i32 = 56;

/// The densities as an SVG document; a missing density draws no bar and says « n.d. ».
pub fn levels(chart: &Levels) -> String {
    let title = Title::new(&chart.title, WIDTH);
    let plot_top = title.bottom() + LEGEND_LINE * chart.areas.len() as i32 + 8;
    let group = GROUP_HEAD + (BAR + BAR_GAP) * chart.areas.len() as i32 + GROUP_GAP;
    let plot_height = group * chart.professions.len() as i32;
    let height = (plot_top + plot_height + AXIS + MARGIN) as u32;
    render(
        (WIDTH, height),
        &chart.title,
        &description(chart),
        |canvas| {
            title.draw(canvas)?;
            for (index, area) in chart.areas.iter().enumerate() {
                let top = title.bottom() + LEGEND_LINE * index as i32;
                let swatch = [(MARGIN, top), (MARGIN + SWATCH.0, top + SWATCH.1)];
                canvas.draw(&Rectangle::new(swatch, area_colour(chart, index).filled()))?;
                legend_label(canvas, (MARGIN, top), area)?;
            }
            let plot = canvas.margin(plot_top, MARGIN, MARGIN, MARGIN);
            draw_bars(&plot, chart, group, plot_height)
        },
    )
}

/// The bars in `plot`, whose x axis runs from 0 past the largest density and whose y axis counts
/// pixels down from the top of the first profession.
fn draw_bars(plot: &Canvas, chart: &Levels, group: i32, plot_height: i32) -> Drawn {
    let largest = chart
        .professions
        .iter()
        .flat_map(|profession| profession.densities.iter().flatten())
        .fold(0.0_f64, |max, &density| max.max(density));
    // Room after the longest bar for its value.
    let x_max = if largest > 0.0 { largest * 1.15 } else { 100.0 };
    let mut bars = ChartBuilder::on(plot)
        .x_label_area_size(AXIS)
        .build_cartesian_2d(0.0..x_max, f64::from(plot_height)..0.0)?;
    bars.configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .max_light_lines(0)
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .axis_style(MUTED)
        .label_style(font(SMALL_PX, HPos::Center, VPos::Top))
        .axis_desc_style(font(TEXT_PX, HPos::Center, VPos::Top))
        .x_label_formatter(&|value| format_number(*value, 0))
        .x_desc(format!("Professionnels {UNIT}"))
        .draw()?;
    let area = bars.plotting_area();
    for (row, profession) in chart.professions.iter().enumerate() {
        let group_top = group * row as i32;
        let name_at = (0.0, f64::from(group_top + 4));
        let heading = font(HEADING_PX, HPos::Left, VPos::Top);
        area.draw(
            &(EmptyElement::at(name_at) + Text::new(profession.name.clone(), (4, 0), heading)),
        )?;
        for index in 0..chart.areas.len() {
            let top = f64::from(group_top + GROUP_HEAD + (BAR + BAR_GAP) * index as i32);
            let middle = (top + f64::from(BAR) / 2.0).round();
            let density = profession.density(index);
            if let Some(density) = density {
                let bar = [(0.0, top), (density, top + f64::from(BAR))];
                area.draw(&Rectangle::new(bar, area_colour(chart, index).filled()))?;
            }
            let (at, label, colour) = match density {
                Some(density) => (density, format_number(density, 1), INK),
                None => (0.0, "n.d.".to_owned(), MUTED),
            };
            let style = font(SMALL_PX, HPos::Left, VPos::Center).color(&colour);
            area.draw(&(EmptyElement::at((at, middle)) + Text::new(label, (6, 0), style)))?;
        }
    }
    Ok(())
}

/// The CPTS in the darkest blue, each following area paler; the palest stays visible on white.
fn area_colour(chart: &Levels, index: usize) -> RGBColor {
    let last = chart.areas.len().saturating_sub(1).max(1) as f64;
    ramp(1.0 - 0.75 * index as f64 / last)
}

/// What a screen reader says: every density, profession by profession.
fn description(chart: &Levels) -> String {
    let rows: Vec<String> = chart
        .professions
        .iter()
        .map(|profession| {
            let values: Vec<String> = chart
                .areas
                .iter()
                .enumerate()
                .map(|(index, area)| {
                    let value = profession.density(index);
                    let value = value.map_or_else(|| "n.d.".to_owned(), |v| format_number(v, 1));
                    format!("{area} {value}")
                })
                .collect();
            format!("{} : {}.", profession.name, values.join(" ; "))
        })
        .collect();
    format!(
        "Densités de professionnels de santé {UNIT}, par profession et par territoire \
         (n.d. : non disponible). {}",
        rows.join(" ")
    )
}

#[cfg(test)]
mod tests;
