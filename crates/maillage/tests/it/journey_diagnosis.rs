//! A coordinator reads the « État des lieux » of their CPTS in headless Chromium: charts and
//! map drawn on the server, the map's indicator chosen without JavaScript, the report checked
//! with axe-core and kept as screenshots; the same report from the command line.

use crate::cli::maillage;
use crate::directory::import_sample;
use crate::journey::{start, without_second_factor};
use crate::support::PASSWORD;
use maillage_services::statistics::{ald, deaths, population_ages};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_reads_the_diagnosis_of_their_cpts_with_its_charts_and_map() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    t.load_territory().await;
    import_sample(&t).await;
    let sample = |name: &str| std::fs::read(format!("../../docs/formats/samples/{name}")).unwrap();
    population_ages::import(
        &t.app,
        "ages.csv",
        &sample("base-cc-evol-struct-pop-sample.csv"),
    )
    .await
    .unwrap();
    ald::import(&t.app, "ald.csv", &sample("ald-sample.csv"), "2023")
        .await
        .unwrap();
    deaths::import(
        &t.app,
        "deces.csv",
        &sample("deces-sample.csv"),
        "2015-2019",
    )
    .await
    .unwrap();
    t.aix_cpts("a", "CPTS du Pays d’Aix").await;
    t.user("coord@a.fr", "coordinator", "a").await;

    b.log_in("coord@a.fr", PASSWORD).await;
    b.open("/territoire").await;
    b.follow("État des lieux : population et offre de soins comparées au département, à la région et à la France").await;
    assert_eq!(b.path().await, "/territoire/a/diagnostic");
    let text = b.main_text().await;
    for expected in [
        "Pyramide des âges",
        "Densité de professionnels par territoire",
        "Modes d’exercice",
        "Spécialistes de second recours",
        "Affections de longue durée",
        "secret statistique",
        "significativement supérieur",
        "recensement de la population 2021",
    ] {
        assert!(text.contains(expected), "« {expected} » in {text}");
    }
    b.inspect("64-etat-des-lieux").await;

    // The map shows the mortality index once chosen, with its legend.
    b.select("carte", "mortalite").await;
    b.press("Afficher").await;
    let map = b.text_of("figure.map").await;
    assert!(map.contains("Indice comparatif de mortalité"), "{map}");
    b.inspect("65-etat-des-lieux-carte-mortalite").await;

    // The same report from the command line, one standalone document.
    let report = maillage(&t.db_url, &["diagnostic", "a", "--format", "html"], "");
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let html = String::from_utf8(report.stdout).unwrap();
    assert!(html.contains("<style>") && !html.contains("/static/app.css"));
    assert!(html.contains("État des lieux — CPTS du Pays d’Aix"));
    assert_eq!(
        html.matches("role=\"img\"").count(),
        3,
        "pyramid, densities and map"
    );
}
