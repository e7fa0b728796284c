//! Repository of the national directory: imports, professionals, their practice sites
//! and qualifications, written in batches within the import's transaction.

use crate::Conn;
use crate::batch::{Kind, insert_rows, insert_rows_returning, int, json_list, maybe_text, text};
use crate::generations;

/// Values per bulk lookup or removal.
const BULK: usize = 2000;
use crate::error::Result;

/// A professional as the import writes it.
pub struct ProfessionalRecord {
    pub national_id: String,
    pub id_type: String,
    pub identifier: String,
    pub title: String,
    pub last_name: String,
    pub first_name: String,
    pub search_name: String,
    pub profession: String,
    pub category: String,
    pub specialty: String,
    pub synthetic: bool,
}

/// One practice site of a professional (`professional` indexes the batch's professionals,
/// whose profession and specialty the site repeats for searches).
pub struct SiteRecord {
    pub professional: usize,
    pub position: i64,
    pub mode: String,
    pub sector: String,
    pub activity_kind: String,
    pub siret: String,
    pub finess: String,
    pub structure_name: String,
    pub street: String,
    pub address_extra: String,
    pub postcode: String,
    pub commune: Option<String>,
    pub commune_name: String,
    pub phone: String,
    pub email: String,
}

/// The counts an import ends with.
pub struct ImportCounts {
    pub lines_read: i64,
    pub professionals: i64,
    pub deactivated: i64,
    pub lines_refused: i64,
}

pub async fn begin_import(conn: &mut Conn, file_name: &str, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO directory_imports (file_name, started_at, finished_at, \
         lines_read, professionals, deactivated, lines_refused) \
         VALUES ($1, $2, $2, 0, 0, 0, 0) RETURNING id",
    )
    .bind(file_name)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Records an import's counts; searches see the directory as changed.
pub async fn finish_import(
    conn: &mut Conn,
    import_id: i64,
    counts: &ImportCounts,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE directory_imports SET finished_at = $2, lines_read = $3, professionals = $4, \
         deactivated = $5, lines_refused = $6 WHERE id = $1",
    )
    .bind(import_id)
    .bind(now)
    .bind(counts.lines_read)
    .bind(counts.professionals)
    .bind(counts.deactivated)
    .bind(counts.lines_refused)
    .execute(&mut *conn)
    .await?;
    generations::bump(conn, generations::DIRECTORY).await
}

/// Inserts or updates a batch of professionals (active, seen by this import) and
/// returns their ids in the batch's order.
pub async fn upsert_professionals(
    conn: &mut Conn,
    import_id: i64,
    now: i64,
    batch: &[ProfessionalRecord],
) -> Result<Vec<i64>> {
    let returned = insert_rows_returning(
        conn,
        batch,
        |rows| {
            format!(
                "INSERT INTO professionals (national_id, id_type, identifier, title, last_name, \
                 first_name, search_name, profession, category, specialty, active, synthetic, \
                 import_id, updated_at) {rows} \
                 ON CONFLICT (national_id) DO UPDATE SET id_type = excluded.id_type, \
                 identifier = excluded.identifier, title = excluded.title, \
                 last_name = excluded.last_name, first_name = excluded.first_name, \
                 search_name = excluded.search_name, profession = excluded.profession, \
                 category = excluded.category, specialty = excluded.specialty, active = 1, \
                 synthetic = excluded.synthetic, import_id = excluded.import_id, \
                 updated_at = excluded.updated_at RETURNING national_id, id"
            )
        },
        |p| {
            vec![
                text(&p.national_id),
                text(&p.id_type),
                text(&p.identifier),
                text(&p.title),
                text(&p.last_name),
                text(&p.first_name),
                text(&p.search_name),
                text(&p.profession),
                text(&p.category),
                text(&p.specialty),
                int(1),
                int(i64::from(p.synthetic)),
                int(import_id),
                int(now),
            ]
        },
    )
    .await?;
    let ids: std::collections::HashMap<String, i64> = returned.into_iter().collect();
    Ok(batch.iter().map(|p| ids[&p.national_id]).collect())
}

/// The ids of professionals by national id, in the order given (`None`: unknown).
async fn ids_of<'a>(
    conn: &mut Conn,
    national_ids: impl Iterator<Item = &'a str>,
) -> Result<Vec<Option<i64>>> {
    let wanted: Vec<&str> = national_ids.collect();
    let sql = format!(
        "SELECT national_id, id FROM professionals WHERE national_id IN {}",
        json_list(conn, 1, Kind::Text)
    );
    let mut found = std::collections::HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(BULK) {
        let list = serde_json::to_string(chunk).expect("strings");
        let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
            .bind(list)
            .fetch_all(&mut *conn)
            .await?;
        found.extend(rows);
    }
    Ok(wanted.iter().map(|n| found.get(*n).copied()).collect())
}

/// Removes the practice sites that an earlier import wrote for the professionals this
/// import `import_id` saw (their sites are the ones it wrote); returns how many.
pub async fn delete_replaced_sites(conn: &mut Conn, import_id: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM practice_sites WHERE import_id <> $1 AND professional_id IN \
         (SELECT id FROM professionals WHERE import_id = $1)",
    )
    .bind(import_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Writes practice sites; `professionals[site.professional]` is each one's professional,
/// whose id is at the same index of `ids`.
pub async fn insert_sites(
    conn: &mut Conn,
    import_id: i64,
    ids: &[i64],
    professionals: &[ProfessionalRecord],
    sites: &[SiteRecord],
) -> Result<()> {
    insert_rows(
        conn,
        sites,
        |rows| {
            format!(
                "INSERT INTO practice_sites (professional_id, position, mode, sector, \
                 activity_kind, siret, finess, structure_name, street, address_extra, postcode, \
                 commune, commune_name, phone, email, profession, specialty, import_id) {rows}"
            )
        },
        |s| {
            let professional = &professionals[s.professional];
            vec![
                int(ids[s.professional]),
                int(s.position),
                text(&s.mode),
                text(&s.sector),
                text(&s.activity_kind),
                text(&s.siret),
                text(&s.finess),
                text(&s.structure_name),
                text(&s.street),
                text(&s.address_extra),
                text(&s.postcode),
                maybe_text(&s.commune),
                text(&s.commune_name),
                text(&s.phone),
                text(&s.email),
                text(&professional.profession),
                text(&professional.specialty),
                int(import_id),
            ]
        },
    )
    .await
}

/// Empties the qualifications (an import writes them anew), setting them aside in this
/// transaction for [`restore_skills_of`].
pub async fn set_aside_skills(conn: &mut Conn) -> Result<()> {
    sqlx::query(
        "CREATE TEMPORARY TABLE previous_skills AS \
         SELECT professional_id, skill_type, skill FROM professional_skills",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM professional_skills")
        .execute(conn)
        .await?;
    Ok(())
}

/// Puts back the qualifications set aside of the professionals whose national ids are
/// `kept`, and forgets the others.
pub async fn restore_skills_of(conn: &mut Conn, kept: &[String]) -> Result<()> {
    let sql = format!(
        "INSERT INTO professional_skills (professional_id, skill_type, skill) \
         SELECT s.professional_id, s.skill_type, s.skill FROM previous_skills s \
         JOIN professionals p ON p.id = s.professional_id WHERE p.national_id IN {}",
        json_list(conn, 1, Kind::Text)
    );
    sqlx::query(&sql)
        .bind(serde_json::to_string(kept).expect("strings"))
        .execute(&mut *conn)
        .await?;
    sqlx::query("DROP TABLE previous_skills")
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes qualifications (national id, type, code). Lines naming a professional absent
/// from the directory are skipped; returns how many were.
pub async fn insert_skills(conn: &mut Conn, skills: &[(String, String, String)]) -> Result<i64> {
    let ids = ids_of(conn, skills.iter().map(|s| s.0.as_str())).await?;
    let rows: Vec<(i64, &str, &str)> = ids
        .iter()
        .zip(skills)
        .filter_map(|(id, s)| id.map(|id| (id, s.1.as_str(), s.2.as_str())))
        .collect();
    insert_rows(
        conn,
        &rows,
        |rows| {
            format!(
                "INSERT INTO professional_skills (professional_id, skill_type, skill) {rows} \
                 ON CONFLICT DO NOTHING"
            )
        },
        |r| vec![int(r.0), text(r.1), text(r.2)],
    )
    .await?;
    Ok((skills.len() - rows.len()) as i64)
}

/// Refreshes the planner's statistics of the directory's tables after an import.
pub async fn analyze(conn: &mut Conn) -> Result<()> {
    for table in ["professionals", "practice_sites", "members"] {
        sqlx::query(&format!("ANALYZE {table}"))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Marks inactive the professionals this import did not see, but those whose national ids
/// are `kept`; returns how many.
pub async fn deactivate_unseen(
    conn: &mut Conn,
    import_id: i64,
    kept: &[String],
    now: i64,
) -> Result<i64> {
    let sql = format!(
        "UPDATE professionals SET active = 0, updated_at = $2 \
         WHERE active = 1 AND import_id <> $1 AND national_id NOT IN {}",
        json_list(conn, 3, Kind::Text)
    );
    let done = sqlx::query(&sql)
        .bind(import_id)
        .bind(now)
        .bind(serde_json::to_string(kept).expect("strings"))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() as i64)
}

/// A practice site in a commune of an active professional, for the count of the offer.
#[derive(sqlx::FromRow)]
pub struct PlacedSite {
    pub professional_id: i64,
    pub profession: String,
    pub specialty: String,
    pub commune: String,
}

/// The sites in a commune of the active professionals among `national_ids`.
pub async fn placed_sites_of(conn: &mut Conn, national_ids: &[String]) -> Result<Vec<PlacedSite>> {
    let sql = format!(
        "SELECT p.id AS professional_id, p.profession, p.specialty, s.commune \
         FROM professionals p JOIN practice_sites s ON s.professional_id = p.id \
         WHERE p.active = 1 AND s.commune IS NOT NULL AND p.national_id IN {}",
        json_list(conn, 1, Kind::Text)
    );
    Ok(sqlx::query_as(&sql)
        .bind(serde_json::to_string(national_ids).expect("strings"))
        .fetch_all(conn)
        .await?)
}

/// Counts of the directory: active and inactive professionals, active synthetic ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct DirectoryCounts {
    pub active: i64,
    pub inactive: i64,
    pub synthetic: i64,
}

pub async fn counts(conn: &mut Conn) -> Result<DirectoryCounts> {
    Ok(sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(active), 0) AS BIGINT) AS active, \
         CAST(COALESCE(SUM(1 - active), 0) AS BIGINT) AS inactive, \
         CAST(COALESCE(SUM(synthetic * active), 0) AS BIGINT) AS synthetic FROM professionals",
    )
    .fetch_one(conn)
    .await?)
}
