//! The indicators of every commune of France: each commune of the sample CPTS has the
//! figures its diagnosis gives (offer, ages, ALD, mortality, masking), a site in an
//! arrondissement counts for its city, and the synthetic statistical files the benchmark
//! uses are deterministic and imported whole.

use crate::support::fixtures::diagnosis::{AGES, ALD, DEATHS};
use crate::support::fixtures::directory::{extraction, import, sample_moved};
use crate::support::{TestApp, both};
use maillage_services::diagnosis::statistics::{ald, deaths, population_ages};
use maillage_services::diagnosis::{self, france, tables};
use maillage_services::reference::statistics_communes;
use maillage_services::tools::synth::statistics::write_statistics;

/// Current communes (not arrondissements) in the shipped territory.
fn shipped_communes() -> usize {
    include_str!("../../../../data/territory/communes.csv")
        .lines()
        .filter(|l| l.split(',').nth(1) == Some("commune"))
        .count()
}

async fn import_statistics(t: &TestApp, ages: &[u8], ald_file: &[u8], deaths_file: &[u8]) {
    population_ages::import(&t.app, "ages.csv", ages)
        .await
        .unwrap();
    ald::import(&t.app, "ald.csv", ald_file, "2023")
        .await
        .unwrap();
    deaths::import(&t.app, "deces.csv", deaths_file, "2015-2019")
        .await
        .unwrap();
}

async fn every_commune_of_france_has_the_figures_of_its_diagnosis(t: TestApp) {
    t.load_territory().await;
    // Inès Nougatier's site moves from Strasbourg to Marseille's 1st arrondissement.
    let moved = sample_moved(
        "NOUGATIER",
        "|67482|Strasbourg|",
        "|13201|Marseille 1er Arrondissement|",
    );
    import(&t, &extraction(moved.as_bytes(), true), 0)
        .await
        .unwrap();
    t.aix_cpts("a", "CPTS A").await;
    import_statistics(&t, AGES.as_bytes(), ALD.as_bytes(), DEATHS.as_bytes()).await;

    let cpts = diagnosis::diagnosis(&t.app, None, "a").await.unwrap();
    let all = france::indicators(&t.app).await.unwrap();
    assert_eq!(all.communes.len(), shipped_communes());
    assert!(
        !all.synthetic && all.missing.is_empty(),
        "{:?}",
        all.missing
    );
    let of = |insee: &str| all.communes.iter().find(|c| c.insee == insee).unwrap();

    for (i, commune) in cpts.communes.iter().enumerate() {
        let figures = of(&commune.insee);
        assert_eq!(Some(figures.population), commune.population);
        // Professionals of each kind, as the diagnosis counts them in the commune.
        for line in &cpts.offer {
            let kind = all.kinds.iter().position(|k| {
                (k.kind, &k.profession, &k.specialty)
                    == (line.kind, &line.profession, &line.specialty)
            });
            let counted = kind.map_or(0, |k| figures.professionals[k]);
            assert_eq!(
                counted, line.communes[i],
                "{} in {}",
                line.label, commune.name
            );
        }
        let shares = figures.ages.unwrap();
        let own = commune.ages.as_ref().unwrap();
        assert_eq!(shares.share_75_plus, own.share_75_plus);
        // ALD and mortality, masked alike: Bouc-Bel-Air and Cabriès are the only communes
        // of the Bouches-du-Rhône in the files, as they are the CPTS's masked ones.
        let patients = |f: &diagnosis::ald::AldFigure| (f.patients, f.prevalence, f.note);
        assert_eq!(
            patients(&figures.ald[0]),
            patients(&cpts.ald[0].communes[i])
        );
        let index = |f: &diagnosis::mortality::IndexFigure| (f.observed, f.index, f.upper, f.note);
        assert_eq!(
            index(&figures.mortality[0]),
            index(&cpts.mortality[0].communes[i])
        );
    }
    let aix = of("13001");
    assert_eq!(all.causes, ["toutes causes"]);
    assert_eq!(aix.mortality[0].index, Some(120.0));
    assert_eq!(aix.ald[0].patients, Some(2_000));
    assert_eq!(of("13015").ald[0].note, Some("secret statistique"));

    // Marseille counts its arrondissement's orthodontist, Strasbourg no longer does.
    let dentists = all.kinds.iter().position(|k| k.profession == "40").unwrap();
    assert_eq!(of("13055").professionals[dentists], 1);
    assert_eq!(of("67482").professionals[dentists], 0);
    // A commune in none of the files: no ages, and each figure says why.
    let elsewhere = of("01001");
    assert!(elsewhere.ages.is_none());
    assert_eq!(elsewhere.ald[0].note, Some("absent du fichier"));
    assert_eq!(elsewhere.mortality[0].note, Some("absent du fichier"));

    // A CPTS naming Marseille counts the sites of its arrondissements.
    let marseille = maillage_services::territory::Selection {
        communes: vec!["13055".into()],
        epcis: Vec::new(),
    };
    maillage_services::territory::create(&t.app, None, "m", "CPTS M", &marseille)
        .await
        .unwrap();
    let of_marseille = diagnosis::diagnosis(&t.app, None, "m").await.unwrap();
    let line = of_marseille
        .offer
        .iter()
        .find(|l| l.profession == "40")
        .unwrap();
    assert_eq!((line.in_cpts(), line.communes[0]), (1, 1));

    let csv = tables::france_csv(&all);
    let header = csv.lines().next().unwrap();
    assert!(header.contains("toutes causes : ICM"), "{header}");
    let aix_line = csv.lines().find(|l| l.starts_with("13001;")).unwrap();
    assert!(aix_line.contains(";120,0;"), "{aix_line}");
    assert_eq!(csv.lines().count(), shipped_communes() + 1);
}
both!(every_commune_of_france_has_the_figures_of_its_diagnosis);

/// The benchmark's synthetic files: the same seed writes the same bytes, every line is
/// accepted, and each region's deaths are its communes'.
async fn synthetic_statistics_are_deterministic_and_imported_whole(t: TestApp) {
    t.load_territory().await;
    let communes = statistics_communes(|_, departement| departement == "13").unwrap();
    let backend = format!("{:?}", t.app.db.backend());
    let folder = |n: &str| {
        let name = format!("maillage-stats-{}-{backend}-{n}", std::process::id());
        let dir = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    };
    let (first, second) = (folder("a"), folder("b"));
    let files = write_statistics(&communes, 7, &first).unwrap();
    let again = write_statistics(&communes, 7, &second).unwrap();
    for (a, b) in [
        (&files.population_ages, &again.population_ages),
        (&files.ald, &again.ald),
        (&files.deaths, &again.deaths),
    ] {
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }
    let read = |path: &std::path::Path| std::fs::read(path).unwrap();
    let ages = population_ages::import(&t.app, "ages.csv", &read(&files.population_ages))
        .await
        .unwrap();
    assert_eq!((ages.rows, ages.skipped.len()), (communes.len() * 12, 0));
    import_statistics(
        &t,
        &read(&files.population_ages),
        &read(&files.ald),
        &read(&files.deaths),
    )
    .await;
    let deaths_file = String::from_utf8(read(&files.deaths)).unwrap();
    let total = |level: &str| -> i64 {
        deaths_file
            .lines()
            .filter(|l| l.starts_with(&format!("{level};")) && l.contains(";toutes causes;"))
            .map(|l| l.rsplit(';').next().unwrap().parse::<i64>().unwrap())
            .sum()
    };
    assert!(total("commune") > 0);
    assert_eq!(total("commune"), total("region"));
    let all = france::indicators(&t.app).await.unwrap();
    let published = all
        .communes
        .iter()
        .filter(|c| c.departement == "13" && c.mortality[0].index.is_some())
        .count();
    assert!(
        published > 50,
        "{published} indices published in the Bouches-du-Rhône"
    );
    std::fs::remove_dir_all(first).unwrap();
    std::fs::remove_dir_all(second).unwrap();
}
both!(synthetic_statistics_are_deterministic_and_imported_whole);
