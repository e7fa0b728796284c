//! Synthetic professionals (identifiers, civilité, invented names) and their rows in the
//! two files.

use super::calibration::Profession;
use super::generator::{Generator, Place};
use super::ids;
use super::names::{GIVEN_FEMALE, GIVEN_MALE, SURNAMES};
use super::rows::Outputs;
use super::sites::{Site, SiteRef};
use std::io;

/// Share of compound surnames (`MARTIN-DUBOIS`).
const COMPOUND_SURNAME: f64 = 0.03;

pub(super) struct Person {
    pub rpps: String,
    pub national: String,
    pub title: (&'static str, &'static str),
    pub civility: (&'static str, &'static str),
    pub surname: String,
    pub given: &'static str,
    pub profession: &'static Profession,
    pub skill: Option<(&'static str, &'static str)>,
}

/// `Code mode exercice`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    Liberal,
    Salaried,
    /// A row without any structure (no declared site): mode, sector and genre are empty.
    Undeclared,
}

/// One activity row of a professional.
pub(super) struct Activity {
    pub mode: Mode,
    pub site: Option<SiteRef>,
    pub section: (&'static str, &'static str),
}

impl Activity {
    pub(super) fn at(mode: Mode, site: SiteRef) -> Self {
        Self {
            mode,
            site: Some(site),
            section: ("", ""),
        }
    }

    pub(super) fn undeclared() -> Self {
        Self {
            mode: Mode::Undeclared,
            site: None,
            section: ("", ""),
        }
    }
}

impl Generator {
    /// The next professional: identifiers from the running index, names drawn.
    pub(super) fn person(
        &mut self,
        profession: &'static Profession,
        skill: Option<(&'static str, &'static str)>,
    ) -> Person {
        let rpps = ids::rpps(self.professionals, self.rpps_offset);
        self.professionals += 1;
        let rng = &mut self.rng;
        let female = rng.f64() < profession.female;
        let given = if female {
            GIVEN_FEMALE[rng.usize(..GIVEN_FEMALE.len())]
        } else {
            GIVEN_MALE[rng.usize(..GIVEN_MALE.len())]
        };
        let mut surname = SURNAMES[rng.usize(..SURNAMES.len())].to_owned();
        if rng.f64() < COMPOUND_SURNAME {
            surname.push('-');
            surname.push_str(SURNAMES[rng.usize(..SURNAMES.len())]);
        }
        let title = if rng.f64() < profession.doctor_title {
            ("DR", "Docteur")
        } else {
            ("", "")
        };
        Person {
            national: format!("8{rpps}"),
            rpps,
            title,
            civility: if female {
                ("MME", "Madame")
            } else {
                ("M", "Monsieur")
            },
            surname,
            given,
            profession,
            skill,
        }
    }

    /// Writes the activity rows of `person`, then its savoir-faire row if it has one.
    pub(super) fn write_person(
        &self,
        person: &Person,
        activities: &[Activity],
        out: &mut Outputs,
    ) -> io::Result<()> {
        let (skill_type, skill_type_label, skill_code, skill_label) = match person.skill {
            Some((code, label)) => ("S", "Spécialité ordinale", code, label),
            None => ("", "", "", ""),
        };
        let profession = person.profession;
        for activity in activities {
            let (mode, mode_label, authority, genre, genre_label) = match activity.mode {
                Mode::Liberal => (
                    "L",
                    "Libéral",
                    profession.authority[0],
                    "GENR01",
                    "Activité de soin et de pharmacie",
                ),
                Mode::Salaried => (
                    "S",
                    "Salarié",
                    profession.authority[1],
                    "GENR01",
                    "Activité de soin et de pharmacie",
                ),
                Mode::Undeclared => ("", "", "", "", ""),
            };
            let site = activity.site.map(|s| self.site(s));
            let place = site.map(|s| &self.places[s.place]);
            let text = |f: fn(&Site) -> &str| site.map_or("", f);
            let at = |f: fn(&Place) -> &str| place.map_or("", f);
            out.activity_row(&[
                "8",
                &person.rpps,
                &person.national,
                person.title.0,
                person.title.1,
                person.civility.0,
                person.civility.1,
                &person.surname,
                person.given,
                profession.code,
                profession.label,
                "C",
                "Civil",
                skill_type,
                skill_type_label,
                skill_code,
                skill_label,
                mode,
                mode_label,
                text(|s| &s.siret),
                "",
                text(|s| &s.finess),
                text(|s| &s.finess_legal),
                text(|s| &s.technical_id),
                text(|s| &s.name),
                text(|s| &s.brand),
                text(|s| &s.name),
                text(|s| s.complement),
                text(|s| &s.number),
                text(|s| s.repetition),
                text(|s| s.street_type.0),
                text(|s| s.street_type.1),
                text(|s| s.street),
                text(|s| &s.distribution),
                text(|s| &s.cedex),
                at(|p| &p.postcode),
                at(|p| &p.insee),
                at(|p| &p.name),
                "",
                "",
                text(|s| &s.phone),
                "",
                text(|s| &s.fax),
                text(|s| &s.email),
                at(|p| &p.departement),
                at(|p| &p.departement_label),
                text(|s| &s.former_id),
                authority,
                site.map_or("", |s| s.sector.0),
                site.map_or("", |s| s.sector.1),
                activity.section.0,
                activity.section.1,
                "",
                "",
                genre,
                genre_label,
            ])?;
        }
        if person.skill.is_some() {
            out.skill_row(&[
                "8",
                &person.rpps,
                &person.national,
                &person.surname,
                person.given,
                profession.code,
                profession.label,
                "C",
                "Civil",
                skill_type,
                skill_type_label,
                skill_code,
                skill_label,
            ])?;
        }
        Ok(())
    }
}
