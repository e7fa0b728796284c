//! The waiting list through the JSON API: a request recorded once per `Idempotency-Key`
//! (the same answer again, a refusal for another body), field errors as problems, the list
//! by priority, a proposal, the GP's answer, the indicators, and the OpenAPI document.

use crate::gp_proposals::restanque_as_member;
use crate::gp_waitlist::setup;
use crate::support::{TestApp, api_get, both, token_of};
use serde_json::{Value, json};

async fn post(
    t: &TestApp,
    path: &str,
    token: &str,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(t.url(path))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

async fn the_api_records_a_request_once_per_key_and_follows_it(t: TestApp) {
    let coord = setup(&t).await;
    crate::directory::import_sample(&t).await;
    restanque_as_member(&t, &coord, "gp@a.fr", 1).await;
    let token = token_of(&t, "coord@a.fr").await;
    let path = "/api/v1/medecin-traitant/demandes";
    let request = json!({
        "last_name": "Durand", "first_name": "Léa", "birth_date": "1950-03-24",
        "sex": "F", "commune": "13019", "phone": "06 12 34 56 78", "ald": true
    });

    let first = post(&t, path, &token, Some("demande-1"), &request).await;
    assert_eq!(first.status(), 201);
    let created: Value = first.json().await.unwrap();
    let again = post(&t, path, &token, Some("demande-1"), &request).await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        created,
        "the same answer"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM gp_requests").await,
        1,
        "recorded once"
    );
    let other = json!({ "last_name": "Autre", "first_name": "Léa", "birth_date": "1950-03-24",
        "sex": "F", "commune": "13019", "phone": "0612345678" });
    let reused = post(&t, path, &token, Some("demande-1"), &other).await;
    assert_eq!(reused.status(), 422);
    assert!(
        reused
            .text()
            .await
            .unwrap()
            .contains("Clé d’idempotence déjà utilisée")
    );

    let wrong = json!({ "last_name": "Martin", "first_name": "Paul", "birth_date": "31/02/1980",
        "sex": "M", "commune": "Nulle-Part", "phone": "12" });
    let refused = post(&t, path, &token, Some("demande-2"), &wrong).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = refused.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["birth_date", "phone", "commune"]);
    assert_eq!(t.count("SELECT COUNT(*) FROM gp_requests").await, 1);

    let list: Value = api_get(&t, path, &token).await.json().await.unwrap();
    assert_eq!(list[0]["rank"], 1);
    assert_eq!(list[0]["reason"], "Prioritaire : ALD");
    let id = created["id"].as_i64().unwrap();

    let member: i64 = sqlx::query_scalar("SELECT id FROM members")
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    let proposals = format!("{path}/{id}/propositions");
    let proposal = post(
        &t,
        &proposals,
        &token,
        Some("proposition-1"),
        &json!({ "member_id": member }),
    )
    .await;
    assert_eq!(proposal.status(), 201);
    let proposal: Value = proposal.json().await.unwrap();
    let replayed = post(
        &t,
        &proposals,
        &token,
        Some("proposition-1"),
        &json!({ "member_id": member }),
    )
    .await;
    assert_eq!(replayed.json::<Value>().await.unwrap(), proposal);
    assert_eq!(t.count("SELECT COUNT(*) FROM gp_proposals").await, 1);

    let gp_token = token_of(&t, "gp@a.fr").await;
    let answer = format!(
        "/api/v1/medecin-traitant/propositions/{}/reponse",
        proposal["id"]
    );
    let accepted = post(&t, &answer, &gp_token, None, &json!({ "accept": true })).await;
    assert_eq!(accepted.status(), 200);
    let twice = post(&t, &answer, &gp_token, None, &json!({ "accept": true })).await;
    assert_eq!(twice.status(), 422);

    let indicators: Value = api_get(
        &t,
        "/api/v1/medecin-traitant/indicateurs?du=2027-01-01&au=2027-01-31",
        &token,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(indicators["total"]["received"], 1);
    assert_eq!(indicators["by_group"][0]["label"], "ALD");
    let openapi = api_get(&t, "/api/openapi.json", &token)
        .await
        .text()
        .await
        .unwrap();
    assert!(openapi.contains("/api/v1/medecin-traitant/demandes/{id}/propositions"));
    assert!(openapi.contains("Idempotency-Key"));
}
both!(the_api_records_a_request_once_per_key_and_follows_it);
