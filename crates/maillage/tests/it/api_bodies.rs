//! The API answers problem+json in French everywhere: a body over the limit (413), of
//! another content type (415), that is not JSON (400) or of the wrong shape (422) naming
//! the field, an unknown address (404), a method an address does not take (405), the NUL
//! character in an address (400) or a body (422); the OpenAPI document declares these.

use crate::support::{TestApp, api_get, both, token_of};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn send(
    t: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    reqwest::Client::new()
        .request(method, t.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The problem document of `response`, checked to have `status` and to be one.
async fn problem(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    let kind = response.headers()["content-type"].to_str().unwrap();
    assert_eq!(kind, "application/problem+json");
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], status.as_u16(), "{problem}");
    problem
}

async fn json_bodies_are_refused_in_french_problems(t: TestApp) {
    t.cpts("a").await;
    t.user("admin@host.fr", "admin", "").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let admin = token_of(&t, "admin@host.fr").await;
    let coord = token_of(&t, "coord@a.fr").await;
    let post = reqwest::Method::POST;
    let json = "application/json";

    // Over the limit of 1 Mio.
    let long = format!(r#"{{"slug": "b", "name": "{}"}}"#, "x".repeat(1024 * 1024));
    let refused = send(&t, post.clone(), "/api/v1/cpts", &admin, json, long).await;
    let too_large = problem(refused, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(too_large["title"], "Corps de requête trop volumineux");
    assert!(too_large["detail"].as_str().unwrap().contains("1024 Kio"));

    // JSON only with a JSON content type, on plain and idempotent calls alike.
    let body = r#"{"slug": "b", "name": "CPTS B"}"#;
    for (path, token) in [
        ("/api/v1/cpts", &admin),
        ("/api/v1/medecin-traitant/demandes", &coord),
    ] {
        let as_text = send(&t, post.clone(), path, token, "text/plain", body).await;
        let unsupported = problem(as_text, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
        assert!(
            unsupported["detail"]
                .as_str()
                .unwrap()
                .contains("Content-Type: application/json"),
            "{unsupported}"
        );
    }

    // Not JSON: the field the parser stopped in is named.
    let cut = r#"{"slug": "b", "name": tru"#;
    let broken = send(&t, post.clone(), "/api/v1/cpts", &admin, json, cut).await;
    let syntax = problem(broken, StatusCode::BAD_REQUEST).await;
    assert_eq!(syntax["errors"][0]["field"], "name", "{syntax}");
    assert!(syntax["detail"].as_str().unwrap().contains("ligne 1"));

    // JSON of the wrong shape: the field is named, nested ones by their path.
    let typed = send(
        &t,
        post.clone(),
        "/api/v1/cpts",
        &admin,
        json,
        r#"{"slug": 3}"#,
    )
    .await;
    let shape = problem(typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(shape["errors"][0]["field"], "slug", "{shape}");
    assert_eq!(
        shape["errors"][0]["message"],
        "Cette valeur n’a pas le type attendu."
    );
    let missing = r#"{"first_name": "Léa"}"#;
    let path = "/api/v1/medecin-traitant/demandes";
    let incomplete = send(&t, post.clone(), path, &coord, json, missing).await;
    let absent = problem(incomplete, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(absent["errors"][0]["field"], "last_name", "{absent}");
    assert_eq!(absent["errors"][0]["message"], "Ce champ est obligatoire.");
    let nested = r#"{"slot_id": 1, "patient": {"last_name": 4}}"#;
    let booking = send(&t, post.clone(), "/api/v1/bookings", &coord, json, nested).await;
    let inner = problem(booking, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(inner["errors"][0]["field"], "patient.last_name", "{inner}");
    // What API clients parse, whole: any change to these documents shows as a diff.
    let documents = json!({
        "413": too_large, "400": syntax, "422 type": shape, "422 absent": absent,
        "422 nested": inner,
    });
    insta::assert_json_snapshot!("problem_documents", documents);

    // A JSON content type with parameters is JSON.
    let with_charset = "application/json; charset=utf-8";
    let created = send(&t, post, "/api/v1/cpts", &admin, with_charset, body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
}
both!(json_bodies_are_refused_in_french_problems);

async fn unknown_addresses_and_methods_are_problems(t: TestApp) {
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let token = token_of(&t, "coord@a.fr").await;

    let unknown = api_get(&t, "/api/v1/nulle-part", &token).await;
    let not_found = problem(unknown, StatusCode::NOT_FOUND).await;
    assert_eq!(not_found["title"], "Introuvable");

    let delete = reqwest::Method::DELETE;
    let refused = send(
        &t,
        delete.clone(),
        "/api/v1/cpts",
        &token,
        "application/json",
        "",
    )
    .await;
    let allow = refused.headers()["allow"].to_str().unwrap().to_owned();
    assert_eq!(allow, "GET,HEAD,POST");
    let not_allowed = problem(refused, StatusCode::METHOD_NOT_ALLOWED).await;
    assert_eq!(not_allowed["title"], "Méthode non permise");

    // The pages keep their French error pages.
    let page = t.client().delete(t.url("/connexion")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(page.text().await.unwrap().contains("Méthode non permise"));
}
both!(unknown_addresses_and_methods_are_problems);

async fn the_openapi_document_declares_the_refusals(t: TestApp) {
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let token = token_of(&t, "coord@a.fr").await;
    let doc: Value = api_get(&t, "/api/openapi.json", &token)
        .await
        .json()
        .await
        .unwrap();
    let responses = |path: &str, method: &str| doc["paths"][path][method]["responses"].clone();
    let create = responses("/api/v1/cpts", "post");
    for status in ["400", "401", "413", "415"] {
        let shared = &create[status]["$ref"];
        assert!(shared.is_string(), "POST /api/v1/cpts lacks {status}");
    }
    let own = &create["422"]["description"];
    assert!(
        own.is_string(),
        "an operation keeps the answers it declares"
    );
    let me = responses("/api/v1/me", "get");
    assert!(me["400"].is_object() && me["401"].is_object() && me["413"].is_null());
    let one = responses("/api/v1/medecin-traitant/demandes/{id}", "get");
    assert!(one["400"].is_object() && one["404"].is_object());
    let shared = &doc["components"]["responses"]["CorpsTropVolumineux"];
    let schema = &shared["content"]["application/problem+json"]["schema"]["$ref"];
    assert_eq!(schema, "#/components/schemas/Problem");
}
both!(the_openapi_document_declares_the_refusals);

async fn the_nul_character_is_refused_wherever_it_comes(t: TestApp) {
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let token = token_of(&t, "coord@a.fr").await;
    // PostgreSQL cannot compare a text holding it: these were 500s there.
    for (path, field) in [
        ("/api/v1/cpts/a%00b", None),
        ("/api/v1/cpts/a%00b/territoire", None),
        ("/api/v1/slots?from=&commune=a%00b", Some("commune")),
        ("/api/v1/me?x=%00", Some("x")),
    ] {
        let refused = problem(api_get(&t, path, &token).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(
            refused["errors"][0]["field"].as_str(),
            field,
            "{path}: {refused}"
        );
        assert!(
            refused["detail"].as_str().unwrap().contains("%00"),
            "{refused}"
        );
    }
    let body = r#"{"last_name": "A", "first_name": "B", "birth_date": "1950-03-24",
        "sex": "F", "commune": "a\u0000b"}"#;
    let path = "/api/v1/medecin-traitant/demandes";
    let post = reqwest::Method::POST;
    let sent = send(&t, post, path, &token, "application/json", body).await;
    let refused = problem(sent, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["errors"][0]["field"], "commune", "{refused}");
}
both!(the_nul_character_is_refused_wherever_it_comes);
