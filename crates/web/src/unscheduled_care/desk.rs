//! The « Soins non programmés » desk of coordinators and SAS regulators: the requests of
//! the last seven days and the form that follows a call. A member's page of the same
//! mission is their agenda (`snp_agenda`).

use crate::html::{Layout, paris_deadline, paris_slot, render, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use crate::{html::layout, unscheduled_care::agenda};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::unscheduled_care::booking::{
    BookingStatus, cancel_reason_label, outcome_label,
};
use maillage_domain::unscheduled_care::reasons::Reason;
use maillage_domain::unscheduled_care::request::{
    Caller, SnpRequestFields, Urgency, close_reason_label,
};
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

/// How the desk's pages write a request's codes and instants.
pub(crate) trait RequestWording {
    /// « d’Aix-en-Provence », « de Marseille »: a place's name after « de ».
    fn of_place(&self, name: &str) -> String {
        maillage_domain::territory::of_place(name)
    }

    /// What followed a consultation, as recorded.
    fn outcome(&self, code: &str) -> &'static str {
        outcome_label(code)
    }

    /// Why a booking was cancelled, by whom and when: « Empêchement du professionnel
    /// (Gilles RESTANQUE, ven. 15/01 10:02) »; what is unknown is left out (bookings
    /// cancelled before these were recorded, or by an account since deleted).
    fn cancellation(&self, booking: &BookingRow) -> String {
        let reason = booking
            .cancel_reason
            .as_deref()
            .map_or("", cancel_reason_label);
        let by_and_when: Vec<String> = [
            booking.closed_by_name.clone(),
            booking.closed_at.map(paris_slot),
        ]
        .into_iter()
        .flatten()
        .collect();
        match (reason, by_and_when.is_empty()) {
            (_, true) => reason.to_owned(),
            ("", false) => by_and_when.join(", "),
            _ => format!("{reason} ({})", by_and_when.join(", ")),
        }
    }

    /// A professional's title as written before their name (« Dr »).
    fn title(&self, code: &str) -> &'static str {
        maillage_domain::directory::title_abbreviation(code)
    }

    /// A closed request's state, with why and when: « Clôturée : Pris en charge ailleurs
    /// (mar. 24/11 10:02) ».
    fn closure(&self, request: &SnpRequestRow) -> String {
        let reason = request
            .close_reason
            .as_deref()
            .map(close_reason_label)
            .filter(|label| !label.is_empty())
            .map(|label| format!(" : {label}"))
            .unwrap_or_default();
        let when = request
            .closed_at
            .map(|at| format!(" ({})", paris_slot(at)))
            .unwrap_or_default();
        format!("Clôturée{reason}{when}")
    }

    /// The time a request is to be seen by: « mar. 24/11, fin de journée ».
    fn deadline(&self, unix: &i64) -> String {
        paris_deadline(*unix)
    }

    /// Where a request stands, given its latest booking: once the appointment has taken
    /// place, what the professional recorded of it (« Patient vu : Hospitalisé »).
    fn standing(&self, request: &SnpRequestRow, latest: Option<&BookingRow>) -> String {
        match latest {
            Some(b)
                if request.status == RequestStatus::Booked
                    && matches!(b.status, BookingStatus::Seen | BookingStatus::NoShow) =>
            {
                match &b.outcome {
                    Some(code) => format!("{} : {}", b.status.label(), self.outcome(code)),
                    None => b.status.label().to_owned(),
                }
            }
            _ if request.status == RequestStatus::Closed => self.closure(request),
            _ => request.status.label().to_owned(),
        }
    }

    fn at(&self, unix: &i64) -> String {
        paris_slot(*unix)
    }

    /// A phone number in pairs of digits, as it is read aloud.
    fn phone(&self, digits: &str) -> String {
        let chars: Vec<char> = digits.chars().collect();
        chars
            .chunks(2)
            .map(|pair| pair.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Template)]
#[template(path = "unscheduled_care/desk.html")]
struct DeskPage {
    layout: Layout,
    lines: Vec<DeskLine>,
    coordinator: bool,
    now: i64,
}

impl RequestWording for DeskPage {}

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
                    self.at(&b.start_at),
                    self.title(&b.title),
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
            .map(|b| self.at(&b.start_at))
    }

    /// Why a request is back at the desk after its booking was cancelled, if it is.
    fn cancelled(&self, line: &DeskLine) -> Option<String> {
        line.latest
            .as_ref()
            .filter(|b| {
                line.request.status == RequestStatus::Open && b.status == BookingStatus::Cancelled
            })
            .map(|b| self.cancellation(b))
    }
}

impl RequestWording for RequestFormPage {}

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
