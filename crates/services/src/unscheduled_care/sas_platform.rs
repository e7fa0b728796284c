//! Telling the SAS platform of the bookings its regulators make (flow INT_R03 of the ANS
//! guide `ans.fhir.fr.sas` 1.2.0): each booking of a request that came from the SAS goes
//! as a FHIR `Appointment` (profile FrAppointmentSAS), created with `POST [base]/Appointment`
//! and then updated with `PUT [base]/Appointment?identifier=…` at each change, by a worker
//! that retries with a growing delay. The appointment names the professional and the
//! regulator, never the patient.

use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::platform::notify::worker::{Attempt, Round, record_attempt};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::unscheduled_care::instants::paris_rfc3339;
use maillage_domain::unscheduled_care::sas::{
    CANCELLATION_REASONS_SYSTEM, ID_TYPES_V2, IDNPS_SYSTEM, Operator, appointment_status,
    cancellation, parse_operator,
};
use maillage_domain::{FieldErrors, Role};
use maillage_store::unscheduled_care::sas_appointments::{
    self, AppointmentContent, DueAppointment,
};
use maillage_store::{Conn, Db, platform::users};
use serde_json::{Value, json};
use std::time::Duration;

const PROFILE: &str = "http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS";
const OPERATOR_EXTENSION: &str =
    "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator";
/// Appointments sent in one round.
const BATCH: i64 = 16;
/// How often the worker looks for appointments to send.
const POLL: Duration = Duration::from_secs(5);

/// The SAS platform's FHIR server, as the host configured it.
#[derive(Clone)]
pub struct SasPlatform {
    client: reqwest::Client,
    /// `[base]/Appointment`.
    appointments: String,
    token: String,
    /// The system of our appointment identifiers: an address of this platform.
    system: String,
}

impl SasPlatform {
    /// `base`: the SAS's FHIR base address; `token`: the bearer token it gave this host;
    /// `public_url`: this platform's address, which names our appointment identifiers.
    pub fn new(base: &str, token: &str, public_url: &str) -> Result<Self, String> {
        let client = crate::endpoint::client_for(base, "de la plateforme SAS")?;
        if token.trim().is_empty() {
            return Err("sas_token manque : le jeton que la plateforme SAS a donné".to_owned());
        }
        Ok(Self {
            client,
            appointments: format!("{}/Appointment", base.trim_end_matches('/')),
            token: token.to_owned(),
            system: format!("{}/sas/rendez-vous", public_url.trim_end_matches('/')),
        })
    }

    /// Sends one version of a booking: its create, or an update; the error says why the
    /// SAS did not take it.
    async fn send(&self, due: &DueAppointment, body: &Value) -> Result<(), String> {
        let request = if due.created {
            let identifier = format!("{}|{}", self.system, due.booking_id);
            self.client
                .put(&self.appointments)
                .query(&[("identifier", identifier)])
        } else {
            self.client.post(&self.appointments)
        };
        let response = request
            .bearer_auth(&self.token)
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("plateforme SAS injoignable : {}", e.without_url()))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        let detail = answer["issue"][0]["diagnostics"]
            .as_str()
            .map(|d| format!(" : {}", d.chars().take(300).collect::<String>()))
            .unwrap_or_default();
        Err(format!("la plateforme SAS a répondu {status}{detail}"))
    }
}

/// A national or technical identifier as the SAS profiles write it.
fn identifier(kind: &str, system: &str, value: &str) -> Value {
    json!({
        "type": { "coding": [{ "system": ID_TYPES_V2, "code": kind }] },
        "system": system,
        "value": value,
    })
}

/// The booking as a FrAppointmentSAS resource, identified under `system`; a cancelled one
/// says why, and never in the patient's words.
pub fn appointment(content: &AppointmentContent, operator: &Operator, system: &str) -> Value {
    let status = content.status;
    let mut appointment = json!({
        "resourceType": "Appointment",
        "meta": { "profile": [PROFILE] },
        "extension": [{
            "url": OPERATOR_EXTENSION,
            "valueReference": {
                "identifier": identifier(operator.kind, operator.system, &operator.value),
            },
        }],
        "identifier": [{ "system": system, "value": content.booking_id.to_string() }],
        "status": appointment_status(status),
        "start": paris_rfc3339(content.start_at),
        "end": paris_rfc3339(content.end_at),
        "created": paris_rfc3339(content.booked_at),
        "participant": [{
            "actor": { "identifier": identifier("IDNPS", IDNPS_SYSTEM, &content.practitioner_id) },
            "status": "accepted",
        }],
    });
    if let Some((coding, text)) = cancellation(status, content.cancel_reason.as_deref()) {
        let reason = &mut appointment["cancelationReason"];
        reason["text"] = json!(text);
        if let Some((code, display)) = coding {
            reason["coding"] = json!([{ "system": CANCELLATION_REASONS_SYSTEM, "code": code, "display": display }]);
        }
    }
    appointment
}

/// The appointment to send for a booking as it now is, or why it cannot go yet.
fn body_of(platform: &SasPlatform, content: Option<AppointmentContent>) -> Result<Value, String> {
    let content = content.ok_or("rendez-vous introuvable")?;
    let operator = content
        .operator_id
        .as_deref()
        .and_then(|id| parse_operator(id).ok())
        .ok_or("identifiant SAS du régulateur manquant : il le renseigne sur « Mon compte »")?;
    Ok(appointment(&content, &operator, &platform.system))
}

/// Marks one version taken, or schedules another attempt (or gives it up).
async fn record(
    app: &App,
    due: &DueAppointment,
    outcome: Result<(), String>,
    round: &mut Round,
) -> ServiceResult<()> {
    if let Err(error) = &outcome {
        tracing::warn!(booking = due.booking_id, attempts = due.attempts, %error, "appointment not taken by the SAS");
    }
    let attempt = Attempt {
        queue: &sas_appointments::QUEUE,
        id: due.booking_id,
        attempts: due.attempts,
        outcome,
    };
    let (id, version) = (due.booking_id, due.version);
    let sent = async |tx: &mut Conn, now| sas_appointments::mark_sent(tx, id, version, now).await;
    record_attempt(app, attempt, sent, round).await
}

/// Sends the SAS every booking version due now, batch after batch, until none is.
pub async fn deliver_due(app: &App, platform: &SasPlatform) -> ServiceResult<Round> {
    let mut round = Round::default();
    loop {
        let mut tx = app.db.begin().await?;
        let lease = app.settings.outbox_lease_secs;
        let due: Vec<DueAppointment> = sas_appointments::QUEUE
            .claim(&mut tx, app.now(), lease, BATCH)
            .await?;
        let mut contents = Vec::with_capacity(due.len());
        for one in &due {
            contents.push(sas_appointments::content(&mut tx, one.booking_id).await?);
        }
        Db::commit(tx).await?;
        if due.is_empty() {
            return Ok(round);
        }
        for (one, content) in due.iter().zip(contents) {
            let outcome = match body_of(platform, content) {
                Ok(body) => platform.send(one, &body).await,
                Err(error) => Err(error),
            };
            record(app, one, outcome, &mut round).await?;
        }
    }
}

/// Sends for as long as the server runs.
pub async fn run(app: App, platform: SasPlatform) {
    loop {
        if let Err(error) = deliver_due(&app, &platform).await {
            tracing::warn!(%error, "sending appointments to the SAS failed");
        }
        tokio::time::sleep(POLL).await;
    }
}

fn regulator(actor: &Actor) -> ServiceResult<()> {
    match actor.role {
        Role::Regulator => Ok(()),
        _ => Err(ServiceError::Forbidden),
    }
}

/// The identifier for the SAS the regulator gave, if any.
pub async fn operator_id(app: &App, actor: &Actor) -> ServiceResult<Option<String>> {
    regulator(actor)?;
    let mut conn = app.db.conn().await?;
    Ok(users::sas_operator_id(&mut conn, actor.user_id).await?)
}

/// Records the regulator's identifier for the SAS; the appointments of their requests that
/// waited for it go at once.
pub async fn set_operator_id(app: &App, actor: &Actor, raw: &str) -> ServiceResult<()> {
    regulator(actor)?;
    let operator = parse_operator(raw).map_err(|m| FieldErrors::single("sas_operator_id", m))?;
    let mut tx = app.db.begin().await?;
    users::set_sas_operator_id(&mut tx, actor.user_id, Some(&operator.value)).await?;
    sas_appointments::retry_of_operator(&mut tx, actor.user_id, app.now()).await?;
    let event = Event::new("account.sas_operator_id", Outcome::Success).cpts(actor.cpts_id);
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_booking_reads_as_the_guides_example_appointment() {
        let content = AppointmentContent {
            booking_id: 42,
            status: maillage_domain::unscheduled_care::booking::BookingStatus::Booked,
            booked_at: 1_800_000_000,
            start_at: 1_800_018_000,
            end_at: 1_800_019_800,
            practitioner_id: "810100050075".to_owned(),
            operator_id: Some("810001234567".to_owned()),
            cancel_reason: None,
        };
        let operator = parse_operator("810001234567").unwrap();
        let sent = appointment(&content, &operator, "https://cpts.example/sas/rendez-vous");
        let id_type = json!({ "coding": [{ "system": ID_TYPES_V2, "code": "IDNPS" }] });
        let expected = json!({
            "resourceType": "Appointment",
            "meta": { "profile": ["http://sas.fr/fhir/StructureDefinition/FrAppointmentSAS"] },
            "extension": [{
                "url": "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator",
                "valueReference": { "identifier": {
                    "type": id_type, "system": "urn:oid:1.2.250.1.71.4.2.1",
                    "value": "810001234567" } },
            }],
            "identifier": [{ "system": "https://cpts.example/sas/rendez-vous", "value": "42" }],
            "status": "booked",
            "start": "2027-01-15T14:00:00+01:00",
            "end": "2027-01-15T14:30:00+01:00",
            "created": "2027-01-15T09:00:00+01:00",
            "participant": [{
                "actor": { "identifier": {
                    "type": id_type, "system": "urn:oid:1.2.250.1.71.4.2.1",
                    "value": "810100050075" } },
                "status": "accepted",
            }],
        });
        assert_eq!(sent, expected);
    }

    #[test]
    fn the_sas_is_reached_encrypted_and_with_its_token() {
        let public = "https://cpts.example";
        assert!(SasPlatform::new("https://sas.example/fhir", "jeton", public).is_ok());
        assert!(SasPlatform::new("http://127.0.0.1:9000/fhir", "jeton", public).is_ok());
        assert!(SasPlatform::new("http://sas.example/fhir", "jeton", public).is_err());
        assert!(SasPlatform::new("https://sas.example/fhir", "", public).is_err());
    }
}
