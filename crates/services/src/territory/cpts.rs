//! CPTS management: administrators create them; everyone sees only their own.

use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::common::validation::{parse_finess, parse_phone};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::{CptsName, FieldErrors, Role, Slug};
use maillage_store::territory::cpts::{self, CptsRow};
use maillage_store::{Conn, Db, StoreError};

/// Creates a CPTS (administrators only; `None` is the operator on the command line).
pub async fn create(
    app: &App,
    actor: Option<&Actor>,
    slug: &str,
    name: &str,
) -> ServiceResult<CptsRow> {
    let mut tx = app.db.begin().await?;
    let row = create_in(app, &mut tx, actor, slug, name).await?;
    Db::commit(tx).await?;
    Ok(row)
}

/// Creates a CPTS within the caller's transaction, with the same checks and audit.
pub(crate) async fn create_in(
    app: &App,
    tx: &mut Conn,
    actor: Option<&Actor>,
    slug: &str,
    name: &str,
) -> ServiceResult<CptsRow> {
    if actor.is_some_and(|a| !a.is_admin()) {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let slug = errors.take("slug", Slug::parse(slug));
    let name = errors.take("name", CptsName::parse(name));
    let (slug, name) = errors.into_result(|| (slug.expect("valid"), name.expect("valid")))?;
    let row = match cpts::insert(tx, slug.as_str(), name.as_str(), app.now()).await {
        Err(StoreError::Conflict) => {
            return Err(FieldErrors::single(
                "slug",
                "Cet identifiant est déjà utilisé par une autre CPTS.",
            )
            .into());
        }
        other => other?,
    };
    let who = actor.map_or(Who::System, Who::User);
    audit::write_in(
        app,
        tx,
        &who,
        Event::new("cpts.create", Outcome::Success)
            .object("cpts", row.id)
            .cpts(Some(row.id)),
    )
    .await?;
    Ok(row)
}

/// The CPTS the actor may see: all of them for administrators, else their own.
pub async fn list(app: &App, actor: &Actor) -> ServiceResult<Vec<CptsRow>> {
    let mut conn = app.db.conn().await?;
    let all = cpts::list(&mut conn).await?;
    Ok(all
        .into_iter()
        .filter(|c| access::sees(actor, c.id))
        .collect())
}

/// One CPTS by slug; not found when the actor may not see it.
pub async fn get(app: &App, actor: &Actor, slug: &str) -> ServiceResult<CptsRow> {
    let mut conn = app.db.conn().await?;
    cpts::by_slug(&mut conn, slug)
        .await?
        .filter(|c| access::sees(actor, c.id))
        .ok_or(ServiceError::NotFound)
}

/// One CPTS by id, for display (no authorisation: callers hold the id from their own data).
pub async fn by_id(app: &App, id: i64) -> ServiceResult<Option<CptsRow>> {
    let mut conn = app.db.conn().await?;
    Ok(cpts::by_id(&mut conn, id).await?)
}

/// Records the CPTS's FINESS number and phone, which the SAS shows with its slots
/// (administrators, and coordinators of that CPTS). Both may be left empty.
pub async fn set_identity(
    app: &App,
    actor: &Actor,
    slug: &str,
    finess: &str,
    phone: &str,
) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    let finess = match finess.trim() {
        "" => Some(String::new()),
        raw => errors.take("finess", parse_finess(raw)),
    };
    let phone = match phone.trim() {
        "" => Some(String::new()),
        raw => errors.take("phone", parse_phone(raw)),
    };
    let (finess, phone) = errors.into_result(|| (finess.expect("valid"), phone.expect("valid")))?;
    let mut tx = app.db.begin().await?;
    let row = cpts::by_slug(&mut tx, slug)
        .await?
        .filter(|c| access::sees(actor, c.id))
        .ok_or(ServiceError::NotFound)?;
    if !(actor.is_admin() || actor.role == Role::Coordinator) {
        return Err(ServiceError::Forbidden);
    }
    cpts::set_identity(&mut tx, row.id, &finess, &phone).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("cpts.identity", Outcome::Success)
            .object("cpts", row.id)
            .cpts(Some(row.id)),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}
