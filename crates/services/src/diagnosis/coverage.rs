//! Which areas the imported directory covers wholly, so that a diagnosis compares their
//! offer of care with the CPTS's: a department by the domain's rule, a region when each of
//! its departments is covered, France when every department is; and what the import covers,
//! said in French.

use crate::error::ServiceResult;
use maillage_domain::diagnosis::{COVERAGE_MIN_POPULATION, covers_departement};
use maillage_store::Conn;
use maillage_store::diagnosis::offer::{self as offer_store, DepartementSites};

/// Every department, and whether the imported directory covers it.
pub struct Coverage {
    departements: Vec<(DepartementSites, bool)>,
}

/// The most departments named one by one in [`Coverage::summary`].
const NAMED: usize = 4;

impl Coverage {
    pub async fn read(conn: &mut Conn) -> ServiceResult<Self> {
        let departements = offer_store::departement_sites(conn, COVERAGE_MIN_POPULATION)
            .await?
            .into_iter()
            .map(|d| {
                let covered = covers_departement(d.communes, d.with_sites);
                (d, covered)
            })
            .collect();
        Ok(Self { departements })
    }

    /// Whether the area `code` of `level` (`departement`, `region`, `france`; the CPTS
    /// itself always) is wholly covered.
    pub fn covers(&self, level: &str, code: &str) -> bool {
        match level {
            "departement" => self.covers_all(|d| d.code == code),
            "region" => self.covers_all(|d| d.region == code),
            "france" => self.covers_all(|_| true),
            _ => true,
        }
    }

    /// Whether the departments `of_area` keeps are all covered (and there are some).
    fn covers_all(&self, of_area: impl Fn(&DepartementSites) -> bool) -> bool {
        let mut departements = self.departements.iter().filter(|(d, _)| of_area(d));
        let first = departements.next();
        first.is_some_and(|(_, covered)| *covered) && departements.all(|(_, covered)| *covered)
    }

    /// The covered departments' names.
    pub fn covered(&self) -> Vec<&str> {
        self.departements
            .iter()
            .filter(|(_, covered)| *covered)
            .map(|(d, _)| d.name.as_str())
            .collect()
    }

    /// What the import covers: « annuaire importé : Bouches-du-Rhône seulement ».
    pub fn summary(&self) -> String {
        let covered = self.covered();
        let all = self.departements.len();
        match covered.len() {
            0 => "l’annuaire importé ne couvre aucun département".to_owned(),
            n if n == all => "annuaire importé : France entière".to_owned(),
            n if n <= NAMED => format!("annuaire importé : {} seulement", covered.join(", ")),
            n => format!("annuaire importé : {n} départements sur {all}"),
        }
    }
}
