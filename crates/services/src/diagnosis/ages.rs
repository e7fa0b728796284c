//! The age structure of a diagnosis's areas and communes, from INSEE's population by sex
//! and age band: the pyramid and the shares of the 0–14, the 60 and over, the 75 and over.

use maillage_domain::diagnosis::{AGE_BANDS, age_shares};
use maillage_store::diagnosis::statistics::AgeRow;
use serde::Serialize;

/// People of each band of `AGE_BANDS`, men and women, and the shares the diagnosis shows.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AgeStructure {
    pub men: [f64; 6],
    pub women: [f64; 6],
    pub total: f64,
    /// In %.
    pub share_0_14: f64,
    pub share_60_plus: f64,
    pub share_75_plus: f64,
}

/// Men and women of each band in the rows whose code is one of `codes`, summed; `None`
/// when no row is there.
fn people(rows: &[AgeRow], codes: &[&str]) -> Option<([f64; 6], [f64; 6])> {
    let (mut men, mut women) = ([0.0; 6], [0.0; 6]);
    let mut found = false;
    for row in rows.iter().filter(|r| codes.contains(&r.code.as_str())) {
        let Some(band) = AGE_BANDS.iter().position(|b| b.code == row.band) else {
            continue;
        };
        found = true;
        match row.sex.as_str() {
            "H" => men[band] += row.people,
            _ => women[band] += row.people,
        }
    }
    found.then_some((men, women))
}

/// The structure of the rows whose code is one of `codes` summed (an area's rows, or a
/// CPTS's communes'); `None` when no row is there.
pub fn structure(rows: &[AgeRow], codes: &[&str]) -> Option<AgeStructure> {
    let (men, women) = people(rows, codes)?;
    let by_band: [f64; 6] = std::array::from_fn(|i| men[i] + women[i]);
    let [share_0_14, share_60_plus, share_75_plus] = age_shares(&by_band)?;
    Some(AgeStructure {
        men,
        women,
        total: by_band.iter().sum(),
        share_0_14,
        share_60_plus,
        share_75_plus,
    })
}
