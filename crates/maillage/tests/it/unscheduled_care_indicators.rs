//! The indicators of unscheduled care, on both databases: the same figures on screen, as
//! CSV and through the API, counting an appointment within 24 or 48 hours of the call, by
//! reason and by profession; cancelled bookings do not count. Then the follow-up: where the
//! period's requests stand and what became of their appointments.

use crate::support::fixtures::unscheduled_care::{
    UnscheduledCare, publish, request_fields, slot_at, weekdays_afternoon,
};
use crate::support::{PASSWORD, TestApp, api_get, both, token_of};
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_services::unscheduled_care::{booking, requests};
use reqwest::StatusCode;

/// 2027-01-15 14:00 in Paris and 2027-01-18 (Monday) 14:00.
const FRIDAY_14H: i64 = 1_800_000_000 + 5 * 3_600;
const MONDAY_14H: i64 = FRIDAY_14H + 3 * 86_400;

/// The coordinator's client, logged in, and the indicators page of `period`.
async fn indicators_page(t: &TestApp, period: &str) -> (reqwest::Client, String) {
    let client = t.client();
    t.login(&client, "coord@a.fr", PASSWORD).await;
    let page = t
        .page(
            &client,
            &format!("/soins-non-programmes/indicateurs?{period}"),
        )
        .await;
    (client, page)
}

both!(the_share_seen_within_24_and_48_hours_by_reason_and_profession);
async fn the_share_seen_within_24_and_48_hours_by_reason_and_profession(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("CPTS")).await;
    let record = |fields: SnpRequestFields| {
        let (app, coord) = (&t.app, &coord);
        async move { requests::record(app, coord, &fields).await.unwrap() }
    };
    let sprain = SnpRequestFields {
        reason: "ankle_sprain".into(),
        ..request_fields("LEROY")
    };
    let soon = record(request_fields("DURAND")).await;
    let late = record(request_fields("MARTIN")).await;
    record(sprain).await;
    let cancelled = record(request_fields("PETIT")).await;
    for (request, start) in [
        (soon, FRIDAY_14H),
        (late, MONDAY_14H),
        (cancelled, FRIDAY_14H + 1_800),
    ] {
        booking::book(
            &t.app,
            &coord,
            request,
            slot_at(&t, member_id, start).await,
            false,
        )
        .await
        .unwrap();
    }
    let booked = &requests::file(&t.app, &coord, cancelled)
        .await
        .unwrap()
        .bookings[0];
    booking::cancel(&t.app, &coord, booked.id, "mistake")
        .await
        .unwrap();

    let period = "du=2027-01-15&au=2027-01-31";
    let token = token_of(&t, "coord@a.fr").await;
    let answer = api_get(
        &t,
        &format!("/api/v1/soins-non-programmes/indicateurs?{period}"),
        &token,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let figures: serde_json::Value = answer.json().await.unwrap();
    let total = &figures["total"];
    assert_eq!(total["received"], 4);
    assert_eq!(total["within_24h"], 1);
    assert_eq!(total["within_48h"], 1);
    assert_eq!(total["share_24h"], 25.0);
    let line = |section: &str, label: &str| {
        figures[section]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["label"] == label)
            .unwrap_or_else(|| panic!("{section} {label}: {figures}"))
            .clone()
    };
    assert_eq!(line("by_reason", "Fièvre")["received"], 3);
    assert_eq!(line("by_caller", "Le patient ou un proche")["received"], 4);
    assert_eq!(line("by_reason", "Entorse de la cheville")["within_48h"], 0);
    let doctors = line("by_profession", "Médecin");
    assert_eq!(
        (doctors["received"].clone(), doctors["within_24h"].clone()),
        (2.into(), 1.into())
    );
    assert_eq!(line("by_profession", "Sans rendez-vous")["received"], 2);

    let (client, page) = indicators_page(&t, period).await;
    assert!(page.contains("<td class=\"num\">25 %</td>"), "{page}");
    let csv = t
        .page(
            &client,
            &format!("/soins-non-programmes/indicateurs.csv?{period}"),
        )
        .await;
    assert_eq!(
        csv.lines().next(),
        Some(
            "\u{feff}Du;Au;Regroupement;Libellé;Demandes reçues;Rendez-vous sous 24 h;\
             Rendez-vous sous 48 h;Part sous 24 h;Part sous 48 h;Nombre"
        )
    );
    assert!(
        csv.lines()
            .any(|l| l == "15/01/2027;31/01/2027;Total;Toutes les demandes;4;1;1;25 %;25 %;"),
        "{csv}"
    );
    assert!(csv.contains(";Profession;Médecin;2;1;1;50 %;50 %"), "{csv}");
    assert!(
        csv.contains(";Appel;Le patient ou un proche;4;1;1;25 %;25 %"),
        "{csv}"
    );

    let wrong = t
        .page(&client, "/soins-non-programmes/indicateurs?du=2027-13-45")
        .await;
    assert!(wrong.contains("Indiquez une date"));

    // A member's token reads no indicators.
    let member_token = token_of(&t, "restanque@a.fr").await;
    let refused = api_get(
        &t,
        "/api/v1/soins-non-programmes/indicateurs",
        &member_token,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

both!(the_follow_up_counts_requests_and_appointments_by_what_became_of_them);
async fn the_follow_up_counts_requests_and_appointments_by_what_became_of_them(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("CPTS")).await;
    let mut ids = Vec::new();
    for name in ["VU", "ABSENT", "LUNDI", "ANNULE", "CLOS"] {
        let id = requests::record(&t.app, &coord, &request_fields(name))
            .await
            .unwrap();
        ids.push(id);
    }
    let mut bookings = Vec::new();
    for (request, start) in ids.iter().zip([FRIDAY_14H, FRIDAY_14H + 1_800, MONDAY_14H]) {
        let slot = slot_at(&t, member_id, start).await;
        let made = booking::book(&t.app, &coord, *request, slot, false)
            .await
            .unwrap();
        bookings.push(made.booking_id);
    }
    let slot = slot_at(&t, member_id, FRIDAY_14H + 3_600).await;
    let cancelled = booking::book(&t.app, &coord, ids[3], slot, false)
        .await
        .unwrap();
    booking::cancel(&t.app, &coord, cancelled.booking_id, "patient")
        .await
        .unwrap();
    requests::close(&t.app, &coord, ids[4], "no_slot")
        .await
        .unwrap();
    t.clock.advance(FRIDAY_14H + 2 * 3_600 - t.app.now());
    booking::record_outcome(&t.app, &gp, bookings[0], true, "treated")
        .await
        .unwrap();
    booking::record_outcome(&t.app, &gp, bookings[1], false, "")
        .await
        .unwrap();

    let period = "du=2027-01-15&au=2027-01-15";
    let token = token_of(&t, "coord@a.fr").await;
    let figures: serde_json::Value = api_get(
        &t,
        &format!("/api/v1/soins-non-programmes/indicateurs?{period}"),
        &token,
    )
    .await
    .json()
    .await
    .unwrap();
    let counts = |list: &str| -> Vec<(String, u64)> {
        figures["follow_up"][list]
            .as_array()
            .unwrap_or_else(|| panic!("{figures}"))
            .iter()
            .map(|c| {
                (
                    c["label"].as_str().unwrap().to_owned(),
                    c["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let expected = |lines: &[(&str, u64)]| -> Vec<(String, u64)> {
        lines.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect()
    };
    // The patient who did not come and the one who cancelled are the desk's again.
    assert_eq!(
        counts("requests"),
        expected(&[
            ("Rendez-vous pris", 2),
            ("À orienter", 2),
            ("Clôturée : Aucun créneau trouvé à temps", 1),
        ])
    );
    assert_eq!(
        counts("appointments"),
        expected(&[
            ("Patient vu", 1),
            ("Patient absent", 1),
            ("À venir", 1),
            ("Déplacé", 0),
            ("Annulé : À la demande du patient", 1),
        ])
    );
    assert_eq!(figures["follow_up"]["no_show_share"], 50.0);

    let (client, page) = indicators_page(&t, period).await;
    let follow_up = &page[page
        .find("<caption>Suivi des rendez-vous</caption>")
        .unwrap()..];
    assert!(
        follow_up.contains(
            "<th scope=\"row\">Annulé : À la demande du patient</th><td class=\"num\">1</td>"
        ),
        "{follow_up}"
    );
    assert!(
        follow_up.contains("Part de patients absents, parmi les rendez-vous passés : 50 %"),
        "{follow_up}"
    );
    let csv = t
        .page(
            &client,
            &format!("/soins-non-programmes/indicateurs.csv?{period}"),
        )
        .await;
    assert!(
        csv.contains("Suivi des demandes;À orienter;;;;;;2"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "Suivi des rendez-vous;Part de patients absents, parmi les rendez-vous passés;;;;;;50 %"
        ),
        "{csv}"
    );
}
