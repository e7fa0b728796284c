//! Repository of FINESS establishments: written by an import in batches, those absent
//! from a later file kept but inactive.

use crate::Conn;
use crate::batch::{Kind, insert_rows, int, json_list, maybe_real, maybe_text, text};
use crate::error::Result;

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct EstablishmentRow {
    pub finess: String,
    pub legal_finess: String,
    pub name: String,
    pub long_name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub commune: Option<String>,
    pub phone: String,
    pub category: String,
    pub category_label: String,
    pub siret: String,
    pub public_service: String,
    pub updated_on: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

const COLUMNS: &str = "finess, legal_finess, name, long_name, street, postcode, city, commune, \
     phone, category, category_label, siret, public_service, updated_on, latitude, longitude";

/// Inserts or updates establishments seen by the import `import_id` (active again).
pub async fn upsert(conn: &mut Conn, import_id: i64, rows: &[EstablishmentRow]) -> Result<()> {
    let updates: Vec<String> = COLUMNS
        .split(", ")
        .skip(1)
        .chain(["import_id", "active"])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let updates = updates.join(", ");
    insert_rows(
        conn,
        rows,
        |rows| {
            format!(
                "INSERT INTO establishments ({COLUMNS}, import_id, active) {rows} \
                 ON CONFLICT (finess) DO UPDATE SET {updates}"
            )
        },
        |e| {
            vec![
                text(&e.finess),
                text(&e.legal_finess),
                text(&e.name),
                text(&e.long_name),
                text(&e.street),
                text(&e.postcode),
                text(&e.city),
                maybe_text(&e.commune),
                text(&e.phone),
                text(&e.category),
                text(&e.category_label),
                text(&e.siret),
                text(&e.public_service),
                text(&e.updated_on),
                maybe_real(e.latitude),
                maybe_real(e.longitude),
                int(import_id),
                int(1),
            ]
        },
    )
    .await
}

/// How many establishments are active.
pub async fn active_count(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM establishments WHERE active = 1")
            .fetch_one(conn)
            .await?,
    )
}

/// Marks inactive the establishments this import did not see, but those whose FINESS
/// numbers are `kept`; returns how many.
pub async fn deactivate_unseen(conn: &mut Conn, import_id: i64, kept: &[String]) -> Result<i64> {
    let sql = format!(
        "UPDATE establishments SET active = 0 \
         WHERE active = 1 AND import_id <> $1 AND finess NOT IN {}",
        json_list(conn, 2, Kind::Text)
    );
    let done = sqlx::query(&sql)
        .bind(import_id)
        .bind(serde_json::to_string(kept).expect("strings"))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() as i64)
}

pub async fn by_finess(conn: &mut Conn, finess: &str) -> Result<Option<EstablishmentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM establishments WHERE finess = $1"
    ))
    .bind(finess)
    .fetch_optional(conn)
    .await?)
}
