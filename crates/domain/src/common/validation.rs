//! Field-level validation errors, with messages in French for the person who filled the form.

use crate::common::civil_date::CivilDate;
use crate::common::text;
use serde::Serialize;

/// One invalid field: the form field (or JSON member) name and a French message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All the errors of one form or request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Keeps the value of a successful parse, or records its message under `field`.
    pub fn take<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// The same errors, those of the field `from` under the name `to` (a form's field and
    /// the API's member that carries it).
    pub fn renamed(mut self, from: &str, to: &str) -> Self {
        for error in &mut self.0 {
            if error.field == from {
                error.field = to.to_owned();
            }
        }
        self
    }

    /// Adds the errors of another part of the same form.
    pub fn merge(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The message for one field, if that field is invalid.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Country codes whose numbers are written nationally as `0` and nine digits: metropolitan
/// France, then Réunion and Mayotte, Guadeloupe (and Saint-Martin, Saint-Barthélemy),
/// French Guiana, Martinique.
const FRENCH_COUNTRY_CODES: [&str; 5] = ["33", "262", "590", "594", "596"];

/// A French phone number: ten digits starting with 0, or in the international form
/// (`+33 6 12 34 56 78`, `0033 …`, `+33 (0)6 …`, and the overseas departments' codes),
/// spaces, dots, hyphens and brackets aside; returned as the ten digits.
pub fn parse_phone(raw: &str) -> Result<String, String> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let international = compact
        .strip_prefix('+')
        .or_else(|| compact.strip_prefix("00"))
        .and_then(|number| {
            FRENCH_COUNTRY_CODES
                .iter()
                .find_map(|code| number.strip_prefix(code))
        });
    let digits = match international {
        Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
        None => compact,
    };
    let valid =
        digits.len() == 10 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
    if valid {
        Ok(digits)
    } else {
        Err(
            "Un numéro de téléphone compte dix chiffres, par exemple 04 42 00 00 00 \
             ou +33 4 42 00 00 00."
                .to_owned(),
        )
    }
}

/// A person's name as typed, spaces tidied: a name's characters (`text::name`), required or
/// not, 100 characters at most and no digits; `what` names it in the message (« nom »,
/// « prénom »).
pub fn parse_person_name(
    raw: &str,
    field: &str,
    what: &str,
    errors: &mut FieldErrors,
    required: bool,
) -> String {
    let value = match text::name(raw, what) {
        Ok(value) => value,
        Err(message) => {
            errors.add(field, message);
            return String::new();
        }
    };
    if value.is_empty() && required {
        errors.add(field, format!("Indiquez le {what}."));
    } else if value.chars().count() > 100 || value.chars().any(|c| c.is_ascii_digit()) {
        errors.add(
            field,
            format!("Le {what} compte 100 caractères au plus, sans chiffres."),
        );
    }
    value
}

/// A birth date: past (on `today` at the latest) and after 1900.
pub fn parse_birth_date(raw: &str, today: CivilDate) -> Result<CivilDate, String> {
    match CivilDate::parse(raw) {
        Some(date) if date <= today && date.year >= 1900 => Ok(date),
        Some(_) => Err("La date de naissance doit être passée, et après 1900.".to_owned()),
        None => Err("Indiquez la date de naissance, par exemple 24/03/1958.".to_owned()),
    }
}

/// A patient's sex as the forms give it: `F` or `M`.
pub fn parse_sex(raw: &str) -> Result<&'static str, String> {
    match raw.trim() {
        "F" => Ok("F"),
        "M" => Ok("M"),
        _ => Err("Indiquez le sexe du patient.".to_owned()),
    }
}

/// A FINESS number: nine characters, digits but for Corsica's `2A`/`2B` department.
pub fn parse_finess(raw: &str) -> Result<String, String> {
    let finess = raw.trim().to_uppercase();
    let (department, rest) = finess.split_at(finess.len().min(2));
    let valid = finess.len() == 9
        && (department.bytes().all(|b| b.is_ascii_digit())
            || department == "2A"
            || department == "2B")
        && rest.bytes().all(|b| b.is_ascii_digit());
    if valid {
        Ok(finess)
    } else {
        Err("Un numéro FINESS compte neuf caractères, par exemple 130000000.".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_is_read_in_its_national_or_international_form() {
        for typed in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "0033 612 345 678",
        ] {
            assert_eq!(parse_phone(typed).as_deref(), Ok("0612345678"), "{typed}");
        }
        assert_eq!(
            parse_phone("+262 692 12 34 56").as_deref(),
            Ok("0692123456")
        );
        for wrong in [
            "06 12 34 56",
            "+44 20 7946 0958",
            "+33 6 12 34 56 78 9",
            "6 12 34 56 78",
        ] {
            assert!(parse_phone(wrong).is_err(), "{wrong}");
        }
    }
}
