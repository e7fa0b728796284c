//! Notifications by e-mail and alerts, against a real SMTP server: what each member chose,
//! one e-mail per unread stretch of a thread, texts without health data, retries with a
//! growing delay against a server that refuses then accepts, and alerts broadcast,
//! acknowledged and reminded through the pages.

use crate::support::fixtures::messaging::{Team, open_thread, patient_thread_with_gp, write};
use crate::support::smtp::SmtpServer;
use crate::support::{TestApp, both, location};
use maillage_services::platform::notify::Mailer;
use maillage_services::platform::notify::worker::{Round, deliver_due};

fn mailer(smtp: &SmtpServer) -> Mailer {
    Mailer::new(&smtp.url(), "maillage <ne-pas-repondre@cpts.test>").unwrap()
}

async fn deliver(t: &TestApp, mailer: &Mailer) -> Round {
    deliver_due(&t.app, mailer).await.unwrap()
}

async fn choose(t: &TestApp, client: &reqwest::Client, messages: &str, alerts: bool) {
    let mut fields = vec![("messages", messages)];
    if alerts {
        fields.push(("alerts", "on"));
    }
    let saved = t
        .post_form(client, "/compte", "/compte/notifications", &fields)
        .await;
    assert_eq!(saved.status(), 200);
    assert!(
        saved
            .text()
            .await
            .unwrap()
            .contains("Vos choix de notifications sont enregistrés")
    );
}

const SENT: Round = Round { sent: 1, failed: 0 };
const NONE: Round = Round { sent: 0, failed: 0 };

async fn members_are_told_of_new_messages_as_they_chose_without_health_data(t: TestApp) {
    let mut smtp = SmtpServer::start(0).await;
    let mailer = mailer(&smtp);
    let Team {
        coordinator: coord,
        gp,
        nurse,
    } = t.given().messaging_team().await;
    choose(&t, &gp, "mentions", true).await;
    choose(&t, &nurse, "none", true).await;
    let bad = t
        .post_form(
            &nurse,
            "/compte",
            "/compte/notifications",
            &[("messages", "souvent")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let thread = patient_thread_with_gp(&t, &coord).await;
    let nurse_id = t.user_id("ide@a.fr").await.to_string();
    t.post_form(
        &coord,
        &thread,
        &format!("{thread}/membres"),
        &[("member", &nurse_id)],
    )
    .await;

    write(&t, &gp, &thread, "Pansement refait, plaie propre", &[]).await;
    assert_eq!(deliver(&t, &mailer).await, SENT, "to the coordinator only");
    let mail = smtp.accepted(1).await.remove(0);
    assert_eq!(mail.recipient, "coord@a.fr");
    assert!(mail.text.contains("Subject: Nouveau message sur maillage"));
    assert!(
        mail.text
            .contains(&format!("http://127.0.0.1:8080{thread}")),
        "{}",
        mail.text
    );
    for private in ["DURAND", "Léa", "Pansement", "1958", "Roux"] {
        assert!(!mail.text.contains(private), "{private} in {}", mail.text);
    }

    write(&t, &gp, &thread, "Deuxième passage prévu", &[]).await;
    assert_eq!(
        deliver(&t, &mailer).await,
        NONE,
        "not again before the thread is read"
    );
    t.page(&coord, &thread).await;
    write(&t, &gp, &thread, "Troisième passage", &[]).await;
    assert_eq!(deliver(&t, &mailer).await, SENT, "again once it was read");
    assert_eq!(smtp.accepted(1).await[0].recipient, "coord@a.fr");

    write(&t, &coord, &thread, "Merci @Hélène Roux", &[]).await;
    assert_eq!(deliver(&t, &mailer).await, SENT, "the GP, mentioned");
    assert_eq!(smtp.accepted(1).await[0].recipient, "gp@a.fr");
    t.page(&gp, &thread).await;
    write(&t, &coord, &thread, "Sans mention", &[]).await;
    assert_eq!(
        deliver(&t, &mailer).await,
        NONE,
        "the GP wants mentions only"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
            .await,
        3
    );
}
both!(members_are_told_of_new_messages_as_they_chose_without_health_data);

async fn the_outbox_retries_a_server_that_refuses_then_accepts(t: TestApp) {
    let mut smtp = SmtpServer::start(2).await;
    let mailer = mailer(&smtp);
    let Team {
        coordinator: coord, ..
    } = t.given().messaging_team().await;
    let sent = t
        .post_form(
            &coord,
            "/alertes",
            "/alertes",
            &[
                ("title", "Canicule"),
                ("body", "Plan bleu déclenché"),
                ("ack_required", "on"),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let refused = Round { sent: 0, failed: 2 };
    assert_eq!(deliver(&t, &mailer).await, refused);
    assert_eq!(smtp.next_event().await, "refused");
    assert_eq!(smtp.next_event().await, "refused");
    let (attempts, error, next): (i64, String, i64) = sqlx::query_as(
        "SELECT attempts, last_error, next_attempt_at FROM outbox ORDER BY id LIMIT 1",
    )
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.contains("451"), "{error}");
    assert_eq!(next, t.app.now() + 30, "the first retry after 30 s");
    assert_eq!(deliver(&t, &mailer).await, NONE, "nothing is due yet");
    t.clock.advance(30);
    assert_eq!(deliver(&t, &mailer).await, Round { sent: 2, failed: 0 });
    let mails = smtp.accepted(2).await;
    let expected: Vec<String> = sqlx::query_scalar("SELECT message_id FROM outbox ORDER BY id")
        .fetch_all(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    let mut received: Vec<String> = mails.iter().map(|m| m.message_id.clone()).collect();
    received.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(
        received, expected_sorted,
        "each sent once, under its own Message-ID"
    );
    assert_eq!(deliver(&t, &mailer).await, NONE);
}
both!(the_outbox_retries_a_server_that_refuses_then_accepts);

async fn a_coordinator_broadcasts_an_alert_and_follows_acknowledgements(t: TestApp) {
    let mut smtp = SmtpServer::start(0).await;
    let mailer = mailer(&smtp);
    let Team {
        coordinator: coord,
        gp,
        nurse,
    } = t.given().messaging_team().await;
    let other_cpts = t.logged_in("coord@b.fr").await;
    choose(&t, &gp, "all", false).await;

    let empty = t
        .post_form(
            &coord,
            "/alertes",
            "/alertes",
            &[("title", ""), ("body", "x")],
        )
        .await;
    assert_eq!(empty.status(), 422);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Indiquez l’objet de l’alerte")
    );
    let by_member = t
        .post_form(
            &gp,
            "/alertes",
            "/alertes",
            &[("title", "x"), ("body", "x")],
        )
        .await;
    assert_eq!(by_member.status(), 403);
    assert_eq!(t.count("SELECT COUNT(*) FROM alerts").await, 0);

    let fields = [
        ("title", "Canicule"),
        ("body", "Plan bleu déclenché : repérez vos patients isolés."),
        ("ack_required", "on"),
    ];
    let sent = t.post_form(&coord, "/alertes", "/alertes", &fields).await;
    let alert = location(&sent);
    assert_eq!(
        deliver(&t, &mailer).await,
        SENT,
        "the GP wants no alert by e-mail"
    );
    let mail = smtp.accepted(1).await.remove(0);
    assert_eq!(mail.recipient, "ide@a.fr");
    assert!(mail.text.contains(&format!("http://127.0.0.1:8080{alert}")));
    assert!(!mail.text.contains("Plan bleu"));

    assert!(t.page(&gp, "/alertes").await.contains("à confirmer"));
    assert_eq!(
        other_cpts.get(t.url(&alert)).send().await.unwrap().status(),
        404
    );
    let confirmed = t
        .post_form(&gp, &alert, &format!("{alert}/confirmation"), &[])
        .await;
    assert_eq!(confirmed.status(), 303);
    assert!(
        t.page(&gp, &alert)
            .await
            .contains("Vous avez confirmé la lecture")
    );
    let follow = t.page(&coord, &alert).await;
    assert!(follow.contains("1 confirmation sur 2"), "{follow}");
    assert!(t.page(&coord, "/alertes").await.contains("1 / 2"));

    let reminded = t
        .post_form(&coord, &alert, &format!("{alert}/relance"), &[])
        .await;
    assert_eq!(reminded.status(), 303);
    assert_eq!(
        deliver(&t, &mailer).await,
        SENT,
        "only the nurse, who has not confirmed"
    );
    let reminder = smtp.accepted(1).await.remove(0);
    assert_eq!(reminder.recipient, "ide@a.fr");
    assert_ne!(reminder.message_id, mail.message_id);
    let cannot = t
        .post_form(&nurse, &alert, &format!("{alert}/relance"), &[])
        .await;
    assert_eq!(cannot.status(), 403);

    // An alert to a group reaches its members only.
    let group = open_thread(
        &t,
        &coord,
        &[
            ("kind", "topic"),
            ("topic", "Cellule de crise"),
            ("members", &t.user_id("ide@a.fr").await.to_string()),
        ],
    )
    .await;
    let group_id = location(&group).rsplit('/').next().unwrap().to_owned();
    let fields = [
        ("title", "Réunion"),
        ("body", "Ce soir 20 h"),
        ("group", group_id.as_str()),
    ];
    let to_group = t.post_form(&coord, "/alertes", "/alertes", &fields).await;
    let to_group = location(&to_group);
    assert!(
        t.page(&coord, &to_group)
            .await
            .contains("0 confirmation sur 1")
    );
    assert_eq!(gp.get(t.url(&to_group)).send().await.unwrap().status(), 404);
}
both!(a_coordinator_broadcasts_an_alert_and_follows_acknowledgements);
