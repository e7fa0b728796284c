//! The waiting list through the JSON API: a request recorded once per `Idempotency-Key`
//! (the same answer again, a refusal for another body), field errors as problems, the list
//! by priority, a proposal, the GP's answer, the indicators, and the OpenAPI document; GPs'
//! capacities, and a request followed to its outcome (merge, priority, closure).

use crate::support::fixtures::directory::{RESTANQUE, import_sample, member_id};
use crate::support::fixtures::gp_waitlist::restanque_as_member;
use crate::support::{TestApp, api_get, api_post, both, token_of};
use serde_json::{Value, json};

async fn the_api_records_a_request_once_per_key_and_follows_it(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    import_sample(&t).await;
    restanque_as_member(&t, &coord, "gp@a.fr", 1).await;
    let token = token_of(&t, "coord@a.fr").await;
    let path = "/api/v1/medecin-traitant/demandes";
    let request = json!({
        "last_name": "Durand", "first_name": "Léa", "birth_date": "1950-03-24",
        "sex": "F", "commune": "13019", "phone": "06 12 34 56 78", "ald": true
    });

    let first = api_post(&t, path, &token, Some("demande-1"), &request).await;
    assert_eq!(first.status(), 201);
    let created: Value = first.json().await.unwrap();
    let again = api_post(&t, path, &token, Some("demande-1"), &request).await;
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
    let reused = api_post(&t, path, &token, Some("demande-1"), &other).await;
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
    let refused = api_post(&t, path, &token, Some("demande-2"), &wrong).await;
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
    let refused_again = api_post(&t, path, &token, Some("demande-2"), &wrong).await;
    assert_eq!(refused_again.status(), 422);
    assert_eq!(
        refused_again.json::<Value>().await.unwrap(),
        problem,
        "a refusal is kept for its key too"
    );

    let list: Value = api_get(&t, path, &token).await.json().await.unwrap();
    assert_eq!(list[0]["rank"], 1);
    assert_eq!(list[0]["reason"], "Prioritaire : ALD");
    let id = created["id"].as_i64().unwrap();

    let member = member_id(&t, "a", RESTANQUE).await;
    let proposals = format!("{path}/{id}/propositions");
    let proposal = api_post(
        &t,
        &proposals,
        &token,
        Some("proposition-1"),
        &json!({ "member_id": member }),
    )
    .await;
    assert_eq!(proposal.status(), 201);
    let proposal: Value = proposal.json().await.unwrap();
    let replayed = api_post(
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
    let accepted = api_post(&t, &answer, &gp_token, None, &json!({ "accept": true })).await;
    assert_eq!(accepted.status(), 200);
    let twice = api_post(&t, &answer, &gp_token, None, &json!({ "accept": true })).await;
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

async fn put(t: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    let request = reqwest::Client::new().put(t.url(path)).bearer_auth(token);
    request.json(body).send().await.unwrap()
}

fn fields_of(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_api_sets_capacities_and_follows_a_request_to_its_outcome(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    import_sample(&t).await;
    restanque_as_member(&t, &coord, "gp@a.fr", 1).await;
    let token = token_of(&t, "coord@a.fr").await;
    let gp_token = token_of(&t, "gp@a.fr").await;

    // Capacities: the coordinator lists them, the GP sets theirs.
    let capacities = "/api/v1/medecin-traitant/capacites";
    let list: Value = api_get(&t, capacities, &token).await.json().await.unwrap();
    assert_eq!(list[0]["name"], "Dr Gilles RESTANQUE");
    assert_eq!(list[0]["new_patients_per_month"], 1);
    assert_eq!(list[0]["committed_this_month"], 0);
    let mine = format!("{capacities}/{}", list[0]["member_id"]);
    let wanted = json!({ "accepts_new_patients": true, "new_patients_per_month": 3,
        "new_patient_communes": ["Cabriès"], "new_patient_min_age": 16,
        "new_patient_max_age": 90, "departure_date": "2030-06-30" });
    let saved = put(&t, &mine, &gp_token, &wanted).await;
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["new_patient_communes"], json!(["13019"]));
    assert_eq!(saved["departure_date"], "2030-06-30");
    let read: Value = api_get(&t, &mine, &token).await.json().await.unwrap();
    assert_eq!(read, saved);
    let wrong = json!({ "accepts_new_patients": true, "new_patient_communes": ["Atlantide"],
        "new_patient_min_age": 70, "new_patient_max_age": 16 });
    let refused = put(&t, &mine, &gp_token, &wrong).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(
        fields_of(&problem),
        ["new_patient_max_age", "new_patient_communes"]
    );
    let other = token_of(&t, "coord@b.fr").await;
    assert_eq!(api_get(&t, &mine, &other).await.status(), 404);
    t.user("colleague@a.fr", "member", "a").await;
    let colleague = token_of(&t, "colleague@a.fr").await;
    let status = api_get(&t, &mine, &colleague).await.status();
    assert_eq!(status, 404, "another member of the CPTS does not see it");

    // Two requests of one person: the second is merged into the first.
    let requests = "/api/v1/medecin-traitant/demandes";
    let patient = json!({ "last_name": "Durand", "first_name": "Léa",
        "birth_date": "1950-03-24", "sex": "F", "commune": "13019", "phone": "0612345678" });
    let first: Value = api_post(&t, requests, &token, Some("a"), &patient)
        .await
        .json()
        .await
        .unwrap();
    let second: Value = api_post(&t, requests, &token, Some("b"), &patient)
        .await
        .json()
        .await
        .unwrap();
    let (kept, merged) = (
        first["id"].as_i64().unwrap(),
        second["id"].as_i64().unwrap(),
    );
    assert_eq!(second["probable_duplicates"], json!([kept]));
    let merge = format!("{requests}/{merged}/fusion");
    let done = api_post(&t, &merge, &token, Some("c"), &json!({ "into": kept })).await;
    assert_eq!(done.status(), 200);
    assert_eq!(done.json::<Value>().await.unwrap()["id"], kept);
    let view: Value = api_get(&t, &format!("{requests}/{merged}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "closed");

    // Placed first with a reason; proposed, accepted, declared.
    let priority = format!("{requests}/{kept}/priorite");
    let no_reason = json!({ "placed_first": true });
    let refused = api_post(&t, &priority, &token, Some("d"), &no_reason).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(fields_of(&refused.json().await.unwrap()), ["comment"]);
    let reason = json!({ "placed_first": true, "comment": "Sortie d’hospitalisation" });
    assert_eq!(
        api_post(&t, &priority, &token, Some("e"), &reason)
            .await
            .status(),
        200
    );
    let member = list[0]["member_id"].clone();
    let proposal: Value = api_post(
        &t,
        &format!("{requests}/{kept}/propositions"),
        &token,
        Some("f"),
        &json!({ "member_id": member }),
    )
    .await
    .json()
    .await
    .unwrap();
    let answer = format!(
        "/api/v1/medecin-traitant/propositions/{}/reponse",
        proposal["id"]
    );
    api_post(&t, &answer, &gp_token, None, &json!({ "accept": true })).await;
    let declared = format!("{requests}/{kept}/medecin-declare");
    let done = api_post(&t, &declared, &token, Some("g"), &json!({})).await;
    assert_eq!(done.status(), 200);
    let view: Value = api_get(&t, &format!("{requests}/{kept}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "found");
    assert_eq!(view["reason"], "Placé en tête : Sortie d’hospitalisation");
    assert_eq!(view["proposals"][0]["status"], "accepted");
    let kinds: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "received",
            "merged_from",
            "priority_override",
            "proposed",
            "accepted",
            "found"
        ]
    );

    // A closure replayed with its key is answered again and done once.
    let third: Value = api_post(
        &t,
        requests,
        &token,
        Some("h"),
        &json!({ "last_name": "Roux", "first_name": "Anne", "birth_date": "1960-01-01",
            "sex": "F", "commune": "13001", "email": "anne@exemple.fr" }),
    )
    .await
    .json()
    .await
    .unwrap();
    let close = format!("{requests}/{}/cloture", third["id"]);
    let reason = json!({ "reason": "moved" });
    let closed = api_post(&t, &close, &token, Some("i"), &reason).await;
    assert_eq!(closed.status(), 200);
    let replayed = api_post(&t, &close, &token, Some("i"), &reason).await;
    assert_eq!(replayed.status(), 200);
    let closures = format!(
        "SELECT COUNT(*) FROM gp_request_events WHERE request_id = {} AND kind = 'closed'",
        third["id"]
    );
    assert_eq!(t.count(&closures).await, 1);
    let openapi = api_get(&t, "/api/openapi.json", &token)
        .await
        .text()
        .await
        .unwrap();
    assert!(openapi.contains("/api/v1/medecin-traitant/capacites/{member_id}"));
    assert!(openapi.contains("/api/v1/medecin-traitant/demandes/{id}/medecin-declare"));
}
both!(the_api_sets_capacities_and_follows_a_request_to_its_outcome);
