//! The legend of a choropleth, right of the map: the indicator and its unit, each class with its
//! colour and bounds, and the hatches of « non disponible » when a commune has no value.

use super::classes::Classes;
use super::{BORDER, Choropleth, NOT_AVAILABLE, draw_hatches};
use crate::charts::text::{HEADING_PX, SWATCH, TEXT_PX, draw_lines, legend_label, wrap};
use crate::charts::{Canvas, Drawn};
use plotters::prelude::*;

const LEFT: i32 = 580;
const LINE: i32 = 24;

/// Draws the legend from `top` down.
pub(super) fn draw(
    canvas: &Canvas,
    chart: &Choropleth,
    classes: Option<&Classes>,
    top: i32,
) -> Drawn {
    let heading = draw_lines(canvas, &wrap(&chart.indicator, 24), (LEFT, top), HEADING_PX)?;
    let mut y = draw_lines(canvas, &wrap(&chart.unit, 28), (LEFT, heading), TEXT_PX)? + 10;
    if let Some(classes) = classes {
        for class in 0..classes.count() {
            let swatch = [(LEFT, y), (LEFT + SWATCH.0, y + SWATCH.1)];
            canvas.draw(&Rectangle::new(swatch, classes.colour(class).filled()))?;
            canvas.draw(&Rectangle::new(swatch, BORDER.stroke_width(1)))?;
            legend_label(canvas, (LEFT, y), &classes.label(class))?;
            y += LINE;
        }
    }
    if chart.communes.iter().any(|commune| commune.value.is_none()) {
        let (x0, y0, x1, y1) = (LEFT, y, LEFT + SWATCH.0, y + SWATCH.1);
        canvas.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            NOT_AVAILABLE.filled(),
        ))?;
        let ring =
            [(x0, y0), (x1, y0), (x1, y1), (x0, y1)].map(|(x, y)| (f64::from(x), f64::from(y)));
        draw_hatches(canvas, &ring)?;
        canvas.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            BORDER.stroke_width(1),
        ))?;
        legend_label(canvas, (LEFT, y), "non disponible")?;
    }
    Ok(())
}
