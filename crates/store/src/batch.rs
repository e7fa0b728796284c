//! Bulk statements over both backends: multi-row INSERTs with typed values bound to
//! placeholders (anonymous `?` on SQLite, whose named-parameter lookups grow with their
//! number; `$N` on PostgreSQL); long `IN` lists as one JSON array unpacked by the
//! database itself (`json_each`, `jsonb_array_elements`); short `IN ($1, $2…)` lists.

use crate::Conn;
use crate::error::Result;
use sqlx::Row;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// Values bound per bulk INSERT (SQLite accepts up to 32,766, PostgreSQL 65,535).
const VALUES_PER_STATEMENT: usize = 16_000;

/// One value of a row to insert.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
    Real(Option<f64>),
}

pub fn text(value: &str) -> Cell<'_> {
    Cell::Text(Some(value))
}

pub fn maybe_text(value: &Option<String>) -> Cell<'_> {
    Cell::Text(value.as_deref())
}

pub fn int<'a>(value: i64) -> Cell<'a> {
    Cell::Int(Some(value))
}

pub fn maybe_int<'a>(value: Option<i64>) -> Cell<'a> {
    Cell::Int(value)
}

pub fn maybe_real<'a>(value: Option<f64>) -> Cell<'a> {
    Cell::Real(value)
}

/// The SQL type a JSON element is read as.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    Int,
}

fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// `VALUES (…), (…)` for `rows` rows of `columns` placeholders.
fn values_clause(postgres: bool, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6 + 8);
    sql.push_str("VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            if postgres {
                sql.push_str(&format!("${}", r * columns + c + 1));
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

/// The statement for one chunk of rows, with their values bound.
fn bound<'s, 'q: 's, T>(
    sql: &'s str,
    chunk: &'q [T],
    row: &impl Fn(&'q T) -> Vec<Cell<'q>>,
) -> Query<'s, sqlx::Any, AnyArguments<'s>> {
    let mut query = sqlx::query(sql);
    for r in chunk {
        for cell in row(r) {
            query = match cell {
                Cell::Text(v) => query.bind(v),
                Cell::Int(v) => query.bind(v),
                Cell::Real(v) => query.bind(v),
            };
        }
    }
    query
}

/// The statements of a bulk INSERT: `sql_of(values)` gives one around a VALUES clause,
/// made once per chunk size.
fn statements<T>(
    conn: &Conn,
    rows: &[T],
    columns: usize,
    sql_of: impl Fn(&str) -> String,
) -> (usize, String, String) {
    let per_statement = (VALUES_PER_STATEMENT / columns).max(1);
    let postgres = is_postgres(conn);
    let full = sql_of(&values_clause(postgres, per_statement, columns));
    let rest = rows.len() % per_statement;
    let last = sql_of(&values_clause(postgres, rest.max(1), columns));
    (per_statement, full, last)
}

/// Inserts `rows` in bulk: `sql_of(values)` gives the statement around a VALUES clause,
/// and `row` gives one row's `columns` values.
pub async fn insert_rows<'a, T>(
    conn: &mut Conn,
    rows: &'a [T],
    columns: usize,
    sql_of: impl Fn(&str) -> String,
    row: impl Fn(&'a T) -> Vec<Cell<'a>>,
) -> Result<()> {
    let (per_statement, full, last) = statements(conn, rows, columns, sql_of);
    for chunk in rows.chunks(per_statement) {
        let sql = if chunk.len() == per_statement {
            &full
        } else {
            &last
        };
        bound(sql, chunk, &row).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Like [`insert_rows`], for a statement ending in `RETURNING key, id`: the (key, id)
/// pairs it returns.
pub async fn insert_rows_returning<'a, T>(
    conn: &mut Conn,
    rows: &'a [T],
    columns: usize,
    sql_of: impl Fn(&str) -> String,
    row: impl Fn(&'a T) -> Vec<Cell<'a>>,
) -> Result<Vec<(String, i64)>> {
    let (per_statement, full, last) = statements(conn, rows, columns, sql_of);
    let mut returned = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(per_statement) {
        let sql = if chunk.len() == per_statement {
            &full
        } else {
            &last
        };
        for r in bound(sql, chunk, &row).fetch_all(&mut *conn).await? {
            returned.push((r.try_get(0)?, r.try_get(1)?));
        }
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
