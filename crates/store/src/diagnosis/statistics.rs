//! Repository of the statistical files a host imports for diagnoses (INSEE population by
//! sex and age band, patients in long-term illness, deaths), each replaced as a whole.

use crate::Conn;
use crate::batch::{
    Cell, Kind, fetch_for_codes, fetch_json_rows, insert_rows, int, json_list, maybe_real, text,
};
use crate::error::Result;
use maillage_domain::diagnosis::AGE_BANDS;

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
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
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

/// Replaces the communes' population by age with `rows`, each commune's both sexes per band,
/// and the sums of every department and region and of France over their communes
/// (arrondissements aside).
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
    .await?;
    sqlx::query("DELETE FROM area_population_ages")
        .execute(&mut *conn)
        .await?;
    // France is grouped by no column: PostgreSQL refuses a constant in GROUP BY.
    for (level, code, group) in [
        ("departement", "c.departement", "c.departement, "),
        ("region", "c.region", "c.region, "),
        ("france", "'FR'", ""),
    ] {
        sqlx::query(&format!(
            "INSERT INTO area_population_ages (level, code, sex, band, people) \
             SELECT '{level}', {code}, a.sex, a.band, SUM(a.people) FROM population_ages a \
             JOIN communes c ON c.insee = a.insee AND c.kind = 'commune' \
             GROUP BY {group}a.sex, a.band"
        ))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM commune_age_bands")
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO commune_age_bands (insee, {BANDS}) SELECT insee, {} \
         FROM population_ages GROUP BY insee",
        band_columns("people", "DOUBLE PRECISION")
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
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

/// Replaces the deaths with `rows`, and each area's and cause's per band.
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
    .await?;
    sqlx::query("DELETE FROM death_bands")
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO death_bands (level, code, cause, {BANDS}) SELECT level, code, cause, {} \
         FROM deaths GROUP BY level, code, cause",
        band_columns("deaths", "BIGINT")
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The age rows of the communes (or arrondissements) `codes`, each under its own code.
pub async fn ages_of_communes(conn: &mut Conn, codes: &[String]) -> Result<Vec<AgeRow>> {
    let select = "SELECT insee AS code, sex, band, people FROM population_ages WHERE insee IN";
    fetch_for_codes(conn, select, "insee, sex, band", codes).await
}

/// The age rows of the departments or regions `codes` (`level` is `departement` or
/// `region`), or of France (`france`, code `FR`): sums over their communes, arrondissements
/// aside.
pub async fn ages_of_areas(conn: &mut Conn, level: &str, codes: &[String]) -> Result<Vec<AgeRow>> {
    let sql = format!(
        "SELECT code, sex, band, people FROM area_population_ages WHERE level = $1 AND code IN {} \
         ORDER BY code, sex, band",
        json_list(conn, 2, Kind::Text)
    );
    Ok(sqlx::query_as(&sql)
        .bind(level)
        .bind(serde_json::to_string(codes).expect("strings"))
        .fetch_all(conn)
        .await?)
}

/// Every region's people of each age band, both sexes together.
pub async fn region_people_by_band(conn: &mut Conn) -> Result<Vec<(String, [f64; 6])>> {
    let sql = format!(
        "SELECT code, {} FROM area_population_ages WHERE level = 'region' GROUP BY code",
        band_columns("people", "DOUBLE PRECISION")
    );
    people_rows(conn, &sql).await
}

/// The ALD rows of the areas whose code is one of `codes`, at any level (the caller picks
/// each area's by its level: a department and a region may share a code).
pub async fn ald_of(conn: &mut Conn, codes: &[String]) -> Result<Vec<AldRow>> {
    // The level's condition lets the primary key (level, code, ald) find the codes.
    let select = "SELECT level, code, ald, patients FROM ald_patients \
        WHERE level IN ('commune', 'departement', 'region', 'france') AND code IN";
    fetch_for_codes(conn, select, "ald, level, code", codes).await
}

/// The six sums of `value` over INSEE's age bands, in the order of `AGE_BANDS`, as SQL
/// columns `b0`…`b5`, each cast to `kind`.
fn band_columns(value: &str, kind: &str) -> String {
    AGE_BANDS
        .iter()
        .enumerate()
        .map(|(i, band)| {
            format!(
                "CAST(SUM(CASE WHEN band = '{}' THEN {value} ELSE 0 END) AS {kind}) AS b{i}",
                band.code
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every commune's (and arrondissement's) people of each age band, both sexes together.
pub async fn people_by_band(conn: &mut Conn) -> Result<Vec<(String, [f64; 6])>> {
    let sql = format!("SELECT insee AS code, {BANDS} FROM commune_age_bands");
    people_rows(conn, &sql).await
}

/// The band columns' names.
const BANDS: &str = "b0, b1, b2, b3, b4, b5";

type Bands<T> = (T, T, T, T, T, T);

fn band_array<T>(b: Bands<T>) -> [T; 6] {
    [b.0, b.1, b.2, b.3, b.4, b.5]
}

/// The (code, people of each band) rows of `sql`.
async fn people_rows(conn: &mut Conn, sql: &str) -> Result<Vec<(String, [f64; 6])>> {
    let rows: Vec<(String, f64, f64, f64, f64, f64, f64)> =
        fetch_json_rows(conn, sql, &format!("code, {BANDS}"), None).await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.0, band_array((r.1, r.2, r.3, r.4, r.5, r.6))))
        .collect())
}

/// Deaths of one cause group in a commune or a region, per age band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeathsByBand {
    pub level: String,
    pub code: String,
    pub cause: String,
    pub deaths: [i64; 6],
}

/// The deaths of the communes and regions whose code is one of `codes` (all of them for
/// `None`), per age band.
pub async fn deaths_by_band(
    conn: &mut Conn,
    codes: Option<&[String]>,
) -> Result<Vec<DeathsByBand>> {
    let filter = match codes {
        Some(_) => format!("AND code IN {}", json_list(conn, 1, Kind::Text)),
        None => String::new(),
    };
    let query = format!(
        "SELECT level, code, cause, {BANDS} FROM death_bands \
         WHERE level IN ('commune', 'region') {filter}"
    );
    let list = codes.map(|c| serde_json::to_string(c).expect("strings"));
    type Row = (String, String, String, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = fetch_json_rows(
        conn,
        &query,
        &format!("level, code, cause, {BANDS}"),
        list.as_deref(),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DeathsByBand {
            level: r.0,
            code: r.1,
            cause: r.2,
            deaths: band_array((r.3, r.4, r.5, r.6, r.7, r.8)),
        })
        .collect())
}

/// Every ALD line of `level`.
pub async fn ald_of_level(conn: &mut Conn, level: &str) -> Result<Vec<AldRow>> {
    let columns = "level, code, ald, patients";
    let query = format!("SELECT {columns} FROM ald_patients WHERE level = $1 ORDER BY ald, code");
    fetch_json_rows(conn, &query, columns, Some(level)).await
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
