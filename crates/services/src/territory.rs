//! The territory of a CPTS: finding communes, and the perimeter (a set of communes, given
//! by INSEE codes or whole EPCI) with its population and the communes another CPTS of
//! the host already covers.

pub mod cpts;

use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::territory::cpts::create_in;
use maillage_domain::gp_waitlist::capacity::stored_codes;
use maillage_domain::platform::audit::Outcome;
use maillage_domain::territory::search_key;
use maillage_domain::{FieldErrors, InseeCode, Siren};
use maillage_store::territory::cpts::{self as stored_cpts, CptsRow};
use maillage_store::territory::reference::{self, CommuneRow, EpciSummary};
use maillage_store::{Conn, Db};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The most communes a search returns.
const SEARCH_LIMIT: i64 = 30;

/// The communes asked for a perimeter: INSEE codes and EPCI SIREN numbers, as typed.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    pub communes: Vec<String>,
    pub epcis: Vec<String>,
}

/// One commune of a perimeter.
#[derive(Debug, Clone, Serialize)]
pub struct PerimeterCommune {
    pub insee: String,
    pub name: String,
    pub kind: String,
    pub departement: String,
    pub region: String,
    pub epci: Option<String>,
    pub postcodes: Vec<String>,
    pub population: Option<i64>,
    /// The other CPTS of the host whose perimeter also has this commune.
    pub also_in: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Perimeter {
    #[serde(skip)]
    pub cpts_id: i64,
    pub slug: String,
    pub name: String,
    pub communes: Vec<PerimeterCommune>,
    pub population: i64,
}

fn perimeter_commune(row: CommuneRow, also_in: Vec<String>) -> PerimeterCommune {
    PerimeterCommune {
        postcodes: row
            .postcodes
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        insee: row.insee,
        name: row.name,
        kind: row.kind,
        departement: row.departement,
        region: row.region,
        epci: row.epci,
        population: row.population,
        also_in,
    }
}

/// Communes whose name, postcode or code matches `query`, the most populated first.
pub async fn find_communes(app: &App, query: &str) -> ServiceResult<Vec<CommuneRow>> {
    let key = search_key(query);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = app.db.conn().await?;
    Ok(reference::find_communes(&mut conn, &key, SEARCH_LIMIT).await?)
}

/// The names of the communes of the CPTS `cpts_id`, in alphabetical order: what a form
/// suggests as a patient's commune is typed.
pub async fn perimeter_names(app: &App, cpts_id: i64) -> ServiceResult<Vec<String>> {
    let mut conn = app.db.conn().await?;
    let mut names: Vec<String> = reference::perimeter(&mut conn, cpts_id)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    names.sort_by_cached_key(|name| search_key(name));
    Ok(names)
}

/// « Name (code) » of the communes whose INSEE codes are stored separated by commas, as
/// forms show them back.
pub async fn commune_labels(app: &App, stored: &str) -> ServiceResult<String> {
    let codes = stored_codes(stored);
    if codes.is_empty() {
        return Ok(String::new());
    }
    let mut conn = app.db.conn().await?;
    let communes = reference::communes_by_codes(&mut conn, &codes).await?;
    Ok(communes
        .iter()
        .map(|c| format!("{} ({})", c.name, c.insee))
        .collect::<Vec<_>>()
        .join(", "))
}

/// EPCI whose name contains every word of `query` (accents and case ignored).
pub async fn find_epcis(app: &App, query: &str) -> ServiceResult<Vec<EpciSummary>> {
    let key = search_key(query);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = app.db.conn().await?;
    let all = reference::epci_summaries(&mut conn).await?;
    Ok(all
        .into_iter()
        .filter(|e| {
            let name = search_key(&e.name);
            key.split(' ').all(|word| name.contains(word))
        })
        .take(SEARCH_LIMIT as usize)
        .collect())
}

/// The INSEE codes a selection stands for, checked against the reference data: every
/// bad or unknown code is named under the field `communes` or `epci`.
async fn resolve(conn: &mut Conn, selection: &Selection) -> ServiceResult<Vec<CommuneRow>> {
    let mut errors = FieldErrors::new();
    let mut codes = BTreeSet::new();
    let mut bad = Vec::new();
    for raw in selection.communes.iter().filter(|c| !c.trim().is_empty()) {
        match InseeCode::parse(raw) {
            Ok(code) => {
                codes.insert(code.as_str().to_owned());
            }
            Err(message) => bad.push(message),
        }
    }
    let mut bad_epcis = Vec::new();
    for raw in selection.epcis.iter().filter(|c| !c.trim().is_empty()) {
        let siren = match Siren::parse(raw) {
            Ok(siren) => siren,
            Err(message) => {
                bad_epcis.push(message);
                continue;
            }
        };
        let members = reference::communes_of_epci(conn, siren.as_str()).await?;
        if members.is_empty() {
            bad_epcis.push(format!("EPCI inconnu : {}.", siren.as_str()));
        }
        codes.extend(members.into_iter().map(|c| c.insee));
    }
    let codes: Vec<String> = codes.into_iter().collect();
    let rows = reference::communes_by_codes(conn, &codes).await?;
    let known: BTreeSet<&str> = rows.iter().map(|r| r.insee.as_str()).collect();
    for code in codes.iter().filter(|c| !known.contains(c.as_str())) {
        bad.push(format!("Commune inconnue : {code}."));
    }
    let parents: BTreeSet<&str> = rows.iter().filter_map(|r| r.parent.as_deref()).collect();
    for parent in parents.iter().filter(|p| known.contains(*p)) {
        bad.push(format!(
            "La commune {parent} et ses arrondissements ne peuvent pas figurer ensemble : \
             choisissez l’une ou les autres."
        ));
    }
    if !bad.is_empty() {
        errors.add("communes", bad.join(" "));
    }
    if !bad_epcis.is_empty() {
        errors.add("epci", bad_epcis.join(" "));
    }
    if errors.is_empty() && rows.is_empty() {
        errors.add("communes", "Choisissez au moins une commune.");
    }
    Ok(errors.into_result(|| rows)?)
}

/// Writes a perimeter and its audit record within the caller's transaction.
async fn write_perimeter(
    app: &App,
    tx: &mut Conn,
    actor: Option<&Actor>,
    cpts: &CptsRow,
    rows: &[CommuneRow],
) -> ServiceResult<()> {
    let codes: Vec<String> = rows.iter().map(|r| r.insee.clone()).collect();
    reference::set_perimeter(tx, cpts.id, &codes).await?;
    let who = actor.map_or(Who::System, Who::User);
    audit::write_in(
        app,
        tx,
        &who,
        Event::new("territory.perimeter.set", Outcome::Success)
            .object("cpts", cpts.id)
            .cpts(Some(cpts.id)),
    )
    .await
}

/// Creates a CPTS with its perimeter, in one transaction (administrators, or the operator
/// on the command line as `None`).
pub async fn create(
    app: &App,
    actor: Option<&Actor>,
    slug: &str,
    name: &str,
    selection: &Selection,
) -> ServiceResult<Perimeter> {
    let mut tx = app.db.begin().await?;
    let rows = resolve(&mut tx, selection).await;
    let cpts = create_in(app, &mut tx, actor, slug, name).await;
    let (rows, cpts) = match (rows, cpts) {
        (Ok(rows), Ok(cpts)) => (rows, cpts),
        (Err(ServiceError::Invalid(mut a)), Err(ServiceError::Invalid(b))) => {
            a.merge(b);
            return Err(ServiceError::Invalid(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    write_perimeter(app, &mut tx, actor, &cpts, &rows).await?;
    let perimeter = read(&mut tx, &cpts).await?;
    Db::commit(tx).await?;
    Ok(perimeter)
}

/// Replaces the perimeter of an existing CPTS (administrators only).
pub async fn set(
    app: &App,
    actor: Option<&Actor>,
    slug: &str,
    selection: &Selection,
) -> ServiceResult<Perimeter> {
    if actor.is_some_and(|a| !a.is_admin()) {
        return Err(ServiceError::NotFound);
    }
    let mut tx = app.db.begin().await?;
    let cpts = stored_cpts::by_slug(&mut tx, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let rows = resolve(&mut tx, selection).await?;
    write_perimeter(app, &mut tx, actor, &cpts, &rows).await?;
    let perimeter = read(&mut tx, &cpts).await?;
    Db::commit(tx).await?;
    Ok(perimeter)
}

/// The perimeter of a CPTS the actor may see (`None`: the operator).
pub async fn show(app: &App, actor: Option<&Actor>, slug: &str) -> ServiceResult<Perimeter> {
    let mut conn = app.db.conn().await?;
    let cpts = stored_cpts::by_slug(&mut conn, slug)
        .await?
        .filter(|c| actor.is_none_or(|a| access::sees(a, c.id)))
        .ok_or(ServiceError::NotFound)?;
    read(&mut conn, &cpts).await
}

async fn read(conn: &mut Conn, cpts: &CptsRow) -> ServiceResult<Perimeter> {
    let rows = reference::perimeter(conn, cpts.id).await?;
    let codes: Vec<String> = rows.iter().map(|r| r.insee.clone()).collect();
    let claimed = reference::claimed_elsewhere(conn, cpts.id, &codes).await?;
    let population = rows.iter().filter_map(|r| r.population).sum();
    let communes = rows
        .into_iter()
        .map(|row| {
            let also_in = claimed
                .iter()
                .filter(|c| c.insee == row.insee)
                .map(|c| c.cpts_name.clone())
                .collect();
            perimeter_commune(row, also_in)
        })
        .collect();
    Ok(Perimeter {
        cpts_id: cpts.id,
        slug: cpts.slug.clone(),
        name: cpts.name.clone(),
        communes,
        population,
    })
}

/// The communes already found by what was typed, when many lines are checked at once.
#[derive(Default)]
pub struct CommuneLookups(HashMap<String, Result<String, String>>);

impl CommuneLookups {
    /// As [`commune_code_of`], each text looked up once.
    pub async fn code_of(
        &mut self,
        conn: &mut Conn,
        cpts_id: i64,
        raw: &str,
    ) -> ServiceResult<Result<String, String>> {
        if let Some(found) = self.0.get(raw) {
            return Ok(found.clone());
        }
        let found = commune_code_of(conn, Some(cpts_id), raw).await?;
        self.0.insert(raw.to_owned(), found.clone());
        Ok(found)
    }
}

/// The commune of the postcode `postcode`: the CPTS's own first, for a postcode several
/// communes share; `Err` says in French why none or several were found.
/// The communes of the CPTS `cpts_id`'s perimeter; none without a CPTS.
async fn perimeter_of(
    conn: &mut Conn,
    cpts_id: Option<i64>,
) -> ServiceResult<Vec<reference::CommuneRow>> {
    Ok(match cpts_id {
        Some(cpts_id) => reference::perimeter(conn, cpts_id).await?,
        None => Vec::new(),
    })
}

async fn by_postcode(
    conn: &mut Conn,
    cpts_id: Option<i64>,
    postcode: &str,
) -> ServiceResult<Result<String, String>> {
    let with_postcode = |communes: Vec<reference::CommuneRow>| -> Vec<String> {
        communes
            .into_iter()
            .filter(|c| c.postcodes.split(' ').any(|p| p == postcode))
            .map(|c| c.insee)
            .collect()
    };
    let mut found = with_postcode(perimeter_of(conn, cpts_id).await?);
    if found.is_empty() {
        found = with_postcode(reference::find_communes(conn, postcode, 50).await?);
    }
    Ok(match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "Aucune commune n’a le code « {postcode} » : indiquez son nom ou son code INSEE."
        )),
        _ => Err(format!(
            "Plusieurs communes ont le code postal {postcode} : indiquez le nom de la commune."
        )),
    })
}

/// The INSEE code of the commune typed: a code, a postcode, a name (the CPTS's communes
/// first), or « Name (code) » as forms show it back; `Err` says in French why none was
/// found.
pub async fn commune_code_of(
    conn: &mut Conn,
    cpts_id: Option<i64>,
    raw: &str,
) -> ServiceResult<Result<String, String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Err("Indiquez la commune du patient.".to_owned()));
    }
    let code = match raw.rsplit_once('(') {
        Some((_, code)) if code.ends_with(')') => code.trim_end_matches(')').trim(),
        _ => raw,
    };
    let by_code = reference::communes_by_codes(conn, &[code.to_uppercase()]).await?;
    if let Some(commune) = by_code.into_iter().next() {
        return Ok(Ok(commune.insee));
    }
    if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
        return by_postcode(conn, cpts_id, code).await;
    }
    let key = search_key(raw);
    let named = |communes: &[reference::CommuneRow], matches: &dyn Fn(&str) -> bool| {
        communes
            .iter()
            .filter(|c| matches(&search_key(&c.name)))
            .map(|c| c.insee.clone())
            .collect::<Vec<String>>()
    };
    // The CPTS's own communes first, by their whole name, then the only one whose name
    // begins so (« Aix » for Aix-en-Provence); then those of France.
    let perimeter = perimeter_of(conn, cpts_id).await?;
    let mut found = named(&perimeter, &|name| name == key);
    if found.is_empty() {
        let begun = named(&perimeter, &|name| name.starts_with(&key));
        if begun.len() == 1 {
            found = begun;
        }
    }
    if found.is_empty() {
        let france = reference::find_communes(conn, &key, 50).await?;
        found = named(&france, &|name| name == key);
    }
    Ok(match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "Commune inconnue : « {raw} ». Indiquez son nom ou son code INSEE."
        )),
        _ => Err(format!(
            "Plusieurs communes s’appellent « {raw} » : indiquez son code INSEE."
        )),
    })
}
