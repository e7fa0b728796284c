//! The national directory of health professionals: importing the Annuaire Santé
//! extraction (folder or zip, streamed, one transaction) and the FINESS file, searching
//! them (through an in-memory index around communes), and reading them for the FHIR
//! interface.

mod batch;
pub mod finess;
pub mod import;
pub mod index;
mod lines;
pub mod members;
mod offer_tally;
pub mod read;
pub(crate) mod reader;
pub mod safeguards;
pub mod search;
mod source;
