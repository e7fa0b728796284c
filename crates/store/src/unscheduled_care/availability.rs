//! Repository of what members publish for unscheduled care: the places they see patients
//! at, their weekly rules and their absences.

use crate::Conn;
use crate::columns::Bit;
use crate::columns::Code;
use crate::directory::general_practice::is_gp;
use crate::error::Result;
use maillage_domain::unscheduled_care::slot_kinds::{Mode, Visibility};

/// A place to record: a practice site of the directory, as it reads.
pub struct NewPlace<'a> {
    pub member_id: i64,
    pub name: &'a str,
    pub street: &'a str,
    pub postcode: &'a str,
    pub commune: &'a str,
    pub finess: &'a str,
    pub phone: &'a str,
}

/// A place with its commune's name and position.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlaceRow {
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub commune: String,
    pub commune_name: String,
    pub departement: String,
    pub finess: String,
    pub phone: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The id of the place, recorded on first use.
pub async fn place_id(conn: &mut Conn, place: &NewPlace<'_>) -> Result<i64> {
    sqlx::query(
        "INSERT INTO snp_places (member_id, name, street, postcode, commune, finess, phone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (member_id, name, street, commune) DO NOTHING",
    )
    .bind(place.member_id)
    .bind(place.name)
    .bind(place.street)
    .bind(place.postcode)
    .bind(place.commune)
    .bind(place.finess)
    .bind(place.phone)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(
        "SELECT id FROM snp_places WHERE member_id = $1 AND name = $2 AND street = $3 AND commune = $4",
    )
    .bind(place.member_id)
    .bind(place.name)
    .bind(place.street)
    .bind(place.commune)
    .fetch_one(conn)
    .await?)
}

/// A place by its id.
pub async fn place(conn: &mut Conn, id: i64) -> Result<Option<PlaceRow>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.member_id, p.name, p.street, p.postcode, p.commune, c.name AS commune_name, \
         c.departement, p.finess, p.phone, c.latitude, c.longitude \
         FROM snp_places p JOIN communes c ON c.insee = p.commune WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A practice site of the directory a member may see patients at.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PracticeSite {
    pub position: i64,
    pub structure_name: String,
    pub street: String,
    pub postcode: String,
    pub commune: Option<String>,
    pub commune_name: String,
    pub finess: String,
    pub phone: String,
}

/// A GP's first practice site in a known commune: what the benchmarks' fixtures turn into
/// members publishing slots.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GpSite {
    pub professional_id: i64,
    pub specialty: String,
    pub structure_name: String,
    pub street: String,
    pub postcode: String,
    pub commune: String,
    pub finess: String,
    pub phone: String,
}

/// The first practice site in a known commune of each active GP, up to `limit`.
pub async fn gp_sites(conn: &mut Conn, limit: i64) -> Result<Vec<GpSite>> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.professional_id, p.specialty, s.structure_name, s.street, s.postcode, \
         s.commune, s.finess, s.phone FROM practice_sites s \
         JOIN professionals p ON p.id = s.professional_id \
         WHERE {} AND p.active = 1 AND s.commune IS NOT NULL \
         AND s.position = (SELECT MIN(o.position) FROM practice_sites o \
             WHERE o.professional_id = s.professional_id AND o.commune IS NOT NULL) \
         ORDER BY s.professional_id LIMIT $1",
        is_gp("p")
    ))
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The practice sites of a professional, in the directory's order.
pub async fn practice_sites(conn: &mut Conn, professional_id: i64) -> Result<Vec<PracticeSite>> {
    Ok(sqlx::query_as(
        "SELECT position, structure_name, street, postcode, commune, commune_name, finess, phone \
         FROM practice_sites WHERE professional_id = $1 ORDER BY position",
    )
    .bind(professional_id)
    .fetch_all(conn)
    .await?)
}

/// A weekly rule as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleRow {
    pub id: i64,
    pub member_id: i64,
    pub place_id: i64,
    pub place_name: String,
    pub commune_name: String,
    /// `1,4`: Monday and Thursday.
    pub weekdays: String,
    /// `HH:MM`, Paris time.
    pub start_time: String,
    pub end_time: String,
    pub slot_minutes: i64,
    pub every_weeks: i64,
    /// `AAAA-MM-JJ`.
    pub first_day: String,
    pub last_day: Option<String>,
    #[sqlx(try_from = "Bit")]
    pub on_public_holidays: bool,
    #[sqlx(try_from = "Code<Mode>")]
    pub mode: Mode,
    #[sqlx(try_from = "Code<Visibility>")]
    pub visibility: Visibility,
    #[sqlx(try_from = "Bit")]
    pub extra_patients: bool,
}

/// A rule to record.
pub struct NewRule<'a> {
    pub member_id: i64,
    pub place_id: i64,
    pub weekdays: &'a str,
    pub start_time: &'a str,
    pub end_time: &'a str,
    pub slot_minutes: i64,
    pub every_weeks: i64,
    pub first_day: &'a str,
    pub last_day: Option<&'a str>,
    pub on_public_holidays: bool,
    pub mode: Mode,
    pub visibility: Visibility,
    pub extra_patients: bool,
}

pub async fn insert_rule(conn: &mut Conn, rule: &NewRule<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO snp_rules (member_id, place_id, weekdays, start_time, end_time, slot_minutes, \
         every_weeks, first_day, last_day, on_public_holidays, mode, visibility, extra_patients, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(rule.member_id)
    .bind(rule.place_id)
    .bind(rule.weekdays)
    .bind(rule.start_time)
    .bind(rule.end_time)
    .bind(rule.slot_minutes)
    .bind(rule.every_weeks)
    .bind(rule.first_day)
    .bind(rule.last_day)
    .bind(i64::from(rule.on_public_holidays))
    .bind(rule.mode.code())
    .bind(rule.visibility.code())
    .bind(i64::from(rule.extra_patients))
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The rules of a member, in the order they were made.
pub async fn rules_of(conn: &mut Conn, member_id: i64) -> Result<Vec<RuleRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.member_id, r.place_id, p.name AS place_name, c.name AS commune_name, \
         r.weekdays, r.start_time, r.end_time, r.slot_minutes, r.every_weeks, r.first_day, \
         r.last_day, r.on_public_holidays, r.mode, r.visibility, r.extra_patients \
         FROM snp_rules r JOIN snp_places p ON p.id = r.place_id \
         JOIN communes c ON c.insee = p.commune WHERE r.member_id = $1 ORDER BY r.id",
    )
    .bind(member_id)
    .fetch_all(conn)
    .await?)
}

/// Every member who has rules, of any CPTS.
pub async fn members_with_rules(conn: &mut Conn) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT member_id FROM snp_rules ORDER BY member_id")
            .fetch_all(conn)
            .await?,
    )
}

/// Removes a rule of `member_id`; whether there was one.
pub async fn delete_rule(conn: &mut Conn, member_id: i64, rule_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM snp_rules WHERE id = $1 AND member_id = $2")
        .bind(rule_id)
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// An absence as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AbsenceRow {
    pub id: i64,
    pub first_day: String,
    pub last_day: String,
}

pub async fn insert_absence(
    conn: &mut Conn,
    member_id: i64,
    first_day: &str,
    last_day: &str,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO snp_absences (member_id, first_day, last_day, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(member_id)
    .bind(first_day)
    .bind(last_day)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The absences of a member that end on `from` (AAAA-MM-JJ) or later.
pub async fn absences_of(conn: &mut Conn, member_id: i64, from: &str) -> Result<Vec<AbsenceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, first_day, last_day FROM snp_absences \
         WHERE member_id = $1 AND last_day >= $2 ORDER BY first_day",
    )
    .bind(member_id)
    .bind(from)
    .fetch_all(conn)
    .await?)
}

pub async fn delete_absence(conn: &mut Conn, member_id: i64, absence_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM snp_absences WHERE id = $1 AND member_id = $2")
        .bind(absence_id)
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Up to `limit` active professionals of `profession` with a practice site in `communes`
/// (INSEE codes), with their specialty, by id.
pub async fn practising_in(
    conn: &mut Conn,
    communes: &[&str],
    profession: &str,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    let sql = format!(
        "SELECT DISTINCT p.id, p.specialty FROM professionals p \
         JOIN practice_sites s ON s.professional_id = p.id \
         WHERE p.active = 1 AND p.profession = $2 AND s.commune IN {} ORDER BY p.id LIMIT $3",
        crate::batch::json_list(conn, 1, crate::batch::Kind::Text)
    );
    Ok(sqlx::query_as(&sql)
        .bind(serde_json::to_string(communes).expect("strings"))
        .bind(profession)
        .bind(limit)
        .fetch_all(conn)
        .await?)
}
