//! The in-memory index of the directory: every active practice site grouped by commune,
//! and each CPTS's members' settings, so that a search around a commune reads memory and
//! then only the rows of the page it shows, and a diagnosis counts a CPTS's professionals
//! without reading their rows. Each copy remembers the generation
//! counters it was built from and is rebuilt when the database's have moved, which keeps
//! every app server sharing one database fresh.

use crate::error::ServiceResult;
use maillage_domain::GeoPoint;
use maillage_domain::directory::codes::is_liberal;
use maillage_domain::directory::general_practice::PHYSICIAN;
use maillage_store::directory::search::{self, IndexedSite};
use maillage_store::{Conn, directory::members};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The index an application keeps, built on first use.
#[derive(Default)]
pub struct SearchIndex {
    directory: tokio::sync::RwLock<Option<Arc<DirectoryIndex>>>,
    members: Mutex<HashMap<i64, Arc<MemberFlags>>>,
}

impl SearchIndex {
    /// The directory as of `generation`, rebuilt from `conn` if this copy is older.
    pub async fn directory(
        &self,
        conn: &mut Conn,
        generation: i64,
    ) -> ServiceResult<Arc<DirectoryIndex>> {
        if let Some(index) = self.directory.read().await.as_ref()
            && index.generation == generation
        {
            return Ok(index.clone());
        }
        let mut slot = self.directory.write().await;
        if let Some(index) = slot.as_ref()
            && index.generation == generation
        {
            return Ok(index.clone());
        }
        let index = Arc::new(DirectoryIndex::build(conn, generation).await?);
        *slot = Some(index.clone());
        Ok(index)
    }

    /// The copies this server holds for a CPTS's searches, whatever their generations: a
    /// search may use them at once and check, with the rows it then reads, that they were
    /// current.
    pub async fn held(&self, cpts_id: i64) -> Option<(Arc<DirectoryIndex>, Arc<MemberFlags>)> {
        let index = self.directory.read().await.clone()?;
        let members = self.lock_members().get(&cpts_id).cloned()?;
        Some((index, members))
    }

    /// The settings of a CPTS's members as of `generation`.
    pub async fn members(
        &self,
        conn: &mut Conn,
        cpts_id: i64,
        generation: i64,
    ) -> ServiceResult<Arc<MemberFlags>> {
        let cached = self.lock_members().get(&cpts_id).cloned();
        if let Some(flags) = cached
            && flags.generation == generation
        {
            return Ok(flags);
        }
        let mut by_professional: Vec<(i64, bool, bool)> = members::search_settings(conn, cpts_id)
            .await?
            .into_iter()
            .map(|m| {
                (
                    m.professional_id,
                    m.accepts_new_patients,
                    m.unscheduled_care,
                )
            })
            .collect();
        by_professional.sort_unstable_by_key(|m| m.0);
        let flags = Arc::new(MemberFlags {
            generation,
            by_professional,
        });
        self.lock_members().insert(cpts_id, flags.clone());
        Ok(flags)
    }

    fn lock_members(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<MemberFlags>>> {
        self.members
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One CPTS's members: (professional id, accepts new patients, unscheduled care), sorted
/// by professional.
#[derive(Debug, Default)]
pub struct MemberFlags {
    generation: i64,
    by_professional: Vec<(i64, bool, bool)>,
}

impl MemberFlags {
    /// The generation counter this copy was built from.
    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// A member's (accepts new patients, unscheduled care); `None` for a non-member.
    fn of(&self, professional_id: i64) -> Option<(bool, bool)> {
        self.by_professional
            .binary_search_by_key(&professional_id, |m| m.0)
            .ok()
            .map(|i| (self.by_professional[i].1, self.by_professional[i].2))
    }
}

/// A current commune with its centroid and the range of its sites in the index, sorted by
/// profession, specialty and rank.
#[derive(Debug)]
pub struct IndexedCommune {
    pub insee: String,
    pub name: String,
    pub point: GeoPoint,
    sites: std::ops::Range<usize>,
}

/// A site as the index keeps it: `rank` orders sites by professional's last name, then
/// professional, then position in the file, as searches list them.
#[derive(Debug, Clone, Copy)]
struct Site {
    site_id: i64,
    professional_id: i64,
    rank: u32,
    profession: u16,
    specialty: u16,
    /// What is true of the professional over all their sites: [`LIBERAL`], [`NOT_LIBERAL`],
    /// [`SYNTHETIC`].
    professional: u8,
}

/// The professional has a site in liberal practice.
const LIBERAL: u8 = 1;
/// The professional has a site in another mode (salaried, unpaid…).
const NOT_LIBERAL: u8 = 2;
/// The professional is of the synthetic directory.
const SYNTHETIC: u8 = 4;

/// A professional practising in a commune of a set, as a diagnosis counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence<'a> {
    pub professional_id: i64,
    /// The commune of the set: an arrondissement's sites count for its city when the set
    /// names the city.
    pub commune: &'a str,
    pub profession: &'a str,
    /// Doctors' specialty; empty for other professions.
    pub specialty: &'a str,
    /// Whether any of their sites, anywhere, is liberal practice; is in another mode.
    pub liberal: bool,
    pub not_liberal: bool,
    pub synthetic: bool,
}

/// The directory's sites by commune, communes sorted by latitude.
#[derive(Debug)]
pub struct DirectoryIndex {
    generation: i64,
    communes: Vec<IndexedCommune>,
    by_insee: HashMap<String, usize>,
    sites: Vec<Site>,
    /// Profession and specialty codes, numbered, and each number's code.
    codes: HashMap<String, u16>,
    code_names: Vec<String>,
    /// The arrondissements of each city that has some.
    arrondissements: HashMap<String, Vec<usize>>,
}

/// What a search around a commune keeps.
#[derive(Debug, Default, Clone)]
pub struct SiteQuery {
    pub profession: String,
    /// Any of these specialties (empty: any).
    pub specialties: Vec<String>,
    pub members_only: bool,
    pub accepts_new_patients: bool,
    pub unscheduled_care: bool,
}

/// A site found: its id and its commune's distance from the origin, in km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub site_id: i64,
    pub distance_km: f64,
}

impl DirectoryIndex {
    /// The generation counter this copy was built from.
    pub fn generation(&self) -> i64 {
        self.generation
    }

    async fn build(conn: &mut Conn, generation: i64) -> ServiceResult<Self> {
        let (mut communes, arrondissements) = indexed_communes(conn).await?;
        let by_insee: HashMap<String, usize> = communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.insee.clone(), i))
            .collect();
        let mut codes: HashMap<String, u16> = HashMap::new();
        let mut rows: Vec<(usize, IndexedSite)> = Vec::new();
        search::each_indexed_site(conn, |site| {
            if let Some(&commune) = by_insee.get(&site.commune) {
                rows.push((commune, site));
            }
        })
        .await?;
        rows.sort_unstable_by(|(_, a), (_, b)| {
            (&a.last_name, a.professional_id, a.position).cmp(&(
                &b.last_name,
                b.professional_id,
                b.position,
            ))
        });
        let of_professional = professional_flags(&rows);
        let mut code_names: Vec<String> = Vec::new();
        let mut code = |value: &str| {
            let next = codes.len() as u16;
            *codes.entry(value.to_owned()).or_insert_with(|| {
                code_names.push(value.to_owned());
                next
            })
        };
        let mut sites: Vec<(usize, Site)> = rows
            .into_iter()
            .enumerate()
            .map(|(rank, (commune, row))| {
                let site = Site {
                    site_id: row.site_id,
                    professional_id: row.professional_id,
                    rank: rank as u32,
                    profession: code(&row.profession),
                    specialty: code(&row.specialty),
                    professional: of_professional[&row.professional_id],
                };
                (commune, site)
            })
            .collect();
        sites.sort_unstable_by_key(|(commune, site)| {
            (*commune, site.profession, site.specialty, site.rank)
        });
        let mut start = 0;
        for (i, commune) in communes.iter_mut().enumerate() {
            let end = start + sites[start..].partition_point(|(c, _)| *c == i);
            commune.sites = start..end;
            start = end;
        }
        Ok(Self {
            generation,
            communes,
            by_insee,
            sites: sites.into_iter().map(|(_, site)| site).collect(),
            codes,
            code_names,
            arrondissements,
        })
    }

    /// The active professionals practising in the communes `communes` (or in the
    /// arrondissements of those that are cities), once per site.
    pub fn presences<'a>(&'a self, communes: &'a [String]) -> Vec<Presence<'a>> {
        let mut found = Vec::new();
        for code in communes {
            let own = self.by_insee.get(code).into_iter().copied();
            let arrondissements = self
                .arrondissements
                .get(code)
                .into_iter()
                .flatten()
                .copied();
            for place in own.chain(arrondissements) {
                for site in &self.sites[self.communes[place].sites.clone()] {
                    let profession = self.code_names[usize::from(site.profession)].as_str();
                    // Specialties are counted for doctors only.
                    let specialty = if profession == PHYSICIAN {
                        self.code_names[usize::from(site.specialty)].as_str()
                    } else {
                        ""
                    };
                    found.push(Presence {
                        professional_id: site.professional_id,
                        commune: code,
                        profession,
                        specialty,
                        liberal: site.professional & LIBERAL != 0,
                        not_liberal: site.professional & NOT_LIBERAL != 0,
                        synthetic: site.professional & SYNTHETIC != 0,
                    });
                }
            }
        }
        found
    }

    /// A current commune by INSEE code.
    pub fn commune(&self, insee: &str) -> Option<&IndexedCommune> {
        self.by_insee.get(insee).map(|&i| &self.communes[i])
    }

    /// The communes whose centroid lies within `radius_km` of `origin`, with their
    /// distance, `origin` itself always included.
    pub fn communes_around<'a>(
        &'a self,
        origin: &'a IndexedCommune,
        radius_km: f64,
    ) -> Vec<(&'a IndexedCommune, f64)> {
        // A degree of latitude is about 111 km; longitude degrees shrink with the latitude.
        let point = origin.point;
        let dlat = radius_km / 111.0 + 0.01;
        let dlon = radius_km / (111.0 * point.latitude.to_radians().cos().max(0.1)) + 0.01;
        let from = self
            .communes
            .partition_point(|c| c.point.latitude < point.latitude - dlat);
        let mut around: Vec<(&IndexedCommune, f64)> = self.communes[from..]
            .iter()
            .take_while(|c| c.point.latitude <= point.latitude + dlat)
            .filter(|c| (c.point.longitude - point.longitude).abs() <= dlon)
            .map(|c| (c, point.distance_km(c.point)))
            .filter(|(c, d)| *d <= radius_km || c.insee == origin.insee)
            .collect();
        if !around.iter().any(|(c, _)| c.insee == origin.insee) {
            around.push((origin, 0.0));
        }
        // A city's arrondissements are the city, however far their centres are.
        for &i in self
            .arrondissements
            .get(&origin.insee)
            .into_iter()
            .flatten()
        {
            let arrondissement = &self.communes[i];
            if !around.iter().any(|(c, _)| c.insee == arrondissement.insee) {
                around.push((arrondissement, point.distance_km(arrondissement.point)));
            }
        }
        around
    }

    /// The sites around `origin` (a city with its arrondissements) that match, nearest
    /// first, then by name.
    pub fn search(
        &self,
        origin: &IndexedCommune,
        radius_km: f64,
        query: &SiteQuery,
        members: &MemberFlags,
    ) -> Vec<Match> {
        let code = |value: &str| -> Option<Option<u16>> {
            if value.is_empty() {
                Some(None)
            } else {
                self.codes.get(value).map(|&c| Some(c))
            }
        };
        // A code no site carries matches nothing.
        let Some(profession) = code(&query.profession) else {
            return Vec::new();
        };
        let mut specialties: Vec<u16> = query
            .specialties
            .iter()
            .filter_map(|s| self.codes.get(s).copied())
            .collect();
        if !query.specialties.is_empty() && specialties.is_empty() {
            return Vec::new();
        }
        specialties.sort_unstable();
        let wants_member =
            query.members_only || query.accepts_new_patients || query.unscheduled_care;
        let mut found: Vec<(f64, u32, i64)> = Vec::new();
        for (commune, distance) in self.communes_around(origin, radius_km) {
            let mut sites = &self.sites[commune.sites.clone()];
            if let Some(p) = profession {
                sites = narrow(sites, |s| s.profession.cmp(&p));
                if let [code] = specialties[..] {
                    sites = narrow(sites, |s| s.specialty.cmp(&code));
                }
            }
            for site in sites {
                if !specialties.is_empty() && specialties.binary_search(&site.specialty).is_err() {
                    continue;
                }
                if wants_member {
                    let Some((accepts, unscheduled)) = members.of(site.professional_id) else {
                        continue;
                    };
                    if (query.accepts_new_patients && !accepts)
                        || (query.unscheduled_care && !unscheduled)
                    {
                        continue;
                    }
                }
                found.push((distance, site.rank, site.site_id));
            }
        }
        found.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        found
            .into_iter()
            .map(|(distance_km, _, site_id)| Match {
                site_id,
                distance_km,
            })
            .collect()
    }
}

/// The part of `sites` (sorted by the key `order` compares) where `order` is `Equal`.
fn narrow(sites: &[Site], order: impl Fn(&Site) -> std::cmp::Ordering) -> &[Site] {
    let start = sites.partition_point(|s| order(s).is_lt());
    let end = sites.partition_point(|s| !order(s).is_gt());
    &sites[start..end]
}

/// The communes with a position, south to north, and the arrondissements of each city (by
/// their positions).
async fn indexed_communes(
    conn: &mut Conn,
) -> ServiceResult<(Vec<IndexedCommune>, HashMap<String, Vec<usize>>)> {
    let mut positioned = search::positioned_communes(conn).await?;
    positioned.sort_by(|a, b| a.latitude.total_cmp(&b.latitude));
    let mut arrondissements: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, commune) in positioned.iter().enumerate() {
        if let Some(city) = &commune.parent {
            arrondissements.entry(city.clone()).or_default().push(i);
        }
    }
    let communes = positioned
        .into_iter()
        .map(|c| IndexedCommune {
            insee: c.insee,
            name: c.name,
            point: GeoPoint {
                latitude: c.latitude,
                longitude: c.longitude,
            },
            sites: 0..0,
        })
        .collect();
    Ok((communes, arrondissements))
}

/// What is true of each professional over all their sites (liberal or not, synthetic),
/// gathered in one pass.
fn professional_flags(rows: &[(usize, IndexedSite)]) -> HashMap<i64, u8> {
    let mut of_professional: HashMap<i64, u8> = HashMap::new();
    for (_, row) in rows {
        let flags = of_professional.entry(row.professional_id).or_default();
        *flags |= if is_liberal(&row.mode) {
            LIBERAL
        } else {
            NOT_LIBERAL
        };
        if row.synthetic {
            *flags |= SYNTHETIC;
        }
    }
    of_professional
}
