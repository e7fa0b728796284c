//! How a GP's answer reaches the waiting list and the patient: from the single-use link of
//! the proposal's e-mail (seen by anyone who opens it as age and commune only), once even
//! when given twice at the same moment; the patient told by e-mail, and by SMS through the
//! configured provider.

use crate::support::fixtures::gp_waitlist::{
    GpProposals, answer_link, first_answer_path, propose, restanque_limits, restanque_member,
};
use crate::support::sms_provider::SmsProvider;
use crate::support::smtp::SmtpServer;
use crate::support::{PASSWORD, TestApp, both, csrf_of, sms_provider};
use maillage_services::platform::notify::worker::deliver_due;
use maillage_services::platform::notify::{Mailer, SmsGateway};

async fn a_gp_answers_from_the_link_of_the_email_once(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        gp,
        requests,
        ..
    } = t.given().gp_proposals().await;
    restanque_limits(&t, &gp, &[]).await;
    let member = restanque_member(&t).await;
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    propose(&t, &coord, &csrf, &requests[0], &member).await;
    let link = answer_link(&t).await;

    // Whoever opens the link sees the patient's age and commune, not who they are; opening
    // it answers nothing.
    let stranger = t.client();
    let page = t.page(&stranger, &link).await;
    assert!(
        page.contains("un patient de 47 ans, habitant Cabriès"),
        "{page}"
    );
    assert!(!page.contains("PREMIER"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM gp_proposals WHERE status = 'pending'")
            .await,
        1
    );
    let forged = stranger
        .get(t.url("/medecin-traitant/reponse?jeton=faux"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 404);
    let token = link.split("jeton=").nth(1).unwrap();
    let no_csrf = stranger
        .post(t.url("/medecin-traitant/reponse"))
        .form(&[("token", token), ("answer", "oui")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);

    let unclear = t
        .post_form(
            &stranger,
            &link,
            "/medecin-traitant/reponse",
            &[("token", token), ("answer", "peut-être")],
        )
        .await;
    assert_eq!(
        unclear.status(),
        404,
        "neither yes nor no: nothing recorded"
    );
    let accepted = t
        .post_form(
            &stranger,
            &link,
            "/medecin-traitant/reponse",
            &[("token", token), ("answer", "oui")],
        )
        .await;
    assert_eq!(accepted.status(), 200);
    assert!(
        accepted
            .text()
            .await
            .unwrap()
            .contains("vous acceptez ce patient")
    );
    assert!(
        t.page(&coord, &requests[0])
            .await
            .contains("accepté par le médecin")
    );
    let gp_user = t.user_id("restanque@a.fr").await;
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'gp_proposal.accept_by_link' \
             AND actor_user_id = {gp_user}"
        ))
        .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'patient@exemple.fr'")
            .await,
        1,
        "the patient is told"
    );
    let again = stranger.get(t.url(&link)).send().await.unwrap();
    assert_eq!(again.status(), 404, "the link serves once");

    // A link left two weeks expires.
    propose(&t, &coord, &csrf, &requests[1], &member).await;
    let link = answer_link(&t).await;
    assert_eq!(
        stranger.get(t.url(&link)).send().await.unwrap().status(),
        200
    );
    t.clock.advance(15 * 86_400);
    assert_eq!(
        stranger.get(t.url(&link)).send().await.unwrap().status(),
        404
    );
}
both!(a_gp_answers_from_the_link_of_the_email_once);

async fn the_patient_is_told_by_sms_through_the_configured_provider(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        requests,
        ..
    } = t.given().gp_proposals().await;
    let mut provider = SmsProvider::start(1).await;
    let gateway = SmsGateway::new(&provider.url(), sms_provider::TOKEN).unwrap();
    let with_sms = t.second_server_with_sms(gateway).await;
    let member = restanque_member(&t).await;
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    propose(&t, &coord, &csrf, &requests[0], &member).await;

    // The GP accepts on the server that has SMS: the patient gets an e-mail and an SMS.
    let gp = with_sms.client();
    with_sms.login(&gp, "restanque@a.fr", PASSWORD).await;
    let answer = first_answer_path(&with_sms, &gp).await;
    let accepted = with_sms
        .post_form(&gp, "/medecin-traitant", &answer, &[("answer", "oui")])
        .await;
    assert_eq!(accepted.status(), 303);
    let sms = "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '+33612345678'";
    assert_eq!(t.count(sms).await, 1);

    // The provider refuses the first attempt: the outbox tries again 30 s later.
    let mut smtp = SmtpServer::start(0).await;
    let mailer = Mailer::new(&smtp.url(), "maillage <ne-pas-repondre@cpts.test>").unwrap();
    let first = deliver_due(&with_sms.app, &mailer).await.unwrap();
    assert_eq!(first.failed, 1);
    assert_eq!(provider.next_event().await, "refused");
    smtp.accepted(2).await;
    t.clock.advance(31);
    let second = deliver_due(&with_sms.app, &mailer).await.unwrap();
    assert_eq!((second.sent, second.failed), (1, 0));
    let taken = provider.next_event().await;
    assert!(taken.starts_with("sms +33612345678 \"Un médecin de votre territoire accepte"));
    assert!(
        !taken.contains("PREMIER") && !taken.contains("RESTANQUE"),
        "{taken}"
    );

    // A server without a provider sends no SMS.
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    restanque_limits(&t, &gp_of(&t).await, &[]).await;
    propose(&t, &coord, &csrf, &requests[1], &member).await;
    let gp = gp_of(&t).await;
    let answer = first_answer_path(&t, &gp).await;
    t.post_form(&gp, "/medecin-traitant", &answer, &[("answer", "oui")])
        .await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE channel = 'sms'")
            .await,
        1
    );
}
both!(the_patient_is_told_by_sms_through_the_configured_provider);

/// Dr Restanque logged in on the first server.
async fn gp_of(t: &TestApp) -> reqwest::Client {
    let gp = t.client();
    t.login(&gp, "restanque@a.fr", PASSWORD).await;
    gp
}

async fn an_answer_given_twice_at_the_same_moment_counts_once(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        gp,
        requests,
        ..
    } = t.given().gp_proposals().await;
    let member = restanque_member(&t).await;
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    propose(&t, &coord, &csrf, &requests[0], &member).await;
    let link = answer_link(&t).await;
    let token = link.split("jeton=").nth(1).unwrap().to_owned();
    let answer = first_answer_path(&t, &gp).await;
    let gp_csrf = csrf_of(&t.page(&gp, "/medecin-traitant").await);
    let browser = t.client();
    let link_csrf = csrf_of(&t.page(&browser, &link).await);

    // The GP accepts on their page and from the e-mail's link at once.
    let (on_page, by_link) = tokio::join!(
        gp.post(t.url(&answer))
            .form(&[("csrf", gp_csrf.as_str()), ("answer", "oui")])
            .send(),
        browser
            .post(t.url("/medecin-traitant/reponse"))
            .form(&[
                ("csrf", link_csrf.as_str()),
                ("token", token.as_str()),
                ("answer", "oui")
            ])
            .send(),
    );
    let on_page = on_page.unwrap().status().as_u16();
    let by_link = by_link.unwrap().status().as_u16();
    assert!(
        (on_page == 303) != (by_link == 200),
        "exactly one answer counts: page {on_page}, link {by_link}"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM gp_request_events WHERE kind = 'accepted'")
            .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'patient@exemple.fr'")
            .await,
        1
    );
}
both!(an_answer_given_twice_at_the_same_moment_counts_once);
