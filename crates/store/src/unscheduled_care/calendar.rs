//! Repository of members' calendar feeds: the hash of each member's secret feed token.

use crate::Conn;
use crate::error::Result;

/// Replaces the member's feed token: the former address stops working.
pub async fn set_token(conn: &mut Conn, member_id: i64, token_hash: &str) -> Result<()> {
    sqlx::query("UPDATE members SET calendar_token_hash = $2 WHERE id = $1")
        .bind(member_id)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// The member whose feed token has this hash.
pub async fn member_of(conn: &mut Conn, token_hash: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM members WHERE calendar_token_hash = $1")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?,
    )
}
