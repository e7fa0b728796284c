//! Mortality in a diagnosis: per group of causes, the comparative mortality index (ICM) of
//! each commune of the CPTS and of the CPTS as a whole against the commune's region, by
//! indirect age standardisation on INSEE's six age bands, with its exact 95 % interval.

use super::ald::{MASKED, NOT_IN_FILE};
use maillage_domain::diagnosis::mortality::{
    BandFigures, CONFIDENCE_95, ComparativeMortalityIndex, Significance, expected_deaths,
};
use maillage_domain::diagnosis::{AGE_BANDS, masked_parts, publishable};
use maillage_store::diagnosis::statistics::{AgeRow, DeathsByBand};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

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

/// What the indices are computed from: people and deaths of each age band.
pub struct MortalityData {
    /// People of each band (both sexes) per commune or region code.
    people: HashMap<String, [f64; 6]>,
    /// Deaths of each band per (level, code, cause).
    deaths: HashMap<(String, String, String), [i64; 6]>,
    causes: BTreeSet<String>,
}

impl MortalityData {
    /// `people` must hold the communes' and their regions' (under the region's code).
    pub fn new(people: HashMap<String, [f64; 6]>, deaths: Vec<DeathsByBand>) -> Self {
        let causes = deaths.iter().map(|d| d.cause.clone()).collect();
        let deaths = deaths
            .into_iter()
            .map(|d| ((d.level, d.code, d.cause), d.deaths))
            .collect();
        Self {
            people,
            deaths,
            causes,
        }
    }

    /// The groups of causes of the file, in alphabetical order.
    pub fn causes(&self) -> impl Iterator<Item = &str> {
        self.causes.iter().map(String::as_str)
    }

    fn deaths(&self, level: &str, code: &str, cause: &str) -> Option<&[i64; 6]> {
        // The map's key owns its strings; a lookup builds one (a few per commune).
        let key = (level.to_owned(), code.to_owned(), cause.to_owned());
        self.deaths.get(&key)
    }

    /// Observed and expected deaths of the commune `code` of `region`, or why they are not
    /// known.
    pub fn commune(
        &self,
        code: &str,
        region: &str,
        cause: &str,
    ) -> Result<(i64, f64), &'static str> {
        let observed = self.deaths("commune", code, cause).ok_or(NOT_IN_FILE)?;
        let population = self.people.get(code).ok_or(NO_AGES)?;
        let reference_population = self.people.get(region).ok_or(NO_AGES)?;
        let reference_deaths = self.deaths("region", region, cause).ok_or(NO_REGION)?;
        let bands: Vec<BandFigures> = (0..AGE_BANDS.len())
            .map(|b| BandFigures {
                population: population[b],
                reference_deaths: reference_deaths[b].unsigned_abs(),
                reference_population: reference_population[b],
            })
            .collect();
        Ok((observed.iter().sum(), expected_deaths(&bands)))
    }
}

/// People of each band (both sexes) per code of `rows`.
pub fn people_by_band(rows: &[AgeRow]) -> HashMap<String, [f64; 6]> {
    let mut people: HashMap<String, [f64; 6]> = HashMap::new();
    for row in rows {
        if let Some(band) = AGE_BANDS.iter().position(|b| b.code == row.band) {
            people.entry(row.code.clone()).or_default()[band] += row.people;
        }
    }
    people
}

/// The figures of communes whose observed and expected deaths are `known`, small counts
/// masked, with one more when a single one is (a total would give it away).
pub fn commune_figures(
    known: &[Result<(i64, f64), &'static str>],
    threshold: i64,
) -> Vec<IndexFigure> {
    let observed: Vec<Option<i64>> = known.iter().map(|k| k.ok().map(|(o, _)| o)).collect();
    let masked = masked_parts(&observed, threshold);
    known
        .iter()
        .zip(masked)
        .map(|(k, masked)| {
            k.map_or_else(IndexFigure::missing, |(o, e)| IndexFigure::of(o, e, masked))
        })
        .collect()
}

/// The lines of every group of causes: `communes` are the CPTS's (code, region).
pub fn lines(
    communes: &[(String, String)],
    data: &MortalityData,
    threshold: i64,
) -> Vec<MortalityLine> {
    data.causes()
        .map(|cause| {
            let known: Vec<Result<(i64, f64), &'static str>> = communes
                .iter()
                .map(|(code, region)| data.commune(code, region, cause))
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
            MortalityLine {
                cause: cause.to_owned(),
                cpts,
                communes: commune_figures(&known, threshold),
            }
        })
        .collect()
}
