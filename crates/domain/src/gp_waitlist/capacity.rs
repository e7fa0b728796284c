//! What a member GP accepts as new patients beyond a number per month: the communes and the
//! age band they take patients from, and the planned departure (retirement, move) that
//! stops the CPTS from proposing them new patients.

use crate::FieldErrors;
use crate::common::civil_date::CivilDate;

/// The patients a GP takes: from some communes only (INSEE codes; empty: any) and in an age
/// band only (bounds included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPatientLimits {
    pub communes: Vec<String>,
    pub min_age: Option<i64>,
    pub max_age: Option<i64>,
}

/// The INSEE codes of a list stored separated by commas.
pub fn stored_codes(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Why a GP cannot take a patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// They gave a number per month and reached it.
    Full,
    Commune,
    Age,
    /// They leave within a year, or left.
    Leaving,
}

impl Refusal {
    pub fn message_fr(self) -> &'static str {
        match self {
            Refusal::Full => "Ce médecin n’a plus de place ce mois-ci pour un nouveau patient.",
            Refusal::Commune => "Ce médecin ne prend pas de nouveaux patients de cette commune.",
            Refusal::Age => "Ce médecin ne prend pas de nouveaux patients de cet âge.",
            Refusal::Leaving => "Ce médecin cesse son activité d’ici un an.",
        }
    }
}

impl NewPatientLimits {
    /// Limits as stored: communes separated by commas.
    pub fn from_stored(communes: &str, min_age: Option<i64>, max_age: Option<i64>) -> Self {
        Self {
            communes: stored_codes(communes),
            min_age,
            max_age,
        }
    }

    /// Checks the age bounds as typed (empty: no bound); the communes are the caller's.
    pub fn parse_ages(min: &str, max: &str) -> Result<(Option<i64>, Option<i64>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut bound = |raw: &str, field: &str| match raw.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(age) if (0..=120).contains(&age) => Some(age),
                _ => {
                    errors.add(field, "Indiquez un âge en années, entre 0 et 120.");
                    None
                }
            },
        };
        let min_age = bound(min, "new_patient_min_age");
        let max_age = bound(max, "new_patient_max_age");
        if let (Some(min), Some(max)) = (min_age, max_age)
            && min > max
        {
            errors.add(
                "new_patient_max_age",
                "L’âge maximum doit être supérieur ou égal à l’âge minimum.",
            );
        }
        errors.into_result(|| (min_age, max_age))
    }

    /// Whether a patient of `age` living in `commune` is one the GP takes.
    pub fn refusal(&self, commune: &str, age: i32) -> Option<Refusal> {
        if !self.communes.is_empty() && !self.communes.iter().any(|c| c == commune) {
            return Some(Refusal::Commune);
        }
        let age = i64::from(age);
        if self.min_age.is_some_and(|min| age < min) || self.max_age.is_some_and(|max| age > max) {
            return Some(Refusal::Age);
        }
        None
    }
}

/// Whether a GP who plans to stop on `departure` leaves within a year of `today`: the CPTS
/// no longer proposes them new patients.
pub fn leaves_within_a_year(departure: Option<CivilDate>, today: CivilDate) -> bool {
    departure.is_some_and(|day| {
        let in_a_year = CivilDate {
            year: today.year + 1,
            ..today
        };
        day <= in_a_year
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(raw: &str) -> CivilDate {
        CivilDate::parse(raw).unwrap()
    }

    #[test]
    fn communes_and_age_band_limit_the_patients_taken() {
        let limits = NewPatientLimits::from_stored("13001, 13071", Some(16), Some(70));
        assert_eq!(limits.communes, ["13001", "13071"]);
        assert_eq!(limits.refusal("13001", 40), None);
        assert_eq!(limits.refusal("13001", 70), None);
        assert_eq!(limits.refusal("13001", 16), None);
        assert_eq!(limits.refusal("13002", 40), Some(Refusal::Commune));
        assert_eq!(limits.refusal("13071", 15), Some(Refusal::Age));
        assert_eq!(limits.refusal("13071", 71), Some(Refusal::Age));
        assert_eq!(NewPatientLimits::default().refusal("2A004", 3), None);
    }

    #[test]
    fn age_bounds_are_checked_as_typed() {
        assert_eq!(
            NewPatientLimits::parse_ages("", " 60 ").unwrap(),
            (None, Some(60))
        );
        let errors = NewPatientLimits::parse_ages("70", "16").unwrap_err();
        assert!(errors.get("new_patient_max_age").is_some());
        let errors = NewPatientLimits::parse_ages("-1", "cent").unwrap_err();
        assert!(errors.get("new_patient_min_age").is_some());
        assert!(errors.get("new_patient_max_age").is_some());
    }

    #[test]
    fn a_gp_leaving_within_a_year_is_no_longer_proposed() {
        let today = date("15/01/2027");
        assert!(leaves_within_a_year(Some(date("30/06/2027")), today));
        assert!(leaves_within_a_year(Some(date("15/01/2028")), today));
        assert!(!leaves_within_a_year(Some(date("16/01/2028")), today));
        assert!(!leaves_within_a_year(None, today));
    }
}
