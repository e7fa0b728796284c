//! Fixtures of the benchmarks: a CPTS with many member accounts, created in one transaction
//! without passwords (nobody logs in to a benchmark's accounts); a CPTS whose members, the
//! directory's general practitioners, publish a million unscheduled-care slots.

use crate::context::{Actor, App, RequestContext};
use crate::error::ServiceResult;
use crate::territory::cpts;
use maillage_domain::directory::general_practice::PHYSICIAN;
use maillage_domain::unscheduled_care::slot_kinds::{Mode, Visibility};
use maillage_domain::{GeoPoint, Role};
use maillage_store::platform::users::{self, NewUser};
use maillage_store::unscheduled_care::availability::{self, GpSite, NewPlace};
use maillage_store::unscheduled_care::bookings;
use maillage_store::unscheduled_care::slots::{self, NewSlot};
use maillage_store::{Db, directory::members};

/// Creates the CPTS `slug` with a coordinator and `members` member accounts; returns the
/// coordinator, acting.
pub async fn cpts_with_members(app: &App, slug: &str, members: usize) -> ServiceResult<Actor> {
    let mut tx = app.db.begin().await?;
    let cpts = cpts::create_in(app, &mut tx, None, slug, &format!("CPTS {slug}")).await?;
    let now = app.now();
    let coordinator = NewUser {
        email: &format!("coordination@{slug}.test"),
        display_name: "Coordination",
        role: Role::Coordinator,
        cpts_id: Some(cpts.id),
    };
    let row = users::insert(&mut tx, &coordinator, now).await?;
    for n in 0..members {
        let member = NewUser {
            email: &format!("membre{n}@{slug}.test"),
            display_name: &format!("Membre {n}"),
            role: Role::Member,
            cpts_id: Some(cpts.id),
        };
        users::insert(&mut tx, &member, now).await?;
    }
    Db::commit(tx).await?;
    Ok(Actor {
        user_id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: Role::Coordinator,
        cpts_id: Some(cpts.id),
        request: RequestContext::default(),
    })
}

/// What the unscheduled-care fixture made.
pub struct SlotFixture {
    pub members: usize,
    /// The free slots laid out, in the order they were made.
    pub slot_ids: Vec<i64>,
    /// The commune of each member's place, where searches start from.
    pub communes: Vec<String>,
}

/// The coordinator's CPTS gets as members the general practitioners of the directory (as
/// many as `slots` needs, 20 each), each publishing about 20 free slots at their first
/// practice site over the next seven days: in person mostly, of every visibility.
/// Deterministic for a seed; a transaction per thousand members, then the database's
/// statistics refreshed.
pub async fn unscheduled_slots(
    app: &App,
    coordinator: &Actor,
    slots: usize,
    seed: u64,
) -> ServiceResult<SlotFixture> {
    const PER_MEMBER: usize = 20;
    /// Quarter hours in the seven days slots are laid out over.
    const QUARTERS: usize = 7 * 24 * 4;
    const MEMBERS_PER_COMMIT: usize = 1_000;
    let cpts_id = crate::access::coordinated(coordinator)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut tx = app.db.begin().await?;
    let wanted = slots.div_ceil(PER_MEMBER);
    let sites: Vec<GpSite> = availability::gp_sites(&mut tx, wanted as i64).await?;
    let per_member = slots.div_ceil(sites.len().max(1));
    let now = app.now();
    let first_hour = now - now % 3_600 + 3_600;
    let mut fixture = SlotFixture {
        members: 0,
        slot_ids: Vec::new(),
        communes: Vec::new(),
    };
    let visibilities = Visibility::ALL;
    for site in &sites {
        let Some(member_id) = members::insert(&mut tx, cpts_id, site.professional_id, now).await?
        else {
            continue;
        };
        let name = if site.structure_name.is_empty() {
            "Cabinet"
        } else {
            &site.structure_name
        };
        let place = NewPlace {
            member_id,
            name,
            street: &site.street,
            postcode: &site.postcode,
            commune: &site.commune,
            finess: &site.finess,
            phone: &site.phone,
        };
        let place_id = availability::place_id(&mut tx, &place).await?;
        let Some(point) = availability::place(&mut tx, place_id)
            .await?
            .and_then(|p| GeoPoint::known(p.latitude, p.longitude))
        else {
            continue;
        };
        let mut starts = std::collections::BTreeSet::new();
        while starts.len() < per_member.min(QUARTERS) {
            starts.insert(first_hour + rng.i64(0..QUARTERS as i64) * 900);
        }
        let new: Vec<NewSlot> = starts
            .iter()
            .map(|&start_at| NewSlot {
                cpts_id,
                member_id,
                place_id,
                rule_id: None,
                start_at,
                end_at: start_at + 900,
                mode: match rng.u8(0..20) {
                    0..=16 => Mode::InPerson,
                    17 | 18 => Mode::Teleconsultation,
                    _ => Mode::HomeVisit,
                },
                visibility: visibilities[rng.usize(0..visibilities.len())],
                extra_patients: false,
                profession: PHYSICIAN.to_owned(),
                specialty: site.specialty.clone(),
                latitude: point.latitude,
                longitude: point.longitude,
                cell: point.grid_cell(),
            })
            .collect();
        slots::insert(&mut tx, &new).await?;
        fixture.members += 1;
        fixture.communes.push(site.commune.clone());
        // Each member bumps the CPTS's generation: PostgreSQL slows down on a row updated
        // tens of thousands of times in one transaction, so commit every thousand.
        if fixture.members.is_multiple_of(MEMBERS_PER_COMMIT) {
            Db::commit(tx).await?;
            tx = app.db.begin().await?;
        }
    }
    fixture.slot_ids = slots::ids_of_cpts(&mut tx, cpts_id).await?;
    Db::commit(tx).await?;
    app.db.settle().await?;
    Ok(fixture)
}

/// How many slots of the CPTS hold more than one live booking (there must be none).
pub async fn doubly_booked_slots(app: &App, cpts_id: i64) -> ServiceResult<i64> {
    let mut conn = app.db.conn().await?;
    Ok(bookings::doubly_booked_slots(&mut conn, cpts_id).await?)
}
