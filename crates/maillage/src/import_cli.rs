//! `maillage import …`: national data files, with a progress bar on a terminal.

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use maillage_services::App;
use maillage_services::directory::finess::import_finess;
use maillage_services::directory::import::{ImportOptions, import_annuaire};
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
    }
    Ok(())
}
