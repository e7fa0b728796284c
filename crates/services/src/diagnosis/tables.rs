//! The tables of a diagnosis as CSV (`;`, UTF-8, decimal commas as French spreadsheets
//! read them): the offer per area, the communes, the ALD and the mortality; and the
//! indicators of every commune of France, one line each.

use super::Diagnosis;
use super::ald::AldFigure;
use super::france::FranceIndicators;
use super::mortality::IndexFigure;
use crate::csv_export;
use maillage_domain::diagnosis::density;

/// A decimal number written with a comma and `decimals` decimals; empty when unknown.
pub fn french_number(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}").replace('.', ","))
}

fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// One line per profession, and for each area its count, density and ratio to the CPTS;
/// then the CPTS's professionals by mode of practice.
pub fn offer_csv(diagnosis: &Diagnosis) -> String {
    let mut header = owned(&["Profession", "Spécialité", "Libellé", "Second recours"]);
    for area in &diagnosis.areas {
        if !area.offer_compared {
            header.push(format!(
                "{} : offre non comparée ({})",
                area.name, diagnosis.directory_coverage
            ));
            continue;
        }
        header.push(format!("{} : professionnels", area.name));
        header.push(format!("{} : densité pour 100 000 habitants", area.name));
        if area.level != "cpts" {
            header.push(format!("{} : rapport CPTS / territoire", area.name));
        }
    }
    header.extend(owned(&[
        "CPTS : libéraux exclusifs",
        "CPTS : salariés exclusifs",
        "CPTS : mixtes",
    ]));
    let records: Vec<Vec<String>> = diagnosis
        .offer
        .iter()
        .map(|line| {
            let mut record = vec![
                line.profession.clone(),
                line.specialty.clone(),
                line.label.clone(),
                if line.second_recourse { "oui" } else { "non" }.to_owned(),
            ];
            for (figure, area) in line.figures.iter().zip(&diagnosis.areas) {
                let Some(professionals) = figure.professionals else {
                    record.push(String::new());
                    continue;
                };
                record.push(professionals.to_string());
                record.push(french_number(figure.density, 1));
                if area.level != "cpts" {
                    record.push(french_number(figure.ratio, 2));
                }
            }
            let modes = line.modes;
            record.extend([modes.liberal, modes.salaried, modes.mixed].map(|n| n.to_string()));
            record
        })
        .collect();
    csv_export::table(&header, records)
}

/// One line per commune: its population and age shares, then its professionals of each
/// line the CPTS has.
pub fn communes_csv(diagnosis: &Diagnosis) -> String {
    let present: Vec<_> = diagnosis.offer.iter().filter(|l| l.in_cpts() > 0).collect();
    let mut header = owned(&[
        "Code INSEE",
        "Commune",
        "Population",
        "Part des 0-14 ans (%)",
        "Part des 60 ans et plus (%)",
        "Part des 75 ans et plus (%)",
    ]);
    header.extend(present.iter().map(|l| l.label.clone()));
    let records: Vec<Vec<String>> = diagnosis
        .communes
        .iter()
        .enumerate()
        .map(|(i, commune)| {
            let ages = commune.ages.as_ref();
            let mut record = vec![
                commune.insee.clone(),
                commune.name.clone(),
                commune
                    .population
                    .map_or_else(String::new, |p| p.to_string()),
                french_number(ages.map(|a| a.share_0_14), 1),
                french_number(ages.map(|a| a.share_60_plus), 1),
                french_number(ages.map(|a| a.share_75_plus), 1),
            ];
            record.extend(present.iter().map(|l| l.communes[i].to_string()));
            record
        })
        .collect();
    csv_export::table(&header, records)
}

fn ald_cells(figure: &AldFigure) -> [String; 4] {
    [
        figure.patients.map_or_else(String::new, |n| n.to_string()),
        french_number(figure.prevalence, 2),
        french_number(figure.ratio, 2),
        figure.note.unwrap_or_default().to_owned(),
    ]
}

/// One line per group of illness and place (the areas, then the communes).
pub fn ald_csv(diagnosis: &Diagnosis) -> String {
    let header = owned(&[
        "ALD",
        "Territoire",
        "Code",
        "Patients",
        "Prévalence (%)",
        "Rapport CPTS / territoire",
        "Remarque",
    ]);
    let mut records = Vec::new();
    for line in &diagnosis.ald {
        for (figure, area) in line.figures.iter().zip(&diagnosis.areas) {
            let mut record = vec![line.ald.clone(), area.name.clone(), area.code.clone()];
            record.extend(ald_cells(figure));
            records.push(record);
        }
        for (figure, commune) in line.communes.iter().zip(&diagnosis.communes) {
            let mut record = vec![
                line.ald.clone(),
                commune.name.clone(),
                commune.insee.clone(),
            ];
            record.extend(ald_cells(figure));
            records.push(record);
        }
    }
    csv_export::table(&header, records)
}

fn index_cells(figure: &IndexFigure) -> [String; 7] {
    [
        figure.observed.map_or_else(String::new, |n| n.to_string()),
        french_number(figure.expected, 1),
        french_number(figure.index, 1),
        french_number(figure.lower, 1),
        french_number(figure.upper, 1),
        figure.significance.map_or("", |s| s.label()).to_owned(),
        figure.note.unwrap_or_default().to_owned(),
    ]
}

/// One line per group of causes and place (the CPTS, then its communes).
pub fn mortality_csv(diagnosis: &Diagnosis) -> String {
    let header = owned(&[
        "Causes",
        "Territoire",
        "Code",
        "Décès observés",
        "Décès attendus",
        "ICM",
        "IC 95 % bas",
        "IC 95 % haut",
        "Écart à la région",
        "Remarque",
    ]);
    let mut records = Vec::new();
    for line in &diagnosis.mortality {
        let mut record = vec![
            line.cause.clone(),
            diagnosis.name.clone(),
            diagnosis.slug.clone(),
        ];
        record.extend(index_cells(&line.cpts));
        records.push(record);
        for (figure, commune) in line.communes.iter().zip(&diagnosis.communes) {
            let mut record = vec![
                line.cause.clone(),
                commune.name.clone(),
                commune.insee.clone(),
            ];
            record.extend(index_cells(figure));
            records.push(record);
        }
    }
    csv_export::table(&header, records)
}

const INDEX_COLUMNS: [&str; 7] = [
    "décès observés",
    "décès attendus",
    "ICM",
    "IC 95 % bas",
    "IC 95 % haut",
    "écart à la région",
    "remarque",
];

/// One line per commune of France: population and age shares, then for each profession its
/// professionals and density, for each group of illness its patients, prevalence and
/// remark, for each group of causes its index with interval.
pub fn france_csv(indicators: &FranceIndicators) -> String {
    let mut header = owned(&[
        "Code INSEE",
        "Commune",
        "Département",
        "Région",
        "Population",
        "Part des 0-14 ans (%)",
        "Part des 60 ans et plus (%)",
        "Part des 75 ans et plus (%)",
    ]);
    for kind in &indicators.kinds {
        header.push(format!("{} : professionnels", kind.label));
        header.push(format!("{} : densité pour 100 000 habitants", kind.label));
    }
    for group in &indicators.ald_groups {
        header.push(format!("{group} : patients"));
        header.push(format!("{group} : prévalence (%)"));
        header.push(format!("{group} : remarque"));
    }
    for cause in &indicators.causes {
        header.extend(INDEX_COLUMNS.iter().map(|c| format!("{cause} : {c}")));
    }
    let records: Vec<Vec<String>> = indicators
        .communes
        .iter()
        .map(|c| {
            let ages = c.ages.as_ref();
            let mut record = vec![
                c.insee.clone(),
                c.name.clone(),
                c.departement.clone(),
                c.region.clone(),
                c.population.to_string(),
                french_number(ages.map(|a| a.share_0_14), 1),
                french_number(ages.map(|a| a.share_60_plus), 1),
                french_number(ages.map(|a| a.share_75_plus), 1),
            ];
            for &n in &c.professionals {
                record.push(n.to_string());
                record.push(french_number(density(n, c.population), 1));
            }
            for figure in &c.ald {
                let [patients, prevalence, _ratio, note] = ald_cells(figure);
                record.extend([patients, prevalence, note]);
            }
            for figure in &c.mortality {
                record.extend(index_cells(figure));
            }
            record
        })
        .collect();
    csv_export::table(&header, records)
}
