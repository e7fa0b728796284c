//! The JSON API: personal tokens, problem+json errors naming the field, OpenAPI document.

use crate::support::{PASSWORD, TestApp, api_get, both, text_between, token_of};
use serde_json::Value;

async fn create_cpts(t: &TestApp, token: &str, body: Value) -> reqwest::Response {
    let url = t.url("/api/v1/cpts");
    let request = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(&body);
    request.send().await.unwrap()
}

async fn personal_tokens_open_the_api_until_revoked(t: TestApp) {
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    t.login(&client, "medecin@a.fr", PASSWORD).await;
    let page = t
        .post_form(&client, "/compte", "/compte/jetons", &[("name", "export")])
        .await
        .text()
        .await
        .unwrap();
    let token = text_between(&page, "<code id=\"nouveau-jeton\">", "</code>").unwrap();
    assert!(token.starts_with("mlg_"));
    let me: Value = api_get(&t, "/api/v1/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "medecin@a.fr");
    assert_eq!(me["role"], "member");
    let listed = t.page(&client, "/compte").await;
    assert!(!listed.contains(&token), "a token is shown once");
    let id = text_between(&listed, "/compte/jetons/", "/revocation").unwrap();
    t.post_form(
        &client,
        "/compte",
        &format!("/compte/jetons/{id}/revocation"),
        &[],
    )
    .await;
    let refused = api_get(&t, "/api/v1/me", &token).await;
    assert_eq!(refused.status(), 401);
}
both!(personal_tokens_open_the_api_until_revoked);

async fn api_errors_are_problems_naming_the_field(t: TestApp) {
    t.cpts("a").await;
    t.cpts("b").await;
    t.user("admin@host.fr", "admin", "").await;
    t.user("medecin@a.fr", "member", "a").await;
    let admin = token_of(&t, "admin@host.fr").await;
    let member = token_of(&t, "medecin@a.fr").await;
    let bad = create_cpts(
        &t,
        &admin,
        serde_json::json!({"slug": "Pas Bon", "name": "CPTS C"}),
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "slug");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("minuscules")
    );
    let created = create_cpts(
        &t,
        &admin,
        serde_json::json!({"slug": "c", "name": "CPTS C"}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let again = create_cpts(
        &t,
        &admin,
        serde_json::json!({"slug": "c", "name": "Autre"}),
    )
    .await;
    assert_eq!(again.status(), 422, "duplicate slug");
    let forbidden = create_cpts(&t, &member, serde_json::json!({"slug": "d", "name": "D"})).await;
    assert_eq!(forbidden.status(), 403);
    let other = api_get(&t, "/api/v1/cpts/b", &member).await;
    assert_eq!(other.status(), 404, "another CPTS is not found");
    let own: Vec<Value> = api_get(&t, "/api/v1/cpts", &member)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["slug"], "a");
    assert_eq!(api_get(&t, "/api/v1/audit", &member).await.status(), 403);
    let doc: Value = api_get(&t, "/api/openapi.json", &member)
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/me",
        "/api/v1/cpts",
        "/api/v1/cpts/{slug}",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"].get(path).is_some(), "OpenAPI lacks {path}");
    }
    // What API clients build on changes only on purpose: a change shows as a diff of
    // `snapshots/it__api__openapi.snap` to review (`INSTA_UPDATE=always` writes it anew).
    insta::assert_json_snapshot!("openapi", doc);
}
both!(api_errors_are_problems_naming_the_field);
