//! A batch of the activity lines an import writes: one record per professional, with the
//! practice sites of their lines.

use maillage_domain::directory::Activity;
use maillage_domain::territory::search_key;
use maillage_store::directory::professionals::{ProfessionalRecord, SiteRecord};
use std::collections::HashMap;

/// Professionals and their sites from consecutive lines.
#[derive(Default)]
pub struct ActivityBatch {
    pub professionals: Vec<ProfessionalRecord>,
    pub sites: Vec<SiteRecord>,
    /// How many of them this import meets for the first time.
    pub first_seen: i64,
}

/// Whether an RPPS number is in the range maillage reserves for its synthetic directory
/// (`99…`, see `synth::ids`); real RPPS numbers start with 1 or 2.
fn is_synthetic(identifier: &str) -> bool {
    identifier.len() == 11 && identifier.starts_with("99")
}

/// Gathers lines into a batch, one professional record per national id.
#[derive(Default)]
pub struct BatchBuilder {
    batch: ActivityBatch,
    index: HashMap<String, usize>,
    pub lines: usize,
}

impl BatchBuilder {
    pub fn add(&mut self, a: Activity, position: i64) {
        self.lines += 1;
        let specialty = if a.skill_type == "S" {
            a.skill.clone()
        } else {
            String::new()
        };
        let professional = match self.index.get(&a.national_id) {
            Some(&i) => i,
            None => {
                let i = self.batch.professionals.len();
                self.index.insert(a.national_id.clone(), i);
                self.batch.professionals.push(ProfessionalRecord {
                    synthetic: is_synthetic(&a.identifier),
                    search_name: search_key(&format!("{} {}", a.last_name, a.first_name)),
                    national_id: a.national_id,
                    id_type: a.id_type,
                    identifier: a.identifier,
                    title: a.title,
                    last_name: a.last_name,
                    first_name: a.first_name,
                    profession: a.profession,
                    category: a.category,
                    specialty: specialty.clone(),
                });
                i
            }
        };
        if !specialty.is_empty() {
            self.batch.professionals[professional].specialty = specialty;
        }
        if position == 0 {
            self.batch.first_seen += 1;
        }
        self.batch.sites.push(SiteRecord {
            professional,
            position,
            mode: a.mode,
            sector: a.sector,
            activity_kind: a.activity_kind,
            siret: a.siret,
            finess: a.finess,
            structure_name: a.structure_name,
            street: a.street,
            address_extra: a.address_extra,
            postcode: a.postcode,
            commune: a.commune.map(|c| c.as_str().to_owned()),
            commune_name: a.commune_name,
            phone: a.phone,
            email: a.email,
        });
    }

    pub fn finish(self) -> ActivityBatch {
        self.batch
    }
}
