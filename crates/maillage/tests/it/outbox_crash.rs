//! The outbox survives the death of its worker: an alert to 1,000 members is being sent by
//! a real `maillage serve` process when it is killed (SIGKILL); a new one takes over. Every
//! e-mail reaches the SMTP server; the only ones that may arrive twice are among the few the
//! dead worker had in flight, under the same Message-ID, so that they are recognised as one.

use crate::support::smtp::SmtpServer;
use crate::support::{TestApp, both};
use maillage_services::{Clock, SystemClock};
use std::collections::HashSet;
use std::process::Stdio;
use tokio::process::{Child, Command};

const RECIPIENTS: usize = 1000;

/// Adds `count` member accounts to CPTS "a", in one transaction.
async fn many_members(t: &TestApp, count: usize) {
    let cpts = t.cpts_id("a").await;
    let mut tx = t.app.db.begin().await.unwrap();
    for n in 0..count {
        sqlx::query(
            "INSERT INTO users (email, display_name, role, cpts_id, created_at) \
             VALUES ($1, $2, 'member', $3, 0)",
        )
        .bind(format!("membre{n}@a.fr"))
        .bind(format!("Membre {n}"))
        .bind(cpts)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// `maillage serve` on the test's database, sending through `smtp`.
fn serve(t: &TestApp, smtp: &SmtpServer, config: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_maillage"))
        .arg("serve")
        .env("MAILLAGE_CONFIG", config)
        .env("MAILLAGE_DATABASE_URL", &t.db_url)
        .env("MAILLAGE_LISTEN", "127.0.0.1:0")
        .env("MAILLAGE_DATA_DIR", crate::support::data_dir_of(&t.db_url))
        .env("MAILLAGE_SMTP_URL", smtp.url())
        .env("MAILLAGE_PUBLIC_URL", "https://cpts.test")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

async fn no_email_is_lost_when_the_outbox_worker_is_killed(t: TestApp) {
    // The server started below reads the system's clock: the notifications must be due
    // by it.
    t.clock.advance(SystemClock.now() - t.app.now());
    t.given().messaging().await;
    // The GP and the nurse of `setup`, and these; the coordinator sends.
    many_members(&t, RECIPIENTS - 2).await;
    let coord = t.logged_in("coord@a.fr").await;
    let fields = [("title", "Canicule"), ("body", "Plan bleu déclenché")];
    let sent = t.post_form(&coord, "/alertes", "/alertes", &fields).await;
    assert_eq!(sent.status(), 303);
    let mut smtp = SmtpServer::start(0).await;
    let config = std::env::temp_dir().join(format!("maillage-outbox-{}.toml", std::process::id()));
    // A short lease, so that the next worker takes over the dead one's notifications soon.
    std::fs::write(&config, "outbox_lease_seconds = 2\n").unwrap();
    let mut first = serve(&t, &smtp, &config);
    let before: Vec<String> = smtp
        .accepted(RECIPIENTS / 3)
        .await
        .into_iter()
        .map(|m| m.message_id)
        .collect();
    first.kill().await.unwrap();

    let _second = serve(&t, &smtp, &config);
    let mut received: Vec<String> = before.clone();
    let mut distinct: HashSet<String> = before.iter().cloned().collect();
    while distinct.len() < RECIPIENTS {
        let mail = smtp.accepted(1).await.remove(0);
        distinct.insert(mail.message_id.clone());
        received.push(mail.message_id);
    }
    let expected: HashSet<String> = sqlx::query_scalar("SELECT message_id FROM outbox")
        .fetch_all(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(expected.len(), RECIPIENTS, "one e-mail per recipient");
    assert_eq!(
        distinct, expected,
        "every notification arrived, and nothing else"
    );
    // The dead worker held 8 e-mails at most (what it sends at once): those it sent
    // without recording it come again, under their own Message-ID.
    let mut seen = HashSet::new();
    let twice = received.iter().filter(|id| !seen.insert(*id)).count();
    assert!(
        twice <= 8,
        "at most the e-mails in flight come again: {twice}"
    );
    let _ = std::fs::remove_file(&config);
}
both!(no_email_is_lost_when_the_outbox_worker_is_killed);
