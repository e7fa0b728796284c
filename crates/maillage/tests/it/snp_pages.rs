//! The unscheduled-care pages over HTTP, on both databases: a wrong request form names its
//! fields; a slot booked from the desk cannot be booked again (409, with the reason); a
//! member reaches neither the desk's requests nor a colleague's availability; a coordinator
//! keeps a member's availability, learns which bookings an absence covers, and sets up a
//! protocol after a form with errors; a booking cancelled comes back to the desk saying who
//! cancelled it and why.

use crate::snp::{publish, request_fields, setup, weekdays_afternoon};
use crate::support::{PASSWORD, TestApp, both, location, text_between};
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_services::members;
use maillage_services::unscheduled_care::{availability, booking, requests};
use reqwest::StatusCode;

/// A logged-in client of `email`.
async fn client_of(t: &TestApp, email: &str) -> reqwest::Client {
    let client = t.client();
    t.login(&client, email, PASSWORD).await;
    client
}

const DESK: &str = "/soins-non-programmes";
const NEW_REQUEST: &str = "/soins-non-programmes/demandes/nouvelle";

fn call(name: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
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

async fn first_free_slot(t: &TestApp, member_id: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT id FROM snp_slots WHERE member_id = $1 AND status = 'free' ORDER BY start_at LIMIT 1",
    )
    .bind(member_id)
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap()
}

both!(the_desk_books_a_slot_once_and_names_wrong_fields);
async fn the_desk_books_a_slot_once_and_names_wrong_fields(t: TestApp) {
    let (_, _, gp, member_id) = setup(&t).await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let regul = client_of(&t, "regul@a.fr").await;

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
    let gp_client = client_of(&t, "restanque@a.fr").await;
    let agenda = t.page(&gp_client, DESK).await;
    assert!(agenda.contains("DURAND Camille (F, 41 ans)"), "{agenda}");
    assert!(!agenda.contains("MARTIN"));
    let peek = gp_client.get(t.url(&requests[1])).send().await.unwrap();
    assert_eq!(peek.status(), StatusCode::FORBIDDEN);
    assert!(t.audited("snp_request.read").await >= 2);

    // A day and a half later, MARTIN's request (within 24 h, still to orient) is late.
    t.clock.advance(36 * 3_600);
    let regul = client_of(&t, "regul@a.fr").await;
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
    let (_, _, gp, member_id) = setup(&t).await;
    let coord = client_of(&t, "coord@a.fr").await;
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
    let gp_client = client_of(&t, "restanque@a.fr").await;
    assert_eq!(
        gp_client.get(t.url(&page)).send().await.unwrap().status(),
        StatusCode::OK,
        "their own"
    );
    let other: i64 =
        sqlx::query_scalar("SELECT id FROM professionals WHERE national_id = '810000000017'")
            .fetch_one(&mut *t.app.db.conn().await.unwrap())
            .await
            .unwrap();
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

/// The desk's row of the patient `name`.
fn row_of(desk: &str, name: &str) -> String {
    let after = desk.split(name).nth(1).expect("the patient is listed");
    after[..after.find("</tr>").unwrap()].to_owned()
}

both!(a_cancelled_booking_comes_back_to_the_desk_saying_who_and_why);
async fn a_cancelled_booking_comes_back_to_the_desk_saying_who_and_why(t: TestApp) {
    let (coord, _, gp, member_id) = setup(&t).await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let id = requests::record(&t.app, &coord, &request_fields("DURAND"))
        .await
        .unwrap();
    let slot = first_free_slot(&t, member_id).await;
    let booked = booking::book(&t.app, &coord, id, slot, false)
        .await
        .unwrap();
    let desk = client_of(&t, "coord@a.fr").await;
    let row = row_of(&t.page(&desk, DESK).await, "DURAND");
    assert!(
        row.contains("Rendez-vous pris · ven. 15/01 14:00, Dr Gilles RESTANQUE"),
        "{row}"
    );

    // From the desk, a cancellation without its reason is refused and changes nothing.
    let request_page = format!("/soins-non-programmes/demandes/{id}");
    let cancel = format!(
        "/soins-non-programmes/rendez-vous/{}/annulation",
        booked.booking_id
    );
    let refused = t
        .post_form(
            &desk,
            &request_page,
            &cancel,
            &[("request_id", &id.to_string())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Choisissez pourquoi le rendez-vous est annulé."));
    let to_tell = text_between(&page, "<p id=\"a-dire-texte\">", "</p>").expect("the box");
    assert!(
        to_tell.starts_with("Au cabinet, ven. 15/01 14:00, avec Dr Gilles RESTANQUE : "),
        "what the regulator reads to the patient: {to_tell}"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_bookings WHERE status = 'booked'")
            .await,
        1
    );

    // The GP cannot see the patient after all and cancels from their agenda.
    let gp_client = client_of(&t, "restanque@a.fr").await;
    assert!(
        t.page(&gp_client, DESK)
            .await
            .contains("Empêchement du professionnel")
    );
    let own_cancel = format!(
        "/soins-non-programmes/mes-rendez-vous/{}/annulation",
        booked.booking_id
    );
    let without_reason = t
        .post_form(&gp_client, DESK, &own_cancel, &[("cancel_reason", "")])
        .await;
    assert_eq!(without_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let cancelled = t
        .post_form(
            &gp_client,
            DESK,
            &own_cancel,
            &[("cancel_reason", "professional")],
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let row = row_of(&t.page(&desk, DESK).await, "DURAND");
    assert!(row.contains("À orienter"), "{row}");
    assert!(
        row.contains(
            "rendez-vous annulé : Empêchement du professionnel (Personne Test, ven. 15/01 09:00)"
        ),
        "{row}"
    );
    let page = t.page(&desk, &request_page).await;
    assert!(
        page.contains("Annulé : Empêchement du professionnel (Personne Test, ven. 15/01 09:00)"),
        "{page}"
    );
    assert!(
        !page.contains("À dire au patient"),
        "nothing holds any more"
    );
    assert!(
        page.contains(&format!("name=\"slot_id\" value=\"{slot}\"")),
        "the slot is offered again"
    );
    assert_eq!(t.audited("snp_booking.cancel").await, 1);

    // Booked again, then cancelled as the patient was cared for elsewhere: the request is
    // closed, and says why and when.
    let again = booking::book(&t.app, &coord, id, slot, false)
        .await
        .unwrap();
    let cancel = format!(
        "/soins-non-programmes/rendez-vous/{}/annulation",
        again.booking_id
    );
    let elsewhere = t
        .post_form(
            &desk,
            &request_page,
            &cancel,
            &[
                ("request_id", &id.to_string()),
                ("cancel_reason", "elsewhere"),
            ],
        )
        .await;
    assert_eq!(elsewhere.status(), StatusCode::SEE_OTHER);
    let closed = "Clôturée : Pris en charge ailleurs (ven. 15/01 09:00)";
    let row = row_of(&t.page(&desk, DESK).await, "DURAND");
    assert!(row.contains(closed), "{row}");
    assert!(!row.contains("À orienter"), "{row}");
    assert!(t.page(&desk, &request_page).await.contains(closed));
}

both!(the_desk_keeps_what_is_still_to_orient_the_most_pressing_first);
async fn the_desk_keeps_what_is_still_to_orient_the_most_pressing_first(t: TestApp) {
    let (coord, _, gp, member_id) = setup(&t).await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let forgotten = requests::record(&t.app, &coord, &request_fields("OUBLIE"))
        .await
        .unwrap();
    let handled = requests::record(&t.app, &coord, &request_fields("TRAITE"))
        .await
        .unwrap();
    let slot = first_free_slot(&t, member_id).await;
    booking::book(&t.app, &coord, handled, slot, false)
        .await
        .unwrap();
    // Eight days later, a call to see today.
    t.clock.advance(8 * 86_400);
    let today = SnpRequestFields {
        urgency: "today".into(),
        ..request_fields("URGENT")
    };
    let urgent = requests::record(&t.app, &coord, &today).await.unwrap();
    let later = SnpRequestFields {
        urgency: "48h".into(),
        ..request_fields("PLUSTARD")
    };
    requests::record(&t.app, &coord, &later).await.unwrap();

    let desk = client_of(&t, "coord@a.fr").await;
    let page = t.page(&desk, DESK).await;
    assert!(page.contains("À orienter (3)"), "{page}");
    let at = |name: &str| page.find(name).unwrap_or_else(|| panic!("{name} listed"));
    assert!(
        at("OUBLIE") < at("URGENT") && at("URGENT") < at("PLUSTARD"),
        "the request left open a week ago first (its deadline passed), then by deadline"
    );
    assert!(row_of(&page, "OUBLIE").contains("délai dépassé"));
    assert!(
        !page.contains("TRAITE"),
        "a request booked more than seven days ago leaves the desk"
    );
    assert!(page.contains(&format!("/soins-non-programmes/demandes/{forgotten}")));
    assert!(page.contains(&format!("/soins-non-programmes/demandes/{urgent}")));
}

both!(the_desk_corrects_a_mistyped_phone);
async fn the_desk_corrects_a_mistyped_phone(t: TestApp) {
    let (coord, _, _, _) = setup(&t).await;
    let id = requests::record(&t.app, &coord, &request_fields("DURAND"))
        .await
        .unwrap();
    let page = format!("/soins-non-programmes/demandes/{id}");
    let correction = format!("{page}/correction");
    let desk = client_of(&t, "regul@a.fr").await;

    let wrong = t
        .post_form(
            &desk,
            &page,
            &correction,
            &[("phone", "06 12"), ("detail", "")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Un numéro de téléphone compte dix chiffres")
    );
    let kept: String = sqlx::query_scalar("SELECT phone FROM snp_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(kept, "0612345678", "nothing changed");

    let corrected = t
        .post_form(
            &desk,
            &page,
            &correction,
            &[
                ("phone", "+33 6 11 22 33 44"),
                ("detail", "Fièvre depuis hier soir"),
            ],
        )
        .await;
    assert_eq!(corrected.status(), StatusCode::SEE_OTHER);
    let shown = t.page(&desk, &page).await;
    assert!(shown.contains("06 11 22 33 44"), "{shown}");
    assert!(shown.contains("Fièvre depuis hier soir"));
    assert_eq!(t.audited("snp_request.update").await, 1);

    // A member of the CPTS is not its desk.
    let gp = client_of(&t, "restanque@a.fr").await;
    let refused = t
        .post_form(
            &gp,
            "/soins-non-programmes",
            &correction,
            &[("phone", "0600000000")],
        )
        .await;
    assert!(refused.status().is_client_error(), "{}", refused.status());
    assert_eq!(t.audited("snp_request.update").await, 1);
}
