//! `maillage synth annuaire`: a synthetic national directory in the official format;
//! `maillage synth statistiques`: synthetic population, ALD and deaths files in the formats
//! the diagnosis imports. For demos and benchmarks, deterministic for a seed.

use clap::Subcommand;
use maillage_services::reference::{statistics_communes, synth_communes};
use maillage_services::tools::synth::statistics::write_statistics;
use maillage_services::tools::synth::{SynthOptions, write_annuaire};
use std::path::{Path, PathBuf};

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
    /// Write population-ages.csv (INSEE « base-cc » layout), ald.csv and deces.csv with
    /// fictional figures for the chosen communes and their areas.
    Statistiques {
        /// Folder to write the files into (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// Every commune of these departments (repeatable).
        #[arg(long = "departement")]
        departements: Vec<String>,
        /// Every commune of France.
        #[arg(long)]
        france: bool,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn create_folder(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{} : {e}", out.display()))
}

pub fn run(command: SynthCommand) -> Result<(), String> {
    match command {
        SynthCommand::Annuaire {
            out,
            departements,
            communes,
            france,
            seed,
        } => annuaire(out, departements, communes, france, seed),
        SynthCommand::Statistiques {
            out,
            departements,
            france,
            seed,
        } => {
            if !france && departements.is_empty() {
                return Err("choisissez --departement ou --france".to_owned());
            }
            let chosen = statistics_communes(|_, departement| {
                france || departements.iter().any(|d| d == departement)
            })
            .map_err(crate::cli::explain)?;
            if chosen.is_empty() {
                return Err("aucune commune ne correspond à ce choix".to_owned());
            }
            create_folder(&out)?;
            let files = write_statistics(&chosen, seed, &out).map_err(|e| e.to_string())?;
            println!(
                "Statistiques synthétiques de {} communes : {}, {}, {}",
                chosen.len(),
                files.population_ages.display(),
                files.ald.display(),
                files.deaths.display()
            );
            Ok(())
        }
    }
}

fn annuaire(
    out: PathBuf,
    departements: Vec<String>,
    communes: Vec<String>,
    france: bool,
    seed: u64,
) -> Result<(), String> {
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
    create_folder(&out)?;
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
