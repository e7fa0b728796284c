//! Comparative mortality index (« indice comparatif de mortalité », ICM) by indirect age
//! standardisation, with its exact Poisson (Garwood) confidence interval, as the ORS publish it.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The confidence level the ORS use for the ICM interval: 95 %.
pub const CONFIDENCE_95: f64 = 0.95;

/// The figures of one age band: the area's population and the reference deaths and population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandFigures {
    /// The area's population in the band (fractional: INSEE's base-cc figures are weighted).
    pub population: f64,
    /// Deaths in the band in the reference population (e.g. France or the region).
    pub reference_deaths: u64,
    pub reference_population: f64,
}

/// Expected deaths of the area: Σ over bands of population × (reference deaths / reference
/// population). A band whose reference population is zero contributes nothing.
pub fn expected_deaths(bands: &[BandFigures]) -> f64 {
    bands
        .iter()
        .filter(|band| band.reference_population > 0.0)
        .map(|band| band.population * band.reference_deaths as f64 / band.reference_population)
        .sum()
}

/// Exact (Garwood) confidence limits of the mean of a Poisson count `observed`:
/// lower = χ²(α/2, 2·O) / 2 (0 when O = 0), upper = χ²(1 − α/2, 2·(O + 1)) / 2,
/// with α = 1 − `confidence`. `None` unless 0 < `confidence` < 1.
pub fn exact_poisson_limits(observed: u64, confidence: f64) -> Option<(f64, f64)> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let tail = (1.0 - confidence) / 2.0;
    let quantile = |p: f64, degrees: f64| Some(ChiSquared::new(degrees).ok()?.inverse_cdf(p));
    let lower = match observed {
        0 => 0.0,
        _ => quantile(tail, 2.0 * observed as f64)? / 2.0,
    };
    let upper = quantile(1.0 - tail, 2.0 * (observed as f64 + 1.0))? / 2.0;
    Some((lower, upper))
}

/// An ICM with its confidence interval, all on the scale where 100 means « as the reference »
/// (the French convention: 120 means 20 % more deaths than the reference age structure predicts).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComparativeMortalityIndex {
    pub observed: u64,
    pub expected: f64,
    /// 100 × observed / expected.
    pub index: f64,
    pub lower: f64,
    pub upper: f64,
}

impl ComparativeMortalityIndex {
    /// The ICM of `observed` deaths against `expected` ones (see [`expected_deaths`]), with its
    /// exact Poisson interval at `confidence` (usually [`CONFIDENCE_95`]). `None` when there
    /// is nothing to compare with (expected deaths zero, negative or not finite) or when the
    /// confidence level is not strictly between 0 and 1.
    pub fn compute(observed: u64, expected: f64, confidence: f64) -> Option<Self> {
        if !(expected.is_finite() && expected > 0.0) {
            return None;
        }
        let (lower, upper) = exact_poisson_limits(observed, confidence)?;
        let scale = 100.0 / expected;
        Some(Self {
            observed,
            expected,
            index: observed as f64 * scale,
            lower: lower * scale,
            upper: upper * scale,
        })
    }

    /// Whether the interval lies wholly above or below 100.
    pub fn significance(&self) -> Significance {
        if self.lower > 100.0 {
            Significance::Above
        } else if self.upper < 100.0 {
            Significance::Below
        } else {
            Significance::NotSignificant
        }
    }
}

/// How an ICM compares with the reference (100), given its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    Above,
    Below,
    NotSignificant,
}

impl Significance {
    /// The French label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::Above => "significativement supérieur",
            Self::Below => "significativement inférieur",
            Self::NotSignificant => "non significativement différent",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Significance::{Above, Below, NotSignificant};

    fn assert_close(actual: f64, expected: f64) {
        let tolerance = 1e-3 * expected.abs().max(1e-2);
        let gap = (actual - expected).abs();
        assert!(gap <= tolerance, "{actual} ≠ {expected}");
    }

    /// Exact limits of a Poisson mean, checked against published values (epitools' pois.exact:
    /// 0 → 3.689; GraphPad QuickCalcs: 25 → 16.18–36.90 at 95 %, 14.00–41.00 at 99 %) and
    /// against a bisection on the Poisson CDF computed independently in Python.
    #[test]
    fn exact_limits_match_published_values() {
        let table = [
            (0, CONFIDENCE_95, 0.0, 3.688879),
            (1, CONFIDENCE_95, 0.025318, 5.571643),
            (10, CONFIDENCE_95, 4.795389, 18.390356),
            (25, CONFIDENCE_95, 16.178682, 36.904932),
            (25, 0.99, 13.995374, 41.000413),
            (100, CONFIDENCE_95, 81.363991, 121.626794),
        ];
        for (observed, confidence, lower, upper) in table {
            let (l, u) = exact_poisson_limits(observed, confidence).unwrap();
            assert_close(l, lower);
            assert_close(u, upper);
        }
        assert_eq!(exact_poisson_limits(10, 1.0), None);
        assert_eq!(exact_poisson_limits(10, 0.0), None);
    }

    /// Worked by hand:
    ///   0–64 : 8 000 × (2 000 / 1 000 000) = 8 000 × 0.002 = 16
    ///   65–84: 1 500 × (15 000 / 500 000)  = 1 500 × 0.03  = 45
    ///   85+  :   500 × (13 000 / 100 000)  =   500 × 0.13  = 65
    ///   a band with no reference population adds nothing  → expected = 126.
    #[test]
    fn worked_indirect_standardisation() {
        let band = |population, reference_deaths, reference_population| BandFigures {
            population,
            reference_deaths,
            reference_population,
        };
        let bands = [
            band(8_000.0, 2_000, 1_000_000.0),
            band(1_500.0, 15_000, 500_000.0),
            band(500.0, 13_000, 100_000.0),
            band(12.5, 0, 0.0),
        ];
        assert_close(expected_deaths(&bands), 126.0);
        assert_eq!(expected_deaths(&[]), 0.0);
    }

    /// Against the 126 expected deaths above. 150 observed: ICM = 100 × 150 / 126 = 119.05; the
    /// exact limits of 150 are 126.956–176.017, so the interval is 100.76–139.70 (above 100).
    /// O = 0: the upper limit of the mean is χ²(0.975, 2) / 2 = −ln 0.025 = 3.688879, so the
    /// upper bound of the ICM is 100 × 3.688879 / 126 = 2.927682.
    #[test]
    fn index_interval_and_verdict() {
        let cases = [
            (150, 119.047619, 100.758858, 139.696164, Above),
            (95, 75.396825, 61.000534, 92.168709, Below),
            (130, 103.174603, 86.202110, 122.511463, NotSignificant),
            (0, 0.0, 0.0, 2.927682, Below),
        ];
        for (observed, index, lower, upper, verdict) in cases {
            let icm = ComparativeMortalityIndex::compute(observed, 126.0, CONFIDENCE_95).unwrap();
            assert_close(icm.index, index);
            assert_close(icm.lower, lower);
            assert_close(icm.upper, upper);
            assert_eq!(icm.significance(), verdict);
        }
        assert_eq!(Above.label(), "significativement supérieur");
        assert_eq!(Below.label(), "significativement inférieur");
        assert_eq!(NotSignificant.label(), "non significativement différent");
    }

    #[test]
    fn zero_expected_gives_no_index() {
        let icm = |expected| ComparativeMortalityIndex::compute(3, expected, CONFIDENCE_95);
        assert_eq!(icm(0.0), None);
        assert_eq!(icm(-1.0), None);
        assert_eq!(icm(f64::NAN), None);
    }
}
