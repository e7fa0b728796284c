//! Practice sites ("structures"): cabinets, pharmacies and establishments, with their
//! synthetic SIRET/FINESS numbers and plausible addresses.

use super::calibration::Establishment;
use super::generator::Generator;
use super::ids;
use super::names::{EHPAD_NAMES, PLACE_COMPLEMENTS, STREET_TYPES, STREETS, of_commune};

/// A TRE_R02 sector: code and label as written in the file.
pub(super) type Sector = (&'static str, &'static str);

/// The observed file label of SA01 differs from the NOS display by its capital P.
pub(super) const SA01: Sector = ("SA01", "Etablissement Public de santé");
pub(super) const SA04: Sector = ("SA04", "Etablissement privé non PSPH");
pub(super) const SA05: Sector = ("SA05", "Centre de santé");
pub(super) const SA07: Sector = ("SA07", "Cabinet individuel");
pub(super) const SA08: Sector = ("SA08", "Cabinet de groupe");
pub(super) const SA09: Sector = ("SA09", "Exercice en société");
pub(super) const SA16: Sector = ("SA16", "Etablissement pour personnes handicapées");
pub(super) const SA17: Sector = ("SA17", "Etablissement pour personnes âgées");
pub(super) const SA25: Sector = ("SA25", "Laboratoire de biologie médicale");
pub(super) const SA33: Sector = ("SA33", "Pharmacie d'officine");
pub(super) const SA52: Sector = ("SA52", "Maison de santé ou Pôle de santé");
pub(super) const SA66: Sector = (
    "SA66",
    "Services de Prévention et de Santé au Travail (SPST)",
);

/// Smallest commune with its own MSP.
pub(super) const MSP_THRESHOLD: f64 = 1_500.0;

/// One practice site, with every structure column of the activity file.
pub(super) struct Site {
    /// Index of its commune in the generator's list.
    pub place: usize,
    pub siret: String,
    pub finess: String,
    pub finess_legal: String,
    pub technical_id: String,
    pub former_id: String,
    pub name: String,
    pub brand: String,
    pub complement: &'static str,
    pub number: String,
    pub repetition: &'static str,
    pub street_type: (&'static str, &'static str),
    pub street: &'static str,
    pub distribution: String,
    pub cedex: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub sector: Sector,
}

/// Where a site is kept: for the whole run (departmental establishments) or for the
/// commune being generated.
#[derive(Clone, Copy, Debug)]
pub(super) enum SiteRef {
    Dept(usize),
    Local(usize),
}

/// A group cabinet still open to new members in the current commune.
pub(super) struct Group {
    pub key: &'static str,
    pub site: usize,
    pub room: u32,
}

impl Establishment {
    /// Smallest commune with its own establishment of this kind; smaller communes use the
    /// one in the department's largest commune.
    fn threshold(self) -> f64 {
        match self {
            Self::Hospital => 20_000.0,
            Self::DeptHospital => f64::INFINITY,
            Self::Ehpad => 1_500.0,
            Self::HealthCentre => 8_000.0,
            Self::Lab => 5_000.0,
            Self::Clinic | Self::OccupationalHealth => 30_000.0,
            Self::MedicoSocial => 10_000.0,
            Self::Msp => 0.0,
        }
    }
}

impl Generator {
    pub(super) fn site(&self, site: SiteRef) -> &Site {
        match site {
            SiteRef::Dept(i) => &self.dept_sites[i],
            SiteRef::Local(i) => &self.local_sites[i],
        }
    }

    /// A new site in commune `place`; `establishment` ones get FINESS numbers.
    pub(super) fn new_site(
        &mut self,
        place: usize,
        name: String,
        sector: Sector,
        establishment: bool,
    ) -> Site {
        let rng = &mut self.rng;
        let siret = ids::siret(self.next_structure);
        self.next_structure += 1;
        let street_type = pick_street_type(rng);
        let mut site = Site {
            place,
            technical_id: format!("C{siret}"),
            former_id: format!("3{siret}"),
            siret,
            finess: String::new(),
            finess_legal: String::new(),
            name,
            brand: String::new(),
            complement: "",
            number: if rng.f64() < 0.96 {
                rng.u32(1..=150).to_string()
            } else {
                String::new()
            },
            repetition: match rng.u32(0..100) {
                0..=2 => "B",
                3 => "T",
                _ => "",
            },
            street_type,
            street: STREETS[rng.usize(..STREETS.len())],
            distribution: String::new(),
            cedex: self.places[place].routing.clone(),
            phone: String::new(),
            fax: String::new(),
            email: String::new(),
            sector,
        };
        if rng.f64() < 0.06 {
            site.complement = PLACE_COMPLEMENTS[rng.usize(..PLACE_COMPLEMENTS.len())];
        }
        if establishment || rng.f64() < 0.85 {
            site.phone = ids::phone(rng);
        }
        if rng.f64() < 0.03 {
            let word = site.name.rsplit(' ').next().unwrap_or("cabinet");
            let slug: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
            site.email = format!("contact.{}@example.invalid", slug.to_ascii_lowercase());
        }
        if establishment {
            let departement = self.places[place].departement.clone();
            site.finess = self.next_finess(&departement);
            site.finess_legal = self.next_finess(&departement);
            site.technical_id = format!("F{}", site.finess);
            site.former_id = format!("1{}", site.finess);
            if sector != SA33 && self.rng.bool() {
                site.distribution = format!("CS {:05}", self.rng.u32(10_000..100_000));
                site.cedex.push_str(" CEDEX");
            }
            if self.rng.f64() < 0.7 {
                site.fax = ids::phone(&mut self.rng);
            }
        }
        site
    }

    fn next_finess(&mut self, departement: &str) -> String {
        let sequence = self
            .finess_sequence
            .entry(departement.to_owned())
            .or_insert(0);
        *sequence += 1;
        ids::finess(departement, *sequence)
    }

    /// A new site of the current commune.
    pub(super) fn push_local(&mut self, site: Site) -> usize {
        self.local_sites.push(site);
        self.local_sites.len() - 1
    }

    /// The establishment of a kind that serves commune `place`: its own when it is large
    /// enough, else the one of its department's largest commune.
    pub(super) fn establishment(&mut self, place: usize, kind: Establishment) -> SiteRef {
        let largest = self.places[place].largest;
        let own = kind == Establishment::Msp
            || (place != largest && self.places[place].population >= kind.threshold());
        let kind = match kind {
            Establishment::DeptHospital => Establishment::Hospital,
            other => other,
        };
        if own {
            if let Some(&(_, i)) = self.local_index.iter().find(|(k, _)| *k == kind) {
                return SiteRef::Local(i);
            }
            let site = self.make_establishment(place, kind);
            let i = self.push_local(site);
            self.local_index.push((kind, i));
            return SiteRef::Local(i);
        }
        if let Some(&i) = self.dept_index.get(&(largest, kind)) {
            return SiteRef::Dept(i);
        }
        let site = self.make_establishment(largest, kind);
        self.dept_sites.push(site);
        let i = self.dept_sites.len() - 1;
        self.dept_index.insert((largest, kind), i);
        SiteRef::Dept(i)
    }

    fn make_establishment(&mut self, place: usize, kind: Establishment) -> Site {
        let of = of_commune(&self.places[place].upper);
        let (name, sector, finess) = match kind {
            Establishment::Hospital | Establishment::DeptHospital => {
                (format!("CENTRE HOSPITALIER {of}"), SA01, true)
            }
            Establishment::Ehpad => {
                let name = EHPAD_NAMES[self.rng.usize(..EHPAD_NAMES.len())];
                (format!("EHPAD {name}"), SA17, true)
            }
            Establishment::HealthCentre => (format!("CENTRE DE SANTE {of}"), SA05, true),
            Establishment::Lab => (format!("LABORATOIRE DE BIOLOGIE MEDICALE {of}"), SA25, true),
            Establishment::Clinic => (format!("POLYCLINIQUE {of}"), SA04, true),
            Establishment::OccupationalHealth => (
                format!("SERVICE DE PREVENTION ET DE SANTE AU TRAVAIL {of}"),
                SA66,
                false,
            ),
            Establishment::MedicoSocial => (format!("INSTITUT MEDICO-EDUCATIF {of}"), SA16, true),
            Establishment::Msp => (
                format!("MAISON DE SANTE PLURIPROFESSIONNELLE {of}"),
                SA52,
                false,
            ),
        };
        self.new_site(place, name, sector, finess)
    }

    /// A group cabinet of the current commune for `key`: joins an open one, or opens a
    /// new one named after `surname` with room for 1 to 4 more members.
    pub(super) fn group(&mut self, place: usize, key: &'static str, name: String) -> SiteRef {
        if let Some(group) = self.groups.iter_mut().find(|g| g.key == key && g.room > 0) {
            group.room -= 1;
            return SiteRef::Local(group.site);
        }
        let site = self.new_site(place, name, SA08, false);
        let site = self.push_local(site);
        let room = self.rng.u32(1..=4);
        self.groups.push(Group { key, site, room });
        SiteRef::Local(site)
    }
}

fn pick_street_type(rng: &mut fastrand::Rng) -> (&'static str, &'static str) {
    let total: u32 = STREET_TYPES.iter().map(|t| t.2).sum();
    let mut draw = rng.u32(0..total);
    for &(code, label, weight) in STREET_TYPES {
        if draw < weight {
            return (code, label);
        }
        draw -= weight;
    }
    (STREET_TYPES[0].0, STREET_TYPES[0].1)
}
