//! Around a bulk load: the secondary indexes of the tables that start empty are dropped
//! first and built again at the end (sorting once is far cheaper than inserting a million
//! rows into each index), and on SQLite the connection keeps more pages in memory
//! meanwhile. The indexes are read from the database's catalogue, so the migrations stay
//! their only definition; indexes that back a key or a uniqueness constraint stay in place.
//! Tables that hold rows keep their indexes: readers on PostgreSQL would otherwise wait
//! for the whole load.

use crate::Conn;
use crate::db::SQLITE_PAGE_CACHE;
use crate::error::Result;

/// Page cache of a SQLite connection during a bulk load: 256 MiB (a negative size is in
/// KiB), so that the pages the load changes are not spilled to the journal and read back.
const LOAD_CACHE: &str = "PRAGMA cache_size = -262144";

fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name() == "PostgreSQL"
}

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

/// A bulk load under way: which tables started empty, and the indexes to build again.
pub struct Load {
    empty: Vec<String>,
    creates: Vec<String>,
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
    let indexes = secondary_indexes(conn, &names).await?;
    for (name, _) in &indexes {
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut *conn)
            .await?;
    }
    if !is_postgres(conn) {
        sqlx::query(LOAD_CACHE).execute(&mut *conn).await?;
    }
    Ok(Load {
        empty,
        creates: indexes.into_iter().map(|(_, create)| create).collect(),
    })
}

/// Builds the indexes [`start`] dropped, in the same transaction.
pub async fn finish(conn: &mut Conn, load: Load) -> Result<()> {
    for create in &load.creates {
        sqlx::query(create).execute(&mut *conn).await?;
    }
    if !is_postgres(conn) {
        sqlx::query(SQLITE_PAGE_CACHE).execute(&mut *conn).await?;
    }
    Ok(())
}
