//! Mortality in a diagnosis: per group of causes, the comparative mortality index (ICM) of
//! each commune of the CPTS and of the CPTS as a whole against the commune's region, by
//! indirect age standardisation on INSEE's six age bands, with its exact 95 % interval.

use super::ages;
use super::ald::{MASKED, NOT_IN_FILE};
use maillage_domain::diagnosis::{AGE_BANDS, masked_parts, publishable};
use maillage_domain::mortality::{
    BandFigures, CONFIDENCE_95, ComparativeMortalityIndex, Significance, expected_deaths,
};
use maillage_store::statistics::{AgeRow, DeathRow};
use serde::Serialize;
use std::collections::BTreeSet;

pub const NO_AGES: &str = "population par âge non importée";
pub const NO_REGION: &str = "décès de la région absents du fichier";

/// The index of a commune or of the CPTS for one group of causes.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct IndexFigure {
    pub observed: Option<i64>,
    pub expected: Option<f64>,
    /// 100: as many deaths as the region's rates by age give.
    pub index: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// `above`, `below` or `not_significant` (against 100, at 95 %).
    #[schema(value_type = Option<String>)]
    pub significance: Option<Significance>,
    /// Why the index is not given, if it is not.
    pub note: Option<&'static str>,
}

impl IndexFigure {
    fn missing(note: &'static str) -> Self {
        Self {
            note: Some(note),
            ..Self::default()
        }
    }

    /// The figure of `observed` deaths against `expected`; a masked one gives only the
    /// expected deaths (the index would give the observed away).
    fn of(observed: i64, expected: f64, masked: bool) -> Self {
        if masked {
            return Self {
                expected: Some(expected),
                ..Self::missing(MASKED)
            };
        }
        let icm =
            ComparativeMortalityIndex::compute(observed.unsigned_abs(), expected, CONFIDENCE_95);
        Self {
            observed: Some(observed),
            expected: Some(expected),
            index: icm.map(|i| i.index),
            lower: icm.map(|i| i.lower),
            upper: icm.map(|i| i.upper),
            significance: icm.map(|i| i.significance()),
            note: None,
        }
    }
}

/// One group of causes: the CPTS's index, then each commune's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MortalityLine {
    pub cause: String,
    pub cpts: IndexFigure,
    pub communes: Vec<IndexFigure>,
}

/// People of each band, both sexes, in the rows of `code`; `None` without any row.
fn people_by_band(rows: &[AgeRow], code: &str) -> Option<[f64; 6]> {
    let (men, women) = ages::people(rows, &[code])?;
    Some(std::array::from_fn(|i| men[i] + women[i]))
}

/// Deaths of each band for `cause` in the rows of (`level`, `code`); `None` without any row.
fn deaths_by_band(rows: &[DeathRow], level: &str, code: &str, cause: &str) -> Option<[i64; 6]> {
    let mut bands = [0; 6];
    let mut found = false;
    for row in rows
        .iter()
        .filter(|r| r.level == level && r.code == code && r.cause == cause)
    {
        if let Some(band) = AGE_BANDS.iter().position(|b| b.code == row.band) {
            bands[band] += row.deaths;
            found = true;
        }
    }
    found.then_some(bands)
}

/// Observed and expected deaths of one commune, or why they are not known.
fn commune_deaths(
    commune: &(String, String),
    cause: &str,
    ages: &[AgeRow],
    deaths: &[DeathRow],
) -> Result<(i64, f64), &'static str> {
    let (code, region) = commune;
    let observed = deaths_by_band(deaths, "commune", code, cause).ok_or(NOT_IN_FILE)?;
    let population = people_by_band(ages, code).ok_or(NO_AGES)?;
    let reference_population = people_by_band(ages, region).ok_or(NO_AGES)?;
    let reference_deaths = deaths_by_band(deaths, "region", region, cause).ok_or(NO_REGION)?;
    let bands: Vec<BandFigures> = (0..AGE_BANDS.len())
        .map(|b| BandFigures {
            population: population[b],
            reference_deaths: reference_deaths[b].unsigned_abs(),
            reference_population: reference_population[b],
        })
        .collect();
    Ok((observed.iter().sum(), expected_deaths(&bands)))
}

/// The lines of every group of causes: `communes` are the CPTS's (code, region); `ages`
/// hold the rows of those communes and of their regions (under the region's code);
/// `deaths` the file's rows for them.
pub fn lines(
    communes: &[(String, String)],
    ages: &[AgeRow],
    deaths: &[DeathRow],
    threshold: i64,
) -> Vec<MortalityLine> {
    let causes: BTreeSet<&str> = deaths.iter().map(|r| r.cause.as_str()).collect();
    causes
        .into_iter()
        .map(|cause| {
            let known: Vec<Result<(i64, f64), &'static str>> = communes
                .iter()
                .map(|commune| commune_deaths(commune, cause, ages, deaths))
                .collect();
            // The CPTS's index needs every commune's deaths.
            let cpts = match known.iter().copied().collect::<Result<Vec<_>, _>>() {
                Ok(all) => {
                    let observed: i64 = all.iter().map(|(o, _)| o).sum();
                    let masked = publishable(observed, threshold).is_none();
                    IndexFigure::of(observed, all.iter().map(|(_, e)| e).sum(), masked)
                }
                Err(note) => IndexFigure::missing(note),
            };
            let observed: Vec<Option<i64>> = known.iter().map(|k| k.ok().map(|(o, _)| o)).collect();
            let masked = masked_parts(&observed, threshold);
            let communes = known
                .into_iter()
                .zip(masked)
                .map(|(k, masked)| {
                    k.map_or_else(IndexFigure::missing, |(o, e)| IndexFigure::of(o, e, masked))
                })
                .collect();
            MortalityLine {
                cause: cause.to_owned(),
                cpts,
                communes,
            }
        })
        .collect()
}
