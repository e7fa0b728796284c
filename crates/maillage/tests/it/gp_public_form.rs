//! The patients' public form of a CPTS: consent, an answer that never tells whether someone
//! is registered, and robots kept out without any outside service.

use crate::gp_waitlist::setup;
use crate::support::{TestApp, both, text_between};

/// Sends the public form of CPTS "a" with `extra` fields, the form shown `age` seconds ago.
async fn send_public(
    t: &TestApp,
    client: &reqwest::Client,
    age: i64,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let page = t.page(client, "/demande-medecin-traitant/a").await;
    let csrf = crate::support::csrf_of(&page);
    let shown_at = (t.app.now() - age).to_string();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("shown_at", shown_at.as_str()),
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
    let coord = setup(&t).await;
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

    let over_budget = send_public(&t, &patient, 30, &[("consent", "on")]).await;
    assert_eq!(
        over_budget.status(),
        429,
        "five forms a minute from one address"
    );
}
both!(a_patient_asks_through_the_public_form_which_keeps_robots_out);
