//! A member's personal calendar feed of unscheduled-care bookings, for their own agenda
//! software: a secret address, shown once and renewable, that gives the times and places
//! of their bookings and nothing about the patients.

use super::audited;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::secrets;
use maillage_store::unscheduled_care::bookings::{self, BookingRow};
use maillage_store::{Db, directory::members, unscheduled_care::calendar};

/// How far back the feed keeps past bookings, in days.
const PAST_DAYS: i64 = 30;
/// How far ahead it shows, in days.
const AHEAD_DAYS: i64 = 60;

/// Creates a new secret address for the actor's own feed; the former one stops working.
/// Returns the address, shown once.
pub async fn renew_link(app: &App, actor: &Actor) -> ServiceResult<String> {
    let mut tx = app.db.begin().await?;
    let member = members::by_user(&mut tx, actor.user_id)
        .await?
        .ok_or(ServiceError::Forbidden)?;
    let token = secrets::random_token(32);
    calendar::set_token(&mut tx, member.id, &secrets::token_hash(&token)).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp.calendar.renew",
        ("member", member.id),
        member.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(format!(
        "{}/soins-non-programmes/agenda/{token}",
        app.settings.public_url.trim_end_matches('/')
    ))
}

/// The bookings the feed of `token` gives: the last month's and the next two months'.
pub async fn feed(app: &App, token: &str) -> ServiceResult<Vec<BookingRow>> {
    let mut conn = app.db.conn().await?;
    let member_id = calendar::member_of(&mut conn, &secrets::token_hash(token))
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = app.now();
    Ok(bookings::of_member(
        &mut conn,
        member_id,
        now - PAST_DAYS * 86_400,
        now + AHEAD_DAYS * 86_400,
    )
    .await?)
}
