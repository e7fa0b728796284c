//! `maillage import …`: national data files, with a progress bar on a terminal.

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use maillage_services::App;
use maillage_services::directory::finess::import_finess;
use maillage_services::directory::import::{ImportOptions, import_annuaire};
use maillage_services::statistics::{self, Imported};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import the Annuaire Santé extraction (zip, or folder holding
    /// PS_LibreAcces_Personne_activite_*.txt and PS_LibreAcces_SavoirFaire_*.txt).
    Annuaire {
        path: PathBuf,
        /// Refused lines tolerated (skipped and listed); one more and nothing is written.
        #[arg(long, default_value_t = 100)]
        max_errors: i64,
    },
    /// Import the etalab FINESS establishment file (etalab-cs1100507-stock-*.csv).
    Finess {
        path: PathBuf,
        /// Refused lines tolerated (skipped and listed); one more and nothing is written.
        #[arg(long, default_value_t = 100)]
        max_errors: i64,
    },
    /// Import INSEE's population by sex and age band: the « base-cc » file « évolution et
    /// structure de la population » of the communes (CSV, CODGEO and P21_H0014… columns).
    PopulationAges { path: PathBuf },
    /// Import patients in long-term illness per area: CSV `niveau;code;ald;patients`
    /// (docs/statistics.md).
    Ald {
        path: PathBuf,
        /// The file's vintage, shown as its source (for example 2023).
        #[arg(long)]
        millesime: String,
    },
    /// Import deaths per commune and region, age band and cause: CSV
    /// `niveau;code;age;cause;deces` (docs/statistics.md).
    Deaths {
        path: PathBuf,
        /// The years the deaths were counted over (for example 2015-2019).
        #[arg(long)]
        periode: String,
    },
}

/// Reads a statistical file and names it by its file name.
fn statistics_file(path: &std::path::Path) -> Result<(String, Vec<u8>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{} : {e}", path.display()))?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok((name, bytes))
}

fn report_statistics(imported: &Imported) {
    println!(
        "{} lignes de données enregistrées ({}).",
        imported.rows, imported.vintage
    );
    if !imported.skipped.is_empty() {
        let shown: Vec<&str> = imported
            .skipped
            .iter()
            .take(20)
            .map(String::as_str)
            .collect();
        println!(
            "{} codes inconnus du code officiel géographique 2026 ignorés : {}{}",
            imported.skipped.len(),
            shown.join(", "),
            if imported.skipped.len() > shown.len() {
                "…"
            } else {
                "."
            }
        );
    }
}

pub async fn run(app: &App, command: ImportCommand) -> Result<(), String> {
    match command {
        ImportCommand::Annuaire { path, max_errors } => {
            let bar = ProgressBar::new(0).with_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({eta})")
                    .map_err(|e| e.to_string())?,
            );
            let options = ImportOptions { max_errors };
            let progress = |done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
            };
            let report = import_annuaire(app, None, &path, &options, &progress)
                .await
                .map_err(crate::cli::explain)?;
            bar.finish_and_clear();
            for error in &report.errors {
                eprintln!("{error}");
            }
            println!(
                "{} lignes lues, {} professionnels, {} devenus inactifs, {} lignes refusées{}.",
                report.lines_read,
                report.professionals,
                report.deactivated,
                report.refused,
                if report.skills_without_professional > 0 {
                    format!(
                        ", {} savoir-faire sans professionnel connu",
                        report.skills_without_professional
                    )
                } else {
                    String::new()
                }
            );
        }
        ImportCommand::Finess { path, max_errors } => {
            let report = import_finess(app, &path, &ImportOptions { max_errors })
                .await
                .map_err(crate::cli::explain)?;
            for error in &report.errors {
                eprintln!("{error}");
            }
            println!(
                "{} établissements ({} situés), {} devenus inactifs, {} lignes refusées.",
                report.establishments, report.positioned, report.deactivated, report.refused
            );
        }
        ImportCommand::PopulationAges { path } => {
            let (name, bytes) = statistics_file(&path)?;
            let imported = statistics::population_ages::import(app, &name, &bytes)
                .await
                .map_err(crate::cli::explain)?;
            report_statistics(&imported);
        }
        ImportCommand::Ald { path, millesime } => {
            let (name, bytes) = statistics_file(&path)?;
            let imported = statistics::ald::import(app, &name, &bytes, &millesime)
                .await
                .map_err(crate::cli::explain)?;
            report_statistics(&imported);
        }
        ImportCommand::Deaths { path, periode } => {
            let (name, bytes) = statistics_file(&path)?;
            let imported = statistics::deaths::import(app, &name, &bytes, &periode)
                .await
                .map_err(crate::cli::explain)?;
            report_statistics(&imported);
        }
    }
    Ok(())
}
