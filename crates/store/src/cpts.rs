//! Repository of CPTS: the tenants of a host.

use crate::Conn;
use crate::error::Result;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CptsRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub created_at: i64,
}

pub async fn insert(conn: &mut Conn, slug: &str, name: &str, now: i64) -> Result<CptsRow> {
    Ok(sqlx::query_as(
        "INSERT INTO cpts (slug, name, created_at) VALUES ($1, $2, $3) \
         RETURNING id, slug, name, created_at",
    )
    .bind(slug)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn list(conn: &mut Conn) -> Result<Vec<CptsRow>> {
    Ok(
        sqlx::query_as("SELECT id, slug, name, created_at FROM cpts ORDER BY name")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn by_slug(conn: &mut Conn, slug: &str) -> Result<Option<CptsRow>> {
    Ok(
        sqlx::query_as("SELECT id, slug, name, created_at FROM cpts WHERE slug = $1")
            .bind(slug)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<CptsRow>> {
    Ok(
        sqlx::query_as("SELECT id, slug, name, created_at FROM cpts WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}
