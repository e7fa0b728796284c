//! The end of an unscheduled-care request's retention, on both databases: a month (the
//! setting, 3 by default) after its receipt and after its last appointment, the patient's
//! name, birth date, phone and free text (the desk's notes of its calls too) are emptied once, the purge is audited, what the
//! indicators count stays, and the request's page says what was erased.

use crate::support::fixtures::unscheduled_care::{
    UnscheduledCare, free_slots, publish, request_fields, weekdays_afternoon,
};
use crate::support::{PASSWORD, TestApp, both};
use maillage_services::unscheduled_care::{booking, calls, requests, retention};

const DAY: i64 = 86_400;

/// (last name, birth date, phone, detail, reason, commune, status) of a request.
async fn row(t: &TestApp, id: i64) -> [String; 7] {
    let (a, b, c, d, e, f, g) = sqlx::query_as(
        "SELECT last_name, birth_date, phone, detail, reason, commune, status \
         FROM snp_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    [a, b, c, d, e, f, g]
}

both!(
    personal_data_of_a_request_is_emptied_after_its_retention_and_its_last_appointment,
    maillage_services::Settings {
        require_second_factor: false,
        unscheduled_care_retention_months: 1,
        ..maillage_services::Settings::default()
    }
);
async fn personal_data_of_a_request_is_emptied_after_its_retention_and_its_last_appointment(
    t: TestApp,
) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("CPTS")).await;
    let mut fields = request_fields("ANCIENNE");
    fields.detail = "fièvre depuis trois jours".into();
    let unbooked = requests::record(&t.app, &coord, &fields).await.unwrap();
    calls::record(
        &t.app,
        &coord,
        unbooked,
        "voicemail",
        "rappeler au 06 99 88 77 66",
    )
    .await
    .unwrap();
    let later = requests::record(&t.app, &coord, &request_fields("TARDIVE"))
        .await
        .unwrap();
    let slot = free_slots(&t, member_id, t.app.now() + 20 * DAY).await[0];
    booking::book(&t.app, &coord, later, slot, false)
        .await
        .unwrap();

    t.clock.advance(29 * DAY);
    assert_eq!(retention::purge(&t.app).await.unwrap(), 0, "kept a month");
    t.clock.advance(3 * DAY);
    assert_eq!(
        retention::purge(&t.app).await.unwrap(),
        1,
        "a month after its receipt, but not a month after its appointment"
    );
    let [name, born, phone, detail, reason, commune, status] = row(&t, unbooked).await;
    assert_eq!(
        [name, born, phone, detail],
        ["", "", "", ""].map(String::from)
    );
    assert_eq!(
        [reason, commune, status],
        ["fever", "13001", "open"].map(String::from),
        "what the indicators count stays"
    );
    assert_eq!(row(&t, later).await[0], "TARDIVE");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_request_calls WHERE note = '' AND result = 'voicemail'")
            .await,
        1,
        "the desk's note is emptied, the call stays"
    );
    assert_eq!(t.audited("snp_request.purge").await, 1);

    t.clock.advance(21 * DAY);
    assert_eq!(retention::purge(&t.app).await.unwrap(), 1);
    assert_eq!(row(&t, later).await[6], "booked", "its booking stays");
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM snp_bookings WHERE request_id = {later}"
        ))
        .await,
        1
    );
    assert_eq!(retention::purge(&t.app).await.unwrap(), 0, "once");

    let client = t.client();
    t.login(&client, "coord@a.fr", PASSWORD).await;
    let page = t
        .page(&client, &format!("/soins-non-programmes/demandes/{later}"))
        .await;
    assert!(page.contains("Demande anonymisée"), "{page}");
    assert!(page.contains("id=\"effacement\""));
    assert!(!page.contains("TARDIVE") && !page.contains("Camille"));
}
