//! Reads of the directory by national identifiers, one page at a time: professionals,
//! their practice sites (with the settings a member shares with their own CPTS) and the
//! structures (by SIRET or FINESS) the sites belong to. Used by the FHIR interface.

use crate::Conn;
use crate::batch::{contains_words, placeholder_list};
use crate::columns::Bit;
use crate::error::Result;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfessionalRow {
    pub id: i64,
    pub national_id: String,
    pub id_type: String,
    pub identifier: String,
    pub title: String,
    pub last_name: String,
    pub first_name: String,
    pub profession: String,
    pub category: String,
    pub specialty: String,
    #[sqlx(try_from = "Bit")]
    pub active: bool,
    #[sqlx(try_from = "Bit")]
    pub synthetic: bool,
    pub updated_at: i64,
}

/// A practice site with its professional's national id and, for a member of the reading
/// CPTS, what they share with colleagues.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SiteRow {
    pub national_id: String,
    pub position: i64,
    pub mode: String,
    pub sector: String,
    pub activity_kind: String,
    pub siret: String,
    pub finess: String,
    pub structure_name: String,
    pub street: String,
    pub postcode: String,
    pub commune: Option<String>,
    pub commune_name: String,
    #[sqlx(try_from = "Bit")]
    pub active: bool,
    #[sqlx(try_from = "Bit")]
    pub synthetic: bool,
    pub updated_at: i64,
    pub mssante: Option<String>,
    pub colleague_phone: Option<String>,
}

/// Filters on professionals; empty means no filter.
#[derive(Debug, Default, Clone)]
pub struct ProfessionalFilter {
    pub national_ids: Vec<String>,
    /// A search key the name must contain.
    pub name_key: String,
    pub family_key: String,
    pub given_key: String,
    pub profession: String,
    pub active: Option<bool>,
}

/// Filters on structures: `key` is `siret:…` or `finess:…`.
#[derive(Debug, Default, Clone)]
pub struct StructureFilter {
    pub keys: Vec<String>,
    pub name_key: String,
    pub commune_name_key: String,
    pub postcode: String,
    pub sector: String,
}

/// A structure: the sites sharing one SIRET (or, without one, one FINESS number).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StructureRow {
    pub key: String,
    pub siret: String,
    pub finess: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub commune_name: String,
    pub sector: String,
    pub updated_at: i64,
    /// What the FINESS file says of the establishment, when imported and still open.
    #[sqlx(flatten)]
    pub establishment: FinessDetails,
}

/// An establishment's own name, category, address and phone from the FINESS file.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct FinessDetails {
    pub finess_name: Option<String>,
    pub finess_category: Option<String>,
    pub finess_category_label: Option<String>,
    pub finess_street: Option<String>,
    pub finess_postcode: Option<String>,
    pub finess_city: Option<String>,
    pub finess_phone: Option<String>,
}

const STRUCTURE_KEY: &str =
    "CASE WHEN s.siret <> '' THEN 'siret:' || s.siret ELSE 'finess:' || s.finess END";

/// Binds `value` after those in `binds`; its placeholder.
fn bind(value: String, binds: &mut Vec<String>) -> String {
    binds.push(value);
    format!("${}", binds.len())
}

fn in_list(column: &str, values: &[String], binds: &mut Vec<String>) -> String {
    let first = binds.len() + 1;
    binds.extend(values.iter().cloned());
    format!("{column} IN ({})", placeholder_list(first, values.len()))
}

fn professional_conditions(filter: &ProfessionalFilter) -> (String, Vec<String>) {
    let mut sql = vec!["1 = 1".to_owned()];
    let mut binds = Vec::new();
    if !filter.national_ids.is_empty() {
        sql.push(in_list("national_id", &filter.national_ids, &mut binds));
    }
    for (column, key) in [
        ("search_name", &filter.name_key),
        ("search_name", &filter.family_key),
        ("search_name", &filter.given_key),
    ] {
        sql.extend(contains_words(column, key, |v| bind(v, &mut binds)));
    }
    if !filter.profession.is_empty() {
        binds.push(filter.profession.clone());
        sql.push(format!("profession = ${}", binds.len()));
    }
    if let Some(active) = filter.active {
        sql.push(format!("active = {}", i64::from(active)));
    }
    (sql.join(" AND "), binds)
}

const PROFESSIONAL_COLUMNS: &str = "id, national_id, id_type, identifier, title, last_name, \
     first_name, profession, category, specialty, active, synthetic, updated_at";

/// One page of professionals in id order, and the total.
pub async fn professionals(
    conn: &mut Conn,
    filter: &ProfessionalFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ProfessionalRow>, i64)> {
    let (clause, binds) = professional_conditions(filter);
    let count_sql = format!("SELECT COUNT(*) FROM professionals WHERE {clause}");
    let mut count = sqlx::query_scalar(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?;
    let n = binds.len();
    let sql = format!(
        "SELECT {PROFESSIONAL_COLUMNS} FROM professionals WHERE {clause} ORDER BY id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut query = sqlx::query_as(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.bind(limit).bind(offset).fetch_all(conn).await?;
    Ok((rows, total))
}

const SITE_SELECT: &str = "SELECT p.national_id, s.position, s.mode, s.sector, s.activity_kind, \
     s.siret, s.finess, s.structure_name, s.street, s.postcode, s.commune, s.commune_name, \
     p.active, p.synthetic, p.updated_at, m.mssante, m.colleague_phone \
     FROM practice_sites s JOIN professionals p ON p.id = s.professional_id \
     LEFT JOIN members m ON m.professional_id = p.id AND m.cpts_id = $1";

/// Filters on practice sites; empty means no filter.
#[derive(Debug, Default, Clone)]
pub struct SiteFilter {
    /// (national id, position) pairs, from role ids.
    pub roles: Vec<(String, i64)>,
    pub national_ids: Vec<String>,
    pub structure_keys: Vec<String>,
    /// TRE_R23 mode or TRE_R22 kind of activity.
    pub role_codes: Vec<String>,
    pub active: Option<bool>,
}

fn site_conditions(filter: &SiteFilter) -> (String, Vec<String>) {
    // Binds start at $2 ($1 is the reading CPTS).
    let mut binds = vec![String::new()];
    let mut sql = vec!["1 = 1".to_owned()];
    if !filter.national_ids.is_empty() {
        sql.push(in_list("p.national_id", &filter.national_ids, &mut binds));
    }
    if !filter.structure_keys.is_empty() {
        sql.push(in_list(STRUCTURE_KEY, &filter.structure_keys, &mut binds));
    }
    if !filter.role_codes.is_empty() {
        let modes = in_list("s.mode", &filter.role_codes, &mut binds);
        let kinds = in_list("s.activity_kind", &filter.role_codes, &mut binds);
        sql.push(format!("({modes} OR {kinds})"));
    }
    if !filter.roles.is_empty() {
        let pairs: Vec<String> = filter
            .roles
            .iter()
            .map(|(national_id, position)| {
                binds.push(national_id.clone());
                format!(
                    "(p.national_id = ${} AND s.position = {position})",
                    binds.len()
                )
            })
            .collect();
        sql.push(format!("({})", pairs.join(" OR ")));
    }
    if let Some(active) = filter.active {
        sql.push(format!("p.active = {}", i64::from(active)));
    }
    binds.remove(0);
    (sql.join(" AND "), binds)
}

/// One page of practice sites in (professional, position) order, and the total.
pub async fn sites(
    conn: &mut Conn,
    cpts_id: Option<i64>,
    filter: &SiteFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<SiteRow>, i64)> {
    let (clause, binds) = site_conditions(filter);
    let from = SITE_SELECT.split_once(" FROM ").expect("a FROM clause").1;
    let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {clause}");
    let mut count = sqlx::query_scalar(&count_sql).bind(cpts_id);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?;
    let n = binds.len() + 1;
    let sql = format!(
        "{SITE_SELECT} WHERE {clause} ORDER BY p.id, s.position LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut query = sqlx::query_as(&sql).bind(cpts_id);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.bind(limit).bind(offset).fetch_all(conn).await?;
    Ok((rows, total))
}

/// One page of structures in key order, with their FINESS details, and the total.
pub async fn structures(
    conn: &mut Conn,
    filter: &StructureFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StructureRow>, i64)> {
    let mut binds = Vec::new();
    let mut sql = vec!["(s.siret <> '' OR s.finess <> '')".to_owned()];
    if !filter.keys.is_empty() {
        // A FINESS number finds its structure even when the structure is keyed by SIRET.
        // Each list holds an empty number, so that it is never empty; it matches nothing.
        let numbers = |kind: &str| -> Vec<String> {
            filter
                .keys
                .iter()
                .filter_map(|k| k.strip_prefix(kind).map(str::to_owned))
                .chain(std::iter::once(String::new()))
                .collect()
        };
        let by_siret = in_list("s.siret", &numbers("siret:"), &mut binds);
        let by_finess = in_list("s.finess", &numbers("finess:"), &mut binds);
        sql.push(format!(
            "(({by_siret} AND s.siret <> '') OR ({by_finess} AND s.finess <> ''))"
        ));
    }
    for (column, value) in [
        ("LOWER(s.structure_name)", &filter.name_key),
        ("LOWER(s.commune_name)", &filter.commune_name_key),
    ] {
        sql.extend(contains_words(column, value, |v| bind(v, &mut binds)));
    }
    for (column, value) in [
        ("s.postcode", &filter.postcode),
        ("s.sector", &filter.sector),
    ] {
        if !value.is_empty() {
            binds.push(value.clone());
            sql.push(format!("{column} = ${}", binds.len()));
        }
    }
    let clause = sql.join(" AND ");
    let grouped = format!(
        "SELECT {STRUCTURE_KEY} AS key, MIN(s.siret) AS siret, MIN(s.finess) AS finess, \
         MIN(s.structure_name) AS name, MIN(s.street) AS street, MIN(s.postcode) AS postcode, \
         MIN(s.commune_name) AS commune_name, MIN(s.sector) AS sector, \
         MAX(p.updated_at) AS updated_at \
         FROM practice_sites s JOIN professionals p ON p.id = s.professional_id \
         WHERE {clause} GROUP BY {STRUCTURE_KEY}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM ({grouped}) g");
    let mut count = sqlx::query_scalar(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?;
    let n = binds.len();
    let sql = format!(
        "SELECT g.*, e.long_name AS finess_name, e.category AS finess_category, \
         e.category_label AS finess_category_label, e.street AS finess_street, \
         e.postcode AS finess_postcode, e.city AS finess_city, e.phone AS finess_phone \
         FROM ({grouped}) g LEFT JOIN establishments e ON e.finess = g.finess AND e.active = 1 \
         ORDER BY g.key LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut query = sqlx::query_as(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.bind(limit).bind(offset).fetch_all(conn).await?;
    Ok((rows, total))
}
