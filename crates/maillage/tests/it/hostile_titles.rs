//! No personal data in page titles (browsers keep them in their history and synced tabs):
//! every page that shows a patient, on the waiting list, in unscheduled care and in
//! messaging, names them in its body and never in its `<title>`.

use crate::support::fixtures::gp_waitlist::{GpProposals, propose, restanque_member};
use crate::support::fixtures::messaging::{open_thread, write};
use crate::support::fixtures::unscheduled_care::{
    DESK, UnscheduledCare, first_free_slot, publish, request_fields, weekdays_afternoon,
};
use crate::support::{TestApp, both, csrf_of, location, text_between};
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_services::unscheduled_care::{booking, requests};

const LAST_NAME: &str = "Castafiore";
const FIRST_NAME: &str = "Zéphirine";
const BORN: &str = "17/05/1949";

/// Asserts that `page` (reached as `what`) shows the patient, and that its title holds
/// neither their last name, their first name nor their birth date.
fn assert_shown_but_untitled(page: &str, what: &str) {
    assert!(
        page.to_lowercase().contains("castafiore"),
        "{what} shows the patient: {page}"
    );
    let title = text_between(page, "<title>", "</title>")
        .unwrap_or_else(|| panic!("{what} has a title"))
        .to_lowercase();
    for private in ["castafiore", "zéphirine", "zephirine", BORN, "1949-05-17"] {
        assert!(
            !title.contains(&private.to_lowercase()),
            "the title of {what} ({title:?}) holds {private}"
        );
    }
}

async fn waiting_list_pages_keep_the_patient_out_of_their_titles(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        gp,
        ..
    } = t.given().gp_proposals().await;
    let member = restanque_member(&t).await;
    // Dr Restanque retires in 2030: their patients are registered ahead, and the GP still
    // takes new ones until then.
    let settings = format!("/adherents/{member}");
    let departure = [
        ("accepts_new_patients", "on"),
        ("new_patients_per_month", "1"),
        ("departure_date", "30/06/2030"),
    ];
    let saved = t
        .post_form(
            &coord,
            &settings,
            &format!("{settings}/reglages"),
            &departure,
        )
        .await;
    assert_eq!(saved.status(), 303);
    let fields = [
        ("last_name", LAST_NAME),
        ("first_name", FIRST_NAME),
        ("birth_date", BORN),
        ("sex", "F"),
        ("commune", "Cabriès"),
        ("phone", "0612345678"),
        ("departing", member.as_str()),
    ];
    let new = "/medecin-traitant/demandes/nouvelle";
    let recorded = t
        .post_form(&coord, new, "/medecin-traitant/demandes", &fields)
        .await;
    assert_eq!(recorded.status(), 303);
    let request = location(&recorded);
    let mut wrong = fields.to_vec();
    wrong.retain(|(name, _)| *name != "phone");
    wrong.push(("phone", "12"));
    let refused = t
        .post_form(&coord, new, "/medecin-traitant/demandes", &wrong)
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert_shown_but_untitled(&page, "the request form with an error");
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    let proposed = propose(&t, &coord, &csrf, &request, &member).await;
    assert_eq!(proposed.status(), 303);

    let page = t.page(&coord, &request).await;
    assert!(page.contains(BORN), "the request shows the birth date");
    assert_shown_but_untitled(&page, "the request's page");
    let list = t.page(&coord, "/medecin-traitant").await;
    assert_shown_but_untitled(&list, "the waiting list");
    let departure = t
        .page(&coord, &format!("/medecin-traitant/departs/{member}"))
        .await;
    assert_shown_but_untitled(&departure, "the departing GP's page");
    let proposals = t.page(&gp, "/medecin-traitant").await;
    assert_shown_but_untitled(&proposals, "the GP's proposals");
    // The request's page shown again with an error.
    let placed = [("action", "tete"), ("comment", " ")];
    let refused = t
        .post_form(&coord, &request, &format!("{request}/priorite"), &placed)
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert_shown_but_untitled(&page, "the request's page with an error");
}
both!(waiting_list_pages_keep_the_patient_out_of_their_titles);

async fn unscheduled_care_pages_keep_the_patient_out_of_their_titles(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id: member,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member, &weekdays_afternoon("SNP")).await;
    let fields = SnpRequestFields {
        last_name: LAST_NAME.into(),
        first_name: FIRST_NAME.into(),
        birth_date: BORN.into(),
        ..request_fields("")
    };
    let id = requests::record(&t.app, &coord, &fields).await.unwrap();
    let slot = first_free_slot(&t, member).await;
    booking::book(&t.app, &coord, id, slot, false)
        .await
        .unwrap();

    let desk = t.logged_in("coord@a.fr").await;
    let typed = [
        ("last_name", LAST_NAME),
        ("first_name", FIRST_NAME),
        ("birth_date", BORN),
    ];
    let new = format!("{DESK}/demandes/nouvelle");
    let refused = t
        .post_form(&desk, &new, &format!("{DESK}/demandes"), &typed)
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert_shown_but_untitled(&page, "the request form with an error");
    let request = format!("{DESK}/demandes/{id}");
    assert_shown_but_untitled(&t.page(&desk, &request).await, "the request's page");
    assert_shown_but_untitled(&t.page(&desk, DESK).await, "the desk's list");
    let own = t.logged_in("restanque@a.fr").await;
    assert_shown_but_untitled(&t.page(&own, DESK).await, "the GP's agenda");
    // The request's page shown again with an error.
    let closing = [("reason", "")];
    let refused = t
        .post_form(&desk, &request, &format!("{request}/cloture"), &closing)
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert_shown_but_untitled(&page, "the request's page with an error");
}
both!(unscheduled_care_pages_keep_the_patient_out_of_their_titles);

async fn messaging_pages_keep_the_patient_out_of_their_titles(t: TestApp) {
    t.given().messaging().await;
    let coord = t.logged_in("coord@a.fr").await;
    let gp = t.user_id("gp@a.fr").await.to_string();
    let opened = open_thread(
        &t,
        &coord,
        &[
            ("kind", "patient"),
            ("patient_last_name", LAST_NAME),
            ("patient_first_name", FIRST_NAME),
            ("patient_birth_date", "1949-05-17"),
            ("members", &gp),
        ],
    )
    .await;
    assert_eq!(opened.status(), 303);
    let thread = location(&opened);

    assert_shown_but_untitled(&t.page(&coord, &thread).await, "the thread");
    assert_shown_but_untitled(&t.page(&coord, "/messagerie").await, "the threads");
    let search = [("q", "castafiore")];
    let found = t
        .post_form(&coord, "/messagerie", "/messagerie/recherche", &search)
        .await;
    assert_shown_but_untitled(&found.text().await.unwrap(), "a search");
    let empty = write(&t, &coord, &thread, " ", &[]).await;
    assert_eq!(empty.status(), 422);
    let page = empty.text().await.unwrap();
    assert_shown_but_untitled(&page, "the thread with an error");
}
both!(messaging_pages_keep_the_patient_out_of_their_titles);
