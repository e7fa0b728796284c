//! The diagnosis of a CPTS (« état des lieux »): its population per commune and by age,
//! its offer of care per profession (and specialty, for doctors), per commune and by mode
//! of practice, against its department(s), its region(s) and France, counted from the whole
//! national directory on the host; the GPs who accept new patients; the prevalence of
//! long-term illnesses and the comparative mortality of its communes when those files are
//! imported. What is not known is said, never estimated; small health counts are masked.

pub mod ages;
pub mod ald;
pub mod coverage;
pub mod france;
pub mod mortality;
pub mod offer;
pub mod outlines;
pub mod statistics;
pub mod tables;

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::territory;
use ages::AgeStructure;
use ald::AldLine;
use maillage_domain::common::paris_time::paris;
use maillage_store::diagnosis::offer::{self as offer_store, AreaPopulation, OfferCount};
use maillage_store::diagnosis::statistics::{
    self as stored_statistics, AgeRow, AldRow, DeathsByBand, StatisticsImport,
};
use maillage_store::{Conn, generations};
use mortality::MortalityLine;
use offer::OfferLine;
use serde::Serialize;
use std::collections::BTreeSet;

/// An area the CPTS is compared with, the CPTS first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Area {
    /// `cpts`, `departement`, `region` or `france`.
    pub level: &'static str,
    pub code: String,
    pub name: String,
    pub population: i64,
    /// Its age structure, when INSEE's file is imported.
    pub ages: Option<AgeStructure>,
    /// Whether the imported directory covers the area wholly, so that its offer of care is
    /// compared with the CPTS's (see `offer_not_compared` otherwise).
    pub offer_compared: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommuneFigures {
    pub insee: String,
    pub name: String,
    pub population: Option<i64>,
    pub ages: Option<AgeStructure>,
}

/// The member GPs of the CPTS who accept new patients as médecin traitant.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AcceptingGps {
    pub gps: i64,
    /// The places a month they offer together.
    pub places_per_month: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Diagnosis {
    pub slug: String,
    pub name: String,
    /// The day it was computed, written the French way (`07/12/2026`).
    pub date: String,
    pub areas: Vec<Area>,
    pub communes: Vec<CommuneFigures>,
    pub offer: Vec<OfferLine>,
    /// What the imported directory covers, in French (« annuaire importé :
    /// Bouches-du-Rhône seulement »): the offer of an area it does not cover wholly is not
    /// compared.
    pub directory_coverage: String,
    pub accepting_gps: AcceptingGps,
    /// Per group of long-term illness; empty without an imported file.
    pub ald: Vec<AldLine>,
    /// Per group of causes of death; empty without an imported file.
    pub mortality: Vec<MortalityLine>,
    /// Health counts from 1 to this number minus one are masked.
    pub small_count_threshold: i64,
    /// Whether the directory's professionals here are synthetic (a demonstration).
    pub synthetic: bool,
    /// What the diagnosis cannot tell, in French.
    pub missing: Vec<String>,
    /// Where each figure comes from, with its vintage, in French.
    pub sources: Vec<String>,
}

fn area(level: &'static str, row: AreaPopulation) -> Area {
    Area {
        level,
        code: row.code,
        name: row.name,
        population: row.population,
        ages: None,
        offer_compared: false,
    }
}

fn sorted_unique<'a>(values: impl Iterator<Item = &'a String>) -> Vec<String> {
    values
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A date in Paris, written the French way.
fn paris_date(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or_default()
        .to_zoned(paris())
        .strftime("%d/%m/%Y")
        .to_string()
}

/// The departments, regions and France the CPTS is compared with, the CPTS first.
async fn areas(conn: &mut Conn, perimeter: &territory::Perimeter) -> ServiceResult<Vec<Area>> {
    let departement_codes = sorted_unique(perimeter.communes.iter().map(|c| &c.departement));
    let departements = offer_store::departements(conn, &departement_codes).await?;
    let region_codes = sorted_unique(departements.iter().map(|d| &d.region));
    let regions = offer_store::regions(conn, &region_codes).await?;
    let mut areas = vec![Area {
        level: "cpts",
        code: perimeter.slug.clone(),
        name: perimeter.name.clone(),
        population: perimeter.population,
        ages: None,
        offer_compared: true,
    }];
    areas.extend(departements.into_iter().map(|d| area("departement", d)));
    areas.extend(regions.into_iter().map(|r| area("region", r)));
    areas.push(Area {
        level: "france",
        code: "FR".to_owned(),
        name: "France".to_owned(),
        population: offer_store::france_population(conn).await?,
        ages: None,
        offer_compared: false,
    });
    Ok(areas)
}

/// The codes of `areas` at `level`.
fn codes_at(areas: &[Area], level: &str) -> Vec<String> {
    areas
        .iter()
        .filter(|a| a.level == level)
        .map(|a| a.code.clone())
        .collect()
}

/// What the diagnosis says it does not know, and where its figures come from.
fn missing_and_sources(
    imports: &[StatisticsImport],
    directory: Option<(String, i64)>,
    synthetic: bool,
) -> (Vec<String>, Vec<String>) {
    let import = |kind: &str| imports.iter().find(|i| i.kind == kind);
    let mut missing = Vec::new();
    let mut sources = vec![
        "Communes : Code officiel géographique 2026 (INSEE). Population : population municipale, populations légales millésime 2023 en vigueur au 1er janvier 2026 (INSEE), celle de Mayotte de 2017 ; Licence Ouverte.".to_owned(),
    ];
    match directory {
        Some((file, at)) => sources.push(format!(
            "Professionnels : {} « {file} » importée le {} (professionnels actifs, comptés une fois par territoire où ils exercent ; mode d’exercice sur l’ensemble de leurs activités).",
            if synthetic { "annuaire synthétique de démonstration (données fictives)" } else { "extraction de l’Annuaire Santé" },
            paris_date(at)
        )),
        None => missing.push("Annuaire des professionnels non importé : pas d’offre de soins.".to_owned()),
    }
    let kinds = [
        (
            "population_ages",
            "Données d’âge non importées : pas de pyramide des âges ni de parts des 0–14, 60 et 75 ans et plus, ni d’indice comparatif de mortalité.",
            "Population par sexe et âge : INSEE, base communale « évolution et structure de la population »",
        ),
        (
            "ald",
            "Données d’ALD non importées : pas de prévalence des affections de longue durée.",
            "Affections de longue durée : fichier importé",
        ),
        (
            "deaths",
            "Données de décès non importées : pas d’indice comparatif de mortalité.",
            "Décès : fichier importé",
        ),
    ];
    for (kind, absent, source) in kinds {
        match import(kind) {
            Some(i) => sources.push(format!(
                "{source} « {} », {}, importé le {}.",
                i.file_name,
                i.vintage,
                paris_date(i.imported_at)
            )),
            None => missing.push(absent.to_owned()),
        }
    }
    (missing, sources)
}

/// The diagnosis of the CPTS `slug`, for those who see it (`None`: the operator).
pub async fn diagnosis(app: &App, actor: Option<&Actor>, slug: &str) -> ServiceResult<Diagnosis> {
    let perimeter = territory::show(app, actor, slug).await?;
    let codes: Vec<String> = perimeter.communes.iter().map(|c| c.insee.clone()).collect();
    let mut conn = app.db.conn().await?;
    let mut areas = areas(&mut conn, &perimeter).await?;
    let generation = generations::value(&mut conn, generations::DIRECTORY).await?;
    let index = app.search_index.directory(&mut conn, generation).await?;
    let presences = index.presences(&codes);
    let coverage = coverage::Coverage::read(&mut conn).await?;
    let compared = compared_offer(&mut conn, &coverage, &mut areas).await?;
    let (gps, places_per_month) = offer_store::accepting_gps(&mut conn, perimeter.cpts_id).await?;
    let imports = stored_statistics::imports(&mut conn).await?;
    let directory = offer_store::last_import(&mut conn).await?;
    let (ages, ald_rows, death_rows) = statistics_of(&mut conn, &imports, &codes, &areas).await?;
    drop(conn);

    let threshold = app.settings.small_count_threshold;
    let without_ages = with_ages_of(&mut areas, &perimeter, &ages);
    let offer = offer::lines(&areas, &presences, &compared, &codes);
    let populations: Vec<(String, i64)> = perimeter
        .communes
        .iter()
        .map(|c| (c.insee.clone(), c.population.unwrap_or(0)))
        .collect();
    let ald = ald::lines(&areas, &populations, &ald_rows, threshold);
    let regions: Vec<(String, String)> = perimeter
        .communes
        .iter()
        .map(|c| (c.insee.clone(), c.region.clone()))
        .collect();
    let deaths = mortality::MortalityData::new(mortality::people_by_band(&ages), death_rows);
    let mortality = mortality::lines(&regions, &deaths, threshold);
    let synthetic = presences.iter().any(|p| p.synthetic);
    let imported_directory = directory.is_some();
    let (mut missing, mut sources) = missing_and_sources(&imports, directory, synthetic);
    let directory_coverage = coverage.summary();
    if imported_directory {
        missing.extend(offer_gaps(&areas, &directory_coverage));
    }
    sources.push("Médecins acceptant de nouveaux patients : réglages des médecins adhérents de la CPTS sur cette plateforme.".to_owned());
    if !without_ages.is_empty() {
        missing.push(format!(
            "Population par âge absente du fichier importé pour : {} ; pas de structure par âge pour la CPTS entière.",
            without_ages.join(", ")
        ));
    }
    let communes = perimeter
        .communes
        .into_iter()
        .map(|c| CommuneFigures {
            ages: ages::structure(&ages, &[c.insee.as_str()]),
            insee: c.insee,
            name: c.name,
            population: c.population,
        })
        .collect();
    Ok(Diagnosis {
        slug: perimeter.slug,
        name: perimeter.name,
        date: app.today().french(),
        areas,
        communes,
        offer,
        directory_coverage,
        accepting_gps: AcceptingGps {
            gps,
            places_per_month,
        },
        ald,
        mortality,
        small_count_threshold: threshold,
        synthetic,
        missing,
        sources,
    })
}

/// The statistics imported for the perimeter's communes and its areas: ages, long-term
/// illness, deaths (each empty when its file was never imported).
async fn statistics_of(
    conn: &mut Conn,
    imports: &[StatisticsImport],
    codes: &[String],
    areas: &[Area],
) -> ServiceResult<(Vec<AgeRow>, Vec<AldRow>, Vec<DeathsByBand>)> {
    let imported = |kind: &str| imports.iter().any(|i| i.kind == kind);
    let mut ages: Vec<AgeRow> = Vec::new();
    if imported("population_ages") {
        ages = stored_statistics::ages_of_communes(conn, codes).await?;
        for level in ["departement", "region", "france"] {
            let level_codes = codes_at(areas, level);
            ages.extend(stored_statistics::ages_of_areas(conn, level, &level_codes).await?);
        }
    }
    // The communes' rows, and each area's (the CPTS aside: it sums its communes).
    let with_areas = |area_codes: Vec<String>| [codes.to_vec(), area_codes].concat();
    let mut ald_rows = Vec::new();
    if imported("ald") {
        let area_codes = areas.iter().skip(1).map(|a| a.code.clone()).collect();
        ald_rows = stored_statistics::ald_of(conn, &with_areas(area_codes)).await?;
    }
    let mut death_rows = Vec::new();
    if imported("deaths") {
        let regions = codes_at(areas, "region");
        let wanted = with_areas(regions);
        death_rows = stored_statistics::deaths_by_band(conn, Some(&wanted)).await?;
    }
    Ok((ages, ald_rows, death_rows))
}

/// What the comparison of the offer lacks: the areas the imported directory does not
/// cover, and the CPTS's departments it covers only in part.
fn offer_gaps(areas: &[Area], directory_coverage: &str) -> Vec<String> {
    let mut gaps = Vec::new();
    let not_compared: Vec<&str> = areas
        .iter()
        .filter(|a| !a.offer_compared)
        .map(|a| a.name.as_str())
        .collect();
    if !not_compared.is_empty() {
        gaps.push(format!(
            "Offre de soins non comparée avec : {} ({directory_coverage}).",
            not_compared.join(", ")
        ));
    }
    let uncovered: Vec<&str> = areas
        .iter()
        .filter(|a| a.level == "departement" && !a.offer_compared)
        .map(|a| a.name.as_str())
        .collect();
    if !uncovered.is_empty() {
        gaps.push(format!(
            "L’offre de soins de la CPTS est incomplète : l’annuaire importé ne couvre pas en entier {}.",
            uncovered.join(", ")
        ));
    }
    gaps
}

/// Marks the areas whose offer the imported directory covers, and reads the offer of those
/// it covers, in the order of `areas` (the CPTS aside: its offer is its communes').
async fn compared_offer(
    conn: &mut Conn,
    coverage: &coverage::Coverage,
    areas: &mut [Area],
) -> ServiceResult<Vec<Option<Vec<OfferCount>>>> {
    for area in areas.iter_mut() {
        area.offer_compared = coverage.covers(area.level, &area.code);
    }
    let mut compared = Vec::new();
    for level in ["departement", "region", "france"] {
        let level_codes = codes_at(areas, level);
        let rows = offer_store::of_areas(conn, level, &level_codes).await?;
        for area in areas.iter().filter(|a| a.level == level) {
            let of_area = rows.iter().filter(|r| r.code == area.code).cloned();
            compared.push(area.offer_compared.then(|| of_area.collect()));
        }
    }
    Ok(compared)
}

/// Gives each area its age structure; returns the communes without ages in the imported
/// file (the CPTS's structure needs every commune's, so it has none then).
fn with_ages_of<'a>(
    areas: &mut [Area],
    perimeter: &'a territory::Perimeter,
    ages: &[AgeRow],
) -> Vec<&'a str> {
    let code_refs: Vec<&str> = perimeter
        .communes
        .iter()
        .map(|c| c.insee.as_str())
        .collect();
    let without_ages: Vec<&str> = perimeter
        .communes
        .iter()
        .filter(|c| !ages.is_empty() && !ages.iter().any(|r| r.code == c.insee))
        .map(|c| c.name.as_str())
        .collect();
    for area in areas.iter_mut() {
        area.ages = match area.level {
            "cpts" if !without_ages.is_empty() => None,
            "cpts" => ages::structure(ages, &code_refs),
            _ => ages::structure(ages, &[area.code.as_str()]),
        };
    }
    without_ages
}
