//! Repository of unscheduled-care requests: recorded by a coordinator, a regulator or
//! through the API, listed for the CPTS, booked or closed.

use crate::Conn;
use crate::columns::Code;
use crate::error::Result;
use crate::native_sql::{self, NativeConn};
use maillage_domain::unscheduled_care::reasons::Reason;
use maillage_domain::unscheduled_care::request::{Caller, Mobility, OwnGp, Urgency};
use maillage_domain::unscheduled_care::states::{RequestChannel, RequestStatus};
use rusqlite::ToSql;

/// A request to record, checked.
pub struct NewSnpRequest<'a> {
    pub cpts_id: i64,
    pub channel: RequestChannel,
    /// Who called for the patient.
    pub caller: Caller,
    pub reason: Reason,
    pub detail: &'a str,
    pub urgency: Urgency,
    pub commune: &'a str,
    pub mobility: Mobility,
    pub own_gp: OwnGp,
    pub last_name: &'a str,
    pub first_name: &'a str,
    /// `AAAA-MM-JJ`.
    pub birth_date: &'a str,
    pub sex: &'a str,
    pub phone: &'a str,
    /// Open, or booked when the request is recorded with its booking.
    pub status: RequestStatus,
    pub received_at: i64,
    pub deadline_at: i64,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SnpRequestRow {
    pub id: i64,
    pub cpts_id: i64,
    #[sqlx(try_from = "Code<RequestChannel>")]
    pub channel: RequestChannel,
    #[sqlx(try_from = "Code<Caller>")]
    pub caller: Caller,
    #[sqlx(try_from = "Code<Reason>")]
    pub reason: Reason,
    pub detail: String,
    #[sqlx(try_from = "Code<Urgency>")]
    pub urgency: Urgency,
    pub commune: String,
    pub commune_name: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    #[sqlx(try_from = "Code<Mobility>")]
    pub mobility: Mobility,
    #[sqlx(try_from = "Code<OwnGp>")]
    pub own_gp: OwnGp,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub sex: String,
    pub phone: String,
    #[sqlx(try_from = "Code<RequestStatus>")]
    pub status: RequestStatus,
    pub close_reason: Option<String>,
    pub closed_at: Option<i64>,
    pub received_at: i64,
    pub deadline_at: i64,
    /// When the patient's personal data was emptied, at the end of its retention.
    pub purged_at: Option<i64>,
}

const SELECT: &str = "SELECT r.id, r.cpts_id, r.channel, r.caller, r.reason, r.detail, r.urgency, \
     r.commune, c.name AS commune_name, c.latitude, c.longitude, r.mobility, r.own_gp, \
     r.last_name, r.first_name, r.birth_date, r.sex, r.phone, r.status, r.close_reason, \
     r.closed_at, r.received_at, r.deadline_at, r.purged_at FROM snp_requests r JOIN communes c ON c.insee = r.commune";

pub async fn insert(conn: &mut Conn, request: &NewSnpRequest<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(INSERT)
        .bind(request.cpts_id)
        .bind(request.channel.code())
        .bind(request.reason.code())
        .bind(request.detail)
        .bind(request.urgency.code())
        .bind(request.commune)
        .bind(request.mobility.code())
        .bind(request.own_gp.code())
        .bind(request.last_name)
        .bind(request.first_name)
        .bind(request.birth_date)
        .bind(request.sex)
        .bind(request.phone)
        .bind(request.status.code())
        .bind(request.received_at)
        .bind(request.deadline_at)
        .bind(request.created_by)
        .bind(request.caller.code())
        .fetch_one(conn)
        .await?)
}

const INSERT: &str = "INSERT INTO snp_requests (cpts_id, channel, reason, detail, urgency, \
     commune, mobility, own_gp, last_name, first_name, birth_date, sex, phone, status, \
     received_at, deadline_at, created_by, caller) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
     $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id";

/// [`insert`] on SQLite's native writer.
pub fn insert_native(conn: &NativeConn, request: &NewSnpRequest<'_>) -> Result<i64> {
    let r = request;
    let values: [&dyn ToSql; 18] = [
        &r.cpts_id,
        &r.channel.code(),
        &r.reason.code(),
        &r.detail,
        &r.urgency.code(),
        &r.commune,
        &r.mobility.code(),
        &r.own_gp.code(),
        &r.last_name,
        &r.first_name,
        &r.birth_date,
        &r.sex,
        &r.phone,
        &r.status.code(),
        &r.received_at,
        &r.deadline_at,
        &r.created_by,
        &r.caller.code(),
    ];
    native_sql::returning_id(conn, INSERT, &values)
}

/// The request `id` of the CPTS `cpts_id`, if it is one of its requests.
pub async fn get(conn: &mut Conn, cpts_id: i64, id: i64) -> Result<Option<SnpRequestRow>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE r.id = $1 AND r.cpts_id = $2"))
            .bind(id)
            .bind(cpts_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The requests whose ids are listed.
pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<SnpRequestRow>> {
    crate::batch::fetch_for_ids(conn, &format!("{SELECT} WHERE r.id IN"), "r.id", ids).await
}

/// The requests of a CPTS still open, whenever received, the most pressing first; then
/// the others received since `since`, newest first.
pub async fn of_cpts(conn: &mut Conn, cpts_id: i64, since: i64) -> Result<Vec<SnpRequestRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE r.cpts_id = $1 AND (r.status = 'open' OR r.received_at >= $2) \
         ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, \
         CASE WHEN r.status = 'open' THEN r.deadline_at ELSE 0 END, r.received_at DESC \
         LIMIT 500"
    ))
    .bind(cpts_id)
    .bind(since)
    .fetch_all(conn)
    .await?)
}

/// Sets the status of a request (`open` again when its booking is cancelled, `booked`).
pub async fn set_status(conn: &mut Conn, id: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE snp_requests SET status = $2 WHERE id = $1 AND status <> 'closed'")
        .bind(id)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}

/// Corrects the phone and the detail of a request whose personal data is still kept;
/// `false` once it was emptied.
pub async fn correct(conn: &mut Conn, id: i64, phone: &str, detail: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE snp_requests SET phone = $2, detail = $3 WHERE id = $1 AND purged_at IS NULL",
    )
    .bind(id)
    .bind(phone)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes an open request without a booking through the CPTS, saying why.
pub async fn close(conn: &mut Conn, id: i64, reason: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE snp_requests SET status = 'closed', close_reason = $2, closed_at = $3 \
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(reason)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Empties the patient's personal data (name, birth date, phone, free text, the notes of
/// the desk's calls) of the requests received before `before` whose appointments, if any,
/// were all before it too; what the indicators count stays. Returns how many requests.
pub async fn purge(conn: &mut Conn, before: i64, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE snp_requests SET last_name = '', first_name = '', birth_date = '', \
         phone = '', detail = '', purged_at = $2 \
         WHERE purged_at IS NULL AND received_at < $1 AND NOT EXISTS (\
         SELECT 1 FROM snp_bookings b JOIN snp_slots s ON s.id = b.slot_id \
         WHERE b.request_id = snp_requests.id AND s.start_at >= $1)",
    )
    .bind(before)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE snp_request_calls SET note = '' WHERE request_id IN \
         (SELECT id FROM snp_requests WHERE purged_at = $1)",
    )
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// What the indicators read of a request: who called, its reason, when it came, its
/// earliest appointment still standing (booked, honoured or missed) with the professional's
/// profession, and where it stands (with why it was closed).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutcomeRow {
    #[sqlx(try_from = "Code<Caller>")]
    pub caller: Caller,
    #[sqlx(try_from = "Code<Reason>")]
    pub reason: Reason,
    pub received_at: i64,
    pub appointment_at: Option<i64>,
    pub profession: Option<String>,
    #[sqlx(try_from = "Code<RequestStatus>")]
    pub status: RequestStatus,
    pub close_reason: Option<String>,
}

/// The outcomes of the requests of a CPTS received in `[from, to)`.
pub async fn outcomes(
    conn: &mut Conn,
    cpts_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<OutcomeRow>> {
    Ok(sqlx::query_as(
        "SELECT r.caller, r.reason, r.received_at, s.start_at AS appointment_at, s.profession, \
         r.status, r.close_reason \
         FROM snp_requests r \
         LEFT JOIN snp_slots s ON s.id = ( \
             SELECT b.slot_id FROM snp_bookings b JOIN snp_slots bs ON bs.id = b.slot_id \
             WHERE b.request_id = r.id AND b.status IN ('booked', 'seen', 'no_show') \
             ORDER BY bs.start_at LIMIT 1) \
         WHERE r.cpts_id = $1 AND r.received_at >= $2 AND r.received_at < $3",
    )
    .bind(cpts_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}
