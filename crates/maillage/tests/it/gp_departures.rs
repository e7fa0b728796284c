//! GPs who plan to leave: their patients registered on the waiting list ahead of the
//! departure, one from a call or the whole practice from a file checked line by line and
//! written all or nothing; only their CPTS's coordinators see them.

use crate::support::fixtures::directory::{RESTANQUE, import_sample, member_id};
use crate::support::fixtures::gp_waitlist::restanque_as_member;
use crate::support::{PASSWORD, TestApp, both, csrf_of, location};
use reqwest::multipart::{Form, Part};

/// CPTS "a" whose member Dr Restanque plans to retire on 30/06/2027; returns the
/// coordinator's client and the member's id.
async fn setup(t: &TestApp) -> (reqwest::Client, String) {
    t.load_territory().await;
    import_sample(t).await;
    t.aix_cpts("a", "a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("restanque@a.fr", "member", "a").await;
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    restanque_as_member(t, &coord, "restanque@a.fr", 2).await;
    let member = member_id(t, "a", RESTANQUE).await;
    let path = format!("/adherents/{member}");
    let settings = [
        ("accepts_new_patients", "on"),
        ("departure_date", "30/06/2027"),
    ];
    let saved = t
        .post_form(&coord, &path, &format!("{path}/reglages"), &settings)
        .await;
    assert_eq!(saved.status(), 303);
    (coord, member.to_string())
}

async fn import(
    t: &TestApp,
    coord: &reqwest::Client,
    member: &str,
    file: &str,
) -> reqwest::Response {
    let page = format!("/medecin-traitant/departs/{member}");
    let csrf = csrf_of(&t.page(coord, "/compte").await);
    let form = Form::new().text("csrf", csrf).part(
        "file",
        Part::bytes(file.as_bytes().to_vec()).file_name("patients.csv"),
    );
    coord
        .post(t.url(&format!("{page}/patients")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn a_departing_gps_patients_are_registered_ahead_from_their_file(t: TestApp) {
    let (coord, member) = setup(&t).await;
    let list = t.page(&coord, "/medecin-traitant/departs").await;
    assert!(list.contains("Dr Gilles RESTANQUE"));
    assert!(list.contains("30/06/2027"));

    // A patient already on the list, recorded from a call.
    let call = [
        ("last_name", "Martin"),
        ("first_name", "Élise"),
        ("birth_date", "24/03/1958"),
        ("sex", "F"),
        ("commune", "Cabriès"),
        ("phone", "0612345678"),
    ];
    let new = "/medecin-traitant/demandes/nouvelle";
    t.post_form(&coord, new, "/medecin-traitant/demandes", &call)
        .await;

    // Two wrong lines: each is named, and nothing is written.
    let wrong = "Nom;Prénom;Date de naissance;Sexe;Commune;Téléphone;ALD\n\
                 DURAND;Paul;01/02/1990;H;13001;0611111111;non\n\
                 ROUX;Anne;31/02/1950;F;13001;0622222222;oui\n\
                 BLANC;Léa;02/03/1945;F;Atlantide;0633333333;non\n";
    let refused = import(&t, &coord, &member, wrong).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(
        text.contains("Ligne 3 : date de naissance — Indiquez la date de naissance"),
        "{text}"
    );
    assert!(text.contains("Ligne 4 : commune — Commune inconnue : « Atlantide »"));
    assert_eq!(t.count("SELECT COUNT(*) FROM gp_requests").await, 1);

    // The whole file, Élise Martin among them.
    let file = "Nom;Prénom;Date de naissance;Sexe;Commune;Téléphone;ALD\n\
                DURAND;Paul;01/02/1990;H;13001;0611111111;non\n\
                ROUX;Anne;28/02/1950;F;13001;0622222222;oui\n\
                MARTIN;Elise;24/03/1958;F;Cabriès;0612345678;non\n";
    let imported = import(&t, &coord, &member, file).await;
    assert_eq!(imported.status(), 303);
    let page = t.page(&coord, &location(&imported)).await;
    assert!(page.contains("3 patients inscrits sur la liste d’attente, dont 1 doublons probables"));
    assert!(page.contains("ROUX Anne"));
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM gp_requests WHERE departing_member_id = {member} AND gp_left = 1"
        ))
        .await,
        3
    );
    assert_eq!(t.audited("gp_request.create").await, 4);
    assert!(t.audited("gp_request.list_departing").await >= 1);
    let queue = t.page(&coord, "/medecin-traitant").await;
    assert!(queue.contains("ROUX Anne"), "on the list at once");

    // One more from a call, with the departing GP chosen; a GP who is not leaving is refused.
    let mut call = vec![
        ("last_name", "Garcia"),
        ("first_name", "Hugo"),
        ("birth_date", "05/05/2001"),
        ("sex", "M"),
        ("commune", "Aix-en-Provence"),
        ("email", "hugo@exemple.fr"),
        ("departing", member.as_str()),
    ];
    let recorded = t
        .post_form(&coord, new, "/medecin-traitant/demandes", &call)
        .await;
    assert_eq!(recorded.status(), 303);
    let request = t.page(&coord, &location(&recorded)).await;
    assert!(request.contains("Médecin qui part"));
    assert!(request.contains("patient inscrit avant son départ"));
    call.pop();
    call.push(("departing", "999"));
    let refused = t
        .post_form(&coord, new, "/medecin-traitant/demandes", &call)
        .await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("Choisissez un médecin adhérent de la CPTS dont le départ est prévu."));
    let list = t.page(&coord, "/medecin-traitant/departs").await;
    let row = list.split("Dr Gilles RESTANQUE").nth(1).unwrap();
    assert!(
        row.contains("<td class=\"num\">4</td><td class=\"num\">4</td><td class=\"num\">0</td>"),
        "{row}"
    );

    // Another CPTS's coordinator sees none of it.
    t.aix_cpts("b", "b").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    let other = t.client();
    t.login(&other, "coord@b.fr", PASSWORD).await;
    let page = format!("/medecin-traitant/departs/{member}");
    let response = other.get(t.url(&page)).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = import(&t, &other, &member, file).await;
    assert_eq!(response.status(), 404);
    assert!(
        !t.page(&other, "/medecin-traitant/departs")
            .await
            .contains("RESTANQUE")
    );
}
both!(a_departing_gps_patients_are_registered_ahead_from_their_file);
