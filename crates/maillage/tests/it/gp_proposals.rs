//! Proposals of waiting patients to member GPs: the GPs who still have room, nearest first;
//! a GP never asked for more than the monthly number they gave, even when two coordinators
//! propose at the same moment; only the patients of the communes and ages a GP chose, and
//! none when they leave within a year; the GP's answer on their page, and the e-mail
//! telling them.

use crate::support::fixtures::gp_waitlist::{
    GpProposals, first_answer_path, propose, restanque_limits, restanque_member,
};
use crate::support::{PASSWORD, TestApp, both, csrf_of};

async fn a_gp_is_never_asked_for_more_than_they_offered(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        second_coordinator: coord2,
        gp,
        requests,
    } = t.given().gp_proposals().await;
    let page = t.page(&coord, &requests[0]).await;
    assert!(page.contains("Dr Gilles RESTANQUE"), "suggested");
    assert!(page.contains("km"));
    let member = restanque_member(&t).await;

    // Two coordinators propose two patients to the GP, who takes one a month, at once.
    let csrf1 = csrf_of(&t.page(&coord, "/compte").await);
    let csrf2 = csrf_of(&t.page(&coord2, "/compte").await);
    let (first, second) = tokio::join!(
        propose(&t, &coord, &csrf1, &requests[0], &member),
        propose(&t, &coord2, &csrf2, &requests[1], &member),
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 422], "exactly one proposal goes through");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM gp_proposals WHERE status = 'pending'")
            .await,
        1
    );
    let refused = propose(&t, &coord, &csrf1, &requests[2], &member).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("n’a plus de place ce mois-ci")
    );
    let no_room = t.page(&coord, &requests[2]).await;
    assert!(no_room.contains("Aucun médecin adhérent ne peut prendre ce patient"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'restanque@a.fr'")
            .await,
        1,
        "the GP is told by e-mail"
    );

    // The GP declines: the place is free again; then accepts the next one.
    let answer = first_answer_path(&t, &gp).await;
    let declined = t
        .post_form(&gp, "/medecin-traitant", &answer, &[("answer", "non")])
        .await;
    assert_eq!(declined.status(), 303);
    let again = t
        .post_form(&gp, "/medecin-traitant", &answer, &[("answer", "oui")])
        .await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("déjà répondu"));
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    assert_eq!(
        propose(&t, &coord, &csrf, &requests[2], &member)
            .await
            .status(),
        303
    );
    assert!(
        t.page(&gp, "/medecin-traitant")
            .await
            .contains("TROISIEME Camille")
    );
    let answer = first_answer_path(&t, &gp).await;
    let accepted = t
        .post_form(&gp, "/medecin-traitant", &answer, &[("answer", "oui")])
        .await;
    assert_eq!(accepted.status(), 303);
    assert!(
        t.page(&coord, &requests[2])
            .await
            .contains("accepté par le médecin")
    );
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    assert_eq!(
        propose(&t, &coord, &csrf, &requests[0], &member)
            .await
            .status(),
        422
    );
    let other_gp_answer = t
        .post_form(&coord, "/compte", &answer, &[("answer", "oui")])
        .await;
    assert_eq!(other_gp_answer.status(), 404, "only the GP asked answers");

    // The patient is told by an e-mail that carries no health data.
    let (subject, body): (String, String) =
        sqlx::query_as("SELECT subject, body FROM outbox WHERE recipient = 'patient@exemple.fr'")
            .fetch_one(&mut *t.app.db.conn().await.unwrap())
            .await
            .unwrap();
    assert_eq!(subject, "Votre demande de médecin traitant");
    assert!(
        !body.contains("RESTANQUE") && !body.contains("TROISIEME"),
        "{body}"
    );

    // Three days later, the coordinator confirms the outcome: the request is fulfilled and
    // leaves the list.
    t.clock.advance(3 * 86_400);
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let declared = format!("{}/medecin-declare", requests[2]);
    let found = t.post_form(&coord, &requests[2], &declared, &[]).await;
    assert_eq!(found.status(), 303);
    assert!(
        t.page(&coord, &requests[2])
            .await
            .contains("médecin traitant déclaré")
    );
    assert!(
        !t.page(&coord, "/medecin-traitant")
            .await
            .contains("TROISIEME")
    );
    let not_accepted = format!("{}/medecin-declare", requests[1]);
    let too_soon = t.post_form(&coord, &requests[1], &not_accepted, &[]).await;
    assert_eq!(too_soon.status(), 422, "no GP accepted this one");

    // The indicators of January: three requests, one GP found after 3 days.
    let january = "/medecin-traitant/indicateurs?du=2027-01-01&au=2027-01-31";
    let page = t.page(&coord, january).await;
    let total = page.split("Ensemble de la CPTS").nth(1).unwrap();
    let figures = "<td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">3,0</td>";
    assert!(total.contains(figures), "{total}");
    let csv_path = january.replace("indicateurs?", "indicateurs.csv?");
    let csv = coord
        .get(t.url(&csv_path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("01/01/2027;31/01/2027;Total;Total;3;1;3,0"),
        "{csv}"
    );
    assert!(csv.contains("Groupe de priorité;Autres;3;1;3,0"));
    assert!(csv.contains("Commune;Cabriès;3;1;3,0"));
    let february = "/medecin-traitant/indicateurs?du=2027-02-01&au=2027-02-28";
    let page = t.page(&coord, february).await;
    let nothing = "<td class=\"num\">0</td><td class=\"num\">0</td>";
    assert!(
        page.split("Ensemble de la CPTS")
            .nth(1)
            .unwrap()
            .contains(nothing)
    );
    let reversed = "/medecin-traitant/indicateurs?du=2027-02-01&au=2027-01-01";
    let reversed = coord.get(t.url(reversed)).send().await.unwrap();
    assert_eq!(reversed.status(), 422);
    let text = reversed.text().await.unwrap();
    assert!(text.contains("La fin de la période précède son début."));
}
both!(a_gp_is_never_asked_for_more_than_they_offered);

async fn closing_a_request_withdraws_its_proposal_and_frees_the_place(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        gp,
        requests,
        ..
    } = t.given().gp_proposals().await;
    let member = restanque_member(&t).await;
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    assert_eq!(
        propose(&t, &coord, &csrf, &requests[0], &member)
            .await
            .status(),
        303
    );
    let answer = first_answer_path(&t, &gp).await;
    let close = format!("{}/cloture", requests[0]);
    t.post_form(&coord, &requests[0], &close, &[("reason", "withdrawn")])
        .await;
    assert!(
        t.page(&gp, "/medecin-traitant")
            .await
            .contains("Aucune proposition en attente")
    );
    let late = t
        .post_form(&gp, "/medecin-traitant", &answer, &[("answer", "oui")])
        .await;
    assert_eq!(late.status(), 422);
    assert!(
        late.text()
            .await
            .unwrap()
            .contains("Cette proposition a été retirée")
    );
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    assert_eq!(
        propose(&t, &coord, &csrf, &requests[1], &member)
            .await
            .status(),
        303,
        "the GP's place is free again"
    );
}
both!(closing_a_request_withdraws_its_proposal_and_frees_the_place);

async fn a_gp_is_proposed_only_the_patients_they_chose(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        gp,
        requests,
        ..
    } = t.given().gp_proposals().await;
    let member = restanque_member(&t).await;
    let suggested = |page: String| page.contains("Proposer au Dr Gilles RESTANQUE");

    // Patients of Aix only: the patient of Cabriès is not theirs.
    let saved = restanque_limits(&t, &gp, &[("new_patient_communes", "Aix-en-Provence")]).await;
    assert_eq!(saved.status(), 303);
    let first = t.page(&coord, &requests[0]).await;
    assert!(!suggested(first.clone()));
    assert!(first.contains("<dt>Née le</dt>"), "{first}");
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    let refused = propose(&t, &coord, &csrf, &requests[0], &member).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("ne prend pas de nouveaux patients de cette commune"));

    // Unknown communes, crossed age bounds and impossible dates are named; nothing is kept.
    let bad = restanque_limits(
        &t,
        &gp,
        &[
            ("new_patient_communes", "Cabriès, Atlantide"),
            ("new_patient_min_age", "70"),
            ("new_patient_max_age", "16"),
            ("departure_date", "31/02/2027"),
        ],
    )
    .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(text.contains("Commune inconnue : « Atlantide »"), "{text}");
    assert!(text.contains("L’âge maximum doit être supérieur ou égal à l’âge minimum."));
    assert!(text.contains("Indiquez la date de départ prévue"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE new_patient_communes = '13001'")
            .await,
        1
    );

    // Cabriès too, but from 60 years: the patient, born in 1980, is too young.
    let saved = restanque_limits(
        &t,
        &gp,
        &[
            ("new_patient_communes", "Cabriès, Aix-en-Provence (13001)"),
            ("new_patient_min_age", "60"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let settings = t.page(&gp, &format!("/adherents/{member}")).await;
    assert!(
        settings.contains("Aix-en-Provence (13001), Cabriès (13019)"),
        "{settings}"
    );
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    let refused = propose(&t, &coord, &csrf, &requests[0], &member).await;
    let text = refused.text().await.unwrap();
    assert!(text.contains("ne prend pas de nouveaux patients de cet âge"));

    // From 16 to 70: the patient is theirs.
    let band = [
        ("new_patient_communes", "13019"),
        ("new_patient_min_age", "16"),
        ("new_patient_max_age", "70"),
    ];
    restanque_limits(&t, &gp, &band).await;
    assert!(suggested(t.page(&coord, &requests[0]).await));

    // Retiring within a year: no longer proposed; in two years, still.
    let mut leaving = band.to_vec();
    leaving.push(("departure_date", "30/06/2027"));
    restanque_limits(&t, &gp, &leaving).await;
    assert!(!suggested(t.page(&coord, &requests[0]).await));
    let refused = propose(&t, &coord, &csrf, &requests[0], &member).await;
    let text = refused.text().await.unwrap();
    assert!(text.contains("cesse son activité d’ici un an"));
    leaving.pop();
    leaving.push(("departure_date", "31/12/2029"));
    restanque_limits(&t, &gp, &leaving).await;
    assert_eq!(
        propose(&t, &coord, &csrf, &requests[0], &member)
            .await
            .status(),
        303
    );
}
both!(a_gp_is_proposed_only_the_patients_they_chose);
