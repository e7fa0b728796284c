//! Searching the directory: practice sites of active professionals filtered by name,
//! profession, specialty, communes and a CPTS's members and their settings; one
//! professional with all their sites; what the in-memory search index is built from.

use crate::Conn;
use crate::batch::{Kind, contains_words, json_aggregate, json_list, placeholder_list};
use crate::columns::Bit;
use crate::error::Result;

/// What a search filters on; empty strings and `false` filter nothing.
#[derive(Debug, Default, Clone)]
pub struct SiteFilter {
    /// A search key (see `search_key`) the professional's name must contain.
    pub name_key: String,
    pub profession: String,
    /// Any of these specialties (empty: any specialty).
    pub specialties: Vec<String>,
    /// The CPTS whose members' settings are joined (and filtered on below).
    pub cpts_id: Option<i64>,
    pub members_only: bool,
    pub accepts_new_patients: bool,
    pub unscheduled_care: bool,
    /// Only sites in these communes (`None`: anywhere).
    pub communes: Option<Vec<String>>,
}

/// One practice site of an active professional, with the member's settings when the
/// professional is a member of the searching CPTS.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SiteHit {
    pub site_id: i64,
    pub professional_id: i64,
    pub identifier: String,
    pub title: String,
    pub last_name: String,
    pub first_name: String,
    pub profession: String,
    pub specialty: String,
    #[sqlx(try_from = "Bit")]
    pub synthetic: bool,
    pub position: i64,
    pub mode: String,
    pub structure_name: String,
    pub street: String,
    pub address_extra: String,
    pub postcode: String,
    pub commune: Option<String>,
    pub commune_name: String,
    pub phone: String,
    pub member_id: Option<i64>,
    pub accepts_new_patients: Option<i64>,
    pub unscheduled_care: Option<i64>,
}

const SELECT: &str = "SELECT s.id AS site_id, p.id AS professional_id, p.identifier, p.title, p.last_name, \
     p.first_name, p.profession, p.specialty, p.synthetic, s.position, s.mode, \
     s.structure_name, s.street, s.address_extra, s.postcode, s.commune, s.commune_name, \
     s.phone, m.id AS member_id, m.accepts_new_patients, m.unscheduled_care \
     FROM practice_sites s JOIN professionals p ON p.id = s.professional_id \
     LEFT JOIN members m ON m.professional_id = p.id AND m.cpts_id = $1";

/// The WHERE clause of a filter and its values, numbered after `$1` (the CPTS).
fn conditions(filter: &SiteFilter) -> (String, Vec<String>) {
    let mut sql = vec!["p.active = 1".to_owned()];
    let mut values: Vec<String> = Vec::new();
    let next = |value: String, values: &mut Vec<String>| {
        values.push(value);
        format!("${}", values.len() + 1)
    };
    sql.extend(contains_words("p.search_name", &filter.name_key, |v| {
        next(v, &mut values)
    }));
    if !filter.profession.is_empty() {
        let p = next(filter.profession.clone(), &mut values);
        sql.push(format!("s.profession = {p}"));
    }
    if !filter.specialties.is_empty() {
        let first = values.len() + 2;
        values.extend(filter.specialties.iter().cloned());
        sql.push(format!(
            "s.specialty IN ({})",
            placeholder_list(first, filter.specialties.len())
        ));
    }
    if filter.members_only {
        sql.push("m.id IS NOT NULL".to_owned());
    }
    if filter.accepts_new_patients {
        sql.push("m.accepts_new_patients = 1".to_owned());
    }
    if filter.unscheduled_care {
        sql.push("m.unscheduled_care = 1".to_owned());
    }
    match &filter.communes {
        Some(communes) if communes.is_empty() => sql.push("1 = 0".to_owned()),
        Some(communes) => {
            let first = values.len() + 2;
            values.extend(communes.iter().cloned());
            sql.push(format!(
                "s.commune IN ({})",
                placeholder_list(first, communes.len())
            ));
        }
        None => {}
    }
    (sql.join(" AND "), values)
}

/// Every matching site (for searches limited to some communes, sorted by the caller).
pub async fn all_sites(conn: &mut Conn, filter: &SiteFilter) -> Result<Vec<SiteHit>> {
    let (clause, values) = conditions(filter);
    let sql = format!("{SELECT} WHERE {clause}");
    let mut query = sqlx::query_as(&sql).bind(filter.cpts_id);
    for value in &values {
        query = query.bind(value);
    }
    Ok(query.fetch_all(conn).await?)
}

/// One page of matching sites in name order, and how many match in all.
pub async fn sites_page(
    conn: &mut Conn,
    filter: &SiteFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<SiteHit>, i64)> {
    let (clause, values) = conditions(filter);
    let from = SELECT.split_once(" FROM ").expect("a FROM clause").1;
    let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {clause}");
    let mut count = sqlx::query_scalar(&count_sql).bind(filter.cpts_id);
    for value in &values {
        count = count.bind(value);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?;
    let n = values.len() + 2;
    let sql = format!(
        "{SELECT} WHERE {clause} ORDER BY p.search_name, p.id, s.position LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let mut query = sqlx::query_as(&sql).bind(filter.cpts_id);
    for value in &values {
        query = query.bind(value);
    }
    let hits = query.bind(limit).bind(offset).fetch_all(conn).await?;
    Ok((hits, total))
}

/// Every site of one professional (active or not), in the file's order.
pub async fn professional_sites(
    conn: &mut Conn,
    cpts_id: Option<i64>,
    professional_id: i64,
) -> Result<Vec<SiteHit>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE p.id = $2 ORDER BY s.position"))
            .bind(cpts_id)
            .bind(professional_id)
            .fetch_all(conn)
            .await?,
    )
}

/// A site of a page with the generation counters read with it.
#[derive(sqlx::FromRow)]
struct SiteHitAt {
    #[sqlx(flatten)]
    site: SiteHit,
    first_generation: i64,
    second_generation: i64,
}

/// The sites of the page a search index chose, by site id (in no particular order; the
/// list must not be empty), with the settings of the professionals who are members of the
/// searching CPTS, and the generation counters `names` as of the same read: a search that
/// chose the sites from an index it held checks with them that the index was current.
pub async fn sites_by_ids_at(
    conn: &mut Conn,
    cpts_id: Option<i64>,
    site_ids: &[i64],
    names: (&str, &str),
) -> Result<(Vec<SiteHit>, (i64, i64))> {
    let sql = format!(
        "SELECT h.*, \
         COALESCE((SELECT value FROM generations WHERE name = $3), 0) AS first_generation, \
         COALESCE((SELECT value FROM generations WHERE name = $4), 0) AS second_generation \
         FROM ({SELECT} WHERE s.id IN {}) AS h",
        json_list(conn, 2, Kind::Int)
    );
    let list = serde_json::to_string(site_ids).expect("numbers");
    let rows: Vec<SiteHitAt> = sqlx::query_as(&sql)
        .bind(cpts_id)
        .bind(list)
        .bind(names.0)
        .bind(names.1)
        .fetch_all(conn)
        .await?;
    let generations = rows
        .first()
        .map_or((0, 0), |r| (r.first_generation, r.second_generation));
    Ok((rows.into_iter().map(|r| r.site).collect(), generations))
}

/// A practice site of an active professional, as a search index keeps it.
#[derive(Debug, Clone)]
pub struct IndexedSite {
    pub site_id: i64,
    pub professional_id: i64,
    pub position: i64,
    pub commune: String,
    pub profession: String,
    pub specialty: String,
    pub last_name: String,
    /// The site's mode of practice (`L`: liberal).
    pub mode: String,
    /// Whether the professional is of the synthetic directory.
    pub synthetic: bool,
}

/// Sites read per statement when building a search index.
const INDEX_CHUNK: i64 = 50_000;

/// Every practice site with a commune of every active professional, given to `each`.
/// They come in chunks of sites, each chunk aggregated by the database into one JSON
/// array: a million rows passed one by one through the driver would take many seconds.
pub async fn each_indexed_site(conn: &mut Conn, mut each: impl FnMut(IndexedSite)) -> Result<()> {
    let sql = format!(
        "SELECT {} FROM (SELECT s.id, s.professional_id, s.position, s.commune, \
         s.profession, s.specialty, p.last_name, s.mode, p.synthetic FROM practice_sites s \
         JOIN professionals p ON p.id = s.professional_id \
         WHERE p.active = 1 AND s.commune IS NOT NULL AND s.id > $1 \
         ORDER BY s.id LIMIT $2) AS c",
        json_aggregate(
            conn,
            "c.id, c.professional_id, c.position, c.commune, c.profession, c.specialty, \
             c.last_name, c.mode, c.synthetic"
        )
    );
    type Row = (i64, i64, i64, String, String, String, String, String, i64);
    let mut after = 0;
    loop {
        let chunk: Option<String> = sqlx::query_scalar(&sql)
            .bind(after)
            .bind(INDEX_CHUNK)
            .fetch_one(&mut *conn)
            .await?;
        let rows: Vec<Row> = serde_json::from_str(chunk.as_deref().unwrap_or("[]"))
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let Some(last) = rows.iter().map(|r| r.0).max() else {
            return Ok(());
        };
        after = last;
        for r in rows {
            each(IndexedSite {
                site_id: r.0,
                professional_id: r.1,
                position: r.2,
                commune: r.3,
                profession: r.4,
                specialty: r.5,
                last_name: r.6,
                mode: r.7,
                synthetic: r.8 != 0,
            });
        }
    }
}

/// A current commune with a known centroid, as a search index keeps it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PositionedCommune {
    pub insee: String,
    pub name: String,
    /// An arrondissement's city.
    pub parent: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
}

/// Every current commune (and arrondissement) with a known centroid.
pub async fn positioned_communes(conn: &mut Conn) -> Result<Vec<PositionedCommune>> {
    Ok(sqlx::query_as(
        "SELECT insee, name, parent, latitude, longitude FROM communes WHERE current = 1 \
         AND latitude IS NOT NULL AND longitude IS NOT NULL",
    )
    .fetch_all(conn)
    .await?)
}
