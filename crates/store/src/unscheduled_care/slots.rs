//! Repository of unscheduled-care slots: those a member's rules give over the coming weeks
//! and one-off ones, kept in step with the rules; a member's agenda; and the search of
//! free slots by time window, grid cells, mode and visibility.

use crate::Conn;
use crate::batch::{Kind, insert_rows, int, is_postgres, json_list, maybe_int, maybe_real, text};
use crate::columns::Bit;
use crate::columns::Code;
use crate::error::Result;
use crate::native_sql::{self, NativeConn};
use maillage_domain::unscheduled_care::slot_kinds::{Mode, Visibility};
use maillage_domain::unscheduled_care::states::SlotStatus;

/// A slot to record.
#[derive(Debug, Clone)]
pub struct NewSlot {
    pub cpts_id: i64,
    pub member_id: i64,
    pub place_id: i64,
    pub rule_id: Option<i64>,
    pub start_at: i64,
    pub end_at: i64,
    pub mode: Mode,
    pub visibility: Visibility,
    pub extra_patients: bool,
    pub profession: String,
    pub specialty: String,
    pub latitude: f64,
    pub longitude: f64,
    pub cell: i64,
}

/// Records slots; a member's slot already at the same start is kept as it is, unless it
/// was withdrawn: it is offered again, as given now.
pub async fn insert(conn: &mut Conn, slots: &[NewSlot]) -> Result<()> {
    insert_rows(
        conn,
        slots,
        |rows| {
            format!(
                "INSERT INTO snp_slots (cpts_id, member_id, place_id, rule_id, start_at, end_at, \
                 mode, visibility, extra_patients, profession, specialty, latitude, longitude, \
                 cell) {rows} ON CONFLICT (member_id, start_at) DO UPDATE SET status = 'free', \
                 place_id = excluded.place_id, rule_id = excluded.rule_id, \
                 end_at = excluded.end_at, mode = excluded.mode, \
                 visibility = excluded.visibility, extra_patients = excluded.extra_patients, \
                 latitude = excluded.latitude, longitude = excluded.longitude, \
                 cell = excluded.cell WHERE snp_slots.status = 'withdrawn'"
            )
        },
        |s| {
            vec![
                int(s.cpts_id),
                int(s.member_id),
                int(s.place_id),
                maybe_int(s.rule_id),
                int(s.start_at),
                int(s.end_at),
                text(s.mode.code()),
                text(s.visibility.code()),
                int(i64::from(s.extra_patients)),
                text(&s.profession),
                text(&s.specialty),
                maybe_real(Some(s.latitude)),
                maybe_real(Some(s.longitude)),
                int(s.cell),
            ]
        },
    )
    .await
}

/// A slot of a member from now on, as the rules' refresh compares them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlannedSlot {
    pub id: i64,
    pub rule_id: Option<i64>,
    pub start_at: i64,
    #[sqlx(try_from = "Code<SlotStatus>")]
    pub status: SlotStatus,
}

/// The slots of `member_id` starting at `from` or later.
pub async fn planned(conn: &mut Conn, member_id: i64, from: i64) -> Result<Vec<PlannedSlot>> {
    Ok(sqlx::query_as(
        "SELECT id, rule_id, start_at, status FROM snp_slots \
         WHERE member_id = $1 AND start_at >= $2 ORDER BY start_at",
    )
    .bind(member_id)
    .bind(from)
    .fetch_all(conn)
    .await?)
}

/// Takes free slots out of the offer by id (those no rule gives any more): removed, or
/// withdrawn when bookings of them were cancelled; booked ones are kept.
pub async fn withdraw_free(conn: &mut Conn, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let listed = json_list(conn, 1, Kind::Int);
    let ids = serde_json::to_string(ids).expect("numbers");
    let booked_once = "EXISTS (SELECT 1 FROM snp_bookings b WHERE b.slot_id = snp_slots.id)";
    sqlx::query(&format!(
        "UPDATE snp_slots SET status = 'withdrawn' WHERE status = 'free' AND id IN {listed} \
         AND {booked_once}"
    ))
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "DELETE FROM snp_slots WHERE status = 'free' AND id IN {listed} AND NOT {booked_once}"
    ))
    .bind(&ids)
    .execute(conn)
    .await?;
    Ok(())
}

/// A slot with who offers it, where, and its live booking if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SlotRow {
    pub id: i64,
    pub cpts_id: i64,
    pub member_id: i64,
    pub place_id: i64,
    pub rule_id: Option<i64>,
    pub start_at: i64,
    pub end_at: i64,
    #[sqlx(try_from = "Code<Mode>")]
    pub mode: Mode,
    #[sqlx(try_from = "Code<Visibility>")]
    pub visibility: Visibility,
    #[sqlx(try_from = "Bit")]
    pub extra_patients: bool,
    #[sqlx(try_from = "Code<SlotStatus>")]
    pub status: SlotStatus,
    pub profession: String,
    pub specialty: String,
    pub latitude: f64,
    pub longitude: f64,
    pub professional_id: i64,
    pub title: String,
    pub last_name: String,
    pub first_name: String,
    pub national_id: String,
    #[sqlx(try_from = "Bit")]
    pub synthetic: bool,
    pub place_name: String,
    pub street: String,
    pub postcode: String,
    pub commune: String,
    pub commune_name: String,
    pub place_phone: String,
    pub finess: String,
}

const SELECT: &str = "SELECT s.id, s.cpts_id, s.member_id, s.place_id, s.rule_id, s.start_at, \
     s.end_at, s.mode, s.visibility, s.extra_patients, s.status, s.profession, s.specialty, \
     s.latitude, s.longitude, p.id AS professional_id, p.title, p.last_name, p.first_name, \
     p.national_id, p.synthetic, pl.name AS place_name, pl.street, pl.postcode, pl.commune, \
     c.name AS commune_name, pl.phone AS place_phone, pl.finess \
     FROM snp_slots s JOIN members m ON m.id = s.member_id \
     JOIN professionals p ON p.id = m.professional_id \
     JOIN snp_places pl ON pl.id = s.place_id JOIN communes c ON c.insee = pl.commune";

/// One slot.
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<SlotRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The slots of a member between two instants, in time order.
pub async fn of_member(
    conn: &mut Conn,
    member_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<SlotRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE s.member_id = $1 AND s.start_at >= $2 AND s.start_at < $3 ORDER BY s.start_at"
    ))
    .bind(member_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// What a search of free slots asks for.
#[derive(Debug, Clone, Default)]
pub struct FreeSlotQuery {
    /// The grid cells around the patient (empty: anywhere).
    pub cells: Vec<i64>,
    pub from: i64,
    pub to: i64,
    pub modes: Vec<Mode>,
    pub visibilities: Vec<Visibility>,
    /// Only these CPTS (empty: every CPTS of the host).
    pub cpts_ids: Vec<i64>,
    /// Only these members (empty: all).
    pub member_ids: Vec<i64>,
    /// Only these professionals' national ids (empty: all).
    pub national_ids: Vec<String>,
    /// Only the slots within this distance of a point (a little beyond it: the caller
    /// measures the exact distance).
    pub near: Option<Near>,
    pub limit: i64,
}

/// A point and a radius around it, in kilometres.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_km: f64,
}

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.2;

/// A value bound to a search of free slots.
enum Bind {
    Text(String),
    Real(f64),
}

/// Free slots starting within the window, earliest first. With cells, each cell's earliest
/// slots are read through the index of free slots by cell and start, and merged: a search
/// reads at most `limit` slots a cell, however many the cells hold.
pub async fn free(conn: &mut Conn, query: &FreeSlotQuery) -> Result<Vec<SlotRow>> {
    let (filters, mut binds) = free_filters(conn, query);
    let limit = query.limit.clamp(1, 10_000);
    let filters = filters.join(" AND ");
    let earliest = |cell: &str| {
        format!(
            "SELECT id FROM snp_slots WHERE {filters}{cell} ORDER BY start_at, id LIMIT {limit}"
        )
    };
    let ids = if query.cells.is_empty() {
        format!("SELECT id FROM ({}) AS e", earliest(""))
    } else if is_postgres(conn) {
        // One statement whatever the cells, bound as a list: planned once, and each cell read
        // through the index (LATERAL).
        binds.push(Bind::Text(to_json(&query.cells)));
        let cells = format!(
            "jsonb_array_elements_text(${}::jsonb) AS c(cell)",
            binds.len() + 2
        );
        let each = earliest(" AND cell = CAST(c.cell AS BIGINT)");
        format!("SELECT e.id FROM {cells} CROSS JOIN LATERAL ({each}) AS e")
    } else {
        query
            .cells
            .iter()
            .map(|cell| {
                format!(
                    "SELECT id FROM ({}) AS e",
                    earliest(&format!(" AND cell = {cell}"))
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    };
    let sql = format!("{SELECT} WHERE s.id IN ({ids}) ORDER BY s.start_at, s.id LIMIT {limit}");
    let mut statement = sqlx::query_as(&sql).bind(query.from).bind(query.to);
    for value in binds {
        statement = match value {
            Bind::Text(text) => statement.bind(text),
            Bind::Real(real) => statement.bind(real),
        };
    }
    Ok(statement.fetch_all(conn).await?)
}

/// The conditions a free slot meets for `query`, and the values they bind after the
/// window's `$1` and `$2`.
fn free_filters(conn: &Conn, query: &FreeSlotQuery) -> (Vec<String>, Vec<Bind>) {
    let mut filters = vec![
        "status = 'free'".to_owned(),
        "start_at >= $1".to_owned(),
        "start_at <= $2".to_owned(),
    ];
    let lists: [(&str, String, Kind); 5] = [
        (
            "mode",
            codes(query.modes.iter().map(|m| m.code())),
            Kind::Text,
        ),
        (
            "visibility",
            codes(query.visibilities.iter().map(|v| v.code())),
            Kind::Text,
        ),
        ("cpts_id", to_json(&query.cpts_ids), Kind::Int),
        ("member_id", to_json(&query.member_ids), Kind::Int),
        ("national_id", to_json(&query.national_ids), Kind::Text),
    ];
    let mut binds = Vec::new();
    for (column, values, kind) in lists {
        if values == "[]" {
            continue;
        }
        binds.push(Bind::Text(values));
        let list = json_list(conn, binds.len() + 2, kind);
        filters.push(if column == "national_id" {
            format!(
                "member_id IN (SELECT m.id FROM members m JOIN professionals p \
                 ON p.id = m.professional_id WHERE p.national_id IN {list})"
            )
        } else {
            format!("{column} IN {list}")
        });
    }
    if let Some(near) = query.near {
        // Flat-earth distance over a few tens of kilometres, with a margin of one per cent
        // over the exact (great-circle) one: each cell's read skips its corners beyond the
        // radius, which would otherwise come first and call for more reads.
        let per_degree_east = KM_PER_DEGREE * near.latitude.to_radians().cos();
        let n = binds.len() + 3;
        binds.extend(
            [
                near.latitude,
                near.longitude,
                per_degree_east,
                (near.radius_km * 1.01 / KM_PER_DEGREE).powi(2),
            ]
            .map(Bind::Real),
        );
        let (lat, lon, east, reach) = (n, n + 1, n + 2, n + 3);
        filters.push(format!(
            "(latitude - ${lat}) * (latitude - ${lat}) + ((longitude - ${lon}) * ${east} / \
             {KM_PER_DEGREE}) * ((longitude - ${lon}) * ${east} / {KM_PER_DEGREE}) <= ${reach}"
        ));
    }
    (filters, binds)
}

/// The ids of a CPTS's slots, in the order they were made.
pub async fn ids_of_cpts(conn: &mut Conn, cpts_id: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM snp_slots WHERE cpts_id = $1 ORDER BY id")
            .bind(cpts_id)
            .fetch_all(conn)
            .await?,
    )
}

fn to_json<T: serde::Serialize>(values: &[T]) -> String {
    serde_json::to_string(values).expect("plain values")
}

/// Codes as a JSON list.
fn codes<'a>(codes: impl Iterator<Item = &'a str>) -> String {
    to_json(&codes.collect::<Vec<_>>())
}

/// Marks a free slot booked; whether it was free (false: someone else took it first).
pub async fn take(conn: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query(TAKE).bind(id).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

const TAKE: &str = "UPDATE snp_slots SET status = 'booked' WHERE id = $1 AND status = 'free'";

/// [`take`] on SQLite's native writer.
pub fn take_native(conn: &NativeConn, id: i64) -> Result<bool> {
    Ok(native_sql::execute(conn, TAKE, &[&id])? == 1)
}

/// Frees a slot whose booking was cancelled or moved.
/// Takes a slot whose booking ended out of the offer (its professional is absent that day).
pub async fn withdraw(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE snp_slots SET status = 'withdrawn' WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn release(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE snp_slots SET status = 'free' WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
