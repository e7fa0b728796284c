//! The « Médecin traitant » pages of coordinators: the waiting list by priority (with the
//! reason of each patient's place and probable duplicates) and one request with its
//! history. The form that follows a call is `gp_request_form`; a member GP's page is
//! `gp_proposals`.

use crate::filters;
use crate::html::{Layout, patient_page_title, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use crate::{gp_waitlist::proposals, html::layout};
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::gp_waitlist::states::{ProposalStatus, RequestStatus};
use maillage_domain::gp_waitlist::{CLOSE_REASONS, Criterion, close_reason_label};
use maillage_domain::{FieldErrors, Role};
use maillage_services::gp_waitlist::{self, QueueEntry, RequestView, Suggestion};
use maillage_services::platform::auth::Session;
use maillage_services::{ServiceError, ServiceResult};
use maillage_store::gp_waitlist::proposals::ProposalRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "gp_waitlist/queue.html")]
struct QueuePage {
    layout: Layout,
    entries: Vec<QueueEntry>,
    rules: Vec<Criterion>,
    /// Each criterion with the rank shown in the rules' form.
    ranks: Vec<(Criterion, String)>,
    /// After how many days without a step a request is reminded of, as its form shows it.
    stale_after_days: String,
    errors: FieldErrors,
}

impl QueuePage {
    fn order_fr(&self) -> String {
        let criteria: Vec<&str> = self.rules.iter().map(|c| c.label_fr()).collect();
        if criteria.is_empty() {
            "Ordre de la liste : la demande la plus ancienne d’abord.".to_owned()
        } else {
            format!(
                "Ordre de la liste : {}, puis les autres ; à critère égal, la demande la plus ancienne.",
                criteria.join(", puis ")
            )
        }
    }
}

/// What the forms of the list's page show when they come back with errors.
#[derive(Default)]
struct Typed {
    ranks: Option<Vec<(String, String)>>,
    stale_after_days: Option<String>,
}

async fn queue_page(
    state: &AppState,
    session: &Session,
    typed: Typed,
    errors: FieldErrors,
) -> PageResult {
    let actor = &session.actor;
    let (entries, rules, stale_after_days) = (
        gp_waitlist::queue(&state.app, actor).await?,
        gp_waitlist::rules(&state.app, actor).await?,
        gp_waitlist::stale_after_days(&state.app, actor).await?,
    );
    let ranks = Criterion::ALL
        .into_iter()
        .map(|criterion| {
            let rank = match &typed.ranks {
                Some(typed) => typed
                    .iter()
                    .find(|(code, _)| code == criterion.code())
                    .map(|(_, rank)| rank.clone())
                    .unwrap_or_default(),
                None => rules
                    .iter()
                    .position(|c| *c == criterion)
                    .map(|i| (i + 1).to_string())
                    .unwrap_or_default(),
            };
            (criterion, rank)
        })
        .collect();
    let page = QueuePage {
        layout: layout(state, session, "Médecin traitant", "/medecin-traitant").await,
        entries,
        rules,
        ranks,
        stale_after_days: typed
            .stale_after_days
            .unwrap_or_else(|| stale_after_days.to_string()),
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /medecin-traitant`
pub async fn queue(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    if session.actor.role == Role::Member {
        return proposals::proposals_page(&state, &session, FieldErrors::new()).await;
    }
    queue_page(&state, &session, Typed::default(), FieldErrors::new()).await
}

/// `POST /medecin-traitant/regles`: the rank of each criterion, `rank_CODE` fields.
pub async fn set_rules(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    RawForm(body): RawForm,
) -> PageResult {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let ranks: Vec<(String, String)> = pairs
        .into_iter()
        .filter_map(|(name, value)| Some((name.strip_prefix("rank_")?.to_owned(), value)))
        .collect();
    match gp_waitlist::set_rules(&state.app, &session.actor, &ranks).await {
        Ok(_) => Ok(Redirect::to("/medecin-traitant").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let typed = Typed {
                ranks: Some(ranks),
                ..Typed::default()
            };
            queue_page(&state, &session, typed, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "gp_waitlist/request.html")]
struct RequestPage {
    layout: Layout,
    view: RequestView,
    suggestions: Vec<Suggestion>,
    proposals: Vec<ProposalRow>,
    reasons: &'static [(&'static str, &'static str)],
    errors: FieldErrors,
}

impl RequestPage {
    /// « Né le », « Née le », as the patient's sex was recorded.
    fn born_on(&self, sex: &str) -> &'static str {
        match sex {
            "F" => "Née le",
            "M" => "Né le",
            _ => "Né(e) le",
        }
    }

    fn closed_because(&self, code: &str) -> &'static str {
        close_reason_label(code).unwrap_or_default()
    }

    /// A step of a request's history, in French.
    fn step(&self, kind: &str) -> &'static str {
        match kind {
            "received" => "demande reçue",
            "priority_override" => "placé en tête de liste",
            "priority_restored" => "remis à sa place selon les règles",
            "closed" => "demande close",
            "merged_from" => "fusion d’un doublon",
            "merged_into" => "fusionnée dans une autre demande",
            "proposed" => "proposé à un médecin",
            "accepted" => "accepté par le médecin",
            "declined" => "refusé par le médecin",
            "found" => "médecin traitant déclaré",
            _ => "étape",
        }
    }

    /// Whether a GP accepted the patient, awaiting the coordinator's confirmation.
    fn accepted(&self) -> bool {
        self.view.entry.request.status == RequestStatus::Open
            && self
                .proposals
                .iter()
                .any(|p| p.status == ProposalStatus::Accepted)
    }

    fn km(&self, distance: &Option<f64>) -> String {
        distance
            .map(|d| format!("{d:.1} km").replace('.', ","))
            .unwrap_or_else(|| "distance inconnue".to_owned())
    }
}

/// `POST /medecin-traitant/demandes/{id}/medecin-declare`: the coordinator confirms the
/// outcome, « médecin traitant déclaré ».
pub async fn confirm_found(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    let done = gp_waitlist::confirm_found(&state.app, &session.actor, id).await;
    after_step(&state, &session, id, done).await
}

#[derive(Deserialize)]
pub struct ProposeForm {
    member: i64,
}

/// `POST /medecin-traitant/demandes/{id}/proposition`: proposes the patient to a GP.
pub async fn propose(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<ProposeForm>,
) -> PageResult {
    let done = gp_waitlist::propose(&state.app, &session.actor, id, form.member)
        .await
        .map(drop);
    after_step(&state, &session, id, done).await
}

async fn request_page(
    state: &AppState,
    session: &Session,
    id: i64,
    errors: FieldErrors,
) -> PageResult {
    let actor = &session.actor;
    let view = gp_waitlist::detail(&state.app, actor, id).await?;
    let request = &view.entry.request;
    let (suggestions, proposals) = (
        gp_waitlist::suggestions(&state.app, actor, request).await?,
        gp_waitlist::proposals_of(&state.app, actor, id).await?,
    );
    let title = patient_page_title("Demande de médecin traitant", id);
    let page = RequestPage {
        layout: layout(state, session, &title, "/medecin-traitant").await,
        view,
        suggestions,
        proposals,
        reasons: &CLOSE_REASONS,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /medecin-traitant/demandes/{id}`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    request_page(&state, &session, id, FieldErrors::new()).await
}

/// After a step on a request: back to it, or its page with the step's errors.
async fn after_step(
    state: &AppState,
    session: &Session,
    id: i64,
    done: ServiceResult<()>,
) -> PageResult {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/medecin-traitant/demandes/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => request_page(state, session, id, errors).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct PriorityForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
}

/// `POST /medecin-traitant/demandes/{id}/priorite`: places the patient at the head of the
/// list (`action=tete`) or back in the rules' order.
pub async fn priority(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<PriorityForm>,
) -> PageResult {
    let place = form.action == "tete";
    let done =
        gp_waitlist::set_priority(&state.app, &session.actor, id, place, &form.comment).await;
    after_step(&state, &session, id, done).await
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    reason: String,
}

/// `POST /medecin-traitant/demandes/{id}/cloture`
pub async fn close(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> PageResult {
    let done = gp_waitlist::close(&state.app, &session.actor, id, &form.reason).await;
    after_step(&state, &session, id, done).await
}

#[derive(Deserialize)]
pub struct MergeForm {
    into: i64,
}

/// `POST /medecin-traitant/demandes/{id}/fusion`: merges this request into another of the
/// same person, and shows the one kept.
pub async fn merge(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<MergeForm>,
) -> PageResult {
    match gp_waitlist::merge(&state.app, &session.actor, id, form.into).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/medecin-traitant/demandes/{}", form.into)).into_response())
        }
        Err(ServiceError::Invalid(errors)) => request_page(&state, &session, id, errors).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct RemindersForm {
    #[serde(default)]
    stale_after_days: String,
}

/// `POST /medecin-traitant/relances`: after how many days without a step a request is stale.
pub async fn set_reminders(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<RemindersForm>,
) -> PageResult {
    let days = &form.stale_after_days;
    match gp_waitlist::set_stale_after_days(&state.app, &session.actor, days).await {
        Ok(_) => Ok(Redirect::to("/medecin-traitant").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let typed = Typed {
                stale_after_days: Some(form.stale_after_days),
                ..Typed::default()
            };
            queue_page(&state, &session, typed, errors).await
        }
        Err(error) => Err(error.into()),
    }
}
