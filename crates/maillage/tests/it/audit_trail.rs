//! The audit trail: events recorded, scoped per CPTS, append-only, and any alteration found.

use crate::support::{PASSWORD, TestApp, both};
use maillage_domain::audit::ChainBreak;
use maillage_services::audit;
use sqlx::Connection;

async fn raw(t: &TestApp, statements: &[&str]) {
    let mut conn = sqlx::AnyConnection::connect(&t.db_url).await.unwrap();
    for statement in statements {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
}

async fn logins_are_recorded_and_tampering_is_found(t: TestApp) {
    sqlx::any::install_default_drivers();
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    t.login(&client, "medecin@a.fr", "mauvais mot de passe")
        .await;
    t.login(&client, "medecin@a.fr", PASSWORD).await;
    let report = audit::verify(&t.app.db).await.unwrap();
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

    let (disable, enable) = if t.db_url.starts_with("sqlite") {
        ("DROP TRIGGER audit_log_no_update", "SELECT 1")
    } else {
        (
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "ALTER TABLE audit_log ENABLE TRIGGER USER",
        )
    };
    raw(
        &t,
        &[
            disable,
            "UPDATE audit_log SET outcome = 'success' WHERE seq = 3",
            enable,
        ],
    )
    .await;
    let report = audit::verify(&t.app.db).await.unwrap();
    assert_eq!(report.first_break, Some(ChainBreak::Altered { seq: 3 }));
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
