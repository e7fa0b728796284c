//! The « Soins non programmés » desk of coordinators and SAS regulators: the requests of
//! the last seven days and the form that follows a call. A member's page of the same
//! mission is their agenda (`snp_agenda`).

use crate::filters;
use crate::html::{Layout, paris_slot, render, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use crate::{html::layout, unscheduled_care::agenda};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::directory::title_abbreviation;
use maillage_domain::unscheduled_care::booking::BookingStatus;
use maillage_domain::unscheduled_care::reasons::Reason;
use maillage_domain::unscheduled_care::request::{Caller, SnpRequestFields, Urgency};
use maillage_domain::unscheduled_care::states::RequestStatus;
use maillage_domain::{FieldErrors, Role};
use maillage_services::access;
use maillage_services::platform::auth::Session;
use maillage_services::unscheduled_care::booking;
use maillage_services::unscheduled_care::requests::{self, Channel, DeskLine};
use maillage_services::{ServiceError, territory};
use maillage_store::unscheduled_care::bookings::BookingRow;
use maillage_store::unscheduled_care::requests::SnpRequestRow;
use maillage_store::unscheduled_care::slots::SlotRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "unscheduled_care/desk.html")]
struct DeskPage {
    layout: Layout,
    lines: Vec<DeskLine>,
    coordinator: bool,
    now: i64,
}

impl DeskPage {
    /// The requests still to orient, the most pressing first (as listed).
    fn to_orient(&self) -> Vec<&DeskLine> {
        self.lines
            .iter()
            .filter(|l| l.request.status == RequestStatus::Open)
            .collect()
    }

    /// The requests booked or closed, the newest first (as listed).
    fn handled(&self) -> Vec<&DeskLine> {
        self.lines
            .iter()
            .filter(|l| l.request.status != RequestStatus::Open)
            .collect()
    }

    /// Whether a request still to orient has passed the time it was to be seen by.
    fn late(&self, request: &SnpRequestRow) -> bool {
        request.status == RequestStatus::Open && request.deadline_at < self.now
    }

    /// The appointment a request holds, and with whom: « ven. 15/01 14:00, Dr Gilles
    /// RESTANQUE »; nothing when it holds none.
    fn appointment(&self, line: &DeskLine) -> String {
        match &line.latest {
            Some(b)
                if line.request.status == RequestStatus::Booked
                    && b.status == BookingStatus::Booked =>
            {
                format!(
                    "{}, {} {} {}",
                    paris_slot(b.start_at),
                    title_abbreviation(&b.title),
                    b.first_name,
                    b.last_name
                )
            }
            _ => String::new(),
        }
    }

    /// When the patient missed the appointment of a request back at the desk, if they did.
    fn missed(&self, line: &DeskLine) -> Option<String> {
        line.latest
            .as_ref()
            .filter(|b| {
                line.request.status == RequestStatus::Open && b.status == BookingStatus::NoShow
            })
            .map(|b| paris_slot(b.start_at))
    }

    /// The cancelled booking of a request back at the desk because of it, if it is.
    fn cancelled<'a>(&self, line: &'a DeskLine) -> Option<&'a BookingRow> {
        line.latest.as_ref().filter(|b| {
            line.request.status == RequestStatus::Open && b.status == BookingStatus::Cancelled
        })
    }
}

/// `GET /soins-non-programmes`: the desk, or a member's agenda.
pub async fn desk(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    if session.actor.role == Role::Member {
        return agenda::agenda_page(&state, &session, None, FieldErrors::new()).await;
    }
    let lines = requests::list(&state.app, &session.actor).await?;
    let page = DeskPage {
        layout: layout(
            &state,
            &session,
            "Soins non programmés",
            "/soins-non-programmes",
        )
        .await,
        lines,
        coordinator: session.actor.role == Role::Coordinator,
        now: state.app.now(),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "unscheduled_care/request_form.html")]
struct RequestFormPage {
    layout: Layout,
    form: SnpRequestFields,
    /// The slot the SAS platform sent the regulator to, booked with the request.
    slot: Option<SlotRow>,
    callers: [Caller; 5],
    reasons: [Reason; 11],
    /// The CPTS's communes, suggested as the patient's is typed.
    communes: Vec<String>,
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    session: &Session,
    form: SnpRequestFields,
    slot: Option<SlotRow>,
    errors: FieldErrors,
) -> PageResult {
    let page = RequestFormPage {
        layout: layout(
            state,
            session,
            "Nouvelle demande de soins non programmés",
            "/soins-non-programmes",
        )
        .await,
        form,
        slot,
        callers: Caller::OFFERED,
        reasons: Reason::ALL,
        communes: match access::desk(&session.actor) {
            Ok(cpts_id) => territory::perimeter_names(&state.app, cpts_id)
                .await
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        },
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

#[derive(Deserialize)]
pub struct NewRequestQuery {
    /// A slot chosen on the SAS platform, whose `Slot.comment` leads here.
    creneau: Option<i64>,
}

/// `GET /soins-non-programmes/demandes/nouvelle[?creneau=ID]`
pub async fn new_request(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<NewRequestQuery>,
) -> PageResult {
    let slot = match query.creneau {
        Some(id) => Some(booking::offered_slot(&state.app, &session.actor, id).await?),
        None => None,
    };
    // A regulator takes the calls of the SAS.
    let caller = if session.actor.role == Role::Regulator {
        Caller::Regulation.code()
    } else {
        ""
    };
    let form = SnpRequestFields {
        caller: caller.into(),
        urgency: "24h".into(),
        mobility: "mobile".into(),
        ..SnpRequestFields::default()
    };
    form_page(&state, &session, form, slot, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    caller: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    mobility: String,
    #[serde(default)]
    own_gp: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    phone: String,
    /// The slot chosen on the SAS platform, if any.
    slot_id: Option<i64>,
}

impl From<&RequestForm> for SnpRequestFields {
    fn from(form: &RequestForm) -> Self {
        Self {
            caller: form.caller.clone(),
            reason: form.reason.clone(),
            detail: form.detail.clone(),
            urgency: form.urgency.clone(),
            commune: form.commune.clone(),
            mobility: form.mobility.clone(),
            own_gp: form.own_gp.clone(),
            last_name: form.last_name.clone(),
            first_name: form.first_name.clone(),
            birth_date: form.birth_date.clone(),
            sex: form.sex.clone(),
            phone: form.phone.clone(),
        }
    }
}

/// `POST /soins-non-programmes/demandes`: records the request, then shows its orientation;
/// with a slot chosen on the SAS platform, books it in the same transaction.
pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<RequestForm>,
) -> PageResult {
    let fields = SnpRequestFields::from(&form);
    let actor = &session.actor;
    let recorded = match form.slot_id {
        Some(slot_id) => {
            booking::book_new_request(&state.app, actor, &fields, slot_id, Channel::Sas)
                .await
                .map(|booked| booked.request_id)
        }
        None => requests::record(&state.app, actor, &fields).await,
    };
    match recorded {
        Ok(id) => Ok(Redirect::to(&format!("/soins-non-programmes/demandes/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let slot = match form.slot_id {
                Some(id) => booking::offered_slot(&state.app, actor, id).await.ok(),
                None => None,
            };
            form_page(&state, &session, fields, slot, errors).await
        }
        // Taken meanwhile: the call is kept, to be recorded and oriented to another slot.
        Err(ServiceError::Conflict(message)) if form.slot_id.is_some() => {
            let errors = FieldErrors::single("slot_id", message);
            form_page(&state, &session, fields, None, errors).await
        }
        Err(error) => Err(error.into()),
    }
}
