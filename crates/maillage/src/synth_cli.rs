//! `maillage synth annuaire`: a synthetic national directory in the official format,
//! for demos and benchmarks, deterministic for a seed.

use clap::Subcommand;
use maillage_services::reference::synth_communes;
use maillage_services::synth::{SynthOptions, write_annuaire};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum SynthCommand {
    /// Write PS_LibreAcces_Personne_activite_*.txt and PS_LibreAcces_SavoirFaire_*.txt
    /// for the chosen communes (RPPS numbers 99…, reserved for synthetic data).
    Annuaire {
        /// Folder to write the files into (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// Every commune of these departments (repeatable).
        #[arg(long = "departement")]
        departements: Vec<String>,
        /// These communes, by INSEE code, comma-separated.
        #[arg(long, value_delimiter = ',')]
        communes: Vec<String>,
        /// Every commune of France.
        #[arg(long)]
        france: bool,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

pub fn run(command: SynthCommand) -> Result<(), String> {
    let SynthCommand::Annuaire {
        out,
        departements,
        communes,
        france,
        seed,
    } = command;
    if !france && departements.is_empty() && communes.is_empty() {
        return Err("choisissez --departement, --communes ou --france".to_owned());
    }
    let chosen = synth_communes(|insee, departement| {
        france
            || departements.iter().any(|d| d == departement)
            || communes.iter().any(|c| c == insee)
    })
    .map_err(crate::cli::explain)?;
    if chosen.is_empty() {
        return Err("aucune commune ne correspond à ce choix".to_owned());
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("{} : {e}", out.display()))?;
    let options = SynthOptions {
        seed,
        communes: chosen,
        timestamp: jiff::Zoned::now().strftime("%Y%m%d%H%M").to_string(),
    };
    let summary = write_annuaire(&options, &out).map_err(|e| e.to_string())?;
    println!(
        "{} professionnels synthétiques, {} lignes d’activité : {}",
        summary.professionals,
        summary.activity_rows,
        summary.activity_file.display()
    );
    Ok(())
}
