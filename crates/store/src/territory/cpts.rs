//! Repository of CPTS: the tenants of a host.

use crate::Conn;
use crate::error::Result;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CptsRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub created_at: i64,
    /// Its FINESS number (9 characters), or empty until a coordinator gives it.
    pub finess: String,
    /// Its phone number, ten digits, or empty.
    pub phone: String,
}

const COLUMNS: &str = "id, slug, name, created_at, finess, phone";

pub async fn insert(conn: &mut Conn, slug: &str, name: &str, now: i64) -> Result<CptsRow> {
    Ok(sqlx::query_as(&format!(
        "INSERT INTO cpts (slug, name, created_at) VALUES ($1, $2, $3) RETURNING {COLUMNS}"
    ))
    .bind(slug)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn list(conn: &mut Conn) -> Result<Vec<CptsRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM cpts ORDER BY name"))
            .fetch_all(conn)
            .await?,
    )
}

pub async fn by_slug(conn: &mut Conn, slug: &str) -> Result<Option<CptsRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM cpts WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<CptsRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM cpts WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Records what the SAS is told of the CPTS: its FINESS number and phone.
pub async fn set_identity(conn: &mut Conn, id: i64, finess: &str, phone: &str) -> Result<()> {
    sqlx::query("UPDATE cpts SET finess = $2, phone = $3 WHERE id = $1")
        .bind(id)
        .bind(finess)
        .bind(phone)
        .execute(conn)
        .await?;
    Ok(())
}
