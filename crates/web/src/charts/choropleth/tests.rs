//! Tests of the choropleth as drawn: one polygon per ring, colours ordered like the values, each
//! commune named, the legend, the hatches and the scale bar.

use super::*;
use crate::charts::ramp;
use crate::charts::svg_check::{Element, assert_well_formed, elements, texts};

/// A commune of `width` × `height` degrees whose north-west corner is at (`west`, `north`).
fn cell(west: f64, north: f64, width: f64, height: f64) -> Vec<(f64, f64)> {
    vec![
        (west, north),
        (west + width, north),
        (west + width, north - height),
        (west, north - height),
    ]
}

/// Five columns of three communes near Obernai, valued from west to east and north to south; one
/// without value, and one more to the east made of two islands.
pub(super) fn sample() -> Choropleth {
    let mut communes: Vec<Commune> = (0..15)
        .map(|index| {
            let (column, row) = (index / 3, index % 3);
            Commune {
                name: format!("Commune {index}"),
                value: (index != 7).then(|| f64::from(column * 10 + row * 3) + 0.4),
                rings: vec![cell(
                    7.3 + 0.06 * f64::from(column),
                    48.5 - 0.04 * f64::from(row),
                    0.06,
                    0.04,
                )],
            }
        })
        .collect();
    communes.push(Commune {
        name: "Île-sur-Bruche".to_owned(),
        value: Some(61.0),
        rings: vec![cell(7.62, 48.5, 0.04, 0.03), cell(7.64, 48.43, 0.025, 0.02)],
    });
    Choropleth {
        title: "Médecins généralistes par commune — CPTS du Piémont des Vosges".to_owned(),
        indicator: "Médecins généralistes".to_owned(),
        unit: "pour 10\u{202f}000 habitants".to_owned(),
        communes,
    }
}

fn points(polygon: &Element) -> Vec<(f64, f64)> {
    let pair = |p: &str| {
        p.split_once(',')
            .map(|(x, y)| (x.parse().unwrap_or(0.0), y.parse().unwrap_or(0.0)))
    };
    polygon
        .attr("points")
        .split_whitespace()
        .filter_map(pair)
        .collect()
}

#[test]
fn one_polygon_per_ring_and_colours_that_darken_with_the_value() {
    let chart = sample();
    let svg = choropleth(&chart).svg;
    assert_well_formed(&svg);
    let polygons = elements(&svg, "polygon");
    assert_eq!(
        polygons.len(),
        17,
        "15 communes of one ring and one of two islands"
    );
    let palette: Vec<String> = (0..5)
        .map(|class| hex(ramp(f64::from(class) / 4.0)))
        .collect();
    let mut grid: Vec<((i64, i64), usize)> = polygons
        .iter()
        .filter(|polygon| polygon.attr("fill") != hex(NOT_AVAILABLE))
        .map(|polygon| {
            let corner = points(polygon)
                .into_iter()
                .fold((f64::MAX, f64::MAX), |(x, y), p| (x.min(p.0), y.min(p.1)));
            let fill = polygon.attr("fill");
            let class = palette
                .iter()
                .position(|colour| colour == fill)
                .expect("a colour of the palette");
            ((corner.0 as i64 / 4, corner.1 as i64 / 4), class)
        })
        .collect();
    assert_eq!(grid.len(), 16, "the commune without value is not coloured");
    grid.sort();
    let classes: Vec<usize> = grid.iter().map(|(_, class)| *class).collect();
    assert!(
        classes.windows(2).all(|pair| pair[0] <= pair[1]),
        "{classes:?}"
    );
    assert_eq!((classes[0], classes[15]), (0, 4), "the whole ramp is used");
}

#[test]
fn the_legend_names_the_indicator_and_covers_min_and_max() {
    let legend = choropleth(&sample()).legend;
    assert_eq!(legend.indicator, "Médecins généralistes");
    assert_eq!(legend.unit, "pour 10\u{202f}000 habitants");
    let labels: Vec<&str> = legend.entries.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels.len(), MAX_CLASSES + 1, "{labels:?}");
    assert!(labels[0].starts_with("0 – "), "{labels:?}");
    assert!(labels[4].ends_with(" – 61"), "{labels:?}");
    assert_eq!(labels[5], "non disponible");
    for entry in &legend.entries {
        assert_well_formed(&entry.swatch);
        assert!(entry.swatch.contains("aria-hidden=\"true\""));
    }
    let palest = hex(ramp(0.0));
    assert!(
        legend.entries[0].swatch.contains(&palest),
        "the first class's colour"
    );
}

#[test]
fn each_commune_is_named_with_its_value() {
    let svg = choropleth(&sample()).svg;
    assert!(svg.contains("role=\"group\""));
    let titles: Vec<&str> = svg
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split_once("</title>").map(|(title, _)| title))
        .collect();
    assert!(titles.contains(&"Commune 7 : non disponible"), "{titles:?}");
    assert!(
        titles.contains(&"Commune 0 : 0,4 pour 10\u{202f}000 habitants"),
        "{titles:?}"
    );
    let named = elements(&svg, "g")
        .into_iter()
        .filter(|g| g.attr("role") == "img" && !g.attr("aria-label").is_empty())
        .count();
    assert_eq!(named, 16, "one named group per commune");
    assert!(
        texts(&svg).iter().any(|t| t.ends_with(" km")),
        "a scale bar"
    );
    assert!(
        elements(&svg, "text")
            .iter()
            .all(|t| t.number("font-size") >= 12.0)
    );
}

#[test]
fn missing_values_are_hatched() {
    let svg = choropleth(&sample()).svg;
    let hatches = elements(&svg, "polyline")
        .into_iter()
        .filter(|line| line.attr("stroke") == hex(MUTED))
        .count();
    assert!(
        hatches > 5,
        "{hatches} hatches in the commune without value"
    );
    let complete = Choropleth {
        communes: sample()
            .communes
            .into_iter()
            .filter(|c| c.value.is_some())
            .collect(),
        ..sample()
    };
    let map = choropleth(&complete);
    assert!(
        !map.legend
            .entries
            .iter()
            .any(|e| e.label == "non disponible")
    );
    assert!(
        elements(&map.svg, "polyline")
            .iter()
            .all(|line| line.attr("stroke") != hex(MUTED))
    );
}

#[test]
fn a_square_degree_at_45_degrees_keeps_its_aspect_ratio() {
    let commune = Commune {
        name: "Carré".to_owned(),
        value: Some(1.0),
        rings: vec![cell(2.0, 45.5, 1.0, 1.0)],
    };
    let chart = Choropleth {
        communes: vec![commune],
        ..sample()
    };
    let map = choropleth(&chart);
    let corners = points(&elements(&map.svg, "polygon")[0]);
    let (xs, ys): (Vec<f64>, Vec<f64>) = corners.into_iter().unzip();
    let extent = |v: &[f64]| {
        v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min)
    };
    let ratio = extent(&xs) / extent(&ys);
    assert!((ratio - 0.707).abs() < 0.01, "{ratio}");
    let labels: Vec<&str> = map
        .legend
        .entries
        .iter()
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(labels, ["1,0"], "one class, one value");
}

#[test]
fn no_commune_draws_an_empty_map() {
    let svg = choropleth(&Choropleth {
        communes: Vec::new(),
        ..sample()
    })
    .svg;
    assert_well_formed(&svg);
    assert!(elements(&svg, "polygon").is_empty());
}
