//! Repository of personal API tokens. Only a hash of each token is stored.

use crate::Conn;
use crate::error::Result;
use crate::platform::users::UserRow;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub expires_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, name, created_at, last_used_at, revoked_at, expires_at";

/// What a new token is.
pub struct NewToken<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub expires_at: Option<i64>,
}

pub async fn insert(conn: &mut Conn, token: &NewToken<'_>, now: i64) -> Result<ApiTokenRow> {
    Ok(sqlx::query_as(&format!(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
    ))
    .bind(token.user_id)
    .bind(token.name)
    .bind(token.token_hash)
    .bind(now)
    .bind(token.expires_at)
    .fetch_one(conn)
    .await?)
}

pub async fn list_for_user(conn: &mut Conn, user_id: i64) -> Result<Vec<ApiTokenRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// A live token and the account it acts for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenOwner {
    pub token_id: i64,
    pub token_last_used_at: Option<i64>,
    #[sqlx(flatten)]
    pub user: UserRow,
}

/// The live token (not revoked, not expired at `now`) with this hash, with its owner, in
/// one lookup.
pub async fn owner_of_live(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> Result<Option<TokenOwner>> {
    Ok(sqlx::query_as(
        "SELECT t.id AS token_id, t.last_used_at AS token_last_used_at, u.id, u.email, \
         u.display_name, u.role, u.cpts_id, u.created_at \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL \
         AND (t.expires_at IS NULL OR t.expires_at > $2)",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

pub async fn touch(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Revokes one of the user's own tokens. Returns `false` if no such live token is theirs.
pub async fn revoke(conn: &mut Conn, user_id: i64, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
