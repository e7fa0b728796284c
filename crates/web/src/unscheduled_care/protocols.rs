//! The CPTS's cooperation protocols, set by its coordinator: which reason, for which
//! patients, goes to which trained members of another profession (cystitis to a
//! pharmacist, an ankle sprain to a physiotherapist).

use crate::html::layout;
use crate::html::{Layout, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, RawForm, State};
use axum::response::{IntoResponse, Redirect};
use maillage_domain::FieldErrors;
use maillage_domain::directory::codes::PROFESSIONS;
use maillage_domain::unscheduled_care::protocols::ProtocolFields;
use maillage_domain::unscheduled_care::reasons::Reason;
use maillage_services::platform::auth::Session;
use maillage_services::unscheduled_care::protocols::{self, ProtocolEntry};
use maillage_services::{ServiceError, directory::members};
use maillage_store::directory::members::MemberRow;

#[derive(Template)]
#[template(path = "unscheduled_care/protocols.html")]
struct ProtocolsPage {
    layout: Layout,
    entries: Vec<ProtocolEntry>,
    members: Vec<MemberRow>,
    form: ProtocolFields,
    ticked: Vec<i64>,
    errors: FieldErrors,
}

impl ProtocolsPage {
    fn reason_options(&self) -> Vec<(String, String)> {
        Reason::ALL
            .iter()
            .map(|r| (r.code().to_owned(), r.label().to_owned()))
            .collect()
    }

    fn profession(&self, code: &str) -> String {
        PROFESSIONS.label(code).unwrap_or(code).to_owned()
    }

    /// The professions of the CPTS's members, the only ones a protocol can send to.
    fn profession_options(&self) -> Vec<(String, String)> {
        let mut codes: Vec<&str> = self.members.iter().map(|m| m.profession.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
            .into_iter()
            .map(|code| (code.to_owned(), self.profession(code)))
            .collect()
    }

    fn names(&self, ids: &[i64]) -> String {
        self.members
            .iter()
            .filter(|m| ids.contains(&m.id))
            .map(|m| format!("{} {}", m.first_name, m.last_name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn sex(&self, sex: &Option<String>) -> &'static str {
        match sex.as_deref() {
            Some("F") => "femmes",
            Some("M") => "hommes",
            _ => "femmes et hommes",
        }
    }
}

async fn protocols_page(
    state: &AppState,
    session: &Session,
    form: ProtocolFields,
    ticked: Vec<i64>,
    errors: FieldErrors,
) -> PageResult {
    let (entries, members) = (
        protocols::list(&state.app, &session.actor).await?,
        members::list(&state.app, &session.actor).await?,
    );
    let page = ProtocolsPage {
        layout: layout(
            state,
            session,
            "Protocoles de coopération",
            "/soins-non-programmes",
        )
        .await,
        entries,
        members,
        form,
        ticked,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /soins-non-programmes/protocoles`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    let form = ProtocolFields {
        age_min: "0".into(),
        age_max: "120".into(),
        ..ProtocolFields::default()
    };
    protocols_page(&state, &session, form, Vec::new(), FieldErrors::new()).await
}

/// `POST /soins-non-programmes/protocoles`: `members` may come several times.
pub async fn add(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    RawForm(body): RawForm,
) -> PageResult {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let form = ProtocolFields {
        name: get("name"),
        reason: get("reason"),
        profession: get("profession"),
        age_min: get("age_min"),
        age_max: get("age_max"),
        sex: get("sex"),
        conditions: get("conditions"),
    };
    let ticked: Vec<i64> = pairs
        .iter()
        .filter(|(key, _)| key == "members")
        .filter_map(|(_, value)| value.parse().ok())
        .collect();
    match protocols::add(&state.app, &session.actor, &form, &ticked).await {
        Ok(_) => Ok(Redirect::to("/soins-non-programmes/protocoles").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            protocols_page(&state, &session, form, ticked, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /soins-non-programmes/protocoles/{id}/suppression`
pub async fn remove(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    match protocols::remove(&state.app, &session.actor, id).await {
        Ok(()) => Ok(Redirect::to("/soins-non-programmes/protocoles").into_response()),
        Err(error) => Err(error.into()),
    }
}
