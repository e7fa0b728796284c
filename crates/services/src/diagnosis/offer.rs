//! The offer of care of a diagnosis: professionals per profession (and specialty, for
//! doctors) in the CPTS, in each of its communes and in the areas it is compared with, with
//! densities, ratios and modes of practice.

use super::Area;
use crate::directory::index::Presence;
use maillage_domain::codes::{PROFESSIONS, SPECIALTIES};
use maillage_domain::diagnosis::{density, is_second_recourse, ratio};
use maillage_store::offer::OfferCount;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One profession's figures in one area.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figure {
    pub professionals: i64,
    /// Per 100,000 inhabitants.
    pub density: Option<f64>,
    /// The CPTS's density divided by this area's (none for the CPTS itself).
    pub ratio: Option<f64>,
}

/// How the CPTS's professionals of a line practise, over all their sites: only liberal,
/// only salaried (or another non-liberal mode), or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Modes {
    pub liberal: i64,
    pub salaried: i64,
    pub mixed: i64,
}

/// One profession (and specialty) in every area, in the order of the diagnosis's areas.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferLine {
    pub profession: String,
    /// Doctors' specialty; empty for other professions.
    pub specialty: String,
    pub label: String,
    /// Specialists doctors other than GPs: the offer of second recourse.
    pub second_recourse: bool,
    pub figures: Vec<Figure>,
    /// Professionals in each commune, in the order of the diagnosis's communes.
    pub communes: Vec<i64>,
    /// The CPTS's professionals by mode of practice.
    pub modes: Modes,
}

pub(super) fn label(profession: &str, specialty: &str) -> String {
    let profession_label = PROFESSIONS.label(profession).unwrap_or(profession);
    match SPECIALTIES.label(specialty) {
        Some(specialty) if !specialty.is_empty() => format!("{profession_label} — {specialty}"),
        _ => profession_label.to_owned(),
    }
}

type Kind = (String, String);

/// The offer lines: `presences` are the CPTS's (a professional once per site), `compared` the counts of each other area
/// (in the order of `areas` after the CPTS), `communes` the CPTS's commune codes.
pub fn lines(
    areas: &[Area],
    presences: &[Presence],
    compared: &[Vec<OfferCount>],
    communes: &[String],
) -> Vec<OfferLine> {
    // Each professional once per kind for the CPTS, once per commune for the communes.
    let mut cpts: BTreeMap<(&str, &str), (HashSet<i64>, Modes)> = BTreeMap::new();
    let mut per_commune: HashMap<(&str, &str, &str), HashSet<i64>> = HashMap::new();
    for p in presences {
        let kind = (p.profession, p.specialty);
        per_commune
            .entry((p.profession, p.specialty, p.commune))
            .or_default()
            .insert(p.professional_id);
        let (seen, modes) = cpts.entry(kind).or_default();
        if seen.insert(p.professional_id) {
            match (p.liberal, p.not_liberal) {
                (true, false) => modes.liberal += 1,
                (true, true) => modes.mixed += 1,
                _ => modes.salaried += 1,
            }
        }
    }
    let kinds: BTreeSet<Kind> = cpts
        .keys()
        .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
        .chain(
            compared
                .iter()
                .flatten()
                .filter(|c| c.professionals > 0)
                .map(|c| (c.profession.clone(), c.specialty.clone())),
        )
        .collect();
    kinds
        .into_iter()
        .map(|kind| {
            let (in_cpts, modes) = cpts
                .get(&(kind.0.as_str(), kind.1.as_str()))
                .map_or((0, Modes::default()), |(seen, modes)| {
                    (seen.len() as i64, *modes)
                });
            let counts = std::iter::once(in_cpts).chain(compared.iter().map(|rows| {
                rows.iter()
                    .find(|r| (&r.profession, &r.specialty) == (&kind.0, &kind.1))
                    .map_or(0, |r| r.professionals)
            }));
            let densities: Vec<(i64, Option<f64>)> = counts
                .zip(areas)
                .map(|(n, area)| (n, density(n, area.population)))
                .collect();
            let cpts_density = densities[0].1;
            let figures = densities
                .iter()
                .enumerate()
                .map(|(i, (professionals, density))| Figure {
                    professionals: *professionals,
                    density: *density,
                    ratio: (i > 0).then(|| ratio(cpts_density, *density)).flatten(),
                })
                .collect();
            let communes = communes
                .iter()
                .map(|c| {
                    per_commune
                        .get(&(kind.0.as_str(), kind.1.as_str(), c.as_str()))
                        .map_or(0, |seen| seen.len() as i64)
                })
                .collect();
            let (profession, specialty) = kind;
            OfferLine {
                label: label(&profession, &specialty),
                second_recourse: is_second_recourse(&profession, &specialty),
                profession,
                specialty,
                figures,
                communes,
                modes,
            }
        })
        .collect()
}
