//! Unscheduled care through the use cases, on both databases: a member's weekly rule lays
//! out slots in Paris time; a coordinator's request is offered the earliest slots near the
//! patient; booking, a second booking of the same slot refused, cancelling, moving and the
//! outcome; cooperation protocols bring in the trained professionals; many clients booking
//! one slot at once get one booking. Absences and one-off slots are
//! `unscheduled_care_availability`.

use crate::support::fixtures::unscheduled_care::{
    FRIDAY_9H_PARIS, HOUR, UnscheduledCare, first_free_slot, member, publish, request_fields,
    row_of, site, slots_of, weekdays_afternoon,
};
use crate::support::{PASSWORD, TestApp, both};
use maillage_domain::unscheduled_care::protocols::ProtocolFields;
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_services::ServiceError;
use maillage_services::unscheduled_care::orientation::{DEFAULT_RADIUS_KM, orientation};
use maillage_services::unscheduled_care::{agenda, availability, booking, protocols, requests};

both!(a_member_publishes_slots_and_a_coordinator_books_one);
async fn a_member_publishes_slots_and_a_coordinator_books_one(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        regulator: regul,
        gp,
        member_id,
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let free = slots_of(&t, member_id, SlotStatus::Free).await;
    assert_eq!(
        free[0],
        FRIDAY_9H_PARIS + 5 * HOUR,
        "the first slot is this Friday at 14:00 in Paris (13:00 UTC)"
    );
    assert_eq!(
        free.len(),
        21 * 4,
        "today and the 28 days after: 21 weekdays, four slots a day"
    );

    let request = requests::record(&t.app, &regul, &request_fields("DURAND"))
        .await
        .unwrap();
    let offered = orientation(&t.app, &regul, request, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    let first = &offered.offers[0];
    assert_eq!(first.slot.start_at, free[0]);
    assert_eq!(first.slot.last_name, "RESTANQUE");
    assert!(
        first.distance_km > 3.0 && first.distance_km < 15.0,
        "Aix to Cabriès"
    );
    assert!(
        offered
            .offers
            .iter()
            .all(|o| o.slot.start_at <= FRIDAY_9H_PARIS + 24 * HOUR),
        "a request for within 24 h is offered slots within 24 h"
    );
    assert_eq!(offered.offers.len(), 4, "today's four afternoon slots");

    let booked = booking::book(&t.app, &regul, request, first.slot.id, false)
        .await
        .unwrap();
    let other = requests::record(&t.app, &coord, &request_fields("MARTIN"))
        .await
        .unwrap();
    let again = booking::book(&t.app, &coord, other, first.slot.id, false).await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");
    let offered = orientation(&t.app, &coord, other, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    assert!(
        offered.offers.iter().all(|o| o.slot.id != first.slot.id),
        "a booked slot is no longer offered"
    );
    assert_eq!(t.audited("snp_booking.create").await, 1);

    // Cancelled, the slot is free again and the request open; then moved to a later slot.
    booking::cancel(&t.app, &coord, booked.booking_id, "patient")
        .await
        .unwrap();
    assert_eq!(slots_of(&t, member_id, SlotStatus::Free).await, free);
    let booked = booking::book(&t.app, &coord, request, first.slot.id, false)
        .await
        .unwrap();
    let later = offered.offers[1].slot.id;
    let moved = booking::reschedule(&t.app, &coord, booked.booking_id, later)
        .await
        .unwrap();
    assert_eq!(
        slots_of(&t, member_id, SlotStatus::Booked).await,
        [moved.slot.start_at]
    );
    let file = requests::file(&t.app, &coord, request).await.unwrap();
    let statuses: Vec<_> = file.bookings.iter().map(|b| b.status.code()).collect();
    assert_eq!(statuses, ["cancelled", "rescheduled", "booked"]);
    assert_eq!(file.request.status.code(), "booked");

    // The GP sees the patient to call back; the outcome waits for the consultation.
    let agenda = agenda::agenda(&t.app, &gp, 7).await.unwrap();
    assert_eq!(agenda.len(), 1);
    assert_eq!(
        (
            agenda[0].request.last_name.as_str(),
            agenda[0].request.phone.as_str()
        ),
        ("DURAND", "0612345678")
    );
    let early = booking::record_outcome(&t.app, &gp, moved.booking_id, true, "treated").await;
    assert!(matches!(early, Err(ServiceError::Conflict(_))), "{early:?}");
    t.clock.advance(moved.slot.start_at - FRIDAY_9H_PARIS + 600);
    booking::record_outcome(&t.app, &gp, moved.booking_id, true, "treated")
        .await
        .unwrap();
    let request_id: i64 = sqlx::query_scalar("SELECT request_id FROM snp_bookings WHERE id = $1")
        .bind(moved.booking_id)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    let desk = t.client();
    t.login(&desk, "coord@a.fr", PASSWORD).await;
    let page = t
        .page(
            &desk,
            &format!("/soins-non-programmes/demandes/{request_id}"),
        )
        .await;
    assert!(
        page.contains("<dd id=\"etat\">Patient vu : Pris en charge, sans suite particulière</dd>"),
        "{page}"
    );
    let list = t.page(&desk, "/soins-non-programmes").await;
    assert!(
        list.contains("Patient vu : Pris en charge, sans suite particulière"),
        "the desk's list says it too: {list}"
    );
    let late_cancel = booking::cancel(&t.app, &coord, moved.booking_id, "patient").await;
    assert!(matches!(late_cancel, Err(ServiceError::Conflict(_))));

    // A patient who does not come: the request is the desk's again, to call them back.
    let offered = orientation(&t.app, &coord, other, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    let missed = booking::book(&t.app, &coord, other, offered.offers[0].slot.id, false)
        .await
        .unwrap();
    t.clock.advance(missed.slot.start_at - t.app.now() + 600);
    booking::record_outcome(&t.app, &gp, missed.booking_id, false, "")
        .await
        .unwrap();
    let desk = t.client();
    t.login(&desk, "coord@a.fr", PASSWORD).await;
    let row = row_of(&t.page(&desk, "/soins-non-programmes").await, "MARTIN");
    assert!(row.contains("À orienter"), "{row}");
    assert!(row.contains("patient absent au rendez-vous du "), "{row}");
    // Called back, the patient no longer needs to be seen: the desk closes it.
    requests::close(&t.app, &coord, other, "withdrawn")
        .await
        .unwrap();
    let row = row_of(&t.page(&desk, "/soins-non-programmes").await, "MARTIN");
    assert!(
        row.contains("Clôturée : Le patient n’a plus besoin de consulter"),
        "{row}"
    );
    assert_eq!(t.audited("snp_request.create").await, 2);
    assert!(t.audited("snp_booking.agenda").await >= 1);
}

both!(visibility_cpts_and_roles_limit_what_is_offered);
async fn visibility_cpts_and_roles_limit_what_is_offered(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        regulator: regul,
        gp,
        member_id,
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("CPTS")).await;
    let request = requests::record(&t.app, &regul, &request_fields("DURAND"))
        .await
        .unwrap();
    let for_regulator = orientation(&t.app, &regul, request, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    assert!(
        for_regulator.offers.is_empty(),
        "a slot kept for the CPTS is not the SAS's"
    );
    let for_coordinator = orientation(&t.app, &coord, request, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    assert_eq!(for_coordinator.offers.len(), 4);

    // Another CPTS's coordinator neither sees the request nor books the slot.
    t.cpts("b").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    let stranger = t.actor("coord@b.fr").await;
    let read = requests::file(&t.app, &stranger, request).await;
    assert!(matches!(read, Err(ServiceError::NotFound)));
    let own = requests::record(&t.app, &stranger, &request_fields("AUTRE"))
        .await
        .unwrap();
    let slot = for_coordinator.offers[0].slot.id;
    let taken = booking::book(&t.app, &stranger, own, slot, false).await;
    assert!(matches!(taken, Err(ServiceError::Invalid(_))), "{taken:?}");
    // A member manages only their own availability; a regulator records but sets no rule.
    let by_regulator = availability::add_rule(
        &t.app,
        &regul,
        member_id,
        site(&t, &coord, member_id).await,
        &weekdays_afternoon("SNP"),
    )
    .await;
    assert!(matches!(by_regulator, Err(ServiceError::Forbidden)));
    let wrong_site =
        availability::add_rule(&t.app, &coord, member_id, -1, &weekdays_afternoon("SNP")).await;
    assert!(matches!(wrong_site, Err(ServiceError::Invalid(e)) if e.get("site").is_some()));
}

both!(a_protocol_brings_the_trained_professionals_in);
async fn a_protocol_brings_the_trained_professionals_in(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        regulator: regul,
        gp,
        member_id: gp_id,
    } = t.given().unscheduled_care().await;
    let physio = member(&t, &coord, "810000000033", "garrigue@a.fr").await;
    let physio_actor = t.actor("garrigue@a.fr").await;
    publish(&t, &gp, gp_id, &weekdays_afternoon("SNP")).await;
    let mut morning = weekdays_afternoon("SNP");
    morning.start = "09:30".into();
    morning.end = "10:30".into();
    publish(&t, &physio_actor, physio, &morning).await;

    let mut sprain = request_fields("DURAND");
    sprain.reason = "ankle_sprain".into();
    let request = requests::record(&t.app, &regul, &sprain).await.unwrap();
    let without = orientation(&t.app, &regul, request, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    assert!(
        without.offers.iter().all(|o| o.slot.member_id == gp_id),
        "no protocol: GPs only"
    );

    let fields = ProtocolFields {
        name: "Entorse de cheville".into(),
        reason: "ankle_sprain".into(),
        profession: "70".into(),
        age_min: "18".into(),
        age_max: "55".into(),
        ..ProtocolFields::default()
    };
    let refused = protocols::add(&t.app, &coord, &fields, &[gp_id]).await;
    assert!(matches!(refused, Err(ServiceError::Invalid(e)) if e.get("members").is_some()));
    assert!(matches!(
        protocols::add(&t.app, &regul, &fields, &[physio]).await,
        Err(ServiceError::Forbidden)
    ));
    protocols::add(&t.app, &coord, &fields, &[physio])
        .await
        .unwrap();
    let with = orientation(&t.app, &regul, request, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    assert_eq!(with.protocols.len(), 1);
    let first = &with.offers[0];
    assert_eq!(
        first.slot.member_id, physio,
        "the physiotherapist's 09:30 slot comes first"
    );
    assert_eq!(first.protocol.as_deref(), Some("Entorse de cheville"));
    assert_eq!(first.slot.start_at, FRIDAY_9H_PARIS + HOUR / 2);

    let mut older = sprain.clone();
    older.birth_date = "01/01/1950".into();
    let older = requests::record(&t.app, &regul, &older).await.unwrap();
    let offered = orientation(&t.app, &regul, older, DEFAULT_RADIUS_KM)
        .await
        .unwrap();
    assert!(
        offered.protocols.is_empty(),
        "77 years old: outside the protocol's ages"
    );
    assert!(offered.offers.iter().all(|o| o.slot.member_id == gp_id));
}

both!(many_clients_booking_one_slot_get_one_booking);
async fn many_clients_booking_one_slot_get_one_booking(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let slot = first_free_slot(&t, member_id).await;
    let mut request_ids = Vec::new();
    for n in 0..12 {
        request_ids.push(
            requests::record(
                &t.app,
                &coord,
                &request_fields(&format!("PATIENT{}", "X".repeat(n + 1))),
            )
            .await
            .unwrap(),
        );
    }
    let attempts = request_ids.into_iter().map(|request| {
        let (app, coord) = (t.app.clone(), coord.clone());
        tokio::spawn(async move { booking::book(&app, &coord, request, slot, false).await })
    });
    let mut booked = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        match attempt.await.unwrap() {
            Ok(_) => booked += 1,
            Err(ServiceError::Conflict(_)) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(booked, 1);
    assert_eq!(t.count("SELECT COUNT(*) FROM snp_bookings").await, 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_requests WHERE status = 'booked'")
            .await,
        1
    );
}
