//! Repository of a CPTS's cooperation protocols and the members trained for each.

use crate::Conn;
use crate::columns::Code;
use crate::error::Result;
use maillage_domain::unscheduled_care::reasons::Reason;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProtocolRow {
    pub id: i64,
    pub cpts_id: i64,
    pub name: String,
    #[sqlx(try_from = "Code<Reason>")]
    pub reason: Reason,
    pub profession: String,
    pub age_min: i64,
    pub age_max: i64,
    pub sex: Option<String>,
    pub conditions: String,
}

/// A protocol to record.
pub struct NewProtocol<'a> {
    pub cpts_id: i64,
    pub name: &'a str,
    pub reason: Reason,
    pub profession: &'a str,
    pub age_min: i64,
    pub age_max: i64,
    pub sex: Option<&'a str>,
    pub conditions: &'a str,
}

pub async fn insert(conn: &mut Conn, protocol: &NewProtocol<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO snp_protocols (cpts_id, name, reason, profession, age_min, age_max, sex, \
         conditions, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(protocol.cpts_id)
    .bind(protocol.name)
    .bind(protocol.reason.code())
    .bind(protocol.profession)
    .bind(protocol.age_min)
    .bind(protocol.age_max)
    .bind(protocol.sex)
    .bind(protocol.conditions)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The protocols of a CPTS, by name.
pub async fn of_cpts(conn: &mut Conn, cpts_id: i64) -> Result<Vec<ProtocolRow>> {
    Ok(sqlx::query_as(
        "SELECT id, cpts_id, name, reason, profession, age_min, age_max, sex, conditions \
         FROM snp_protocols WHERE cpts_id = $1 ORDER BY name, id",
    )
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

pub async fn delete(conn: &mut Conn, cpts_id: i64, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM snp_protocols WHERE id = $1 AND cpts_id = $2")
        .bind(id)
        .bind(cpts_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the members trained for a protocol.
pub async fn set_members(conn: &mut Conn, protocol_id: i64, member_ids: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM snp_protocol_members WHERE protocol_id = $1")
        .bind(protocol_id)
        .execute(&mut *conn)
        .await?;
    for member_id in member_ids {
        sqlx::query("INSERT INTO snp_protocol_members (protocol_id, member_id) VALUES ($1, $2)")
            .bind(protocol_id)
            .bind(member_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The members trained for a protocol.
pub async fn members(conn: &mut Conn, protocol_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT member_id FROM snp_protocol_members WHERE protocol_id = $1 ORDER BY member_id",
    )
    .bind(protocol_id)
    .fetch_all(conn)
    .await?)
}
