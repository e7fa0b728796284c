//! What a coordinator does with a request: place the patient at the head of the list with a
//! comment (or back in their place), merge a duplicate into another request of the same
//! person (which keeps the earlier date), close a request with a reason. Each step goes to the request's history and to
//! the audit trail, in the same transaction.

use super::queue::situation;
use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::FieldErrors;
use maillage_domain::gp_waitlist::states::RequestStatus;
use maillage_domain::gp_waitlist::{CLOSE_REASONS, close_reason_label, parse_priority_comment};
use maillage_domain::platform::audit::Outcome;
use maillage_store::Conn;
use maillage_store::gp_waitlist::proposals;
use maillage_store::gp_waitlist::requests::{self, RequestRow};

/// The open request `id` of the actor's CPTS.
async fn open_request(conn: &mut Conn, cpts_id: i64, id: i64) -> ServiceResult<RequestRow> {
    let request = requests::by_id(conn, cpts_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if request.status != RequestStatus::Open {
        return Err(FieldErrors::single("request", "Cette demande est close.").into());
    }
    Ok(request)
}

/// Closes an open request and withdraws the proposal waiting for it, freeing the GP's place.
async fn close_request(
    conn: &mut Conn,
    id: i64,
    reason: &str,
    merged_into: Option<i64>,
    now: i64,
) -> ServiceResult<()> {
    if !requests::close(conn, id, reason, merged_into, now).await? {
        return Err(FieldErrors::single("request", "Cette demande est close.").into());
    }
    proposals::withdraw_pending(conn, id, now).await?;
    Ok(())
}

async fn audit_step(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    request: &RequestRow,
) -> ServiceResult<()> {
    let event = Event::new(action, Outcome::Success)
        .object("gp_request", request.id)
        .cpts(Some(request.cpts_id));
    audit::write_in(app, conn, &Who::User(actor), event).await
}

/// Places the patient at the head of the list, `comment` saying why; `place: false` puts
/// them back where the rules place them.
pub async fn set_priority(
    app: &App,
    actor: &Actor,
    id: i64,
    place: bool,
    comment: &str,
) -> ServiceResult<()> {
    app.in_transaction(async |tx| set_priority_in(app, tx, actor, id, place, comment).await)
        .await
}

/// [`set_priority`] in the caller's transaction (a keyed API call's).
pub async fn set_priority_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    id: i64,
    place: bool,
    comment: &str,
) -> ServiceResult<()> {
    let cpts_id = access::coordinated(actor)?;
    let comment = if place {
        parse_priority_comment(comment)
            .map_err(|message| FieldErrors::single("comment", message))?
    } else {
        String::new()
    };
    let request = open_request(tx, cpts_id, id).await?;
    requests::set_override(tx, id, place.then_some(comment.as_str())).await?;
    let (kind, detail) = if place {
        ("priority_override", comment.as_str())
    } else {
        ("priority_restored", "")
    };
    requests::add_event(tx, id, Some(actor.user_id), kind, detail, app.now()).await?;
    audit_step(app, tx, actor, "gp_request.priority", &request).await?;
    Ok(())
}

/// Closes a request for one of [`CLOSE_REASONS`].
pub async fn close(app: &App, actor: &Actor, id: i64, reason: &str) -> ServiceResult<()> {
    app.in_transaction(async |tx| close_in(app, tx, actor, id, reason).await)
        .await
}

/// [`close`] in the caller's transaction (a keyed API call's).
pub async fn close_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> ServiceResult<()> {
    let cpts_id = access::coordinated(actor)?;
    if !CLOSE_REASONS.iter().any(|(code, _)| *code == reason) {
        return Err(FieldErrors::single("reason", "Choisissez le motif de la clôture.").into());
    }
    let request = open_request(tx, cpts_id, id).await?;
    let now = app.now();
    close_request(tx, id, reason, None, now).await?;
    let label = close_reason_label(reason).unwrap_or_default();
    requests::add_event(tx, id, Some(actor.user_id), "closed", label, now).await?;
    audit_step(app, tx, actor, "gp_request.close", &request).await?;
    Ok(())
}

/// Merges the request `id` into `into`, an open request of the same person: `into` takes
/// the earlier of the two dates and gains what `id` declared; `id` is closed as merged.
pub async fn merge(app: &App, actor: &Actor, id: i64, into: i64) -> ServiceResult<()> {
    app.in_transaction(async |tx| merge_in(app, tx, actor, id, into).await)
        .await
}

/// [`merge`] in the caller's transaction (a keyed API call's).
pub async fn merge_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    id: i64,
    into: i64,
) -> ServiceResult<()> {
    let cpts_id = access::coordinated(actor)?;
    let from = open_request(tx, cpts_id, id).await?;
    let kept = open_request(tx, cpts_id, into).await?;
    if id == into || from.name_key != kept.name_key || from.birth_date != kept.birth_date {
        return Err(FieldErrors::single(
            "into",
            "Seules deux demandes de la même personne (même nom, même date de naissance) se fusionnent.",
        )
        .into());
    }
    let now = app.now();
    let joined = situation(&kept).union(situation(&from));
    requests::set_situation(tx, into, joined.flags()).await?;
    requests::keep_earliest_date(tx, into, from.received_at).await?;
    close_request(tx, id, "merged", Some(into), now).await?;
    let merged_from = format!("demande n° {id}");
    requests::add_event(
        tx,
        into,
        Some(actor.user_id),
        "merged_from",
        &merged_from,
        now,
    )
    .await?;
    let merged_into = format!("demande n° {into}");
    requests::add_event(
        tx,
        id,
        Some(actor.user_id),
        "merged_into",
        &merged_into,
        now,
    )
    .await?;
    audit_step(app, tx, actor, "gp_request.merge", &from).await?;
    audit_step(app, tx, actor, "gp_request.merge", &kept).await?;
    Ok(())
}
