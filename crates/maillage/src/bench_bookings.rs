//! `maillage bench bookings`: booking unscheduled-care slots by many concurrent clients,
//! each slot sought by several of them at once. First the booking transaction itself, as
//! the use case runs it (request, slot, booking and audit in one commit), called by the
//! clients inside the process: the database's ceiling. Then the same bookings through the
//! HTTP API of a running server (`POST /api/v1/bookings` with an `Idempotency-Key`). At
//! the end, the database is asked whether any slot holds two bookings.

use crate::cli::explain;
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_services::unscheduled_care::booking;
use maillage_services::unscheduled_care::requests::Channel;
use maillage_services::{
    Actor, App, Clock, ServiceError, SystemClock, platform::tokens, tools::bench,
};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// What one phase of booking gave.
#[derive(Default)]
struct Tally {
    booked: AtomicUsize,
    taken: AtomicUsize,
    failed: AtomicUsize,
    /// What the first failed attempt said.
    first_error: std::sync::Mutex<Option<String>>,
}

impl Tally {
    fn failed(&self, error: String) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut first) = self.first_error.lock() {
            first.get_or_insert(error);
        }
    }

    fn report(&self, label: &str, seconds: f64) {
        let booked = self.booked.load(Ordering::Relaxed);
        let taken = self.taken.load(Ordering::Relaxed);
        let failed = self.failed.load(Ordering::Relaxed);
        println!(
            "{label} : {booked} réservations en {seconds:.2} s, soit {:.0} réservations/s \
             ({:.0} tentatives/s ; {taken} refusées car déjà prises, {failed} en erreur)",
            booked as f64 / seconds,
            (booked + taken + failed) as f64 / seconds,
        );
        if let Ok(first) = self.first_error.lock()
            && let Some(error) = first.as_ref()
        {
            println!("  première erreur : {error}");
        }
    }
}

const FIRST_NAMES: [&str; 4] = ["Camille", "Dominique", "Claude", "Sacha"];

fn patient(n: usize) -> SnpRequestFields {
    SnpRequestFields {
        caller: "regulation".into(),
        reason: "fever".into(),
        urgency: "48h".into(),
        commune: "13001".into(),
        mobility: "mobile".into(),
        own_gp: "tried".into(),
        last_name: "MESURE".into(),
        first_name: FIRST_NAMES[n % FIRST_NAMES.len()].into(),
        birth_date: "01/01/1980".into(),
        sex: "F".into(),
        phone: "0600000000".into(),
        ..SnpRequestFields::default()
    }
}

/// Runs `clients` tasks that take attempts in turn until `attempts` are made; attempt `n`
/// seeks slot `n / contenders`.
async fn run_clients<F, Fut>(clients: usize, attempts: usize, attempt: F) -> f64
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let attempt = Arc::new(attempt);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (next, attempt) = (next.clone(), attempt.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= attempts {
                        break;
                    }
                    attempt(n).await;
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    started.elapsed().as_secs_f64()
}

pub async fn bookings(
    app: &App,
    url: &str,
    clients: usize,
    slots: usize,
    contenders: usize,
) -> Result<(), String> {
    let slug = format!("bench-rdv-{}", SystemClock.now());
    let coordinator: Actor = bench::cpts_with_members(app, &slug, 0)
        .await
        .map_err(explain)?;
    let fixture = bench::unscheduled_slots(app, &coordinator, slots, 1)
        .await
        .map_err(explain)?;
    let half = fixture.slot_ids.len() / 2;
    let (raw_slots, http_slots) = fixture.slot_ids.split_at(half);
    println!(
        "{} créneaux, chacun cherché par {contenders} clients ; {clients} clients simultanés ({:?})",
        fixture.slot_ids.len(),
        app.db.backend()
    );

    let tally = Arc::new(Tally::default());
    let (ids, app_, actor, t) = (
        Arc::new(raw_slots.to_vec()),
        app.clone(),
        coordinator.clone(),
        tally.clone(),
    );
    let seconds = run_clients(clients, raw_slots.len() * contenders, move |n| {
        let (ids, app, actor, t) = (ids.clone(), app_.clone(), actor.clone(), t.clone());
        async move {
            let slot = ids[n / contenders];
            let made =
                booking::book_new_request(&app, &actor, &patient(n), slot, Channel::Api).await;
            match made {
                Ok(_) => t.booked.fetch_add(1, Ordering::Relaxed),
                Err(ServiceError::Conflict(_)) => t.taken.fetch_add(1, Ordering::Relaxed),
                Err(error) => {
                    t.failed(error.to_string());
                    0
                }
            };
        }
    })
    .await;
    tally.report("Transaction de réservation (plafond)", seconds);

    let (_, token) = tokens::create(
        app,
        &coordinator,
        &tokens::TokenFields {
            name: "banc d’essai".to_owned(),
            expires_on: String::new(),
        },
    )
    .await
    .map_err(explain)?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .map_err(|e| e.to_string())?;
    let tally = Arc::new(Tally::default());
    let endpoint = format!("{}/api/v1/bookings", url.trim_end_matches('/'));
    let (ids, t) = (Arc::new(http_slots.to_vec()), tally.clone());
    let seconds = run_clients(clients, http_slots.len() * contenders, move |n| {
        let (ids, t, client, endpoint, token) = (
            ids.clone(),
            t.clone(),
            client.clone(),
            endpoint.clone(),
            token.clone(),
        );
        async move {
            let p = patient(n);
            let body = json!({ "slot_id": ids[n / contenders], "patient": {
                "last_name": p.last_name, "first_name": p.first_name, "birth_date": p.birth_date,
                "sex": p.sex, "phone": p.phone, "commune": p.commune, "reason": p.reason,
                "urgency": p.urgency, "own_gp": p.own_gp } });
            let sent = client
                .post(&endpoint)
                .bearer_auth(&token)
                .header("Idempotency-Key", format!("mesure-{n}"))
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(r) if r.status().as_u16() == 201 => t.booked.fetch_add(1, Ordering::Relaxed),
                Ok(r) if r.status().as_u16() == 409 => t.taken.fetch_add(1, Ordering::Relaxed),
                Ok(r) => {
                    let status = r.status();
                    t.failed(format!("{status} {}", r.text().await.unwrap_or_default()));
                    0
                }
                Err(error) => {
                    t.failed(error.to_string());
                    0
                }
            };
        }
    })
    .await;
    tally.report("API HTTP, POST /api/v1/bookings", seconds);

    let doubles = bench::doubly_booked_slots(app, coordinator.cpts_id.unwrap_or(-1))
        .await
        .map_err(explain)?;
    println!("Créneaux réservés deux fois : {doubles}");
    if doubles > 0 {
        return Err(format!("{doubles} créneaux réservés deux fois"));
    }
    Ok(())
}
