//! The diagnosis compares only what the imported directory covers: with one department
//! imported its region and France are not compared, and the report says why on the page,
//! in JSON and in CSV; with a directory that does not even cover the CPTS's department,
//! nothing is compared and the CPTS's own offer is said to be incomplete.

use crate::support::fixtures::directory::{
    ACTIVITY, covering_lines, extraction, import, import_accepting_departures,
};
use crate::support::fixtures::territory::AIX;
use crate::support::{PASSWORD, TestApp, api_get, both, token_of};
use serde_json::Value;

async fn only_the_areas_the_directory_covers_are_compared(t: TestApp) {
    t.load_territory().await;
    let activity = format!("{ACTIVITY}{}", covering_lines(|d| d == "13", &AIX));
    import(&t, &extraction(activity.as_bytes(), true), 0)
        .await
        .unwrap();
    t.aix_cpts("a", "CPTS A").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let token = token_of(&t, "coord@a.fr").await;
    let report: Value = api_get(&t, "/api/v1/cpts/a/diagnostic", &token)
        .await
        .json()
        .await
        .unwrap();
    let compared: Vec<(&str, bool)> = report["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let level = a["level"].as_str().unwrap();
            (level, a["offer_compared"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(
        compared,
        [
            ("cpts", true),
            ("departement", true),
            ("region", false),
            ("france", false)
        ]
    );
    let coverage = "annuaire importé : Bouches-du-Rhône seulement";
    assert_eq!(report["directory_coverage"], coverage);
    let gps = &report["offer"][0];
    assert_eq!(gps["label"], "Médecins généralistes");
    let figures = gps["figures"].as_array().unwrap();
    assert_eq!(figures[1]["professionals"], 2, "the department's GPs");
    for not_compared in &figures[2..] {
        assert!(
            not_compared["professionals"].is_null()
                && not_compared["density"].is_null()
                && not_compared["ratio"].is_null(),
            "{not_compared}"
        );
    }
    let why = format!(
        "Offre de soins non comparée avec : Provence-Alpes-Côte d'Azur, France ({coverage})."
    );
    let missing: Vec<&str> = report["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(missing.contains(&why.as_str()), "{missing:?}");

    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let page = t.page(&coord, "/territoire/a/diagnostic").await;
    let shown = page.replace("&#39;", "'").replace("&#x27;", "'");
    assert!(shown.contains(&why), "the page says why");
    let offer = page.split("<h2>Offre de soins</h2>").nth(1).unwrap();
    let offer = offer.split("<h3>").next().unwrap();
    assert!(offer.contains("colspan=\"2\">Bouches-du-Rhône</th>"));
    assert!(!offer.contains(">France</th>"), "no France column");
    let csv = t.page(&coord, "/territoire/a/diagnostic/offre.csv").await;
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(&format!("France : offre non comparée ({coverage})")),
        "{header}"
    );
    assert!(!header.contains("France : densité"), "{header}");

    // The sample alone covers no department: nothing is compared, and the CPTS's own offer
    // is said to be incomplete.
    import_accepting_departures(&t, &extraction(ACTIVITY.as_bytes(), true))
        .await
        .unwrap();
    let report: Value = api_get(&t, "/api/v1/cpts/a/diagnostic", &token)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        report["areas"]
            .as_array()
            .unwrap()
            .iter()
            .skip(1)
            .all(|a| a["offer_compared"] == false)
    );
    assert_eq!(
        report["directory_coverage"],
        "l’annuaire importé ne couvre aucun département"
    );
    let missing = report["missing"].to_string();
    assert!(
        missing.contains(
            "L’offre de soins de la CPTS est incomplète : l’annuaire importé ne couvre pas en entier Bouches-du-Rhône."
        ),
        "{missing}"
    );
}
both!(only_the_areas_the_directory_covers_are_compared);
