//! The list by priority: each open request with where its patient stands under the CPTS's
//! rules and why, and the other open requests of the same person; one request with its
//! history.

use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::{Criterion, Situation, Standing, age_on};
use maillage_domain::platform::audit::Outcome;
use maillage_store::gp_waitlist::requests::{self, EventRow, RequestRow};

/// An open request in the list.
pub struct QueueEntry {
    pub request: RequestRow,
    pub standing: Standing,
    pub age: i32,
    /// Other open requests of the same person (same names and birth date).
    pub duplicates: Vec<i64>,
    /// Days since the last step of its history, once the CPTS deems it stale.
    pub idle_days: Option<i64>,
}

/// One request, its standing and its history.
pub struct RequestView {
    pub entry: QueueEntry,
    pub events: Vec<EventRow>,
}

pub(super) fn situation(request: &RequestRow) -> Situation {
    Situation {
        ald: request.ald,
        c2s: request.c2s,
        disability: request.disability,
        pregnancy: request.pregnancy,
        newly_arrived: request.newly_arrived,
        gp_left: request.gp_left,
    }
}

fn entry(
    request: RequestRow,
    rules: &[Criterion],
    today: CivilDate,
    duplicates: Vec<i64>,
) -> QueueEntry {
    let birth = CivilDate::parse(&request.birth_date).unwrap_or(today);
    QueueEntry {
        standing: Standing::of(rules, &situation(&request), birth, today),
        age: age_on(birth, today),
        duplicates,
        idle_days: None,
        request,
    }
}

async fn audit_read(app: &App, actor: &Actor, cpts_id: i64, id: Option<i64>) -> ServiceResult<()> {
    let event = match id {
        Some(id) => Event::new("gp_request.read", Outcome::Success).object("gp_request", id),
        None => Event::new("gp_request.list", Outcome::Success),
    };
    audit::write(app, &Who::User(actor), event.cpts(Some(cpts_id))).await
}

/// The open requests of the coordinator's CPTS, by priority: those a coordinator placed at
/// the head first, then the group of the first criterion met, then the date of the request.
pub async fn queue(app: &App, actor: &Actor) -> ServiceResult<Vec<QueueEntry>> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    let rows = requests::open_of_cpts(&mut conn, cpts_id).await?;
    let rules = Criterion::parse_rules(&requests::rules(&mut conn, cpts_id).await?);
    let stale_after_days = requests::stale_after_days(&mut conn, cpts_id).await?;
    drop(conn);
    let today = app.today();
    let now = app.now();
    let person = |r: &RequestRow| (r.name_key.clone(), r.birth_date.clone());
    let ids: Vec<((String, String), i64)> = rows.iter().map(|r| (person(r), r.id)).collect();
    let mut entries: Vec<QueueEntry> = rows
        .into_iter()
        .map(|request| {
            let same = ids
                .iter()
                .filter(|(who, id)| *who == person(&request) && *id != request.id)
                .map(|(_, id)| *id)
                .collect();
            let idle_days = (now - request.last_step_at) / 86_400;
            let stale = idle_days >= stale_after_days;
            QueueEntry {
                idle_days: stale.then_some(idle_days),
                ..entry(request, &rules, today, same)
            }
        })
        .collect();
    entries.sort_by_key(|e| {
        let placed_first = !e.request.priority_override;
        (
            placed_first,
            e.standing.group,
            e.request.received_at,
            e.request.id,
        )
    });
    audit_read(app, actor, cpts_id, None).await?;
    Ok(entries)
}

/// One request of the coordinator's CPTS.
pub async fn detail(app: &App, actor: &Actor, id: i64) -> ServiceResult<RequestView> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    let request = requests::by_id(&mut conn, cpts_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let duplicates = requests::same_person(
        &mut conn,
        cpts_id,
        &request.name_key,
        &request.birth_date,
        id,
    )
    .await?;
    let events = requests::events(&mut conn, id).await?;
    let rules = Criterion::parse_rules(&requests::rules(&mut conn, cpts_id).await?);
    drop(conn);
    audit_read(app, actor, cpts_id, Some(id)).await?;
    Ok(RequestView {
        entry: entry(request, &rules, app.today(), duplicates),
        events,
    })
}
