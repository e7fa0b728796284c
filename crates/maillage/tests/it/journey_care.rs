//! Journeys through the care missions in headless Chromium (screenshots and axe-core on
//! every page): colleagues messaging around a patient and acknowledging an alert; a patient
//! without a GP proposed to a GP who accepts; a GP who limits the patients they take and
//! answers from the link of an e-mail, then plans to retire and has their patients
//! registered ahead.

use crate::support::browser::{start, without_second_factor};
use crate::support::fixtures::directory::{RESTANQUE, import_sample, member_id};
use crate::support::fixtures::gp_waitlist::restanque_as_member;
use crate::support::{PASSWORD, TestApp, csrf_of, location};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn colleagues_message_around_a_patient_and_acknowledge_an_alert() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    t.cpts("aix").await;
    t.user_named(
        "coordination@aix.fr",
        "Claire Coordinatrice",
        "coordinator",
        "aix",
    )
    .await;
    t.user_named("roux@aix.fr", "Hélène Roux", "member", "aix")
        .await;
    let gp = t.user_id("roux@aix.fr").await;

    // The coordinator opens a thread about a patient with the GP, and writes in it.
    b.log_in("coordination@aix.fr", PASSWORD).await;
    b.follow("Messagerie").await;
    b.inspect("41-messagerie").await;
    b.fill("f-patient_last_name", "Durand").await;
    b.fill("f-patient_first_name", "Léa").await;
    b.fill("f-patient_birth_date", "31/04/1958").await;
    b.tick(&format!("input[name=members][value='{gp}']")).await;
    b.press("Ouvrir la discussion").await;
    let error = b.text_of("#f-patient_birth_date-error").await;
    assert!(error.contains("date de naissance"), "{error}");
    b.inspect("42-messagerie-date-invalide").await;
    b.fill("f-patient_birth_date", "24/03/1958").await;
    b.press("Ouvrir la discussion").await;
    let thread = b.path().await;
    assert!(thread.starts_with("/messagerie/fils/"));
    b.fill(
        "f-body",
        "@Hélène Roux, pouvez-vous passer demain pour le pansement ?",
    )
    .await;
    b.press("Envoyer").await;
    assert!(b.text_of("#messages").await.contains("passer demain"));
    b.inspect("43-discussion-patient").await;
    b.press("Se déconnecter").await;

    // The GP finds the unread message, opens the thread and keeps it open.
    b.log_in("roux@aix.fr", PASSWORD).await;
    b.follow("Messagerie").await;
    assert!(b.main_text().await.contains("1 non lu"));
    b.open(&thread).await;
    assert!(
        b.text_of(".message.mention")
            .await
            .contains("vous mentionne")
    );
    b.inspect("44-discussion-mention").await;

    // The coordinator writes from elsewhere: the message appears on the GP's open page.
    let coord = t.client();
    t.login(&coord, "coordination@aix.fr", PASSWORD).await;
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("body", "Merci, le passage infirmier est avancé à 8 h.");
    let sent = coord
        .post(t.url(&format!("{thread}/messages")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    b.wait_for_text("#messages", "avancé à 8 h").await;
    b.inspect("45-discussion-message-en-direct").await;

    // An alert reaches the GP, who acknowledges it.
    let alert = t
        .post_form(
            &coord,
            "/alertes",
            "/alertes",
            &[
                ("title", "Canicule"),
                ("body", "Plan bleu déclenché : repérez vos patients isolés."),
                ("ack_required", "on"),
            ],
        )
        .await;
    assert_eq!(alert.status(), 303);
    b.open("/alertes").await;
    assert!(b.main_text().await.contains("à confirmer"));
    b.inspect("46-alertes").await;
    b.follow("Canicule").await;
    b.press("J’ai lu cette alerte").await;
    assert!(
        b.main_text()
            .await
            .contains("Vous avez confirmé la lecture")
    );
    b.inspect("47-alerte-confirmee").await;
    let follow = t.page(&coord, location(&alert).as_str()).await;
    assert!(follow.contains("1 confirmation sur 1"));
}

/// The CPTS du Pays d’Aix, its coordinator, and Dr Restanque as a member who takes two new
/// patients a month; returns the coordinator's client, logged in.
async fn aix_with_restanque(t: &TestApp) -> reqwest::Client {
    t.load_territory().await;
    import_sample(t).await;
    t.aix_cpts("aix", "CPTS du Pays d’Aix").await;
    t.user_named(
        "coordination@aix.fr",
        "Claire Coordinatrice",
        "coordinator",
        "aix",
    )
    .await;
    t.user_named("restanque@aix.fr", "Sabine Restanque", "member", "aix")
        .await;
    let coord = t.client();
    t.login(&coord, "coordination@aix.fr", PASSWORD).await;
    restanque_as_member(t, &coord, "restanque@aix.fr", 2).await;
    coord
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_without_a_gp_is_proposed_to_a_gp_who_accepts() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    aix_with_restanque(&t).await;

    // A patient asks through the public form.
    b.open("/demande-medecin-traitant/aix").await;
    b.inspect("51-demande-publique").await;
    b.fill("f-last_name", "Durand").await;
    b.fill("f-first_name", "Léa").await;
    b.fill("f-birth_date", "24/03/1950").await;
    b.tick("input[name=sex][value=F]").await;
    b.fill("f-commune", "Cabriès").await;
    b.fill("f-phone", "06 12 34 56 78").await;
    b.tick("input[name=ald]").await;
    t.clock.advance(20);
    b.press("Envoyer ma demande").await;
    assert!(b.main_text().await.contains("Cochez la case"));
    b.inspect("52-demande-publique-sans-accord").await;
    b.tick("input[name=consent]").await;
    t.clock.advance(20);
    b.press("Envoyer ma demande").await;
    assert!(
        b.main_text()
            .await
            .contains("Votre demande a été transmise")
    );
    b.inspect("53-demande-publique-envoyee").await;

    // The coordinator finds her first in the list and proposes her to Dr Restanque.
    b.log_in("coordination@aix.fr", PASSWORD).await;
    b.follow("Médecin traitant").await;
    assert!(b.text_of("tbody").await.contains("Prioritaire : ALD"));
    b.inspect("54-liste-medecin-traitant").await;
    b.follow("DURAND Léa").await;
    b.press_labelled("Proposer au Dr Gilles RESTANQUE").await;
    assert!(b.main_text().await.contains("en attente de réponse"));
    b.inspect("55-demande-proposee").await;
    let request = b.path().await;
    b.press("Se déconnecter").await;

    // The GP accepts on their page.
    b.log_in("restanque@aix.fr", PASSWORD).await;
    b.follow("Médecin traitant").await;
    b.inspect("56-propositions-medecin").await;
    b.press_labelled("Accepter DURAND Léa").await;
    assert!(
        b.main_text()
            .await
            .contains("Aucune proposition en attente")
    );
    b.press("Se déconnecter").await;

    // The coordinator confirms the outcome and reads the indicators.
    b.log_in("coordination@aix.fr", PASSWORD).await;
    b.open(&request).await;
    b.press("Médecin traitant déclaré").await;
    assert!(b.main_text().await.contains("Demande satisfaite"));
    b.inspect("57-medecin-declare").await;
    b.open("/medecin-traitant/indicateurs").await;
    let total = b.text_of("table").await;
    assert!(total.contains("1 1"), "{total}");
    b.inspect("58-indicateurs-medecin-traitant").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gp_answers_from_an_email_link_then_their_patients_are_registered_before_they_retire() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    let coord = aix_with_restanque(&t).await;
    let member = member_id(&t, "aix", RESTANQUE).await;
    let recorded = t
        .post_form(
            &coord,
            "/medecin-traitant/demandes/nouvelle",
            "/medecin-traitant/demandes",
            &[
                ("last_name", "Martin"),
                ("first_name", "Paul"),
                ("birth_date", "02/02/1952"),
                ("sex", "M"),
                ("commune", "Cabriès"),
                ("phone", "0612345678"),
            ],
        )
        .await;
    let request = location(&recorded);

    // The GP takes new patients of Cabriès and Aix only, from 16 years.
    b.log_in("restanque@aix.fr", PASSWORD).await;
    b.open(&format!("/adherents/{member}")).await;
    b.fill("f-new_patient_communes", "Cabriès, Aix-en-Provence")
        .await;
    b.fill("f-new_patient_min_age", "16").await;
    b.press("Enregistrer").await;
    let saved = "SELECT COUNT(*) FROM members WHERE new_patient_communes = '13019,13001' \
                 AND new_patient_min_age = 16";
    assert_eq!(t.count(saved).await, 1);
    b.inspect("59-reglages-nouveaux-patients").await;
    b.press("Se déconnecter").await;

    // Proposed, the GP answers from the link of the e-mail, without logging in.
    b.log_in("coordination@aix.fr", PASSWORD).await;
    b.open(&request).await;
    b.press_labelled("Proposer au Dr Gilles RESTANQUE").await;
    b.press("Se déconnecter").await;
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = 'restanque@aix.fr'")
            .fetch_one(&mut *t.app.db.conn().await.unwrap())
            .await
            .unwrap();
    let start_of_link = body.find("/medecin-traitant/reponse?jeton=").unwrap();
    let link = body[start_of_link..].split_whitespace().next().unwrap();
    b.open(link).await;
    assert!(
        b.main_text()
            .await
            .contains("un patient de 74 ans, habitant Cabriès")
    );
    b.inspect("60-reponse-par-lien").await;
    b.press("J’accepte ce patient").await;
    assert!(b.main_text().await.contains("vous acceptez ce patient"));
    b.inspect("61-reponse-enregistree").await;

    // The GP plans to retire; the coordinator registers their practice from its file.
    let path = format!("/adherents/{member}");
    let settings = [
        ("accepts_new_patients", "on"),
        ("departure_date", "31/12/2027"),
    ];
    t.post_form(&coord, &path, &format!("{path}/reglages"), &settings)
        .await;
    let departure = format!("/medecin-traitant/departs/{member}");
    let file = "nom;prénom;date de naissance;sexe;commune;téléphone;ald\n\
                ROUX;Anne;28/02/1950;F;13001;0622222222;oui\n\
                BLANC;Léa;02/03/1985;F;Cabriès;0633333333;non\n";
    let csrf = csrf_of(&t.page(&coord, &departure).await);
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("patients.csv"),
    );
    let imported = coord
        .post(t.url(&format!("{departure}/patients")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), 303);
    b.log_in("coordination@aix.fr", PASSWORD).await;
    b.follow("Médecin traitant").await;
    b.follow("Départs de médecins").await;
    assert!(b.text_of("tbody").await.contains("31/12/2027"));
    b.inspect("62-departs-de-medecins").await;
    b.follow("Dr Gilles RESTANQUE").await;
    assert!(b.main_text().await.contains("ROUX Anne"));
    b.inspect("63-patientele-inscrite").await;
}
