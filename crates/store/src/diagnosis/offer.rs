//! Repository of the offer of care: active professionals per profession (and specialty,
//! for doctors) in a commune, a department, a region or France, counted at each import
//! (by the import, as it writes the sites);
//! the names and populations of the areas a diagnosis compares with.

use crate::Conn;
use crate::batch::{Kind, fetch_for_codes, fetch_json_rows, insert_rows, int, json_list, text};
use crate::directory::general_practice::is_gp;
use crate::error::Result;

/// Where a commune counts at each level: its city (itself, or the city of which it is an
/// arrondissement), its department and region.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CommuneAreas {
    pub insee: String,
    pub city: String,
    pub departement: String,
    pub region: String,
}

/// Every commune with the areas it counts in.
pub async fn commune_areas(conn: &mut Conn) -> Result<Vec<CommuneAreas>> {
    let columns = "insee, city, departement, region";
    let query = "SELECT insee, COALESCE(parent, insee) AS city, departement, region FROM communes";
    fetch_json_rows(conn, query, columns, None).await
}

/// One count to keep: `level` is `commune`, `departement`, `region` or `france`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferCountRow {
    pub level: &'static str,
    pub code: String,
    pub profession: String,
    pub specialty: String,
    pub professionals: i64,
}

/// Replaces every count of the offer with `rows`.
pub async fn replace(conn: &mut Conn, rows: &[OfferCountRow]) -> Result<()> {
    sqlx::query("DELETE FROM offer_counts")
        .execute(&mut *conn)
        .await?;
    insert_rows(
        conn,
        rows,
        |rows| {
            format!(
                "INSERT INTO offer_counts (level, code, profession, specialty, professionals) {rows}"
            )
        },
        |r| {
            vec![
                text(r.level),
                text(&r.code),
                text(&r.profession),
                text(&r.specialty),
                int(r.professionals),
            ]
        },
    )
    .await
}

/// Professionals of one profession and specialty in one area.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct OfferCount {
    /// The area's code: a commune's, a department's, a region's, or `FR`.
    pub code: String,
    pub profession: String,
    pub specialty: String,
    pub professionals: i64,
}

/// Every count of `level` (`commune`, `departement`, `region` or `france`).
pub async fn of_level(conn: &mut Conn, level: &str) -> Result<Vec<OfferCount>> {
    let columns = "code, profession, specialty, professionals";
    let query = format!("SELECT {columns} FROM offer_counts WHERE level = $1");
    fetch_json_rows(conn, &query, columns, Some(level)).await
}

/// The counts of the areas `codes` of `level` (`departement`, `region` or `france`).
pub async fn of_areas(conn: &mut Conn, level: &str, codes: &[String]) -> Result<Vec<OfferCount>> {
    let sql = format!(
        "SELECT code, profession, specialty, professionals FROM offer_counts \
         WHERE level = $1 AND code IN {}",
        json_list(conn, 2, Kind::Text)
    );
    Ok(sqlx::query_as(&sql)
        .bind(level)
        .bind(serde_json::to_string(codes).expect("strings"))
        .fetch_all(conn)
        .await?)
}

/// The member GPs of a CPTS who accept new patients as médecin traitant, and the places a
/// month they offer (those who set no number count for none).
pub async fn accepting_gps(conn: &mut Conn, cpts_id: i64) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(m.new_patients_per_month), 0) AS BIGINT) \
         FROM members m JOIN professionals p ON p.id = m.professional_id \
         WHERE m.cpts_id = $1 AND m.accepts_new_patients = 1 AND p.active = 1 AND {}",
        is_gp("p")
    ))
    .bind(cpts_id)
    .fetch_one(conn)
    .await?)
}

/// Whether the directory holds active professionals of the synthetic directory.
pub async fn any_synthetic(conn: &mut Conn) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM professionals WHERE synthetic = 1 AND active = 1 LIMIT 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The file and end time of the last directory import, if any.
pub async fn last_import(conn: &mut Conn) -> Result<Option<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT file_name, finished_at FROM directory_imports ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?)
}

/// A department or region: code, name and legal population (its current communes',
/// arrondissements aside, summed when the territory is loaded).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AreaPopulation {
    pub code: String,
    pub name: String,
    /// A department's region; empty for a region.
    pub region: String,
    pub population: i64,
}

/// The departments `codes`, with each one's region.
pub async fn departements(conn: &mut Conn, codes: &[String]) -> Result<Vec<AreaPopulation>> {
    let select = "SELECT code, name, region, CAST(COALESCE(population, 0) AS BIGINT) AS population \
        FROM departements WHERE code IN";
    fetch_for_codes(conn, select, "code", codes).await
}

/// The regions `codes`: their departments' populations summed.
pub async fn regions(conn: &mut Conn, codes: &[String]) -> Result<Vec<AreaPopulation>> {
    let select = "SELECT r.code, r.name, CAST('' AS TEXT) AS region, \
        CAST(COALESCE(SUM(d.population), 0) AS BIGINT) AS population FROM regions r \
        LEFT JOIN departements d ON d.region = r.code GROUP BY r.code, r.name HAVING r.code IN";
    fetch_for_codes(conn, select, "r.code", codes).await
}

/// A department and how many of its communes of at least a given population the imported
/// directory has a practice site in.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DepartementSites {
    pub code: String,
    pub name: String,
    pub region: String,
    /// Its current communes (arrondissements aside) of at least the population asked.
    pub communes: i64,
    /// Those of them where an active professional practises, by the last import's counts.
    pub with_sites: i64,
}

/// Every department, with its communes of at least `min_population` inhabitants and how
/// many of them have practice sites in the last import's counts.
pub async fn departement_sites(
    conn: &mut Conn,
    min_population: i64,
) -> Result<Vec<DepartementSites>> {
    Ok(sqlx::query_as(
        "SELECT d.code, d.name, d.region, CAST(COUNT(c.insee) AS BIGINT) AS communes, \
         CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM offer_counts o \
             WHERE o.level = 'commune' AND o.code = c.insee) THEN 1 ELSE 0 END), 0) AS BIGINT) \
             AS with_sites \
         FROM departements d LEFT JOIN communes c ON c.departement = d.code \
         AND c.kind = 'commune' AND c.current = 1 AND c.population >= $1 \
         GROUP BY d.code, d.name, d.region ORDER BY d.code",
    )
    .bind(min_population)
    .fetch_all(conn)
    .await?)
}

/// The population of France: its departments'.
pub async fn france_population(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(population), 0) AS BIGINT) FROM departements")
            .fetch_one(conn)
            .await?,
    )
}
