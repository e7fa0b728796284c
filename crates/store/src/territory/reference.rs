//! Repository of the territory: the national reference tables (regions, departments,
//! EPCI, communes) and the perimeter of each CPTS.

use crate::Conn;
use crate::batch::{
    fetch_json_rows, insert_rows, int, maybe_int, maybe_real, maybe_text, placeholder_list, text,
};
use crate::error::Result;

pub struct RegionRow {
    pub code: String,
    pub name: String,
}

pub struct DepartementRow {
    pub code: String,
    pub name: String,
    pub region: String,
}

pub struct EpciRow {
    pub siren: String,
    pub name: String,
    pub nature: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommuneRow {
    pub insee: String,
    pub kind: String,
    pub name: String,
    pub departement: String,
    pub region: String,
    pub epci: Option<String>,
    pub parent: Option<String>,
    pub postcodes: String,
    pub population: Option<i64>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A commune as stored, with the key its name is searched by.
pub struct CommuneRecord {
    pub row: CommuneRow,
    pub search_name: String,
}

/// A commune of some perimeter, and the CPTS whose perimeter it is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedCommune {
    pub insee: String,
    pub cpts_id: i64,
    pub cpts_name: String,
}

const COMMUNE_COLUMNS: &str = "insee, kind, name, departement, region, epci, parent, \
     postcodes, population, latitude, longitude";

pub async fn reference_version(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT version FROM reference_data WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn set_reference_version(
    conn: &mut Conn,
    name: &str,
    version: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO reference_data (name, version, loaded_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, loaded_at = excluded.loaded_at",
    )
    .bind(name)
    .bind(version)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes a complete vintage of the reference tables: rows are inserted or updated, and
/// communes absent from this vintage are kept (perimeters may name them) but marked
/// as no longer current.
pub async fn replace_reference(
    conn: &mut Conn,
    regions: &[RegionRow],
    departements: &[DepartementRow],
    epcis: &[EpciRow],
    communes: &[CommuneRecord],
) -> Result<()> {
    replace_areas(conn, regions, departements, epcis).await?;
    replace_communes(conn, communes).await?;
    sqlx::query(DEPARTEMENT_POPULATIONS)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes the regions, departments and EPCI, each replacing the one of its code.
async fn replace_areas(
    conn: &mut Conn,
    regions: &[RegionRow],
    departements: &[DepartementRow],
    epcis: &[EpciRow],
) -> Result<()> {
    insert_rows(
        conn,
        regions,
        |rows| {
            format!(
                "INSERT INTO regions (code, name) {rows} \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name"
            )
        },
        |r| vec![text(&r.code), text(&r.name)],
    )
    .await?;
    insert_rows(
        conn,
        departements,
        |rows| {
            format!(
                "INSERT INTO departements (code, name, region) {rows} \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, region = excluded.region"
            )
        },
        |d| vec![text(&d.code), text(&d.name), text(&d.region)],
    )
    .await?;
    insert_rows(
        conn,
        epcis,
        |rows| {
            format!(
                "INSERT INTO epcis (siren, name, nature) {rows} \
                 ON CONFLICT (siren) DO UPDATE SET name = excluded.name, nature = excluded.nature"
            )
        },
        |e| vec![text(&e.siren), text(&e.name), text(&e.nature)],
    )
    .await
}

/// Writes the communes of the current vintage, each replacing the one of its code; those
/// it no longer has stay, no longer current.
async fn replace_communes(conn: &mut Conn, communes: &[CommuneRecord]) -> Result<()> {
    sqlx::query("UPDATE communes SET current = 0")
        .execute(&mut *conn)
        .await?;
    insert_rows(
        conn,
        communes,
        |rows| {
            format!(
                "INSERT INTO communes ({COMMUNE_COLUMNS}, search_name) {rows} \
                 ON CONFLICT (insee) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
                 departement = excluded.departement, region = excluded.region, \
                 epci = excluded.epci, parent = excluded.parent, postcodes = excluded.postcodes, \
                 population = excluded.population, latitude = excluded.latitude, \
                 longitude = excluded.longitude, search_name = excluded.search_name, current = 1"
            )
        },
        |c| {
            let r = &c.row;
            vec![
                text(&r.insee),
                text(&r.kind),
                text(&r.name),
                text(&r.departement),
                text(&r.region),
                maybe_text(&r.epci),
                maybe_text(&r.parent),
                text(&r.postcodes),
                maybe_int(r.population),
                maybe_real(r.latitude),
                maybe_real(r.longitude),
                text(&c.search_name),
            ]
        },
    )
    .await
}

/// Sets each department's legal population to its current communes' (arrondissements
/// aside), as the migration that added the column did.
const DEPARTEMENT_POPULATIONS: &str = "UPDATE departements SET population = (SELECT \
     CAST(COALESCE(SUM(c.population), 0) AS BIGINT) FROM communes c \
     WHERE c.departement = departements.code AND c.kind = 'commune' AND c.current = 1)";

/// Current communes whose name starts with `name_key` (a search key), whose postcodes
/// contain `postcode`, or that belong to the EPCI whose SIREN or name key matches.
pub async fn find_communes(conn: &mut Conn, name_key: &str, limit: i64) -> Result<Vec<CommuneRow>> {
    let prefix = format!("{name_key}%");
    let words = format!("% {name_key}%");
    let postcode = format!("%{name_key}%");
    Ok(sqlx::query_as(&format!(
        "SELECT {COMMUNE_COLUMNS} FROM communes WHERE current = 1 AND \
         (search_name LIKE $1 OR search_name LIKE $2 OR postcodes LIKE $3 OR insee = $4) \
         ORDER BY CASE WHEN search_name LIKE $1 THEN 0 ELSE 1 END, population DESC, insee \
         LIMIT $5"
    ))
    .bind(&prefix)
    .bind(&words)
    .bind(&postcode)
    .bind(name_key.to_ascii_uppercase())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The communes with these INSEE codes (current or not), in code order.
pub async fn communes_by_codes(conn: &mut Conn, codes: &[String]) -> Result<Vec<CommuneRow>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholder_list(1, codes.len());
    let sql =
        format!("SELECT {COMMUNE_COLUMNS} FROM communes WHERE insee IN ({list}) ORDER BY insee");
    let mut query = sqlx::query_as(&sql);
    for code in codes {
        query = query.bind(code);
    }
    Ok(query.fetch_all(conn).await?)
}

/// A current commune and the areas it is in.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PlacedCommune {
    pub insee: String,
    pub name: String,
    pub departement: String,
    pub region: String,
    pub population: Option<i64>,
}

/// Every current commune of France (not the arrondissements), in code order.
pub async fn current_communes(conn: &mut Conn) -> Result<Vec<PlacedCommune>> {
    let columns = "insee, name, departement, region, population";
    let query = format!(
        "SELECT {columns} FROM communes WHERE kind = 'commune' AND current = 1 ORDER BY insee"
    );
    fetch_json_rows(conn, &query, columns, None).await
}

/// The current communes of an EPCI (not their arrondissements), in code order.
pub async fn communes_of_epci(conn: &mut Conn, siren: &str) -> Result<Vec<CommuneRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COMMUNE_COLUMNS} FROM communes \
         WHERE epci = $1 AND kind = 'commune' AND current = 1 ORDER BY insee"
    ))
    .bind(siren)
    .fetch_all(conn)
    .await?)
}

/// An EPCI with how many current communes it has and their population.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EpciSummary {
    pub siren: String,
    pub name: String,
    pub communes: i64,
    pub population: i64,
}

/// Every EPCI with its communes counted, in name order.
pub async fn epci_summaries(conn: &mut Conn) -> Result<Vec<EpciSummary>> {
    Ok(sqlx::query_as(
        "SELECT e.siren, e.name, CAST(COUNT(c.insee) AS BIGINT) AS communes, \
         CAST(COALESCE(SUM(c.population), 0) AS BIGINT) AS population \
         FROM epcis e JOIN communes c ON c.epci = e.siren AND c.kind = 'commune' AND c.current = 1 \
         GROUP BY e.siren, e.name ORDER BY e.name",
    )
    .fetch_all(conn)
    .await?)
}

/// The communes of a CPTS's perimeter, in code order.
pub async fn perimeter(conn: &mut Conn, cpts_id: i64) -> Result<Vec<CommuneRow>> {
    let columns = COMMUNE_COLUMNS
        .split(", ")
        .map(|c| format!("c.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(sqlx::query_as(&format!(
        "SELECT {columns} FROM cpts_communes p JOIN communes c ON c.insee = p.insee \
         WHERE p.cpts_id = $1 ORDER BY c.insee"
    ))
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

/// Replaces a CPTS's perimeter by `codes` (which must exist in `communes`).
pub async fn set_perimeter(conn: &mut Conn, cpts_id: i64, codes: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM cpts_communes WHERE cpts_id = $1")
        .bind(cpts_id)
        .execute(&mut *conn)
        .await?;
    insert_rows(
        conn,
        codes,
        |rows| format!("INSERT INTO cpts_communes (cpts_id, insee) {rows}"),
        |code| vec![int(cpts_id), text(code)],
    )
    .await
}

/// Which of `codes` already belong to the perimeter of another CPTS than `cpts_id`.
pub async fn claimed_elsewhere(
    conn: &mut Conn,
    cpts_id: i64,
    codes: &[String],
) -> Result<Vec<ClaimedCommune>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholder_list(2, codes.len());
    let sql = format!(
        "SELECT p.insee, p.cpts_id, c.name AS cpts_name FROM cpts_communes p \
         JOIN cpts c ON c.id = p.cpts_id WHERE p.cpts_id <> $1 AND p.insee IN ({list}) \
         ORDER BY p.insee, c.name"
    );
    let mut query = sqlx::query_as(&sql).bind(cpts_id);
    for code in codes {
        query = query.bind(code);
    }
    Ok(query.fetch_all(conn).await?)
}
