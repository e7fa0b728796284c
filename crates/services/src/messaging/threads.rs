//! Threads and their members: a professional opens a thread about a patient or a topic with
//! colleagues of their CPTS, any member adds a colleague, members leave, a coordinator
//! archives; each member lists their threads with what they have not read.

use super::{cpts_of, thread_of_member};
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::messaging::ThreadKind;
use maillage_domain::messaging::{PatientFields, PatientIdentity, parse_topic};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::{FieldErrors, Role};
use maillage_store::messaging::threads::{self, NewPatient, ThreadRow};
use maillage_store::platform::users::{self, UserRow};
use maillage_store::{Conn, Db};

/// A thread to open, as typed: about a patient when `patient` is given, else on `topic`.
#[derive(Debug, Clone, Default)]
pub struct NewThread {
    pub patient: Option<PatientFields>,
    pub topic: String,
    /// The colleagues to gather, besides the author.
    pub members: Vec<i64>,
}

/// The accounts of the actor's CPTS, the author aside: whom they may gather in a thread.
pub async fn colleagues(app: &App, actor: &Actor) -> ServiceResult<Vec<UserRow>> {
    let cpts_id = cpts_of(actor)?;
    let mut conn = app.db.conn().await?;
    colleagues_in(&mut conn, cpts_id, actor.user_id).await
}

async fn colleagues_in(conn: &mut Conn, cpts_id: i64, user_id: i64) -> ServiceResult<Vec<UserRow>> {
    let all = users::list(conn, Some(cpts_id)).await?;
    Ok(all.into_iter().filter(|u| u.id != user_id).collect())
}

async fn audit_thread(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    thread: &ThreadRow,
) -> ServiceResult<()> {
    let event = Event::new(action, Outcome::Success)
        .object("thread", thread.id)
        .cpts(Some(thread.cpts_id));
    audit::write_in(app, conn, &Who::User(actor), event).await
}

/// Opens a thread with its first members; returns its id.
pub async fn create(app: &App, actor: &Actor, new: &NewThread) -> ServiceResult<i64> {
    let cpts_id = cpts_of(actor)?;
    let mut errors = FieldErrors::new();
    let (topic, patient) = match &new.patient {
        Some(fields) => match PatientIdentity::parse(fields, app.today()) {
            Ok(patient) => (String::new(), Some(patient)),
            Err(invalid) => {
                errors.merge(invalid);
                (String::new(), None)
            }
        },
        None => (
            errors
                .take("topic", parse_topic(&new.topic))
                .unwrap_or_default(),
            None,
        ),
    };
    let mut tx = app.db.begin().await?;
    let colleagues = colleagues_in(&mut tx, cpts_id, actor.user_id).await?;
    if new
        .members
        .iter()
        .any(|id| !colleagues.iter().any(|c| c.id == *id))
    {
        errors.add("members", "Choisissez des collègues de votre CPTS.");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let birth_date = patient.as_ref().map(|p| p.birth_date.iso());
    let stored = patient.as_ref().map(|p| NewPatient {
        last_name: &p.last_name,
        first_name: &p.first_name,
        birth_date: birth_date.as_deref().unwrap_or_default(),
        ins: p.ins.as_deref(),
    });
    let now = app.now();
    let id = threads::insert(
        &mut tx,
        cpts_id,
        &topic,
        stored.as_ref(),
        actor.user_id,
        now,
    )
    .await?;
    for user_id in std::iter::once(&actor.user_id).chain(&new.members) {
        threads::add_member(&mut tx, id, *user_id, now).await?;
    }
    let thread = thread_of_member(&mut tx, actor, id).await?;
    audit_thread(app, &mut tx, actor, "thread.create", &thread).await?;
    Db::commit(tx).await?;
    Ok(id)
}

/// A member adds a colleague of the thread's CPTS.
pub async fn add_member(
    app: &App,
    actor: &Actor,
    thread_id: i64,
    user_id: i64,
) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let thread = thread_of_member(&mut tx, actor, thread_id).await?;
    if thread.archived_at.is_some() {
        return Err(FieldErrors::single("member", "Cette discussion est archivée.").into());
    }
    let colleague = users::by_id(&mut tx, user_id).await?;
    if colleague.is_none_or(|c| c.cpts_id != Some(thread.cpts_id)) {
        return Err(FieldErrors::single("member", "Choisissez un collègue de votre CPTS.").into());
    }
    if !threads::add_member(&mut tx, thread_id, user_id, app.now()).await? {
        return Err(
            FieldErrors::single("member", "Ce collègue participe déjà à la discussion.").into(),
        );
    }
    let event = Event::new("thread.member_add", Outcome::Success)
        .object("thread", thread.id)
        .cpts(Some(thread.cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    Ok(())
}

/// The actor leaves a thread; they no longer read it.
pub async fn leave(app: &App, actor: &Actor, thread_id: i64) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let thread = thread_of_member(&mut tx, actor, thread_id).await?;
    threads::leave(&mut tx, thread_id, actor.user_id, app.now()).await?;
    audit_thread(app, &mut tx, actor, "thread.leave", &thread).await?;
    Db::commit(tx).await?;
    Ok(())
}

/// A coordinator of the thread's CPTS, member of it, archives it.
pub async fn archive(app: &App, actor: &Actor, thread_id: i64) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let thread = thread_of_member(&mut tx, actor, thread_id).await?;
    if actor.role != Role::Coordinator {
        return Err(ServiceError::Forbidden);
    }
    threads::archive(&mut tx, thread_id, app.now()).await?;
    audit_thread(app, &mut tx, actor, "thread.archive", &thread).await?;
    Db::commit(tx).await?;
    Ok(())
}

/// The actor's threads, most recently active first, open or archived. Listing names the
/// patients of the actor's patient threads, so it is audited when it does.
pub async fn list(app: &App, actor: &Actor, archived: bool) -> ServiceResult<Vec<ThreadRow>> {
    let mut conn = app.db.conn().await?;
    let rows = threads::of_member(&mut conn, actor.user_id, archived).await?;
    drop(conn);
    if rows.iter().any(|t| t.kind == ThreadKind::Patient) {
        let event = Event::new("thread.list", Outcome::Success).cpts(actor.cpts_id);
        audit::write(app, &Who::User(actor), event).await?;
    }
    Ok(rows)
}
