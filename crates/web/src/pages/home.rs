//! The home page of each role and the pages of the missions not built yet.

use crate::html::{Layout, MISSIONS, render};
use crate::pages::layout;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{MatchedPath, State};
use axum::response::Response;
use maillage_domain::Role;
use maillage_services::auth::Session;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    intro: &'static str,
}

pub async fn home(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
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
#[template(path = "mission.html")]
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
