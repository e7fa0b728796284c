//! Repository of proposals of waiting patients to member GPs, and of what the GPs of a CPTS
//! can take: their monthly capacity, what they already committed, where they practise.

use crate::Conn;
use crate::batch::is_postgres;
use crate::columns::Code;
use crate::directory::general_practice::is_gp;
use crate::error::Result;
use maillage_domain::gp_waitlist::states::ProposalStatus;

/// What a member GP who accepts new patients offered, and what they already committed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberCapacity {
    pub member_id: i64,
    pub user_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    /// `None`: no number given.
    pub per_month: Option<i64>,
    /// Proposals of the month, pending or accepted.
    pub committed: i64,
    /// The limits they set: see `members`.
    pub communes: String,
    pub min_age: Option<i64>,
    pub max_age: Option<i64>,
    pub departure_date: Option<String>,
}

/// A member GP who accepts new patients, with a commune where they practise.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GpCapacity {
    #[sqlx(flatten)]
    pub capacity: MemberCapacity,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub commune_name: String,
}

/// The member GPs with an account who accept new patients, and their commitments in `$2`.
const CAPACITY: &str = "SELECT m.id AS member_id, m.user_id, p.first_name, p.last_name, \
     m.new_patients_per_month AS per_month, \
     (SELECT COUNT(*) FROM gp_proposals g WHERE g.member_id = m.id AND g.month = $2 \
      AND g.status IN ('pending', 'accepted')) AS committed, \
     m.new_patient_communes AS communes, m.new_patient_min_age AS min_age, \
     m.new_patient_max_age AS max_age, m.departure_date";

const GP_MEMBERS: &str = "FROM members m JOIN professionals p ON p.id = m.professional_id";

/// The member `m`, professional `p`, is a GP with an account who accepts new patients.
fn taking() -> String {
    format!(
        "m.accepts_new_patients = 1 AND m.user_id IS NOT NULL AND {}",
        is_gp("p")
    )
}

/// The member GPs of a CPTS who accept new patients: one row per practice site.
pub async fn capacities(conn: &mut Conn, cpts_id: i64, month: &str) -> Result<Vec<GpCapacity>> {
    Ok(sqlx::query_as(&format!(
        "{CAPACITY}, c.latitude, c.longitude, s.commune_name {GP_MEMBERS} \
         JOIN practice_sites s ON s.professional_id = p.id \
         LEFT JOIN communes c ON c.insee = s.commune \
         WHERE m.cpts_id = $1 AND {} ORDER BY m.id, s.position",
        taking()
    ))
    .bind(cpts_id)
    .bind(month)
    .fetch_all(conn)
    .await?)
}

/// Holds the member's row until the transaction ends, so that two transactions counting
/// what the GP committed do it one after the other (SQLite's `BEGIN IMMEDIATE` already
/// serialises writers).
pub async fn lock_member(conn: &mut Conn, member_id: i64) -> Result<()> {
    if is_postgres(conn) {
        sqlx::query("SELECT id FROM members WHERE id = $1 FOR UPDATE")
            .bind(member_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// What a member offered and committed in `month`, or `None` when the member is no GP
/// taking new patients with an account to answer from.
pub async fn capacity_of(
    conn: &mut Conn,
    member_id: i64,
    month: &str,
) -> Result<Option<MemberCapacity>> {
    Ok(sqlx::query_as(&format!(
        "{CAPACITY} {GP_MEMBERS} WHERE m.id = $1 AND {}",
        taking()
    ))
    .bind(member_id)
    .bind(month)
    .fetch_optional(conn)
    .await?)
}

/// A proposal to write.
pub struct NewProposal<'a> {
    pub request_id: i64,
    pub member_id: i64,
    /// `AAAA-MM`, the month it counts in.
    pub month: &'a str,
    pub created_by: i64,
    /// The hash of the token of the link that answers it.
    pub answer_token_hash: &'a str,
}

/// Writes a pending proposal; `None` when the request already has one.
pub async fn insert(conn: &mut Conn, new: &NewProposal<'_>, now: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO gp_proposals (request_id, member_id, month, created_at, created_by, \
         answer_token_hash) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (request_id) WHERE status = 'pending' DO NOTHING RETURNING id",
    )
    .bind(new.request_id)
    .bind(new.member_id)
    .bind(new.month)
    .bind(now)
    .bind(new.created_by)
    .bind(new.answer_token_hash)
    .fetch_optional(conn)
    .await?)
}

/// A proposal, with the request it is about and the GP's account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProposalRow {
    pub id: i64,
    pub request_id: i64,
    pub member_id: i64,
    /// The CPTS of the GP and of the request.
    pub cpts_id: i64,
    pub member_user_id: Option<i64>,
    pub gp_name: String,
    #[sqlx(try_from = "Code<ProposalStatus>")]
    pub status: ProposalStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

const SELECT: &str = "SELECT g.id, g.request_id, g.member_id, m.cpts_id, \
     m.user_id AS member_user_id, \
     p.first_name || ' ' || p.last_name AS gp_name, g.status, g.created_at, g.decided_at \
     FROM gp_proposals g JOIN members m ON m.id = g.member_id \
     JOIN professionals p ON p.id = m.professional_id";

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<ProposalRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The proposal whose answer link has the token of this hash, while it has one.
pub async fn by_answer_token(conn: &mut Conn, token_hash: &str) -> Result<Option<ProposalRow>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE g.answer_token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(conn)
            .await?,
    )
}

/// The proposals made for a request, oldest first.
pub async fn of_request(conn: &mut Conn, request_id: i64) -> Result<Vec<ProposalRow>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE g.request_id = $1 ORDER BY g.id"))
            .bind(request_id)
            .fetch_all(conn)
            .await?,
    )
}

/// The pending proposals made to the GP whose account is `user_id`.
pub async fn pending_for_user(conn: &mut Conn, user_id: i64) -> Result<Vec<ProposalRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE m.user_id = $1 AND g.status = 'pending' ORDER BY g.id"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// Records the GP's answer to a pending proposal; `false` when it was no longer pending.
pub async fn decide(conn: &mut Conn, id: i64, accepted: bool, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE gp_proposals SET status = $2, decided_at = $3, answer_token_hash = NULL \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(if accepted { "accepted" } else { "declined" })
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The pending proposals made before `before` whose GP was not reminded yet.
pub async fn unanswered(conn: &mut Conn, before: i64) -> Result<Vec<ProposalRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE g.status = 'pending' AND g.created_at <= $1 AND g.reminded_at IS NULL \
         ORDER BY g.id"
    ))
    .bind(before)
    .fetch_all(conn)
    .await?)
}

/// Marks the GP reminded of a pending proposal; `false` when it was no longer pending.
pub async fn mark_reminded(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE gp_proposals SET reminded_at = $2 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws the pending proposal of a request that is being closed, freeing the GP's place.
pub async fn withdraw_pending(conn: &mut Conn, request_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE gp_proposals SET status = 'withdrawn', decided_at = $2, \
         answer_token_hash = NULL WHERE request_id = $1 AND status = 'pending'",
    )
    .bind(request_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
