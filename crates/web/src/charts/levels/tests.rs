//! Tests of the densities chart as drawn: one bar per known density, proportional widths, « n.d. »,
//! the legend and the unit.

use super::*;
use crate::charts::svg_check::{assert_well_formed, elements, texts};

fn sample() -> Levels {
    let profession = |name: &str, densities: [Option<f64>; 4]| Profession {
        name: name.to_owned(),
        densities: densities.to_vec(),
    };
    Levels {
        title: "Densités de professionnels — CPTS du Piémont des Vosges".to_owned(),
        areas: [
            "CPTS du Piémont des Vosges",
            "Bas-Rhin",
            "Grand Est",
            "France",
        ]
        .map(str::to_owned)
        .to_vec(),
        professions: vec![
            profession(
                "Médecins généralistes",
                [Some(71.4), Some(98.2), Some(90.5), Some(95.3)],
            ),
            profession("Infirmiers", [Some(142.0), Some(128.6), None, Some(170.1)]),
            profession(
                "Masseurs-kinésithérapeutes",
                [Some(118.9), Some(127.4), Some(111.0), Some(136.5)],
            ),
            profession(
                "Chirurgiens-dentistes",
                [Some(48.2), Some(66.0), Some(55.4), Some(56.3)],
            ),
            profession("Sages-femmes", [None, Some(34.7), Some(31.9), Some(35.8)]),
            profession(
                "Pharmaciens",
                [Some(112.5), Some(104.8), Some(106.9), Some(109.1)],
            ),
        ],
    }
}

/// The bars of the chart (legend swatches are smaller), by fill colour.
fn bars(svg: &str) -> Vec<(String, f64)> {
    elements(svg, "rect")
        .into_iter()
        .filter(|rect| (rect.number("height") - f64::from(BAR)).abs() <= 1.0)
        .map(|rect| (rect.attr("fill").to_owned(), rect.number("width")))
        .collect()
}

#[test]
fn one_bar_per_known_density_with_widths_proportional_to_the_values() {
    let chart = sample();
    let svg = levels(&chart);
    assert_well_formed(&svg);
    let bars = bars(&svg);
    let known: Vec<(usize, f64)> = chart
        .professions
        .iter()
        .flat_map(|p| (0..4).filter_map(|area| p.density(area).map(|d| (area, d))))
        .collect();
    assert_eq!(
        bars.len(),
        known.len(),
        "6 professions × 4 areas, less 2 unknown"
    );
    // Pixels per unit over all bars, so that the rounding of one bar does not matter.
    let scale = bars.iter().map(|bar| bar.1).sum::<f64>() / known.iter().map(|k| k.1).sum::<f64>();
    for ((fill, width), (area, density)) in bars.iter().zip(&known) {
        assert!(
            (width - density * scale).abs() <= 1.5,
            "{width} for {density}"
        );
        let (r, g, b) = area_colour(&chart, *area).rgb();
        assert_eq!(*fill, format!("#{r:02X}{g:02X}{b:02X}"));
    }
}

#[test]
fn values_missing_values_legend_and_unit_are_written() {
    let chart = sample();
    let svg = levels(&chart);
    let texts = texts(&svg);
    for expected in [
        "71,4",
        "Sages-femmes",
        "Bas-Rhin",
        "France",
        "CPTS du Piémont des Vosges",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} in {texts:?}"
        );
    }
    assert_eq!(texts.iter().filter(|t| *t == "n.d.").count(), 2);
    assert!(texts.iter().any(|t| t.ends_with(UNIT)));
    assert!(svg.contains(&format!(">{}</title>", chart.title)));
    assert!(svg.contains(
        "Infirmiers : CPTS du Piémont des Vosges 142,0 ; Bas-Rhin 128,6 ; Grand Est n.d."
    ));
}

#[test]
fn text_is_at_least_12_pixels_and_the_cpts_is_darkest() {
    let svg = levels(&sample());
    assert!(
        elements(&svg, "text")
            .iter()
            .all(|t| t.number("font-size") >= 12.0)
    );
    let grey = |c: RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
    let chart = sample();
    assert!((1..4).all(|i| grey(area_colour(&chart, 0)) < grey(area_colour(&chart, i))));
}
