//! The waiting list of patients without a médecin traitant: requests and their
//! proposals to member GPs.

pub mod proposals;
pub mod requests;
