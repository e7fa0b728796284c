//! Who may see and change what, in one file. An account's [`Scope`] is every CPTS for an
//! administrator and its own CPTS otherwise; each kind of object has its rule here, which
//! the use cases call (the store filters what they list by the CPTS the scope gives).
//! `tests/it/access_matrix.rs` checks each kind of object against each role, in the same
//! CPTS and in another.
//!
//! | What | Who sees it | Who changes it |
//! |---|---|---|
//! | a CPTS and what it shares (perimeter, members list) | its accounts, administrators | its coordinators, administrators |
//! | a member's settings | its CPTS's accounts, administrators | the member, its CPTS's coordinators |
//! | a member's availability (rules, slots, absences) | the member, its CPTS's coordinators, administrators | the same |
//! | unscheduled-care requests and their bookings | its CPTS's coordinators and regulators (the desk) | the desk; the member whose slot it is records the outcome |
//! | a slot to book | those its visibility admits ([`bookable_by`]) | — |
//! | the waiting list, its requests and proposals | its CPTS's coordinators | the coordinators; the GP a proposal was made to answers it |
//! | a thread, its messages and attachments | the thread's members | its members |
//! | an alert | the CPTS's accounts it was sent to, its coordinators | its coordinators |
//! | a member's agenda and calendar feed | that member (the feed through its secret address) | the member |
//! | the audit trail, accounts | administrators (every CPTS), coordinators (their CPTS) | — |
//!
//! [`bookable_by`]: maillage_domain::unscheduled_care::bookable_by

use crate::context::Actor;
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::Role;

/// Whose objects an account sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// An administrator serves the host: every CPTS.
    Host,
    /// Every other account belongs to one CPTS.
    Cpts(i64),
}

impl Scope {
    /// The CPTS a listing is limited to; `None` for every CPTS.
    pub fn cpts_id(self) -> Option<i64> {
        match self {
            Scope::Host => None,
            Scope::Cpts(id) => Some(id),
        }
    }

    pub fn covers(self, cpts_id: i64) -> bool {
        self.cpts_id().is_none_or(|id| id == cpts_id)
    }
}

/// The actor's scope; an account of no CPTS that is not an administrator sees nothing.
pub fn scope(actor: &Actor) -> ServiceResult<Scope> {
    match (actor.role, actor.cpts_id) {
        (Role::Admin, _) => Ok(Scope::Host),
        (_, Some(cpts_id)) => Ok(Scope::Cpts(cpts_id)),
        (_, None) => Err(ServiceError::Forbidden),
    }
}

/// Whether the actor sees objects of the CPTS `cpts_id` at all.
pub fn sees(actor: &Actor, cpts_id: i64) -> bool {
    scope(actor).is_ok_and(|scope| scope.covers(cpts_id))
}

/// The CPTS the actor coordinates; `Forbidden` for anyone but a coordinator.
pub fn coordinated(actor: &Actor) -> ServiceResult<i64> {
    match (actor.role, actor.cpts_id) {
        (Role::Coordinator, Some(cpts_id)) => Ok(cpts_id),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Whether the actor coordinates the CPTS `cpts_id`.
pub fn coordinates(actor: &Actor, cpts_id: i64) -> bool {
    coordinated(actor).is_ok_and(|id| id == cpts_id)
}

/// The CPTS whose unscheduled-care desk the actor works at: its coordinators and its
/// regulators.
pub fn desk(actor: &Actor) -> ServiceResult<i64> {
    match (actor.role, actor.cpts_id) {
        (Role::Coordinator | Role::Regulator, Some(cpts_id)) => Ok(cpts_id),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Who may read the audit trail and the list of accounts: administrators (every CPTS) and
/// coordinators (their own).
pub fn keeps_accounts(actor: &Actor) -> ServiceResult<Scope> {
    match actor.role {
        Role::Admin | Role::Coordinator => scope(actor),
        Role::Member | Role::Regulator => Err(ServiceError::Forbidden),
    }
}

/// Whether the actor may change the settings of the member of CPTS `cpts_id` whose account
/// is `member_user_id`: its CPTS's coordinators, or the member themself.
pub fn edits_member(actor: &Actor, cpts_id: i64, member_user_id: Option<i64>) -> bool {
    coordinates(actor, cpts_id) || member_user_id == Some(actor.user_id)
}

/// Whether the actor may keep the availability of that member: the member themself, its
/// CPTS's coordinators, administrators; `NotFound` outside the actor's scope.
pub fn manages_availability(
    actor: &Actor,
    cpts_id: i64,
    member_user_id: Option<i64>,
) -> ServiceResult<()> {
    if !sees(actor, cpts_id) {
        return Err(ServiceError::NotFound);
    }
    let own = member_user_id == Some(actor.user_id);
    if own || matches!(actor.role, Role::Coordinator | Role::Admin) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Who may invite whom: administrators anyone; coordinators anyone but an administrator,
/// into their own CPTS only.
pub fn invites(actor: &Actor, role: Role, cpts_id: Option<i64>) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Coordinator => role != Role::Admin && cpts_id == actor.cpts_id,
        Role::Member | Role::Regulator => false,
    }
}
