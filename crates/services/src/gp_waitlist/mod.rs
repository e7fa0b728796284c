//! The waiting list of patients without a médecin traitant: requests recorded from a call
//! or the public form, the priority each patient has under the CPTS's rules and
//! why, probable duplicates, each request's history, and proposals to member GPs within
//! their monthly capacity and limits; the patients of GPs who plan to leave, registered
//! ahead of their departure. Only the CPTS's coordinators reach the list, a GP the proposals
//! made to them, and every read and write of it is audited.

mod departures;
mod follow_up;
mod indicators;
mod intake;
mod patient_file;
mod proposals;
mod purge;
mod queue;
mod reminders;
mod rules;

pub use crate::periods::period;
pub use departures::{DepartingGp, Imported, departing_gps, departure, import_patients};
pub use follow_up::{close, close_in, merge, merge_in, set_priority, set_priority_in};
pub use indicators::indicators;
pub use intake::{Recorded, public_form_of, record, record_in, submit_public};
pub use proposals::{
    ANSWER_LINK_SECS, LinkedProposal, Suggestion, answer, answer_by_link, answer_in, capacities,
    confirm_found, confirm_found_in, my_proposals, proposal_by_link, proposals_of, propose,
    propose_in, suggestions,
};
pub use purge::purge_closed;
pub use queue::{QueueEntry, RequestView, detail, queue};
pub use reminders::{PROPOSAL_REMINDER_SECS, Reminded, send_reminders};
pub use rules::{rules, set_rules, set_stale_after_days, stale_after_days};
