//! Repository of members (adhérents): a CPTS's professionals from the directory, their
//! linked account and the settings they keep themselves.

use crate::Conn;
use crate::columns::Bit;
use crate::directory::general_practice::is_gp;
use crate::error::Result;
use crate::generations;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub cpts_id: i64,
    pub professional_id: i64,
    pub user_id: Option<i64>,
    #[sqlx(try_from = "Bit")]
    pub accepts_new_patients: bool,
    pub new_patients_per_month: Option<i64>,
    #[sqlx(try_from = "Bit")]
    pub unscheduled_care: bool,
    #[sqlx(try_from = "Bit")]
    pub teleconsultation: bool,
    #[sqlx(try_from = "Bit")]
    pub home_visits: bool,
    pub languages: String,
    pub mssante: String,
    pub colleague_phone: String,
    /// INSEE codes separated by commas: the only communes they take new patients from.
    pub new_patient_communes: String,
    pub new_patient_min_age: Option<i64>,
    pub new_patient_max_age: Option<i64>,
    /// Planned end of practice, `AAAA-MM-JJ`.
    pub departure_date: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub profession: String,
    pub specialty: String,
    pub identifier: String,
    #[sqlx(try_from = "Bit")]
    pub synthetic: bool,
}

/// What a member sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberSettings {
    pub accepts_new_patients: bool,
    pub new_patients_per_month: Option<i64>,
    pub unscheduled_care: bool,
    pub teleconsultation: bool,
    pub home_visits: bool,
    pub languages: String,
    pub mssante: String,
    pub colleague_phone: String,
    pub new_patient_communes: String,
    pub new_patient_min_age: Option<i64>,
    pub new_patient_max_age: Option<i64>,
    pub departure_date: Option<String>,
}

const SELECT: &str = "SELECT m.id, m.cpts_id, m.professional_id, m.user_id, \
     m.accepts_new_patients, m.new_patients_per_month, m.unscheduled_care, m.teleconsultation, \
     m.home_visits, m.languages, m.mssante, m.colleague_phone, m.new_patient_communes, \
     m.new_patient_min_age, m.new_patient_max_age, m.departure_date, p.last_name, p.first_name, \
     p.profession, p.specialty, p.identifier, p.synthetic \
     FROM members m JOIN professionals p ON p.id = m.professional_id";

/// Adds a professional to a CPTS; `None` when already a member.
pub async fn insert(
    conn: &mut Conn,
    cpts_id: i64,
    professional_id: i64,
    now: i64,
) -> Result<Option<i64>> {
    let id = sqlx::query_scalar(
        "INSERT INTO members (cpts_id, professional_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) ON CONFLICT (cpts_id, professional_id) DO NOTHING RETURNING id",
    )
    .bind(cpts_id)
    .bind(professional_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    generations::bump(conn, &generations::members(cpts_id)).await?;
    Ok(id)
}

/// What searches filter on, for each member of a CPTS: (professional, accepts new
/// patients, takes part in unscheduled care).
/// What the directory's search needs to know of a member.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchSettings {
    pub professional_id: i64,
    #[sqlx(try_from = "Bit")]
    pub accepts_new_patients: bool,
    #[sqlx(try_from = "Bit")]
    pub unscheduled_care: bool,
}

pub async fn search_settings(conn: &mut Conn, cpts_id: i64) -> Result<Vec<SearchSettings>> {
    Ok(sqlx::query_as(
        "SELECT professional_id, accepts_new_patients, unscheduled_care FROM members \
         WHERE cpts_id = $1",
    )
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<MemberRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn by_user(conn: &mut Conn, user_id: i64) -> Result<Option<MemberRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE m.user_id = $1"))
        .bind(user_id)
        .fetch_optional(conn)
        .await?)
}

pub async fn of_cpts(conn: &mut Conn, cpts_id: i64) -> Result<Vec<MemberRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE m.cpts_id = $1 ORDER BY p.search_name, m.id"
    ))
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

/// The member GPs of a CPTS who recorded a planned departure, soonest first.
pub async fn departing_gps(conn: &mut Conn, cpts_id: i64) -> Result<Vec<MemberRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE m.cpts_id = $1 AND m.departure_date IS NOT NULL AND {} \
         ORDER BY m.departure_date, m.id",
        is_gp("p")
    ))
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

pub async fn update_settings(
    conn: &mut Conn,
    id: i64,
    settings: &MemberSettings,
    now: i64,
) -> Result<()> {
    let cpts_id: i64 = sqlx::query_scalar(
        "UPDATE members SET accepts_new_patients = $2, new_patients_per_month = $3, \
         unscheduled_care = $4, teleconsultation = $5, home_visits = $6, languages = $7, \
         mssante = $8, colleague_phone = $9, new_patient_communes = $10, \
         new_patient_min_age = $11, new_patient_max_age = $12, departure_date = $13, \
         updated_at = $14 WHERE id = $1 RETURNING cpts_id",
    )
    .bind(id)
    .bind(i64::from(settings.accepts_new_patients))
    .bind(settings.new_patients_per_month)
    .bind(i64::from(settings.unscheduled_care))
    .bind(i64::from(settings.teleconsultation))
    .bind(i64::from(settings.home_visits))
    .bind(&settings.languages)
    .bind(&settings.mssante)
    .bind(&settings.colleague_phone)
    .bind(&settings.new_patient_communes)
    .bind(settings.new_patient_min_age)
    .bind(settings.new_patient_max_age)
    .bind(&settings.departure_date)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    generations::bump(conn, &generations::members(cpts_id)).await
}

/// Marks a member as taking part in unscheduled care, as publishing slots says they do;
/// moves the CPTS's members counter when that changed the member.
pub async fn join_unscheduled_care(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    let changed: Option<i64> = sqlx::query_scalar(
        "UPDATE members SET unscheduled_care = 1, updated_at = $2 \
         WHERE id = $1 AND unscheduled_care = 0 RETURNING cpts_id",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    match changed {
        Some(cpts_id) => generations::bump(conn, &generations::members(cpts_id)).await,
        None => Ok(()),
    }
}

pub async fn link_user(conn: &mut Conn, id: i64, user_id: Option<i64>, now: i64) -> Result<()> {
    sqlx::query("UPDATE members SET user_id = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether a professional has an active practice site in a CPTS's perimeter.
pub async fn practises_in_perimeter(
    conn: &mut Conn,
    cpts_id: i64,
    professional_id: i64,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT s.id FROM practice_sites s JOIN cpts_communes c ON c.insee = s.commune \
         JOIN professionals p ON p.id = s.professional_id \
         WHERE c.cpts_id = $1 AND s.professional_id = $2 AND p.active = 1 LIMIT 1",
    )
    .bind(cpts_id)
    .bind(professional_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}
