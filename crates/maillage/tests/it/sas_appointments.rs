//! The SAS platform told of its regulators' bookings (flow INT_R03), on both databases,
//! through the stand-in SAS FHIR server `scripts/lib/sas-platform.py` (the real platform
//! cannot run here): a booking made from a SAS slot is created there as a FrAppointmentSAS
//! once the regulator gave their identifier, after a refusal, with no patient data; moving
//! it cancels one appointment and creates another; the outcome updates it; a cancellation
//! says why; bookings the SAS did not bring are not sent.

use crate::support::fixtures::unscheduled_care::{
    UnscheduledCare, publish, request_fields, slots, weekdays_afternoon,
};
use crate::support::script_server::ScriptServer;
use crate::support::{TestApp, both};
use maillage_domain::unscheduled_care::instants::paris_rfc3339;
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_services::ServiceError;
use maillage_services::platform::notify::worker::Round;
use maillage_services::unscheduled_care::booking;
use maillage_services::unscheduled_care::requests::{self, Channel};
use maillage_services::unscheduled_care::sas_platform::{self, SasPlatform};
use serde_json::Value;

const TOKEN: &str = "jeton-du-sas";

/// The next event of the stand-in: (kind, identifier, appointment) for a create or an
/// update, the bare line for the others.
async fn next(sas: &mut ScriptServer) -> (String, String, Value) {
    let line = sas.next_event().await;
    let mut parts = line.splitn(3, ' ');
    let kind = parts.next().unwrap_or_default().to_owned();
    let identifier = parts.next().unwrap_or_default().to_owned();
    let body = parts
        .next()
        .map_or(Value::Null, |json| serde_json::from_str(json).unwrap());
    (kind, identifier, body)
}

fn sent(round: Round) -> (usize, usize) {
    (round.sent, round.failed)
}

/// (id, start, end) of the member's free slots, earliest first.
async fn free_times(t: &TestApp, member_id: i64) -> Vec<(i64, i64, i64)> {
    let all = slots(t, member_id).await.into_iter();
    let free = all.filter(|s| s.status == SlotStatus::Free);
    free.map(|s| (s.id, s.start_at, s.end_at)).collect()
}

both!(the_sas_is_told_of_its_regulators_bookings);
async fn the_sas_is_told_of_its_regulators_bookings(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        regulator: regul,
        gp,
        member_id,
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let free = free_times(&t, member_id).await;
    let mut sas = ScriptServer::start(
        "sas-platform.py",
        &["--token", TOKEN, "--refuse-first", "1"],
    )
    .await;
    let base = format!("http://127.0.0.1:{}/fhir", sas.port);
    let public_url = t.app.settings.public_url.clone();
    let platform = SasPlatform::new(&base, TOKEN, &public_url).unwrap();
    let system = format!("{public_url}/sas/rendez-vous");

    // A booking the coordinator makes at the desk is the CPTS's own: the SAS hears nothing.
    let desk = requests::record(&t.app, &coord, &request_fields("MARTIN"))
        .await
        .unwrap();
    booking::book(&t.app, &coord, desk, free[5].0, false)
        .await
        .unwrap();
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (0, 0));

    // A regulator sent by the SAS books its slot; until they say who they are for the SAS,
    // the appointment waits, and the request's page says why.
    let fields = request_fields("DURAND");
    let (slot, start, end) = free[0];
    let booked = booking::book_new_request(&t.app, &regul, &fields, slot, Channel::Sas)
        .await
        .unwrap();
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (0, 1));
    let file = requests::file(&t.app, &regul, booked.request_id)
        .await
        .unwrap();
    let waiting = file.sas[0].last_error.clone().unwrap_or_default();
    assert!(
        waiting.contains("identifiant SAS du régulateur manquant"),
        "{waiting}"
    );

    let wrong = sas_platform::set_operator_id(&t.app, &regul, "1234").await;
    assert!(
        matches!(&wrong, Err(ServiceError::Invalid(e)) if e.get("sas_operator_id").is_some()),
        "{wrong:?}"
    );
    let not_a_regulator = sas_platform::set_operator_id(&t.app, &coord, "10001234567").await;
    assert!(matches!(not_a_regulator, Err(ServiceError::Forbidden)));
    sas_platform::set_operator_id(&t.app, &regul, "1000 1234 567")
        .await
        .unwrap();

    // The SAS refuses the first try (503); the next, after the retry delay, creates it.
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (0, 1));
    assert_eq!(next(&mut sas).await.0, "refused");
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (0, 0), "not before the retry delay");
    t.clock.advance(31);
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (1, 0));
    let (kind, identifier, created) = next(&mut sas).await;
    assert_eq!(kind, "create");
    assert_eq!(identifier, format!("{system}|{}", booked.booking_id));
    assert_eq!(
        created["meta"]["profile"][0],
        "http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS"
    );
    assert_eq!(created["status"], "booked");
    assert_eq!(created["start"], paris_rfc3339(start).as_str());
    assert_eq!(created["end"], paris_rfc3339(end).as_str());
    assert_eq!(created["created"], paris_rfc3339(t.app.now() - 31).as_str());
    let operator = &created["extension"][0];
    assert_eq!(
        operator["url"],
        "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator"
    );
    let regulator_id = &operator["valueReference"]["identifier"];
    assert_eq!(regulator_id["type"]["coding"][0]["code"], "IDNPS");
    assert_eq!(regulator_id["system"], "urn:oid:1.2.250.1.71.4.2.1");
    assert_eq!(regulator_id["value"], "810001234567");
    let participant = &created["participant"][0];
    assert_eq!(participant["status"], "accepted");
    assert_eq!(participant["actor"]["identifier"]["value"], "810000000074");
    assert_eq!(
        participant["actor"]["identifier"]["type"]["coding"][0]["system"],
        "http://interopsante.org/fhir/CodeSystem/fr-v2-0203"
    );
    let text = created.to_string();
    for personal in ["DURAND", "Camille", "0612345678", "1985", "13001"] {
        assert!(
            !text.contains(personal),
            "{personal} sent to the SAS: {text}"
        );
    }
    let file = requests::file(&t.app, &regul, booked.request_id)
        .await
        .unwrap();
    assert_eq!(file.sas[0].sent_version, file.sas[0].version);

    // Moved to another slot: the first appointment is cancelled, the new one created.
    let moved = booking::reschedule(&t.app, &regul, booked.booking_id, free[1].0)
        .await
        .unwrap();
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (2, 0));
    let mut events = [next(&mut sas).await, next(&mut sas).await];
    events.sort_by(|a, b| a.0.cmp(&b.0));
    let (kind, identifier, new) = &events[0];
    assert_eq!(kind, "create");
    assert_eq!(*identifier, format!("{system}|{}", moved.booking_id));
    assert_eq!(new["start"], paris_rfc3339(free[1].1).as_str());
    let (kind, identifier, old) = &events[1];
    assert_eq!(kind, "update");
    assert_eq!(*identifier, format!("{system}|{}", booked.booking_id));
    assert_eq!(old["status"], "cancelled");
    assert_eq!(
        old["cancelationReason"],
        serde_json::json!({ "text": "Rendez-vous déplacé sur un autre créneau" })
    );

    // Once the slot has started, the professional records that the patient came.
    t.clock.advance(free[1].1 - t.app.now() + 600);
    booking::record_outcome(&t.app, &gp, moved.booking_id, true, "treated")
        .await
        .unwrap();
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (1, 0));
    let (kind, identifier, seen) = next(&mut sas).await;
    assert_eq!(
        (kind.as_str(), seen["status"].as_str()),
        ("update", Some("fulfilled"))
    );
    assert_eq!(identifier, format!("{system}|{}", moved.booking_id));
    assert!(seen.get("cancelationReason").is_none());

    // A booking the patient cancels: the SAS hears it cancelled, and why, in HL7's codes.
    let still_free = free_times(&t, member_id).await;
    let later = still_free.iter().find(|s| s.1 > t.app.now()).unwrap().0;
    let fields = request_fields("LEROY");
    let cancelled = booking::book_new_request(&t.app, &regul, &fields, later, Channel::Sas)
        .await
        .unwrap();
    booking::cancel(&t.app, &regul, cancelled.booking_id, "patient")
        .await
        .unwrap();
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(
        sent(round),
        (1, 0),
        "the create and the cancellation in one version"
    );
    let (_, identifier, gone) = next(&mut sas).await;
    assert_eq!(identifier, format!("{system}|{}", cancelled.booking_id));
    assert_eq!(gone["status"], "cancelled");
    assert_eq!(
        gone["cancelationReason"],
        serde_json::json!({
            "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason",
                "code": "pat",
                "display": "Patient",
            }],
            "text": "À la demande du patient",
        })
    );

    // Everything taken is taken once.
    let round = sas_platform::deliver_due(&t.app, &platform).await.unwrap();
    assert_eq!(sent(round), (0, 0));
}
