//! Classes of a choropleth by quantiles: each class holds about as many communes as the others,
//! which suits the 10 to 50 communes of a CPTS better than equal intervals (one outlier would
//! otherwise leave most classes empty).

use crate::charts::ramp;
use crate::charts::text::format_number;
use plotters::style::RGBColor;

/// Ordered classes: class `i` holds the values in `(bounds[i], bounds[i + 1]]`, the first one
/// also its lower bound, so that `bounds[0]` is the smallest value and the last bound the largest.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Classes {
    bounds: Vec<f64>,
}

impl Classes {
    /// At most `wanted` classes of `values` by quantiles, fewer when there are fewer distinct
    /// values (never an empty class); `None` without any finite value.
    pub(super) fn quantiles(values: &[f64], wanted: usize) -> Option<Self> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let (&min, &max) = (sorted.first()?, sorted.last()?);
        let mut distinct = sorted.clone();
        distinct.dedup();
        let count = wanted.clamp(1, distinct.len());
        let mut bounds = vec![min];
        for class in 1..count {
            let rank = (class * sorted.len()).div_ceil(count) - 1;
            let upper = sorted[rank];
            // The first class may hold the smallest value alone; the others are not empty.
            let above = bounds.len() == 1 || upper > bounds[bounds.len() - 1];
            if above && upper < max {
                bounds.push(upper);
            }
        }
        bounds.push(max);
        Some(Self { bounds })
    }

    /// How many classes there are (at least one).
    pub(super) fn count(&self) -> usize {
        self.bounds.len() - 1
    }

    /// The class of `value`, from 0 (smallest values) to `count() - 1`.
    pub(super) fn class_of(&self, value: f64) -> usize {
        let inner = &self.bounds[1..self.count()];
        inner.iter().filter(|&&upper| value > upper).count()
    }

    /// The lower and upper bounds of `class`.
    pub(super) fn bounds(&self, class: usize) -> (f64, f64) {
        (self.bounds[class], self.bounds[class + 1])
    }

    /// The colour of `class`: the whole blue ramp is spread over the classes there are.
    pub(super) fn colour(&self, class: usize) -> RGBColor {
        match self.count() {
            1 => ramp(0.5),
            count => ramp(class as f64 / (count - 1) as f64),
        }
    }

    /// « 12,5 – 20,1 », or a single value when the class holds only one.
    pub(super) fn label(&self, class: usize) -> String {
        let (low, high) = self.bounds(class);
        let digits = self.decimals();
        if low == high {
            format_number(low, digits)
        } else {
            format!(
                "{} – {}",
                format_number(low, digits),
                format_number(high, digits)
            )
        }
    }

    /// Digits enough to tell the bounds apart.
    fn decimals(&self) -> usize {
        let (low, high) = (self.bounds[0], self.bounds[self.count()]);
        let span = if high > low { high - low } else { high.abs() };
        match span {
            span if span >= 50.0 => 0,
            span if span >= 1.0 => 1,
            _ => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_classes_of_equal_counts_covering_min_and_max() {
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        let classes = Classes::quantiles(&values, 5).expect("classes");
        assert_eq!(classes.count(), 5);
        assert_eq!(classes.bounds(0).0, 1.0);
        assert_eq!(classes.bounds(4).1, 20.0);
        let mut counts = [0; 5];
        for &value in &values {
            let class = classes.class_of(value);
            let (low, high) = classes.bounds(class);
            assert!(low <= value && value <= high, "{value} in {low}..={high}");
            counts[class] += 1;
        }
        assert_eq!(counts, [4; 5]);
    }

    #[test]
    fn the_class_grows_with_the_value() {
        let values = [12.5, 0.0, 3.2, 3.2, 48.0, 7.7, 19.1, 3.2, 150.0, 22.4, 9.9];
        let classes = Classes::quantiles(&values, 5).expect("classes");
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let ranks: Vec<usize> = sorted.iter().map(|&v| classes.class_of(v)).collect();
        assert!(ranks.windows(2).all(|pair| pair[0] <= pair[1]), "{ranks:?}");
        assert_eq!((ranks[0], ranks[ranks.len() - 1]), (0, classes.count() - 1));
    }

    #[test]
    fn few_distinct_values_make_fewer_classes_none_empty() {
        let classes = Classes::quantiles(&[2.0, 2.0, 2.0, 5.0, 5.0], 5).expect("classes");
        assert_eq!(classes.count(), 2);
        assert_eq!((classes.class_of(2.0), classes.class_of(5.0)), (0, 1));
        let single = Classes::quantiles(&[4.0, 4.0], 5).expect("one class");
        assert_eq!((single.count(), single.bounds(0)), (1, (4.0, 4.0)));
        assert_eq!(Classes::quantiles(&[f64::NAN], 5), None);
        assert_eq!(Classes::quantiles(&[], 5), None);
    }

    #[test]
    fn labels_show_the_bounds_with_enough_digits() {
        let fractions = Classes::quantiles(&[0.12, 0.5, 0.9], 5).expect("classes");
        assert_eq!(fractions.label(0), "0,12");
        assert_eq!(fractions.label(2), "0,50 – 0,90");
        let densities = Classes::quantiles(&[0.0, 40.0, 120.0, 1250.0], 2).expect("classes");
        assert_eq!(densities.label(1), "40 – 1\u{202f}250");
        assert_eq!(
            densities.colour(1),
            ramp(1.0),
            "the last class is the darkest"
        );
    }
}
