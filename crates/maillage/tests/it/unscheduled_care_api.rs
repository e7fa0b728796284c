//! Unscheduled care through the JSON API, on both databases: free slots by window and
//! around a commune, a booking made once per `Idempotency-Key` (the same 201 again, a 422
//! for another body with the same key), a 409 when the slot is taken, and field errors
//! named in French.

use crate::support::fixtures::unscheduled_care::{
    UnscheduledCare, patient, publish, weekdays_afternoon,
};
use crate::support::{TestApp, api_get, api_post, both, token_of};
use maillage_services::unscheduled_care::booking;
use serde_json::{Value, json};

/// The fields a problem names, in order.
async fn fields_named(response: reqwest::Response) -> Vec<String> {
    let problem: Value = response.json().await.unwrap();
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

both!(slots_are_found_and_booked_once_per_key);
async fn slots_are_found_and_booked_once_per_key(t: TestApp) {
    let UnscheduledCare { gp, member_id, .. } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let token = token_of(&t, "regul@a.fr").await;

    let found = api_get(&t, "/api/v1/slots?commune=13001&radius_km=20", &token).await;
    assert_eq!(found.status(), 200);
    let slots: Vec<Value> = found.json().await.unwrap();
    assert_eq!(
        slots.len(),
        4,
        "this afternoon's four slots within the next 48 hours"
    );
    assert_eq!(slots[0]["start"], "2027-01-15T14:00:00+01:00");
    assert_eq!(slots[0]["national_id"], "810000000074");
    assert!(slots[0]["distance_km"].as_f64().unwrap() < 20.0);
    let monday = api_get(
        &t,
        "/api/v1/slots?from=2027-01-18T00:00&to=2027-01-18T23:59",
        &token,
    )
    .await;
    assert_eq!(monday.json::<Vec<Value>>().await.unwrap().len(), 4);
    let far = api_get(&t, "/api/v1/slots?commune=67482&radius_km=20", &token).await;
    assert!(
        far.json::<Vec<Value>>().await.unwrap().is_empty(),
        "Strasbourg is far"
    );
    let wrong = api_get(&t, "/api/v1/slots?commune=Atlantide&to=hier", &token).await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(fields_named(wrong).await, ["to", "commune"]);

    let slot = slots[0]["id"].as_i64().unwrap();
    let body = json!({ "slot_id": slot, "patient": patient("Durand") });
    let first = api_post(&t, "/api/v1/bookings", &token, Some("resa-1"), &body).await;
    assert_eq!(first.status(), 201);
    let made: Value = first.json().await.unwrap();
    assert_eq!(made["slot"]["start"], "2027-01-15T14:00:00+01:00");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_requests WHERE caller = 'unspecified'")
            .await,
        1,
        "a call that does not say who called is kept as such"
    );
    let again = api_post(&t, "/api/v1/bookings", &token, Some("resa-1"), &body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        made,
        "the same answer"
    );
    let other_body = json!({ "slot_id": slot + 1, "patient": patient("Durand") });
    let reused = api_post(&t, "/api/v1/bookings", &token, Some("resa-1"), &other_body).await;
    assert_eq!(reused.status(), 422);
    let taken = api_post(
        &t,
        "/api/v1/bookings",
        &token,
        Some("resa-2"),
        &json!({ "slot_id": slot, "patient": patient("Martin") }),
    )
    .await;
    assert_eq!(taken.status(), 409);
    let refusal = taken.text().await.unwrap();
    assert!(refusal.contains("vient d’être réservé"));
    assert_eq!(t.count("SELECT COUNT(*) FROM snp_bookings").await, 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_requests").await,
        1,
        "the refused booking left no request behind"
    );
    // The refusal is the key's answer, kept in the same commit as its claim: once the
    // slot is free again, the same key still gets it, and books nothing.
    let regulator = t.actor("regul@a.fr").await;
    let first_booking = made["id"].as_i64().unwrap();
    booking::cancel(&t.app, &regulator, first_booking, "elsewhere")
        .await
        .unwrap();
    let replayed = api_post(
        &t,
        "/api/v1/bookings",
        &token,
        Some("resa-2"),
        &json!({ "slot_id": slot, "patient": patient("Martin") }),
    )
    .await;
    assert_eq!(replayed.status(), 409);
    assert_eq!(replayed.text().await.unwrap(), refusal);
    assert_eq!(t.count("SELECT COUNT(*) FROM snp_requests").await, 1);
    let rebooked = api_post(&t, "/api/v1/bookings", &token, Some("resa-3"), &body).await;
    assert_eq!(rebooked.status(), 201, "the slot is free again");
    let made: Value = rebooked.json().await.unwrap();

    let mut incomplete = patient("Petit");
    incomplete["phone"] = json!("");
    incomplete["urgency"] = json!("demain");
    incomplete["caller"] = json!("voisin");
    let refused = api_post(
        &t,
        "/api/v1/bookings",
        &token,
        None,
        &json!({ "slot_id": slot + 1, "patient": incomplete }),
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(fields_named(refused).await, ["caller", "urgency", "phone"]);
    let neither = api_post(
        &t,
        "/api/v1/bookings",
        &token,
        None,
        &json!({ "slot_id": slot + 1 }),
    )
    .await;
    assert_eq!(neither.status(), 422);

    // By request id: the regulator's recorded request, booked on the next slot.
    let request = made["request_id"].as_i64().unwrap();
    let by_id = api_post(
        &t,
        "/api/v1/bookings",
        &token,
        None,
        &json!({ "slot_id": slot + 1, "request_id": request }),
    )
    .await;
    assert_eq!(by_id.status(), 409, "this request already has its booking");
    let later: Vec<Value> = api_get(&t, "/api/v1/slots", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(later.len(), 3);
    assert!(
        later
            .iter()
            .all(|s| s["start"].as_str().unwrap() > "2027-01-15T14:00")
    );
}
