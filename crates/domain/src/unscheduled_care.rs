//! Rules of unscheduled care (soins non programmés): the slots members publish and how
//! they recur, the requests coordinators and regulators record, cooperation protocols,
//! the order in which free slots are offered, and what becomes of a booking.

pub mod availability;
pub mod booking;
pub mod calls;
pub mod holidays;
pub mod indicators;
pub mod instants;
pub mod protocols;
pub mod reasons;
pub mod recurrence;
pub mod request;
pub mod sas;
pub mod slot_kinds;
pub mod states;

#[cfg(test)]
mod tests;

use crate::Role;
use slot_kinds::Visibility;

/// A free slot that could answer a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub slot_id: i64,
    /// Whose slot it is (the member).
    pub professional: i64,
    /// Unix seconds.
    pub start: i64,
    /// From the patient's commune to the slot's, as the crow flies.
    pub distance_km: f64,
}

/// Offers the earliest slots first, the nearest first among those at the same time.
fn order_candidates(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(a.distance_km.total_cmp(&b.distance_km))
            .then(a.slot_id.cmp(&b.slot_id))
    });
}

/// The candidates to offer, at most `limit`, in the order of [`order_candidates`]: each
/// professional's first `per_professional` slots come before anyone's later ones, so that
/// one busy agenda does not fill the list while others have slots; room left goes to the
/// later ones.
pub fn choose_offers(
    mut candidates: Vec<Candidate>,
    per_professional: usize,
    limit: usize,
) -> Vec<Candidate> {
    order_candidates(&mut candidates);
    let mut seen: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    let (first, later): (Vec<usize>, Vec<usize>) = (0..candidates.len()).partition(|&i| {
        let offered = seen.entry(candidates[i].professional).or_default();
        *offered += 1;
        *offered <= per_professional
    });
    let mut kept: Vec<usize> = first.into_iter().chain(later).take(limit).collect();
    kept.sort_unstable();
    kept.into_iter().map(|i| candidates[i].clone()).collect()
}

/// The slots a role may book: a regulator those open to the SAS, professionals and the
/// public; a member those open to professionals, the public and the CPTS; a coordinator and
/// an administrator all.
pub fn bookable_by(role: Role) -> &'static [Visibility] {
    match role {
        Role::Regulator => &[Visibility::Public, Visibility::Pro, Visibility::Snp],
        Role::Member => &[Visibility::Public, Visibility::Pro, Visibility::Cpts],
        Role::Coordinator | Role::Admin => &Visibility::ALL,
    }
}
