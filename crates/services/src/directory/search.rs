//! Searching the directory: by name, profession, specialty, around a commune (sorted by
//! distance, from the in-memory index), among the searching person's CPTS members and
//! what they accept; one page at a time. And one professional with every practice site.

use super::index::{DirectoryIndex, IndexedCommune, Match, MemberFlags, SiteQuery};
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::directory::general_practice::search_codes;
use maillage_domain::territory::search_key;
use maillage_domain::{FieldErrors, InseeCode};
use maillage_store::directory::search::{self, SiteFilter, SiteHit};
use maillage_store::{Conn, generations, territory::reference};
use std::collections::HashMap;
use std::sync::Arc;

pub const PAGE_SIZE: i64 = 25;
/// The most sites one CSV export holds.
pub const EXPORT_LIMIT: i64 = 5000;
/// The widest radius a search accepts, in kilometres.
pub const MAX_RADIUS_KM: f64 = 100.0;

/// A search as typed in the form or the API (French parameter names in both).
#[derive(Debug, Default, Clone)]
pub struct SearchRequest {
    pub name: String,
    pub profession: String,
    pub specialty: String,
    pub commune: String,
    pub radius_km: String,
    pub members_only: bool,
    pub accepts_new_patients: bool,
    pub unscheduled_care: bool,
    /// From 1.
    pub page: i64,
    /// Sites per page: [`PAGE_SIZE`] on screen, up to [`EXPORT_LIMIT`] for an export.
    pub per_page: i64,
}

/// A site found, with its distance from the commune searched around.
#[derive(Debug, Clone)]
pub struct Found {
    pub site: SiteHit,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub found: Vec<Found>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The commune searched around, by name.
    pub around: Option<String>,
}

/// The key of the member flags of an account of no CPTS (an administrator's): no CPTS has
/// this id, so that no professional is marked as a member.
const NO_CPTS: i64 = -1;

/// The index and the members' settings as of the database's generation counters, rebuilt
/// if this server's copies are behind.
async fn current(
    app: &App,
    conn: &mut Conn,
    cpts_id: i64,
) -> ServiceResult<(Arc<DirectoryIndex>, Arc<MemberFlags>)> {
    let (directory_generation, members_generation) =
        generations::pair(conn, generations::DIRECTORY, &generations::members(cpts_id)).await?;
    let index = app
        .search_index
        .directory(conn, directory_generation)
        .await?;
    let members = app
        .search_index
        .members(conn, cpts_id, members_generation)
        .await?;
    Ok((index, members))
}

/// Searches the directory. A search around a commune without a name is answered from the
/// index this server holds at once, and the generation counters are read with the rows of
/// the page: if the index was behind, the search is made again with a current one. Other
/// searches check the counters first.
pub async fn search(
    app: &App,
    actor: &Actor,
    request: &SearchRequest,
) -> ServiceResult<SearchResults> {
    let cpts_id = actor.cpts_id.unwrap_or(NO_CPTS);
    let from_index = !request.commune.trim().is_empty() && search_key(&request.name).is_empty();
    let mut held = if from_index {
        app.search_index.held(cpts_id).await
    } else {
        None
    };
    let mut conn = app.db.conn().await?;
    loop {
        let copies = match held.take() {
            Some(held) => Copies {
                held,
                checked: false,
            },
            None => Copies {
                held: current(app, &mut conn, cpts_id).await?,
                checked: true,
            },
        };
        if let Some(results) = search_with(&mut conn, actor, request, &copies).await? {
            return Ok(results);
        }
    }
}

/// The index and members' settings a search uses, and whether they were checked current
/// before it.
struct Copies {
    held: (Arc<DirectoryIndex>, Arc<MemberFlags>),
    checked: bool,
}

/// The search with these copies; `None` when they turned out to be behind.
async fn search_with(
    conn: &mut Conn,
    actor: &Actor,
    request: &SearchRequest,
    copies: &Copies,
) -> ServiceResult<Option<SearchResults>> {
    let (index, members) = &copies.held;
    let mut errors = FieldErrors::new();
    let radius = radius_of(&request.radius_km, &mut errors);
    let origin = match request.commune.trim() {
        "" => None,
        raw => match locate(conn, index, raw).await? {
            Ok(commune) => Some(commune),
            Err(message) => {
                errors.add("commune", message);
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let page = request.page.max(1);
    let per_page = request.per_page.clamp(1, EXPORT_LIMIT);
    let offset = (page - 1).saturating_mul(per_page);
    let (profession, specialties) = search_codes(&request.profession, &request.specialty);
    let mut filter = SiteFilter {
        name_key: search_key(&request.name),
        profession,
        specialties,
        cpts_id: actor.cpts_id,
        members_only: request.members_only,
        accepts_new_patients: request.accepts_new_patients,
        unscheduled_care: request.unscheduled_care,
        communes: None,
    };
    let Some(origin) = origin else {
        let (hits, total) = search::sites_page(conn, &filter, per_page, offset).await?;
        let found = hits
            .into_iter()
            .map(|site| Found {
                site,
                distance_km: None,
            })
            .collect();
        return Ok(Some(results(found, total, page, per_page, None)));
    };
    let around = Some(origin.name.clone());
    if !filter.name_key.is_empty() {
        let found = named_around(conn, index, origin, radius, &mut filter).await?;
        let total = found.len() as i64;
        let found = found
            .into_iter()
            .skip(offset as usize)
            .take(per_page as usize)
            .collect();
        return Ok(Some(results(found, total, page, per_page, around)));
    }
    let query = SiteQuery {
        profession: filter.profession,
        specialties: filter.specialties,
        members_only: filter.members_only,
        accepts_new_patients: filter.accepts_new_patients,
        unscheduled_care: filter.unscheduled_care,
    };
    let matches = index.search(origin, radius, &query, members);
    let total = matches.len() as i64;
    let shown: Vec<Match> = matches
        .into_iter()
        .skip(offset as usize)
        .take(per_page as usize)
        .collect();
    let Some(found) = rows_of(conn, actor, copies, &shown).await? else {
        return Ok(None);
    };
    Ok(Some(results(found, total, page, per_page, around)))
}

/// The radius typed, in kilometres (0 when empty; an error for the field when it is not a
/// distance the search takes).
fn radius_of(raw: &str, errors: &mut FieldErrors) -> f64 {
    match raw.trim() {
        "" => 0.0,
        raw => match raw.replace(',', ".").parse::<f64>() {
            Ok(r) if (0.0..=MAX_RADIUS_KM).contains(&r) => r,
            _ => {
                errors.add(
                    "rayon",
                    format!("Le rayon est un nombre de kilomètres entre 0 et {MAX_RADIUS_KM}."),
                );
                0.0
            }
        },
    }
}

/// The sites whose name is searched within `radius` of `origin`, nearest first: a name
/// narrows the search enough for the database to answer it.
async fn named_around(
    conn: &mut Conn,
    index: &DirectoryIndex,
    origin: &IndexedCommune,
    radius: f64,
    filter: &mut SiteFilter,
) -> ServiceResult<Vec<Found>> {
    let distances: HashMap<&str, f64> = index
        .communes_around(origin, radius)
        .into_iter()
        .map(|(commune, d)| (commune.insee.as_str(), d))
        .collect();
    filter.communes = Some(distances.keys().map(|c| (*c).to_owned()).collect());
    let mut found: Vec<Found> = search::all_sites(conn, filter)
        .await?
        .into_iter()
        .map(|site| {
            let d = site
                .commune
                .as_deref()
                .and_then(|c| distances.get(c))
                .copied();
            Found {
                site,
                distance_km: d,
            }
        })
        .collect();
    found.sort_by(|a, b| {
        let da = a.distance_km.unwrap_or(f64::MAX);
        let db = b.distance_km.unwrap_or(f64::MAX);
        da.total_cmp(&db)
            .then_with(|| a.site.last_name.cmp(&b.site.last_name))
            .then_with(|| a.site.professional_id.cmp(&b.site.professional_id))
            .then_with(|| a.site.position.cmp(&b.site.position))
    });
    Ok(found)
}

/// The rows of the sites the index matched, in its order, read with the generation
/// counters; `None` when the copies used were behind (the search is made again).
async fn rows_of(
    conn: &mut Conn,
    actor: &Actor,
    copies: &Copies,
    shown: &[Match],
) -> ServiceResult<Option<Vec<Found>>> {
    let (index, members) = &copies.held;
    let ids: Vec<i64> = shown.iter().map(|m| m.site_id).collect();
    let names = (
        generations::DIRECTORY,
        &generations::members(actor.cpts_id.unwrap_or(NO_CPTS)) as &str,
    );
    let (rows, read_at) = if ids.is_empty() {
        let read_at = generations::pair(conn, names.0, names.1).await?;
        (Vec::new(), read_at)
    } else {
        search::sites_by_ids_at(conn, actor.cpts_id, &ids, names).await?
    };
    if !copies.checked && read_at != (index.generation(), members.generation()) {
        return Ok(None);
    }
    let mut rows: HashMap<i64, SiteHit> =
        rows.into_iter().map(|site| (site.site_id, site)).collect();
    let found = shown
        .iter()
        .filter_map(|m| {
            rows.remove(&m.site_id).map(|site| Found {
                site,
                distance_km: Some(m.distance_km),
            })
        })
        .collect();
    Ok(Some(found))
}

/// The commune a search goes around, by INSEE code or name; `Err` holds the message for
/// the field.
async fn locate<'a>(
    conn: &mut Conn,
    index: &'a DirectoryIndex,
    raw: &str,
) -> ServiceResult<Result<&'a IndexedCommune, String>> {
    let by_code = InseeCode::parse(raw).ok();
    if let Some(commune) = by_code.as_ref().and_then(|c| index.commune(c.as_str())) {
        return Ok(Ok(commune));
    }
    let known = match by_code {
        Some(code) => reference::communes_by_codes(conn, &[code.as_str().to_owned()])
            .await?
            .pop(),
        None => reference::find_communes(conn, &search_key(raw), 1)
            .await?
            .pop(),
    };
    Ok(match known {
        Some(commune) => index
            .commune(&commune.insee)
            .ok_or_else(|| format!("La position de {} n’est pas connue.", commune.name)),
        None => Err(format!("Commune introuvable : « {} ».", raw.trim())),
    })
}

fn results(
    found: Vec<Found>,
    total: i64,
    page: i64,
    per_page: i64,
    around: Option<String>,
) -> SearchResults {
    SearchResults {
        found,
        total,
        page,
        pages: ((total + per_page - 1) / per_page).max(1),
        around,
    }
}

/// One professional and every one of their practice sites.
pub async fn professional(
    app: &App,
    actor: &Actor,
    professional_id: i64,
) -> ServiceResult<Vec<SiteHit>> {
    let mut conn = app.db.conn().await?;
    let sites = search::professional_sites(&mut conn, actor.cpts_id, professional_id).await?;
    if sites.is_empty() {
        return Err(ServiceError::NotFound);
    }
    Ok(sites)
}
