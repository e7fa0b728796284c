//! Recording and reading the audit trail (its seal and verification are `audit_seal`).

use crate::access;
use crate::context::{Actor, App, RequestContext};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::Role;
use maillage_domain::platform::audit::{AuditRecord, ChainedRow, Outcome};
use maillage_store::{Conn, Db, platform::audit, platform::users};
use std::collections::HashMap;

/// What an audited event is about.
pub struct Event<'a> {
    pub action: &'a str,
    pub object_type: Option<&'a str>,
    pub object_id: Option<String>,
    pub cpts_id: Option<i64>,
    pub outcome: Outcome,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, outcome: Outcome) -> Self {
        Self {
            action,
            object_type: None,
            object_id: None,
            cpts_id: None,
            outcome,
        }
    }

    pub fn object(mut self, object_type: &'a str, id: impl ToString) -> Self {
        self.object_type = Some(object_type);
        self.object_id = Some(id.to_string());
        self
    }

    pub fn cpts(mut self, cpts_id: Option<i64>) -> Self {
        self.cpts_id = cpts_id;
        self
    }
}

/// Who acted: an authenticated user, or someone not (yet) identified.
pub enum Who<'a> {
    User(&'a Actor),
    /// A known account acting before its session exists (login, invitation).
    Account {
        user_id: Option<i64>,
        role: Option<Role>,
        request: &'a RequestContext,
    },
    /// The operator on the command line.
    System,
}

fn record(app: &App, who: &Who<'_>, event: &Event<'_>) -> AuditRecord {
    let (user_id, role, cpts, request_id) = match who {
        Who::User(a) => (
            Some(a.user_id),
            Some(a.role.as_str()),
            a.cpts_id,
            Some(&a.request),
        ),
        Who::Account {
            user_id,
            role,
            request,
        } => (*user_id, role.map(Role::as_str), None, Some(*request)),
        Who::System => (None, Some("system"), None, None),
    };
    AuditRecord {
        at: app.now(),
        actor_user_id: user_id,
        actor_role: role.map(str::to_owned),
        cpts_id: event.cpts_id.or(cpts),
        action: event.action.to_owned(),
        object_type: event.object_type.map(str::to_owned),
        object_id: event.object_id.clone(),
        request_id: request_id
            .map(|r| r.request_id.clone())
            .filter(|r| !r.is_empty()),
        outcome: event.outcome.as_str().to_owned(),
    }
}

/// Appends an event inside the caller's transaction (so it commits with the change).
pub async fn write_in(
    app: &App,
    conn: &mut Conn,
    who: &Who<'_>,
    event: Event<'_>,
) -> ServiceResult<()> {
    write_all_in(app, conn, who, &[event]).await
}

/// The trail's records of `events`, in their order.
pub(crate) fn records(app: &App, who: &Who<'_>, events: &[Event<'_>]) -> Vec<AuditRecord> {
    events.iter().map(|e| record(app, who, e)).collect()
}

/// Appends events, in their order, inside the caller's transaction.
pub async fn write_all_in(
    app: &App,
    conn: &mut Conn,
    who: &Who<'_>,
    events: &[Event<'_>],
) -> ServiceResult<()> {
    audit::append(conn, app.audit_seal.key(), &records(app, who, events)).await?;
    Ok(())
}

/// Appends an event in a transaction of its own (reads, refused attempts).
pub async fn write(app: &App, who: &Who<'_>, event: Event<'_>) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    write_in(app, &mut tx, who, event).await?;
    Db::commit(tx).await?;
    Ok(())
}

/// A page of the trail, newest first: administrators see all of it, coordinators their
/// CPTS's; others may not read it.
pub async fn trail(
    app: &App,
    actor: &Actor,
    before_seq: Option<i64>,
) -> ServiceResult<Vec<ChainedRow>> {
    let scope = access::keeps_accounts(actor)?;
    let mut conn = app.db.conn().await?;
    let rows = audit::page(&mut conn, scope.cpts_id(), before_seq, 100).await?;
    drop(conn);
    write(
        app,
        &Who::User(actor),
        Event::new("audit.read", Outcome::Success),
    )
    .await?;
    Ok(rows)
}

/// The display names of the accounts that a page of the trail mentions, for those who may
/// read it.
pub async fn account_names(
    app: &App,
    actor: &Actor,
    rows: &[ChainedRow],
) -> ServiceResult<HashMap<i64, String>> {
    if !matches!(actor.role, Role::Admin | Role::Coordinator) {
        return Err(ServiceError::Forbidden);
    }
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.record.actor_user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut conn = app.db.conn().await?;
    Ok(users::display_names(&mut conn, &ids)
        .await?
        .into_iter()
        .collect())
}
