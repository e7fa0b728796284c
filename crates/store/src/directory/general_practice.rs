//! The domain's definition of a general practitioner written as an SQL condition, for the
//! queries that keep GPs among professionals.

use maillage_domain::directory::general_practice::{GENERAL_PRACTICE, PHYSICIAN};

/// The condition that the professional `alias` (a row of `professionals`) is a GP.
pub fn is_gp(alias: &str) -> String {
    let specialties = GENERAL_PRACTICE
        .iter()
        .map(|code| format!("'{code}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{alias}.profession = '{PHYSICIAN}' AND {alias}.specialty IN ({specialties})")
}
