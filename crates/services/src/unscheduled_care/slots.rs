//! The search of free slots by time window, and around a commune within a radius, as the
//! API offers it: the slots of the actor's CPTS that their role may book (every CPTS's for
//! an administrator), earliest first.

use crate::access;
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::territory::commune_code_of;
use maillage_domain::unscheduled_care::bookable_by;
use maillage_domain::unscheduled_care::instants::parse_instant;
use maillage_domain::unscheduled_care::sas::sas_identity_gap;
use maillage_domain::{FieldErrors, GeoPoint};
use maillage_store::Conn;
use maillage_store::territory::cpts::{self, CptsRow};
use maillage_store::territory::reference;
use maillage_store::unscheduled_care::slots::{self, FreeSlotQuery, Near, SlotRow};

/// The longest window searched, in seconds (14 days).
const LONGEST_WINDOW: i64 = 14 * 86_400;

/// A search as the API receives it; empty fields take their defaults.
#[derive(Debug, Clone, Default)]
pub struct SlotSearch {
    /// From now by default.
    pub from: String,
    /// 48 hours after `from` by default.
    pub to: String,
    /// INSEE code or name; anywhere in the CPTS when empty.
    pub commune: String,
    /// 20 km by default, 100 at most.
    pub radius_km: Option<f64>,
    pub limit: Option<i64>,
}

/// A free slot found, with its distance from the commune searched around.
pub struct FoundSlot {
    pub slot: SlotRow,
    pub distance_km: Option<f64>,
}

pub async fn search(
    app: &App,
    actor: &Actor,
    search: &SlotSearch,
) -> ServiceResult<Vec<FoundSlot>> {
    let cpts_ids: Vec<i64> = access::scope(actor)?.cpts_id().into_iter().collect();
    let mut errors = FieldErrors::new();
    let now = app.now();
    let (from, to) = window_of(search, now, &mut errors);
    let radius = search.radius_km.unwrap_or(20.0);
    if !(0.0..=100.0).contains(&radius) {
        errors.add("radius_km", "Un rayon de 0 à 100 km.");
    }
    let mut conn = app.db.conn().await?;
    let mut around: Option<GeoPoint> = None;
    if !search.commune.trim().is_empty() {
        match commune_code_of(&mut conn, actor.cpts_id, &search.commune).await? {
            Ok(code) => {
                let found = reference::communes_by_codes(&mut conn, &[code]).await?;
                around = found
                    .first()
                    .and_then(|c| GeoPoint::known(c.latitude, c.longitude));
            }
            Err(message) => errors.add("commune", message),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let wanted = search.limit.unwrap_or(200).clamp(1, 1_000) as usize;
    let query = FreeSlotQuery {
        cells: around.map(|p| p.cells_within(radius)).unwrap_or_default(),
        near: around.map(|p| Near {
            latitude: p.latitude,
            longitude: p.longitude,
            radius_km: radius,
        }),
        from: from.max(now),
        to,
        visibilities: bookable_by(actor.role).to_vec(),
        cpts_ids,
        limit: wanted as i64,
        ..FreeSlotQuery::default()
    };
    within_radius(&mut conn, query, around, radius, wanted).await
}

/// The window searched: from now, or the time typed, for 48 hours or to the end typed, of
/// 14 days at most; the errors named for their fields.
fn window_of(
    search: &SlotSearch,
    now: i64,
    errors: &mut FieldErrors,
) -> (Option<i64>, Option<i64>) {
    let from = match search.from.trim() {
        "" => Some(now),
        raw => errors
            .take("from", parse_instant(raw))
            .map(|t| t.as_second()),
    };
    let to = match search.to.trim() {
        "" => from.map(|f| f + 48 * 3_600),
        raw => errors.take("to", parse_instant(raw)).map(|t| t.as_second()),
    };
    if let (Some(from), Some(to)) = (from, to)
        && (to < from || to - from > LONGEST_WINDOW)
    {
        errors.add("to", "La fin doit être après le début, à 14 jours au plus.");
    }
    (from, to)
}

/// The first `wanted` free slots of `query` within `radius` of `around`: the database
/// keeps the slots a little beyond the radius too; when those filled the rows read, more
/// are read until enough lie within it or none are left.
async fn within_radius(
    conn: &mut Conn,
    mut query: FreeSlotQuery,
    around: Option<GeoPoint>,
    radius: f64,
    wanted: usize,
) -> ServiceResult<Vec<FoundSlot>> {
    loop {
        let rows = slots::free(conn, &query).await?;
        let exhausted = (rows.len() as i64) < query.limit;
        let found: Vec<FoundSlot> = rows
            .into_iter()
            .filter_map(|slot| {
                let distance_km = around.map(|p| {
                    p.distance_km(GeoPoint {
                        latitude: slot.latitude,
                        longitude: slot.longitude,
                    })
                });
                (distance_km.unwrap_or(0.0) <= radius).then_some(FoundSlot { slot, distance_km })
            })
            .take(wanted)
            .collect();
        if found.len() == wanted || exhausted {
            return Ok(found);
        }
        query.limit *= 4;
    }
}

/// The free slots the SAS platform asks for, and the CPTS they are published through
/// (with the caller's own CPTS, even when it has no slot to show).
pub struct SasSlots {
    pub slots: Vec<SlotRow>,
    pub cpts: Vec<CptsRow>,
}

impl SasSlots {
    /// What keeps the SAS from being answered, one sentence per CPTS concerned: a CPTS
    /// without the identity the guide requires does not answer as if it were complete.
    pub fn identity_gaps(&self) -> Vec<String> {
        self.cpts
            .iter()
            .filter_map(|c| sas_identity_gap(&c.finess).map(|gap| format!("{} : {gap}", c.name)))
            .collect()
    }
}

/// The most professionals one SAS search names.
pub const SAS_MAX_PRACTITIONERS: usize = 25;

/// The free slots of the professionals `national_ids` (1 to 25) starting in `[from, to]`,
/// of the actor's CPTS (every CPTS's for an administrator) and of the visibilities their
/// role may book.
pub async fn for_sas(
    app: &App,
    actor: &Actor,
    national_ids: &[String],
    from: i64,
    to: i64,
) -> ServiceResult<SasSlots> {
    let scope = access::scope(actor)?;
    let query = FreeSlotQuery {
        from,
        to,
        visibilities: bookable_by(actor.role).to_vec(),
        cpts_ids: scope.cpts_id().into_iter().collect(),
        national_ids: national_ids.to_vec(),
        limit: 10_000,
        ..FreeSlotQuery::default()
    };
    let mut conn = app.db.conn().await?;
    let slots = slots::free(&mut conn, &query).await?;
    let mut cpts_ids: Vec<i64> = slots
        .iter()
        .map(|s| s.cpts_id)
        .chain(scope.cpts_id())
        .collect();
    cpts_ids.sort_unstable();
    cpts_ids.dedup();
    let mut cpts = Vec::new();
    for id in cpts_ids {
        cpts.extend(cpts::by_id(&mut conn, id).await?);
    }
    Ok(SasSlots { slots, cpts })
}
