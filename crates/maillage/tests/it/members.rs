//! Members of a CPTS: added by its coordinator from the perimeter's professionals, with
//! settings they keep themselves, invisible to other CPTS, surviving re-imports.

use crate::support::fixtures::directory::{import_sample, professional_id};
use crate::support::{PASSWORD, TestApp, accept_invitation, both, invitation_path, location};

async fn setup(t: &TestApp) {
    t.load_territory().await;
    import_sample(t).await;
    for slug in ["a", "b"] {
        t.aix_cpts(slug, slug).await;
    }
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    t.user("restanque@a.fr", "member", "a").await;
    t.user("autre@a.fr", "member", "a").await;
}

/// The coordinator logged in on `coord` adds Dr Restanque (a GP of the perimeter) from
/// their directory page; returns the professional's id, that page and the answer.
async fn add_the_gp(t: &TestApp, coord: &reqwest::Client) -> (String, String, reqwest::Response) {
    let gp = professional_id(t, "810000000074").await.to_string();
    let page = format!("/annuaire/professionnels/{gp}");
    let added = t
        .post_form(coord, &page, "/adherents", &[("professional", &gp)])
        .await;
    (gp, page, added)
}

async fn a_coordinator_adds_members_of_the_perimeter_only(t: TestApp) {
    setup(&t).await;
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let (gp, page, added) = add_the_gp(&t, &coord).await;
    assert_eq!(added.status(), 303);
    let member_page = location(&added);
    assert!(member_page.starts_with("/adherents/"));
    let again = t
        .post_form(&coord, &page, "/adherents", &[("professional", &gp)])
        .await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("déjà adhérent"));
    assert!(
        t.page(&coord, &member_page)
            .await
            .contains("De nouveaux patients comme médecin traitant")
    );
    let nurse = professional_id(&t, "810000000025").await.to_string();
    let nurse_added = t
        .post_form(&coord, &page, "/adherents", &[("professional", &nurse)])
        .await;
    assert_eq!(nurse_added.status(), 303);
    let nurse_page = t.page(&coord, &location(&nurse_added)).await;
    assert!(
        !nurse_page.contains("comme médecin traitant"),
        "a nurse is nobody's médecin traitant"
    );
    assert!(nurse_page.contains("Des soins non programmés"));
    let strasbourg = professional_id(&t, "810000000041").await.to_string();
    let outside = t
        .post_form(
            &coord,
            &page,
            "/adherents",
            &[("professional", &strasbourg)],
        )
        .await;
    assert_eq!(outside.status(), 422);
    assert!(
        outside
            .text()
            .await
            .unwrap()
            .contains("n’exerce pas dans le périmètre")
    );

    // A member may not add; the other CPTS does not see A's member.
    let member = t.client();
    t.login(&member, "autre@a.fr", PASSWORD).await;
    let nurse = professional_id(&t, "810000000025").await.to_string();
    let refused = t
        .post_form(&member, &page, "/adherents", &[("professional", &nurse)])
        .await;
    assert_eq!(refused.status(), 403);
    let other = t.client();
    t.login(&other, "coord@b.fr", PASSWORD).await;
    let hidden = other.get(t.url(&member_page)).send().await.unwrap();
    assert_eq!(hidden.status(), 404);
    let list = t.page(&other, "/adherents").await;
    assert!(!list.contains("RESTANQUE"));
}
both!(a_coordinator_adds_members_of_the_perimeter_only);

async fn a_member_keeps_settings_that_survive_reimports(t: TestApp) {
    setup(&t).await;
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let (_, _, added) = add_the_gp(&t, &coord).await;
    let member_page = location(&added);
    let linked = t
        .post_form(
            &coord,
            &member_page,
            &format!("{member_page}/compte"),
            &[("email", "restanque@a.fr")],
        )
        .await;
    assert_eq!(linked.status(), 303);

    // Another member of the CPTS sees the settings but may not change them.
    let other = t.client();
    t.login(&other, "autre@a.fr", PASSWORD).await;
    let settings = format!("{member_page}/reglages");
    let view = t.page(&other, &member_page).await;
    assert!(!view.contains(&settings), "no form for others");
    let refused = t
        .post_form(
            &other,
            &member_page,
            &settings,
            &[("accepts_new_patients", "on")],
        )
        .await;
    assert_eq!(refused.status(), 404);

    let gp_client = t.client();
    t.login(&gp_client, "restanque@a.fr", PASSWORD).await;
    let bad = t
        .post_form(
            &gp_client,
            &member_page,
            &settings,
            &[
                ("new_patients_per_month", "beaucoup"),
                ("mssante", "dr@gmail.com"),
                ("colleague_phone", "123"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page_text = bad.text().await.unwrap();
    assert!(page_text.contains("id=\"f-new_patients_per_month-error\""));
    assert!(page_text.contains("mssante.fr"));
    assert!(page_text.contains("dix chiffres"));
    let saved = t
        .post_form(
            &gp_client,
            &member_page,
            &settings,
            &[
                ("accepts_new_patients", "on"),
                ("new_patients_per_month", "4"),
                ("unscheduled_care", "on"),
                ("mssante", "jean.restanque@medecin.mssante.fr"),
                ("colleague_phone", "04 42 00 00 00"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);

    // The directory is imported again: the member and their settings remain.
    import_sample(&t).await;
    let list = t.page(&coord, "/adherents").await;
    assert!(
        list.contains("RESTANQUE") && list.contains("(4 par mois)"),
        "{list}"
    );
    let search = t
        .page(&coord, "/annuaire?nouveaux_patients=on&adherents=on")
        .await;
    assert!(
        search.contains("RESTANQUE") && search.contains("1 lieu d’exercice"),
        "{search}"
    );
}
both!(a_member_keeps_settings_that_survive_reimports);

/// A coordinator invites a member from the member's page: the account created with the
/// link is linked to that member, who can set their own settings at once.
async fn an_invited_member_finds_their_account_linked(t: TestApp) {
    setup(&t).await;
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let (_, _, added) = add_the_gp(&t, &coord).await;
    let member_page = location(&added);
    let invitation = format!("{member_page}/invitation");
    let bad = t
        .post_form(
            &coord,
            &member_page,
            &invitation,
            &[("invitation_email", "pas-une-adresse")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("id=\"f-invitation_email-error\"")
    );
    let page = t
        .post_form(
            &coord,
            &member_page,
            &invitation,
            &[("invitation_email", "restanque@cabinet.fr")],
        )
        .await
        .text()
        .await
        .unwrap();
    let path = &invitation_path(&page);

    let gp = t.client();
    let form = t.page(&gp, path).await;
    assert!(
        form.contains("RESTANQUE"),
        "the invitation names the member"
    );
    let accepted = accept_invitation(&t, &gp, &form, PASSWORD, PASSWORD).await;
    assert_eq!(location(&accepted), "/connexion");
    t.login(&gp, "restanque@cabinet.fr", PASSWORD).await;
    let saved = t
        .post_form(
            &gp,
            &member_page,
            &format!("{member_page}/reglages"),
            &[
                ("accepts_new_patients", "on"),
                ("new_patients_per_month", "4"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303, "the new account is the member's own");

    let shown = t.page(&coord, &member_page).await;
    assert!(shown.contains("Compte lié : restanque@cabinet.fr"));
    assert!(
        !shown.contains(&invitation),
        "no invitation for a linked member"
    );
    let again = t
        .post_form(
            &coord,
            &member_page,
            &invitation,
            &[("invitation_email", "autre@cabinet.fr")],
        )
        .await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("déjà un compte lié"));
}
both!(an_invited_member_finds_their_account_linked);
