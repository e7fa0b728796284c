//! Tests of the synthetic directory: determinism, exact layout, identifiers and codes.

use super::ids::luhn_valid;
use super::names::{of_commune, routing_line};
use super::rows::{ACTIVITY_HEADER, SKILL_HEADER};
use super::{SynthCommune, SynthOptions, SynthSummary, write_annuaire};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub(super) const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

pub(super) fn commune(
    insee: &str,
    name: &str,
    postcode: &str,
    departement: &str,
    population: i64,
) -> SynthCommune {
    SynthCommune {
        insee: insee.into(),
        name: name.into(),
        postcode: postcode.into(),
        departement: departement.into(),
        population,
    }
}

fn three_communes(seed: u64) -> SynthOptions {
    SynthOptions {
        seed,
        communes: vec![
            commune("13001", "Aix-en-Provence", "13100", "13", 147_000),
            commune("13015", "Bouc-Bel-Air", "13320", "13", 15_000),
            commune("13019", "Cabriès", "13480", "13", 10_000),
        ],
        timestamp: "202611220000".into(),
    }
}

/// A fresh, empty directory under the system's temporary directory.
pub(super) fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("maillage-synth-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}

pub(super) fn generate(
    options: &SynthOptions,
    name: &str,
) -> (SynthSummary, String, String, PathBuf) {
    let dir = temp_dir(name);
    let summary = write_annuaire(options, &dir).expect("generation");
    let activity = std::fs::read_to_string(&summary.activity_file).expect("activity file");
    let skill = std::fs::read_to_string(&summary.skill_file).expect("skill file");
    (summary, activity, skill, dir)
}

#[test]
fn same_options_give_byte_identical_files() {
    let (first, activity_a, skill_a, dir_a) = generate(&three_communes(7), "det-a");
    let (second, activity_b, skill_b, dir_b) = generate(&three_communes(7), "det-b");
    assert!(first.activity_rows > 100);
    assert_eq!(activity_a.as_bytes(), activity_b.as_bytes());
    assert_eq!(skill_a.as_bytes(), skill_b.as_bytes());
    assert_eq!(first.professionals, second.professionals);
    assert!(
        first
            .activity_file
            .ends_with("PS_LibreAcces_Personne_activite_202611220000.txt")
    );
    assert!(
        first
            .skill_file
            .ends_with("PS_LibreAcces_SavoirFaire_202611220000.txt")
    );
    let (_, activity_c, _, dir_c) = generate(&three_communes(8), "det-c");
    assert_ne!(activity_a, activity_c, "another seed gives another file");
    for dir in [dir_a, dir_b, dir_c] {
        std::fs::remove_dir_all(dir).expect("cleanup");
    }
}

#[test]
fn layout_matches_the_documented_files_and_identifiers_are_valid() {
    let samples = Path::new(ROOT).join("docs/formats/samples");
    let documented =
        std::fs::read_to_string(samples.join("PS_LibreAcces_Personne_activite_sample.txt"))
            .expect("activity sample");
    assert_eq!(documented.lines().next(), Some(ACTIVITY_HEADER));
    let documented = std::fs::read_to_string(samples.join("PS_LibreAcces_SavoirFaire_sample.txt"))
        .expect("skill sample");
    assert_eq!(documented.lines().next(), Some(SKILL_HEADER));

    let (summary, activity, skill, dir) = generate(&three_communes(42), "layout");
    assert!(activity.ends_with("|\n") && !activity.contains('\r'));
    let mut lines = activity.lines();
    assert_eq!(lines.next(), Some(ACTIVITY_HEADER));
    let mut people = BTreeSet::new();
    let mut rows = 0;
    for line in lines {
        rows += 1;
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(fields.len(), 57, "{line}");
        assert_eq!(fields[56], "");
        let rpps = fields[1];
        assert_eq!(fields[0], "8");
        assert!(
            rpps.len() == 11 && rpps.starts_with("99") && luhn_valid(rpps),
            "{rpps}"
        );
        assert_eq!(fields[2], format!("8{rpps}"));
        people.insert(rpps.to_owned());
        if !fields[19].is_empty() {
            assert!(fields[19].len() == 14 && fields[19].starts_with("999"));
            assert!(
                luhn_valid(fields[19]) && luhn_valid(&fields[19][..9]),
                "{}",
                fields[19]
            );
        }
        for finess in [fields[21], fields[22]] {
            assert!(
                finess.is_empty() || (finess.len() == 9 && luhn_valid(finess)),
                "{finess}"
            );
        }
        if !fields[40].is_empty() {
            assert!(fields[40].len() == 10 && fields[40].starts_with("0999"));
        }
        assert!(matches!(fields[17], "L" | "S" | ""));
    }
    assert_eq!(rows, summary.activity_rows);
    // Rows of a professional are consecutive and the identifiers unique.
    assert_eq!(people.len() as u64, summary.professionals);

    let mut lines = skill.lines();
    assert_eq!(lines.next(), Some(SKILL_HEADER));
    let mut skilled = BTreeSet::new();
    for line in lines {
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(fields.len(), 14, "{line}");
        assert!(people.contains(fields[1]) && skilled.insert(fields[1].to_owned()));
        assert_eq!(fields[9], "S");
    }
    assert_eq!(skilled.len() as u64, summary.skill_rows);
    std::fs::remove_dir_all(dir).expect("cleanup");
}

/// Codes of a nomenclature CSV (first column).
fn codes(file: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("data/nomenclatures").join(file))
        .expect("nomenclature");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_code_written_is_in_the_nomenclatures() {
    let (_, activity, _, dir) = generate(&three_communes(3), "codes");
    let lists = [
        (9, codes("TRE_G15-ProfessionSante.csv")),
        (11, codes("TRE_R09-CategorieProfessionnelle.csv")),
        (15, codes("TRE_R38-SpecialiteOrdinale.csv")),
        (17, codes("TRE_R23-ModeExercice.csv")),
        (48, codes("TRE_R02-SecteurActivite.csv")),
        (54, codes("TRE_R22-GenreActivite.csv")),
    ];
    for line in activity.lines().skip(1) {
        let fields: Vec<&str> = line.split('|').collect();
        for (column, list) in &lists {
            assert!(
                fields[*column].is_empty() || list.contains(fields[*column]),
                "{line}"
            );
        }
    }
    std::fs::remove_dir_all(dir).expect("cleanup");
}

#[test]
fn commune_names_become_address_lines() {
    assert_eq!(of_commune("AIX-EN-PROVENCE"), "D'AIX-EN-PROVENCE");
    assert_eq!(of_commune("LE HAVRE"), "DU HAVRE");
    assert_eq!(of_commune("LES ABYMES"), "DES ABYMES");
    assert_eq!(of_commune("LA ROCHELLE"), "DE LA ROCHELLE");
    assert_eq!(of_commune("STRASBOURG"), "DE STRASBOURG");
    assert_eq!(routing_line("42000", "SAINT-ETIENNE"), "42000 ST ETIENNE");
    assert_eq!(routing_line("13320", "BOUC-BEL-AIR"), "13320 BOUC BEL AIR");
}

#[test]
fn synthetic_identifiers_are_distinct_and_luhn_valid() {
    use super::ids::{finess, rpps, rpps_offset, siret};
    let offset = rpps_offset(5);
    let numbers: BTreeSet<String> = (0..100_000).map(|i| rpps(i, offset)).collect();
    assert_eq!(numbers.len(), 100_000);
    assert!(
        numbers
            .iter()
            .all(|n| n.len() == 11 && n.starts_with("99") && luhn_valid(n))
    );
    let sirets: BTreeSet<String> = (0..250_000).step_by(7).map(siret).collect();
    assert_eq!(sirets.len(), (0..250_000).step_by(7).count());
    assert!(sirets.iter().all(|s| luhn_valid(s) && luhn_valid(&s[..9])));
    assert_eq!(finess("974", 1).len(), 9);
    assert!(luhn_valid(&finess("13", 42)) && finess("13", 42).starts_with("1399"));
}
