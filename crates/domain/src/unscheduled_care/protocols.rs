//! Cooperation protocols a CPTS sets up: a reason that, for patients of the right age and
//! sex, a trained professional of another profession may take (cystitis to a pharmacist,
//! an ankle sprain to a physiotherapist), offered beside the GPs' slots when a request
//! matches.

use super::reasons::Reason;
use crate::FieldErrors;
use crate::common::text;

/// A protocol as typed by a coordinator.
#[derive(Debug, Clone, Default)]
pub struct ProtocolFields {
    pub name: String,
    pub reason: String,
    pub profession: String,
    pub age_min: String,
    pub age_max: String,
    /// `F`, `M`, or empty for both.
    pub sex: String,
    pub conditions: String,
}

/// A checked protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol {
    pub name: String,
    pub reason: Reason,
    /// The TRE_G15 code of the profession that takes the patients (21 pharmacist…).
    pub profession: String,
    pub age_min: i32,
    pub age_max: i32,
    pub sex: Option<&'static str>,
    /// What the coordinator checks before offering it (no fever, no pregnancy…).
    pub conditions: String,
}

fn age(raw: &str, default: i32) -> Result<i32, String> {
    match raw.trim() {
        "" => Ok(default),
        text => text
            .parse::<i32>()
            .ok()
            .filter(|age| (0..=120).contains(age))
            .ok_or_else(|| "Un âge de 0 à 120 ans.".to_owned()),
    }
}

impl Protocol {
    /// Checks a protocol; `is_profession` tells whether a TRE_G15 code exists.
    pub fn parse(
        fields: &ProtocolFields,
        is_profession: impl Fn(&str) -> bool,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors
            .take("name", text::line(&fields.name, "nom du protocole"))
            .unwrap_or_default();
        if errors.get("name").is_none() && (name.is_empty() || name.chars().count() > 120) {
            errors.add("name", "Nommez le protocole (120 caractères au plus).");
        }
        let reason = errors.take("reason", Reason::parse(&fields.reason));
        let profession = fields.profession.trim().to_owned();
        if !is_profession(&profession) {
            errors.add(
                "profession",
                "Choisissez la profession qui prend en charge.",
            );
        }
        let age_min = errors.take("age_min", age(&fields.age_min, 0));
        let age_max = errors.take("age_max", age(&fields.age_max, 120));
        if let (Some(min), Some(max)) = (age_min, age_max)
            && min > max
        {
            errors.add("age_max", "L’âge maximal est au moins l’âge minimal.");
        }
        let sex = match fields.sex.trim() {
            "" => None,
            "F" => Some("F"),
            "M" => Some("M"),
            _ => {
                errors.add("sex", "Femmes, hommes, ou les deux.");
                None
            }
        };
        let conditions = errors
            .take("conditions", text::lines(&fields.conditions, "conditions"))
            .unwrap_or_default();
        if conditions.chars().count() > 1000 {
            errors.add("conditions", "1 000 caractères au plus.");
        }
        match (reason, age_min, age_max) {
            (Some(reason), Some(age_min), Some(age_max)) if errors.is_empty() => Ok(Self {
                name,
                reason,
                profession,
                age_min,
                age_max,
                sex,
                conditions,
            }),
            _ => Err(errors),
        }
    }

    /// Whether a patient of this age and sex, seen for `reason`, falls under the protocol.
    pub fn applies_to(&self, reason: Reason, age: i32, sex: &str) -> bool {
        let eligible = Eligible {
            reason: self.reason,
            ages: self.age_min..=self.age_max,
            sex: self.sex,
        };
        eligible.admits(reason, age, sex)
    }
}

/// Who a protocol takes: patients seen for its reason, within its ages, of its sex if set.
pub struct Eligible<'a> {
    pub reason: Reason,
    pub ages: std::ops::RangeInclusive<i32>,
    pub sex: Option<&'a str>,
}

impl Eligible<'_> {
    pub fn admits(&self, reason: Reason, age: i32, sex: &str) -> bool {
        self.reason == reason && self.ages.contains(&age) && self.sex.is_none_or(|only| only == sex)
    }
}
