//! The desk's calls to the patient of a request: what came of each (reached, no answer, a
//! message left, a wrong number), with a short note of what was agreed.

use super::booking::{label_in, parse_in};
use super::request::short_text;
use crate::FieldErrors;

/// What came of a call: (code, label).
pub const CALL_RESULTS: [(&str, &str); 4] = [
    ("reached", "Patient joint"),
    ("no_answer", "Pas de réponse"),
    ("voicemail", "Message laissé"),
    ("wrong_number", "Numéro erroné"),
];

/// How a call's result is shown: its label, or nothing for an unknown code.
pub fn call_result_label(code: &str) -> &'static str {
    label_in(&CALL_RESULTS, code)
}

/// A call as the desk records it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub result: &'static str,
    pub note: String,
}

impl Call {
    pub fn parse(result: &str, note: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let result = errors.take(
            "result",
            parse_in(&CALL_RESULTS, result, "Indiquez ce qu’a donné l’appel."),
        );
        let note = errors.take(
            "note",
            short_text(
                note,
                "note",
                "200 caractères au plus : ce qui est convenu, pas le dossier médical.",
            ),
        );
        match (result, note) {
            (Some(result), Some(note)) => Ok(Self { result, note }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_says_what_came_of_it_in_a_few_words() {
        let call = Call::parse("no_answer", "  rappeler   après 18 h ").expect("valid");
        assert_eq!(call.result, "no_answer");
        assert_eq!(call.note, "rappeler après 18 h");
        assert_eq!(call_result_label(call.result), "Pas de réponse");
        let errors = Call::parse("", &"x".repeat(201)).expect_err("invalid");
        assert_eq!(
            errors.get("result"),
            Some("Indiquez ce qu’a donné l’appel.")
        );
        assert!(errors.get("note").is_some());
    }
}
