//! The home page of each role and the pages of the missions not built yet.

use crate::cookies;
use crate::html::layout;
use crate::html::{Layout, MISSIONS, render};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{MatchedPath, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use maillage_domain::Role;
use maillage_services::platform::auth::Session;

#[derive(Template)]
#[template(path = "platform/home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    intro: &'static str,
}

pub async fn home(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
) -> Response {
    // Logged in after asking for a page by its address (a slot sent by the SAS): that page.
    let asked = cookies::get(&headers, cookies::RETURN_TO);
    if let Some(target) = asked.as_deref().and_then(cookies::local_page) {
        let mut response = Redirect::to(target).into_response();
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::clear(cookies::RETURN_TO, state.config.secure_cookies),
        );
        return response;
    }
    let intro = match session.actor.role {
        Role::Admin => "Vous administrez l’hébergement : CPTS, comptes et journal d’audit.",
        Role::Coordinator => "Vous coordonnez la CPTS : voici ses missions.",
        Role::Member => "Voici les missions de votre CPTS auxquelles vous prenez part.",
        Role::Regulator => "Vous orientez les demandes de soins non programmés.",
    };
    let layout = layout(&state, &session, "Accueil", "").await;
    render(&HomePage {
        layout,
        name: session.actor.display_name.clone(),
        intro,
    })
}

#[derive(Template)]
#[template(path = "platform/mission.html")]
struct MissionPage {
    layout: Layout,
    label: &'static str,
    summary: &'static str,
}

/// A mission's area, which says plainly that it is not built yet.
pub async fn mission(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    path: MatchedPath,
) -> Response {
    let mission = MISSIONS
        .iter()
        .find(|m| m.path == path.as_str())
        .unwrap_or(&MISSIONS[0]);
    let layout = layout(&state, &session, mission.label, mission.path).await;
    render(&MissionPage {
        layout,
        label: mission.label,
        summary: mission.summary,
    })
}
