//! The host's CPTS: the administrator's list and creation form, and each CPTS's page.

use crate::html::layout;
use crate::html::{Layout, paris_time, render_form};
use crate::page_error::{PageError, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::unscheduled_care::sas::sas_identity_gap;
use maillage_domain::{FieldErrors, Role};
use maillage_services::platform::auth::Session;
use maillage_services::tools::demo::{DEMO_FINESS, DEMO_SLUG};
use maillage_services::{ServiceError, territory::cpts};
use serde::Deserialize;

pub struct CptsLine {
    slug: String,
    name: String,
    created: String,
}

#[derive(Template)]
#[template(path = "platform/cpts_admin.html")]
struct CptsAdminPage {
    layout: Layout,
    cpts: Vec<CptsLine>,
    notice: String,
    form_name: String,
    form_slug: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct CptsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
}

async fn admin_page(
    state: &AppState,
    session: &Session,
    form: CptsForm,
    notice: &str,
    errors: FieldErrors,
) -> PageResult {
    if !session.actor.is_admin() {
        return Err(ServiceError::NotFound.into());
    }
    let list = cpts::list(&state.app, &session.actor).await?;
    let page = CptsAdminPage {
        layout: layout(state, session, "CPTS de l’hébergement", "").await,
        cpts: list
            .into_iter()
            .map(|c| CptsLine {
                slug: c.slug,
                name: c.name,
                created: paris_time(c.created_at),
            })
            .collect(),
        notice: notice.to_owned(),
        form_name: form.name,
        form_slug: form.slug,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    admin_page(
        &state,
        &session,
        CptsForm::default(),
        "",
        FieldErrors::new(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<CptsForm>,
) -> PageResult {
    match cpts::create(&state.app, Some(&session.actor), &form.slug, &form.name).await {
        Ok(row) => {
            admin_page(
                &state,
                &session,
                CptsForm::default(),
                &format!("CPTS « {} » créée.", row.name),
                FieldErrors::new(),
            )
            .await
        }
        Err(ServiceError::Invalid(errors)) => admin_page(&state, &session, form, "", errors).await,
        Err(error) => Err(PageError::hiding(error)),
    }
}

#[derive(Template)]
#[template(path = "platform/cpts.html")]
struct CptsPage {
    layout: Layout,
    name: String,
    slug: String,
    created: String,
    finess: String,
    phone: String,
    /// Coordinators and administrators keep what the SAS is told of the CPTS.
    editable: bool,
    /// Why the SAS is not given the CPTS's slots, as the slot search answers it.
    sas_gap: Option<&'static str>,
    /// The demo CPTS's FINESS number is made up, and said to be.
    fictitious_finess: bool,
    errors: FieldErrors,
}

async fn cpts_page(
    state: &AppState,
    session: &Session,
    slug: &str,
    typed: Option<IdentityForm>,
    errors: FieldErrors,
) -> PageResult {
    let row = cpts::get(&state.app, &session.actor, slug).await?;
    let layout = layout(state, session, &row.name, "").await;
    let sas_gap = sas_identity_gap(&row.finess);
    let fictitious_finess = row.slug == DEMO_SLUG && row.finess == DEMO_FINESS;
    let typed = typed.unwrap_or(IdentityForm {
        finess: row.finess,
        phone: row.phone,
    });
    let page = CptsPage {
        layout,
        name: row.name,
        slug: row.slug,
        created: paris_time(row.created_at),
        finess: typed.finess,
        phone: typed.phone,
        editable: session.actor.is_admin() || session.actor.role == Role::Coordinator,
        sas_gap,
        fictitious_finess,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /cpts/{slug}`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> PageResult {
    cpts_page(&state, &session, &slug, None, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct IdentityForm {
    #[serde(default)]
    finess: String,
    #[serde(default)]
    phone: String,
}

/// `POST /cpts/{slug}/identite`: the FINESS number and phone the SAS shows.
pub async fn set_identity(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    Form(form): Form<IdentityForm>,
) -> PageResult {
    match cpts::set_identity(&state.app, &session.actor, &slug, &form.finess, &form.phone).await {
        Ok(()) => Ok(Redirect::to(&format!("/cpts/{slug}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            cpts_page(&state, &session, &slug, Some(form), errors).await
        }
        Err(error) => Err(error.into()),
    }
}
