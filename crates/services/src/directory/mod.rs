//! The national directory of health professionals: importing the Annuaire Santé
//! extraction (folder or zip, streamed, one transaction).

pub mod import;
mod reader;
mod source;
