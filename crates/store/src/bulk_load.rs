//! Around a bulk load: the secondary indexes of the tables that start empty are dropped
//! first and built again at the end (sorting once is far cheaper than inserting a million
//! rows into each index), and on SQLite the connection keeps more pages in memory
//! meanwhile. The indexes are read from the database's catalogue, so the migrations stay
//! their only definition; indexes that back a key or a uniqueness constraint stay in place.
//! On PostgreSQL, whose foreign-key checks run row by row, the foreign keys of the empty
//! tables are likewise dropped and added back, which checks them in one pass.
//! Tables that hold rows keep their indexes and keys: readers on PostgreSQL would
//! otherwise wait for the whole load.

use crate::Conn;
use crate::batch::is_postgres;
use crate::db::SQLITE_PAGE_CACHE;
use crate::error::Result;

/// Page cache of a SQLite connection during a bulk load: 256 MiB (a negative size is in
/// KiB), so that the pages the load changes are not spilled to the journal and read back.
const LOAD_CACHE: &str = "PRAGMA cache_size = -262144";

/// The secondary indexes of `tables`: (name, statement that creates it).
async fn secondary_indexes(conn: &mut Conn, tables: &[&str]) -> Result<Vec<(String, String)>> {
    let names = serde_json::to_string(tables).expect("strings");
    let sql = if is_postgres(conn) {
        "SELECT CAST(i.indexname AS TEXT), i.indexdef FROM pg_indexes i \
         WHERE i.schemaname = current_schema() \
         AND i.tablename IN (SELECT value FROM jsonb_array_elements_text($1::jsonb)) \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
             WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) \
         ORDER BY i.indexname"
    } else {
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND tbl_name IN (SELECT value FROM json_each($1)) ORDER BY name"
    };
    Ok(sqlx::query_as(sql).bind(names).fetch_all(conn).await?)
}

/// A bulk load under way: which tables started empty, and the statements that put back
/// what was dropped.
pub struct Load {
    empty: Vec<String>,
    restores: Vec<String>,
}

impl Load {
    /// Whether `table` held no row when the load started.
    pub fn was_empty(&self, table: &str) -> bool {
        self.empty.iter().any(|t| t == table)
    }
}

/// Prepares `tables` for a bulk load in the current transaction.
pub async fn start(conn: &mut Conn, tables: &[&str]) -> Result<Load> {
    let mut empty = Vec::new();
    for table in tables {
        let rows: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS t"
        ))
        .fetch_one(&mut *conn)
        .await?;
        if rows == 0 {
            empty.push((*table).to_owned());
        }
    }
    let names: Vec<&str> = empty.iter().map(String::as_str).collect();
    let mut keys = Vec::new();
    if is_postgres(conn) {
        for (table, name, definition) in foreign_keys(conn, &names).await? {
            sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
                .execute(&mut *conn)
                .await?;
            keys.push(format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
            ));
        }
    }
    let mut restores = Vec::new();
    for (name, create) in secondary_indexes(conn, &names).await? {
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut *conn)
            .await?;
        restores.push(create);
    }
    restores.extend(keys);
    if !is_postgres(conn) {
        sqlx::query(LOAD_CACHE).execute(&mut *conn).await?;
    }
    Ok(Load { empty, restores })
}

/// The foreign keys of `tables` on PostgreSQL: (table, name, definition).
async fn foreign_keys(conn: &mut Conn, tables: &[&str]) -> Result<Vec<(String, String, String)>> {
    let names = serde_json::to_string(tables).expect("strings");
    Ok(sqlx::query_as(
        "SELECT CAST(t.relname AS TEXT), CAST(c.conname AS TEXT), pg_get_constraintdef(c.oid) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         WHERE c.contype = 'f' AND t.relnamespace = CAST(current_schema() AS regnamespace) \
         AND t.relname IN (SELECT value FROM jsonb_array_elements_text($1::jsonb)) \
         ORDER BY 1, 2",
    )
    .bind(names)
    .fetch_all(conn)
    .await?)
}

/// Builds the indexes and adds the keys [`start`] dropped, in the same transaction.
pub async fn finish(conn: &mut Conn, load: Load) -> Result<()> {
    for restore in &load.restores {
        sqlx::query(restore).execute(&mut *conn).await?;
    }
    if !is_postgres(conn) {
        sqlx::query(SQLITE_PAGE_CACHE).execute(&mut *conn).await?;
    }
    Ok(())
}
