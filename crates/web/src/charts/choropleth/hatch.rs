//! Diagonal hatching of a polygon, for the communes whose value is not available: plotters has
//! no fill pattern, so the hatches are segments clipped to the ring (even-odd rule).

/// The segments of the lines `x + y = c` (every `spacing` pixels of `c`) inside `ring`.
pub(super) fn hatch(ring: &[(f64, f64)], spacing: f64) -> Vec<[(f64, f64); 2]> {
    let sums = ring.iter().map(|&(x, y)| x + y);
    let low = sums.clone().fold(f64::INFINITY, f64::min);
    let high = sums.fold(f64::NEG_INFINITY, f64::max);
    if ring.len() < 3 || spacing <= 0.0 {
        return Vec::new();
    }
    let mut segments = Vec::new();
    let mut c = (low / spacing).floor() * spacing + spacing;
    while c < high {
        let mut crossings: Vec<(f64, f64)> = ring
            .iter()
            .zip(ring.iter().cycle().skip(1))
            .filter_map(|(&(x0, y0), &(x1, y1))| {
                let (s0, s1) = (x0 + y0, x1 + y1);
                ((s0 <= c) != (s1 <= c)).then(|| {
                    let t = (c - s0) / (s1 - s0);
                    (x0 + t * (x1 - x0), y0 + t * (y1 - y0))
                })
            })
            .collect();
        crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
        segments.extend(crossings.chunks_exact(2).map(|pair| [pair[0], pair[1]]));
        c += spacing;
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hatches_stay_inside_a_square() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let segments = hatch(&square, 4.0);
        assert_eq!(segments.len(), 4, "x + y = 4, 8, 12, 16");
        for [(x0, y0), (x1, y1)] in segments {
            for v in [x0, y0, x1, y1] {
                assert!((-1e-9..=10.0 + 1e-9).contains(&v));
            }
            assert!(((x0 + y0) - (x1 + y1)).abs() < 1e-9, "on one diagonal");
        }
    }

    #[test]
    fn a_concave_ring_cuts_a_hatch_in_two() {
        // A « U »: the diagonal x + y = 9 enters both arms.
        let u = [
            (0.0, 0.0),
            (9.0, 0.0),
            (9.0, 9.0),
            (6.0, 9.0),
            (6.0, 3.0),
            (3.0, 3.0),
            (3.0, 9.0),
            (0.0, 9.0),
        ];
        let on_nine = hatch(&u, 9.0).len();
        assert_eq!(on_nine, 2);
        assert!(hatch(&u[..2], 1.0).is_empty());
    }
}
