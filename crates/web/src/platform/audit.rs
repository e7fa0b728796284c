//! The audit trail page: the CPTS's events for a coordinator, all of them for an administrator.

use crate::html::layout;
use crate::html::{Layout, paris_time, render};
use crate::page_error::{PageError, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use maillage_domain::Role;
use maillage_domain::platform::audit_labels::{action_label, object_label};
use maillage_services::platform::audit;
use maillage_services::platform::auth::Session;
use serde::Deserialize;

pub struct EntryLine {
    seq: i64,
    at: String,
    actor: String,
    role: &'static str,
    /// What happened, in French, and the code the trail keeps.
    action: String,
    code: String,
    object: String,
    outcome: &'static str,
    request: String,
}

#[derive(Template)]
#[template(path = "platform/audit.html")]
struct AuditPage {
    layout: Layout,
    scope_all: bool,
    entries: Vec<EntryLine>,
    next_before: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    avant: Option<i64>,
}

fn outcome_fr(outcome: &str) -> &'static str {
    match outcome {
        "success" => "réussi",
        "failure" => "échec",
        "denied" => "refusé",
        _ => "?",
    }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<AuditQuery>,
) -> PageResult {
    let rows = audit::trail(&state.app, &session.actor, query.avant)
        .await
        .map_err(PageError::hiding)?;
    let names = audit::account_names(&state.app, &session.actor, &rows).await?;
    let next_before = if rows.len() == 100 {
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    let entries = rows
        .into_iter()
        .map(|row| {
            let r = row.record;
            EntryLine {
                seq: row.seq,
                at: paris_time(r.at),
                actor: match r.actor_user_id {
                    Some(id) => names
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| format!("compte supprimé (n° {id})")),
                    None => "—".to_owned(),
                },
                role: r
                    .actor_role
                    .as_deref()
                    .and_then(|code| Role::parse(code).ok())
                    .map_or("", Role::label_fr),
                action: action_label(&r.action).unwrap_or(&r.action).to_owned(),
                code: r.action.clone(),
                object: match (r.object_type, r.object_id) {
                    (Some(kind), Some(id)) => {
                        format!("{} {id}", object_label(&kind).unwrap_or(&kind))
                    }
                    _ => String::new(),
                },
                outcome: outcome_fr(&r.outcome),
                request: r.request_id.unwrap_or_default(),
            }
        })
        .collect();
    let page = AuditPage {
        layout: layout(&state, &session, "Journal d’audit", "").await,
        scope_all: session.actor.is_admin(),
        entries,
        next_before,
    };
    Ok(render(&page))
}
