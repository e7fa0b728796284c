//! The host's CPTS: the administrator's list and creation form, and each CPTS's page.

use crate::html::{Layout, paris_time, render, render_form, service_error};
use crate::pages::layout;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_services::auth::Session;
use maillage_services::{ServiceError, cpts};
use serde::Deserialize;

pub struct CptsLine {
    slug: String,
    name: String,
    created: String,
}

#[derive(Template)]
#[template(path = "cpts_admin.html")]
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
) -> Response {
    if !session.actor.is_admin() {
        return service_error(ServiceError::NotFound);
    }
    let list = match cpts::list(&state.app, &session.actor).await {
        Ok(list) => list,
        Err(error) => return service_error(error),
    };
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
    render_form(&page, &page.errors)
}

pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
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
) -> Response {
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
        Err(ServiceError::Forbidden) => service_error(ServiceError::NotFound),
        Err(error) => service_error(error),
    }
}

#[derive(Template)]
#[template(path = "cpts.html")]
struct CptsPage {
    layout: Layout,
    name: String,
    slug: String,
    created: String,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> Response {
    match cpts::get(&state.app, &session.actor, &slug).await {
        Ok(row) => {
            let layout = layout(&state, &session, &row.name, "").await;
            render(&CptsPage {
                layout,
                name: row.name,
                slug: row.slug,
                created: paris_time(row.created_at),
            })
        }
        Err(error) => service_error(error),
    }
}
