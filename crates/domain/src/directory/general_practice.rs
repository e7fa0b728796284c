//! Who is a general practitioner: a physician (TRE_G15 `10`) whose ordinal specialty
//! (TRE_R38) is one of general practice. The one definition that the waiting list, the
//! capacities, the departures, the diagnosis, the directory search and unscheduled care use.

/// TRE_G15: physicians.
pub const PHYSICIAN: &str = "10";

/// The TRE_R38 specialties of general practice: « Qualifié en médecine générale » (SM26),
/// « Spécialiste en médecine générale » (SM53: most GPs qualified since the DES) and
/// « Médecine générale » (SM54).
pub const GENERAL_PRACTICE: [&str; 3] = ["SM26", "SM53", "SM54"];

/// The value of the directory search's « Médecin généraliste » choice (URLs and API): the
/// physicians of the three specialties at once.
pub const GENERAL_PRACTITIONER_CHOICE: &str = "generaliste";

/// Whether a professional of `profession` and `specialty` is a general practitioner.
pub fn is_general_practitioner(profession: &str, specialty: &str) -> bool {
    profession == PHYSICIAN && GENERAL_PRACTICE.contains(&specialty)
}

/// Whether a professional of `profession` and `specialty` is a specialist doctor of second
/// recourse: a physician whose specialty is known and is not general practice.
pub fn is_second_recourse(profession: &str, specialty: &str) -> bool {
    profession == PHYSICIAN && !specialty.is_empty() && !GENERAL_PRACTICE.contains(&specialty)
}

/// The profession and the specialties a directory search keeps, from what was asked:
/// `profession` a TRE_G15 code or [`GENERAL_PRACTITIONER_CHOICE`], `specialty` a TRE_R38
/// code or empty. No specialty kept means any; a specialty asked outside general practice
/// with the GP choice keeps none that exists (the search finds nothing).
pub fn search_codes(profession: &str, specialty: &str) -> (String, Vec<String>) {
    let (profession, specialty) = (profession.trim(), specialty.trim());
    if profession != GENERAL_PRACTITIONER_CHOICE {
        let specialties = (!specialty.is_empty()).then(|| specialty.to_owned());
        return (profession.to_owned(), specialties.into_iter().collect());
    }
    let specialties = match specialty {
        "" => GENERAL_PRACTICE.map(str::to_owned).to_vec(),
        one if GENERAL_PRACTICE.contains(&one) => vec![one.to_owned()],
        // A code no professional carries: nothing matches.
        _ => vec![String::new()],
    };
    (PHYSICIAN.to_owned(), specialties)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gp_is_a_physician_of_any_of_the_three_specialties() {
        for specialty in ["SM26", "SM53", "SM54"] {
            assert!(is_general_practitioner("10", specialty), "{specialty}");
            assert!(!is_second_recourse("10", specialty), "{specialty}");
            assert!(!is_general_practitioner("60", specialty), "{specialty}");
        }
        assert!(!is_general_practitioner("10", ""));
        assert!(!is_general_practitioner("10", "SM04"));
        assert!(is_second_recourse("10", "SM04"));
        assert!(!is_second_recourse("10", ""));
        assert!(!is_second_recourse("60", ""));
    }

    #[test]
    fn the_gp_choice_searches_the_three_specialties() {
        let all = (
            "10".to_owned(),
            vec!["SM26".to_owned(), "SM53".to_owned(), "SM54".to_owned()],
        );
        assert_eq!(search_codes("generaliste", ""), all);
        assert_eq!(
            search_codes("generaliste", "SM53"),
            ("10".to_owned(), vec!["SM53".to_owned()])
        );
        assert_eq!(search_codes("generaliste", "SM04").1, vec![String::new()]);
        assert_eq!(
            search_codes("10", "SM04"),
            ("10".to_owned(), vec!["SM04".to_owned()])
        );
        assert_eq!(search_codes(" 60 ", ""), ("60".to_owned(), Vec::new()));
    }
}
