//! Tests of the age pyramid: shares adding up to 100 %, bars proportional to them, the reference's
//! outlines, the bands, the sides and the axis.

use super::*;
use crate::charts::svg_check::{assert_well_formed, elements, texts};

fn sample() -> Pyramid {
    Pyramid {
        title: "Pyramide des âges — CPTS du Piémont des Vosges".to_owned(),
        area: Population {
            name: "CPTS du Piémont des Vosges".to_owned(),
            men: [3510.0, 2985.5, 3202.0, 3890.0, 3105.0, 1320.0],
            women: [3355.0, 2870.0, 3290.5, 3955.0, 3420.0, 2210.0],
        },
        reference: Some(Population {
            name: "France".to_owned(),
            men: [5.9e6, 5.7e6, 6.0e6, 6.5e6, 5.6e6, 2.7e6],
            women: [5.6e6, 5.6e6, 6.2e6, 6.7e6, 6.2e6, 4.0e6],
        }),
    }
}

#[test]
fn the_shares_of_both_sides_add_up_to_100() {
    let chart = sample();
    for population in [&chart.area, chart.reference.as_ref().expect("reference")] {
        let (men, women) = shares(population);
        let total: f64 = men.iter().chain(&women).sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
    }
    let empty = Population {
        name: String::new(),
        men: [0.0; 6],
        women: [0.0; 6],
    };
    assert_eq!(shares(&empty), ([0.0; 6], [0.0; 6]));
}

#[test]
fn twelve_filled_bars_proportional_to_the_shares_and_twelve_outlines() {
    let chart = sample();
    let svg = pyramid(&chart);
    assert_well_formed(&svg);
    let filled = |colour: RGBColor| {
        let (r, g, b) = colour.rgb();
        let fill = format!("#{r:02X}{g:02X}{b:02X}");
        let rects = elements(&svg, "rect")
            .into_iter()
            .filter(move |rect| rect.attr("fill") == fill);
        // The first of each colour is the legend's swatch.
        rects
            .skip(1)
            .map(|rect| rect.number("width"))
            .collect::<Vec<_>>()
    };
    let widths: Vec<f64> = filled(MEN).into_iter().chain(filled(WOMEN)).collect();
    assert_eq!(widths.len(), 12);
    let (men, women) = shares(&chart.area);
    let total: f64 = widths.iter().sum();
    for (width, share) in widths.iter().zip(men.iter().chain(&women)) {
        assert!(
            (100.0 * width / total - share).abs() < 0.5,
            "{width} px for {share} %"
        );
    }
    let outlines = elements(&svg, "polyline")
        .iter()
        .filter(|line| line.attr("stroke-width") == "2")
        .count();
    assert_eq!(
        outlines,
        12 + 1,
        "one per bar of the reference, and the legend's"
    );
}

#[test]
fn bands_sides_legend_and_axis_are_written() {
    let chart = sample();
    let svg = pyramid(&chart);
    let texts = texts(&svg);
    for expected in
        AGE_BANDS
            .iter()
            .map(|band| band.label)
            .chain(["Hommes", "Femmes", "France (contour)"])
    {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} in {texts:?}"
        );
    }
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("CPTS du Piémont des Vosges"))
    );
    assert!(
        texts
            .iter()
            .any(|t| t == "Part de la population totale (%)")
    );
    let fives = texts.iter().filter(|t| *t == "5 %").count();
    assert_eq!(fives, 2, "axis in % on both sides: {texts:?}");
    assert!(svg.contains("0–14 ans : hommes"));
    assert!(
        elements(&svg, "text")
            .iter()
            .all(|t| t.number("font-size") >= 12.0)
    );
}

#[test]
fn without_reference_no_outline_is_drawn() {
    let chart = Pyramid {
        reference: None,
        ..sample()
    };
    let svg = pyramid(&chart);
    assert_well_formed(&svg);
    assert!(
        elements(&svg, "polyline")
            .iter()
            .all(|line| line.attr("stroke-width") != "2")
    );
}
