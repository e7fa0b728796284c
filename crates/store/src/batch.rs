//! Bulk statements over both backends: multi-row INSERTs (typed values bound to anonymous
//! `?` placeholders on SQLite, whose named-parameter lookups grow with their number; one
//! JSON array of rows on PostgreSQL); long `IN` lists as one JSON array unpacked by the
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

/// Whether a connection is to PostgreSQL (the SQL of some statements differs).
pub(crate) fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// How the rows of a bulk INSERT reach the database. On SQLite, as `VALUES` lists of
/// anonymous placeholders. On PostgreSQL, as one JSON array of rows bound to `$1` and
/// unpacked by `jsonb_array_elements`: a single value to pass instead of thousands.
struct Plan {
    postgres: bool,
    rows_per_statement: usize,
    full: String,
    last: String,
}

/// JSON rows per statement on PostgreSQL.
const JSON_ROWS_PER_STATEMENT: usize = 2000;

impl Plan {
    /// `sql_of(rows)` gives the statement around what yields the rows; `first` is the
    /// first row, whose cells give the columns' types.
    fn new(conn: &Conn, count: usize, first: &[Cell], sql_of: impl Fn(&str) -> String) -> Self {
        let postgres = is_postgres(conn);
        let columns = first.len();
        let rows_per_statement = if postgres {
            JSON_ROWS_PER_STATEMENT
        } else {
            (VALUES_PER_STATEMENT / columns).max(1)
        };
        let source = |rows: usize| {
            if postgres {
                json_rows_select(first)
            } else {
                values_clause(rows, columns)
            }
        };
        let rest = (count % rows_per_statement).max(1);
        Self {
            postgres,
            rows_per_statement,
            full: sql_of(&source(rows_per_statement)),
            last: sql_of(&source(rest)),
        }
    }

    /// The statement for one chunk of rows, with their values bound.
    fn bound<'s, 'q: 's, T>(
        &'s self,
        chunk: &'q [T],
        row: &impl Fn(&'q T) -> Vec<Cell<'q>>,
    ) -> Query<'s, sqlx::Any, AnyArguments<'s>> {
        let sql = if chunk.len() == self.rows_per_statement {
            &self.full
        } else {
            &self.last
        };
        let mut query = sqlx::query(sql);
        if self.postgres {
            return query.bind(json_rows(chunk, row));
        }
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
}

/// `VALUES (?, ?…), (?, ?…)` for `rows` rows of `columns` values.
fn values_clause(rows: usize, columns: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    format!("VALUES {}", vec![row; rows].join(", "))
}

/// `SELECT j.value->>0, CAST(j.value->>1 AS BIGINT)… FROM <the rows of $1> WHERE true`
/// (the WHERE lets an upsert's ON CONFLICT be told from a join's ON).
fn json_rows_select(first: &[Cell]) -> String {
    let columns: Vec<String> = first
        .iter()
        .enumerate()
        .map(|(i, cell)| match cell {
            Cell::Text(_) => format!("j.value->>{i}"),
            Cell::Int(_) => format!("CAST(j.value->>{i} AS BIGINT)"),
            Cell::Real(_) => format!("CAST(j.value->>{i} AS DOUBLE PRECISION)"),
        })
        .collect();
    format!(
        "SELECT {} FROM jsonb_array_elements($1::jsonb) AS j(value) WHERE true",
        columns.join(", ")
    )
}

/// The rows of `chunk` as a JSON array of arrays, written straight into one buffer.
fn json_rows<'q, T>(chunk: &'q [T], row: &impl Fn(&'q T) -> Vec<Cell<'q>>) -> String {
    use std::io::Write;
    let mut out: Vec<u8> = Vec::with_capacity(chunk.len() * 128);
    out.push(b'[');
    for (i, r) in chunk.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        for (c, cell) in row(r).into_iter().enumerate() {
            if c > 0 {
                out.push(b',');
            }
            let written = match cell {
                Cell::Text(Some(v)) => serde_json::to_writer(&mut out, v).map_err(|_| ()),
                Cell::Int(Some(v)) => write!(out, "{v}").map_err(|_| ()),
                Cell::Real(Some(v)) if v.is_finite() => write!(out, "{v}").map_err(|_| ()),
                _ => out.write_all(b"null").map_err(|_| ()),
            };
            written.expect("writing to memory");
        }
        out.push(b']');
    }
    out.push(b']');
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Inserts `rows` in bulk: `sql_of(rows)` gives the statement around what yields the rows
/// (a VALUES list or a SELECT), and `row` gives one row's values.
pub async fn insert_rows<'a, T>(
    conn: &mut Conn,
    rows: &'a [T],
    sql_of: impl Fn(&str) -> String,
    row: impl Fn(&'a T) -> Vec<Cell<'a>>,
) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let plan = Plan::new(conn, rows.len(), &row(first), sql_of);
    for chunk in rows.chunks(plan.rows_per_statement) {
        plan.bound(chunk, &row).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Like [`insert_rows`], for a statement ending in `RETURNING key, id`: the (key, id)
/// pairs it returns.
pub async fn insert_rows_returning<'a, T>(
    conn: &mut Conn,
    rows: &'a [T],
    sql_of: impl Fn(&str) -> String,
    row: impl Fn(&'a T) -> Vec<Cell<'a>>,
) -> Result<Vec<(String, i64)>> {
    let mut returned = Vec::with_capacity(rows.len());
    let Some(first) = rows.first() else {
        return Ok(returned);
    };
    let plan = Plan::new(conn, rows.len(), &row(first), sql_of);
    for chunk in rows.chunks(plan.rows_per_statement) {
        for r in plan.bound(chunk, &row).fetch_all(&mut *conn).await? {
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

/// Every row of `query` (an SQL query whose result columns are `columns`, comma-separated,
/// binding `$1` to `bind` if given), read as one JSON array the database builds: tens of
/// thousands of rows come many times faster that way than one by one through the driver. Each
/// row becomes a `T` from the array of its values (a tuple, in the columns' order).
pub async fn fetch_json_rows<T: serde::de::DeserializeOwned>(
    conn: &mut Conn,
    query: &str,
    columns: &str,
    bind: Option<&str>,
) -> Result<Vec<T>> {
    let prefixed: Vec<String> = columns
        .split(',')
        .map(|c| format!("c.{}", c.trim()))
        .collect();
    let sql = format!(
        "SELECT {} FROM ({query}) AS c",
        json_aggregate(conn, &prefixed.join(", "))
    );
    let mut statement = sqlx::query_scalar(&sql);
    if let Some(value) = bind {
        statement = statement.bind(value);
    }
    let text: Option<String> = statement.fetch_one(&mut *conn).await?;
    serde_json::from_str(text.as_deref().unwrap_or("[]"))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)).into())
}

/// The rows of `select` (a query ending in `code IN`, completed here by the list of
/// `codes`), in the order `order`.
pub async fn fetch_for_codes<T>(
    conn: &mut Conn,
    select: &str,
    order: &str,
    codes: &[String],
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    fetch_in(conn, select, order, Kind::Text, codes).await
}

/// The rows of `select` (a query ending in `id IN`, completed here by the list of `ids`),
/// in the order `order`.
pub async fn fetch_for_ids<T>(
    conn: &mut Conn,
    select: &str,
    order: &str,
    ids: &[i64],
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    fetch_in(conn, select, order, Kind::Int, ids).await
}

async fn fetch_in<T, V: serde::Serialize>(
    conn: &mut Conn,
    select: &str,
    order: &str,
    kind: Kind,
    values: &[V],
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = format!("{select} {} ORDER BY {order}", json_list(conn, 1, kind));
    Ok(sqlx::query_as(&sql)
        .bind(serde_json::to_string(values).expect("values"))
        .fetch_all(conn)
        .await?)
}

/// `$first, $first+1, …` for `count` values, as in short `IN (…)` lists.
pub fn placeholder_list(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `column LIKE '%word%'` for each word of `key` (a search key, words separated by spaces),
/// so that words match in any order and across hyphens: « laurent barbier » finds
/// « barbier laurent ». `bind` binds a value and gives its placeholder.
pub fn contains_words(
    column: &str,
    key: &str,
    mut bind: impl FnMut(String) -> String,
) -> Vec<String> {
    key.split(' ')
        .filter(|word| !word.is_empty())
        .map(|word| format!("{column} LIKE {}", bind(format!("%{word}%"))))
        .collect()
}
