//! Multi-row statements over both backends: `INSERT … VALUES (…), (…)` in batches sized
//! for each, and `IN ($1, $2…)` lists.

use crate::Conn;
use crate::error::Result;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// Bound parameters per multi-row INSERT. SQLite looks `$N` names up linearly, so a
/// statement's cost grows with the square of its parameters: a few hundred is its sweet
/// spot, while PostgreSQL gains from fewer round trips.
fn batch_parameters(conn: &Conn) -> usize {
    if conn.backend_name() == "PostgreSQL" {
        8000
    } else {
        480
    }
}

/// `($1, $2), ($3, $4)…` for `rows` rows of `columns` values.
pub fn placeholders(rows: usize, columns: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let values: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect();
    tuples.join(", ")
}

/// Inserts `rows` in batches: `sql_of(values)` gives the statement for one batch's
/// placeholders and `bind` binds one row.
pub async fn insert_batches<T>(
    conn: &mut Conn,
    rows: &[T],
    columns: usize,
    sql_of: impl Fn(&str) -> String,
    bind: impl for<'q> Fn(
        Query<'q, sqlx::Any, AnyArguments<'q>>,
        &'q T,
    ) -> Query<'q, sqlx::Any, AnyArguments<'q>>,
) -> Result<()> {
    let batch_rows = (batch_parameters(conn) / columns).max(1);
    for batch in rows.chunks(batch_rows) {
        let sql = sql_of(&placeholders(batch.len(), columns));
        let mut query = sqlx::query(&sql);
        for row in batch {
            query = bind(query, row);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `$first, $first+1, …` for `count` values, as in `IN (…)`.
pub fn placeholder_list(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
