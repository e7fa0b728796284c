//! Alerts: a coordinator broadcasts a message (crisis, heatwave, vaccination campaign) to
//! every account of the CPTS or to the members of a topic thread, may ask for an
//! acknowledgement, sees who has and has not acknowledged, and sends reminders. The alert,
//! its recipients and the order to e-mail them are written in one transaction; the outbox
//! worker writes the e-mails themselves.

use super::thread_of_member;
use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::FieldErrors;
use maillage_domain::messaging::ThreadKind;
use maillage_domain::messaging::{parse_alert_title, parse_body};
use maillage_domain::platform::audit::Outcome;
use maillage_store::messaging::alerts::{self, AlertRow, NewAlert, ReceivedAlert, RecipientRow};
use maillage_store::messaging::threads::{self, ThreadRow};
use maillage_store::{Conn, Db, platform::outbox};

/// An alert as typed by its author.
#[derive(Debug, Clone, Default)]
pub struct AlertForm {
    pub title: String,
    pub body: String,
    /// The id of a topic thread whose members receive it; empty for every account.
    pub group: String,
    pub ack_required: bool,
}

/// An alert's page: what it says; for its recipient, their acknowledgement; for the
/// coordinators of its CPTS, who has and has not acknowledged.
pub struct AlertView {
    pub alert: AlertRow,
    /// `Some` for a recipient: when they acknowledged, if they did.
    pub receipt: Option<Option<i64>>,
    pub recipients: Option<Vec<RecipientRow>>,
}

/// The topic threads an alert may be sent to: the coordinator's own.
pub async fn groups(app: &App, actor: &Actor) -> ServiceResult<Vec<ThreadRow>> {
    let mut conn = app.db.conn().await?;
    let threads = threads::of_member(&mut conn, actor.user_id, false).await?;
    Ok(threads
        .into_iter()
        .filter(|t| t.kind == ThreadKind::Topic)
        .collect())
}

async fn group_of(conn: &mut Conn, actor: &Actor, raw: &str) -> Result<Option<i64>, ()> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let id: i64 = raw.trim().parse().map_err(|_| ())?;
    match thread_of_member(conn, actor, id).await {
        Ok(thread) if thread.kind == ThreadKind::Topic && thread.archived_at.is_none() => {
            Ok(Some(id))
        }
        _ => Err(()),
    }
}

/// A coordinator broadcasts an alert; returns its id.
pub async fn broadcast(app: &App, actor: &Actor, form: &AlertForm) -> ServiceResult<i64> {
    let cpts_id = access::coordinated(actor)?;
    let mut errors = FieldErrors::new();
    let title = errors.take("title", parse_alert_title(&form.title));
    let body = errors.take("body", parse_body(&form.body));
    let mut tx = app.db.begin().await?;
    let group = group_of(&mut tx, actor, &form.group).await;
    if group.is_err() {
        errors.add(
            "group",
            "Choisissez l’un de vos groupes de discussion, ou tous les comptes.",
        );
    }
    let (Some(title), Some(body), Ok(thread_id)) = (title, body, group) else {
        return Err(errors.into());
    };
    let now = app.now();
    let alert = NewAlert {
        cpts_id,
        title: &title,
        body: &body,
        thread_id,
        ack_required: form.ack_required,
        created_by: actor.user_id,
    };
    let (id, _) = alerts::insert(&mut tx, &alert, now).await?;
    outbox::add_fanout(&mut tx, id, 0, now).await?;
    let event = Event::new("alert.broadcast", Outcome::Success)
        .object("alert", id)
        .cpts(Some(cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    app.notifications.notify_one();
    Ok(id)
}

/// The alerts the actor received, newest first.
pub async fn received(app: &App, actor: &Actor) -> ServiceResult<Vec<ReceivedAlert>> {
    let mut conn = app.db.conn().await?;
    Ok(alerts::received(&mut conn, actor.user_id).await?)
}

/// The alerts of the coordinator's CPTS, with their acknowledgement counts.
pub async fn sent(app: &App, actor: &Actor) -> ServiceResult<Vec<AlertRow>> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    Ok(alerts::of_cpts(&mut conn, cpts_id).await?)
}

/// An alert, for its recipients and its CPTS's coordinators; `NotFound` for anyone else.
pub async fn show(app: &App, actor: &Actor, id: i64) -> ServiceResult<AlertView> {
    let mut conn = app.db.conn().await?;
    let alert = alerts::by_id(&mut conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let receipt = alerts::receipt(&mut conn, id, actor.user_id).await?;
    let coordinator = access::coordinated(actor).ok() == Some(alert.cpts_id);
    if receipt.is_none() && !coordinator {
        return Err(ServiceError::NotFound);
    }
    let recipients = match coordinator {
        true => Some(alerts::recipients(&mut conn, id).await?),
        false => None,
    };
    Ok(AlertView {
        alert,
        receipt,
        recipients,
    })
}

/// A recipient acknowledges an alert (again: nothing changes).
pub async fn acknowledge(app: &App, actor: &Actor, id: i64) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let alert = alerts::by_id(&mut tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if alerts::receipt(&mut tx, id, actor.user_id).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    if alerts::acknowledge(&mut tx, id, actor.user_id, app.now()).await? {
        let event = Event::new("alert.acknowledge", Outcome::Success)
            .object("alert", id)
            .cpts(Some(alert.cpts_id));
        audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    }
    Db::commit(tx).await?;
    Ok(())
}

/// A coordinator reminds those who have not acknowledged.
pub async fn remind(app: &App, actor: &Actor, id: i64) -> ServiceResult<()> {
    let cpts_id = access::coordinated(actor)?;
    let mut tx = app.db.begin().await?;
    let alert = alerts::by_id(&mut tx, id).await?;
    if alert.is_none_or(|a| a.cpts_id != cpts_id) {
        return Err(ServiceError::NotFound);
    }
    let round = alerts::add_reminder(&mut tx, id).await?;
    outbox::add_fanout(&mut tx, id, round, app.now()).await?;
    let event = Event::new("alert.remind", Outcome::Success)
        .object("alert", id)
        .cpts(Some(cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    app.notifications.notify_one();
    Ok(())
}
