//! The patients' public form of a CPTS: consent, an answer that never tells whether someone
//! is registered, and robots kept out without any outside service.

use crate::support::{TestApp, both, text_between};

/// The CSRF token and the signed stamp of the public form of CPTS `slug`, shown now.
async fn show(t: &TestApp, client: &reqwest::Client, slug: &str) -> (String, String) {
    let page = t
        .page(client, &format!("/demande-medecin-traitant/{slug}"))
        .await;
    let stamp = text_between(&page, "name=\"stamp\" value=\"", "\"").unwrap();
    (crate::support::csrf_of(&page), stamp.to_owned())
}

/// Sends the public form of CPTS "a" with `extra` fields, `filling` seconds after it was
/// shown.
async fn send_public(
    t: &TestApp,
    client: &reqwest::Client,
    filling: i64,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let (csrf, stamp) = show(t, client, "a").await;
    t.clock.advance(filling);
    post_public(t, client, &csrf, &stamp, extra).await
}

async fn post_public(
    t: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    stamp: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = vec![
        ("csrf", csrf),
        ("stamp", stamp),
        ("last_name", "Durand"),
        ("first_name", "Léa"),
        ("birth_date", "24/03/1958"),
        ("sex", "F"),
        ("commune", "Cabriès"),
        ("email", "lea.durand@exemple.fr"),
    ];
    fields.extend_from_slice(extra);
    client
        .post(t.url("/demande-medecin-traitant/a"))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn a_patient_asks_through_the_public_form_which_keeps_robots_out(t: TestApp) {
    let coord = t.given().gp_waitlist().await;
    let patient = t.client();
    let form = t.page(&patient, "/demande-medecin-traitant/a").await;
    assert!(form.contains("Je cherche un médecin traitant") && form.contains("J’accepte que"));
    let unknown = patient
        .get(t.url("/demande-medecin-traitant/inconnue"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let thanks = "Votre demande a été transmise à la coordination de la CPTS";

    let too_fast = send_public(&t, &patient, 0, &[("consent", "on")]).await;
    assert!(
        too_fast.text().await.unwrap().contains(thanks),
        "a robot sees the same answer"
    );
    let honeypot = send_public(
        &t,
        &patient,
        30,
        &[("consent", "on"), ("site_web", "http://spam")],
    )
    .await;
    assert!(honeypot.text().await.unwrap().contains(thanks));
    // A robot that makes up an older stamp, or brings another form's, is caught as well.
    let (csrf, stamp) = show(&t, &patient, "a").await;
    let (_, other_form) = show(&t, &patient, "b").await;
    t.clock.advance(30);
    let (_, signature) = stamp.split_once('.').unwrap();
    let made_up = format!("{}.{signature}", t.app.now() - 60);
    for forged in [made_up.as_str(), other_form.as_str(), "1.00"] {
        let sent = post_public(&t, &patient, &csrf, forged, &[("consent", "on")]).await;
        assert!(sent.text().await.unwrap().contains(thanks));
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM gp_requests").await,
        0,
        "robots record nothing"
    );

    let no_consent = send_public(&t, &patient, 30, &[]).await;
    assert_eq!(no_consent.status(), 422);
    assert!(no_consent.text().await.unwrap().contains("Cochez la case"));
    assert_eq!(t.count("SELECT COUNT(*) FROM gp_requests").await, 0);

    let sent = send_public(&t, &patient, 30, &[("consent", "on"), ("ald", "on")]).await;
    assert_eq!(sent.status(), 200);
    let first_answer = sent.text().await.unwrap();
    assert!(first_answer.contains(thanks));
    let again = send_public(&t, &patient, 30, &[("consent", "on")]).await;
    let second_answer = again.text().await.unwrap();
    let answer_of = |page: &str| text_between(page, "<main", "</main>").unwrap();
    assert_eq!(
        answer_of(&first_answer),
        answer_of(&second_answer),
        "the answer never tells that someone is already registered"
    );
    assert!(!second_answer.contains("Durand") && !second_answer.contains("DURAND"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM gp_requests WHERE channel = 'form'")
            .await,
        2
    );
    let list = t.page(&coord, "/medecin-traitant").await;
    assert_eq!(
        list.matches("doublon probable").count(),
        2,
        "the coordinator sees it"
    );
    assert!(list.contains("Prioritaire : ALD"));

    // One page load posted again and again makes one request, answered alike each time;
    // five forms a minute from one address, then a refusal.
    t.clock.advance(61);
    let (csrf, stamp) = show(&t, &patient, "a").await;
    t.clock.advance(30);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let sent = post_public(&t, &patient, &csrf, &stamp, &[("consent", "on")]).await;
        statuses.push(sent.status().as_u16());
        if sent.status() == 200 {
            assert!(sent.text().await.unwrap().contains(thanks));
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM gp_requests WHERE channel = 'form'")
            .await,
        3,
        "the stamp served once"
    );

    // A stamp serves a day: a form sent two days after it was shown records nothing.
    let (csrf, stamp) = show(&t, &patient, "a").await;
    t.clock.advance(2 * 86_400);
    let late = post_public(&t, &patient, &csrf, &stamp, &[("consent", "on")]).await;
    assert!(late.text().await.unwrap().contains(thanks));
    assert_eq!(t.count("SELECT COUNT(*) FROM gp_requests").await, 3);
}
both!(a_patient_asks_through_the_public_form_which_keeps_robots_out);
