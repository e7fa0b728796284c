//! A member's availability beyond the weekly rule, on both databases: an absence takes its
//! free slots away and keeps the booked ones, which the desk then sees flagged; a removed
//! rule takes its free slots; a one-off slot is added once, and removed while free. And a
//! patient's commune found by its postcode. Publishing slots marks the member as taking part
//! in unscheduled care.

use crate::support::fixtures::unscheduled_care::{
    FRIDAY_9H_PARIS, HOUR, UnscheduledCare, publish, request_fields, site, slot_at, slots_of,
    weekdays_afternoon,
};
use crate::support::{PASSWORD, TestApp, both};
use maillage_domain::unscheduled_care::availability::OneOffFields;
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_services::ServiceError;
use maillage_services::directory::members;
use maillage_services::unscheduled_care::{availability, booking, requests};

both!(absences_and_removed_rules_take_free_slots_away_and_keep_bookings);
async fn absences_and_removed_rules_take_free_slots_away_and_keep_bookings(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    let taking_part = async || {
        members::get(&t.app, &coord, member_id)
            .await
            .unwrap()
            .unscheduled_care
    };
    assert!(!taking_part().await);
    let rule = publish(&t, &gp, member_id, &weekdays_afternoon("PRO")).await;
    assert!(
        taking_part().await,
        "publishing slots marks the member as taking part in unscheduled care"
    );
    let monday_14h = FRIDAY_9H_PARIS + 3 * 24 * HOUR + 5 * HOUR;
    let monday_slot = slot_at(&t, member_id, monday_14h).await;
    let mut urgent = request_fields("DURAND");
    urgent.urgency = "48h".into();
    let later = requests::record(&t.app, &coord, &urgent).await.unwrap();
    booking::book(&t.app, &coord, later, monday_slot, false)
        .await
        .unwrap();

    let covered = availability::add_absence(&t.app, &gp, member_id, "18/01/2027", "19/01/2027")
        .await
        .unwrap();
    assert_eq!(covered.len(), 1, "the booked Monday slot is pointed out");
    assert_eq!(covered[0].start_at, monday_14h);
    let file = requests::file(&t.app, &coord, later).await.unwrap();
    assert_eq!(
        file.under_absence,
        [file.bookings[0].id],
        "the desk sees the booking is on a day of absence"
    );
    let desk = t.client();
    t.login(&desk, "coord@a.fr", PASSWORD).await;
    let page = t
        .page(&desk, &format!("/soins-non-programmes/demandes/{later}"))
        .await;
    assert!(
        page.contains("le professionnel s’est déclaré absent ce jour-là"),
        "{page}"
    );
    let list = t.page(&desk, "/soins-non-programmes").await;
    assert!(
        list.contains("professionnel absent ce jour-là"),
        "the desk's list flags it too: {list}"
    );
    let free = slots_of(&t, member_id, SlotStatus::Free).await;
    assert_eq!(free.len(), 84 - 8, "Monday's and Tuesday's slots are gone");
    assert!(!free.contains(&(monday_14h + 1_800)));

    let absences = availability::availability(&t.app, &gp, member_id)
        .await
        .unwrap()
        .absences;
    availability::remove_absence(&t.app, &gp, member_id, absences[0].id)
        .await
        .unwrap();
    let file = requests::file(&t.app, &coord, later).await.unwrap();
    assert!(file.under_absence.is_empty(), "no absence any more");
    assert_eq!(
        slots_of(&t, member_id, SlotStatus::Free).await.len(),
        84 - 1,
        "back, but the booked one"
    );

    availability::remove_rule(&t.app, &gp, member_id, rule)
        .await
        .unwrap();
    assert!(slots_of(&t, member_id, SlotStatus::Free).await.is_empty());
    assert_eq!(
        slots_of(&t, member_id, SlotStatus::Booked).await,
        [monday_14h]
    );

    // A one-off slot: the same hour twice is refused, a past one too.
    let one_off = OneOffFields {
        day: "2027-01-16".into(),
        start: "10:00".into(),
        slot_minutes: "20".into(),
        mode: "teleconsultation".into(),
        visibility: "SNP".into(),
        extra_patients: false,
    };
    availability::add_one_off(
        &t.app,
        &coord,
        member_id,
        site(&t, &coord, member_id).await,
        &one_off,
    )
    .await
    .unwrap();
    let twice = availability::add_one_off(
        &t.app,
        &coord,
        member_id,
        site(&t, &coord, member_id).await,
        &one_off,
    )
    .await;
    assert!(matches!(twice, Err(ServiceError::Invalid(e)) if e.get("start").is_some()));
    let past = OneOffFields {
        day: "2027-01-14".into(),
        ..one_off
    };
    assert!(
        availability::add_one_off(
            &t.app,
            &coord,
            member_id,
            site(&t, &coord, member_id).await,
            &past
        )
        .await
        .is_err()
    );

    // The one-off slot can be removed while free; a booked slot cannot.
    let free = slots_of(&t, member_id, SlotStatus::Free).await;
    assert_eq!(free.len(), 1, "the one-off slot alone");
    let one_off_id = slot_at(&t, member_id, free[0]).await;
    let booked_id = slot_at(&t, member_id, monday_14h).await;
    let booked = availability::remove_one_off(&t.app, &coord, member_id, booked_id).await;
    assert!(matches!(booked, Err(ServiceError::Conflict(_))));
    availability::remove_one_off(&t.app, &gp, member_id, one_off_id)
        .await
        .unwrap();
    assert!(slots_of(&t, member_id, SlotStatus::Free).await.is_empty());
    assert_eq!(
        slots_of(&t, member_id, SlotStatus::Booked).await,
        [monday_14h]
    );
    assert_eq!(t.audited("snp.slot.delete").await, 1);
}

both!(a_patients_commune_is_found_by_its_postcode);
async fn a_patients_commune_is_found_by_its_postcode(t: TestApp) {
    let UnscheduledCare {
        regulator: regul, ..
    } = t.given().unscheduled_care().await;
    let mut fields = request_fields("DURAND");
    fields.commune = "13120".into();
    let id = requests::record(&t.app, &regul, &fields).await.unwrap();
    let commune: String = sqlx::query_scalar("SELECT commune FROM snp_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(commune, "13041", "Gardanne");
    fields.commune = "13999".into();
    let unknown = requests::record(&t.app, &regul, &fields).await;
    assert!(
        matches!(&unknown, Err(ServiceError::Invalid(e))
            if e.get("commune").is_some_and(|m| m.contains("Aucune commune n’a le code « 13999 »"))),
        "{unknown:?}"
    );
}
