//! The national directory of health professionals: importing the Annuaire Santé
//! extraction (folder or zip, streamed, one transaction) and searching it.

pub mod import;
pub mod read;
mod reader;
pub mod search;
mod source;
