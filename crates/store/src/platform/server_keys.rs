//! Repository of the keys the servers of one platform share.

use crate::Conn;
use crate::error::Result;

/// The key named `name`, made from `candidate` if no server made it yet.
pub async fn get_or_create(conn: &mut Conn, name: &str, candidate: &str) -> Result<String> {
    let made: Option<String> = sqlx::query_scalar("SELECT key FROM server_keys WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(key) = made {
        return Ok(key);
    }
    sqlx::query(
        "INSERT INTO server_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(candidate)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT key FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_one(conn)
            .await?,
    )
}
