//! Repository of unscheduled-care bookings: a slot taken for a request, then cancelled,
//! moved, honoured or missed; a professional's bookings and a request's.

use crate::Conn;
use crate::columns::Bit;
use crate::columns::Code;
use crate::error::Result;
use crate::native_sql::{self, NativeConn};
use maillage_domain::unscheduled_care::booking::BookingStatus;
use maillage_domain::unscheduled_care::slot_kinds::Mode;
use rusqlite::ToSql;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookingRow {
    pub id: i64,
    pub cpts_id: i64,
    pub slot_id: i64,
    pub request_id: i64,
    #[sqlx(try_from = "Bit")]
    pub extra: bool,
    #[sqlx(try_from = "Code<BookingStatus>")]
    pub status: BookingStatus,
    pub outcome: Option<String>,
    pub booked_at: i64,
    pub replaced_by: Option<i64>,
    /// When it was closed (cancelled, moved, honoured or missed), by whom, and why it was
    /// cancelled.
    pub closed_at: Option<i64>,
    pub closed_by_name: Option<String>,
    pub cancel_reason: Option<String>,
    pub start_at: i64,
    pub end_at: i64,
    pub member_id: i64,
    #[sqlx(try_from = "Code<Mode>")]
    pub mode: Mode,
    /// The professional whose slot it is, and where.
    pub title: String,
    pub last_name: String,
    pub first_name: String,
    pub place_name: String,
    pub street: String,
    pub postcode: String,
    pub commune_name: String,
    /// The practice's phone, as the member gave it (may be empty).
    pub place_phone: String,
}

const SELECT: &str = "SELECT b.id, b.cpts_id, b.slot_id, b.request_id, b.extra, b.status, \
     b.outcome, b.booked_at, b.replaced_by, b.closed_at, u.display_name AS closed_by_name, \
     b.cancel_reason, s.start_at, s.end_at, s.member_id, s.mode, \
     p.title, p.last_name, p.first_name, pl.name AS place_name, pl.street, pl.postcode, \
     c.name AS commune_name, pl.phone AS place_phone \
     FROM snp_bookings b JOIN snp_slots s ON s.id = b.slot_id \
     JOIN members m ON m.id = s.member_id JOIN professionals p ON p.id = m.professional_id \
     JOIN snp_places pl ON pl.id = s.place_id JOIN communes c ON c.insee = pl.commune \
     LEFT JOIN users u ON u.id = b.closed_by";

/// A booking to record; the caller took the slot first (or books an extra patient).
pub struct NewBooking {
    pub cpts_id: i64,
    pub slot_id: i64,
    pub request_id: i64,
    /// Beyond the slot's one patient.
    pub extra: bool,
    pub booked_by: Option<i64>,
    pub now: i64,
}

/// Records a booking.
pub async fn insert(conn: &mut Conn, booking: &NewBooking) -> Result<i64> {
    let b = booking;
    Ok(sqlx::query_scalar(INSERT)
        .bind(b.cpts_id)
        .bind(b.slot_id)
        .bind(b.request_id)
        .bind(i64::from(b.extra))
        .bind(b.now)
        .bind(b.booked_by)
        .fetch_one(conn)
        .await?)
}

const INSERT: &str = "INSERT INTO snp_bookings (cpts_id, slot_id, request_id, extra, \
                      booked_at, booked_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

/// [`insert`] on SQLite's native writer.
pub fn insert_native(conn: &NativeConn, booking: &NewBooking) -> Result<i64> {
    let b = booking;
    let extra = i64::from(b.extra);
    let values: [&dyn ToSql; 6] = [
        &b.cpts_id,
        &b.slot_id,
        &b.request_id,
        &extra,
        &b.now,
        &b.booked_by,
    ];
    native_sql::returning_id(conn, INSERT, &values)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<BookingRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The bookings of a request, oldest first.
pub async fn of_request(conn: &mut Conn, request_id: i64) -> Result<Vec<BookingRow>> {
    of_requests(conn, &[request_id]).await
}

/// The bookings of the requests whose ids are listed, oldest first.
pub async fn of_requests(conn: &mut Conn, request_ids: &[i64]) -> Result<Vec<BookingRow>> {
    let select = format!("{SELECT} WHERE b.request_id IN");
    crate::batch::fetch_for_ids(conn, &select, "b.id", request_ids).await
}

/// The live bookings of a member's slots between two instants, in time order.
pub async fn of_member(
    conn: &mut Conn,
    member_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<BookingRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE s.member_id = $1 AND s.start_at >= $2 AND s.start_at < $3 \
         AND b.status IN ('booked', 'seen', 'no_show') ORDER BY s.start_at, b.id"
    ))
    .bind(member_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// How a booking leaves `booked`: its new status, with the outcome of a consultation, the
/// booking that replaced it or why it was cancelled, by whom and when.
pub struct Closing<'a> {
    pub status: BookingStatus,
    pub outcome: Option<&'a str>,
    pub replaced_by: Option<i64>,
    pub cancel_reason: Option<&'a str>,
    pub closed_by: i64,
    pub now: i64,
}

/// Closes a booking still `booked`; whether it was.
pub async fn close(conn: &mut Conn, id: i64, closing: &Closing<'_>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE snp_bookings SET status = $2, outcome = $3, replaced_by = $4, \
         cancel_reason = $5, closed_by = $6, closed_at = $7 WHERE id = $1 AND status = 'booked'",
    )
    .bind(id)
    .bind(closing.status.code())
    .bind(closing.outcome)
    .bind(closing.replaced_by)
    .bind(closing.cancel_reason)
    .bind(closing.closed_by)
    .bind(closing.now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What became of a booking: its status and why it was cancelled.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutcomeRow {
    #[sqlx(try_from = "Code<BookingStatus>")]
    pub status: BookingStatus,
    pub cancel_reason: Option<String>,
}

/// What became of the bookings made for the requests of a CPTS received in `[from, to)`.
pub async fn outcomes(
    conn: &mut Conn,
    cpts_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<OutcomeRow>> {
    Ok(sqlx::query_as(
        "SELECT b.status, b.cancel_reason FROM snp_bookings b \
         JOIN snp_requests r ON r.id = b.request_id \
         WHERE r.cpts_id = $1 AND r.received_at >= $2 AND r.received_at < $3",
    )
    .bind(cpts_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// How many slots of a CPTS hold more than one live booking (not counting the patients
/// added beyond a slot).
pub async fn doubly_booked_slots(conn: &mut Conn, cpts_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT slot_id FROM snp_bookings WHERE cpts_id = $1 AND extra = 0 \
         AND status IN ('booked', 'seen', 'no_show') GROUP BY slot_id HAVING COUNT(*) > 1) AS d",
    )
    .bind(cpts_id)
    .fetch_one(conn)
    .await?)
}
