//! The offer of care counted while an import writes the directory: each practice site
//! written (or left as it was) is noted with its professional and commune, and at the end
//! the professionals are counted once per area (commune, with a city's arrondissements in the city,
//! department, region, France), profession and specialty (doctors' only). Counting here
//! spares the database four joins over every site of France.

use maillage_domain::directory::general_practice::PHYSICIAN;
use maillage_store::diagnosis::offer::{CommuneAreas, OfferCountRow};
use maillage_store::directory::professionals::{PlacedSite, ProfessionalRecord, SiteRecord};
use std::collections::HashMap;

/// The code of the area a commune counts in, at one level.
type AreaOf = fn(&CommuneAreas) -> &str;

/// Strings met many times, kept once and named by their position.
#[derive(Default)]
struct Interned {
    index: HashMap<String, u32>,
    values: Vec<String>,
}

impl Interned {
    fn of(&mut self, value: &str) -> u32 {
        if let Some(&i) = self.index.get(value) {
            return i;
        }
        let i = u32::try_from(self.values.len()).expect("fewer than 4 billion values");
        self.values.push(value.to_owned());
        self.index.insert(value.to_owned(), i);
        i
    }
}

/// The sites an import wrote, for the count of the offer.
#[derive(Default)]
pub(crate) struct OfferTally {
    /// Each professional's (profession, specialty kept), as last written.
    kinds: HashMap<i64, u32>,
    kind_names: Interned,
    /// (professional id, commune) of each site placed in a commune.
    sites: Vec<(i64, u32)>,
    communes: Interned,
}

impl OfferTally {
    /// Notes a batch written: `ids[i]` is the id of `professionals[i]`.
    pub(crate) fn add(
        &mut self,
        ids: &[i64],
        professionals: &[ProfessionalRecord],
        sites: &[SiteRecord],
    ) {
        for (id, p) in ids.iter().zip(professionals) {
            self.note_kind(*id, &p.profession, &p.specialty);
        }
        for site in sites {
            if let Some(commune) = &site.commune {
                let commune = self.communes.of(commune);
                self.sites.push((ids[site.professional], commune));
            }
        }
    }

    /// Notes sites the import left as they were (those of professionals held back).
    pub(crate) fn add_placed(&mut self, sites: &[PlacedSite]) {
        for site in sites {
            self.note_kind(site.professional_id, &site.profession, &site.specialty);
            let commune = self.communes.of(&site.commune);
            self.sites.push((site.professional_id, commune));
        }
    }

    /// Notes the profession of the professional `id`, with the specialty of a doctor.
    fn note_kind(&mut self, id: i64, profession: &str, specialty: &str) {
        let specialty = if profession == PHYSICIAN {
            specialty
        } else {
            ""
        };
        let kind = self.kind_names.of(&format!("{profession}|{specialty}"));
        self.kinds.insert(id, kind);
    }

    /// The counts at every level; sites in a commune absent from `areas` count nowhere.
    pub(crate) fn counts(self, areas: &[CommuneAreas]) -> Vec<OfferCountRow> {
        let by_insee: HashMap<&str, &CommuneAreas> =
            areas.iter().map(|a| (a.insee.as_str(), a)).collect();
        let placed: Vec<Option<&CommuneAreas>> = self
            .communes
            .values
            .iter()
            .map(|insee| by_insee.get(insee.as_str()).copied())
            .collect();
        let levels: [(&str, AreaOf); 4] = [
            ("commune", |a| &a.city),
            ("departement", |a| &a.departement),
            ("region", |a| &a.region),
            ("france", |_| "FR"),
        ];
        let mut rows = Vec::new();
        for (level, area_of) in levels {
            // Each commune's area at this level, by position in `areas_met`.
            let mut areas_met = Interned::default();
            let area_of_commune: Vec<Option<u32>> = placed
                .iter()
                .map(|commune| commune.map(|c| areas_met.of(area_of(c))))
                .collect();
            // (area, kind, professional), each once: then one count per (area, kind).
            let mut seen: Vec<(u32, u32, i64)> = self
                .sites
                .iter()
                .filter_map(|&(id, commune)| {
                    let area = area_of_commune[commune as usize]?;
                    Some((area, *self.kinds.get(&id)?, id))
                })
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for run in seen.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
                let (area, kind, _) = run[0];
                let (profession, specialty) = self.kind_names.values[kind as usize]
                    .split_once('|')
                    .expect("written with a separator");
                rows.push(OfferCountRow {
                    level,
                    code: areas_met.values[area as usize].clone(),
                    profession: profession.to_owned(),
                    specialty: specialty.to_owned(),
                    professionals: i64::try_from(run.len()).expect("a count fits"),
                });
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn professional(profession: &str, specialty: &str) -> ProfessionalRecord {
        ProfessionalRecord {
            national_id: String::new(),
            id_type: String::new(),
            identifier: String::new(),
            title: String::new(),
            last_name: String::new(),
            first_name: String::new(),
            search_name: String::new(),
            profession: profession.to_owned(),
            category: String::new(),
            specialty: specialty.to_owned(),
            synthetic: false,
        }
    }

    fn site(professional: usize, commune: Option<&str>) -> SiteRecord {
        SiteRecord {
            professional,
            position: 0,
            mode: String::new(),
            sector: String::new(),
            activity_kind: String::new(),
            siret: String::new(),
            finess: String::new(),
            structure_name: String::new(),
            street: String::new(),
            address_extra: String::new(),
            postcode: String::new(),
            commune: commune.map(str::to_owned),
            commune_name: String::new(),
            phone: String::new(),
            email: String::new(),
        }
    }

    fn area(insee: &str, city: &str, departement: &str) -> CommuneAreas {
        CommuneAreas {
            insee: insee.to_owned(),
            city: city.to_owned(),
            departement: departement.to_owned(),
            region: "93".to_owned(),
        }
    }

    fn count(
        rows: &[OfferCountRow],
        level: &str,
        code: &str,
        profession: &str,
    ) -> Vec<(String, i64)> {
        rows.iter()
            .filter(|r| r.level == level && r.code == code && r.profession == profession)
            .map(|r| (r.specialty.clone(), r.professionals))
            .collect()
    }

    #[test]
    fn each_professional_counts_once_per_area_and_arrondissements_count_in_their_city() {
        let areas = [
            area("13201", "13055", "13"),
            area("13202", "13055", "13"),
            area("13001", "13001", "13"),
            area("83137", "83137", "83"),
        ];
        let mut tally = OfferTally::default();
        // A GP in two arrondissements of Marseille and in Aix; a nurse in Aix and Toulon;
        // a site in a commune no longer listed.
        let professionals = [professional("10", "SM54"), professional("60", "X")];
        let sites = [
            site(0, Some("13201")),
            site(0, Some("13202")),
            site(0, Some("13001")),
            site(1, Some("13001")),
            site(1, Some("83137")),
            site(1, Some("99999")),
            site(1, None),
        ];
        tally.add(&[7, 8], &professionals, &sites);
        // The GP met again in a later batch, as a specialist now: the last record wins.
        tally.add(
            &[7],
            &[professional("10", "SM26")],
            &[site(0, Some("13201"))],
        );
        let rows = tally.counts(&areas);

        assert_eq!(
            count(&rows, "commune", "13055", "10"),
            [("SM26".to_owned(), 1)]
        );
        assert_eq!(
            count(&rows, "commune", "13001", "10"),
            [("SM26".to_owned(), 1)]
        );
        assert_eq!(
            count(&rows, "departement", "13", "10"),
            [("SM26".to_owned(), 1)]
        );
        assert_eq!(
            count(&rows, "departement", "13", "60"),
            [(String::new(), 1)]
        );
        assert_eq!(
            count(&rows, "departement", "83", "60"),
            [(String::new(), 1)]
        );
        assert_eq!(count(&rows, "region", "93", "60"), [(String::new(), 1)]);
        assert_eq!(count(&rows, "france", "FR", "60"), [(String::new(), 1)]);
        assert!(count(&rows, "commune", "99999", "60").is_empty());
    }
}
