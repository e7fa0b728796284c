//! `maillage bench …`: the benchmarks the issues ask for that run inside the platform.
//! `bench alert` times the broadcast of alerts to many members (the whole use case: checks,
//! alert, recipients, e-mails in the outbox, audit, commit), then, with an SMTP server
//! configured, the delivery of every e-mail. `bench diagnosis` times the diagnosis of one
//! CPTS and the indicators of every commune of France, as the server computes them.
//! `bench slots` lays out a million unscheduled-care slots over the directory's general
//! practitioners and times the search of the earliest free slot within 48 h and 20 km.

use crate::cli::explain;
use clap::Subcommand;
use maillage_domain::Role;
use maillage_services::diagnosis::{self, france};
use maillage_services::messaging::alerts::{self, AlertForm};
use maillage_services::platform::notify::{Mailer, worker};
use maillage_services::unscheduled_care::slots::{self, SlotSearch};
use maillage_services::{Actor, App, Clock, RequestContext, SystemClock, tools::bench};
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
    /// Time the diagnosis of a CPTS and the indicators of every commune of France.
    Diagnosis {
        /// The CPTS whose diagnosis is timed.
        #[arg(long)]
        cpts: String,
        /// Diagnoses computed, one after the other.
        #[arg(long, default_value_t = 50)]
        rounds: usize,
        /// Computations of the indicators of every commune of France.
        #[arg(long, default_value_t = 5)]
        france_rounds: usize,
    },
    /// Book slots sought by several clients at once: the transaction, then the HTTP API.
    Bookings {
        /// The running server whose API is called.
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// Slots laid out, half booked by the transaction, half through the API.
        #[arg(long, default_value_t = 20_000)]
        slots: usize,
        /// Clients seeking each slot.
        #[arg(long, default_value_t = 2)]
        contenders: usize,
    },
    /// Lay out unscheduled-care slots across France and time the earliest-slot search.
    Slots {
        /// Free slots laid out, about 20 per general practitioner.
        #[arg(long, default_value_t = 1_000_000)]
        slots: usize,
        /// Searches timed, each from the commune of a member, spread over the list.
        #[arg(long, default_value_t = 2_000)]
        searches: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
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

/// « min …, médiane …, p95 …, max … » of `times`, sorted here.
fn summary(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "min {}, médiane {}, p95 {}, max {}",
        millis(times[0]),
        millis(percentile(times, 0.5)),
        millis(percentile(times, 0.95)),
        millis(times[times.len() - 1]),
    )
}

pub async fn run(app: &App, mailer: Option<Mailer>, command: BenchCommand) -> Result<(), String> {
    match command {
        BenchCommand::Alert { recipients, rounds } => {
            alert(app, mailer, recipients, rounds.max(1)).await
        }
        BenchCommand::Diagnosis {
            cpts,
            rounds,
            france_rounds,
        } => diagnosis(app, &cpts, rounds.max(1), france_rounds.max(1)).await,
        BenchCommand::Slots {
            slots,
            searches,
            seed,
        } => earliest_slot(app, slots, searches.max(1), seed).await,
        BenchCommand::Bookings {
            url,
            clients,
            slots,
            contenders,
        } => {
            crate::bench_bookings::bookings(app, &url, clients.max(1), slots, contenders.max(1))
                .await
        }
    }
}

/// « min …, médiane …, p99 …, max … » of `times`, sorted here.
fn summary_p99(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "min {}, médiane {}, p95 {}, p99 {}, max {}",
        millis(times[0]),
        millis(percentile(times, 0.5)),
        millis(percentile(times, 0.95)),
        millis(percentile(times, 0.99)),
        millis(times[times.len() - 1]),
    )
}

async fn earliest_slot(app: &App, slots: usize, searches: usize, seed: u64) -> Result<(), String> {
    let started = Instant::now();
    let slug = format!("bench-snp-{}", SystemClock.now());
    let coordinator = bench::cpts_with_members(app, &slug, 0)
        .await
        .map_err(explain)?;
    let fixture = bench::unscheduled_slots(app, &coordinator, slots, seed)
        .await
        .map_err(explain)?;
    println!(
        "Créneaux : {} créneaux libres de {} médecins généralistes sur 7 jours, posés en {:.1} s ({:?})",
        fixture.slot_ids.len(),
        fixture.members,
        started.elapsed().as_secs_f64(),
        app.db.backend()
    );
    if fixture.communes.is_empty() {
        return Err("aucun médecin généraliste dans l’annuaire : importez-le d’abord".to_owned());
    }
    let national = Actor {
        user_id: 0,
        email: String::new(),
        display_name: "Banc d’essai".to_owned(),
        role: Role::Admin,
        cpts_id: None,
        request: RequestContext::default(),
    };
    let mut times = Vec::with_capacity(searches);
    let mut answered = 0;
    for n in 0..searches {
        // Members taken a large prime apart: spread over the whole country.
        let commune = &fixture.communes[(n * 104_729) % fixture.communes.len()];
        let search = SlotSearch {
            commune: commune.clone(),
            radius_km: Some(20.0),
            limit: Some(1),
            ..SlotSearch::default()
        };
        let started = Instant::now();
        let found = slots::search(app, &national, &search)
            .await
            .map_err(explain)?;
        times.push(started.elapsed());
        answered += usize::from(!found.is_empty());
    }
    println!(
        "Premier créneau libre sous 48 h à 20 km, {searches} recherches ({answered} trouvent un créneau) : {}",
        summary_p99(&mut times)
    );
    Ok(())
}

async fn diagnosis(
    app: &App,
    slug: &str,
    rounds: usize,
    france_rounds: usize,
) -> Result<(), String> {
    let mut times = Vec::with_capacity(rounds);
    let mut found = None;
    for _ in 0..rounds {
        let started = Instant::now();
        found = Some(
            diagnosis::diagnosis(app, None, slug)
                .await
                .map_err(explain)?,
        );
        times.push(started.elapsed());
    }
    let found = found.expect("at least one round");
    println!(
        "Diagnostic de {} ({} communes, {} lignes d’offre, {} groupes d’ALD, {} groupes de causes ; {:?}), {rounds} calculs : {}",
        found.name,
        found.communes.len(),
        found.offer.len(),
        found.ald.len(),
        found.mortality.len(),
        app.db.backend(),
        summary(&mut times)
    );
    let mut times = Vec::with_capacity(france_rounds);
    let mut indicators = None;
    for _ in 0..france_rounds {
        let started = Instant::now();
        indicators = Some(france::indicators(app).await.map_err(explain)?);
        times.push(started.elapsed());
    }
    let indicators = indicators.expect("at least one round");
    let with_index = indicators
        .communes
        .iter()
        .filter(|c| c.mortality.first().is_some_and(|m| m.index.is_some()))
        .count();
    println!(
        "Indicateurs de toutes les communes ({} communes, {} professions, {} groupes d’ALD, {} groupes de causes, {with_index} ICM publiés), {france_rounds} calculs : {}",
        indicators.communes.len(),
        indicators.kinds.len(),
        indicators.ald_groups.len(),
        indicators.causes.len(),
        summary(&mut times)
    );
    Ok(())
}

async fn alert(
    app: &App,
    mailer: Option<Mailer>,
    recipients: usize,
    rounds: usize,
) -> Result<(), String> {
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
    println!(
        "Alerte à {recipients} destinataires, {rounds} envois ({:?}) : {}",
        app.db.backend(),
        summary(&mut times)
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
