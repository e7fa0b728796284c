//! Bulk statements over both backends: rows sent as one JSON array bound to `$1` and
//! unpacked by the database itself (`json_each` in SQLite, `jsonb_array_elements` in
//! PostgreSQL), for INSERTs of thousands of rows and for long `IN` lists; and short
//! `IN ($1, $2…)` lists.

use crate::Conn;
use crate::error::Result;
use serde_json::Value;

/// Rows per bulk statement.
const BATCH_ROWS: usize = 2000;

/// The SQL type a JSON element is read as.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    Int,
    Real,
}

fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// A FROM item with one row per element of the JSON array bound as `$1`, the element in
/// column `j.value`.
fn json_rows(conn: &Conn) -> &'static str {
    if is_postgres(conn) {
        "jsonb_array_elements($1::jsonb) AS j(value)"
    } else {
        "json_each($1) AS j"
    }
}

/// `SELECT j.value->>0, CAST(j.value->>1 AS BIGINT)… FROM <the rows of $1> WHERE true`
/// (the WHERE lets SQLite tell an upsert's ON CONFLICT from a join's ON).
fn select_rows(conn: &Conn, kinds: &[Kind]) -> String {
    let columns: Vec<String> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| match kind {
            Kind::Text => format!("j.value->>{i}"),
            Kind::Int => format!("CAST(j.value->>{i} AS BIGINT)"),
            Kind::Real => format!("CAST(j.value->>{i} AS DOUBLE PRECISION)"),
        })
        .collect();
    format!(
        "SELECT {} FROM {} WHERE true",
        columns.join(", "),
        json_rows(conn)
    )
}

/// Inserts `rows` in bulk: `sql_of(select)` gives the statement around a SELECT that
/// yields the rows (columns of `kinds`, in order), and `row` gives one row's values.
pub async fn insert_rows<T>(
    conn: &mut Conn,
    rows: &[T],
    kinds: &[Kind],
    sql_of: impl Fn(&str) -> String,
    row: impl Fn(&T) -> Vec<Value>,
) -> Result<()> {
    let sql = sql_of(&select_rows(conn, kinds));
    for batch in rows.chunks(BATCH_ROWS) {
        let values: Vec<Value> = batch.iter().map(|r| Value::Array(row(r))).collect();
        sqlx::query(&sql)
            .bind(Value::Array(values).to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Like [`insert_rows`], for a statement ending in `RETURNING key, id`: the (key, id)
/// pairs it returns.
pub async fn insert_rows_returning<T>(
    conn: &mut Conn,
    rows: &[T],
    kinds: &[Kind],
    sql_of: impl Fn(&str) -> String,
    row: impl Fn(&T) -> Vec<Value>,
) -> Result<Vec<(String, i64)>> {
    let sql = sql_of(&select_rows(conn, kinds));
    let mut returned = Vec::with_capacity(rows.len());
    for batch in rows.chunks(BATCH_ROWS) {
        let values: Vec<Value> = batch.iter().map(|r| Value::Array(row(r))).collect();
        let pairs: Vec<(String, i64)> = sqlx::query_as(&sql)
            .bind(Value::Array(values).to_string())
            .fetch_all(&mut *conn)
            .await?;
        returned.extend(pairs);
    }
    Ok(returned)
}

/// `(SELECT … FROM <the elements of $N>)`: a subquery listing the values of a JSON array
/// bound as `$N`, read as `kind`, for `column IN …`.
pub fn json_list(conn: &Conn, n: usize, kind: Kind) -> String {
    let element = if is_postgres(conn) {
        format!("jsonb_array_elements_text(${n}::jsonb) AS j(value)")
    } else {
        format!("json_each(${n}) AS j")
    };
    let value = match kind {
        Kind::Text => "CAST(j.value AS TEXT)",
        Kind::Int => "CAST(j.value AS BIGINT)",
        Kind::Real => "CAST(j.value AS DOUBLE PRECISION)",
    };
    format!("(SELECT {value} FROM {element})")
}

/// An aggregate giving, as text, a JSON array with one array of `columns` (a comma-separated
/// list) per row of the group; NULL over no row.
pub fn json_aggregate(conn: &Conn, columns: &str) -> String {
    if is_postgres(conn) {
        format!("CAST(json_agg(json_build_array({columns})) AS TEXT)")
    } else {
        format!("json_group_array(json_array({columns}))")
    }
}

/// `$first, $first+1, …` for `count` values, as in short `IN (…)` lists.
pub fn placeholder_list(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
