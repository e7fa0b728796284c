//! One unscheduled-care request at the desk: the call as recorded, its bookings, and the
//! slots offered for it (earliest first, then nearest) with « Réserver », or « Déplacer
//! ici » once a booking is live; cancelling a booking and closing a request without one.

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, paris_slot, patient_page_title, render_form, spoken_phone, years_old};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::directory::codes::PROFESSIONS;
use maillage_domain::gp_waitlist::age_on;
use maillage_domain::unscheduled_care::booking::BookingStatus;
use maillage_domain::unscheduled_care::booking::CANCEL_REASONS;
use maillage_domain::unscheduled_care::calls::{CALL_RESULTS, call_result_label};
use maillage_domain::unscheduled_care::request::CLOSE_REASONS;
use maillage_domain::unscheduled_care::request::Mobility;
use maillage_domain::unscheduled_care::slot_kinds::Mode;
use maillage_domain::unscheduled_care::states::RequestStatus;
use maillage_services::platform::auth::Session;
use maillage_services::unscheduled_care::orientation::{self, DEFAULT_RADIUS_KM, Offer};
use maillage_services::unscheduled_care::requests;
use maillage_services::unscheduled_care::{booking, calls};
use maillage_services::{ServiceError, ServiceResult};
use maillage_store::unscheduled_care::bookings::BookingRow;
use maillage_store::unscheduled_care::protocols::ProtocolRow;
use maillage_store::unscheduled_care::request_calls::CallRow;
use maillage_store::unscheduled_care::requests::SnpRequestRow;
use maillage_store::unscheduled_care::sas_appointments::Transmission;
use serde::Deserialize;

/// The radii a regulator may widen the search to, in kilometres.
const RADII: [u32; 4] = [10, 20, 30, 50];

#[derive(Template)]
#[template(path = "unscheduled_care/request.html")]
struct RequestPage {
    layout: Layout,
    request: SnpRequestRow,
    /// « 41 ans ».
    age: String,
    bookings: Vec<BookingRow>,
    /// Where the SAS stands with the bookings it is told of.
    sas: Vec<Transmission>,
    /// Whether this server sends its bookings to a SAS platform.
    sas_connected: bool,
    /// Live bookings on a day their professional has since declared absent.
    under_absence: Vec<i64>,
    /// The desk's calls to the patient, the latest first.
    calls: Vec<CallRow>,
    call_results: [(&'static str, &'static str); 4],
    /// The live booking, which the offers move.
    live: Option<BookingRow>,
    offers: Vec<Offer>,
    /// The CPTS's cooperation protocols that apply to the patient, with their criteria.
    protocols: Vec<ProtocolRow>,
    now: i64,
    radius: u32,
    radii: [u32; 4],
    close_reasons: [(&'static str, &'static str); 5],
    cancel_reasons: [(&'static str, &'static str); 4],
    errors: FieldErrors,
}

impl RequestPage {
    /// « d’Aix-en-Provence », « de Marseille »: a place's name after « de ».
    fn of_place(&self, name: &str) -> String {
        maillage_domain::territory::of_place(name)
    }

    /// A profession's name (« Masseur-kinésithérapeute »), from its TRE_G15 code.
    fn profession(&self, code: &str) -> &'static str {
        PROFESSIONS.label(code).unwrap_or_default()
    }

    fn call_result(&self, code: &str) -> &'static str {
        call_result_label(code)
    }

    /// A distance between the patient's commune and the practice's: « même commune » when
    /// they are the same, otherwise « 4,6 km ».
    fn km(&self, distance: &f64) -> String {
        if *distance < 0.05 {
            "même commune".to_owned()
        } else {
            format!("{distance:.1} km").replace('.', ",")
        }
    }

    /// What the SAS platform knows of a booking, for a request that came from it.
    fn sas_state(&self, booking: &BookingRow) -> String {
        let Some(t) = self.sas.iter().find(|t| t.booking_id == booking.id) else {
            return String::new();
        };
        let error = t.last_error.as_deref().unwrap_or_default();
        match (t.sent_version == t.version, t.failed_at.is_some()) {
            (true, _) => format!("transmis au SAS le {}", paris_slot(t.sent_at.unwrap_or(0))),
            (false, true) => format!("transmission au SAS abandonnée ({error})"),
            (false, false) if !self.sas_connected => {
                "non transmis au SAS : ce serveur n’est relié à aucune plateforme SAS".to_owned()
            }
            (false, false) if error.is_empty() => "transmission au SAS en cours".to_owned(),
            (false, false) => format!("transmission au SAS en attente ({error})"),
        }
    }

    /// The request's latest booking, which tells where it stands.
    fn latest(&self) -> Option<&BookingRow> {
        requests::latest(&self.bookings)
    }

    /// Whether the professional has since declared an absence on the booking's day.
    fn absent_on(&self, booking: &BookingRow) -> bool {
        self.under_absence.contains(&booking.id)
    }

    /// What the regulator reads to the patient once the slot is booked: « Au cabinet,
    /// ven. 15/01 14:00, avec Dr Gilles RESTANQUE : Cabinet du Tholonet, 2 route de
    /// Cézanne, 13100 Le Tholonet. Téléphone du cabinet : 04 42 00 00 00. »
    fn to_tell(&self, booking: &BookingRow) -> String {
        let phone = match booking.place_phone.trim() {
            "" => String::new(),
            digits => format!(" Téléphone du cabinet : {}.", spoken_phone(digits)),
        };
        let address = [
            booking.street.trim(),
            format!("{} {}", booking.postcode, booking.commune_name).trim(),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        format!(
            "{}, {}, avec {} {} {} : {}, {}.{phone}",
            booking.mode.label(),
            paris_slot(booking.start_at),
            maillage_domain::directory::title_abbreviation(&booking.title),
            booking.first_name,
            booking.last_name,
            booking.place_name,
            address,
        )
    }

    fn cancellable(&self, booking: &BookingRow) -> bool {
        booking.status == BookingStatus::Booked && booking.start_at > self.now
    }
}

#[derive(Deserialize)]
pub struct RadiusQuery {
    rayon: Option<u32>,
}

async fn request_page(
    state: &AppState,
    session: &Session,
    id: i64,
    radius: u32,
    errors: FieldErrors,
) -> PageResult {
    let file = requests::file(&state.app, &session.actor, id).await?;
    let live = file
        .bookings
        .iter()
        .find(|b| b.status == BookingStatus::Booked)
        .cloned();
    let orienting = file.request.status == RequestStatus::Open || live.is_some();
    let (offers, protocols) = if orienting {
        let found = orientation::orientation(&state.app, &session.actor, id, f64::from(radius));
        let found = found.await?;
        (found.offers, found.protocols)
    } else {
        (Vec::new(), Vec::new())
    };
    let age = CivilDate::parse(&file.request.birth_date)
        .map_or(0, |birth| age_on(birth, state.app.today()));
    let age = years_old(age);
    let page = RequestPage {
        layout: layout(
            state,
            session,
            &patient_page_title("Demande de soins non programmés", id),
            "/soins-non-programmes",
        )
        .await,
        request: file.request,
        age,
        bookings: file.bookings,
        sas: file.sas,
        sas_connected: state.config.sas_connected,
        under_absence: file.under_absence,
        calls: file.calls,
        call_results: CALL_RESULTS,
        live,
        offers,
        protocols,
        now: state.app.now(),
        radius,
        radii: RADII,
        close_reasons: CLOSE_REASONS,
        cancel_reasons: CANCEL_REASONS,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /soins-non-programmes/demandes/{id}?rayon=KM`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Query(query): Query<RadiusQuery>,
) -> PageResult {
    let radius = query
        .rayon
        .filter(|r| RADII.contains(r))
        .unwrap_or(DEFAULT_RADIUS_KM as u32);
    request_page(&state, &session, id, radius, FieldErrors::new()).await
}

/// After a step on a request: back to it, or its page with the step's errors.
async fn after_step<T>(
    state: &AppState,
    session: &Session,
    id: i64,
    done: ServiceResult<T>,
) -> PageResult {
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/soins-non-programmes/demandes/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            request_page(state, session, id, DEFAULT_RADIUS_KM as u32, errors).await
        }
        // A slot taken meanwhile: the same page, with slots still free, says so.
        Err(ServiceError::Conflict(message)) => {
            let errors = FieldErrors::single("slot_id", &message);
            let page = request_page(state, session, id, DEFAULT_RADIUS_KM as u32, errors).await;
            let mut page = page.into_response();
            if page.status() == StatusCode::UNPROCESSABLE_ENTITY {
                *page.status_mut() = StatusCode::CONFLICT;
            }
            Ok(page)
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct SlotForm {
    #[serde(default)]
    slot_id: i64,
}

/// `POST /soins-non-programmes/demandes/{id}/reservation`: books the slot chosen.
pub async fn book(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<SlotForm>,
) -> PageResult {
    let done = booking::book(&state.app, &session.actor, id, form.slot_id, false).await;
    after_step(&state, &session, id, done).await
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    reason: String,
}

/// `POST /soins-non-programmes/demandes/{id}/cloture`
pub async fn close(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> PageResult {
    let done = requests::close(&state.app, &session.actor, id, &form.reason).await;
    after_step(&state, &session, id, done).await
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    detail: String,
}

/// `POST /soins-non-programmes/demandes/{id}/correction`: the phone and the detail, as
/// corrected.
pub async fn correct(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<CorrectionForm>,
) -> PageResult {
    let done = requests::correct(&state.app, &session.actor, id, &form.phone, &form.detail).await;
    after_step(&state, &session, id, done).await
}

#[derive(Deserialize)]
pub struct CallForm {
    #[serde(default)]
    result: String,
    #[serde(default)]
    note: String,
}

/// `POST /soins-non-programmes/demandes/{id}/appels`: a call to the patient, and what
/// came of it.
pub async fn call(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<CallForm>,
) -> PageResult {
    let done = calls::record(&state.app, &session.actor, id, &form.result, &form.note).await;
    after_step(&state, &session, id, done).await
}

#[derive(Deserialize)]
pub struct BookingForm {
    #[serde(default)]
    request_id: i64,
    #[serde(default)]
    slot_id: i64,
    #[serde(default)]
    cancel_reason: String,
}

/// `POST /soins-non-programmes/rendez-vous/{id}/annulation` from the desk: back to the request.
pub async fn cancel(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<BookingForm>,
) -> PageResult {
    let done = booking::cancel(&state.app, &session.actor, id, &form.cancel_reason).await;
    after_step(&state, &session, form.request_id, done).await
}

/// `POST /soins-non-programmes/rendez-vous/{id}/deplacement`: moves it to the slot chosen.
pub async fn reschedule(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<BookingForm>,
) -> PageResult {
    let done = booking::reschedule(&state.app, &session.actor, id, form.slot_id).await;
    after_step(&state, &session, form.request_id, done).await
}
