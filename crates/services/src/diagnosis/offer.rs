//! The offer of care of a diagnosis: professionals per profession (and specialty, for
//! doctors) in the CPTS, in each of its communes and in the areas it is compared with, with
//! densities, ratios and modes of practice.

use super::Area;
use crate::directory::index::Presence;
use maillage_domain::diagnosis::{density, ratio};
use maillage_domain::directory::codes::{PROFESSIONS, SPECIALTIES};
use maillage_domain::directory::general_practice::{
    PHYSICIAN, is_general_practitioner, is_second_recourse,
};
use maillage_store::diagnosis::offer::OfferCount;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One profession's figures in one area.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figure {
    /// None for an area the imported directory does not cover wholly (not compared).
    pub professionals: Option<i64>,
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

/// What an offer line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Every general practitioner, whatever their specialty of general practice.
    GeneralPractitioners,
    /// One specialty of general practice: its professionals are in the line above.
    GeneralPracticeDetail,
    /// One profession, or one doctors' specialty other than general practice.
    Profession,
}

/// One profession (and specialty) in every area, in the order of the diagnosis's areas.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferLine {
    pub profession: String,
    /// Doctors' specialty; empty for other professions and for the line of every GP.
    pub specialty: String,
    pub label: String,
    pub kind: LineKind,
    /// Specialists doctors other than GPs: the offer of second recourse.
    pub second_recourse: bool,
    pub figures: Vec<Figure>,
    /// Professionals in each commune, in the order of the diagnosis's communes.
    pub communes: Vec<i64>,
    /// The CPTS's professionals by mode of practice.
    pub modes: Modes,
}

impl OfferLine {
    /// The CPTS's own professionals of the line.
    pub fn in_cpts(&self) -> i64 {
        self.figures[0].professionals.unwrap_or(0)
    }
}

pub(super) fn label(profession: &str, specialty: &str) -> String {
    let profession_label = PROFESSIONS.label(profession).unwrap_or(profession);
    match SPECIALTIES.label(specialty) {
        Some(specialty) if !specialty.is_empty() => format!("{profession_label} — {specialty}"),
        _ => profession_label.to_owned(),
    }
}

/// The label of the line of every GP.
pub const GENERAL_PRACTITIONERS: &str = "Médecins généralistes";

/// A line's key, in the order lines are listed: every GP, then each specialty of general
/// practice, then the other kinds by code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    GeneralPractitioners,
    Code(bool, String, String),
}

impl Key {
    fn of(profession: &str, specialty: &str) -> Self {
        let detail = is_general_practitioner(profession, specialty);
        Key::Code(!detail, profession.to_owned(), specialty.to_owned())
    }
}

/// What the lines count of one key while the presences and counts are read.
#[derive(Default)]
struct Tally<'a> {
    in_cpts: HashSet<i64>,
    modes: Modes,
    per_commune: HashMap<&'a str, HashSet<i64>>,
    /// Per compared area, in the order of `compared`.
    compared: Vec<Option<i64>>,
}

impl<'a> Tally<'a> {
    fn note(&mut self, p: &Presence<'a>) {
        self.per_commune
            .entry(p.commune)
            .or_default()
            .insert(p.professional_id);
        if self.in_cpts.insert(p.professional_id) {
            match (p.liberal, p.not_liberal) {
                (true, false) => self.modes.liberal += 1,
                (true, true) => self.modes.mixed += 1,
                _ => self.modes.salaried += 1,
            }
        }
    }
}

/// Each area's count and density of a kind (the CPTS's first), with the ratio of the
/// CPTS's density to each other area's.
fn figures(counts: impl Iterator<Item = Option<i64>>, areas: &[Area]) -> Vec<Figure> {
    let densities: Vec<(Option<i64>, Option<f64>)> = counts
        .zip(areas)
        .map(|(n, area)| (n, n.and_then(|n| density(n, area.population))))
        .collect();
    let cpts_density = densities[0].1;
    densities
        .iter()
        .enumerate()
        .map(|(i, (professionals, density))| Figure {
            professionals: *professionals,
            density: *density,
            ratio: (i > 0).then(|| ratio(cpts_density, *density)).flatten(),
        })
        .collect()
}

/// A line's profession, specialty, kind and label.
fn described(key: Key) -> (String, String, LineKind, String) {
    let (profession, specialty, kind) = match key {
        Key::GeneralPractitioners => (
            PHYSICIAN.to_owned(),
            String::new(),
            LineKind::GeneralPractitioners,
        ),
        Key::Code(false, profession, specialty) => {
            (profession, specialty, LineKind::GeneralPracticeDetail)
        }
        Key::Code(true, profession, specialty) => (profession, specialty, LineKind::Profession),
    };
    let label = match kind {
        LineKind::GeneralPractitioners => GENERAL_PRACTITIONERS.to_owned(),
        LineKind::GeneralPracticeDetail => format!(
            "dont {}",
            SPECIALTIES.label(&specialty).unwrap_or(&specialty)
        ),
        LineKind::Profession => label(&profession, &specialty),
    };
    (profession, specialty, kind, label)
}

/// The offer lines: `presences` are the CPTS's (a professional once per site), `compared`
/// the counts of each other area (in the order of `areas` after the CPTS; `None` for an
/// area not compared), `communes` the CPTS's commune codes. The GPs' line counts each of them once, whatever their specialty
/// of general practice; each professional has one specialty, so the compared areas' GPs
/// are the sum of the three specialties' counts.
pub fn lines(
    areas: &[Area],
    presences: &[Presence],
    compared: &[Option<Vec<OfferCount>>],
    communes: &[String],
) -> Vec<OfferLine> {
    let mut tallies: BTreeMap<Key, Tally> = BTreeMap::new();
    // A kind's own line, and the GPs' line for a GP.
    let keys = |profession: &str, specialty: &str| {
        let gp = is_general_practitioner(profession, specialty);
        std::iter::once(Key::of(profession, specialty))
            .chain(gp.then_some(Key::GeneralPractitioners))
    };
    let empty = || Tally {
        compared: compared.iter().map(|c| c.as_ref().map(|_| 0)).collect(),
        ..Tally::default()
    };
    for p in presences {
        for key in keys(p.profession, p.specialty) {
            tallies.entry(key).or_insert_with(empty).note(p);
        }
    }
    for (area, rows) in compared.iter().enumerate() {
        for row in rows.iter().flatten().filter(|r| r.professionals > 0) {
            for key in keys(&row.profession, &row.specialty) {
                let count = &mut tallies.entry(key).or_insert_with(empty).compared[area];
                *count = Some(count.unwrap_or(0) + row.professionals);
            }
        }
    }
    tallies
        .into_iter()
        .map(|(key, tally)| {
            let counts = std::iter::once(Some(tally.in_cpts.len() as i64)).chain(tally.compared);
            let figures = figures(counts, areas);
            let communes = communes
                .iter()
                .map(|c| {
                    tally
                        .per_commune
                        .get(c.as_str())
                        .map_or(0, |seen| seen.len() as i64)
                })
                .collect();
            let (profession, specialty, kind, label) = described(key);
            OfferLine {
                second_recourse: is_second_recourse(&profession, &specialty),
                label,
                kind,
                profession,
                specialty,
                figures,
                communes,
                modes: tally.modes,
            }
        })
        .collect()
}
