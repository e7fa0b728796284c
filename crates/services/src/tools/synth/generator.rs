//! The generator's state and its walk over the communes, in the given order, drawing how
//! many professionals of each profession each commune gets.

use super::SynthCommune;
use super::calibration::{Establishment, PROFESSIONS, Spread, TOWN_EXPONENT};
use super::names::{clean, departement_label, fold_upper, routing_line};
use super::rows::Outputs;
use super::sites::{Group, Site};
use super::{calibration::Kind, ids};
use std::collections::BTreeMap;
use std::io;

/// A commune as the generator uses it.
pub(super) struct Place {
    pub insee: String,
    pub name: String,
    pub postcode: String,
    pub departement: String,
    pub departement_label: String,
    pub population: f64,
    /// Name in upper case without accents, for structure names.
    pub upper: String,
    /// Postcode and routing name, for the `Bureau cedex` column.
    pub routing: String,
    /// Index of the most populated commune of its department (first one on a tie).
    pub largest: usize,
    /// Population equivalent for specialists: the department's population spread by
    /// population^[`TOWN_EXPONENT`].
    pub town_weight: f64,
}

pub(super) struct Generator {
    pub rng: fastrand::Rng,
    pub places: Vec<Place>,
    pub rpps_offset: u64,
    pub professionals: u64,
    pub next_structure: u64,
    pub finess_sequence: BTreeMap<String, u32>,
    /// Establishments of departments' largest communes, kept for the whole run.
    pub dept_sites: Vec<Site>,
    pub dept_index: BTreeMap<(usize, Establishment), usize>,
    /// Sites of the commune being generated (cleared for each commune).
    pub local_sites: Vec<Site>,
    pub local_index: Vec<(Establishment, usize)>,
    pub groups: Vec<Group>,
    /// Pharmacies of the current commune: site index and room for another owner.
    pub pharmacies: Vec<(usize, u32)>,
}

impl Generator {
    pub(super) fn new(seed: u64, communes: &[SynthCommune]) -> Self {
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        let mut places: Vec<Place> = communes
            .iter()
            .map(|c| {
                let departement = clean(&c.departement);
                let departement_label = labels
                    .entry(departement.clone())
                    .or_insert_with(|| departement_label(&departement))
                    .clone();
                let name = clean(&c.name);
                let upper = fold_upper(&name);
                let postcode = clean(&c.postcode);
                Place {
                    insee: clean(&c.insee),
                    routing: routing_line(&postcode, &upper),
                    upper,
                    name,
                    postcode,
                    departement,
                    departement_label,
                    population: c.population.max(0) as f64,
                    largest: 0,
                    town_weight: 0.0,
                }
            })
            .collect();
        // Per department: largest commune, population and sum of population^exponent.
        let mut departements: BTreeMap<String, (usize, f64, f64)> = BTreeMap::new();
        for (i, place) in places.iter().enumerate() {
            let entry = departements
                .entry(place.departement.clone())
                .or_insert((i, 0.0, 0.0));
            if place.population > places[entry.0].population {
                entry.0 = i;
            }
            entry.1 += place.population;
            entry.2 += place.population.powf(TOWN_EXPONENT);
        }
        for place in &mut places {
            let (largest, population, weights) = departements[&place.departement];
            place.largest = largest;
            place.town_weight = if weights > 0.0 {
                population * place.population.powf(TOWN_EXPONENT) / weights
            } else {
                0.0
            };
        }
        Self {
            rng: fastrand::Rng::with_seed(seed),
            places,
            rpps_offset: ids::rpps_offset(seed),
            professionals: 0,
            next_structure: 0,
            finess_sequence: BTreeMap::new(),
            dept_sites: Vec::new(),
            dept_index: BTreeMap::new(),
            local_sites: Vec::new(),
            local_index: Vec::new(),
            groups: Vec::new(),
            pharmacies: Vec::new(),
        }
    }

    /// Writes every professional of commune `place`.
    pub(super) fn commune(&mut self, place: usize, out: &mut Outputs) -> io::Result<()> {
        self.local_sites.clear();
        self.local_index.clear();
        self.groups.clear();
        self.pharmacies.clear();
        for profession in PROFESSIONS {
            let base = match profession.spread {
                Spread::Population => self.places[place].population,
                Spread::Towns => self.places[place].town_weight,
            };
            let count = self.random_round(base * profession.per_100k / 100_000.0);
            if profession.kind == Kind::Pharmacist {
                self.pharmacists(place, profession, count, out)?;
            } else {
                for _ in 0..count {
                    self.professional(place, profession, out)?;
                }
            }
        }
        Ok(())
    }

    /// Rounds `x` up with probability its fractional part, down otherwise.
    pub(super) fn random_round(&mut self, x: f64) -> u64 {
        let floor = x.floor();
        floor as u64 + u64::from(self.rng.f64() < x - floor)
    }

    /// Picks an index from `weights` (probabilities summing to 1; the last one absorbs
    /// rounding).
    pub(super) fn pick<T>(&mut self, weighted: &[(T, f64)]) -> usize {
        let mut draw = self.rng.f64();
        for (i, (_, weight)) in weighted.iter().enumerate() {
            if draw < *weight {
                return i;
            }
            draw -= weight;
        }
        weighted.len().saturating_sub(1)
    }

    /// A commune next to `place` in the list and in the same department, or `place`.
    pub(super) fn neighbour(&mut self, place: usize) -> usize {
        let candidate = if self.rng.bool() {
            place.checked_sub(1)
        } else {
            Some(place + 1).filter(|&i| i < self.places.len())
        };
        match candidate {
            Some(i) if self.places[i].departement == self.places[place].departement => i,
            _ => place,
        }
    }
}
