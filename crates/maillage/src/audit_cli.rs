//! `maillage audit …`: checking the audit trail against its key and checkpoints, and
//! writing a checkpoint by hand.

use crate::config::Config;
use crate::server::{app, host_keys, open_database, settings};
use clap::Subcommand;
use maillage_domain::platform::audit::ChainBreak;
use maillage_services::platform::audit_seal::{self, Verification};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit trail's rows, chain and checkpoints; exits 1 naming the first
    /// altered, missing or truncated row.
    Verify,
    /// Append a checkpoint of the trail's head to the checkpoint file (`serve` does it
    /// every `audit_checkpoint_minutes`).
    Checkpoint,
}

pub async fn run(config: &Config, command: AuditCommand) -> Result<ExitCode, String> {
    let db = open_database(config).await?;
    match command {
        AuditCommand::Verify => {
            let seal = host_keys(config)?.audit_seal;
            let Verification {
                rows_checked,
                checkpoints_checked,
                first_break,
            } = audit_seal::verify(&db, &seal)
                .await
                .map_err(|e| e.to_string())?;
            let Some(first_break) = first_break else {
                println!(
                    "Journal d’audit intègre : {rows_checked} lignes vérifiées ; points de contrôle concordants : {checkpoints_checked}."
                );
                return Ok(ExitCode::SUCCESS);
            };
            println!("Journal d’audit altéré : {}", explain(&first_break));
            Ok(ExitCode::FAILURE)
        }
        AuditCommand::Checkpoint => {
            let app = app(config, db, settings(config, true)).await?;
            match audit_seal::checkpoint(&app)
                .await
                .map_err(|e| e.to_string())?
            {
                Some(c) => println!("Point de contrôle écrit : ligne {}.", c.seq),
                None => println!("Point de contrôle déjà à jour."),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn explain(first_break: &ChainBreak) -> String {
    match first_break {
        ChainBreak::Altered { seq } => format!("la ligne {seq} a été modifiée."),
        ChainBreak::Gap { seq, expected_seq } => {
            format!("ligne {expected_seq} manquante ou déplacée (trouvé la ligne {seq}).")
        }
        ChainBreak::NotKeyed => {
            "aucune ligne n’est scellée par la clé de l’hébergeur : le journal a été réécrit."
                .to_owned()
        }
        ChainBreak::Truncated {
            last_seq,
            expected_seq,
        } => format!(
            "le journal s’arrête à la ligne {last_seq}, mais un point de contrôle atteste la ligne {expected_seq} : sa fin a été coupée."
        ),
        ChainBreak::ForgedCheckpoint { line } => format!(
            "la ligne {line} du fichier des points de contrôle n’est pas signée par la clé de l’hébergeur."
        ),
    }
}
