//! Bookings of calls among other writes, all at once, on both databases. On SQLite a call's
//! booking runs on the native writer while a recorded request's booking and a new request
//! go through sqlx's writer: every acknowledged write is kept and seen at once, each slot
//! gets one booking, and the audit trail stays one chain that verifies. And the native
//! writer opens the very file the pool does, and undoes a job that fails without stopping.

use crate::support::fixtures::unscheduled_care::{
    UnscheduledCare, free_slots, publish, request_fields, weekdays_afternoon,
};
use crate::support::{TestApp, both, fresh_database, remove_database};
use maillage_domain::platform::audit::{AuditRecord, TrailKey};
use maillage_services::platform::audit_seal;
use maillage_services::unscheduled_care::booking::{self, Booked};
use maillage_services::unscheduled_care::requests::{self, Channel};
use maillage_services::{Backend, Db, ServiceError};
use maillage_store::platform::audit::append_native;
use maillage_store::unscheduled_care::slots;

const SLOTS: usize = 10;

/// What one task did.
enum Attempt {
    Booked(Box<Booked>),
    Taken,
    Recorded,
}

/// The patient of attempt `n`, named by letters (names take no digits).
fn patient(n: usize) -> String {
    let letter = |i: usize| char::from(b'A' + u8::try_from(i % 26).unwrap());
    format!("PATIENT{}{}", letter(n / 26), letter(n))
}

fn outcome(result: Result<Booked, ServiceError>) -> Attempt {
    match result {
        Ok(booked) => Attempt::Booked(Box::new(booked)),
        Err(ServiceError::Conflict(_)) => Attempt::Taken,
        Err(other) => panic!("{other:?}"),
    }
}

both!(bookings_of_calls_among_other_writes_keep_every_write_and_one_chain);
async fn bookings_of_calls_among_other_writes_keep_every_write_and_one_chain(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let slots = free_slots(&t, member_id, i64::MIN).await;
    let slots = &slots[..SLOTS];
    let mut recorded = Vec::new();
    for n in 0..SLOTS {
        let fields = request_fields(&patient(100 + n));
        recorded.push(requests::record(&t.app, &coord, &fields).await.unwrap());
    }

    // For each slot, two calls and one recorded request seek it, while a new request is
    // written: four writers at once per slot.
    let mut tasks = Vec::new();
    for (n, (&slot, &request)) in slots.iter().zip(&recorded).enumerate() {
        for call in [2 * n, 2 * n + 1] {
            let (app, desk) = (t.app.clone(), coord.clone());
            tasks.push(tokio::spawn(async move {
                let fields = request_fields(&patient(call));
                let booked =
                    booking::book_new_request(&app, &desk, &fields, slot, Channel::Api).await;
                outcome(booked)
            }));
        }
        let (app, desk) = (t.app.clone(), coord.clone());
        tasks.push(tokio::spawn(async move {
            outcome(booking::book(&app, &desk, request, slot, false).await)
        }));
        let (app, desk) = (t.app.clone(), coord.clone());
        tasks.push(tokio::spawn(async move {
            let fields = request_fields(&patient(200 + n));
            requests::record(&app, &desk, &fields).await.unwrap();
            Attempt::Recorded
        }));
    }
    let (mut booked, mut taken, mut new_requests) = (Vec::new(), 0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Attempt::Booked(made) => booked.push(made),
            Attempt::Taken => taken += 1,
            Attempt::Recorded => new_requests += 1,
        }
    }
    assert_eq!(booked.len(), SLOTS, "one booking per slot");
    assert_eq!(
        taken,
        2 * SLOTS,
        "the two other attempts on each slot refused"
    );
    assert_eq!(new_requests, SLOTS);

    let mut held: Vec<i64> = booked.iter().map(|b| b.slot.id).collect();
    held.sort_unstable();
    let mut sought = slots.to_vec();
    sought.sort_unstable();
    assert_eq!(held, sought, "each slot booked once, by one of its seekers");
    for made in &booked {
        let row: (i64, String) = sqlx::query_as(
            "SELECT b.slot_id, r.status FROM snp_bookings b \
             JOIN snp_requests r ON r.id = b.request_id WHERE b.id = $1",
        )
        .bind(made.booking_id)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
        assert_eq!(row, (made.slot.id, "booked".to_owned()));
    }
    let calls_booked = booked.iter().filter(|b| !recorded.contains(&b.request_id));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_requests").await,
        i64::try_from(2 * SLOTS + calls_booked.count()).unwrap(),
        "the recorded and new requests, and those of the calls booked, no others"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'snp_booking.create'")
            .await,
        i64::try_from(SLOTS).unwrap()
    );
    let report = audit_seal::verify(&t.app.db, &t.app.audit_seal)
        .await
        .unwrap();
    assert!(report.first_break.is_none(), "{:?}", report.first_break);
}

/// On SQLite the native writer works in the file the URL names, even written percent-encoded
/// (`%20` for a space), as the pool reads it.
#[tokio::test]
async fn the_native_writer_works_in_the_file_the_url_names() {
    let dir = std::env::temp_dir()
        .join(format!("maillage-it-{}", std::process::id()))
        .join("dossier partagé");
    std::fs::create_dir_all(&dir).unwrap();
    let encoded = dir.display().to_string().replace(' ', "%20");
    let db = Db::connect(&format!("sqlite://{encoded}/base%20de%20test.db"))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let writer = db.native_writer().expect("a file has a native writer");
    let taken = writer
        .run(|conn| (true, slots::take_native(conn, 1)))
        .await
        .unwrap();
    assert!(
        !taken.expect("the migrated tables are there"),
        "no slot to take"
    );
    assert!(dir.join("base de test.db").exists());
    assert!(!dir.join("base%20de%20test.db").exists());
    assert!(!std::path::Path::new(&encoded).exists());
    db.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A new SQLite database, migrated, and its URL, for the native writer's tests below.
async fn sqlite_database() -> (Db, String) {
    let url = fresh_database(Backend::Sqlite).await.unwrap();
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    (db, url)
}

/// A record of the trail, for the native writer's jobs below.
/// Any key: these tests read the actions back, they do not verify the chain.
fn key() -> TrailKey {
    TrailKey::new([1; 32])
}

fn trail_record(action: &str) -> AuditRecord {
    AuditRecord {
        at: 0,
        actor_user_id: None,
        actor_role: Some("system".to_owned()),
        cpts_id: None,
        action: action.to_owned(),
        object_type: None,
        object_id: None,
        request_id: None,
        outcome: "success".to_owned(),
    }
}

/// A job of the native writer that says its writes are not to be kept, or that panics,
/// leaves nothing, and the writer goes on with the next job.
#[tokio::test]
async fn the_native_writer_undoes_a_failed_job_and_goes_on() {
    let (db, url) = sqlite_database().await;
    let writer = db.native_writer().expect("a file has a native writer");
    let undone = writer
        .run(|conn| {
            (
                false,
                append_native(conn, &key(), &[trail_record("job.undone")]),
            )
        })
        .await;
    assert!(matches!(undone, Ok(Ok(()))), "its value is still given");
    let panicked = writer
        .run(|conn| -> (bool, ()) {
            append_native(conn, &key(), &[trail_record("job.panicked")]).unwrap();
            panic!("a job that fails midway");
        })
        .await;
    assert!(panicked.is_err());
    let kept = writer
        .run(|conn| {
            (
                true,
                append_native(conn, &key(), &[trail_record("job.kept")]),
            )
        })
        .await;
    assert!(matches!(kept, Ok(Ok(()))));
    assert_eq!(actions(&db).await, ["job.kept"]);
    db.close().await;
    remove_database(&url).await;
}

/// The actions of the trail, in their order.
async fn actions(db: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(&mut *db.conn().await.unwrap())
        .await
        .unwrap()
}

/// A job that ends the group's transaction makes the group fail whole: the job queued
/// with it is not kept and is told so, and the writer goes on.
#[tokio::test]
async fn a_job_that_ends_the_transaction_fails_its_group_and_only_it() {
    let (db, url) = sqlite_database().await;
    let writer = db.native_writer().expect("a file has a native writer");
    // A first job holds the writer until both others are queued: they form the next group.
    let (started, running) = tokio::sync::oneshot::channel();
    let (go, gate) = std::sync::mpsc::channel::<()>();
    let first = writer.run(move |conn| {
        started.send(()).unwrap();
        gate.recv().unwrap();
        (
            true,
            append_native(conn, &key(), &[trail_record("job.first")]),
        )
    });
    let next_group = async {
        running.await.unwrap();
        tokio::join!(
            writer.run(|conn| {
                append_native(conn, &key(), &[trail_record("job.breaker")]).unwrap();
                (true, conn.execute_batch("ROLLBACK"))
            }),
            writer.run(|conn| (
                true,
                append_native(conn, &key(), &[trail_record("job.follower")])
            )),
            async { go.send(()).unwrap() },
        )
    };
    let (first, (breaker, follower, ())) = tokio::join!(first, next_group);
    assert!(matches!(first, Ok(Ok(()))));
    assert!(breaker.is_err(), "a job whose transaction was ended fails");
    assert!(follower.is_err(), "so does the job of its group");
    assert_eq!(actions(&db).await, ["job.first"]);
    let after = writer
        .run(|conn| {
            (
                true,
                append_native(conn, &key(), &[trail_record("job.after")]),
            )
        })
        .await;
    assert!(matches!(after, Ok(Ok(()))));
    assert_eq!(actions(&db).await, ["job.first", "job.after"]);
    db.close().await;
    remove_database(&url).await;
}

/// Closing the database commits the jobs already queued, then refuses others.
#[tokio::test]
async fn closing_commits_the_queued_jobs_then_refuses_others() {
    let (db, url) = sqlite_database().await;
    let writer = db.native_writer().expect("a file has a native writer");
    // Both jobs are queued (at their first poll) before `close` takes the queue.
    let (first, second, ()) = tokio::join!(
        writer.run(|conn| (
            true,
            append_native(conn, &key(), &[trail_record("job.first")])
        )),
        writer.run(|conn| (
            true,
            append_native(conn, &key(), &[trail_record("job.second")])
        )),
        db.close(),
    );
    assert!(matches!(first, Ok(Ok(()))));
    assert!(matches!(second, Ok(Ok(()))));
    let late = writer
        .run(|conn| {
            (
                true,
                append_native(conn, &key(), &[trail_record("job.late")]),
            )
        })
        .await;
    assert!(late.is_err(), "no job after the writer is closed");
    let reopened = Db::connect(&url).await.unwrap();
    assert_eq!(actions(&reopened).await, ["job.first", "job.second"]);
    reopened.close().await;
    remove_database(&url).await;
}
