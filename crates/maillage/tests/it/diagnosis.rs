//! The diagnosis of a CPTS: counts of the sample directory, densities and ratios checked
//! against populations summed here from the shipped INSEE file, on the page, in CSV and in
//! the API; only those who see the CPTS read it.

use crate::support::fixtures::directory::{ACTIVITY, covering_lines, extraction, import};
use crate::support::fixtures::territory::AIX;
use crate::support::{PASSWORD, TestApp, api_get, both, token_of};
use serde_json::Value;

/// Populations from `data/territory/communes.csv`: of the communes `codes`, of the
/// department 13, of the region 93 and of France (communes, arrondissements aside).
fn populations(codes: &[&str]) -> (f64, f64, f64, f64) {
    let file = include_str!("../../../../data/territory/communes.csv");
    let (mut cpts, mut departement, mut region, mut france) = (0.0, 0.0, 0.0, 0.0);
    for line in file.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (insee, kind, dep, reg) = (fields[0], fields[1], fields[3], fields[4]);
        let population: f64 = fields[7].parse().unwrap_or(0.0);
        if codes.contains(&insee) {
            cpts += population;
        }
        if kind != "commune" {
            continue;
        }
        france += population;
        if dep == "13" {
            departement += population;
        }
        if reg == "93" {
            region += population;
        }
    }
    (cpts, departement, region, france)
}

fn close(actual: &Value, expected: f64) {
    let actual = actual.as_f64().unwrap();
    assert!(
        (actual - expected).abs() < 1e-9 * expected.max(1.0),
        "{actual} ≠ {expected}"
    );
}

async fn a_cpts_compares_its_offer_of_care_with_its_department_region_and_france(t: TestApp) {
    t.load_territory().await;
    // The sample, in a directory that covers France (as the national file does).
    let activity = format!("{ACTIVITY}{}", covering_lines(|_| true, &AIX));
    import(&t, &extraction(activity.as_bytes(), true), 0)
        .await
        .unwrap();
    t.aix_cpts("a", "CPTS A").await;
    t.aix_cpts("b", "CPTS B").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    let (cpts, departement, region, france) = populations(&AIX);

    let token = token_of(&t, "coord@a.fr").await;
    let report: Value = api_get(&t, "/api/v1/cpts/a/diagnostic", &token)
        .await
        .json()
        .await
        .unwrap();
    let levels: Vec<&str> = report["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["cpts", "departement", "region", "france"]);
    assert_eq!(report["areas"][1]["name"], "Bouches-du-Rhône");
    assert_eq!(report["areas"][0]["population"].as_f64().unwrap(), cpts);
    assert_eq!(report["areas"][3]["population"].as_f64().unwrap(), france);
    let line = |profession: &str, specialty: &str| {
        report["offer"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["profession"] == profession && l["specialty"] == specialty)
            .unwrap_or_else(|| panic!("a line {profession} {specialty}"))
            .clone()
    };

    // One GP in the CPTS, in the department, the region and France.
    let gps = line("10", "SM54");
    let figures = gps["figures"].as_array().unwrap();
    let counts: Vec<i64> = figures
        .iter()
        .map(|f| f["professionals"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 1, 1, 1]);
    close(&figures[0]["density"], 100_000.0 / cpts);
    close(&figures[1]["density"], 100_000.0 / departement);
    close(&figures[1]["ratio"], departement / cpts);
    close(&figures[2]["ratio"], region / cpts);
    close(&figures[3]["ratio"], france / cpts);
    assert!(figures[0]["ratio"].is_null());
    // A doctor with two sites in the CPTS counts once.
    assert_eq!(line("10", "SM53")["figures"][0]["professionals"], 1);
    // A dentist of Strasbourg: none in the CPTS, one in France.
    let elsewhere = line("40", "");
    let counts: Vec<i64> = elsewhere["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["professionals"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [0, 0, 0, 1]);
    close(&elsewhere["figures"][3]["ratio"], 0.0);
    assert!(
        report["missing"][0]
            .as_str()
            .unwrap()
            .starts_with("Données d’âge non importées")
    );

    // The page and the CSV say the same.
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let page = t.page(&coord, "/territoire/a/diagnostic").await;
    assert!(page.contains("État des lieux — CPTS A"));
    assert!(page.contains("Bouches-du-Rhône"));
    assert!(page.contains("Données d’âge non importées"));
    let csv = t.page(&coord, "/territoire/a/diagnostic/offre.csv").await;
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with(
        "\u{FEFF}Profession;Spécialité;Libellé;Second recours;CPTS A : professionnels;"
    ));
    let density = format!("{:.1}", 100_000.0 / cpts).replace('.', ",");
    let gp_line = csv.lines().find(|l| l.starts_with("10;SM54;")).unwrap();
    assert!(gp_line.contains(";non;1;"), "{gp_line}");
    assert!(gp_line.contains(&format!(";1;{density};1;")), "{gp_line}");

    // Another CPTS's coordinator does not read it.
    let other = token_of(&t, "coord@b.fr").await;
    let response = api_get(&t, "/api/v1/cpts/a/diagnostic", &other).await;
    assert_eq!(response.status(), 404);
}
both!(a_cpts_compares_its_offer_of_care_with_its_department_region_and_france);
