//! A coordinator reads the « État des lieux » of their CPTS in headless Chromium: charts and
//! map drawn on the server, the map's indicator chosen without JavaScript, the report checked
//! with axe-core and kept as screenshots; the same report from the command line.

use crate::support::browser::{start, without_second_factor};
use crate::support::cli::maillage;
use crate::support::fixtures::directory::import_sample;
use crate::support::{PASSWORD, printed};
use maillage_services::diagnosis::statistics::{ald, deaths, population_ages};
use maillage_services::tools::demo;

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
        html.matches("aria-labelledby=\"chart-").count(),
        3,
        "pyramid, densities and map"
    );
    assert!(html.contains("@top-left { content: \"CPTS du Pays d’Aix — État des lieux\"; }"));
}

/// The demo's CPTS: twelve communes of the Bouches-du-Rhône, whose synthetic directory
/// covers that department only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_diagnosis_compares_what_it_can_and_prints_on_a4_with_every_column() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    t.load_territory().await;
    demo::ensure(&t.app, PASSWORD).await.unwrap();
    b.log_in("coordination@demo.maillage.test", PASSWORD).await;
    b.open("/territoire/demo/diagnostic").await;
    let text = b.main_text().await;
    assert!(
        text.contains(
            "Offre de soins non comparée avec : Provence-Alpes-Côte d'Azur, France \
             (annuaire importé : Bouches-du-Rhône seulement)"
        ),
        "{text}"
    );
    assert!(text.contains("Médecins généralistes"));
    // The map offers only the layers with data (no statistics in the demo), names each of
    // its twelve communes, and its legend is text of the page.
    let layers = b
        .client
        .execute(
            "return [...document.querySelectorAll('#carte option')].map(o => o.value);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(layers, serde_json::json!(["generalistes", "population"]));
    let named = b
        .client
        .execute(
            "return [...document.querySelectorAll('figure.map g[role=img] > title')]
                .map(t => t.textContent);",
            vec![],
        )
        .await
        .unwrap();
    let named: Vec<&str> = named
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(named.len(), 12, "{named:?}");
    assert!(
        named
            .iter()
            .any(|t| t.starts_with("Gardanne : ") && t.ends_with("pour 100\u{202f}000 habitants")),
        "{named:?}"
    );
    b.inspect("66-etat-des-lieux-demo").await;
    b.client.set_window_size(400, 900).await.unwrap();
    let legend_px = b
        .client
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('figure.map .legend li')).fontSize);",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        legend_px.as_f64().unwrap() >= 14.0,
        "legend at {legend_px} px on a phone"
    );
    b.client.set_window_size(1280, 900).await.unwrap();

    // Printed: A4, nothing cut at an edge, each page with its number, the CPTS and the date;
    // every commune in the per-commune table and in the specialists' table.
    let pages = printed::pages(&b.print_a4("etat-des-lieux-demo").await);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let today = t.app.today().french();
    for (i, page) in pages.iter().enumerate() {
        assert!((page.width - 595.3).abs() < 1.0 && (page.height - 841.9).abs() < 1.0);
        let cut = page.cut();
        assert!(cut.is_empty(), "page {}: cut off {cut:?}", i + 1);
        let text = page.text();
        for expected in [
            "CPTS de démonstration — État des lieux".to_owned(),
            format!("Établi le {today}"),
            format!("Page {} sur {}", i + 1, pages.len()),
        ] {
            assert!(
                text.contains(&expected),
                "page {}: « {expected} » in {text}",
                i + 1
            );
        }
        assert!(!text.contains("Mode démonstration"), "page {}", i + 1);
    }
    let all: String = pages.iter().map(|p| p.text() + " ").collect();
    let codes = demo::DEMO_COMMUNES.map(str::to_owned);
    let communes = maillage_store::territory::reference::communes_by_codes(
        &mut t.app.db.conn().await.unwrap(),
        &codes,
    )
    .await
    .unwrap();
    assert_eq!(communes.len(), 12);
    for name in communes.into_iter().map(|c| c.name) {
        // A long name wraps in a narrow heading: its first part is enough.
        let first = name.split_inclusive(['-', ' ']).next().unwrap().trim();
        assert!(
            all.matches(first).count() >= 2,
            "{name} in the per-commune table and the specialists' table"
        );
    }
    assert!(all.contains("Bouches-du-Rhône") && all.contains("Rapport"));
    assert!(all.contains("Offre de soins non comparée avec"));
}
