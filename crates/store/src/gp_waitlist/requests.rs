//! Repository of the waiting list of patients without a médecin traitant: the requests of
//! each CPTS and their history.

use crate::Conn;
use crate::columns::Bit;
use crate::columns::Code;
use crate::error::Result;
use maillage_domain::gp_waitlist::states::{RequestChannel, RequestStatus};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub cpts_id: i64,
    pub last_name: String,
    pub birth_name: String,
    pub first_name: String,
    /// `AAAA-MM-JJ`.
    pub birth_date: String,
    pub sex: String,
    pub commune: String,
    pub commune_name: String,
    pub phone: String,
    pub email: String,
    #[sqlx(try_from = "Bit")]
    pub ald: bool,
    #[sqlx(try_from = "Bit")]
    pub c2s: bool,
    #[sqlx(try_from = "Bit")]
    pub disability: bool,
    #[sqlx(try_from = "Bit")]
    pub pregnancy: bool,
    #[sqlx(try_from = "Bit")]
    pub newly_arrived: bool,
    #[sqlx(try_from = "Bit")]
    pub gp_left: bool,
    pub note: String,
    #[sqlx(try_from = "Code<RequestChannel>")]
    pub channel: RequestChannel,
    pub name_key: String,
    #[sqlx(try_from = "Code<RequestStatus>")]
    pub status: RequestStatus,
    #[sqlx(try_from = "Bit")]
    pub priority_override: bool,
    pub override_comment: String,
    pub close_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub received_at: i64,
    /// Registered ahead of the departure of this member, their GP.
    pub departing_member_id: Option<i64>,
    /// That GP's name.
    pub departing_gp: Option<String>,
    /// When its history last had a step.
    pub last_step_at: i64,
}

/// A request to record, checked.
pub struct NewRequest<'a> {
    pub cpts_id: i64,
    pub last_name: &'a str,
    pub birth_name: &'a str,
    pub first_name: &'a str,
    pub birth_date: &'a str,
    pub sex: &'a str,
    pub commune: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    /// ALD, C2S, disability, pregnancy, newly arrived, GP left.
    pub situation: [bool; 6],
    pub note: &'a str,
    pub channel: RequestChannel,
    pub name_key: &'a str,
    pub indicator_group: &'a str,
    pub created_by: Option<i64>,
    pub departing_member_id: Option<i64>,
}

/// One step of a request's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub at: i64,
    pub actor_name: Option<String>,
    pub kind: String,
    pub detail: String,
}

const SELECT: &str = "SELECT r.id, r.cpts_id, r.last_name, r.birth_name, r.first_name, \
     r.birth_date, r.sex, r.commune, c.name AS commune_name, r.phone, r.email, r.ald, r.c2s, \
     r.disability, r.pregnancy, r.newly_arrived, r.gp_left, r.note, r.channel, r.name_key, \
     r.status, r.priority_override, r.override_comment, r.close_reason, r.merged_into, \
     r.received_at, r.departing_member_id, dp.first_name || ' ' || dp.last_name AS departing_gp, \
     (SELECT MAX(e.at) FROM gp_request_events e WHERE e.request_id = r.id) AS last_step_at \
     FROM gp_requests r JOIN communes c ON c.insee = r.commune \
     LEFT JOIN members dm ON dm.id = r.departing_member_id \
     LEFT JOIN professionals dp ON dp.id = dm.professional_id";

pub async fn insert(conn: &mut Conn, request: &NewRequest<'_>, now: i64) -> Result<i64> {
    let [ald, c2s, disability, pregnancy, newly_arrived, gp_left] =
        request.situation.map(i64::from);
    Ok(sqlx::query_scalar(
        "INSERT INTO gp_requests (cpts_id, last_name, birth_name, first_name, birth_date, sex, \
         commune, phone, email, ald, c2s, disability, pregnancy, newly_arrived, gp_left, note, \
         channel, name_key, received_at, created_by, indicator_group, departing_member_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22) RETURNING id",
    )
    .bind(request.cpts_id)
    .bind(request.last_name)
    .bind(request.birth_name)
    .bind(request.first_name)
    .bind(request.birth_date)
    .bind(request.sex)
    .bind(request.commune)
    .bind(request.phone)
    .bind(request.email)
    .bind(ald)
    .bind(c2s)
    .bind(disability)
    .bind(pregnancy)
    .bind(newly_arrived)
    .bind(gp_left)
    .bind(request.note)
    .bind(request.channel.code())
    .bind(request.name_key)
    .bind(now)
    .bind(request.created_by)
    .bind(request.indicator_group)
    .bind(request.departing_member_id)
    .fetch_one(conn)
    .await?)
}

/// Adds a step to a request's history.
pub async fn add_event(
    conn: &mut Conn,
    request_id: i64,
    actor_id: Option<i64>,
    kind: &str,
    detail: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO gp_request_events (request_id, at, actor_id, kind, detail) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(request_id)
    .bind(now)
    .bind(actor_id)
    .bind(kind)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// The open requests of a CPTS, oldest first.
pub async fn open_of_cpts(conn: &mut Conn, cpts_id: i64) -> Result<Vec<RequestRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE r.cpts_id = $1 AND r.status = 'open' ORDER BY r.received_at, r.id"
    ))
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

/// A request of the CPTS `cpts_id`.
pub async fn by_id(conn: &mut Conn, cpts_id: i64, id: i64) -> Result<Option<RequestRow>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE r.cpts_id = $1 AND r.id = $2"))
            .bind(cpts_id)
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The open requests of the same person (same names key and birth date), `except` aside.
pub async fn same_person(
    conn: &mut Conn,
    cpts_id: i64,
    name_key: &str,
    birth_date: &str,
    except: i64,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM gp_requests WHERE cpts_id = $1 AND birth_date = $2 AND name_key = $3 \
         AND status = 'open' AND id <> $4 ORDER BY id",
    )
    .bind(cpts_id)
    .bind(birth_date)
    .bind(name_key)
    .bind(except)
    .fetch_all(conn)
    .await?)
}

/// A request's history, oldest first.
pub async fn events(conn: &mut Conn, request_id: i64) -> Result<Vec<EventRow>> {
    Ok(sqlx::query_as(
        "SELECT e.at, u.display_name AS actor_name, e.kind, e.detail FROM gp_request_events e \
         LEFT JOIN users u ON u.id = e.actor_id WHERE e.request_id = $1 ORDER BY e.id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?)
}

/// Places an open request at the head of the list (`comment` says why), or back in its
/// place (`None`); `false` when it is not open.
pub async fn set_override(conn: &mut Conn, id: i64, comment: Option<&str>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE gp_requests SET priority_override = $2, override_comment = $3 \
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(i64::from(comment.is_some()))
    .bind(comment.unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes an open request; `false` when it was not open.
pub async fn close(
    conn: &mut Conn,
    id: i64,
    reason: &str,
    merged_into: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE gp_requests SET status = 'closed', close_reason = $2, merged_into = $3, \
         closed_at = $4 WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(reason)
    .bind(merged_into)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the situation of a request: ALD, C2S, disability, pregnancy, newly arrived,
/// GP left.
pub async fn set_situation(conn: &mut Conn, id: i64, situation: [bool; 6]) -> Result<()> {
    let [ald, c2s, disability, pregnancy, newly_arrived, gp_left] = situation.map(i64::from);
    sqlx::query(
        "UPDATE gp_requests SET ald = $2, c2s = $3, disability = $4, pregnancy = $5, \
         newly_arrived = $6, gp_left = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(ald)
    .bind(c2s)
    .bind(disability)
    .bind(pregnancy)
    .bind(newly_arrived)
    .bind(gp_left)
    .execute(conn)
    .await?;
    Ok(())
}

/// The open requests left without a step for their CPTS's number of days, and whose
/// coordinators were not reminded of them within as many days: (CPTS, request).
pub async fn stale(conn: &mut Conn, now: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT r.cpts_id, r.id FROM gp_requests r JOIN cpts c ON c.id = r.cpts_id \
         WHERE r.status = 'open' AND COALESCE(r.reminded_at, 0) <= $1 - c.gp_stale_after_days * 86400 \
         AND (SELECT MAX(e.at) FROM gp_request_events e WHERE e.request_id = r.id) \
         <= $1 - c.gp_stale_after_days * 86400 ORDER BY r.cpts_id, r.id",
    )
    .bind(now)
    .fetch_all(conn)
    .await?)
}

pub async fn mark_reminded(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE gp_requests SET reminded_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// After how many days without a step a request of the CPTS is reminded of.
pub async fn stale_after_days(conn: &mut Conn, cpts_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT gp_stale_after_days FROM cpts WHERE id = $1")
            .bind(cpts_id)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn set_stale_after_days(conn: &mut Conn, cpts_id: i64, days: i64) -> Result<()> {
    sqlx::query("UPDATE cpts SET gp_stale_after_days = $2 WHERE id = $1")
        .bind(cpts_id)
        .bind(days)
        .execute(conn)
        .await?;
    Ok(())
}

/// A CPTS's priority rules, as stored (see the domain's `Criterion::parse_rules`).
pub async fn rules(conn: &mut Conn, cpts_id: i64) -> Result<String> {
    Ok(
        sqlx::query_scalar("SELECT gp_priority_rules FROM cpts WHERE id = $1")
            .bind(cpts_id)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn set_rules(conn: &mut Conn, cpts_id: i64, rules: &str) -> Result<()> {
    sqlx::query("UPDATE cpts SET gp_priority_rules = $2 WHERE id = $1")
        .bind(cpts_id)
        .bind(rules)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks an open request fulfilled: its patient declared a médecin traitant.
pub async fn mark_found(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE gp_requests SET status = 'found', closed_at = $2 WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Empties the personal fields of the requests closed before `closed_before`, and the
/// details of their history; returns how many were purged.
pub async fn purge_closed(conn: &mut Conn, closed_before: i64, now: i64) -> Result<u64> {
    let which = "SELECT id FROM gp_requests WHERE status <> 'open' AND purged_at IS NULL \
         AND closed_at < $1";
    sqlx::query(&format!(
        "UPDATE gp_request_events SET detail = '' WHERE request_id IN ({which})"
    ))
    .bind(closed_before)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(&format!(
        "UPDATE gp_requests SET last_name = '', birth_name = '', first_name = '', \
         birth_date = '', phone = '', email = '', note = '', name_key = '', \
         override_comment = '', ald = 0, c2s = 0, disability = 0, pregnancy = 0, \
         newly_arrived = 0, gp_left = 0, purged_at = $2 WHERE id IN ({which})"
    ))
    .bind(closed_before)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// What the indicators of `[from, to)` read: the requests of a CPTS received in the period
/// or fulfilled in it, with their group, commune, dates and whether they were merged.
pub async fn outcomes(
    conn: &mut Conn,
    cpts_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<OutcomeRow>> {
    Ok(sqlx::query_as(
        "SELECT r.indicator_group, c.name AS commune_name, r.received_at, \
         CASE WHEN r.status = 'found' THEN r.closed_at END AS found_at, \
         CASE WHEN r.close_reason = 'merged' THEN 1 ELSE 0 END AS merged \
         FROM gp_requests r JOIN communes c ON c.insee = r.commune WHERE r.cpts_id = $1 \
         AND ((r.received_at >= $2 AND r.received_at < $3) \
         OR (r.status = 'found' AND r.closed_at >= $2 AND r.closed_at < $3))",
    )
    .bind(cpts_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutcomeRow {
    pub indicator_group: String,
    pub commune_name: String,
    pub received_at: i64,
    pub found_at: Option<i64>,
    #[sqlx(try_from = "Bit")]
    pub merged: bool,
}

/// Moves a request's date back to `received_at` when that is earlier (a merged duplicate
/// came first).
pub async fn keep_earliest_date(conn: &mut Conn, id: i64, received_at: i64) -> Result<()> {
    sqlx::query("UPDATE gp_requests SET received_at = $2 WHERE id = $1 AND received_at > $2")
        .bind(id)
        .bind(received_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The requests registered ahead of the departure of a member of the CPTS, oldest first.
pub async fn of_departing(
    conn: &mut Conn,
    cpts_id: i64,
    member_id: i64,
) -> Result<Vec<RequestRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE r.cpts_id = $1 AND r.departing_member_id = $2 \
         ORDER BY r.received_at, r.id"
    ))
    .bind(cpts_id)
    .bind(member_id)
    .fetch_all(conn)
    .await?)
}
