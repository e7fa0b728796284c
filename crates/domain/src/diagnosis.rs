//! Rules of the territorial diagnosis: densities of professionals per 100,000 inhabitants,
//! how many times a CPTS's density is that of its department, region or France, the age
//! bands of INSEE's population files, prevalences, and the masking of small health counts
//! (statistical secrecy).

pub mod mortality;

/// The six age bands of INSEE's « base-cc » population files, as stored and as written in
/// the files maillage imports, with the suffix of their INSEE columns (`P21_H0014`…).
pub const AGE_BANDS: [AgeBand; 6] = [
    AgeBand {
        code: "0-14",
        insee: "0014",
        label: "0–14 ans",
    },
    AgeBand {
        code: "15-29",
        insee: "1529",
        label: "15–29 ans",
    },
    AgeBand {
        code: "30-44",
        insee: "3044",
        label: "30–44 ans",
    },
    AgeBand {
        code: "45-59",
        insee: "4559",
        label: "45–59 ans",
    },
    AgeBand {
        code: "60-74",
        insee: "6074",
        label: "60–74 ans",
    },
    AgeBand {
        code: "75+",
        insee: "75P",
        label: "75 ans et plus",
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeBand {
    pub code: &'static str,
    pub insee: &'static str,
    pub label: &'static str,
}

/// The band written `raw` in a file: its code, its en dash or spaced form, or « 75 et plus ».
pub fn age_band(raw: &str) -> Option<&'static AgeBand> {
    let key: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '–' || c == '—' { '-' } else { c })
        .collect::<String>()
        .to_lowercase()
        .replace("etplus", "+")
        .replace("ans", "");
    AGE_BANDS.iter().find(|band| band.code == key)
}

/// Shares of a population by age, in %: of the 0–14, of the 60 and over, of the 75 and over.
/// `by_band` are the people of each band of [`AGE_BANDS`], both sexes.
pub fn age_shares(by_band: &[f64; 6]) -> Option<[f64; 3]> {
    let total: f64 = by_band.iter().sum();
    (total > 0.0).then(|| {
        let share = |people: f64| people * 100.0 / total;
        [
            share(by_band[0]),
            share(by_band[4] + by_band[5]),
            share(by_band[5]),
        ]
    })
}

/// The communes that tell whether an imported directory covers a department: those of at
/// least this many inhabitants (each has professionals in a whole directory).
pub const COVERAGE_MIN_POPULATION: i64 = 2_000;

/// Whether an imported directory covers a department wholly, so that its offer of care (and
/// that of the region and France it is part of) may be compared: it has practice sites in
/// at least half of the department's `communes` of [`COVERAGE_MIN_POPULATION`] inhabitants
/// or more (`with_sites` of them). A national or regional file has sites in nearly all of
/// them; a neighbouring department's professionals practising across the border, in a few.
pub fn covers_departement(communes: i64, with_sites: i64) -> bool {
    communes > 0 && with_sites * 2 >= communes
}

/// Patients per 100 inhabitants; `None` for an area without inhabitants.
pub fn prevalence(patients: i64, population: i64) -> Option<f64> {
    (population > 0).then(|| patients as f64 * 100.0 / population as f64)
}

/// A health count as it may be published: counts from 1 to `threshold` − 1 are masked
/// (statistical secrecy: with `threshold` 11, the rule of the SNDS, 1 to 10 are hidden);
/// zero and larger counts are shown.
pub fn publishable(count: i64, threshold: i64) -> Option<i64> {
    (count == 0 || count >= threshold).then_some(count)
}

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

/// Which of the counts of an area's parts (its communes) to mask when their total is
/// published: those from 1 to `threshold` − 1, and, when that masks exactly one, also the
/// smallest other count, so that the total minus the shown counts does not give it away.
/// `None` counts (not known) are neither shown nor masked.
pub fn masked_parts(counts: &[Option<i64>], threshold: i64) -> Vec<bool> {
    let mut masked: Vec<bool> = counts
        .iter()
        .map(|c| c.is_some_and(|n| publishable(n, threshold).is_none()))
        .collect();
    if masked.iter().filter(|m| **m).count() == 1 {
        let smallest = counts
            .iter()
            .enumerate()
            .filter(|(i, c)| !masked[*i] && c.is_some())
            .min_by_key(|(_, c)| c.unwrap_or(i64::MAX))
            .map(|(i, _)| i);
        if let Some(i) = smallest {
            masked[i] = true;
        }
    }
    masked
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
    fn age_bands_are_read_as_files_write_them() {
        assert_eq!(age_band("0-14").map(|b| b.label), Some("0–14 ans"));
        assert_eq!(age_band("60 – 74 ans").map(|b| b.code), Some("60-74"));
        assert_eq!(age_band("75 et plus").map(|b| b.code), Some("75+"));
        assert_eq!(age_band("75+").map(|b| b.code), Some("75+"));
        assert_eq!(age_band("0-19"), None);
    }

    #[test]
    fn shares_of_the_young_and_the_old() {
        // 1,000 people: 150 under 15, 200 aged 60–74, 100 aged 75 and over.
        let shares = age_shares(&[150.0, 200.0, 175.0, 175.0, 200.0, 100.0]).unwrap();
        assert_eq!(shares, [15.0, 30.0, 10.0]);
        assert_eq!(age_shares(&[0.0; 6]), None);
    }

    #[test]
    fn a_departement_is_covered_when_half_its_towns_have_sites() {
        assert!(covers_departement(40, 40));
        assert!(covers_departement(40, 20));
        assert!(!covers_departement(40, 19));
        assert!(!covers_departement(40, 0));
        assert!(!covers_departement(0, 0));
    }

    #[test]
    fn prevalences_are_per_100_inhabitants() {
        assert_eq!(prevalence(1_800, 10_000), Some(18.0));
        assert_eq!(prevalence(5, 0), None);
    }

    #[test]
    fn small_counts_are_masked() {
        assert_eq!(publishable(0, 11), Some(0));
        assert_eq!(publishable(1, 11), None);
        assert_eq!(publishable(10, 11), None);
        assert_eq!(publishable(11, 11), Some(11));
        assert_eq!(publishable(3, 1), Some(3), "a threshold of 1 masks nothing");
    }

    #[test]
    fn a_masked_part_is_not_given_away_by_the_total() {
        // 2,000 + 150 + 7: the 7 is masked, and so is the 150, or 2,157 − 2,000 would tell it.
        let counts = [Some(2_000), Some(150), Some(7)];
        assert_eq!(masked_parts(&counts, 11), [false, true, true]);
        // Two small counts hide each other; unknown counts stay as they are.
        let counts = [Some(2_000), Some(3), Some(4), None];
        assert_eq!(masked_parts(&counts, 11), [false, true, true, false]);
        assert_eq!(masked_parts(&[Some(20), Some(0)], 11), [false, false]);
    }

    #[test]
    fn ratios_compare_a_cpts_with_an_area() {
        // 150 against a department's 100: half as many again.
        assert_eq!(ratio(Some(150.0), Some(100.0)), Some(1.5));
        assert_eq!(ratio(Some(150.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(100.0)), None);
    }
}
