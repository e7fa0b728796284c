//! Rules of the territorial diagnosis: densities of professionals per 100,000 inhabitants,
//! and how many times a CPTS's density is that of its department, region or France.

/// Professionals per 100,000 inhabitants; `None` for an area without inhabitants.
pub fn density(professionals: i64, population: i64) -> Option<f64> {
    (population > 0).then(|| professionals as f64 * 100_000.0 / population as f64)
}

/// How many times the CPTS's density is the area's; `None` when either is unknown or the
/// area has none.
pub fn ratio(cpts: Option<f64>, area: Option<f64>) -> Option<f64> {
    match (cpts, area) {
        (Some(cpts), Some(area)) if area > 0.0 => Some(cpts / area),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn densities_are_per_100_000_inhabitants() {
        // 12 GPs for 8,000 inhabitants: 150 per 100,000.
        assert_eq!(density(12, 8_000), Some(150.0));
        assert_eq!(density(0, 8_000), Some(0.0));
        assert_eq!(density(3, 0), None);
    }

    #[test]
    fn ratios_compare_a_cpts_with_an_area() {
        // 150 against a department's 100: half as many again.
        assert_eq!(ratio(Some(150.0), Some(100.0)), Some(1.5));
        assert_eq!(ratio(Some(150.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(100.0)), None);
    }
}
