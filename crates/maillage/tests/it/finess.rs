//! Importing the FINESS file: Latin-1 rows, INSEE codes rebuilt (overseas too), Lambert-93
//! positions converted to WGS84 against a published control point, bad lines named,
//! re-imports that keep the register current.

use crate::support::fixtures::directory::{
    SAMPLE, VIRIAT, file_with, import_finess_file, import_sample,
};
use crate::support::{TestApp, both};
use maillage_services::ServiceError;
use maillage_services::directory::finess::{FinessReport, import_finess};
use maillage_services::directory::import::ImportOptions;
use maillage_services::directory::safeguards::DepartureLimit;
use maillage_store::directory::establishments::by_finess;

/// Imports the file at `path` accepting every departure, as `--accept-departures`.
async fn import_accepting_departures(t: &TestApp, path: &std::path::Path) -> FinessReport {
    let options = ImportOptions {
        max_errors: 0,
        max_departures: DepartureLimit::ANY,
    };
    import_finess(&t.app, path, &options).await.unwrap()
}

async fn establishments_are_placed_and_named_as_published(t: TestApp) {
    let report = import_finess_file(&t, &file_with(VIRIAT), 0).await.unwrap();
    assert_eq!(
        (report.establishments, report.positioned, report.refused),
        (7, 6, 0)
    );
    let mut conn = t.app.db.conn().await.unwrap();
    let viriat = by_finess(&mut conn, "010000024").await.unwrap().unwrap();
    assert_eq!(viriat.commune.as_deref(), Some("01451"));
    assert!(
        (viriat.latitude.unwrap() - 46.22229).abs() < 1e-4,
        "{viriat:?}"
    );
    assert!(
        (viriat.longitude.unwrap() - 5.20918).abs() < 1e-4,
        "{viriat:?}"
    );
    assert_eq!(
        (viriat.postcode.as_str(), viriat.city.as_str()),
        ("01440", "VIRIAT")
    );
    let reunion = by_finess(&mut conn, "9D0000001").await.unwrap().unwrap();
    assert_eq!(reunion.commune.as_deref(), Some("97411"));
    assert_eq!(reunion.latitude, None, "no position given, none guessed");
    let ehpad = by_finess(&mut conn, "670099704").await.unwrap().unwrap();
    assert_eq!(
        ehpad.category_label,
        "Etablissement d'hébergement pour personnes âgées dépendantes"
    );
    drop(conn);

    // The sample alone later: the two extra establishments would become inactive, more
    // than the 5 % allowed by default; accepted, they do.
    let plain = file_with("");
    let Err(ServiceError::Import(message)) = import_finess_file(&t, &plain, 0).await else {
        panic!("two of seven establishments leaving are refused");
    };
    assert!(
        message.contains("inactifs 2 des 7 établissements actifs (28,6 %)"),
        "{message}"
    );
    let again = import_accepting_departures(&t, &plain).await;
    assert_eq!((again.establishments, again.deactivated), (5, 2));
}
both!(establishments_are_placed_and_named_as_published);

async fn bad_finess_lines_are_named_and_over_budget_nothing_is_written(t: TestApp) {
    let bad = "structureet;12345;trop court\ngeolocalisation;999999999;1;2;EPSG:2154;2026-01-01\nautre;ligne\n";
    let Err(ServiceError::Import(message)) = import_finess_file(&t, &file_with(bad), 2).await
    else {
        panic!("three bad lines exceed a budget of two");
    };
    assert!(
        message.contains("ligne 12 : 3 champs au lieu de 32"),
        "{message}"
    );
    assert!(
        message.contains("ligne 13, colonne « nofinesset » : établissement « 999999999 » absent"),
        "{message}"
    );
    assert!(
        message.contains("ligne 14 : type de ligne inconnu « autre »"),
        "{message}"
    );
    let mut conn = t.app.db.conn().await.unwrap();
    assert!(
        by_finess(&mut conn, "670099902").await.unwrap().is_none(),
        "nothing written"
    );
    drop(conn);
    let not_finess =
        std::env::temp_dir().join(format!("maillage-pas-finess-{}.csv", std::process::id()));
    std::fs::write(&not_finess, "nom;ville\nA;B\n").unwrap();
    let Err(ServiceError::Import(message)) = import_finess_file(&t, &not_finess, 100).await else {
        panic!("refused");
    };
    assert!(
        message.contains("ce n’est pas un fichier FINESS"),
        "{message}"
    );
}
both!(bad_finess_lines_are_named_and_over_budget_nothing_is_written);

async fn active_establishments(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM establishments WHERE active = 1")
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
}

/// A file holding only its marker line changes nothing; an establishment whose line is
/// refused stays as it was.
async fn a_finess_file_never_wipes_nor_half_applies_the_register(t: TestApp) {
    import_finess_file(&t, &file_with(""), 0).await.unwrap();
    assert_eq!(active_establishments(&t).await, 5);
    let marker_only: Vec<u8> = SAMPLE.split(|&b| b == b'\n').next().unwrap().to_vec();
    let path = file_with("");
    std::fs::write(&path, [marker_only, b"\n".to_vec()].concat()).unwrap();
    let Err(ServiceError::Import(message)) = import_finess_file(&t, &path, 100).await else {
        panic!("a marker line alone is refused");
    };
    assert!(
        message.contains("aucune ligne de données après son en-tête"),
        "{message}"
    );
    assert_eq!(active_establishments(&t).await, 5);

    // The Neudorf hospital's line cut short: it keeps its name and stays active.
    let cut: Vec<u8> = SAMPLE
        .split(|&b| b == b'\n')
        .map(|line| {
            match line.windows(9).any(|w| w == b"670099902") && line.starts_with(b"structureet") {
                true => line[..40].to_vec(),
                false => line.to_vec(),
            }
        })
        .collect::<Vec<_>>()
        .join(&b'\n');
    std::fs::write(&path, cut).unwrap();
    let report = import_finess_file(&t, &path, 100).await.unwrap();
    // Its position line is refused too, naming a hospital the file no longer describes.
    assert_eq!((report.refused, report.kept, report.deactivated), (2, 1, 0));
    assert_eq!(active_establishments(&t).await, 5);
    let mut conn = t.app.db.conn().await.unwrap();
    let kept = by_finess(&mut conn, "670099902").await.unwrap().unwrap();
    assert_eq!(kept.long_name, "CENTRE HOSPITALIER FICTIF DU NEUDORF");
}
both!(a_finess_file_never_wipes_nor_half_applies_the_register);

/// The Bundle a FHIR search answers.
async fn organizations(t: &TestApp, path: &str) -> serde_json::Value {
    let response = reqwest::get(t.url(path)).await.unwrap();
    response.json().await.unwrap()
}

/// A structure of the directory that the FINESS file knows is served as an Organization
/// under the file's own name, category, address and phone, its declared name kept as an
/// alias; closed establishments are no longer described.
async fn the_finess_file_describes_the_directorys_establishments(t: TestApp) {
    t.load_territory().await;
    import_sample(&t).await;
    import_finess_file(&t, &file_with(""), 0).await.unwrap();
    let path = "/fhir/r4/Organization?identifier=https://finess.esante.gouv.fr|670099902";
    let bundle = organizations(&t, path).await;
    assert_eq!(bundle["total"], 1);
    let org = &bundle["entry"][0]["resource"];
    assert_eq!(org["name"], "CENTRE HOSPITALIER FICTIF DU NEUDORF");
    assert_eq!(org["alias"][0], "CH FICTIF DU NEUDORF");
    assert_eq!(org["address"][0]["city"], "STRASBOURG CEDEX");
    assert_eq!(org["address"][0]["postalCode"], "67000");
    assert_eq!(org["telecom"][0]["value"], "0300000001");
    let categories: Vec<&serde_json::Value> = org["type"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["coding"].as_array().unwrap())
        .filter(|c| c["system"].as_str().unwrap().contains("TRE_R66"))
        .collect();
    assert_eq!(categories.len(), 1);
    assert_eq!(categories[0]["code"], "355");

    // A later FINESS file without it: the directory's own description comes back.
    let without: String = String::from_utf8_lossy(SAMPLE)
        .lines()
        .filter(|line| !line.contains("670099902"))
        .map(|line| format!("{line}\n"))
        .collect();
    let path_without = file_with("");
    std::fs::write(
        &path_without,
        without.chars().map(|c| c as u8).collect::<Vec<u8>>(),
    )
    .unwrap();
    import_accepting_departures(&t, &path_without).await;
    let bundle = organizations(&t, path).await;
    let org = &bundle["entry"][0]["resource"];
    assert_eq!(org["name"], "CH FICTIF DU NEUDORF");
    assert!(org.get("telecom").is_none());
}
both!(the_finess_file_describes_the_directorys_establishments);
