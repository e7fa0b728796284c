//! Territory and perimeters: the shipped reference data, perimeters from communes and
//! EPCI with their population, flags, errors that name the codes, the web editor, the
//! API and the command line.

use crate::support::cli::maillage;
use crate::support::{PASSWORD, TestApp, api_get, both, token_of};
use maillage_services::reference::{Loaded, load_territory};
use maillage_services::territory::{self, Selection};
use maillage_services::{Backend, ServiceError};
use serde_json::{Value, json};

fn communes(codes: &[&str]) -> Selection {
    Selection {
        communes: codes.iter().map(|c| c.to_string()).collect(),
        epcis: Vec::new(),
    }
}

async fn the_shipped_territory_loads_once_and_is_searchable(t: TestApp) {
    assert!(matches!(
        load_territory(&t.app.db, t.app.now()).await.unwrap(),
        Loaded::Communes(n) if n > 34_900
    ));
    assert_eq!(
        load_territory(&t.app.db, t.app.now()).await.unwrap(),
        Loaded::AlreadyCurrent
    );
    // By name without accents, by postcode, by INSEE code.
    let by_name = territory::find_communes(&t.app, "cabries").await.unwrap();
    assert_eq!(by_name[0].insee, "13019");
    assert_eq!(by_name[0].name, "Cabriès");
    let by_postcode = territory::find_communes(&t.app, "13320").await.unwrap();
    assert!(by_postcode.iter().any(|c| c.name == "Bouc-Bel-Air"));
    let by_code = territory::find_communes(&t.app, "67482").await.unwrap();
    assert_eq!(by_code[0].name, "Strasbourg");
    // A word inside a name, most populated first.
    let saint = territory::find_communes(&t.app, "etienne").await.unwrap();
    assert_eq!(saint[0].name, "Saint-Étienne");
}
both!(the_shipped_territory_loads_once_and_is_searchable);

async fn a_perimeter_totals_its_population_and_flags_shared_communes(t: TestApp) {
    t.load_territory().await;
    let aix = territory::create(
        &t.app,
        None,
        "aix-sud",
        "CPTS Aix Sud",
        &communes(&["13015", "13019", " 13071 "]),
    )
    .await
    .unwrap();
    let names: Vec<&str> = aix.communes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Bouc-Bel-Air", "Cabriès", "Les Pennes-Mirabeau"]);
    // Populations of the shipped vintage: 15 381 + 10 240 + 22 537.
    assert_eq!(aix.population, 48_158);
    assert!(aix.communes.iter().all(|c| c.also_in.is_empty()));

    // Marseille's northern arrondissements and one commune of the first CPTS.
    let north = territory::create(
        &t.app,
        None,
        "marseille-nord",
        "CPTS Marseille Nord",
        &communes(&["13215", "13216", "13071"]),
    )
    .await
    .unwrap();
    let shared = north.communes.iter().find(|c| c.insee == "13071").unwrap();
    assert_eq!(shared.also_in, ["CPTS Aix Sud"]);
    let aix = territory::show(&t.app, None, "aix-sud").await.unwrap();
    let shared = aix.communes.iter().find(|c| c.insee == "13071").unwrap();
    assert_eq!(shared.also_in, ["CPTS Marseille Nord"]);
}
both!(a_perimeter_totals_its_population_and_flags_shared_communes);

async fn an_epci_brings_its_communes_but_not_their_arrondissements(t: TestApp) {
    t.load_territory().await;
    let metro = Selection {
        communes: Vec::new(),
        epcis: vec!["200054807".into()],
    };
    let p = territory::create(&t.app, None, "amp", "CPTS Métropole", &metro)
        .await
        .unwrap();
    assert_eq!(p.communes.len(), 92);
    assert!(p.communes.iter().any(|c| c.insee == "13055"));
    assert!(p.communes.iter().all(|c| c.kind == "commune"));
}
both!(an_epci_brings_its_communes_but_not_their_arrondissements);

async fn bad_codes_are_named_and_nothing_is_written(t: TestApp) {
    t.load_territory().await;
    let bad = Selection {
        communes: vec![
            "13015".into(),
            "99999".into(),
            "abc".into(),
            "13055".into(),
            "13201".into(),
        ],
        epcis: vec!["123".into(), "999999999".into()],
    };
    let Err(ServiceError::Invalid(errors)) =
        territory::create(&t.app, None, "x", "CPTS X", &bad).await
    else {
        panic!("refused")
    };
    let on_communes = errors.get("communes").unwrap();
    assert!(on_communes.contains("« abc »"), "{on_communes}");
    assert!(
        on_communes.contains("Commune inconnue : 99999"),
        "{on_communes}"
    );
    assert!(
        on_communes.contains("13055 et ses arrondissements"),
        "{on_communes}"
    );
    let on_epci = errors.get("epci").unwrap();
    assert!(on_epci.contains("« 123 »") && on_epci.contains("EPCI inconnu : 999999999"));
    // The CPTS was not created either: the whole change is one transaction.
    assert!(matches!(
        territory::show(&t.app, None, "x").await,
        Err(ServiceError::NotFound)
    ));
    let empty = territory::create(&t.app, None, "x", "CPTS X", &Selection::default()).await;
    let Err(ServiceError::Invalid(errors)) = empty else {
        panic!("an empty perimeter is refused")
    };
    assert!(
        errors
            .get("communes")
            .unwrap()
            .contains("au moins une commune")
    );
}
both!(bad_codes_are_named_and_nothing_is_written);

async fn the_api_reads_and_replaces_perimeters_for_those_allowed(t: TestApp) {
    t.load_territory().await;
    territory::create(&t.app, None, "a", "CPTS A", &communes(&["13015"]))
        .await
        .unwrap();
    territory::create(&t.app, None, "b", "CPTS B", &communes(&["67482"]))
        .await
        .unwrap();
    t.user("admin@hote.fr", "admin", "").await;
    t.user("medecin@a.fr", "member", "a").await;
    let member = token_of(&t, "medecin@a.fr").await;
    let admin = token_of(&t, "admin@hote.fr").await;

    let own: Value = api_get(&t, "/api/v1/cpts/a/territoire", &member)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["population"], 15_381);
    assert_eq!(own["communes"][0]["postcodes"], json!(["13320"]));
    let other = api_get(&t, "/api/v1/cpts/b/territoire", &member).await;
    assert_eq!(other.status(), 404);

    let put = |token: String, body: Value| {
        let url = t.url("/api/v1/cpts/a/territoire");
        async move {
            reqwest::Client::new()
                .put(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let by_member = put(member.clone(), json!({"communes": ["13019"]})).await;
    assert_eq!(by_member.status(), 404);
    let invalid = put(admin.clone(), json!({"communes": ["1301"]})).await;
    assert_eq!(invalid.status(), 422);
    let problem: Value = invalid.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "communes");
    let replaced: Value = put(admin, json!({"communes": ["13015", "13019"]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(replaced["population"], 15_381 + 10_240);

    let found: Value = api_get(&t, "/api/v1/communes?q=bouc%20bel", &member)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found[0]["insee"], "13015");
}
both!(the_api_reads_and_replaces_perimeters_for_those_allowed);

async fn an_administrator_edits_a_perimeter_in_the_pages(t: TestApp) {
    t.load_territory().await;
    t.cpts("a").await;
    t.user("admin@hote.fr", "admin", "").await;
    let client = t.client();
    t.login(&client, "admin@hote.fr", PASSWORD).await;
    let page_path = "/administration/cpts/a/perimetre";
    let search = t.page(&client, &format!("{page_path}?q=gardanne")).await;
    assert!(search.contains("13041") && search.contains("Gardanne"));
    let added = t
        .post_form(
            &client,
            page_path,
            &format!("{page_path}/ajout"),
            &[("insee", "13041"), ("q", "gardanne")],
        )
        .await;
    assert_eq!(added.status(), 303);
    let added = t
        .post_form(
            &client,
            page_path,
            &format!("{page_path}/ajout"),
            &[("epci", "12")],
        )
        .await;
    assert_eq!(added.status(), 422);
    let page = added.text().await.unwrap();
    assert!(page.contains("« 12 » n’est pas un numéro SIREN"));
    assert!(page.contains("Gardanne"), "the perimeter is kept");
    t.post_form(
        &client,
        page_path,
        &format!("{page_path}/ajout"),
        &[("insee", "13062")],
    )
    .await;
    let perimeter = territory::show(&t.app, None, "a").await.unwrap();
    assert_eq!(perimeter.communes.len(), 2);
    t.post_form(
        &client,
        page_path,
        &format!("{page_path}/retrait"),
        &[("insee", "13041")],
    )
    .await;
    let perimeter = territory::show(&t.app, None, "a").await.unwrap();
    let codes: Vec<&str> = perimeter
        .communes
        .iter()
        .map(|c| c.insee.as_str())
        .collect();
    assert_eq!(codes, ["13062"]);

    // An EPCI found by its name brings all its communes.
    let epcis = t
        .page(&client, &format!("{page_path}?q=aix%20marseille"))
        .await;
    assert!(
        epcis.contains("200054807") && epcis.contains("Ajouter les 92 communes"),
        "{epcis}"
    );
    t.post_form(
        &client,
        page_path,
        &format!("{page_path}/ajout"),
        &[("epci", "200054807")],
    )
    .await;
    let communes = territory::show(&t.app, None, "a").await.unwrap().communes;
    assert_eq!(communes.len(), 92, "Mimet was already in it");

    // A member sees the perimeter on the Territoire page, and not the editor.
    t.user("medecin@a.fr", "member", "a").await;
    let member = t.client();
    t.login(&member, "medecin@a.fr", PASSWORD).await;
    let page = t.page(&member, "/territoire").await;
    assert!(page.contains("Mimet"));
    let editor = member.get(t.url(page_path)).send().await.unwrap();
    assert_eq!(editor.status(), 404);
}
both!(an_administrator_edits_a_perimeter_in_the_pages);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn territory_create_and_show_from_the_command_line() {
    let Some(url) = crate::support::fresh_database(Backend::Sqlite).await else {
        return;
    };
    let created = maillage(
        &url,
        &[
            "territory",
            "create",
            "gardanne",
            "--name",
            "CPTS Gardanne",
            "--communes",
            "13041,13062",
        ],
        "",
    );
    assert!(created.status.success(), "{created:?}");
    let shown = maillage(&url, &["territory", "show", "gardanne", "--json"], "");
    let perimeter: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(perimeter["communes"].as_array().unwrap().len(), 2);
    assert_eq!(perimeter["communes"][1]["name"], "Mimet");
    let refused = maillage(
        &url,
        &[
            "territory",
            "create",
            "x",
            "--name",
            "X",
            "--communes",
            "13041,7",
        ],
        "",
    );
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("« 7 »"), "{message}");
}
