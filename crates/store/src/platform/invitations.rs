//! Repository of invitations: single-use links, stored as a hash, that let a person create
//! the account an administrator or coordinator prepared for them.

use crate::Conn;
use crate::columns::Code;
use crate::error::Result;
use maillage_domain::Role;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "Code<Role>")]
    pub role: Role,
    pub cpts_id: Option<i64>,
    pub invited_by: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    /// The member the account is for, when invited from the member's page.
    pub member_id: Option<i64>,
}

const COLUMNS: &str = "id, email, display_name, role, cpts_id, invited_by, created_at, \
     expires_at, accepted_at, member_id";

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub cpts_id: Option<i64>,
    pub invited_by: i64,
    pub expires_at: i64,
    pub member_id: Option<i64>,
}

pub async fn insert(conn: &mut Conn, new: &NewInvitation<'_>, now: i64) -> Result<InvitationRow> {
    Ok(sqlx::query_as(&format!(
        "INSERT INTO invitations (token_hash, email, display_name, role, cpts_id, invited_by, \
         created_at, expires_at, member_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING {COLUMNS}"
    ))
    .bind(new.token_hash)
    .bind(new.email)
    .bind(new.display_name)
    .bind(new.role.as_str())
    .bind(new.cpts_id)
    .bind(new.invited_by)
    .bind(now)
    .bind(new.expires_at)
    .bind(new.member_id)
    .fetch_one(conn)
    .await?)
}

pub async fn by_token_hash(conn: &mut Conn, token_hash: &str) -> Result<Option<InvitationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invitations WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

/// Marks the invitation used. Returns `false` if it was already used, so that two
/// simultaneous acceptances cannot both succeed.
pub async fn mark_accepted(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The invitations of one CPTS, or of the whole host when `cpts_id` is `None`, newest first.
pub async fn list(conn: &mut Conn, cpts_id: Option<i64>) -> Result<Vec<InvitationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invitations WHERE $1 IS NULL OR cpts_id = $1 \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}
