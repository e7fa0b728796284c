//! The diagnosis with the statistical files imported: ages (INSEE « base-cc » layout), ALD and
//! deaths from the documented samples; shares, prevalences and comparative mortality indices
//! checked against values computed by hand (and exact Poisson limits computed apart); small
//! counts masked; bad files refused by line with nothing written; what is missing said.

use crate::support::fixtures::diagnosis::{AGES, ALD, DEATHS};
use crate::support::fixtures::directory::{
    ACTIVITY, covering_lines, extraction, import, import_sample,
};
use crate::support::fixtures::territory::AIX;
use crate::support::{TestApp, api_get, both, token_of};
use maillage_services::ServiceError;
use maillage_services::diagnosis::statistics::{ald, deaths, population_ages};
use serde_json::Value;

fn close(actual: &Value, expected: f64, tolerance: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{actual} is a number"));
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} ≠ {expected}"
    );
}

/// The legal population of the communes `codes`, from the shipped file.
fn legal_population(codes: &[&str]) -> f64 {
    include_str!("../../../../data/territory/communes.csv")
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            codes
                .contains(&fields[0])
                .then(|| fields[7].parse::<f64>().unwrap())
        })
        .sum()
}

fn messages(error: ServiceError) -> Vec<String> {
    match error {
        ServiceError::Invalid(errors) => errors.iter().map(|e| e.message.clone()).collect(),
        other => panic!("a refused file, not {other:?}"),
    }
}

async fn report(t: &TestApp, token: &str) -> Value {
    api_get(t, "/api/v1/cpts/a/diagnostic", token)
        .await
        .json()
        .await
        .unwrap()
}

async fn the_diagnosis_reads_ages_ald_and_deaths_and_masks_small_counts(t: TestApp) {
    t.load_territory().await;
    import_sample(&t).await;
    t.aix_cpts("a", "CPTS A").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let token = token_of(&t, "coord@a.fr").await;

    // Nothing imported: each missing file is named.
    let before = report(&t, &token).await;
    let missing = before["missing"].to_string();
    for absent in [
        "Données d’âge non importées",
        "Données d’ALD non importées",
        "Données de décès non importées",
    ] {
        assert!(missing.contains(absent), "{missing}");
    }
    assert!(before["areas"][0]["ages"].is_null());
    assert_eq!(before["ald"], Value::Array(vec![]));

    let imported = population_ages::import(&t.app, "ages.csv", AGES.as_bytes())
        .await
        .unwrap();
    assert_eq!(imported.vintage, "recensement de la population 2021");
    assert_eq!(imported.skipped, ["99999"], "an unknown commune is skipped");
    assert_eq!(imported.rows, 5 * 12);
    ald::import(&t.app, "ald.csv", ALD.as_bytes(), "2023")
        .await
        .unwrap();
    deaths::import(&t.app, "deces.csv", DEATHS.as_bytes(), "2015-2019")
        .await
        .unwrap();
    let after = report(&t, &token).await;
    assert!(
        !after["missing"].to_string().contains("non importées"),
        "{}",
        after["missing"]
    );
    let sources = after["sources"].to_string();
    assert!(sources.contains("« ald.csv », 2023"), "{sources}");
    assert!(sources.contains("recensement de la population 2021"));

    // Ages: the CPTS has 2,300 people in each of the first five bands and 1,800 aged 75+.
    let cpts = &after["areas"][0]["ages"];
    close(&cpts["total"], 13_300.0, 1e-9);
    close(&cpts["share_0_14"], 2_300.0 * 100.0 / 13_300.0, 1e-9);
    close(&cpts["share_60_plus"], 4_100.0 * 100.0 / 13_300.0, 1e-9);
    close(&cpts["share_75_plus"], 1_800.0 * 100.0 / 13_300.0, 1e-9);
    assert_eq!(cpts["men"][5], 650.0);
    // The region sums its communes of the file (Marseille's 20,000 a band included).
    let region = &after["areas"][2];
    assert_eq!(region["level"], "region");
    close(&region["ages"]["total"], 5.0 * 22_300.0 + 21_800.0, 1e-9);
    close(
        &after["communes"][1]["ages"]["share_75_plus"],
        100.0 / 6.0,
        1e-9,
    );

    // ALD: the CPTS sums its three communes; 7 patients are masked, and 150 with them.
    let line = &after["ald"][0];
    assert_eq!(line["ald"], "toutes ALD");
    let population = legal_population(&["13001", "13015", "13019"]);
    assert_eq!(line["figures"][0]["patients"], 2_157);
    close(
        &line["figures"][0]["prevalence"],
        2_157.0 * 100.0 / population,
        1e-9,
    );
    let departement = after["areas"][1]["population"].as_f64().unwrap();
    close(
        &line["figures"][1]["prevalence"],
        400_000.0 * 100.0 / departement,
        1e-9,
    );
    close(
        &line["figures"][1]["ratio"],
        (2_157.0 / population) / (400_000.0 / departement),
        1e-9,
    );
    let communes = &line["communes"];
    assert_eq!(communes[0]["patients"], 2_000);
    for masked in [&communes[1], &communes[2]] {
        assert!(masked["patients"].is_null() && masked["prevalence"].is_null());
        assert_eq!(masked["note"], "secret statistique");
    }

    // Mortality against region 93's rates (1 % at 60–74, 10 % at 75+): Aix expects
    // 2,000 × 0.01 + 1,500 × 0.1 = 170 deaths and had 204: index 120.
    let deaths = &after["mortality"][0];
    assert_eq!(deaths["cause"], "toutes causes");
    let aix = &deaths["communes"][0];
    assert_eq!(aix["observed"], 204);
    close(&aix["expected"], 170.0, 1e-9);
    close(&aix["index"], 120.0, 1e-9);
    // Exact Poisson limits of 204, computed apart by bisection on the Poisson distribution.
    close(&aix["lower"], 104.0970, 1e-3);
    close(&aix["upper"], 137.6454, 1e-3);
    assert_eq!(aix["significance"], "above");
    // Bouc-Bel-Air's 5 deaths are masked, and Cabriès's 0 with them; expected deaths stay.
    let bouc = &deaths["communes"][1];
    assert!(bouc["observed"].is_null() && bouc["index"].is_null());
    close(&bouc["expected"], 22.0, 1e-9);
    assert_eq!(deaths["communes"][2]["note"], "secret statistique");
    // The CPTS: 209 observed for 203 expected, not significantly different.
    let whole = &deaths["cpts"];
    close(&whole["index"], 209.0 * 100.0 / 203.0, 1e-9);
    close(&whole["lower"], 89.4699, 1e-3);
    close(&whole["upper"], 117.9003, 1e-3);
    assert_eq!(whole["significance"], "not_significant");

    // A wrong file is refused by line and column, and the stored figures stay.
    let bad = "niveau;code;ald;patients\n\
               commune;13001;toutes ALD;douze\n\
               canton;13;toutes ALD;5\n\
               commune;13015;toutes ALD;150\n\
               commune;13015;toutes ALD;151\n";
    let refused = ald::import(&t.app, "mauvais.csv", bad.as_bytes(), "2024")
        .await
        .unwrap_err();
    assert_eq!(
        messages(refused),
        [
            "Ligne 2 : patients — « douze » n’est pas un nombre entier positif.",
            "Ligne 3 : niveau — « canton » : commune, departement, region ou france.",
            "Ligne 5 : même niveau, code et ALD que la ligne 4.",
        ]
    );
    let missing_column = deaths::import(
        &t.app,
        "d.csv",
        b"niveau;code;age;deces\ncommune;13001;75+;3\n",
        "2020",
    )
    .await
    .unwrap_err();
    assert_eq!(
        messages(missing_column),
        ["Ligne 1 : colonne « cause » manquante."]
    );
    let not_base_cc = population_ages::import(&t.app, "x.csv", b"CODGEO;POP\n13001;5\n")
        .await
        .unwrap_err();
    assert!(messages(not_base_cc)[0].contains("« P21_H0014 »"));
    let kept = report(&t, &token).await;
    assert_eq!(kept["ald"][0]["figures"][0]["patients"], 2_157);
    assert!(kept["sources"].to_string().contains("« ald.csv », 2023"));
    assert_eq!(t.audited("statistics.import").await, 3);

    // An age file without one of the CPTS's communes gives no structure for the CPTS,
    // and says which commune is missing; deaths then lack a region rate for no commune.
    let without_cabries: String = AGES
        .lines()
        .filter(|l| !l.starts_with("13019"))
        .map(|l| format!("{l}\n"))
        .collect();
    population_ages::import(&t.app, "ages.csv", without_cabries.as_bytes())
        .await
        .unwrap();
    let partial = report(&t, &token).await;
    assert!(partial["areas"][0]["ages"].is_null());
    assert!(
        partial["missing"]
            .to_string()
            .contains("Population par âge absente du fichier importé pour : Cabriès")
    );
    assert_eq!(
        partial["mortality"][0]["communes"][2]["note"],
        "population par âge non importée"
    );
    assert_eq!(
        partial["mortality"][0]["cpts"]["note"],
        "population par âge non importée"
    );
}
both!(the_diagnosis_reads_ages_ald_and_deaths_and_masks_small_counts);

/// The offer per commune and by mode of practice: Aline Arbousier practises in Aix
/// (liberal) and in Bouc-Bel-Air (here salaried): one GP for the CPTS, mixed, one in each
/// commune.
async fn the_offer_is_given_per_commune_and_by_mode_of_practice(t: TestApp) {
    t.load_territory().await;
    let mut lines = ACTIVITY.lines();
    let header = lines.next().unwrap();
    let mut changed = vec![header.to_owned()];
    let mut second_site = false;
    for line in lines {
        if line.contains("|ARBOUSIER|") && line.contains("|13320|") {
            changed.push(line.replacen("|L|Libéral|", "|S|Salarié|", 1));
            second_site = true;
        } else {
            changed.push(line.to_owned());
        }
    }
    assert!(
        second_site
            && changed
                .iter()
                .any(|l| l.contains("|ARBOUSIER|") && l.contains("|S|Salarié|"))
    );
    // In a directory that covers France, so that the Strasbourg cardiologist's line shows.
    let activity = format!("{}\n{}", changed.join("\n"), covering_lines(|_| true, &AIX));
    import(&t, &extraction(activity.as_bytes(), true), 0)
        .await
        .unwrap();
    t.aix_cpts("a", "CPTS A").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    // Gilles Restanque, a member GP of Cabriès, takes 4 new patients a month.
    sqlx::query(
        "INSERT INTO members (cpts_id, professional_id, accepts_new_patients, \
         new_patients_per_month, created_at, updated_at) SELECT c.id, p.id, 1, 4, 0, 0 \
         FROM cpts c, professionals p WHERE c.slug = 'a' AND p.national_id = '810000000074'",
    )
    .execute(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    let token = token_of(&t, "coord@a.fr").await;
    let after = report(&t, &token).await;
    let line = |profession: &str, specialty: &str| {
        after["offer"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["profession"] == profession && l["specialty"] == specialty)
            .unwrap()
            .clone()
    };
    let aline = line("10", "SM53");
    assert_eq!(aline["figures"][0]["professionals"], 1);
    assert_eq!(aline["communes"], serde_json::json!([1, 1, 0]));
    assert_eq!(
        aline["modes"],
        serde_json::json!({"liberal": 0, "salaried": 0, "mixed": 1})
    );
    assert_eq!(aline["second_recourse"], false);
    let gilles = line("10", "SM54");
    assert_eq!(gilles["communes"], serde_json::json!([0, 0, 1]));
    assert_eq!(gilles["modes"]["liberal"], 1);
    // A cardiologist of Strasbourg: second recourse, none in the CPTS.
    let cardiology = line("10", "SM04");
    assert_eq!(cardiology["second_recourse"], true);
    assert_eq!(cardiology["communes"], serde_json::json!([0, 0, 0]));
    assert_eq!(
        after["accepting_gps"],
        serde_json::json!({"gps": 1, "places_per_month": 4})
    );
}
both!(the_offer_is_given_per_commune_and_by_mode_of_practice);
