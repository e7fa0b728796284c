//! The legend of a choropleth, for the page to write in HTML beside the map (legible at any
//! width, where text inside a scaled SVG is not): the indicator and its unit, each class
//! with its colour swatch and bounds, and the hatches of « non disponible » when a commune
//! has no value.

use super::classes::Classes;
use super::{BORDER, Choropleth, NOT_AVAILABLE, hatches, hex};
use plotters::style::RGBColor;

/// One entry: its swatch (a small SVG, hidden from screen readers) and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendClass {
    pub swatch: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legend {
    pub indicator: String,
    pub unit: String,
    /// The classes, then « non disponible » when a commune has no value.
    pub entries: Vec<LegendClass>,
}

const SWATCH: (f64, f64) = (18.0, 14.0);

/// A swatch of `colour`, hatched when `hatched`.
fn swatch(colour: RGBColor, hatched: bool) -> String {
    let (w, h) = SWATCH;
    let hatching = if hatched {
        hatches(&[(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)])
    } else {
        String::new()
    };
    format!(
        "<svg class=\"swatch\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         aria-hidden=\"true\" focusable=\"false\"><rect x=\"0.5\" y=\"0.5\" width=\"{}\" \
         height=\"{}\" fill=\"{}\" stroke=\"{}\"/>{hatching}</svg>",
        w - 1.0,
        h - 1.0,
        hex(colour),
        hex(BORDER)
    )
}

pub(super) fn legend(chart: &Choropleth, classes: Option<&Classes>) -> Legend {
    let mut entries: Vec<LegendClass> = classes.map_or_else(Vec::new, |classes| {
        (0..classes.count())
            .map(|class| LegendClass {
                swatch: swatch(classes.colour(class), false),
                label: classes.label(class),
            })
            .collect()
    });
    if chart.communes.iter().any(|commune| commune.value.is_none()) {
        entries.push(LegendClass {
            swatch: swatch(NOT_AVAILABLE, true),
            label: "non disponible".to_owned(),
        });
    }
    Legend {
        indicator: chart.indicator.clone(),
        unit: chart.unit.clone(),
        entries,
    }
}
