//! The national directory of health professionals and FINESS establishments, its
//! imports, reads and searches, and a CPTS's members.

pub mod establishments;
pub mod general_practice;
pub mod members;
pub mod professionals;
pub mod read;
pub mod search;
