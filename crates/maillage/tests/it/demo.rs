//! The demonstration data set, on both databases: the demo GP's and nurse's accounts are
//! members' own, so that they reach their unscheduled-care pages at once; every member who
//! publishes slots takes part in unscheduled care; its CPTS answers the SAS with a
//! FINESS number said to be fictitious; a second run creates nothing; every
//! action recorded has its French label for the journal.

use crate::support::{PASSWORD, TestApp, both};
use maillage_domain::platform::audit_labels::action_label;
use maillage_services::tools::demo;
use reqwest::StatusCode;

both!(the_demo_professionals_reach_their_own_pages_at_once);
async fn the_demo_professionals_reach_their_own_pages_at_once(t: TestApp) {
    t.load_territory().await;
    assert!(demo::ensure(&t.app, PASSWORD).await.unwrap());

    for email in [
        "medecin@demo.maillage.test",
        "infirmiere@demo.maillage.test",
    ] {
        let client = t.client();
        t.login(&client, email, PASSWORD).await;
        let agenda = client
            .get(t.url("/soins-non-programmes"))
            .send()
            .await
            .unwrap();
        assert_eq!(agenda.status(), StatusCode::OK, "{email}");
        assert!(
            agenda
                .text()
                .await
                .unwrap()
                .contains("Mes rendez-vous de soins non programmés"),
            "{email}"
        );
    }
    let gp_slots = t
        .count(
            "SELECT COUNT(*) FROM snp_rules r JOIN members m ON m.id = r.member_id \
             JOIN users u ON u.id = m.user_id WHERE u.email = 'medecin@demo.maillage.test'",
        )
        .await;
    assert_eq!(gp_slots, 1, "the demo GP publishes slots");
    let (account, member): (String, String) = sqlx::query_as(
        "SELECT u.display_name, 'Dr ' || p.first_name || ' ' || p.last_name FROM users u \
         JOIN members m ON m.user_id = u.id JOIN professionals p ON p.id = m.professional_id \
         WHERE u.email = 'medecin@demo.maillage.test'",
    )
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    assert_eq!(
        account, member,
        "the GP's account bears the name of the member it is"
    );

    let publishing = "SELECT COUNT(*) FROM members m \
         WHERE EXISTS (SELECT 1 FROM snp_rules r WHERE r.member_id = m.id)";
    assert_eq!(t.count(publishing).await, 6);
    let not_taking_part = format!("{publishing} AND m.unscheduled_care = 0");
    assert_eq!(t.count(&not_taking_part).await, 0);

    // Three GPs take new patients (the demo GP three a month), and one of them is leaving:
    // the demo's GPs are mostly SM53, as the directory's are.
    let report = maillage_services::diagnosis::diagnosis(&t.app, None, demo::DEMO_SLUG)
        .await
        .unwrap();
    assert_eq!(
        (
            report.accepting_gps.gps,
            report.accepting_gps.places_per_month
        ),
        (3, 6)
    );
    let coordinator = t.actor("coordination@demo.maillage.test").await;
    let leaving = maillage_services::gp_waitlist::departing_gps(&t.app, &coordinator)
        .await
        .unwrap();
    assert_eq!(leaving.len(), 1);

    // The SAS is answered for the demo CPTS, whose made-up FINESS its page calls fictitious.
    let regulator = crate::support::token_of(&t, "regulation@demo.maillage.test").await;
    let search = crate::support::api_get(
        &t,
        "/fhir/r4/Slot?schedule.actor:Practitioner.identifier=810000000000\
         &start=ge2027-01-15T00:00:00&start=le2027-01-16T00:00:00&status=free",
        &regulator,
    )
    .await;
    assert_eq!(search.status(), StatusCode::OK);
    let coordination = t.client();
    t.login(&coordination, "coordination@demo.maillage.test", PASSWORD)
        .await;
    let page = t.page(&coordination, "/cpts/demo").await;
    assert!(page.contains(&format!("<dd id=\"finess\">{}</dd>", demo::DEMO_FINESS)));
    assert!(page.contains("numéro inventé pour la démonstration"));
    assert!(!page.contains("sas-incomplet"));

    assert!(!demo::ensure(&t.app, PASSWORD).await.unwrap());

    // The journal reads every action the demo and these visits recorded in French.
    let actions: Vec<String> = sqlx::query_scalar("SELECT DISTINCT action FROM audit_log")
        .fetch_all(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    assert!(actions.len() > 3, "{actions:?}");
    let unnamed: Vec<&String> = actions
        .iter()
        .filter(|a| action_label(a).is_none())
        .collect();
    assert!(unnamed.is_empty(), "actions without a label: {unnamed:?}");
}
