//! Calibration tests of the synthetic directory (densities, liberal shares, towns) and an
//! ignored France-scale run for timing.

use super::tests::{ROOT, commune, generate, temp_dir};
use super::{SynthOptions, write_annuaire};
use maillage_domain::directory::general_practice::{PHYSICIAN, is_general_practitioner};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Ten departments of about 194,000 inhabitants: one town, four small towns, twenty
/// villages of 2,500 and sixty of 600.
fn two_million() -> SynthOptions {
    let mut communes = Vec::new();
    for d in 0..10 {
        let dep = format!("{:02}", 10 + d);
        let sizes = [60_000]
            .into_iter()
            .chain([12_000; 4])
            .chain([2_500; 20])
            .chain([600; 60]);
        for (i, population) in sizes.enumerate() {
            let insee = format!("{dep}{:03}", i + 1);
            communes.push(commune(
                &insee,
                &format!("Commune {insee}"),
                &format!("{dep}000"),
                &dep,
                population,
            ));
        }
    }
    SynthOptions {
        seed: 2026,
        communes,
        timestamp: "202601010000".into(),
    }
}

#[test]
fn densities_match_the_national_figures() {
    let options = two_million();
    let inhabitants: i64 = options.communes.iter().map(|c| c.population).sum();
    let population: BTreeMap<String, i64> = options
        .communes
        .iter()
        .map(|c| (c.insee.clone(), c.population))
        .collect();
    let (summary, activity, _, dir) = generate(&options, "calibration");
    // Per professional: profession, savoir-faire, modes and communes of its rows.
    let mut people: BTreeMap<String, (String, String, BTreeSet<String>, Vec<String>)> =
        BTreeMap::new();
    for line in activity.lines().skip(1) {
        let f: Vec<&str> = line.split('|').collect();
        let entry = people.entry(f[1].to_owned()).or_insert_with(|| {
            (
                f[9].to_owned(),
                f[15].to_owned(),
                BTreeSet::new(),
                Vec::new(),
            )
        });
        entry.2.insert(f[17].to_owned());
        entry.3.push(f[36].to_owned());
    }
    assert_eq!(people.len() as u64, summary.professionals);
    let per_100k = |n: usize| n as f64 * 100_000.0 / inhabitants as f64;
    let gps: Vec<_> = people
        .values()
        .filter(|p| is_general_practitioner(&p.0, &p.1))
        .collect();
    let gp_density = per_100k(gps.len());
    assert!(
        (gp_density / 149.0 - 1.0).abs() < 0.05,
        "GPs per 100,000: {gp_density}"
    );
    let liberal_only = gps
        .iter()
        .filter(|p| p.2.len() == 1 && p.2.contains("L"))
        .count();
    let liberal_share = liberal_only as f64 / gps.len() as f64;
    assert!(
        (liberal_share - 0.57).abs() < 0.03,
        "liberal GPs: {liberal_share}"
    );
    let liberal_nurses = people
        .values()
        .filter(|p| p.0 == "60" && p.2.contains("L"))
        .count();
    let nurse_density = per_100k(liberal_nurses);
    assert!(
        (nurse_density / 146.0 - 1.0).abs() < 0.05,
        "liberal nurses: {nurse_density}"
    );
    // Specialists are denser, per inhabitant, in communes over 10,000 inhabitants.
    let (mut towns, mut villages) = (0.0, 0.0);
    for p in people
        .values()
        .filter(|p| p.0 == PHYSICIAN && !is_general_practitioner(&p.0, &p.1))
    {
        let Some(&size) = p.3.first().and_then(|c| population.get(c)) else {
            continue;
        };
        if size > 10_000 {
            towns += 1.0
        } else {
            villages += 1.0
        }
    }
    let town_people: i64 = options
        .communes
        .iter()
        .filter(|c| c.population > 10_000)
        .map(|c| c.population)
        .sum();
    let ratio = (towns / town_people as f64) / (villages / (inhabitants - town_people) as f64);
    assert!(
        ratio > 2.0,
        "specialists per inhabitant, towns / villages: {ratio}"
    );
    // About 8 % of the professionals with a liberal row have two liberal sites.
    let liberal: Vec<_> = people
        .values()
        .filter(|p| p.2.contains("L") && p.0 != "21")
        .collect();
    let two_sites = liberal
        .iter()
        .filter(|p| p.3.len() - usize::from(p.2.contains("S")) >= 2)
        .count();
    let share = two_sites as f64 / liberal.len() as f64;
    assert!((share - 0.08).abs() < 0.015, "two practice sites: {share}");
    std::fs::remove_dir_all(dir).expect("cleanup");
}

/// France at scale, from the shipped territory reference: `cargo test -p
/// maillage-services synth::tests::france -- --ignored --nocapture`.
#[test]
#[ignore = "writes about 500 MB"]
fn france() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("data/territory/communes.csv"))
        .expect("communes");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let communes = reader
        .records()
        .map(|r| r.expect("record"))
        .filter(|r| &r[1] == "commune")
        .map(|r| {
            commune(
                &r[0],
                &r[2],
                r[6].get(..5).unwrap_or(""),
                &r[3],
                r[7].parse().unwrap_or(0),
            )
        })
        .collect();
    let options = SynthOptions {
        seed: 1,
        communes,
        timestamp: "202601010000".into(),
    };
    let dir = temp_dir("france");
    let start = std::time::Instant::now();
    let summary = write_annuaire(&options, &dir).expect("generation");
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} professionals, {} activity rows ({} bytes), {} skill rows ({} bytes) in {:?}",
        summary.professionals,
        summary.activity_rows,
        size(&summary.activity_file),
        summary.skill_rows,
        size(&summary.skill_file),
        start.elapsed()
    );
    std::fs::remove_dir_all(dir).expect("cleanup");
}
