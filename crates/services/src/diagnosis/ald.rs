//! Patients in long-term illness (ALD) in a diagnosis: per group of illness, the patients
//! and prevalence of the CPTS (its communes summed, when the file has them all), of each
//! commune and of each area the file gives, small counts masked (and, for communes, one
//! more when the CPTS's total would give a masked one away).

use super::Area;
use maillage_domain::diagnosis::{masked_parts, prevalence, publishable, ratio};
use maillage_store::diagnosis::statistics::AldRow;
use serde::Serialize;
use std::collections::BTreeSet;

/// Why a figure is not given.
pub const MASKED: &str = "secret statistique";
pub const NOT_IN_FILE: &str = "absent du fichier";

/// Patients of one group in one area or commune.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct AldFigure {
    pub patients: Option<i64>,
    /// Patients per 100 inhabitants (legal population).
    pub prevalence: Option<f64>,
    /// The CPTS's prevalence divided by this area's (none for the CPTS and its communes).
    pub ratio: Option<f64>,
    /// Why the figure is not given, if it is not.
    pub note: Option<&'static str>,
}

impl AldFigure {
    fn of(patients: Option<i64>, population: i64, masked: bool) -> Self {
        match patients {
            None => Self::missing(NOT_IN_FILE),
            Some(_) if masked => Self::missing(MASKED),
            Some(n) => Self {
                patients: Some(n),
                prevalence: prevalence(n, population),
                ratio: None,
                note: None,
            },
        }
    }

    fn missing(note: &'static str) -> Self {
        Self {
            patients: None,
            prevalence: None,
            ratio: None,
            note: Some(note),
        }
    }
}

/// One group of illness: its figures in the areas (in the diagnosis's order) and communes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AldLine {
    pub ald: String,
    pub figures: Vec<AldFigure>,
    pub communes: Vec<AldFigure>,
}

fn patients_of(rows: &[AldRow], level: &str, code: &str, ald: &str) -> Option<i64> {
    rows.iter()
        .find(|r| r.level == level && r.code == code && r.ald == ald)
        .map(|r| r.patients)
}

/// The figures of communes with these `patients` (`None`: not in the file) and legal
/// `populations`, small counts masked, with one more when a single one is (a total would
/// give it away).
pub fn commune_figures(
    patients: &[Option<i64>],
    populations: &[i64],
    threshold: i64,
) -> Vec<AldFigure> {
    let masked = masked_parts(patients, threshold);
    patients
        .iter()
        .zip(populations)
        .zip(masked)
        .map(|((patients, population), masked)| AldFigure::of(*patients, *population, masked))
        .collect()
}

/// The lines of every group the file gives: `rows` are the file's rows for the CPTS's
/// communes and the areas, `communes` the CPTS's (code, legal population).
pub fn lines(
    areas: &[Area],
    communes: &[(String, i64)],
    rows: &[AldRow],
    threshold: i64,
) -> Vec<AldLine> {
    let groups: BTreeSet<&str> = rows.iter().map(|r| r.ald.as_str()).collect();
    groups
        .into_iter()
        .map(|ald| {
            let of_communes: Vec<Option<i64>> = communes
                .iter()
                .map(|(code, _)| patients_of(rows, "commune", code, ald))
                .collect();
            // The CPTS's count is known only when every commune's is.
            let cpts: Option<i64> = of_communes.iter().copied().sum();
            let mut figures: Vec<AldFigure> = areas
                .iter()
                .map(|area| {
                    let patients = match area.level {
                        "cpts" => cpts,
                        level => patients_of(rows, level, &area.code, ald),
                    };
                    let masked = patients.is_some_and(|n| publishable(n, threshold).is_none());
                    AldFigure::of(patients, area.population, masked)
                })
                .collect();
            let cpts_prevalence = figures[0].prevalence;
            for figure in figures.iter_mut().skip(1) {
                figure.ratio = ratio(cpts_prevalence, figure.prevalence);
            }
            let populations: Vec<i64> = communes.iter().map(|(_, p)| *p).collect();
            AldLine {
                ald: ald.to_owned(),
                figures,
                communes: commune_figures(&of_communes, &populations, threshold),
            }
        })
        .collect()
}
