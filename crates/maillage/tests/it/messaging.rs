//! Secure messaging through the pages: threads read by their members only, every read of a
//! patient thread audited, mentions, read receipts and unread counts, attachments checked
//! and stored once, leaving, archiving, searching one's own threads, retention, and new
//! messages announced live, also by another app server sharing the database.

use crate::support::{PASSWORD, TestApp, both, csrf_of, location};
use reqwest::multipart::{Form, Part};
use std::time::Duration;

/// CPTS "a" with a coordinator, a GP and a nurse; CPTS "b" with its coordinator.
pub(crate) async fn setup(t: &TestApp) {
    t.cpts("a").await;
    t.cpts("b").await;
    t.user_named("coord@a.fr", "Claire Coordinatrice", "coordinator", "a")
        .await;
    t.user_named("gp@a.fr", "Hélène Roux", "member", "a").await;
    t.user_named("ide@a.fr", "Ines Infirmière", "member", "a")
        .await;
    t.user_named("coord@b.fr", "Bruno Autre", "coordinator", "b")
        .await;
}

pub(crate) async fn logged_in(t: &TestApp, email: &str) -> reqwest::Client {
    let client = t.client();
    let answer = t.login(&client, email, PASSWORD).await;
    assert_eq!(answer.status(), 303, "login of {email}");
    client
}

/// The coordinator, the GP and the nurse of CPTS "a", each logged in.
pub(crate) async fn team(t: &TestApp) -> (reqwest::Client, reqwest::Client, reqwest::Client) {
    setup(t).await;
    let coord = logged_in(t, "coord@a.fr").await;
    let gp = logged_in(t, "gp@a.fr").await;
    let nurse = logged_in(t, "ide@a.fr").await;
    (coord, gp, nurse)
}

pub(crate) async fn user_id(t: &TestApp, email: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    id.to_string()
}

pub(crate) async fn count(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
}

/// How many times `action` is in the audit trail.
async fn audited(t: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
}

/// Opens a thread from the messaging page; returns the answer.
pub(crate) async fn open_thread(
    t: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    t.post_form(client, "/messagerie", "/messagerie/fils", fields)
        .await
}

/// The coordinator opens a thread about a patient with the GP; returns its path.
pub(crate) async fn patient_thread_with_gp(t: &TestApp, coord: &reqwest::Client) -> String {
    let gp = user_id(t, "gp@a.fr").await;
    let answer = open_thread(
        t,
        coord,
        &[
            ("kind", "patient"),
            ("patient_last_name", "Durand"),
            ("patient_first_name", "Léa"),
            ("patient_birth_date", "1958-03-24"),
            ("patient_ins", "2 84 05 13 055 123 45"),
            ("members", &gp),
        ],
    )
    .await;
    assert_eq!(answer.status(), 303);
    location(&answer)
}

/// Writes a message with files in the thread at `thread` (its path), with the CSRF token
/// of the client's session (taken from a page that is not the thread's: reading the thread
/// would be audited).
pub(crate) async fn write(
    t: &TestApp,
    client: &reqwest::Client,
    thread: &str,
    body: &str,
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let csrf = csrf_of(&t.page(client, "/compte").await);
    let mut form = Form::new().text("csrf", csrf).text("body", body.to_owned());
    for (name, content) in files {
        form = form.part(
            "files",
            Part::bytes(content.to_vec()).file_name(name.to_string()),
        );
    }
    client
        .post(t.url(&format!("{thread}/messages")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn only_members_read_a_patient_thread_and_each_read_is_audited(t: TestApp) {
    let (coord, gp, nurse) = team(&t).await;
    let other_cpts = logged_in(&t, "coord@b.fr").await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    let id = thread.rsplit('/').next().unwrap().to_owned();

    let written = write(
        &t,
        &gp,
        &thread,
        "Pansement refait. @Claire Coordinatrice, RDV demain ?",
        &[],
    )
    .await;
    assert_eq!(written.status(), 303);
    assert!(location(&written).starts_with(&format!("{thread}#message-")));

    // The coordinator sees one unread message, then reads it, mentioned.
    let list = t.page(&coord, "/messagerie").await;
    assert!(list.contains("DURAND Léa, né(e) le 24/03/1958"), "{list}");
    assert!(list.contains("1 non lu"), "{list}");
    let page = t.page(&coord, &thread).await;
    assert!(page.contains("Pansement refait."));
    assert!(page.contains("vous mentionne"));
    assert!(page.contains("INS 284051305512345"));
    assert!(!t.page(&coord, "/messagerie").await.contains("non lu"));
    // The GP sees that the coordinator read it.
    assert!(
        t.page(&gp, &thread)
            .await
            .contains("Lu par Claire Coordinatrice")
    );

    // Neither a colleague outside the thread nor another CPTS reaches any of it.
    for (stranger, who) in [
        (&nurse, "a nurse of the CPTS"),
        (&other_cpts, "another CPTS"),
    ] {
        for path in [
            thread.clone(),
            format!("{thread}/nouveaux?apres=0"),
            format!("{thread}/flux"),
        ] {
            let answer = stranger.get(t.url(&path)).send().await.unwrap();
            assert_eq!(answer.status(), 404, "{who} on {path}");
        }
        assert!(!t.page(stranger, "/messagerie").await.contains("DURAND"));
        let refused = write(&t, stranger, &thread, "intrus", &[]).await;
        assert_eq!(refused.status(), 404, "{who} writing");
    }
    assert_eq!(count(&t, "SELECT COUNT(*) FROM messages").await, 1);

    // Every read of the thread by a member is in the audit trail, under the thread's id.
    let reads: Vec<(i64, String)> = sqlx::query_as(
        "SELECT actor_user_id, object_id FROM audit_log WHERE action = 'thread.read' ORDER BY seq",
    )
    .fetch_all(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    let coord_id: i64 = user_id(&t, "coord@a.fr").await.parse().unwrap();
    let gp_id: i64 = user_id(&t, "gp@a.fr").await.parse().unwrap();
    assert!(reads.iter().all(|(_, object)| *object == id));
    let readers: Vec<i64> = reads.iter().map(|(who, _)| *who).collect();
    assert_eq!(readers, [coord_id, gp_id], "each opening, in order");
    assert_eq!(audited(&t, "message.post").await, 1);
}
both!(only_members_read_a_patient_thread_and_each_read_is_audited);

async fn a_wrong_field_is_named_in_french_and_nothing_is_opened(t: TestApp) {
    setup(&t).await;
    let coord = logged_in(&t, "coord@a.fr").await;
    let outsider = user_id(&t, "coord@b.fr").await;
    let answer = open_thread(
        &t,
        &coord,
        &[
            ("kind", "patient"),
            ("patient_last_name", "Durand"),
            ("patient_first_name", ""),
            ("patient_birth_date", "31/04/1958"),
            ("patient_ins", "284051305512346"),
            ("members", &outsider),
        ],
    )
    .await;
    assert_eq!(answer.status(), 422);
    let page = answer.text().await.unwrap();
    for message in [
        "Indiquez le prénom du patient.",
        "Indiquez la date de naissance",
        "La clé de cet INS ne correspond pas",
        "Choisissez des collègues de votre CPTS.",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(page.contains("value=\"Durand\""), "what was typed stays");
    let topic = open_thread(&t, &coord, &[("kind", "topic"), ("topic", "  ")]).await;
    assert_eq!(topic.status(), 422);
    assert!(topic.text().await.unwrap().contains("Indiquez le sujet"));
    assert_eq!(count(&t, "SELECT COUNT(*) FROM threads").await, 0);

    let thread = patient_thread_with_gp(&t, &coord).await;
    let empty = write(&t, &coord, &thread, "   ", &[]).await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.unwrap().contains("Écrivez un message."));
    let forged = coord
        .post(t.url(&format!("{thread}/messages")))
        .multipart(Form::new().text("csrf", "faux").text("body", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        403,
        "a multipart form is checked for CSRF too"
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM messages").await, 0);
}
both!(a_wrong_field_is_named_in_french_and_nothing_is_opened);

const PDF: &[u8] = b"%PDF-1.4\n% compte rendu\n%%EOF\n";

async fn attachments_are_checked_stored_once_and_given_to_members_only(t: TestApp) {
    let (coord, gp, nurse) = team(&t).await;
    let thread = patient_thread_with_gp(&t, &coord).await;

    let disguised = write(
        &t,
        &gp,
        &thread,
        "Voici l’ordonnance",
        &[("ordonnance.pdf", b"MZ\x90\x00 programme"), ("cr.pdf", PDF)],
    )
    .await;
    assert_eq!(disguised.status(), 422);
    let page = disguised.text().await.unwrap();
    assert!(
        page.contains("« ordonnance.pdf » n’est ni un PDF"),
        "{page}"
    );
    assert!(page.contains("Voici l’ordonnance"), "the text typed stays");
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM messages").await,
        0,
        "nothing half-written"
    );
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM attachment_contents").await,
        0
    );

    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let too_big = write(&t, &gp, &thread, "Scanner", &[("scanner.pdf", &big)]).await;
    assert_eq!(too_big.status(), 422);
    assert!(
        too_big
            .text()
            .await
            .unwrap()
            .contains("« scanner.pdf » dépasse 10 Mo")
    );
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("cr.pdf", PDF)).collect();
    let too_many = write(&t, &gp, &thread, "Six fichiers", &six).await;
    assert_eq!(too_many.status(), 422);
    assert!(
        too_many
            .text()
            .await
            .unwrap()
            .contains("5 fichiers au plus")
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM messages").await, 0);

    let sent = write(
        &t,
        &gp,
        &thread,
        "Compte rendu",
        &[("../../cr plaie.pdf", PDF)],
    )
    .await;
    assert_eq!(sent.status(), 303);
    let again = write(
        &t,
        &coord,
        &thread,
        "Le même, en retour",
        &[("copie.pdf", PDF)],
    )
    .await;
    assert_eq!(again.status(), 303);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM attachments").await, 2);
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM attachment_contents").await,
        1,
        "one content per checksum"
    );

    let page = t.page(&coord, &thread).await;
    assert!(page.contains(">cr plaie.pdf</a>"), "the path is dropped");
    let link = page
        .split("href=\"/messagerie/pieces-jointes/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let path = format!("/messagerie/pieces-jointes/{link}");
    let file = gp.get(t.url(&path)).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("cr%20plaie.pdf"), "{disposition}");
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(nurse.get(t.url(&path)).send().await.unwrap().status(), 404);
    assert_eq!(audited(&t, "attachment.read").await, 1);
}
both!(attachments_are_checked_stored_once_and_given_to_members_only);

async fn members_join_leave_and_a_coordinator_archives(t: TestApp) {
    let (coord, gp, nurse) = team(&t).await;
    let answer = open_thread(
        &t,
        &coord,
        &[("kind", "topic"), ("topic", "Infirmiers du secteur")],
    )
    .await;
    let thread = location(&answer);
    assert_eq!(
        nurse.get(t.url(&thread)).send().await.unwrap().status(),
        404
    );

    let ide = user_id(&t, "ide@a.fr").await;
    let added = t
        .post_form(
            &coord,
            &thread,
            &format!("{thread}/membres"),
            &[("member", &ide)],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert!(
        t.page(&nurse, "/messagerie")
            .await
            .contains("Infirmiers du secteur")
    );
    let outsider = user_id(&t, "coord@b.fr").await;
    let refused = t
        .post_form(
            &coord,
            &thread,
            &format!("{thread}/membres"),
            &[("member", &outsider)],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Choisissez un collègue de votre CPTS.")
    );

    let left = t
        .post_form(&nurse, &thread, &format!("{thread}/depart"), &[])
        .await;
    assert_eq!(location(&left), "/messagerie");
    assert_eq!(
        nurse.get(t.url(&thread)).send().await.unwrap().status(),
        404
    );

    // Only a coordinator archives; the thread stays readable and takes no message.
    let archived = t
        .post_form(&coord, &thread, &format!("{thread}/archivage"), &[])
        .await;
    assert_eq!(archived.status(), 303);
    let page = t.page(&coord, &thread).await;
    assert!(page.contains("Discussion archivée"));
    let refused = write(&t, &coord, &thread, "encore", &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("ne reçoit plus de message")
    );
    assert!(
        !t.page(&coord, "/messagerie")
            .await
            .contains("Infirmiers du secteur")
    );
    assert!(
        t.page(&coord, "/messagerie?archives=1")
            .await
            .contains("Infirmiers du secteur")
    );

    let gp_thread = patient_thread_with_gp(&t, &coord).await;
    let by_member = t
        .post_form(&gp, &gp_thread, &format!("{gp_thread}/archivage"), &[])
        .await;
    assert_eq!(by_member.status(), 403, "a member does not archive");
}
both!(members_join_leave_and_a_coordinator_archives);

async fn a_search_finds_ones_own_messages_whatever_the_accents(t: TestApp) {
    let (coord, gp, nurse) = team(&t).await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    write(
        &t,
        &gp,
        &thread,
        "Ulcère de jambe : pansement hydrocolloïde",
        &[],
    )
    .await;
    let found = t.page(&coord, "/messagerie?q=ULCERE+jambe").await;
    assert!(found.contains("Ulcère de jambe"), "{found}");
    assert!(found.contains(&format!("href=\"{thread}#message-")));
    let elsewhere = t.page(&nurse, "/messagerie?q=ulcere").await;
    assert!(elsewhere.contains("Aucun message de vos discussions"));
    assert!(!elsewhere.contains("hydrocollo"));
}
both!(a_search_finds_ones_own_messages_whatever_the_accents);

async fn threads_past_their_cpts_retention_are_purged(t: TestApp) {
    setup(&t).await;
    let coord = logged_in(&t, "coord@a.fr").await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    write(
        &t,
        &coord,
        &thread,
        "Compte rendu joint",
        &[("cr.pdf", PDF)],
    )
    .await;
    let refused = t
        .post_form(
            &coord,
            "/messagerie",
            "/messagerie/conservation",
            &[("retention_days", "5")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("entre 30 et 3650"));
    let set = t
        .post_form(
            &coord,
            "/messagerie",
            "/messagerie/conservation",
            &[("retention_days", "90")],
        )
        .await;
    assert_eq!(set.status(), 303);

    t.clock.advance(89 * 86_400);
    assert_eq!(
        maillage_services::messaging::purge_expired(&t.app)
            .await
            .unwrap(),
        0
    );
    t.clock.advance(2 * 86_400);
    assert_eq!(
        maillage_services::messaging::purge_expired(&t.app)
            .await
            .unwrap(),
        1
    );
    for table in ["threads", "messages", "attachments", "attachment_contents"] {
        let left = count(&t, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(left, 0, "{table}");
    }
}
both!(threads_past_their_cpts_retention_are_purged);

/// Reads a server-sent event stream until its first `data:` line.
async fn next_data(stream: &mut reqwest::Response) -> String {
    let mut seen = String::new();
    let read = async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if let Some(line) = seen.lines().find_map(|l| l.strip_prefix("data:")) {
                return line.trim().to_owned();
            }
        }
        panic!("the stream ended");
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("an event within 20 s")
}

/// A member keeps a thread open; a message written by another member appears there. On
/// PostgreSQL the page is served by a second app server, as behind a load balancer.
async fn a_new_message_reaches_an_open_thread_live(t: TestApp) {
    setup(&t).await;
    let coord = logged_in(&t, "coord@a.fr").await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    let second;
    let watcher = if t.app.db.backend() == maillage_services::Backend::Postgres {
        second = t.second_server().await;
        &second
    } else {
        &t
    };
    let gp = watcher.client();
    assert_eq!(watcher.login(&gp, "gp@a.fr", PASSWORD).await.status(), 303);
    let mut stream = gp
        .get(watcher.url(&format!("{thread}/flux")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");

    let written = write(&t, &coord, &thread, "Passage infirmier avancé à 8 h", &[]).await;
    let id = location(&written)
        .rsplit("#message-")
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        next_data(&mut stream).await,
        id,
        "the event names the message only"
    );
    let items = watcher
        .page(&gp, &format!("{thread}/nouveaux?apres=0"))
        .await;
    assert!(items.contains("Passage infirmier avancé à 8 h"));
    assert!(items.contains(&format!("data-id=\"{id}\"")));
    let none = watcher
        .page(&gp, &format!("{thread}/nouveaux?apres={id}"))
        .await;
    assert!(none.trim().is_empty());
}
both!(a_new_message_reaches_an_open_thread_live);

/// A thread's page left open keeps fetching new messages: that does not keep the session
/// alive, which still ends after 30 minutes without the person's own requests.
async fn live_updates_do_not_keep_a_session_alive(t: TestApp) {
    setup(&t).await;
    let coord = logged_in(&t, "coord@a.fr").await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    let updates = format!("{thread}/nouveaux?apres=0");
    t.clock.advance(20 * 60);
    assert_eq!(
        coord.get(t.url(&updates)).send().await.unwrap().status(),
        200
    );
    t.clock.advance(20 * 60);
    let expired = coord.get(t.url(&updates)).send().await.unwrap();
    assert_eq!(expired.status(), 303);
    assert_eq!(location(&expired), "/connexion");
}
both!(live_updates_do_not_keep_a_session_alive);
