//! The desk's list and a request's life at the desk, over HTTP on both databases: a
//! booking cancelled comes back saying who cancelled it and why (or closes the request when
//! the patient was cared for elsewhere); requests still to orient stay listed, the most
//! pressing first; a mistyped phone is corrected.

use crate::support::fixtures::unscheduled_care::{
    DESK, UnscheduledCare, first_free_slot, publish, request_fields, row_of, weekdays_afternoon,
};
use crate::support::{TestApp, both, text_between};
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_services::unscheduled_care::{booking, requests};
use reqwest::StatusCode;

both!(a_cancelled_booking_comes_back_to_the_desk_saying_who_and_why);
async fn a_cancelled_booking_comes_back_to_the_desk_saying_who_and_why(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("SNP")).await;
    let id = requests::record(&t.app, &coord, &request_fields("DURAND"))
        .await
        .unwrap();
    let slot = first_free_slot(&t, member_id).await;
    let booked = booking::book(&t.app, &coord, id, slot, false)
        .await
        .unwrap();
    let desk = t.logged_in("coord@a.fr").await;
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
    assert_eq!(
        to_tell,
        "Au cabinet, ven. 15/01 14:00, avec Dr Gilles RESTANQUE : MAISON DE SANTE FICTIVE DE \
         CABRIES, 1 Rue DU JEU DE DONNEES, 13480 Cabriès. Téléphone du cabinet : 04 00 00 00 17.",
        "what the regulator reads to the patient: mode, time, who, where and the practice's phone"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM snp_bookings WHERE status = 'booked'")
            .await,
        1
    );

    // The GP cannot see the patient after all and cancels from their agenda.
    let gp_client = t.logged_in("restanque@a.fr").await;
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
            "rendez-vous annulé : Empêchement du professionnel (Gilles Restanque, ven. 15/01 09:00)"
        ),
        "{row}"
    );
    let page = t.page(&desk, &request_page).await;
    assert!(
        page.contains("Annulé : Empêchement du professionnel (Gilles Restanque, ven. 15/01 09:00)"),
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
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
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
    // The later one is recorded first: only the deadline puts it after.
    let later = SnpRequestFields {
        urgency: "48h".into(),
        ..request_fields("PLUSTARD")
    };
    requests::record(&t.app, &coord, &later).await.unwrap();
    let urgent = requests::record(&t.app, &coord, &today).await.unwrap();

    let desk = t.logged_in("coord@a.fr").await;
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
    let (id, page, desk) = a_request_on_the_desk(&t).await;
    let correction = format!("{page}/correction");

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

    refused_to_a_member(&t, &correction, &[("phone", "0600000000")]).await;
    assert_eq!(t.audited("snp_request.update").await, 1);
}

/// A request recorded by the coordinator: its id, its page, and the regulator's client.
async fn a_request_on_the_desk(t: &TestApp) -> (i64, String, reqwest::Client) {
    let UnscheduledCare {
        coordinator: coord, ..
    } = t.given().unscheduled_care().await;
    let id = requests::record(&t.app, &coord, &request_fields("DURAND"))
        .await
        .unwrap();
    let page = format!("/soins-non-programmes/demandes/{id}");
    (id, page, t.logged_in("regul@a.fr").await)
}

/// A member of the CPTS is not its desk: posting `fields` to `action` is refused.
async fn refused_to_a_member(t: &TestApp, action: &str, fields: &[(&str, &str)]) {
    let gp = t.logged_in("restanque@a.fr").await;
    let refused = t
        .post_form(&gp, "/soins-non-programmes", action, fields)
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

both!(the_desk_notes_its_calls_to_the_patient);
async fn the_desk_notes_its_calls_to_the_patient(t: TestApp) {
    let (_, page, desk) = a_request_on_the_desk(&t).await;
    let calls = format!("{page}/appels");

    let wrong = t
        .post_form(&desk, &page, &calls, &[("note", "rappeler")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Indiquez ce qu’a donné l’appel.")
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM snp_request_calls").await, 0);

    for (result, note) in [("no_answer", ""), ("voicemail", "  rappeler   après 18 h ")] {
        let noted = t
            .post_form(&desk, &page, &calls, &[("result", result), ("note", note)])
            .await;
        assert_eq!(noted.status(), StatusCode::SEE_OTHER);
        t.clock.advance(600);
    }
    let shown = t.page(&desk, &page).await;
    let listed = text_between(&shown, "<h2>Appels au patient</h2>", "<form").unwrap();
    let latest = listed.find("Message laissé").expect("the message left");
    let first = listed.find("Pas de réponse").expect("the first call");
    assert!(latest < first, "the latest call first: {listed}");
    assert!(
        listed.contains(
            "ven. 15/01 09:10</strong> · Message laissé · Paul Régnier : rappeler après 18 h"
        ),
        "{listed}"
    );
    assert_eq!(t.audited("snp_request.call").await, 2);

    refused_to_a_member(&t, &calls, &[("result", "reached")]).await;
    assert_eq!(t.count("SELECT COUNT(*) FROM snp_request_calls").await, 2);
}
