//! The refusals that axum writes in English plain text (a path segment, a query parameter
//! or a form field of the wrong form) or with no body (an unknown address, a method the
//! address does not take), said again in French and naming what was wrong, and addresses
//! holding the NUL character refused before any route: an error page for the pages, a
//! problem document for the JSON API.

use crate::html::error_page;
use crate::problem::Problem;
use axum::extract::Request;
use axum::http::{StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maillage_domain::common::validation::FieldError;

/// The most of a refusal's text read back (they are one line).
const REFUSAL_BYTES: usize = 4096;

/// Refuses an address holding the NUL character, then rewrites the extractors' refusals of
/// `request` in French.
pub async fn in_french(request: Request, next: Next) -> Response {
    let api = is_api(request.uri());
    if let Some(field) = nul_in(request.uri()) {
        let message = match &field {
            Some(f) => {
                format!("Le paramètre « {f} » de l’adresse contient le caractère nul (%00).")
            }
            None => "L’adresse contient le caractère nul (%00), qu’aucune ne prend.".to_owned(),
        };
        return refusal(
            api,
            StatusCode::BAD_REQUEST,
            "Requête invalide",
            field,
            message,
        );
    }
    let response = next.run(request).await;
    if !is_refusal(&response) {
        return response;
    }
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), REFUSAL_BYTES)
        .await
        .unwrap_or_default();
    let (field, message) = explain(&String::from_utf8_lossy(&body));
    refusal(api, status, "Requête invalide", field, message)
}

/// A refusal with `status`: a problem naming `field` for the API, an error page otherwise.
fn refusal(
    api: bool,
    status: StatusCode,
    title: &str,
    field: Option<String>,
    message: String,
) -> Response {
    if api {
        let mut problem = Problem::new(status, title);
        problem.detail = Some(message.clone());
        if let Some(field) = field {
            problem.errors.push(FieldError { field, message });
        }
        problem.into_response()
    } else {
        error_page(status, title, &message)
    }
}

/// Whether `uri` holds the NUL character, which no route takes (PostgreSQL cannot compare
/// a text holding it): `Some` of the query parameter it is in, if it is in one.
fn nul_in(uri: &Uri) -> Option<Option<String>> {
    let escaped = |text: &str| text.to_ascii_lowercase().contains("%00");
    if escaped(uri.path()) {
        return Some(None);
    }
    let query = uri.query().filter(|q| escaped(q))?;
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default();
    let field = pairs
        .into_iter()
        .find(|(key, value)| key.contains('\0') || value.contains('\0'))
        .map(|(key, _)| key);
    Some(field)
}

/// Whether `uri` is one of the JSON API's, answered with problem documents.
fn is_api(uri: &Uri) -> bool {
    uri.path().starts_with("/api/")
}

/// The answer to an address no route has.
pub async fn not_found(uri: Uri) -> Response {
    if is_api(&uri) {
        let mut problem = Problem::new(StatusCode::NOT_FOUND, "Introuvable");
        problem.detail = Some(
            "Cette adresse n’existe pas dans l’API : ses opérations sont décrites par /api/openapi.json."
                .to_owned(),
        );
        problem.into_response()
    } else {
        error_page(
            StatusCode::NOT_FOUND,
            "Page introuvable",
            "Cette page n’existe pas ou ne vous est pas accessible.",
        )
    }
}

/// The answer to a method an address does not take (axum adds the `Allow` header).
pub async fn method_not_allowed(uri: Uri) -> Response {
    let message =
        "Cette adresse ne prend pas cette méthode HTTP : l’en-tête Allow dit celles qu’elle prend.";
    let status = StatusCode::METHOD_NOT_ALLOWED;
    refusal(
        is_api(&uri),
        status,
        "Méthode non permise",
        None,
        message.to_owned(),
    )
}

/// Whether `response` is an extractor's refusal: a client error in plain text (every other
/// error of this server is a page or a problem document).
fn is_refusal(response: &Response) -> bool {
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    plain
        && matches!(
            response.status(),
            StatusCode::BAD_REQUEST
                | StatusCode::UNPROCESSABLE_ENTITY
                | StatusCode::UNSUPPORTED_MEDIA_TYPE
        )
}

/// The field named by an extractor's refusal `text`, if any, and what to tell in French.
fn explain(text: &str) -> (Option<String>, String) {
    // What follows the prefix: « field: what serde said », or serde's words alone.
    let field_of = |rest: &str| {
        rest.split_once(": ")
            .map(|(field, _)| field.to_owned())
            .filter(|field| !field.contains(' '))
    };
    if let Some(rest) = text.strip_prefix("Failed to deserialize query string: ") {
        let field = field_of(rest);
        let message = match &field {
            Some(f) => format!("Le paramètre « {f} » de l’adresse n’a pas la forme attendue."),
            None => "Un paramètre de l’adresse n’a pas la forme attendue.".to_owned(),
        };
        (field, message)
    } else if let Some(rest) = text.strip_prefix("Failed to deserialize form body: ") {
        let field = field_of(rest);
        let message = match &field {
            Some(f) => format!("Le champ « {f} » du formulaire n’a pas la forme attendue."),
            None => "Un champ du formulaire manque ou n’a pas la forme attendue.".to_owned(),
        };
        (field, message)
    } else if text.starts_with("Invalid URL") {
        let value = text.split('`').nth(1).unwrap_or_default();
        (
            None,
            format!("« {value} » n’est pas un identifiant valable dans cette adresse."),
        )
    } else if text.contains("Content-Type") {
        (
            None,
            "Le type du contenu envoyé (Content-Type) n’est pas celui attendu.".to_owned(),
        )
    } else {
        (None, "La requête n’a pas la forme attendue.".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn finds_the_nul_character_in_the_path_or_a_parameter() {
        let nul = |uri: &str| super::nul_in(&uri.parse().unwrap());
        assert_eq!(nul("/api/v1/cpts/a%00"), Some(None));
        assert_eq!(
            nul("/annuaire?nom=x&commune=a%00b"),
            Some(Some("commune".into()))
        );
        assert_eq!(nul("/annuaire?nom=100%25"), None);
        assert_eq!(nul("/annuaire?nom=%2500"), None);
    }

    #[test]
    fn names_the_parameter_or_the_value_at_fault() {
        assert_eq!(
            explain("Failed to deserialize query string: rayon: invalid digit found in string"),
            (
                Some("rayon".to_owned()),
                "Le paramètre « rayon » de l’adresse n’a pas la forme attendue.".to_owned()
            )
        );
        assert_eq!(
            explain("Invalid URL: Cannot parse `abc` to a `i64`").1,
            "« abc » n’est pas un identifiant valable dans cette adresse."
        );
        assert_eq!(
            explain("Failed to deserialize form body: missing field `email`").0,
            None
        );
    }
}
