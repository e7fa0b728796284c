//! `/api/v1/slots` and `/api/v1/bookings`: free unscheduled-care slots by time window and
//! around a commune, and booking one for a recorded request or for a patient given in the
//! body (recorded with it). A booking sent with an `Idempotency-Key` is made once: the
//! same key and body get the same 201, another body a 422; a slot already taken, a 409.
//! The key is claimed and its answer kept in the booking's own transaction: one commit.

use crate::api::answer;
use crate::api::idempotent::{JsonCall, keeping, respond};
use crate::problem::Problem;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_domain::FieldErrors;
use maillage_domain::unscheduled_care::instants::paris_rfc3339;
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_services::unscheduled_care::booking::{self, Booked, Target};
use maillage_services::unscheduled_care::requests::Channel;
use maillage_services::unscheduled_care::slots::{self, SlotSearch};
use maillage_services::{Actor, ServiceError};
use maillage_store::unscheduled_care::slots::SlotRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct SlotQuery {
    /// Start of the window, e.g. `2027-03-15T08:00:00+01:00` (Paris time without an offset) [default: now]
    #[serde(default)]
    pub from: String,
    /// End of the window, 14 days at most after its start [default: 48 hours after it]
    #[serde(default)]
    pub to: String,
    /// INSEE code or name of the commune searched around [default: the whole CPTS]
    #[serde(default)]
    pub commune: String,
    /// Radius around the commune, in km, up to 100 [default: 20]
    pub radius_km: Option<f64>,
    /// Slots returned at most, up to 1,000 [default: 200]
    pub limit: Option<i64>,
}

/// A free slot.
#[derive(Serialize, ToSchema)]
pub struct Slot {
    pub id: i64,
    /// Paris time with its offset
    pub start: String,
    pub end: String,
    /// `in_person`, `teleconsultation` or `home_visit`
    pub mode: String,
    /// TRE_R314: `PUBLIC`, `PRO`, `SNP` or `CPTS`
    pub visibility: String,
    /// Extra patients are taken beyond this slot
    pub extra_patients: bool,
    pub professional: String,
    /// RPPS national identifier (`8` + RPPS)
    pub national_id: String,
    /// TRE_G15 profession code
    pub profession: String,
    pub place: String,
    pub address: String,
    pub commune: String,
    /// From the commune searched around, in km
    pub distance_km: Option<f64>,
    /// Fictional data of the synthetic directory
    pub synthetic: bool,
}

fn slot_json(slot: SlotRow, distance_km: Option<f64>) -> Slot {
    Slot {
        id: slot.id,
        start: paris_rfc3339(slot.start_at),
        end: paris_rfc3339(slot.end_at),
        mode: slot.mode.code().to_owned(),
        visibility: slot.visibility.code().to_owned(),
        extra_patients: slot.extra_patients,
        professional: format!("{} {}", slot.first_name, slot.last_name),
        national_id: slot.national_id,
        profession: slot.profession,
        place: slot.place_name,
        address: format!("{}, {}", slot.street, slot.postcode),
        commune: slot.commune_name,
        distance_km: distance_km.map(|d| (d * 10.0).round() / 10.0),
        synthetic: slot.synthetic,
    }
}

#[utoipa::path(get, path = "/api/v1/slots", tag = "soins non programmés",
    params(SlotQuery),
    responses((status = 200, body = Vec<Slot>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(query): Query<SlotQuery>,
) -> Response {
    let search = SlotSearch {
        from: query.from,
        to: query.to,
        commune: query.commune,
        radius_km: query.radius_km,
        limit: query.limit,
    };
    let found = slots::search(&state.app, &actor, &search).await;
    answer(
        StatusCode::OK,
        found.map(|found| {
            found
                .into_iter()
                .map(|f| slot_json(f.slot, f.distance_km))
                .collect::<Vec<_>>()
        }),
    )
}

/// The patient and the request, when the booking is not for a recorded request.
#[derive(Deserialize, ToSchema)]
pub struct NewPatient {
    pub last_name: String,
    pub first_name: String,
    /// `AAAA-MM-JJ` or `JJ/MM/AAAA`
    pub birth_date: String,
    /// `F` or `M`
    pub sex: String,
    /// Ten digits, to call the patient back
    pub phone: String,
    /// INSEE code or name of the commune the patient is in
    pub commune: String,
    /// Reason code (`fever`, `urinary_burning`, `ankle_sprain`… `other`)
    pub reason: String,
    #[serde(default)]
    pub detail: String,
    /// `today`, `24h` or `48h`
    pub urgency: String,
    /// `mobile` or `housebound` [default: mobile]
    #[serde(default)]
    pub mobility: Option<String>,
    /// `tried`, `not_tried` or `no_gp`
    pub own_gp: String,
    /// Who calls for the patient: `patient`, `regulation`, `pharmacist`, `professional`
    /// or `institution` [default: unspecified]
    #[serde(default)]
    pub caller: Option<String>,
}

/// A booking to make: a slot, and a recorded request or a patient.
#[derive(Deserialize, ToSchema)]
pub struct NewBooking {
    pub slot_id: i64,
    #[serde(default)]
    pub request_id: Option<i64>,
    #[serde(default)]
    pub patient: Option<NewPatient>,
    /// Add the patient beyond a slot already taken, where the professional accepts it
    #[serde(default)]
    pub extra: bool,
}

/// A booking made.
#[derive(Serialize, ToSchema)]
pub struct BookingMade {
    pub id: i64,
    pub request_id: i64,
    pub slot: Slot,
}

fn patient_fields(patient: NewPatient) -> SnpRequestFields {
    SnpRequestFields {
        caller: patient.caller.unwrap_or_else(|| "unspecified".to_owned()),
        reason: patient.reason,
        detail: patient.detail,
        urgency: patient.urgency,
        commune: patient.commune,
        mobility: patient.mobility.unwrap_or_else(|| "mobile".to_owned()),
        own_gp: patient.own_gp,
        last_name: patient.last_name,
        first_name: patient.first_name,
        birth_date: patient.birth_date,
        sex: patient.sex,
        phone: patient.phone,
    }
}

fn made(booked: Booked) -> BookingMade {
    BookingMade {
        id: booked.booking_id,
        request_id: booked.request_id,
        slot: slot_json(booked.slot, None),
    }
}

#[utoipa::path(post, path = "/api/v1/bookings", tag = "soins non programmés",
    request_body = NewBooking,
    params(("Idempotency-Key" = Option<String>, Header, description = "Rejouer la même requête renvoie la même réponse")),
    responses((status = 201, body = BookingMade),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn book(State(state): State<AppState>, request: JsonCall) -> Response {
    let new: NewBooking = match request.body() {
        Ok(new) => new,
        Err(problem) => return problem.into_response(),
    };
    let target = match (new.request_id, new.patient) {
        (Some(request_id), None) => Target::Request(request_id),
        (None, Some(patient)) => Target::Patient(Box::new(patient_fields(patient)), Channel::Api),
        _ => {
            let error = ServiceError::Invalid(FieldErrors::single(
                "request_id",
                "Donnez soit la demande (request_id), soit le patient (patient).",
            ));
            return answer::<BookingMade>(StatusCode::CREATED, Err(error));
        }
    };
    // The key is claimed and the answer kept in the booking's own commit.
    let identity = request.identity();
    let render = keeping(StatusCode::CREATED, |booked: &Booked| made(booked.clone()));
    let reply = booking::book_once(
        &state.app,
        request.actor(),
        request.keyed(&identity),
        &target,
        new.slot_id,
        new.extra,
        render,
    )
    .await;
    respond(StatusCode::CREATED, reply, made)
}
