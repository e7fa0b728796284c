//! Synthetic national directory of health professionals, written in exactly the layout
//! of the ANS "Annuaire Santé, extraction des données en libre accès" files
//! (`docs/formats/annuaire-sante.md`), for demos and benchmarks.
//!
//! * Deterministic: the same options give byte-identical files. Everything random comes
//!   from one `fastrand::Rng` seeded with [`SynthOptions::seed`]; communes are walked in
//!   the given order and only ordered maps are used.
//! * Streaming: rows are written commune by commune through buffered writers; only the
//!   sites of the current commune and the departments' main establishments are kept.
//! * Calibrated on published national densities (see [`calibration`]).
//! * Every identifier is synthetic (see [`ids`]): RPPS numbers start with `99`, SIRETs
//!   with `999`, phones with `0999`, e-mails end in `example.invalid`. Names are drawn
//!   from lists of common French given names and surnames.

mod calibration;
#[cfg(test)]
mod calibration_tests;
mod generator;
mod ids;
mod names;
mod people;
mod practice;
mod rows;
mod sites;
mod specialties;
pub mod statistics;
#[cfg(test)]
mod tests;

use std::io;
use std::path::{Path, PathBuf};

/// One commune the generator populates.
#[derive(Debug, Clone)]
pub struct SynthCommune {
    pub insee: String,
    pub name: String,
    pub postcode: String,
    pub departement: String,
    pub population: i64,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    pub seed: u64,
    pub communes: Vec<SynthCommune>,
    /// e.g. "202611220000" used in file names
    pub timestamp: String,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct SynthSummary {
    pub professionals: u64,
    pub activity_rows: u64,
    pub skill_rows: u64,
    pub activity_file: PathBuf,
    pub skill_file: PathBuf,
}

/// Writes `PS_LibreAcces_Personne_activite_<timestamp>.txt` and
/// `PS_LibreAcces_SavoirFaire_<timestamp>.txt` into `out_dir` (UTF-8, `\n`, header
/// line, every line ending with `|`). The timestamp may only hold ASCII letters, digits,
/// `-` and `_`.
pub fn write_annuaire(options: &SynthOptions, out_dir: &Path) -> io::Result<SynthSummary> {
    let timestamp = &options.timestamp;
    if timestamp.is_empty()
        || !timestamp
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid timestamp for the file names: {timestamp:?}"),
        ));
    }
    let activity_file = out_dir.join(format!("PS_LibreAcces_Personne_activite_{timestamp}.txt"));
    let skill_file = out_dir.join(format!("PS_LibreAcces_SavoirFaire_{timestamp}.txt"));
    let mut out = rows::Outputs::create(&activity_file, &skill_file)?;
    let mut generator = generator::Generator::new(options.seed, &options.communes);
    for place in 0..options.communes.len() {
        generator.commune(place, &mut out)?;
    }
    let (activity_rows, skill_rows) = out.finish()?;
    Ok(SynthSummary {
        professionals: generator.professionals,
        activity_rows,
        skill_rows,
        activity_file,
        skill_file,
    })
}
