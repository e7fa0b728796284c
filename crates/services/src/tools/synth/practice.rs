//! How each synthetic professional practises: mode (liberal, salaried, mixed), main site,
//! optional second site, and the pharmacists' officines.

use super::calibration::{Kind, NO_SITE, PROFESSOR, Profession, SECOND_SITE};
use super::generator::Generator;
use super::names::PHARMACY_NAMES;
use super::people::{Activity, Mode};
use super::rows::Outputs;
use super::sites::{MSP_THRESHOLD, SA07, SA09, SA33, SiteRef};
use super::specialties::{PHARMACIST_ROLES, PharmacistRole, SPECIALTIES, Specialty, total_weight};
use crate::tools::synth::calibration::Establishment;
use std::io;

/// Share of new officines with room for a second owner.
const SECOND_OWNER: f64 = 0.35;
/// Share of officines whose company name differs from their sign.
const PHARMACY_COMPANY: f64 = 0.2;

impl Generator {
    /// Writes one professional of a plain or specialist profession.
    pub(super) fn professional(
        &mut self,
        place: usize,
        profession: &'static Profession,
        out: &mut Outputs,
    ) -> io::Result<()> {
        let specialty = (profession.kind == Kind::Specialist).then(|| self.specialty());
        let skill = match specialty {
            Some(s) => Some((s.code, s.label)),
            None => self.skill(profession),
        };
        let (liberal, mixed) = specialty.map_or((profession.liberal, profession.mixed), |s| {
            (s.liberal, s.mixed)
        });
        let mut person = self.person(profession, skill);
        let mut activities = Vec::with_capacity(3);
        let draw = self.rng.f64();
        if self.rng.f64() < NO_SITE {
            activities.push(Activity::undeclared());
        } else if draw < liberal + mixed {
            let main = self.liberal_site(place, profession, specialty, &person.surname);
            activities.push(Activity::at(Mode::Liberal, main));
            if self.rng.f64() < SECOND_SITE {
                let other = self.neighbour(place);
                let (solo, _) = cabinet_names(profession, specialty);
                let site = self.new_site(other, format!("{solo} {}", person.surname), SA07, false);
                let site = SiteRef::Local(self.push_local(site));
                activities.push(Activity::at(Mode::Liberal, site));
            }
            if draw >= liberal {
                let site = self.salaried_site(place, profession, specialty);
                activities.push(Activity::at(Mode::Salaried, site));
            }
        } else {
            let site = self.salaried_site(place, profession, specialty);
            if specialty.is_some() && self.rng.f64() < PROFESSOR {
                person.title = ("PR", "Professeur");
            }
            activities.push(Activity::at(Mode::Salaried, site));
        }
        self.write_person(&person, &activities, out)
    }

    fn specialty(&mut self) -> &'static Specialty {
        let mut draw = self.rng.u32(0..total_weight());
        for specialty in SPECIALTIES {
            if draw < specialty.weight {
                return specialty;
            }
            draw -= specialty.weight;
        }
        &SPECIALTIES[0]
    }

    fn skill(&mut self, profession: &Profession) -> Option<(&'static str, &'static str)> {
        if profession.skills.is_empty() {
            return None;
        }
        let mut draw = self.rng.f64();
        for skill in profession.skills {
            if draw < skill.share {
                return Some((skill.code, skill.label));
            }
            draw -= skill.share;
        }
        None
    }

    fn liberal_site(
        &mut self,
        place: usize,
        profession: &Profession,
        specialty: Option<&Specialty>,
        surname: &str,
    ) -> SiteRef {
        if let Some(s) = specialty {
            if s.employer == Establishment::Lab {
                return self.establishment(place, Establishment::Lab);
            }
            if s.clinic && self.rng.bool() {
                return self.establishment(place, Establishment::Clinic);
            }
        }
        let (solo, cabinet) = cabinet_names(profession, specialty);
        let key = specialty.map_or(profession.cabinet, |s| s.code);
        let msp = if self.places[place].population >= MSP_THRESHOLD {
            profession.msp
        } else {
            0.0
        };
        let draw = self.rng.f64();
        if draw < msp {
            self.establishment(place, Establishment::Msp)
        } else if draw < msp + profession.group {
            self.group(place, key, format!("{cabinet} {surname}"))
        } else if draw < msp + profession.group + profession.society {
            let name = match solo {
                "CABINET DU DR" => format!("SELARL DU DR {surname}"),
                _ => format!("SELARL {cabinet} {surname}"),
            };
            let site = self.new_site(place, name, SA09, false);
            SiteRef::Local(self.push_local(site))
        } else {
            let site = self.new_site(place, format!("{solo} {surname}"), SA07, false);
            SiteRef::Local(self.push_local(site))
        }
    }

    fn salaried_site(
        &mut self,
        place: usize,
        profession: &Profession,
        specialty: Option<&Specialty>,
    ) -> SiteRef {
        let employer = match specialty {
            Some(s) => s.employer,
            None => profession.salaried_at[self.pick(profession.salaried_at)].0,
        };
        self.establishment(place, employer)
    }

    /// Writes the pharmacists of a commune: owners first (each opens an officine or joins
    /// one with room), then assistants in the commune's officines, then hospital and
    /// laboratory pharmacists.
    pub(super) fn pharmacists(
        &mut self,
        place: usize,
        profession: &'static Profession,
        count: u64,
        out: &mut Outputs,
    ) -> io::Result<()> {
        let overseas = self.places[place].departement.starts_with("97");
        let mut roles: Vec<PharmacistRole> = (0..count)
            .map(|_| PHARMACIST_ROLES[self.pick(PHARMACIST_ROLES)].0)
            .collect();
        roles.sort();
        for role in roles {
            let person = self.person(profession, None);
            let role = match role {
                PharmacistRole::Assistant if self.pharmacies.is_empty() => PharmacistRole::Owner,
                other => other,
            };
            let activity = if self.rng.f64() < NO_SITE {
                Activity::undeclared()
            } else {
                let (mode, site) = match role {
                    PharmacistRole::Owner => (Mode::Liberal, self.officine(place, &person.surname)),
                    PharmacistRole::Assistant => {
                        let i = self.rng.usize(..self.pharmacies.len());
                        (Mode::Salaried, SiteRef::Local(self.pharmacies[i].0))
                    }
                    PharmacistRole::Hospital => (
                        Mode::Salaried,
                        self.establishment(place, Establishment::Hospital),
                    ),
                    PharmacistRole::Biologist => {
                        (Mode::Liberal, self.establishment(place, Establishment::Lab))
                    }
                };
                Activity {
                    section: role.section(overseas),
                    ..Activity::at(mode, site)
                }
            };
            self.write_person(&person, &[activity], out)?;
        }
        Ok(())
    }

    /// The officine of a new owner: one of the commune's with room, or a new one.
    fn officine(&mut self, place: usize, surname: &str) -> SiteRef {
        if let Some(pharmacy) = self.pharmacies.iter_mut().find(|p| p.1 > 0) {
            pharmacy.1 -= 1;
            return SiteRef::Local(pharmacy.0);
        }
        let candidate = PHARMACY_NAMES[self.rng.usize(..PHARMACY_NAMES.len())];
        let taken = self.pharmacies.iter().any(|p| {
            self.local_sites[p.0].brand == candidate || self.local_sites[p.0].name == candidate
        });
        let sign = if taken {
            format!("PHARMACIE {surname}")
        } else {
            candidate.to_owned()
        };
        let company = self.rng.f64() < PHARMACY_COMPANY;
        let name = if company {
            format!("SELARL PHARMACIE {surname}")
        } else {
            sign.clone()
        };
        let mut site = self.new_site(place, name, SA33, true);
        if company {
            site.brand = sign;
        }
        let room = u32::from(self.rng.f64() < SECOND_OWNER);
        let i = self.push_local(site);
        self.pharmacies.push((i, room));
        SiteRef::Local(i)
    }
}

/// Names of a solo cabinet and of a group cabinet (each followed by a surname).
fn cabinet_names(
    profession: &Profession,
    specialty: Option<&Specialty>,
) -> (&'static str, &'static str) {
    match specialty {
        Some(s) if s.cabinet.is_empty() => ("CABINET DU DR", "CABINET MEDICAL"),
        Some(s) => ("CABINET DU DR", s.cabinet),
        None => (profession.solo, profession.cabinet),
    }
}
