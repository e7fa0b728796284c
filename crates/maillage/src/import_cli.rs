//! `maillage import …`: national data files, with a progress bar on a terminal.

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use maillage_services::App;
use maillage_services::diagnosis::statistics::{self, Imported};
use maillage_services::directory::finess::import_finess;
use maillage_services::directory::import::{ImportOptions, import_annuaire};
use maillage_services::directory::safeguards::DepartureLimit;
use std::path::PathBuf;
use std::process::ExitCode;

/// The exit status of an import written with some lines refused (listed on the standard
/// error): 1 is for an import that wrote nothing, 2 for a command line clap refused.
pub const APPLIED_WITH_REFUSED_LINES: u8 = 3;

/// What a directory or FINESS import tolerates before it writes nothing.
#[derive(Args)]
pub struct Tolerances {
    /// Refused lines tolerated (skipped and listed, what they name left as it was); one
    /// more and nothing is written.
    #[arg(long, default_value_t = 100)]
    max_errors: i64,
    /// The largest share of the active entries the file may make inactive (5%, 0,5%…);
    /// more and nothing is written.
    #[arg(long, default_value_t = DepartureLimit::DEFAULT)]
    max_departures: DepartureLimit,
    /// Make inactive whatever the file no longer lists, however much that is.
    #[arg(long)]
    accept_departures: bool,
}

impl Tolerances {
    fn options(&self) -> ImportOptions {
        ImportOptions {
            max_errors: self.max_errors,
            max_departures: if self.accept_departures {
                DepartureLimit::ANY
            } else {
                self.max_departures
            },
        }
    }
}

/// The exit status of an import that refused `refused` lines, after listing the errors
/// of the first ones (the summary counts them all).
fn listed(errors: &[impl std::fmt::Display], refused: i64) -> ExitCode {
    for error in errors {
        eprintln!("{error}");
    }
    if refused > 0 {
        ExitCode::from(APPLIED_WITH_REFUSED_LINES)
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import the Annuaire Santé extraction (zip, or folder holding
    /// PS_LibreAcces_Personne_activite_*.txt and PS_LibreAcces_SavoirFaire_*.txt).
    Annuaire {
        path: PathBuf,
        #[command(flatten)]
        tolerances: Tolerances,
    },
    /// Import the etalab FINESS establishment file (etalab-cs1100507-stock-*.csv).
    Finess {
        path: PathBuf,
        #[command(flatten)]
        tolerances: Tolerances,
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

/// Runs an import; its exit status is [`APPLIED_WITH_REFUSED_LINES`] when it was written
/// with refused lines.
pub async fn run(app: &App, command: ImportCommand) -> Result<ExitCode, String> {
    match command {
        ImportCommand::Annuaire { path, tolerances } => {
            let bar = ProgressBar::new(0).with_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({eta})")
                    .map_err(|e| e.to_string())?,
            );
            let options = tolerances.options();
            let progress = |done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
            };
            let report = import_annuaire(app, None, &path, &options, &progress)
                .await
                .map_err(crate::cli::explain)?;
            bar.finish_and_clear();
            println!(
                "{} lignes lues, {} professionnels, {} devenus inactifs, {} lignes refusées{}{}.",
                report.lines_read,
                report.professionals,
                report.deactivated,
                report.refused,
                kept(report.kept, "professionnels laissés"),
                if report.skills_without_professional > 0 {
                    format!(
                        ", {} savoir-faire sans professionnel connu",
                        report.skills_without_professional
                    )
                } else {
                    String::new()
                }
            );
            return Ok(listed(&report.errors, report.refused));
        }
        ImportCommand::Finess { path, tolerances } => {
            let report = import_finess(app, &path, &tolerances.options())
                .await
                .map_err(crate::cli::explain)?;
            println!(
                "{} établissements ({} situés), {} devenus inactifs, {} lignes refusées{}.",
                report.establishments,
                report.positioned,
                report.deactivated,
                report.refused,
                kept(report.kept, "établissements laissés"),
            );
            return Ok(listed(&report.errors, report.refused));
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
    Ok(ExitCode::SUCCESS)
}

/// How many entries refused lines left as they were, as `what` (« professionnels
/// laissés »), when there are any.
fn kept(count: i64, what: &str) -> String {
    if count > 0 {
        format!(" ({count} {what} en l’état)")
    } else {
        String::new()
    }
}
