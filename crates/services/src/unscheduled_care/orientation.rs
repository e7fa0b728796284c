//! Orientation of a request: the free slots that can answer it before its deadline, those
//! of general practitioners and, when a cooperation protocol of the CPTS applies to the
//! patient, those of the professionals trained for it; within a radius of the patient's
//! commune (teleconsultations wherever they are), earliest first, then nearest.

use super::requests::visible;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::GeoPoint;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::directory::is_general_practitioner;
use maillage_domain::gp_waitlist::age_on;
use maillage_domain::unscheduled_care::protocols::Eligible;
use maillage_domain::unscheduled_care::request::Mobility;
use maillage_domain::unscheduled_care::slot_kinds::Mode;
use maillage_domain::unscheduled_care::{Candidate, bookable_by, choose_offers};
use maillage_store::Conn;
use maillage_store::unscheduled_care::protocols::{self, ProtocolRow};
use maillage_store::unscheduled_care::requests::SnpRequestRow;
use maillage_store::unscheduled_care::slots::{self, FreeSlotQuery, Near, SlotRow};
use std::collections::HashMap;

/// The radius searched by default around the patient's commune, in kilometres.
pub const DEFAULT_RADIUS_KM: f64 = 20.0;
/// Slots offered at most.
const OFFERED: usize = 30;
/// The slots of one professional offered before anyone's later ones: one busy agenda does
/// not fill the list, and the desk sees whom else it could call.
const PER_PROFESSIONAL: usize = 3;

/// A free slot offered for a request.
pub struct Offer {
    pub slot: SlotRow,
    pub distance_km: f64,
    /// The cooperation protocol under which this professional takes the patient.
    pub protocol: Option<String>,
}

/// The slots offered for a request, and the protocols that apply to it.
pub struct Orientation {
    pub request: SnpRequestRow,
    pub offers: Vec<Offer>,
    pub protocols: Vec<ProtocolRow>,
}

/// The CPTS's protocols that apply to the patient of `request`.
async fn applicable(
    conn: &mut Conn,
    request: &SnpRequestRow,
    today: CivilDate,
) -> ServiceResult<Vec<ProtocolRow>> {
    let reason = request.reason;
    let age = CivilDate::parse(&request.birth_date).map_or(-1, |birth| age_on(birth, today));
    let rows = protocols::of_cpts(conn, request.cpts_id).await?;
    Ok(rows
        .into_iter()
        .filter(|row| {
            let eligible = Eligible {
                reason: row.reason,
                ages: row.age_min as i32..=row.age_max as i32,
                sex: row.sex.as_deref(),
            };
            eligible.admits(reason, age, &request.sex)
        })
        .collect())
}

/// The slots offered for request `id`, within `radius_km` of the patient's commune.
pub async fn orientation(
    app: &App,
    actor: &Actor,
    id: i64,
    radius_km: f64,
) -> ServiceResult<Orientation> {
    let mut conn = app.db.conn().await?;
    let request = visible(&mut conn, actor, id).await?;
    let patient = GeoPoint::known(request.latitude, request.longitude).ok_or_else(|| {
        ServiceError::Internal(format!("commune {} without a position", request.commune))
    })?;
    let protocols = applicable(&mut conn, &request, app.today()).await?;
    let trained = trained_members(&mut conn, &protocols).await?;
    let found = free_slots_for(&mut conn, actor, &request, patient, radius_km, app.now()).await?;
    let mut offers: HashMap<i64, Offer> = HashMap::new();
    for slot in found {
        let distance_km = patient.distance_km(GeoPoint {
            latitude: slot.latitude,
            longitude: slot.longitude,
        });
        let near = slot.mode == Mode::Teleconsultation || distance_km <= radius_km;
        let protocol = trained.get(&slot.member_id).cloned();
        if near
            && (protocol.is_some() || is_general_practitioner(&slot.profession, &slot.specialty))
        {
            offers.insert(
                slot.id,
                Offer {
                    slot,
                    distance_km,
                    protocol,
                },
            );
        }
    }
    let candidates: Vec<Candidate> = offers
        .values()
        .map(|o| Candidate {
            slot_id: o.slot.id,
            professional: o.slot.member_id,
            start: o.slot.start_at,
            distance_km: o.distance_km,
        })
        .collect();
    let offers = choose_offers(candidates, PER_PROFESSIONAL, OFFERED)
        .iter()
        .filter_map(|c| offers.remove(&c.slot_id))
        .collect();
    Ok(Orientation {
        request,
        offers,
        protocols,
    })
}

/// The members trained by one of the `protocols`, with the first protocol's name.
async fn trained_members(
    conn: &mut Conn,
    protocols: &[ProtocolRow],
) -> ServiceResult<HashMap<i64, String>> {
    let mut trained: HashMap<i64, String> = HashMap::new();
    for protocol in protocols {
        for member_id in protocols::members(conn, protocol.id).await? {
            trained
                .entry(member_id)
                .or_insert_with(|| protocol.name.clone());
        }
    }
    Ok(trained)
}

/// The free slots the actor may book for the request, of the modes that suit the
/// patient: those to travel to within about `radius_km`, and teleconsultations anywhere
/// in the CPTS.
async fn free_slots_for(
    conn: &mut Conn,
    actor: &Actor,
    request: &SnpRequestRow,
    patient: GeoPoint,
    radius_km: f64,
    now: i64,
) -> ServiceResult<Vec<SlotRow>> {
    let modes = Mode::for_mobility(request.mobility == Mobility::Mobile);
    let visibilities = bookable_by(actor.role).to_vec();
    let window = |cells: Vec<i64>, near: Option<Near>, modes: Vec<Mode>| FreeSlotQuery {
        cells,
        near,
        from: now,
        to: request.deadline_at.max(now + 3_600),
        modes,
        visibilities: visibilities.clone(),
        cpts_ids: vec![request.cpts_id],
        limit: 2_000,
        ..FreeSlotQuery::default()
    };
    let travelling: Vec<Mode> = modes
        .iter()
        .copied()
        .filter(|m| *m != Mode::Teleconsultation)
        .collect();
    // The database skips the slots of the cells' corners beyond the radius, so that they
    // do not take the place of nearer ones within the limit.
    let around = Near {
        latitude: patient.latitude,
        longitude: patient.longitude,
        radius_km,
    };
    let cells = patient.cells_within(radius_km);
    let mut found = slots::free(conn, &window(cells, Some(around), travelling)).await?;
    if modes.contains(&Mode::Teleconsultation) {
        let remote = vec![Mode::Teleconsultation];
        found.extend(slots::free(conn, &window(Vec::new(), None, remote)).await?);
    }
    Ok(found)
}
