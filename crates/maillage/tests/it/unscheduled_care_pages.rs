//! The unscheduled-care pages over HTTP, on both databases: a wrong request form names its
//! fields; a slot booked from the desk cannot be booked again (409, with the reason); a
//! member reaches neither the desk's requests nor a colleague's availability; a coordinator
//! keeps a member's availability, learns which bookings an absence covers, and sets up a
//! protocol after a form with errors. The desk's list itself:
//! `unscheduled_care_desk_list.rs`.

use crate::support::fixtures::directory::{ARBOUSIER, professional_id};
use crate::support::fixtures::unscheduled_care::{
    DESK, UnscheduledCare, first_free_slot, publish, request_fields, weekdays_afternoon,
};
use crate::support::{TestApp, both, location};
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_services::directory::members;
use maillage_services::unscheduled_care::{availability, booking, requests};
use reqwest::StatusCode;

const NEW_REQUEST: &str = "/soins-non-programmes/demandes/nouvelle";

fn call(name: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("caller", "pharmacist"),
        ("reason", "fever"),
        ("urgency", "24h"),
        ("commune", "Aix-en-Provence"),
        ("mobility", "mobile"),
        ("own_gp", "no_gp"),
        ("last_name", name),
        ("first_name", "Camille"),
        ("birth_date", "03/04/1985"),
        ("sex", "F"),
        ("phone", "0612345678"),
    ]
}

both!(the_desk_books_a_slot_once_and_names_wrong_fields);
async fn the_desk_books_a_slot_once_and_names_wrong_fields(t: TestApp) {
    let UnscheduledCare { gp, member_id, .. } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let regul = t.logged_in("regul@a.fr").await;
    assert!(
        t.page(&regul, NEW_REQUEST)
            .await
            .contains("value=\"regulation\" checked"),
        "a regulator's calls come from the regulation"
    );

    let wrong = t
        .post_form(
            &regul,
            NEW_REQUEST,
            "/soins-non-programmes/demandes",
            &[("commune", "Atlantide"), ("birth_date", "31/02/1985")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text().await.unwrap();
    for message in [
        "Indiquez qui appelle.",
        "Choisissez le motif dans la liste.",
        "Indiquez si le patient peut se déplacer.",
        "Indiquez si le médecin traitant a été sollicité.",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(
        page.contains(
            "<legend>Le patient peut-il se déplacer ? \
             <span class=\"error\">Indiquez si le patient peut se déplacer.</span></legend>"
        ),
        "a radio group's error is read with its question"
    );
    assert!(page.contains("id=\"f-commune-error\""));
    assert!(
        page.contains("aria-describedby=\"f-commune-error f-commune-hint\""),
        "the field in error keeps its hint"
    );
    assert!(
        page.contains("<option value=\"Aix-en-Provence\">"),
        "the CPTS's communes are suggested"
    );
    assert!(page.contains("id=\"f-birth_date-error\""));
    assert_eq!(t.count("SELECT COUNT(*) FROM snp_requests").await, 0);

    // The second call names the commune by its beginning: the CPTS's own is understood.
    let mut requests = Vec::new();
    for (name, commune) in [("DURAND", "Aix-en-Provence"), ("MARTIN", "aix")] {
        let mut fields = call(name);
        fields.retain(|(field, _)| *field != "commune");
        fields.push(("commune", commune));
        let recorded = t
            .post_form(
                &regul,
                NEW_REQUEST,
                "/soins-non-programmes/demandes",
                &fields,
            )
            .await;
        assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
        requests.push(location(&recorded));
    }
    assert!(
        t.page(&regul, &requests[1])
            .await
            .contains("Rayon autour d’Aix-en-Provence")
    );
    let slot = first_free_slot(&t, member_id).await.to_string();
    let page = t.page(&regul, &requests[0]).await;
    assert!(page.contains(&format!("name=\"slot_id\" value=\"{slot}\"")));
    assert!(page.contains("Rayon autour d’Aix-en-Provence"), "{page}");
    assert!(page.contains("Dr Gilles RESTANQUE"), "{page}");
    assert!(
        page.contains("<dt>Appel</dt><dd>Un pharmacien</dd>"),
        "who called is kept"
    );

    let booked = t
        .post_form(
            &regul,
            &requests[0],
            &format!("{}/reservation", requests[0]),
            &[("slot_id", &slot)],
        )
        .await;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let again = t
        .post_form(
            &regul,
            &requests[1],
            &format!("{}/reservation", requests[1]),
            &[("slot_id", &slot)],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let page = again.text().await.unwrap();
    assert!(page.contains("Ce créneau vient d’être réservé"));
    assert!(
        !page.contains(&format!("name=\"slot_id\" value=\"{slot}\"")),
        "the slot taken is no longer offered"
    );
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM snp_bookings WHERE slot_id = {slot} AND status = 'booked'"
        ))
        .await,
        1
    );
    let desk = t.page(&regul, DESK).await;
    assert!(desk.contains("DURAND Camille") && desk.contains("Rendez-vous pris"));
    assert!(!desk.contains("délai dépassé"));

    // The GP's account reaches its agenda, not the desk's requests.
    let gp_client = t.logged_in("restanque@a.fr").await;
    let agenda = t.page(&gp_client, DESK).await;
    assert!(agenda.contains("DURAND Camille (F, 41 ans)"), "{agenda}");
    assert!(!agenda.contains("MARTIN"));
    let peek = gp_client.get(t.url(&requests[1])).send().await.unwrap();
    assert_eq!(peek.status(), StatusCode::FORBIDDEN);
    assert!(t.audited("snp_request.read").await >= 2);

    // A day and a half later, MARTIN's request (within 24 h, still to orient) is late.
    t.clock.advance(36 * 3_600);
    let regul = t.logged_in("regul@a.fr").await;
    let desk = t.page(&regul, DESK).await;
    let martin = desk.split("MARTIN Camille").nth(1).unwrap();
    let row = &martin[..martin.find("</tr>").unwrap()];
    assert!(row.contains("délai dépassé"), "{row}");
    let durand = desk.split("DURAND Camille").nth(1).unwrap();
    assert!(!durand[..durand.find("</tr>").unwrap()].contains("délai dépassé"));
    let request = t.page(&regul, &requests[1]).await;
    assert!(
        request.contains("Le délai de cette demande est dépassé"),
        "{request}"
    );
}

both!(a_coordinator_keeps_availability_and_protocols);
async fn a_coordinator_keeps_availability_and_protocols(t: TestApp) {
    let UnscheduledCare { gp, member_id, .. } = t.given().unscheduled_care().await;
    let coord = t.logged_in("coord@a.fr").await;
    let page = format!("/soins-non-programmes/adherents/{member_id}/disponibilites");
    let site = availability::availability(&t.app, &gp, member_id)
        .await
        .unwrap()
        .sites[0]
        .position
        .to_string();
    let rule = [
        ("site", site.as_str()),
        ("weekday", "1"),
        ("weekday", "5"),
        ("start", "18:00"),
        ("end", "19h"),
        ("slot_minutes", "20"),
        ("mode", "in_person"),
        ("visibility", "CPTS"),
    ];
    let added = t
        .post_form(&coord, &page, &format!("{page}/regles"), &rule)
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let shown = t.page(&coord, &page).await;
    assert!(shown.contains("lundi, vendredi"), "the rule's days");
    assert!(shown.contains("ven. 15/01 18:00") && shown.contains("ven. 15/01 18:40"));

    let wrong = t
        .post_form(
            &coord,
            &page,
            &format!("{page}/creneaux"),
            &[("site", &site), ("day", "hier"), ("start", "25:00")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let shown = wrong.text().await.unwrap();
    assert!(shown.contains("id=\"o-day-error\"") && shown.contains("id=\"o-start-error\""));
    assert!(
        !shown.contains("id=\"r-start-error\""),
        "errors show on the form that was sent"
    );

    // An absence over a booked evening lists it, to be moved.
    let fields = SnpRequestFields {
        caller: "patient".into(),
        reason: "fever".into(),
        urgency: "48h".into(),
        commune: "13001".into(),
        mobility: "mobile".into(),
        own_gp: "tried".into(),
        last_name: "Durand".into(),
        first_name: "Léa".into(),
        birth_date: "03/04/1985".into(),
        sex: "F".into(),
        phone: "0612345678".into(),
        ..Default::default()
    };
    let coord_actor = t.actor("coord@a.fr").await;
    let request = requests::record(&t.app, &coord_actor, &fields)
        .await
        .unwrap();
    let slot = first_free_slot(&t, member_id).await;
    booking::book(&t.app, &coord_actor, request, slot, false)
        .await
        .unwrap();
    let absent = t
        .post_form(
            &coord,
            &page,
            &format!("{page}/absences"),
            &[("first_day", "15/01/2027"), ("last_day", "17/01/2027")],
        )
        .await;
    assert_eq!(absent.status(), StatusCode::OK);
    let shown = absent.text().await.unwrap();
    assert!(shown.contains("restent à déplacer") && shown.contains("ven. 15/01 18:00"));

    // A member may not keep a colleague's availability, nor set up protocols.
    let gp_client = t.logged_in("restanque@a.fr").await;
    assert_eq!(
        gp_client.get(t.url(&page)).send().await.unwrap().status(),
        StatusCode::OK,
        "their own"
    );
    let other = professional_id(&t, ARBOUSIER).await;
    let colleague = members::add(&t.app, &coord_actor, other).await.unwrap();
    let theirs = format!("/soins-non-programmes/adherents/{colleague}/disponibilites");
    assert_eq!(
        gp_client.get(t.url(&theirs)).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let protocols = "/soins-non-programmes/protocoles";
    assert_eq!(
        gp_client
            .get(t.url(protocols))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    let wrong = t
        .post_form(
            &coord,
            protocols,
            protocols,
            &[
                ("reason", "ankle_sprain"),
                ("profession", "10"),
                ("age_min", "130"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let shown = wrong.text().await.unwrap();
    assert!(shown.contains("Nommez le protocole") && shown.contains("Un âge de 0 à 120 ans."));
    let member = member_id.to_string();
    let added = t
        .post_form(
            &coord,
            protocols,
            protocols,
            &[
                ("name", "Fièvre de l’adulte — médecin"),
                ("reason", "fever"),
                ("profession", "10"),
                ("age_min", "18"),
                ("age_max", "75"),
                ("conditions", "Sans signe de gravité."),
                ("members", &member),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let shown = t.page(&coord, protocols).await;
    assert!(shown.contains("Fièvre de l’adulte — médecin"));
    assert!(shown.contains("de 18 à 75 ans"));

    // The desk reads the protocol's criteria where it books.
    let id = requests::record(&t.app, &coord_actor, &request_fields("DURAND"))
        .await
        .unwrap();
    let page = t
        .page(&coord, &format!("/soins-non-programmes/demandes/{id}"))
        .await;
    assert!(
        page.contains(
            "<strong>Fièvre de l’adulte — médecin</strong> (Médecin) : Sans signe de gravité."
        ),
        "{page}"
    );
}
