//! The audit trail: events recorded, scoped per CPTS, append-only, and any alteration found
//! on both databases, even by whoever can write the database but not read the host key: an
//! edit with the chain recomputed, a deleted row, a cut end, a trail rewritten whole, a
//! forged checkpoint.

use crate::support::{PASSWORD, TestApp, both};
use maillage_domain::platform::audit::{AuditRecord, ChainBreak, GENESIS_HASH};
use maillage_services::platform::host_key::{HostKey, HostKeys};
use maillage_services::{App, Settings, SystemClock, platform::audit, platform::audit_seal};
use sqlx::Connection;
use std::sync::Arc;

async fn raw(t: &TestApp, statements: &[&str]) {
    let mut conn = sqlx::AnyConnection::connect(&t.db_url).await.unwrap();
    for statement in statements {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
}

/// Runs `statement` with the table's guards (its triggers) lifted, as whoever can write
/// the database file can.
async fn unguarded(t: &TestApp, statement: &str) {
    let (disable, enable) = if t.db_url.starts_with("sqlite") {
        (
            "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete",
            "SELECT 1",
        )
    } else {
        (
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "ALTER TABLE audit_log ENABLE TRIGGER USER",
        )
    };
    raw(t, &[disable, statement, enable]).await;
}

async fn first_break(t: &TestApp) -> Option<ChainBreak> {
    audit_seal::verify(&t.app.db, &t.app.audit_seal)
        .await
        .unwrap()
        .first_break
}

/// A trail of a few rows (the trail keyed, a CPTS and an account created, the account's
/// logins), checkpointed, then five more logins; returns the checkpoint's sequence.
async fn checkpointed_trail(t: &TestApp) -> i64 {
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let checkpoint = audit_seal::checkpoint(&t.app).await.unwrap().unwrap();
    let client = t.client();
    for _ in 0..5 {
        t.login(&client, "medecin@a.fr", PASSWORD).await;
    }
    assert_eq!(first_break(t).await, None);
    checkpoint.seq
}

/// What someone who can write the database, but not read the host key, can do to the
/// trail: each is found, and the row named.
async fn an_edit_rechained_without_the_key_is_found(t: TestApp) {
    let seq = checkpointed_trail(&t).await;
    // The plain hashes recomputed from the edited row on, as the old chain allowed.
    let rows =
        maillage_store::platform::audit::batch_after(&mut t.app.db.conn().await.unwrap(), 0, 100)
            .await
            .unwrap();
    let mut previous = rows[(seq - 2) as usize].hash.clone();
    for row in &rows[(seq - 1) as usize..] {
        let mut record = row.record.clone();
        if row.seq == seq {
            record.outcome = "failure".into();
        }
        let hash = record.chain_hash(row.seq, &previous);
        unguarded(
            &t,
            &format!(
                "UPDATE audit_log SET outcome = '{}', previous_hash = '{previous}', hash = '{hash}' \
                 WHERE seq = {}",
                record.outcome, row.seq
            ),
        )
        .await;
        previous = hash;
    }
    assert_eq!(first_break(&t).await, Some(ChainBreak::Altered { seq }));
}
both!(an_edit_rechained_without_the_key_is_found);

async fn a_deleted_row_is_found(t: TestApp) {
    let seq = checkpointed_trail(&t).await;
    unguarded(
        &t,
        &format!("DELETE FROM audit_log WHERE seq = {}", seq + 2),
    )
    .await;
    assert_eq!(
        first_break(&t).await,
        Some(ChainBreak::Gap {
            seq: seq + 3,
            expected_seq: seq + 2
        })
    );
}
both!(a_deleted_row_is_found);

async fn a_cut_tail_is_found_by_its_checkpoint(t: TestApp) {
    let seq = checkpointed_trail(&t).await;
    let last = audit_seal::checkpoint(&t.app).await.unwrap().unwrap().seq;
    assert!(last > seq);
    unguarded(&t, &format!("DELETE FROM audit_log WHERE seq > {seq}")).await;
    assert_eq!(
        first_break(&t).await,
        Some(ChainBreak::Truncated {
            last_seq: seq,
            expected_seq: last
        })
    );
}
both!(a_cut_tail_is_found_by_its_checkpoint);

async fn a_trail_rewritten_whole_or_a_forged_checkpoint_is_found(t: TestApp) {
    checkpointed_trail(&t).await;
    // A checkpoint line written without the key.
    let file = crate::support::data_dir_of(&t.db_url).join("audit-checkpoints.log");
    let mut lines = std::fs::read_to_string(&file).unwrap();
    lines.push_str("maillage-audit-v1 seq=1 hash=00 at=0 mac=00\n");
    std::fs::write(&file, lines).unwrap();
    assert_eq!(
        first_break(&t).await,
        Some(ChainBreak::ForgedCheckpoint { line: 3 })
    );
    // Every row rehashed in the old plain way, the keyed row dropped.
    plain_trail(&t, 3).await;
    assert_eq!(first_break(&t).await, Some(ChainBreak::NotKeyed));
}
both!(a_trail_rewritten_whole_or_a_forged_checkpoint_is_found);

/// Replaces the trail with `count` rows chained by plain hashes, as trails were before they
/// were keyed, and forgets the checkpoints: a host about to be upgraded.
async fn plain_trail(t: &TestApp, count: i64) {
    unguarded(t, "DELETE FROM audit_log").await;
    let mut conn = t.app.db.conn().await.unwrap();
    let mut previous = GENESIS_HASH.to_owned();
    for seq in 1..=count {
        let record = AuditRecord {
            at: 1_800_000_000,
            actor_user_id: None,
            actor_role: Some("system".into()),
            cpts_id: None,
            action: "cpts.create".into(),
            object_type: None,
            object_id: None,
            request_id: None,
            outcome: "success".into(),
        };
        let hash = record.chain_hash(seq, &previous);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_role, action, outcome, previous_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(seq)
        .bind(record.at)
        .bind(record.actor_role.as_deref())
        .bind(&record.action)
        .bind(&record.outcome)
        .bind(&previous)
        .bind(&hash)
        .execute(&mut *conn)
        .await
        .unwrap();
        previous = hash;
    }
    let file = crate::support::data_dir_of(&t.db_url).join("audit-checkpoints.log");
    std::fs::write(file, "").unwrap();
}

/// A trail from before the key keeps its plain hashes; the next start keys it from its
/// next row, and an edit of an old row is still found.
async fn an_existing_trail_is_keyed_from_its_next_row(t: TestApp) {
    plain_trail(&t, 4).await;
    audit_seal::ensure_keyed(&t.app).await.unwrap();
    t.cpts("a").await;
    let report = audit_seal::verify(&t.app.db, &t.app.audit_seal)
        .await
        .unwrap();
    assert_eq!((report.rows_checked, report.first_break), (6, None));
    let keyed = t
        .count("SELECT seq FROM audit_log WHERE action = 'audit.chain.keyed'")
        .await;
    assert_eq!(keyed, 5);
    // An old row edited, the plain chain recomputed up to the keyed row.
    unguarded(&t, "UPDATE audit_log SET outcome = 'failure' WHERE seq = 2").await;
    let rows =
        maillage_store::platform::audit::batch_after(&mut t.app.db.conn().await.unwrap(), 0, 10)
            .await
            .unwrap();
    let mut previous = rows[0].hash.clone();
    for row in &rows[1..4] {
        let hash = row.record.chain_hash(row.seq, &previous);
        let sql = format!(
            "UPDATE audit_log SET previous_hash = '{previous}', hash = '{hash}' WHERE seq = {}",
            row.seq
        );
        unguarded(&t, &sql).await;
        previous = hash;
    }
    unguarded(
        &t,
        &format!("UPDATE audit_log SET previous_hash = '{previous}' WHERE seq = 5"),
    )
    .await;
    assert_eq!(first_break(&t).await, Some(ChainBreak::Altered { seq: 5 }));
}
both!(an_existing_trail_is_keyed_from_its_next_row);

/// With `audit_syslog_socket` set, each checkpoint also goes to syslog, out of the host's
/// reach.
async fn checkpoints_go_to_syslog_too(t: TestApp) {
    let folder = crate::support::data_dir_of(&t.db_url);
    let socket_path = folder.join("syslog.sock");
    let syslog = std::os::unix::net::UnixDatagram::bind(&socket_path).unwrap();
    let host = HostKey::load_or_create(&folder.join("secrets/host.key"))
        .unwrap()
        .key;
    let keys = HostKeys::new(&host, folder.join("other.log"), Some(socket_path));
    let app = App::new(
        t.app.db.clone(),
        Settings::default(),
        Arc::new(SystemClock),
        keys,
    );
    let written = audit_seal::checkpoint(&app).await.unwrap().unwrap();
    let mut buffer = [0u8; 512];
    let size = syslog.recv(&mut buffer).unwrap();
    let message = String::from_utf8_lossy(&buffer[..size]).into_owned();
    assert!(message.starts_with("<110>maillage["), "{message}");
    assert!(
        message.contains(&format!("seq={} hash={}", written.seq, written.hash)),
        "{message}"
    );
}
both!(checkpoints_go_to_syslog_too);

async fn logins_are_recorded_and_tampering_is_found(t: TestApp) {
    sqlx::any::install_default_drivers();
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    t.login(&client, "medecin@a.fr", "mauvais mot de passe")
        .await;
    t.login(&client, "medecin@a.fr", PASSWORD).await;
    let report = audit_seal::verify(&t.app.db, &t.app.audit_seal)
        .await
        .unwrap();
    assert!(report.first_break.is_none());
    assert!(
        report.rows_checked >= 4,
        "cpts, user, failed and successful login"
    );

    let mut conn = sqlx::AnyConnection::connect(&t.db_url).await.unwrap();
    let edit = sqlx::query("UPDATE audit_log SET outcome = 'success' WHERE seq = 3")
        .execute(&mut conn)
        .await;
    assert!(edit.is_err(), "the table refuses updates");
    assert!(
        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(&mut conn)
            .await
            .is_err(),
        "and deletions"
    );

    let failed: i64 = t
        .count("SELECT seq FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure'")
        .await;
    unguarded(
        &t,
        &format!("UPDATE audit_log SET outcome = 'success' WHERE seq = {failed}"),
    )
    .await;
    assert_eq!(
        first_break(&t).await,
        Some(ChainBreak::Altered { seq: failed })
    );
}
both!(logins_are_recorded_and_tampering_is_found);

async fn coordinators_read_their_cpts_trail_only(t: TestApp) {
    t.cpts("a").await;
    t.cpts("b").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("medecin@b.fr", "member", "b").await;
    let b = t.client();
    t.login(&b, "medecin@b.fr", PASSWORD).await;
    assert_eq!(
        b.get(t.url("/journal")).send().await.unwrap().status(),
        404,
        "members do not read the trail"
    );
    let a = t.client();
    t.login(&a, "coord@a.fr", PASSWORD).await;
    let page = t.page(&a, "/journal").await;
    let login = page
        .split("<tr>")
        .find(|row| row.contains("<code class=\"hint\">auth.login</code>"))
        .expect("the login is in the journal");
    assert!(login.contains("<td>Connexion "), "{login}");
    assert!(
        login.contains("<td>Personne Test</td><td>Coordination</td>"),
        "{login}"
    );
    let rows = audit::trail(&t.app, &t.actor("coord@a.fr").await, None)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.record.cpts_id == Some(1)),
        "only CPTS a's events"
    );
}
both!(coordinators_read_their_cpts_trail_only);
