//! Calibration of the synthetic directory: densities per 100,000 inhabitants, practice
//! modes, specialties and the nomenclature codes each profession is written with.
//!
//! # Figures and where they come from
//!
//! Densities per 100,000 inhabitants, as given in the project's issue (DREES 2023
//! published demographics of health professionals, France):
//!
//! | profession (TRE_G15)            | density | written as                               |
//! | ------------------------------- | ------- | ---------------------------------------- |
//! | médecins généralistes (10)      | 149     | SM53 (75 %) or SM54 (25 %)               |
//! | other medical specialists (10)  | 192     | spread over [`SPECIALTIES`]              |
//! | infirmiers libéraux (60)        | 146     | mode L                                   |
//! | infirmiers salariés (60)        | 700     | mode S, mostly the departmental hospital |
//! | masseurs-kinésithérapeutes (70) | 111     |                                          |
//! | chirurgiens-dentistes (40)      | 52      |                                          |
//! | sages-femmes (50)               | 53      |                                          |
//! | pharmaciens (21)                | 110     | officine SA33, hospital, laboratory      |
//! | orthophonistes (91)             | 40      |                                          |
//! | pédicures-podologues (80)       | 22      |                                          |
//! | orthoptistes (92)               | 9       |                                          |
//! | psychomotriciens (96)           | 20      |                                          |
//!
//! * GPs: "57 % liberal (mode L), the rest salaried (S) or mixed" (issue). The rest is
//!   split here as 8 % mixed (a liberal row plus a salaried row) and 35 % salaried only.
//! * "About 8 % of liberal professionals have two practice sites" (issue): [`SECOND_SITE`].
//! * Salaried nurses are written at their full density (700), not scaled down: France
//!   scale then gives about 1.2 million activity rows (the real file has 2.1–2.4 million
//!   because it also holds the professions not generated here).
//! * Everything else (liberal shares of the other professions, specialty mix, share of
//!   women, group practice, employers) is **our own approximation** of orders of magnitude,
//!   not a published figure: good enough for demos and benchmarks, not for statistics.
//! * Specialists are spread within a department by population^1.3 ([`TOWN_EXPONENT`]), so
//!   they concentrate in towns; every other profession in proportion to population.

/// Exponent of the population when spreading specialists over a department's communes.
pub(super) const TOWN_EXPONENT: f64 = 1.3;
/// Share of the professionals with a liberal row that have a second practice site.
pub(super) const SECOND_SITE: f64 = 0.08;
/// Share of professionals written with one row without any structure (no declared site).
pub(super) const NO_SITE: f64 = 0.01;
/// Share of salaried specialists written with the title "PR" (Professeur).
pub(super) const PROFESSOR: f64 = 0.03;

/// How a profession's count is spread over the communes of a department.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Spread {
    Population,
    Towns,
}

/// How practice modes and structures are chosen.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Plain,
    Specialist,
    Pharmacist,
}

/// An establishment kind that employs salaried professionals (or hosts liberal ones).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum Establishment {
    /// The commune's hospital when it has one (20,000 inhabitants), else the department's.
    Hospital,
    /// The hospital of the department's largest commune.
    DeptHospital,
    Ehpad,
    HealthCentre,
    Lab,
    Clinic,
    OccupationalHealth,
    MedicoSocial,
    Msp,
}

/// A savoir-faire: TRE_R38 code, label as written in the file, and probability.
pub(super) struct Skill {
    pub code: &'static str,
    pub label: &'static str,
    pub share: f64,
}

pub(super) struct Profession {
    pub code: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub per_100k: f64,
    pub spread: Spread,
    pub female: f64,
    /// Probability of the civilité d'exercice DR.
    pub doctor_title: f64,
    pub liberal: f64,
    pub mixed: f64,
    /// Name prefix of a solo cabinet and of a group cabinet.
    pub solo: &'static str,
    pub cabinet: &'static str,
    /// Shares of liberal main sites in a group cabinet (SA08), the commune's MSP (SA52)
    /// and a company (SA09); the rest is a solo cabinet (SA07).
    pub group: f64,
    pub msp: f64,
    pub society: f64,
    pub salaried_at: &'static [(Establishment, f64)],
    /// `Autorité d'enregistrement` of liberal and of salaried rows.
    pub authority: [&'static str; 2],
    pub skills: &'static [Skill],
}

const fn skill(code: &'static str, label: &'static str, share: f64) -> Skill {
    Skill { code, label, share }
}

const DOCTOR_AUTHORITY: [&str; 2] = ["CNOM/CNOM/CNOM", "CNOM/CNOM/ARS"];
const PARAMEDICAL_AUTHORITY: [&str; 2] = ["ARS/CPAM/CPAM", "ARS/Variable/Variable"];

#[allow(clippy::too_many_arguments)]
const fn plain(
    code: &'static str,
    label: &'static str,
    per_100k: f64,
    female: f64,
    modes: (f64, f64),
    cabinet: &'static str,
    shares: (f64, f64, f64),
    salaried_at: &'static [(Establishment, f64)],
    authority: [&'static str; 2],
) -> Profession {
    Profession {
        code,
        label,
        kind: Kind::Plain,
        per_100k,
        spread: Spread::Population,
        female,
        doctor_title: 0.0,
        liberal: modes.0,
        mixed: modes.1,
        solo: cabinet,
        cabinet,
        group: shares.0,
        msp: shares.1,
        society: shares.2,
        salaried_at,
        authority,
        skills: &[],
    }
}

use Establishment as E;

/// The professions generated, in the order they are written for each commune. Arguments
/// of `plain`: code, label, density, share of women, (liberal, mixed) shares, cabinet
/// name, (group, MSP, company) shares of liberal sites, employers of salaried rows,
/// registration authorities.
#[rustfmt::skip]
pub(super) const PROFESSIONS: &[Profession] = &[
    Profession {
        doctor_title: 1.0,
        solo: "CABINET DU DR",
        skills: &[
            skill("SM53", "Spécialiste en Médecine Générale", 0.75),
            skill("SM54", "Médecine Générale", 0.25),
        ],
        ..plain("10", "Médecin", 149.0, 0.52, (0.57, 0.08), "CABINET MEDICAL", (0.55, 0.15, 0.0),
            &[(E::Hospital, 0.5), (E::HealthCentre, 0.3), (E::Ehpad, 0.2)], DOCTOR_AUTHORITY)
    },
    Profession {
        kind: Kind::Specialist,
        spread: Spread::Towns,
        doctor_title: 1.0,
        solo: "CABINET DU DR",
        ..plain("10", "Médecin", 192.0, 0.47, (0.0, 0.0), "CABINET", (0.45, 0.0, 0.10),
            &[(E::Hospital, 1.0)], DOCTOR_AUTHORITY)
    },
    plain("60", "Infirmier", 146.0, 0.85, (1.0, 0.0), "CABINET INFIRMIER", (0.45, 0.10, 0.0),
        &[(E::Hospital, 1.0)], PARAMEDICAL_AUTHORITY),
    plain("60", "Infirmier", 700.0, 0.87, (0.0, 0.0), "CABINET INFIRMIER", (0.0, 0.0, 0.0),
        &[(E::DeptHospital, 0.70), (E::Hospital, 0.10), (E::Ehpad, 0.15), (E::HealthCentre, 0.05)],
        PARAMEDICAL_AUTHORITY),
    plain("70", "Masseur-Kinésithérapeute", 111.0, 0.50, (0.80, 0.05), "CABINET DE KINESITHERAPIE",
        (0.50, 0.08, 0.05), &[(E::Hospital, 0.6), (E::Ehpad, 0.2), (E::MedicoSocial, 0.2)],
        PARAMEDICAL_AUTHORITY),
    Profession {
        doctor_title: 1.0,
        solo: "CABINET DU DR",
        skills: &[
            skill("SCD01", "Orthopédie dento-faciale", 0.05),
            skill("SCD02", "Chirurgie orale", 0.01),
            skill("SCD03", "Médecine bucco-dentaire", 0.01),
        ],
        ..plain("40", "Chirurgien-Dentiste", 52.0, 0.48, (0.88, 0.02), "CABINET DENTAIRE",
            (0.40, 0.02, 0.20), &[(E::HealthCentre, 0.7), (E::Hospital, 0.3)], ["", ""])
    },
    plain("50", "Sage-Femme", 53.0, 0.97, (0.30, 0.05), "CABINET DE SAGE-FEMME", (0.35, 0.15, 0.0),
        &[(E::DeptHospital, 0.5), (E::Hospital, 0.3), (E::Clinic, 0.2)], ["", ""]),
    Profession {
        kind: Kind::Pharmacist,
        doctor_title: 0.5,
        ..plain("21", "Pharmacien", 110.0, 0.68, (0.0, 0.0), "PHARMACIE", (0.0, 0.0, 0.0),
            &[(E::Hospital, 1.0)], ["", ""])
    },
    plain("91", "Orthophoniste", 40.0, 0.97, (0.80, 0.05), "CABINET D'ORTHOPHONIE", (0.35, 0.10, 0.0),
        &[(E::Hospital, 0.5), (E::MedicoSocial, 0.5)], PARAMEDICAL_AUTHORITY),
    plain("80", "Pédicure-Podologue", 22.0, 0.70, (0.95, 0.02), "CABINET DE PEDICURIE-PODOLOGIE",
        (0.25, 0.12, 0.0), &[(E::Hospital, 0.5), (E::Ehpad, 0.5)], PARAMEDICAL_AUTHORITY),
    plain("92", "Orthoptiste", 9.0, 0.90, (0.65, 0.05), "CABINET D'ORTHOPTIE", (0.30, 0.02, 0.0),
        &[(E::Hospital, 1.0)], PARAMEDICAL_AUTHORITY),
    plain("96", "Psychomotricien", 20.0, 0.88, (0.20, 0.08), "CABINET DE PSYCHOMOTRICITE",
        (0.30, 0.05, 0.0), &[(E::MedicoSocial, 0.6), (E::Hospital, 0.4)], PARAMEDICAL_AUTHORITY),
];
