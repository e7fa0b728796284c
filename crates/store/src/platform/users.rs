//! Repository of accounts and their credentials (password, TOTP), kept in separate tables
//! so that other ways to log in (Pro Santé Connect) can be added beside them.

use crate::Conn;
use crate::columns::Bit;
use crate::columns::Code;
use crate::error::Result;
use maillage_domain::Role;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "Code<Role>")]
    pub role: Role,
    pub cpts_id: Option<i64>,
    pub created_at: i64,
}

const COLUMNS: &str = "id, email, display_name, role, cpts_id, created_at";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub cpts_id: Option<i64>,
}

pub async fn insert(conn: &mut Conn, user: &NewUser<'_>, now: i64) -> Result<UserRow> {
    Ok(sqlx::query_as(&format!(
        "INSERT INTO users (email, display_name, role, cpts_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
    ))
    .bind(user.email)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.cpts_id)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<UserRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The display names of the accounts `ids` (those that still exist).
pub async fn display_names(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let select = "SELECT id, display_name FROM users WHERE id IN";
    crate::batch::fetch_for_ids(conn, select, "id", ids).await
}

pub async fn by_email(conn: &mut Conn, email: &str) -> Result<Option<UserRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
            .bind(email)
            .fetch_optional(conn)
            .await?,
    )
}

/// The accounts of one CPTS, or of the whole host when `cpts_id` is `None`.
pub async fn list(conn: &mut Conn, cpts_id: Option<i64>) -> Result<Vec<UserRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE $1 IS NULL OR cpts_id = $1 ORDER BY display_name"
    ))
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

pub async fn password_hash(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT hash FROM password_credentials WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn set_password_hash(conn: &mut Conn, user_id: i64, hash: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO password_credentials (user_id, hash, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TotpRow {
    /// The seed, sealed by the host's secret box unless `sealed` is 0 (an earlier version's).
    pub secret: Vec<u8>,
    #[sqlx(try_from = "Bit")]
    pub sealed: bool,
    pub confirmed_at: Option<i64>,
    pub last_step: Option<i64>,
}

pub async fn totp(conn: &mut Conn, user_id: i64) -> Result<Option<TotpRow>> {
    Ok(sqlx::query_as(
        "SELECT secret, sealed, confirmed_at, last_step FROM totp_credentials \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// Starts (or restarts) an enrolment: a new seed, sealed, not yet confirmed.
pub async fn set_pending_totp(conn: &mut Conn, user_id: i64, sealed_seed: &[u8]) -> Result<()> {
    sqlx::query(
        "INSERT INTO totp_credentials (user_id, secret, sealed, confirmed_at, last_step) \
         VALUES ($1, $2, 1, NULL, NULL) ON CONFLICT (user_id) DO UPDATE \
         SET secret = excluded.secret, sealed = 1, confirmed_at = NULL, last_step = NULL",
    )
    .bind(user_id)
    .bind(sealed_seed.to_vec())
    .execute(conn)
    .await?;
    Ok(())
}

/// The seeds an earlier version stored in clear, with their accounts.
pub async fn clear_totp_seeds(conn: &mut Conn) -> Result<Vec<(i64, Vec<u8>)>> {
    Ok(
        sqlx::query_as("SELECT user_id, secret FROM totp_credentials WHERE sealed = 0")
            .fetch_all(conn)
            .await?,
    )
}

/// Replaces the clear seed `clear` of an account by its sealed form; `false` when the row
/// changed meanwhile (another server sealed it, or the account enrolled again).
pub async fn seal_totp_seed(
    conn: &mut Conn,
    user_id: i64,
    clear: &[u8],
    sealed_seed: &[u8],
) -> Result<bool> {
    let updated = sqlx::query(
        "UPDATE totp_credentials SET secret = $3, sealed = 1 \
         WHERE user_id = $1 AND secret = $2 AND sealed = 0",
    )
    .bind(user_id)
    .bind(clear.to_vec())
    .bind(sealed_seed.to_vec())
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Records a used time step (and confirms the enrolment on first use). Returns `false` when
/// the step is not newer than the last one used, which refuses a replayed code.
pub async fn use_totp_step(conn: &mut Conn, user_id: i64, step: i64, now: i64) -> Result<bool> {
    let updated = sqlx::query(
        "UPDATE totp_credentials SET last_step = $2, confirmed_at = COALESCE(confirmed_at, $3) \
         WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)",
    )
    .bind(user_id)
    .bind(step)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// A regulator's identifier for the SAS, if they gave it.
pub async fn sas_operator_id(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT sas_operator_id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

/// Renames an account.
pub async fn set_display_name(conn: &mut Conn, user_id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE users SET display_name = $2 WHERE id = $1")
        .bind(user_id)
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_sas_operator_id(conn: &mut Conn, user_id: i64, id: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET sas_operator_id = $2 WHERE id = $1")
        .bind(user_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
