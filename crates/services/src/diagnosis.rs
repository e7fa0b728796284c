//! The diagnosis of a CPTS (« état des lieux »): its population per commune, and its offer
//! of care per profession (and specialty, for doctors) against its department(s), its
//! region(s) and France, counted from the whole national directory on the host, as counts,
//! densities per 100,000 inhabitants and ratios. What is not known yet is said, never
//! estimated.

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::territory;
use maillage_domain::codes::{PROFESSIONS, SPECIALTIES};
use maillage_domain::diagnosis::{density, ratio};
use maillage_store::offer::{self, AreaPopulation, OfferCount};
use serde::Serialize;
use std::collections::BTreeSet;

/// An area the CPTS is compared with, the CPTS first.
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    /// `cpts`, `departement`, `region` or `france`.
    pub level: &'static str,
    pub code: String,
    pub name: String,
    pub population: i64,
}

/// One profession's figures in one area.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub professionals: i64,
    /// Per 100,000 inhabitants.
    pub density: Option<f64>,
    /// The CPTS's density divided by this area's (none for the CPTS itself).
    pub ratio: Option<f64>,
}

/// One profession (and specialty) in every area, in the order of [`Diagnosis::areas`].
#[derive(Debug, Clone, Serialize)]
pub struct OfferLine {
    pub profession: String,
    /// Doctors' specialty; empty for other professions.
    pub specialty: String,
    pub label: String,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommunePopulation {
    pub insee: String,
    pub name: String,
    pub population: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub slug: String,
    pub name: String,
    pub areas: Vec<Area>,
    pub communes: Vec<CommunePopulation>,
    pub offer: Vec<OfferLine>,
    /// What the diagnosis cannot tell yet, in French.
    pub missing: Vec<String>,
    /// Where each figure comes from, with its vintage, in French.
    pub sources: Vec<String>,
}

fn label(profession: &str, specialty: &str) -> String {
    let profession_label = PROFESSIONS.label(profession).unwrap_or(profession);
    match SPECIALTIES.label(specialty) {
        Some(specialty) if !specialty.is_empty() => format!("{profession_label} — {specialty}"),
        _ => profession_label.to_owned(),
    }
}

fn area(level: &'static str, row: AreaPopulation) -> Area {
    Area {
        level,
        code: row.code,
        name: row.name,
        population: row.population,
    }
}

/// The diagnosis of the CPTS `slug`, for those who see it (`None`: the operator).
pub async fn diagnosis(app: &App, actor: Option<&Actor>, slug: &str) -> ServiceResult<Diagnosis> {
    let perimeter = territory::show(app, actor, slug).await?;
    let codes: Vec<String> = perimeter.communes.iter().map(|c| c.insee.clone()).collect();
    let departement_codes: Vec<String> = perimeter
        .communes
        .iter()
        .map(|c| c.departement.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut conn = app.db.conn().await?;
    let departements = offer::departements(&mut conn, &departement_codes).await?;
    let region_codes: Vec<String> = departements
        .iter()
        .map(|d| d.region.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let regions = offer::regions(&mut conn, &region_codes).await?;
    let mut areas = vec![Area {
        level: "cpts",
        code: perimeter.slug.clone(),
        name: perimeter.name.clone(),
        population: perimeter.population,
    }];
    areas.extend(departements.into_iter().map(|d| area("departement", d)));
    areas.extend(regions.into_iter().map(|r| area("region", r)));
    areas.push(Area {
        level: "france",
        code: "FR".to_owned(),
        name: "France".to_owned(),
        population: offer::france_population(&mut conn).await?,
    });
    // The counts of each area, in the order of `areas`.
    let mut counts: Vec<Vec<OfferCount>> = vec![offer::of_communes(&mut conn, &codes).await?];
    for level in ["departement", "region", "france"] {
        let level_codes: Vec<String> = areas
            .iter()
            .filter(|a| a.level == level)
            .map(|a| a.code.clone())
            .collect();
        let rows = offer::of_areas(&mut conn, level, &level_codes).await?;
        for code in level_codes {
            counts.push(rows.iter().filter(|r| r.code == code).cloned().collect());
        }
    }
    drop(conn);
    let kinds: BTreeSet<(String, String)> = counts
        .iter()
        .flatten()
        .filter(|c| c.professionals > 0)
        .map(|c| (c.profession.clone(), c.specialty.clone()))
        .collect();
    let offer = kinds
        .into_iter()
        .map(|(profession, specialty)| {
            let densities: Vec<(i64, Option<f64>)> = counts
                .iter()
                .zip(&areas)
                .map(|(rows, area)| {
                    let n = rows
                        .iter()
                        .find(|r| r.profession == profession && r.specialty == specialty)
                        .map_or(0, |r| r.professionals);
                    (n, density(n, area.population))
                })
                .collect();
            let cpts_density = densities[0].1;
            let figures = densities
                .iter()
                .enumerate()
                .map(|(i, (n, d))| Figure {
                    professionals: *n,
                    density: *d,
                    ratio: if i == 0 {
                        None
                    } else {
                        ratio(cpts_density, *d)
                    },
                })
                .collect();
            OfferLine {
                label: label(&profession, &specialty),
                profession,
                specialty,
                figures,
            }
        })
        .collect();
    let communes = perimeter
        .communes
        .into_iter()
        .map(|c| CommunePopulation {
            insee: c.insee,
            name: c.name,
            population: c.population,
        })
        .collect();
    Ok(Diagnosis {
        slug: perimeter.slug,
        name: perimeter.name,
        areas,
        communes,
        offer,
        missing: vec![
            "Données d’âge non importées : pas de pyramide des âges ni de parts des 0–14, 60 et 75 ans et plus.".to_owned(),
            "Données d’ALD non importées : pas de prévalence.".to_owned(),
            "Données de décès non importées : pas d’indice comparatif de mortalité.".to_owned(),
        ],
        sources: vec![
            "Communes : Code officiel géographique 2026 (INSEE). Population : population municipale, populations légales millésime 2023 en vigueur au 1er janvier 2026 (INSEE), celle de Mayotte de 2017 ; Licence Ouverte.".to_owned(),
            "Professionnels : extraction de l’Annuaire Santé importée sur cette plateforme (professionnels actifs, comptés une fois par territoire où ils exercent).".to_owned(),
        ],
    })
}

/// Decimal numbers as French spreadsheets read them: a comma, one decimal.
fn french_number(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}").replace('.', ","))
}

/// The offer table as CSV (`;`, UTF-8): one line per profession, and for each area its
/// count, density and ratio to the CPTS.
pub fn offer_csv(diagnosis: &Diagnosis) -> String {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let mut header = vec![
        "Profession".to_owned(),
        "Spécialité".to_owned(),
        "Libellé".to_owned(),
    ];
    for area in &diagnosis.areas {
        header.push(format!("{} : professionnels", area.name));
        header.push(format!("{} : densité pour 100 000 habitants", area.name));
        if area.level != "cpts" {
            header.push(format!("{} : rapport CPTS / territoire", area.name));
        }
    }
    out.write_record(&header).expect("in memory");
    for line in &diagnosis.offer {
        let mut record = vec![
            line.profession.clone(),
            line.specialty.clone(),
            line.label.clone(),
        ];
        for (figure, area) in line.figures.iter().zip(&diagnosis.areas) {
            record.push(figure.professionals.to_string());
            record.push(french_number(figure.density, 1));
            if area.level != "cpts" {
                record.push(french_number(figure.ratio, 2));
            }
        }
        out.write_record(&record).expect("in memory");
    }
    String::from_utf8(out.into_inner().expect("in memory")).expect("UTF-8 fields")
}
