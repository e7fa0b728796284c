//! The indicators of every commune of France at once, for a host comparing territories
//! (or preparing a new CPTS): population and age shares, professionals per profession,
//! prevalence of each group of long-term illness and comparative mortality index of each
//! group of causes. Small health counts are masked, with one more commune of the
//! department when a single one is (the department's own figure would give it away).

use super::ald::{self, AldFigure};
use super::missing_and_sources;
use super::mortality::{self, IndexFigure, MortalityData};
use super::offer::{GENERAL_PRACTITIONERS, LineKind, label};
use crate::context::App;
use crate::error::ServiceResult;
use maillage_domain::diagnosis::age_shares;
use maillage_domain::directory::general_practice::{PHYSICIAN, is_general_practitioner};
use maillage_store::diagnosis::offer::OfferCount;
use maillage_store::diagnosis::statistics::{self, AldRow};
use maillage_store::territory::reference::PlacedCommune;
use maillage_store::{diagnosis::offer as offer_store, territory::reference};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A profession (and specialty, for doctors) of the indicators' columns.
#[derive(Debug, Clone, Serialize)]
pub struct OfferKind {
    /// Every GP, a specialty of general practice, or another profession or specialty.
    pub kind: LineKind,
    pub profession: String,
    pub specialty: String,
    pub label: String,
}

/// The shares of the 0–14, the 60 and over and the 75 and over, in %.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AgeShares {
    pub share_0_14: f64,
    pub share_60_plus: f64,
    pub share_75_plus: f64,
}

/// One commune's indicators; the vectors follow the columns of [`FranceIndicators`].
#[derive(Debug, Clone, Serialize)]
pub struct CommuneIndicators {
    pub insee: String,
    pub name: String,
    pub departement: String,
    pub region: String,
    pub population: i64,
    /// None without INSEE's age file (or without the commune in it).
    pub ages: Option<AgeShares>,
    /// Active professionals practising in the commune, per kind of `kinds`.
    pub professionals: Vec<i64>,
    /// Per group of `ald_groups`.
    pub ald: Vec<AldFigure>,
    /// Per group of `causes`.
    pub mortality: Vec<IndexFigure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FranceIndicators {
    pub kinds: Vec<OfferKind>,
    pub ald_groups: Vec<String>,
    pub causes: Vec<String>,
    pub communes: Vec<CommuneIndicators>,
    pub small_count_threshold: i64,
    pub synthetic: bool,
    pub missing: Vec<String>,
    pub sources: Vec<String>,
}

/// `figures` computed per department: `of_department` is given the positions of one
/// department's communes and returns their figures in that order.
fn per_departement<T: Clone + Default>(
    departements: &BTreeMap<&str, Vec<usize>>,
    communes: usize,
    of_department: impl Fn(&[usize]) -> Vec<T>,
) -> Vec<T> {
    let mut figures = vec![T::default(); communes];
    for positions in departements.values() {
        for (position, figure) in positions.iter().zip(of_department(positions)) {
            figures[*position] = figure;
        }
    }
    figures
}

/// The indicators of every current commune of France, in code order. Operator only (the
/// CLI and the benchmark): every figure is public or masked, but the table is large.
pub async fn indicators(app: &App) -> ServiceResult<FranceIndicators> {
    let mut conn = app.db.conn().await?;
    let communes = reference::current_communes(&mut conn).await?;
    let counts = offer_store::of_level(&mut conn, "commune").await?;
    let mut people = statistics::people_by_band(&mut conn).await?;
    people.extend(statistics::region_people_by_band(&mut conn).await?);
    let ald_rows = statistics::ald_of_level(&mut conn, "commune").await?;
    let deaths = statistics::deaths_by_band(&mut conn, None).await?;
    let imports = statistics::imports(&mut conn).await?;
    let directory_import = offer_store::last_import(&mut conn).await?;
    let synthetic = offer_store::any_synthetic(&mut conn).await?;
    drop(conn);

    let (kinds, professionals) = professionals_by_commune(&communes, &counts);
    // Communes' and regions' codes never meet (five characters against two).
    let people: HashMap<String, [f64; 6]> = people.into_iter().collect();
    let ages = ages_by_commune(&communes, &people);
    let mut departements: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, commune) in communes.iter().enumerate() {
        departements
            .entry(&commune.departement)
            .or_default()
            .push(i);
    }
    let threshold = app.settings.small_count_threshold;
    let (ald_groups, ald_by_group) = ald_by_group(&communes, &departements, &ald_rows, threshold);
    let deaths = MortalityData::new(people, deaths);
    let causes: Vec<String> = deaths.causes().map(str::to_owned).collect();
    let mortality_by_cause: Vec<Vec<IndexFigure>> = causes
        .iter()
        .map(|cause| {
            per_departement(&departements, communes.len(), |positions| {
                let known: Vec<_> = positions
                    .iter()
                    .map(|&i| deaths.commune(&communes[i].insee, &communes[i].region, cause))
                    .collect();
                mortality::commune_figures(&known, threshold)
            })
        })
        .collect();

    let (missing, sources) = missing_and_sources(&imports, directory_import, synthetic);
    let indicators = communes
        .into_iter()
        .zip(professionals)
        .zip(ages)
        .enumerate()
        .map(|(i, ((c, professionals), ages))| CommuneIndicators {
            population: c.population.unwrap_or(0),
            insee: c.insee,
            name: c.name,
            departement: c.departement,
            region: c.region,
            ages,
            professionals,
            ald: ald_by_group.iter().map(|g| g[i].clone()).collect(),
            mortality: mortality_by_cause.iter().map(|m| m[i].clone()).collect(),
        })
        .collect();
    Ok(FranceIndicators {
        kinds: offer_kinds(kinds),
        ald_groups,
        causes,
        communes: indicators,
        small_count_threshold: threshold,
        synthetic,
        missing,
        sources,
    })
}

/// The kinds of professionals counted, and each commune's count of each, the GPs first
/// (each has one specialty: the three specialties' counts add up into the first column).
fn professionals_by_commune(
    communes: &[PlacedCommune],
    counts: &[OfferCount],
) -> (Vec<(String, String)>, Vec<Vec<i64>>) {
    let position: HashMap<&str, usize> = communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.insee.as_str(), i))
        .collect();
    let kinds: Vec<(String, String)> = counts
        .iter()
        .map(|c| (c.profession.clone(), c.specialty.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let kind_position: HashMap<(&str, &str), usize> = kinds
        .iter()
        .enumerate()
        .map(|(i, (p, s))| ((p.as_str(), s.as_str()), i + 1))
        .collect();
    let mut professionals = vec![vec![0; kinds.len() + 1]; communes.len()];
    for count in counts {
        if let Some(&commune) = position.get(count.code.as_str()) {
            let kind = kind_position[&(count.profession.as_str(), count.specialty.as_str())];
            professionals[commune][kind] = count.professionals;
            if is_general_practitioner(&count.profession, &count.specialty) {
                professionals[commune][0] += count.professionals;
            }
        }
    }
    (kinds, professionals)
}

/// Each commune's age shares, where its population by age is known.
fn ages_by_commune(
    communes: &[PlacedCommune],
    people: &HashMap<String, [f64; 6]>,
) -> Vec<Option<AgeShares>> {
    communes
        .iter()
        .map(|c| {
            let [share_0_14, share_60_plus, share_75_plus] = age_shares(people.get(&c.insee)?)?;
            Some(AgeShares {
                share_0_14,
                share_60_plus,
                share_75_plus,
            })
        })
        .collect()
}

/// The groups of long-term illness, and each group's figure for each commune, masked by
/// department.
fn ald_by_group(
    communes: &[PlacedCommune],
    departements: &BTreeMap<&str, Vec<usize>>,
    ald_rows: &[AldRow],
    threshold: i64,
) -> (Vec<String>, Vec<Vec<AldFigure>>) {
    let population = |i: usize| communes[i].population.unwrap_or(0);
    let ald_groups: Vec<String> = ald_rows
        .iter()
        .map(|r| r.ald.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let patients: HashMap<(&str, &str), i64> = ald_rows
        .iter()
        .map(|r| ((r.ald.as_str(), r.code.as_str()), r.patients))
        .collect();
    let by_group = ald_groups
        .iter()
        .map(|group| {
            per_departement(departements, communes.len(), |positions| {
                let of_communes: Vec<Option<i64>> = positions
                    .iter()
                    .map(|&i| patients.get(&(group.as_str(), communes[i].insee.as_str())))
                    .map(|p| p.copied())
                    .collect();
                let populations: Vec<i64> = positions.iter().map(|&i| population(i)).collect();
                ald::commune_figures(&of_communes, &populations, threshold)
            })
        })
        .collect();
    (ald_groups, by_group)
}

/// What the indicators count, the GPs first.
fn offer_kinds(kinds: Vec<(String, String)>) -> Vec<OfferKind> {
    std::iter::once(OfferKind {
        kind: LineKind::GeneralPractitioners,
        profession: PHYSICIAN.to_owned(),
        specialty: String::new(),
        label: GENERAL_PRACTITIONERS.to_owned(),
    })
    .chain(kinds.into_iter().map(|(profession, specialty)| OfferKind {
        kind: if is_general_practitioner(&profession, &specialty) {
            LineKind::GeneralPracticeDetail
        } else {
            LineKind::Profession
        },
        label: label(&profession, &specialty),
        profession,
        specialty,
    }))
    .collect()
}
