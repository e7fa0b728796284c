//! Repository of what the SAS platform is to be told of its regulators' bookings: a row per
//! booking of a request that came from the SAS, its version raised at each change, taken by
//! a worker under a lease and marked with the version the SAS took, or retried later.

use crate::Conn;
use crate::columns::Bit;
use crate::columns::Code;
use crate::error::Result;
use crate::leases::Queue;
use crate::native_sql::{self, NativeConn};
use maillage_domain::unscheduled_care::booking::BookingStatus;

/// A booking whose latest version the SAS has not taken yet, leased to a worker.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueAppointment {
    pub booking_id: i64,
    pub version: i64,
    /// Whether the SAS took the create already (this one goes as an update).
    #[sqlx(try_from = "Bit")]
    pub created: bool,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// What the SAS is told of a booking: no patient data.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppointmentContent {
    pub booking_id: i64,
    #[sqlx(try_from = "Code<BookingStatus>")]
    pub status: BookingStatus,
    pub booked_at: i64,
    pub start_at: i64,
    pub end_at: i64,
    /// The professional's national identifier, prefixed (`8` + RPPS).
    pub practitioner_id: String,
    /// The identifier for the SAS of the regulator who recorded the request, if they gave it.
    pub operator_id: Option<String>,
    /// Why a cancelled booking was cancelled (a code of the domain's `CANCEL_REASONS`).
    pub cancel_reason: Option<String>,
}

/// Where the SAS stands with a booking, for the request's page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Transmission {
    pub booking_id: i64,
    pub version: i64,
    pub sent_version: i64,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Records, in the caller's transaction, that the booking `booking_id` changed: when its
/// request came from the SAS, the SAS is to be told (again). Other bookings are left alone.
pub async fn touch(conn: &mut Conn, booking_id: i64, now: i64) -> Result<()> {
    sqlx::query(TOUCH)
        .bind(booking_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

const TOUCH: &str = "INSERT INTO snp_sas_appointments (booking_id, next_attempt_at) \
     SELECT b.id, $2 FROM snp_bookings b JOIN snp_requests r ON r.id = b.request_id \
     WHERE b.id = $1 AND r.channel = 'sas' \
     ON CONFLICT (booking_id) DO UPDATE SET version = snp_sas_appointments.version + 1, \
     next_attempt_at = $2, attempts = 0, failed_at = NULL";

/// [`touch`] on SQLite's native writer.
pub fn touch_native(conn: &NativeConn, booking_id: i64, now: i64) -> Result<()> {
    native_sql::execute(conn, TOUCH, &[&booking_id, &now])?;
    Ok(())
}

/// The bookings to send, taken by workers under a lease (`QUEUE.claim` gives DueAppointment).
pub const QUEUE: Queue = Queue {
    table: "snp_sas_appointments",
    key: "booking_id",
    pending: "sent_version < version AND failed_at IS NULL",
    order: "next_attempt_at, booking_id",
    returning: "booking_id, version, created, attempts",
};

/// The booking as the SAS is to see it now.
pub async fn content(conn: &mut Conn, booking_id: i64) -> Result<Option<AppointmentContent>> {
    Ok(sqlx::query_as(
        "SELECT b.id AS booking_id, b.status, b.booked_at, s.start_at, s.end_at, \
         p.national_id AS practitioner_id, u.sas_operator_id AS operator_id, b.cancel_reason \
         FROM snp_bookings b JOIN snp_slots s ON s.id = b.slot_id \
         JOIN members m ON m.id = s.member_id JOIN professionals p ON p.id = m.professional_id \
         JOIN snp_requests r ON r.id = b.request_id LEFT JOIN users u ON u.id = r.created_by \
         WHERE b.id = $1",
    )
    .bind(booking_id)
    .fetch_optional(conn)
    .await?)
}

/// Records that the SAS took `version` of the booking (and so its create).
pub async fn mark_sent(conn: &mut Conn, booking_id: i64, version: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE snp_sas_appointments SET sent_version = $2, created = 1, sent_at = $3, \
         lease_until = NULL, last_error = NULL, attempts = 0 \
         WHERE booking_id = $1 AND sent_version < $2",
    )
    .bind(booking_id)
    .bind(version)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Where the SAS stands with each booking of a request told to it.
pub async fn of_request(conn: &mut Conn, request_id: i64) -> Result<Vec<Transmission>> {
    Ok(sqlx::query_as(
        "SELECT a.booking_id, a.version, a.sent_version, a.sent_at, a.failed_at, a.last_error \
         FROM snp_sas_appointments a JOIN snp_bookings b ON b.id = a.booking_id \
         WHERE b.request_id = $1 ORDER BY a.booking_id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?)
}

/// Sends again at once what waited for the identifier of the regulator `user_id`: the
/// versions not taken of the bookings of the requests they recorded.
pub async fn retry_of_operator(conn: &mut Conn, user_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE snp_sas_appointments SET next_attempt_at = $2, attempts = 0, failed_at = NULL \
         WHERE sent_version < version AND booking_id IN (SELECT b.id FROM snp_bookings b \
         JOIN snp_requests r ON r.id = b.request_id WHERE r.created_by = $1)",
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
