//! Each CPTS's priority rules: the criteria that place a patient on the list, in the order
//! its coordinators choose (by default ALD, 70 or more, C2S), then the date of the request;
//! and after how many days without a step a request is stale and its coordinators reminded.

use crate::access;
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::FieldErrors;
use maillage_domain::gp_waitlist::Criterion;
use maillage_domain::platform::audit::Outcome;
use maillage_store::{Db, gp_waitlist::requests};

/// The actor's CPTS's rules.
pub async fn rules(app: &App, actor: &Actor) -> ServiceResult<Vec<Criterion>> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    Ok(Criterion::parse_rules(
        &requests::rules(&mut conn, cpts_id).await?,
    ))
}

/// Sets the rules from the rank typed for each criterion (`(code, rank)`, an empty rank
/// leaving the criterion out); ranks must differ.
pub async fn set_rules(
    app: &App,
    actor: &Actor,
    ranks: &[(String, String)],
) -> ServiceResult<Vec<Criterion>> {
    let cpts_id = access::coordinated(actor)?;
    let mut ranked: Vec<(u8, Criterion)> = Vec::new();
    let mut errors = FieldErrors::new();
    for (code, rank) in ranks {
        let (Some(criterion), rank) = (Criterion::from_code(code), rank.trim()) else {
            continue;
        };
        if rank.is_empty() {
            continue;
        }
        match rank.parse::<u8>() {
            Ok(n) if (1..=7).contains(&n) && !ranked.iter().any(|(r, _)| *r == n) => {
                ranked.push((n, criterion))
            }
            _ => errors.add(
                &format!("rank_{code}"),
                "Donnez à chaque critère retenu un rang différent, de 1 à 7.",
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    ranked.sort_by_key(|(rank, _)| *rank);
    let rules: Vec<Criterion> = ranked.into_iter().map(|(_, c)| c).collect();
    let mut tx = app.db.begin().await?;
    requests::set_rules(&mut tx, cpts_id, &Criterion::store_rules(&rules)).await?;
    let event = Event::new("gp_waitlist.rules", Outcome::Success)
        .object("cpts", cpts_id)
        .cpts(Some(cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    Ok(rules)
}

/// After how many days without a step the actor's CPTS deems a request stale.
pub async fn stale_after_days(app: &App, actor: &Actor) -> ServiceResult<i64> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    Ok(requests::stale_after_days(&mut conn, cpts_id).await?)
}

/// Sets the number of days, as typed, from 1 to 365.
pub async fn set_stale_after_days(app: &App, actor: &Actor, typed: &str) -> ServiceResult<i64> {
    let cpts_id = access::coordinated(actor)?;
    let Some(days) = typed
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=365).contains(d))
    else {
        let message = "Indiquez un nombre de jours entre 1 et 365.";
        return Err(FieldErrors::single("stale_after_days", message).into());
    };
    let mut tx = app.db.begin().await?;
    requests::set_stale_after_days(&mut tx, cpts_id, days).await?;
    let event = Event::new("gp_waitlist.reminders", Outcome::Success)
        .object("cpts", cpts_id)
        .cpts(Some(cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    Ok(days)
}
