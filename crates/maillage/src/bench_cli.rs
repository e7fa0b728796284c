//! `maillage bench …`: the benchmarks the issues ask for that run inside the platform.
//! `bench alert` times the broadcast of alerts to many members (the whole use case: checks,
//! alert, recipients, e-mails in the outbox, audit, commit), then, with an SMTP server
//! configured, the delivery of every e-mail.

use crate::cli::explain;
use clap::Subcommand;
use maillage_services::messaging::alerts::{self, AlertForm};
use maillage_services::notify::{Mailer, worker};
use maillage_services::{App, Clock, SystemClock, bench};
use std::time::{Duration, Instant};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Broadcast alerts to a CPTS of many members and time each; then send the e-mails.
    Alert {
        /// Members who receive each alert.
        #[arg(long, default_value_t = 1000)]
        recipients: usize,
        /// Alerts broadcast, one after the other.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The value below which `share` of the sorted `times` lie.
fn percentile(times: &[Duration], share: f64) -> Duration {
    let rank = ((times.len() as f64 - 1.0) * share).round() as usize;
    times[rank]
}

pub async fn run(app: &App, mailer: Option<Mailer>, command: BenchCommand) -> Result<(), String> {
    let BenchCommand::Alert { recipients, rounds } = command;
    let slug = format!("bench-alertes-{}", SystemClock.now());
    let coordinator = bench::cpts_with_members(app, &slug, recipients)
        .await
        .map_err(explain)?;
    let form = AlertForm {
        title: "Canicule : plan bleu déclenché".to_owned(),
        body: "Repérez vos patients isolés et signalez-les à la coordination.".to_owned(),
        group: String::new(),
        ack_required: true,
    };
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        alerts::broadcast(app, &coordinator, &form)
            .await
            .map_err(explain)?;
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "Alerte à {recipients} destinataires, {rounds} envois ({:?}) : min {}, médiane {}, p95 {}, max {}",
        app.db.backend(),
        millis(times[0]),
        millis(percentile(&times, 0.5)),
        millis(percentile(&times, 0.95)),
        millis(times[times.len() - 1]),
    );
    let Some(mailer) = mailer else {
        println!("Pas de serveur SMTP configuré : les courriels restent dans la file d’envoi.");
        return Ok(());
    };
    let started = Instant::now();
    let round = worker::deliver_due(app, &mailer).await.map_err(explain)?;
    let elapsed = started.elapsed();
    println!(
        "Courriels : {} envoyés, {} refusés, en {:.1} s ({:.0} par seconde)",
        round.sent,
        round.failed,
        elapsed.as_secs_f64(),
        round.sent as f64 / elapsed.as_secs_f64()
    );
    if round.sent != recipients * rounds {
        return Err(format!("{} courriels attendus", recipients * rounds));
    }
    Ok(())
}
