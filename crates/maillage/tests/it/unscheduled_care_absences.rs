//! An absence wins everywhere, on both databases: a booking of that day cancelled afterwards
//! does not put its slot back in the offer (desk, API, SAS search), the slot cannot be booked,
//! a one-off slot that day is refused naming the absence, and the professional's own agenda
//! flags the bookings still on it. Two weekly rules of one professional may not overlap.

use crate::support::fixtures::unscheduled_care::{
    FRIDAY_9H_PARIS, HOUR, UnscheduledCare, patient, publish, request_fields, site, slot_at,
    slots_of, weekdays_afternoon,
};
use crate::support::{PASSWORD, TestApp, api_get, api_post, both, token_of};
use maillage_domain::unscheduled_care::availability::{OneOffFields, RuleFields};
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_services::unscheduled_care::orientation::{DEFAULT_RADIUS_KM, orientation};
use maillage_services::unscheduled_care::{availability, booking, requests};
use maillage_services::{ServiceError, territory::cpts};
use serde_json::{Value, json};

/// Monday 18 January 2027, 14:00 in Paris, and Tuesday at the same time.
const MONDAY_14H: i64 = FRIDAY_9H_PARIS + 3 * 24 * HOUR + 5 * HOUR;
const TUESDAY_14H: i64 = MONDAY_14H + 24 * HOUR;

both!(an_absence_wins_over_cancellations_bookings_and_one_off_slots);
async fn an_absence_wins_over_cancellations_bookings_and_one_off_slots(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        regulator: regul,
        gp,
        member_id,
    } = t.given().unscheduled_care().await;
    cpts::set_identity(&t.app, &coord, "a", "130000000", "04 42 00 00 00")
        .await
        .unwrap();
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    // Two patients booked, on Monday and on Tuesday; then the GP is absent both days.
    let mut booked = Vec::new();
    for (name, at) in [("DURAND", MONDAY_14H), ("MARTIN", TUESDAY_14H)] {
        let mut fields = request_fields(name);
        fields.urgency = "48h".into();
        let request = requests::record(&t.app, &regul, &fields).await.unwrap();
        let made = booking::book(
            &t.app,
            &regul,
            request,
            slot_at(&t, member_id, at).await,
            false,
        )
        .await
        .unwrap();
        booked.push((request, made.booking_id));
    }
    availability::add_absence(&t.app, &gp, member_id, "18/01/2027", "19/01/2027")
        .await
        .unwrap();

    // The GP's own agenda flags both.
    let gp_client = t.client();
    t.login(&gp_client, "restanque@a.fr", PASSWORD).await;
    let agenda = t.page(&gp_client, "/soins-non-programmes").await;
    assert_eq!(
        agenda.matches("vous êtes absent ce jour-là").count(),
        2,
        "{agenda}"
    );

    // Monday's booking cancelled: its slot stays out of the offer.
    booking::cancel(&t.app, &regul, booked[0].1, "professional")
        .await
        .unwrap();
    assert!(
        !slots_of(&t, member_id, SlotStatus::Free)
            .await
            .contains(&MONDAY_14H)
    );
    assert_eq!(
        slots_of(&t, member_id, SlotStatus::Withdrawn).await,
        [MONDAY_14H],
        "withdrawn, not free"
    );
    // Tuesday's moved to Wednesday: Tuesday's slot does not come back either.
    let wednesday = slot_at(&t, member_id, TUESDAY_14H + 24 * HOUR).await;
    booking::reschedule(&t.app, &regul, booked[1].1, wednesday)
        .await
        .unwrap();
    assert!(
        !slots_of(&t, member_id, SlotStatus::Free)
            .await
            .contains(&TUESDAY_14H)
    );

    // Neither the desk, nor the API, nor the SAS is offered a slot of those days.
    let offers = orientation(&t.app, &regul, booked[0].0, DEFAULT_RADIUS_KM)
        .await
        .unwrap()
        .offers;
    assert!(!offers.is_empty(), "other days are offered");
    assert!(
        offers
            .iter()
            .all(|o| !(MONDAY_14H..TUESDAY_14H + 12 * HOUR).contains(&o.slot.start_at)),
        "the desk is offered no slot of the absence"
    );
    let token = token_of(&t, "regul@a.fr").await;
    let on_monday: Vec<Value> = api_get(
        &t,
        "/api/v1/slots?from=2027-01-18T00:00&to=2027-01-19T23:59",
        &token,
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(on_monday.is_empty(), "{on_monday:?}");
    let sas: Value = api_get(
        &t,
        "/fhir/r4/Slot?start=ge2027-01-18T00:00:00&start=le2027-01-19T23:59:00\
         &schedule.actor:Practitioner.identifier=810000000074&status=free",
        &token,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(sas["total"], 0, "{sas}");
    let monday_slot = slot_at(&t, member_id, MONDAY_14H).await;
    let refused = api_post(
        &t,
        "/api/v1/bookings",
        &token,
        Some("absent"),
        &json!({ "slot_id": monday_slot, "patient": patient("Petit") }),
    )
    .await;
    assert_eq!(refused.status(), 409, "the slot cannot be booked");
    let rebook = booking::book(&t.app, &regul, booked[0].0, monday_slot, false).await;
    assert!(rebook.is_err(), "nor from the desk");

    // A one-off slot on Monday is refused, naming the absence.
    let one_off = OneOffFields {
        day: "18/01/2027".into(),
        start: "10:00".into(),
        slot_minutes: "20".into(),
        mode: "in_person".into(),
        visibility: "SNP".into(),
        ..OneOffFields::default()
    };
    let place = site(&t, &gp, member_id).await;
    match availability::add_one_off(&t.app, &gp, member_id, place, &one_off).await {
        Err(ServiceError::Invalid(errors)) => {
            let message = errors.get("day").unwrap_or_default();
            assert!(
                message.contains("Absence déclarée du 18/01/2027 au 19/01/2027"),
                "{message}"
            );
        }
        other => panic!("a one-off slot on a day of absence: {:?}", other.is_ok()),
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_slots WHERE rule_id IS NULL")
            .await,
        0
    );
}

both!(two_weekly_rules_of_a_professional_may_not_overlap);
async fn two_weekly_rules_of_a_professional_may_not_overlap(t: TestApp) {
    let UnscheduledCare { gp, member_id, .. } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let place = site(&t, &gp, member_id).await;
    let slots = t.count("SELECT COUNT(*) FROM snp_slots").await;
    let overlapping = RuleFields {
        weekdays: "1".into(),
        start: "15:00".into(),
        end: "17:00".into(),
        slot_minutes: "20".into(),
        mode: "teleconsultation".into(),
        visibility: "SNP".into(),
        ..RuleFields::default()
    };
    match availability::add_rule(&t.app, &gp, member_id, place, &overlapping).await {
        Err(ServiceError::Invalid(errors)) => {
            let message = errors.get("weekdays").unwrap_or_default();
            assert!(
                message.contains(
                    "chevauche celle du lundi, mardi, mercredi, jeudi, vendredi de 14:00 à 16:00"
                ),
                "{message}"
            );
            assert!(message.contains("le 18/01/2027"), "{message}");
        }
        other => panic!("an overlapping rule: {:?}", other.is_ok()),
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM snp_slots").await, slots);
    // Right after, on the same day, is fine.
    let after = RuleFields {
        start: "16:00".into(),
        end: "18:00".into(),
        ..overlapping
    };
    availability::add_rule(&t.app, &gp, member_id, place, &after)
        .await
        .unwrap();
}
