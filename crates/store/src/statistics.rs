//! Repository of the statistical files a host imports for diagnoses (INSEE population by
//! sex and age band, patients in long-term illness, deaths), each replaced as a whole.

use crate::Conn;
use crate::batch::{Cell, Kind, insert_rows, int, json_list, maybe_real, text};
use crate::error::Result;

/// People of one sex and age band in a commune (or, summed, in an area).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AgeRow {
    pub code: String,
    /// `H` or `F`.
    pub sex: String,
    pub band: String,
    pub people: f64,
}

/// Patients in one group of long-term illness in an area of a level.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AldRow {
    pub level: String,
    pub code: String,
    pub ald: String,
    pub patients: i64,
}

/// Deaths of one age band and cause group in a commune or a region.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeathRow {
    pub level: String,
    pub code: String,
    pub band: String,
    pub cause: String,
    pub deaths: i64,
}

/// The last file imported of a kind (`population_ages`, `ald` or `deaths`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatisticsImport {
    pub kind: String,
    pub file_name: String,
    pub vintage: String,
    pub imported_at: i64,
    pub lines: i64,
}

/// Records the file just imported of `import.kind`, in place of the previous one.
pub async fn record_import(conn: &mut Conn, import: &StatisticsImport) -> Result<()> {
    sqlx::query(
        "INSERT INTO statistics_imports (kind, file_name, vintage, imported_at, lines) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind) DO UPDATE SET \
         file_name = excluded.file_name, vintage = excluded.vintage, \
         imported_at = excluded.imported_at, lines = excluded.lines",
    )
    .bind(&import.kind)
    .bind(&import.file_name)
    .bind(&import.vintage)
    .bind(import.imported_at)
    .bind(import.lines)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn imports(conn: &mut Conn) -> Result<Vec<StatisticsImport>> {
    Ok(sqlx::query_as(
        "SELECT kind, file_name, vintage, imported_at, lines FROM statistics_imports ORDER BY kind",
    )
    .fetch_all(conn)
    .await?)
}

/// Empties `table` and writes `rows` into `columns` in its place.
async fn replace<'a, T>(
    conn: &mut Conn,
    table: &str,
    columns: &str,
    rows: &'a [T],
    row: impl Fn(&'a T) -> Vec<Cell<'a>>,
) -> Result<()> {
    sqlx::query(&format!("DELETE FROM {table}"))
        .execute(&mut *conn)
        .await?;
    let sql_of = |values: &str| format!("INSERT INTO {table} ({columns}) {values}");
    insert_rows(conn, rows, sql_of, row).await
}

pub async fn replace_population_ages(conn: &mut Conn, rows: &[AgeRow]) -> Result<()> {
    replace(
        conn,
        "population_ages",
        "insee, sex, band, people",
        rows,
        |r| {
            let people = maybe_real(Some(r.people));
            vec![text(&r.code), text(&r.sex), text(&r.band), people]
        },
    )
    .await
}

pub async fn replace_ald(conn: &mut Conn, rows: &[AldRow]) -> Result<()> {
    replace(
        conn,
        "ald_patients",
        "level, code, ald, patients",
        rows,
        |r| vec![text(&r.level), text(&r.code), text(&r.ald), int(r.patients)],
    )
    .await
}

pub async fn replace_deaths(conn: &mut Conn, rows: &[DeathRow]) -> Result<()> {
    let columns = "level, code, band, cause, deaths";
    replace(conn, "deaths", columns, rows, |r| {
        let (level, code, band, cause) = (&r.level, &r.code, &r.band, &r.cause);
        vec![
            text(level),
            text(code),
            text(band),
            text(cause),
            int(r.deaths),
        ]
    })
    .await
}

/// The age rows of the communes (or arrondissements) `codes`, each under its own code.
pub async fn ages_of_communes(conn: &mut Conn, codes: &[String]) -> Result<Vec<AgeRow>> {
    let select = "SELECT insee AS code, sex, band, people FROM population_ages WHERE insee IN";
    of_codes(conn, select, "insee, sex, band", codes).await
}

/// The age rows of the departments or regions `codes` (`level` is `departement` or
/// `region`), or of France (`france`, code `FR`): sums over their communes, arrondissements
/// aside.
pub async fn ages_of_areas(conn: &mut Conn, level: &str, codes: &[String]) -> Result<Vec<AgeRow>> {
    // France is grouped by no column: PostgreSQL refuses a constant in GROUP BY.
    let (area, group) = match level {
        "departement" => ("c.departement", "c.departement, "),
        "region" => ("c.region", "c.region, "),
        _ => ("'FR'", ""),
    };
    let sql = format!(
        "SELECT {area} AS code, a.sex, a.band, SUM(a.people) AS people \
         FROM population_ages a JOIN communes c ON c.insee = a.insee AND c.kind = 'commune' \
         WHERE {area} IN {} GROUP BY {group}a.sex, a.band",
        json_list(conn, 1, Kind::Text)
    );
    Ok(sqlx::query_as(&sql)
        .bind(serde_json::to_string(codes).expect("strings"))
        .fetch_all(conn)
        .await?)
}

/// The rows of `select` (a query ending in `code IN <the list>`) for the codes `codes`.
async fn of_codes<T>(conn: &mut Conn, select: &str, order: &str, codes: &[String]) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = format!(
        "{select} {} ORDER BY {order}",
        json_list(conn, 1, Kind::Text)
    );
    Ok(sqlx::query_as(&sql)
        .bind(serde_json::to_string(codes).expect("strings"))
        .fetch_all(conn)
        .await?)
}

/// The ALD rows of the areas whose code is one of `codes`, at any level (the caller picks
/// each area's by its level: a department and a region may share a code).
pub async fn ald_of(conn: &mut Conn, codes: &[String]) -> Result<Vec<AldRow>> {
    let select = "SELECT level, code, ald, patients FROM ald_patients WHERE code IN";
    of_codes(conn, select, "ald, level, code", codes).await
}

/// The death rows of the communes and regions whose code is one of `codes`.
pub async fn deaths_of(conn: &mut Conn, codes: &[String]) -> Result<Vec<DeathRow>> {
    let select = "SELECT level, code, band, cause, deaths FROM deaths WHERE code IN";
    of_codes(conn, select, "cause, level, code, band", codes).await
}

/// Every code of `level` the territory knows: `commune` (communes and arrondissements,
/// former ones too), `departement` or `region`.
pub async fn known_codes(conn: &mut Conn, level: &str) -> Result<Vec<String>> {
    let sql = match level {
        "commune" => "SELECT insee FROM communes",
        "departement" => "SELECT code FROM departements",
        _ => "SELECT code FROM regions",
    };
    Ok(sqlx::query_scalar(sql).fetch_all(conn).await?)
}
