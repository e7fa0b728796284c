//! The JSON bodies of the API, read and refused in French problem documents: a body with
//! another content type is a 415, one over `API_BODY_LIMIT` a 413, one that is not JSON a
//! 400 and JSON of the wrong shape a 422, both naming the field where serde tells it (axum's
//! own `Json` answers these in English plain text).

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_domain::common::validation::FieldError;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// The largest body the API reads.
pub const API_BODY_LIMIT: usize = 1024 * 1024;

/// Whether `request` says its body is JSON: `application/json` or `application/…+json`.
fn says_json(request: &Request) -> bool {
    let Some(value) = request.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let essence = value.to_str().unwrap_or_default();
    let essence = essence.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json"))
}

/// The bytes of a JSON body, or the problem refusing it (415, 413 or 400).
pub(crate) async fn json_bytes<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<Bytes, Problem> {
    if !says_json(&request) {
        let mut problem = Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Type de contenu non pris en charge",
        );
        problem.detail = Some(
            "Le corps de la requête doit être du JSON, envoyé avec l’en-tête Content-Type: application/json."
                .to_owned(),
        );
        return Err(problem);
    }
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                let mut problem = Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Corps de requête trop volumineux",
                );
                problem.detail = Some(format!(
                    "Le corps de la requête dépasse la limite de {} Kio.",
                    API_BODY_LIMIT / 1024
                ));
                problem
            } else {
                let mut problem =
                    Problem::new(StatusCode::BAD_REQUEST, "Corps de requête illisible");
                problem.detail =
                    Some("Le corps de la requête n’a pas pu être lu en entier.".to_owned());
                problem
            }
        })
}

/// The value of a JSON body, or the problem naming what is wrong with it.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<Problem>> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (at, inner) = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => match deserializer.end() {
            Ok(()) => {
                return match nul_field(body) {
                    None => Ok(value),
                    Some(field) => Err(Box::new(shape_problem(Some(field), NUL.to_owned()))),
                };
            }
            Err(trailing) => (None, trailing),
        },
        Err(error) => {
            let path = error.path().to_string();
            let at = (path != ".").then_some(path);
            (at, error.into_inner())
        }
    };
    let problem = if inner.classify() == Category::Data {
        let (field, message) = shape_error(at, &inner.to_string());
        shape_problem(field, message)
    } else {
        let mut problem = Problem::new(StatusCode::BAD_REQUEST, "Corps de requête invalide");
        problem.detail = Some(format!(
            "Le corps de la requête n’est pas du JSON valable (ligne {}, colonne {}).",
            inner.line(),
            inner.column()
        ));
        let message = "Le JSON s’interrompt ou est mal formé à cet endroit.".to_owned();
        problem
            .errors
            .extend(at.map(|field| FieldError { field, message }));
        problem
    };
    Err(Box::new(problem))
}

/// What is said of a string holding the NUL character, which no field takes (PostgreSQL
/// cannot store it).
const NUL: &str = "Le caractère nul (U+0000) n’est accepté dans aucun champ.";

/// The 422 problem of JSON of the wrong shape, naming `field` when known.
fn shape_problem(field: Option<String>, message: String) -> Problem {
    let mut problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Données invalides");
    problem.detail = Some("Le corps JSON de la requête n’a pas la forme attendue.".to_owned());
    problem
        .errors
        .extend(field.map(|field| FieldError { field, message }));
    problem
}

/// The path of the first string (value or key) of the JSON `body` that holds the NUL
/// character, `body` when it is the body itself; only looked for when the body escapes one.
fn nul_field(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    if !text.contains("\\u0000") {
        return None;
    }
    fn within(value: &serde_json::Value, at: &str) -> Option<String> {
        let path = |name: &str| match at {
            "" => name.to_owned(),
            at if name.starts_with('[') => format!("{at}{name}"),
            at => format!("{at}.{name}"),
        };
        match value {
            serde_json::Value::String(s) if s.contains('\0') => Some(at.to_owned()),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| within(item, &path(&format!("[{i}]")))),
            serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
                if key.contains('\0') {
                    Some(path(key))
                } else {
                    within(item, &path(key))
                }
            }),
            _ => None,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    within(&value, "").map(|at| if at.is_empty() { "body".to_owned() } else { at })
}

/// The field a serde data error `text` at `at` is about, and what to tell of it in French.
fn shape_error(at: Option<String>, text: &str) -> (Option<String>, String) {
    let within = |name: &str| match &at {
        Some(at) => format!("{at}.{name}"),
        None => name.to_owned(),
    };
    let named = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(within)
    };
    if let Some(field) = named("missing field `") {
        return (Some(field), "Ce champ est obligatoire.".to_owned());
    }
    if let Some(field) = named("unknown field `") {
        return (Some(field), "Ce champ n’est pas attendu.".to_owned());
    }
    let message = if text.starts_with("invalid type") {
        "Cette valeur n’a pas le type attendu.".to_owned()
    } else if text.starts_with("unknown variant") {
        "Cette valeur n’est pas l’une de celles attendues.".to_owned()
    } else {
        "Cette valeur n’a pas la forme attendue.".to_owned()
    };
    // At the root, the body itself (an array instead of an object…) is the field at fault.
    (Some(at.unwrap_or_else(|| "body".to_owned())), message)
}

/// A JSON body of type `T`, refused in French problem documents.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let bytes = json_bytes(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse(&bytes).map(ApiJson).map_err(|p| p.into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Patient {
        last_name: String,
        age: i64,
    }

    #[derive(Debug, Deserialize)]
    struct Booking {
        slot_id: i64,
        patient: Option<Patient>,
    }

    fn refusal(body: &str) -> (u16, Option<String>) {
        let problem = parse::<Booking>(body.as_bytes()).unwrap_err();
        let field = problem.errors.first().map(|e| e.field.clone());
        (problem.status, field)
    }

    #[test]
    fn reads_a_body_of_the_expected_shape() {
        let body = br#"{"slot_id": 7, "patient": {"last_name": "Abadie", "age": 40}}"#;
        let booking = parse::<Booking>(body).unwrap();
        let patient = booking.patient.unwrap();
        assert_eq!(
            (booking.slot_id, patient.last_name, patient.age),
            (7, "Abadie".into(), 40)
        );
    }

    #[test]
    fn names_the_field_serde_stopped_at() {
        assert_eq!(
            refusal(r#"{"slot_id": "un"}"#),
            (422, Some("slot_id".into()))
        );
        assert_eq!(refusal(r#"{"patient": null}"#).1, Some("slot_id".into()));
        assert_eq!(
            refusal(r#"{"slot_id": 1, "patient": {"last_name": "A"}}"#),
            (422, Some("patient.age".into()))
        );
        assert_eq!(refusal(r#"[1]"#), (422, Some("body".into())));
        assert_eq!(refusal(r#"{"slot_id": tru"#), (400, Some("slot_id".into())));
        assert_eq!(refusal(""), (400, None));
        assert_eq!(refusal(r#"{"slot_id": 1} x"#).0, 400);
        let nul = r#"{"slot_id": 1, "patient": {"last_name": "A\u0000", "age": 3}}"#;
        assert_eq!(refusal(nul), (422, Some("patient.last_name".into())));
        assert_eq!(
            super::nul_field(br#"{"a": ["b", "\u0000"]}"#),
            Some("a[1]".into())
        );
        assert_eq!(super::nul_field(br#"{"a": "\\u0000"}"#), None);
    }
}
