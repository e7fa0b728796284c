//! Bookings survive the death of the server, on both databases: sixteen clients book 120
//! slots through `POST /api/v1/bookings` of a real `maillage serve`, each slot sought by
//! two of them, while the server is killed (SIGKILL) three times and started again; a
//! client whose call got no answer sends it again, with the same `Idempotency-Key`, to the
//! next server. At the end every acknowledged booking exists, no slot was acknowledged to
//! two bookings and none holds two. The same harness pointed at a naive check-then-insert
//! server (the example `naive_booking_server`, kept for this test) finds slots booked
//! twice: it can fail.

use crate::support::fixtures::unscheduled_care::{UnscheduledCare, free_slots, patient, publish};
use crate::support::{TestApp, both, token_of};
use maillage_domain::unscheduled_care::availability::RuleFields;
use maillage_services::{Clock, SystemClock};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::watch;

const SLOTS: usize = 120;
const CLIENTS: usize = 16;
const KILLS: usize = 3;

/// A booking acknowledged by a 201.
struct Ack {
    slot: i64,
    booking: i64,
}

/// Starts a server and returns it with the address it printed; its output is drained
/// while it runs.
async fn start(mut command: Command) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("the server's address");
        if let Some(at) = line.find("http://") {
            let url = line[at..].trim().to_owned();
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, url);
        }
    }
}

/// CPTS "a" and its GP with mornings of quarter-hour slots from today on (the server
/// runs on the system's clock); returns the regulator's API token and the first free
/// slots more than an hour ahead.
async fn slots_to_book(t: &TestApp) -> (String, Vec<i64>) {
    t.clock.advance(SystemClock.now() - t.app.now());
    let UnscheduledCare { gp, member_id, .. } = t.given().unscheduled_care().await;
    let rule = RuleFields {
        weekdays: "1,2,3,4,5,6,7".into(),
        start: "08:00".into(),
        end: "12:00".into(),
        slot_minutes: "15".into(),
        mode: "in_person".into(),
        visibility: "SNP".into(),
        ..RuleFields::default()
    };
    publish(t, &gp, member_id, &rule).await;
    let later = free_slots(t, member_id, t.app.now() + 3_600 + 1).await;
    let slots: Vec<i64> = later.into_iter().take(SLOTS).collect();
    assert_eq!(slots.len(), SLOTS);
    (token_of(t, "regul@a.fr").await, slots)
}

/// One client: takes attempts from the queue until it is empty; a call without an answer
/// goes back to the queue and the client waits for the next server.
async fn client(
    queue: Arc<Mutex<VecDeque<(i64, String)>>>,
    acks: Arc<Mutex<Vec<Ack>>>,
    mut server: watch::Receiver<String>,
    acked: watch::Sender<usize>,
    unanswered: Arc<AtomicUsize>,
    token: String,
) {
    let http = reqwest::Client::new();
    loop {
        let Some((slot, key)) = queue.lock().unwrap().pop_front() else {
            return;
        };
        let url = server.borrow_and_update().clone();
        let body = json!({ "slot_id": slot, "patient": patient("Durand") });
        let sent = http
            .post(format!("{url}/api/v1/bookings"))
            .bearer_auth(&token)
            .header("Idempotency-Key", &key)
            .json(&body)
            .send()
            .await;
        match sent {
            Ok(answer) if answer.status() == 201 => {
                let made: Value = answer.json().await.unwrap();
                let booking = made["id"].as_i64().unwrap();
                acks.lock().unwrap().push(Ack { slot, booking });
                acked.send_modify(|n| *n += 1);
            }
            Ok(answer) if answer.status() == 409 => {}
            Ok(answer) => panic!("{}: {}", answer.status(), answer.text().await.unwrap()),
            Err(_) => {
                // The server died with the call: send it again to the next one.
                unanswered.fetch_add(1, Ordering::Relaxed);
                queue.lock().unwrap().push_back((slot, key));
                server.changed().await.unwrap();
            }
        }
    }
}

/// Books `slots` by concurrent clients through the server `command` gives, killing it
/// [`KILLS`] times along the way; returns how many bookings were acknowledged and how
/// many calls the killed servers left unanswered, or what went wrong.
async fn crash_harness(
    t: &TestApp,
    command: impl Fn() -> Command,
    token: &str,
    slots: &[i64],
) -> Result<(usize, usize), String> {
    let attempts = slots
        .iter()
        .flat_map(|&slot| [0, 1].map(|n| (slot, format!("essai-{slot}-{n}"))));
    let queue = Arc::new(Mutex::new(attempts.collect::<VecDeque<_>>()));
    let acks = Arc::new(Mutex::new(Vec::new()));
    let (mut server, url) = start(command()).await;
    let (current, next) = watch::channel(url);
    let (acked, mut acked_so_far) = watch::channel(0);
    let unanswered = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let run = client(
                queue.clone(),
                acks.clone(),
                next.clone(),
                acked.clone(),
                unanswered.clone(),
                token.to_owned(),
            );
            tokio::spawn(run)
        })
        .collect();
    drop(acked);
    for kill in 1..=KILLS {
        // Killed once a share of the bookings is acknowledged, other calls in flight.
        let share = kill * SLOTS / (KILLS + 2);
        if acked_so_far.wait_for(|n| *n >= share).await.is_err() {
            break;
        }
        server.kill().await.unwrap();
        let (restarted, url) = start(command()).await;
        server = restarted;
        current.send(url).unwrap();
    }
    for client in clients {
        client.await.unwrap();
    }
    server.kill().await.unwrap();
    let acks = std::mem::take(&mut *acks.lock().unwrap());
    check(t, &acks).await?;
    Ok((acks.len(), unanswered.load(Ordering::Relaxed)))
}

/// Every acknowledged booking exists, live, on its slot; no slot was acknowledged to two
/// bookings, and none holds two.
async fn check(t: &TestApp, acks: &[Ack]) -> Result<(), String> {
    let mut conn = t.app.db.conn().await.unwrap();
    let mut by_slot: HashMap<i64, i64> = HashMap::new();
    for ack in acks {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT slot_id, status FROM snp_bookings WHERE id = $1")
                .bind(ack.booking)
                .fetch_optional(&mut *conn)
                .await
                .unwrap();
        if row != Some((ack.slot, "booked".to_owned())) {
            return Err(format!("booking {} acknowledged, then lost", ack.booking));
        }
        if let Some(other) = by_slot.insert(ack.slot, ack.booking)
            && other != ack.booking
        {
            return Err(format!("slot {} acknowledged to two bookings", ack.slot));
        }
    }
    let doubles: Vec<i64> = sqlx::query_scalar(
        "SELECT slot_id FROM snp_bookings WHERE status = 'booked' \
         GROUP BY slot_id HAVING COUNT(*) > 1",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    if !doubles.is_empty() {
        return Err(format!("slots holding two bookings: {doubles:?}"));
    }
    Ok(())
}

both!(acknowledged_bookings_survive_the_server_being_killed);
async fn acknowledged_bookings_survive_the_server_being_killed(t: TestApp) {
    let (token, slots) = slots_to_book(&t).await;
    let serve = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_maillage"));
        command
            .arg("serve")
            .env("MAILLAGE_DATABASE_URL", &t.db_url)
            .env("MAILLAGE_LISTEN", "127.0.0.1:0")
            .env("MAILLAGE_DATA_DIR", crate::support::data_dir_of(&t.db_url))
            .env("MAILLAGE_PUBLIC_URL", "https://cpts.test");
        command
    };
    let (booked, unanswered) = crash_harness(&t, serve, &token, &slots).await.unwrap();
    assert_eq!(booked, SLOTS, "each slot booked once, and acknowledged");
    assert!(
        unanswered > 0,
        "the servers were killed with calls in flight"
    );
}

both!(the_harness_catches_a_naive_check_then_insert);
async fn the_harness_catches_a_naive_check_then_insert(t: TestApp) {
    let (token, slots) = slots_to_book(&t).await;
    // Without the database's guarantee, as a naive design would be.
    sqlx::query("DROP INDEX snp_bookings_one_per_slot")
        .execute(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    let naive = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("examples/naive_booking_server");
    assert!(
        naive.exists(),
        "build it first: cargo build -p maillage --example naive_booking_server"
    );
    let serve = || {
        let mut command = Command::new(&naive);
        command.env("MAILLAGE_DATABASE_URL", &t.db_url);
        command
    };
    let found = crash_harness(&t, serve, &token, &slots).await;
    assert!(found.is_err(), "the naive server went unnoticed: {found:?}");
}
