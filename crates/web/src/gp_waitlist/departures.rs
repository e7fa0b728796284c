//! The « Départs de médecins » pages of coordinators: the member GPs who plan to leave, with
//! how many of their patients were registered ahead and found a new GP; one GP's patients,
//! and the import of the file of their practice.

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, render, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use maillage_domain::FieldErrors;
use maillage_domain::gp_waitlist::states::RequestStatus;
use maillage_services::ServiceError;
use maillage_services::gp_waitlist::{self, DepartingGp};
use maillage_services::platform::auth::Session;
use maillage_store::gp_waitlist::requests::RequestRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "gp_waitlist/departures.html")]
struct DeparturesPage {
    layout: Layout,
    gps: Vec<DepartingGp>,
}

/// `GET /medecin-traitant/departs`
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    let gps = gp_waitlist::departing_gps(&state.app, &session.actor).await?;
    let title = "Départs de médecins";
    let layout = layout(&state, &session, title, "/medecin-traitant").await;
    Ok(render(&DeparturesPage { layout, gps }))
}

#[derive(Template)]
#[template(path = "gp_waitlist/departure.html")]
struct DeparturePage {
    layout: Layout,
    gp: DepartingGp,
    requests: Vec<RequestRow>,
    /// What the last import wrote.
    imported: ImportedCounts,
    errors: FieldErrors,
}

impl DeparturePage {
    fn status_fr(&self, request: &RequestRow) -> &'static str {
        match (request.status, request.merged_into) {
            (RequestStatus::Open, _) => "En attente",
            (RequestStatus::Found, _) => "Médecin traitant trouvé",
            (RequestStatus::Closed, Some(_)) => "Fusionnée",
            (RequestStatus::Closed, None) => "Close",
        }
    }
}

/// How many patients the last import registered, as the page says it after the redirect.
#[derive(Deserialize, Default, Clone, Copy)]
pub struct ImportedCounts {
    importes: Option<usize>,
    #[serde(default)]
    doublons: usize,
}

async fn departure_page(
    state: &AppState,
    session: &Session,
    member_id: i64,
    imported: ImportedCounts,
    errors: FieldErrors,
) -> PageResult {
    let (gp, requests) = gp_waitlist::departure(&state.app, &session.actor, member_id).await?;
    let title = format!(
        "Départ du Dr {} {}",
        gp.member.first_name, gp.member.last_name
    );
    let page = DeparturePage {
        layout: layout(state, session, &title, "/medecin-traitant").await,
        gp,
        requests,
        imported,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /medecin-traitant/departs/{id}`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(member_id): Path<i64>,
    Query(imported): Query<ImportedCounts>,
) -> PageResult {
    departure_page(&state, &session, member_id, imported, FieldErrors::new()).await
}

/// The file of a multipart form.
async fn file_of(mut form: Multipart) -> Result<Vec<u8>, FieldErrors> {
    let unreadable = || FieldErrors::single("file", "Le fichier n’a pas pu être lu ; réessayez.");
    while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
        if field.name() == Some("file") {
            return Ok(field.bytes().await.map_err(|_| unreadable())?.to_vec());
        }
    }
    Err(FieldErrors::single(
        "file",
        "Choisissez le fichier des patients.",
    ))
}

/// `POST /medecin-traitant/departs/{id}/patients` (multipart: the file of the patients)
pub async fn import(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(member_id): Path<i64>,
    form: Multipart,
) -> PageResult {
    let imported = match file_of(form).await {
        Ok(file) => {
            gp_waitlist::import_patients(&state.app, &session.actor, member_id, &file).await
        }
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    match imported {
        Ok(imported) => Ok(Redirect::to(&format!(
            "/medecin-traitant/departs/{member_id}?importes={}&doublons={}",
            imported.requests, imported.probable_duplicates
        ))
        .into_response()),
        Err(ServiceError::Invalid(errors)) => {
            departure_page(
                &state,
                &session,
                member_id,
                ImportedCounts::default(),
                errors,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}
