//! Requests whose address has the wrong form are refused in French, naming what was wrong:
//! a page for the browser, a problem document for the API (axum's own refusals are English
//! plain text).

use crate::support::{PASSWORD, TestApp, api_get, both, token_of};
use reqwest::StatusCode;
use serde_json::Value;

both!(a_malformed_address_is_refused_in_french);
async fn a_malformed_address_is_refused_in_french(t: TestApp) {
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let client = t.client();
    t.login(&client, "coord@a.fr", PASSWORD).await;

    let page = client
        .get(t.url("/annuaire/professionnels/abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let text = page.text().await.unwrap();
    assert!(
        text.contains("« abc » n’est pas un identifiant valable dans cette adresse."),
        "{text}"
    );

    let search = t.page(&client, "/annuaire?nom=martin&page=abc").await;
    assert!(
        search.contains("Le paramètre « page » de l’adresse n’a pas la forme attendue."),
        "{search}"
    );

    let token = token_of(&t, "coord@a.fr").await;
    let api = api_get(
        &t,
        "/api/v1/professionnels?nom=martin&adherents=peut-etre",
        &token,
    )
    .await;
    assert_eq!(api.status(), StatusCode::BAD_REQUEST);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let problem: Value = api.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "adherents", "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("« adherents »"),
        "{problem}"
    );
}
