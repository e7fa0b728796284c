//! Secure messaging through the pages: threads read by their members only, every read of a
//! patient thread audited, mentions, read receipts and unread counts, field errors, leaving,
//! archiving, searching one's own threads, retention.

use crate::support::fixtures::messaging::{PDF, Team, open_thread, patient_thread_with_gp, write};
use crate::support::{TestApp, both, location};
use reqwest::multipart::Form;

async fn only_members_read_a_patient_thread_and_each_read_is_audited(t: TestApp) {
    let Team {
        coordinator: coord,
        gp,
        nurse,
    } = t.given().messaging_team().await;
    let other_cpts = t.logged_in("coord@b.fr").await;
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
    assert_eq!(t.count("SELECT COUNT(*) FROM messages").await, 1);

    // Every read of the thread by a member is in the audit trail, under the thread's id.
    let reads: Vec<(i64, String)> = sqlx::query_as(
        "SELECT actor_user_id, object_id FROM audit_log WHERE action = 'thread.read' ORDER BY seq",
    )
    .fetch_all(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    let coord_id: i64 = t.user_id("coord@a.fr").await;
    let gp_id: i64 = t.user_id("gp@a.fr").await;
    assert!(reads.iter().all(|(_, object)| *object == id));
    let readers: Vec<i64> = reads.iter().map(|(who, _)| *who).collect();
    assert_eq!(readers, [coord_id, gp_id], "each opening, in order");
    assert_eq!(t.audited("message.post").await, 1);
}
both!(only_members_read_a_patient_thread_and_each_read_is_audited);

async fn a_wrong_field_is_named_in_french_and_nothing_is_opened(t: TestApp) {
    t.given().messaging().await;
    let coord = t.logged_in("coord@a.fr").await;
    let outsider = t.user_id("coord@b.fr").await.to_string();
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
    assert_eq!(t.count("SELECT COUNT(*) FROM threads").await, 0);

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
    assert_eq!(t.count("SELECT COUNT(*) FROM messages").await, 0);
}
both!(a_wrong_field_is_named_in_french_and_nothing_is_opened);

async fn members_join_leave_and_a_coordinator_archives(t: TestApp) {
    let Team {
        coordinator: coord,
        gp,
        nurse,
    } = t.given().messaging_team().await;
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

    let ide = t.user_id("ide@a.fr").await.to_string();
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
    let outsider = t.user_id("coord@b.fr").await.to_string();
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

async fn a_search_finds_ones_own_threads_and_messages_whatever_the_accents(t: TestApp) {
    let Team {
        coordinator: coord,
        gp,
        nurse,
    } = t.given().messaging_team().await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    write(
        &t,
        &gp,
        &thread,
        "Ulcère de jambe : pansement hydrocolloïde",
        &[],
    )
    .await;
    let search = async |client: &reqwest::Client, words: &str| {
        let sent = t
            .post_form(
                client,
                "/messagerie",
                "/messagerie/recherche",
                &[("q", words)],
            )
            .await;
        assert_eq!(sent.status(), reqwest::StatusCode::OK);
        sent.text().await.unwrap()
    };
    let found = search(&coord, "ULCERE jambe").await;
    assert!(found.contains("Ulcère de jambe"), "{found}");
    assert!(found.contains(&format!("href=\"{thread}#message-")));
    let list = t.page(&coord, "/messagerie").await;
    assert!(
        list.contains("method=\"post\" action=\"/messagerie/recherche\""),
        "the words searched go in the body, never in the address"
    );
    let elsewhere = search(&nurse, "ulcere").await;
    assert!(elsewhere.contains("Aucune de vos discussions ne contient"));
    assert!(!elsewhere.contains("hydrocollo"));

    // A thread is found by its patient's name too, though no message names them.
    let by_name = search(&gp, "lea DURAND").await;
    assert!(
        by_name.contains(&format!("<a href=\"{thread}\">DURAND Léa")),
        "{by_name}"
    );
    assert!(!by_name.contains("#message-"), "no message holds the name");
    let not_a_member = search(&nurse, "durand").await;
    assert!(not_a_member.contains("Aucune de vos discussions ne contient"));
}
both!(a_search_finds_ones_own_threads_and_messages_whatever_the_accents);

async fn threads_past_their_cpts_retention_are_purged(t: TestApp) {
    t.given().messaging().await;
    let coord = t.logged_in("coord@a.fr").await;
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
        let left = t.count(&format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(left, 0, "{table}");
    }
}
both!(threads_past_their_cpts_retention_are_purged);
