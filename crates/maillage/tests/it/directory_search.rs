//! Searching the directory: every filter, the distance ordering, members of one's own
//! CPTS only, the professional's page, the CSV export and the API.

use crate::support::fixtures::directory::{
    ACTIVITY, ARBOUSIER, extraction, import, import_sample, professional_id, sample_moved,
};
use crate::support::{PASSWORD, TestApp, api_get, both, token_of};
use maillage_services::ServiceError;
use maillage_services::directory::import::{ImportOptions, import_annuaire};
use maillage_services::directory::members::{self, SettingsForm};
use maillage_services::directory::safeguards::DepartureLimit;
use maillage_services::directory::search::{SearchRequest, SearchResults, search};
use maillage_services::{Actor, App, Db, Settings, SystemClock, territory};
use serde_json::Value;
use std::sync::Arc;

/// The sample extraction imported, the territory loaded, CPTS "a" around Aix with a
/// member (Dr Restanque, accepting new patients) and CPTS "b" with none.
async fn setup(t: &TestApp) -> (Actor, Actor) {
    t.load_territory().await;
    import_sample(t).await;
    let perimeter = territory::Selection {
        communes: vec!["13001".into(), "13015".into(), "13019".into()],
        epcis: Vec::new(),
    };
    territory::create(&t.app, None, "a", "CPTS A", &perimeter)
        .await
        .unwrap();
    territory::create(&t.app, None, "b", "CPTS B", &perimeter)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO members (cpts_id, professional_id, accepts_new_patients, unscheduled_care, \
         created_at, updated_at) SELECT c.id, p.id, 1, 0, 0, 0 FROM cpts c, professionals p \
         WHERE c.slug = 'a' AND p.national_id = '810000000074'",
    )
    .execute(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    (t.actor("coord@a.fr").await, t.actor("coord@b.fr").await)
}

fn names(results: &SearchResults) -> Vec<String> {
    results
        .found
        .iter()
        .map(|f| f.site.last_name.clone())
        .collect()
}

async fn run(t: &TestApp, actor: &Actor, request: SearchRequest) -> SearchResults {
    let request = SearchRequest {
        per_page: 25,
        ..request
    };
    search(&t.app, actor, &request).await.unwrap()
}

async fn every_filter_narrows_the_search(t: TestApp) {
    let (a, _) = setup(&t).await;
    let by_name = run(
        &t,
        &a,
        SearchRequest {
            name: "arbous".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        names(&by_name),
        ["ARBOUSIER", "ARBOUSIER"],
        "both sites of one GP"
    );
    let first_name_first = run(
        &t,
        &a,
        SearchRequest {
            name: "Aline Arbousier".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        names(&first_name_first),
        ["ARBOUSIER", "ARBOUSIER"],
        "the first name first, as names are shown"
    );
    let doctors = run(
        &t,
        &a,
        SearchRequest {
            profession: "10".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(doctors.total, 4);
    let gps = run(
        &t,
        &a,
        SearchRequest {
            specialty: "SM54".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(names(&gps), ["RESTANQUE"]);
    let nurses = run(
        &t,
        &a,
        SearchRequest {
            profession: "60".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(names(&nurses), ["CALISSON"]);
    let far = SearchRequest {
        page: i64::MAX,
        ..Default::default()
    };
    let beyond = run(&t, &a, far).await;
    assert!(
        beyond.found.is_empty() && beyond.total > 0,
        "a page past the last is empty"
    );
}
both!(every_filter_narrows_the_search);

async fn around_a_commune_results_come_nearest_first(t: TestApp) {
    let (a, _) = setup(&t).await;
    let only = run(
        &t,
        &a,
        SearchRequest {
            commune: "13015".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(names(&only), ["ARBOUSIER"]);
    let around = SearchRequest {
        commune: "Bouc-Bel-Air".into(),
        radius_km: "20".into(),
        ..Default::default()
    };
    let results = run(&t, &a, around).await;
    let distances: Vec<f64> = results
        .found
        .iter()
        .map(|f| f.distance_km.unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    assert_eq!(distances[0], 0.0);
    let communes: Vec<&str> = results
        .found
        .iter()
        .map(|f| f.site.commune.as_deref().unwrap())
        .collect();
    assert_eq!(communes.first(), Some(&"13015"));
    assert!(communes.contains(&"13019") && communes.contains(&"13001"));
    assert!(!communes.contains(&"67482"), "Strasbourg is far away");
    assert_eq!(results.around.as_deref(), Some("Bouc-Bel-Air"));

    let bad = SearchRequest {
        commune: "Nulle-Part-sur-Mer".into(),
        radius_km: "500".into(),
        per_page: 25,
        ..Default::default()
    };
    let Err(ServiceError::Invalid(errors)) = search(&t.app, &a, &bad).await else {
        panic!("refused");
    };
    assert!(
        errors
            .get("commune")
            .unwrap()
            .contains("Nulle-Part-sur-Mer")
    );
    assert!(errors.get("rayon").unwrap().contains("entre 0 et 100"));
}
both!(around_a_commune_results_come_nearest_first);

async fn member_filters_see_only_ones_own_cpts(t: TestApp) {
    let (a, b) = setup(&t).await;
    let members = SearchRequest {
        members_only: true,
        ..Default::default()
    };
    let in_a = run(&t, &a, members.clone()).await;
    assert_eq!(names(&in_a), ["RESTANQUE"]);
    assert_eq!(in_a.found[0].site.accepts_new_patients, Some(1));
    let accepting = SearchRequest {
        accepts_new_patients: true,
        ..Default::default()
    };
    assert_eq!(run(&t, &a, accepting.clone()).await.total, 1);
    assert_eq!(
        run(&t, &b, members).await.total,
        0,
        "A's members are not B's"
    );
    assert_eq!(run(&t, &b, accepting).await.total, 0);
    let everyone = run(
        &t,
        &b,
        SearchRequest {
            name: "restanque".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        everyone.found[0].site.member_id, None,
        "B does not see A's settings"
    );
}
both!(member_filters_see_only_ones_own_cpts);

/// Two app servers share one database: what one of them changes (a member's settings, a
/// new member, a re-import of the directory) the other's next search around a commune
/// shows, although it answers from its in-memory index.
async fn searches_around_a_commune_see_what_another_server_changed(t: TestApp) {
    let (a, _) = setup(&t).await;
    let other = App::new(
        Db::connect(&t.db_url).await.unwrap(),
        Settings::default(),
        Arc::new(SystemClock),
        t.app.host_keys(),
    );
    let around_aix = |accepting: bool| SearchRequest {
        commune: "13001".into(),
        radius_km: "30".into(),
        members_only: true,
        accepts_new_patients: accepting,
        ..Default::default()
    };
    assert_eq!(names(&run(&t, &a, around_aix(true)).await), ["RESTANQUE"]);

    let restanque = members::list(&other, &a).await.unwrap()[0].id;
    let stops = SettingsForm {
        accepts_new_patients: false,
        ..Default::default()
    };
    members::update(&other, &a, restanque, &stops)
        .await
        .unwrap();
    assert_eq!(run(&t, &a, around_aix(true)).await.total, 0);
    assert_eq!(names(&run(&t, &a, around_aix(false)).await), ["RESTANQUE"]);

    let arbousier = professional_id(&t, ARBOUSIER).await;
    members::add(&other, &a, arbousier).await.unwrap();
    let mut found = names(&run(&t, &a, around_aix(false)).await);
    found.sort();
    found.dedup();
    assert_eq!(
        found,
        ["ARBOUSIER", "RESTANQUE"],
        "one line per practice site"
    );

    // Arbousier leaves the national directory: the next extraction no longer has them.
    let without: String = ACTIVITY
        .lines()
        .filter(|line| !line.contains("ARBOUSIER"))
        .map(|line| format!("{line}\n"))
        .collect();
    let options = ImportOptions {
        max_errors: 0,
        max_departures: DepartureLimit::ANY,
    };
    import_annuaire(
        &other,
        None,
        &extraction(without.as_bytes(), true),
        &options,
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(names(&run(&t, &a, around_aix(false)).await), ["RESTANQUE"]);
}
both!(searches_around_a_commune_see_what_another_server_changed);

async fn the_pages_the_export_and_the_api_show_the_same_search(t: TestApp) {
    setup(&t).await;
    let client = t.client();
    t.login(&client, "coord@a.fr", PASSWORD).await;
    let page = t
        .page(&client, "/annuaire?profession=10&commune=13015&rayon=15")
        .await;
    assert!(
        page.contains("dans un rayon de 15 km autour de Bouc-Bel-Air"),
        "{page}"
    );
    let first = page.find("ARBOUSIER").unwrap();
    let restanque = page.find("RESTANQUE").unwrap();
    assert!(
        first < restanque,
        "Bouc-Bel-Air's GP comes before Cabriès's"
    );
    let unescaped = |href: String| href.replace("&#38;", "&").replace("&amp;", "&");
    let link = crate::support::text_between(&page, "href=\"/annuaire/professionnels/", "\"")
        .map(unescaped)
        .unwrap();
    let professional = t
        .page(&client, &format!("/annuaire/professionnels/{link}"))
        .await;
    let back = crate::support::text_between(&professional, "<a href=\"/annuaire?", "\">Retour")
        .map(unescaped);
    assert_eq!(
        back.as_deref(),
        Some("profession=10&commune=13015&rayon=15&page=1"),
        "the way back finds the search again"
    );
    assert!(
        professional.contains("CABINET MEDICAL DES CYPRES")
            && professional.contains("CABINET DU DR ARBOUSIER")
    );
    let csv = client
        .get(t.url("/annuaire.csv?profession=10&commune=13015&rayon=15"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.bytes().await.unwrap();
    let csv = std::str::from_utf8(&csv).unwrap();
    assert!(
        csv.starts_with("\u{FEFF}RPPS;Nom;Profession"),
        "a byte-order mark, for Excel to read the accents"
    );
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");

    let token = token_of(&t, "coord@a.fr").await;
    let api: Value = api_get(
        &t,
        "/api/v1/professionnels?specialite=SM54&adherents=true",
        &token,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(api["total"], 1);
    assert_eq!(api["sites"][0]["last_name"], "RESTANQUE");
    assert_eq!(api["sites"][0]["accepts_new_patients"], true);
    let invalid = api_get(&t, "/api/v1/professionnels?rayon=abc&commune=13015", &token).await;
    assert_eq!(invalid.status(), 422);
    let missing = api_get(&t, "/api/v1/professionnels/999999", &token).await;
    assert_eq!(missing.status(), 404);
}
both!(the_pages_the_export_and_the_api_show_the_same_search);

async fn a_city_is_searched_with_its_arrondissements(t: TestApp) {
    t.load_territory().await;
    // Gilles Restanque's site moves to Marseille's 1st arrondissement.
    let moved = sample_moved(
        "RESTANQUE",
        "|13019|Cabriès|",
        "|13201|Marseille 1er Arrondissement|",
    );
    import(&t, &extraction(moved.as_bytes(), true), 0)
        .await
        .unwrap();
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let a = t.actor("coord@a.fr").await;
    for commune in ["Marseille", "13055"] {
        let in_marseille = run(
            &t,
            &a,
            SearchRequest {
                commune: commune.into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(names(&in_marseille), ["RESTANQUE"], "{commune}");
        assert_eq!(in_marseille.around.as_deref(), Some("Marseille"));
    }
}
both!(a_city_is_searched_with_its_arrondissements);
