//! The national territory reference data shipped inside the binary (see
//! `data/territory/README.md` for sources, vintages and licences), and its loading into
//! the database when the shipped vintage differs from the stored one.

use crate::tools::synth::SynthCommune;
use crate::tools::synth::statistics::StatisticsCommune;
use crate::{ServiceError, ServiceResult};
use maillage_domain::territory::search_key;
use maillage_store::Db;
use maillage_store::territory::reference::{
    self, CommuneRecord, CommuneRow, DepartementRow, EpciRow, RegionRow,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

const REGIONS: &str = include_str!("../../../data/territory/regions.csv");
const DEPARTEMENTS: &str = include_str!("../../../data/territory/departements.csv");
const EPCIS: &str = include_str!("../../../data/territory/epci.csv");
const COMMUNES: &str = include_str!("../../../data/territory/communes.csv");

/// The name under which the territory's vintage is recorded in `reference_data`.
const DATASET: &str = "territory";

/// What the loading did.
#[derive(Debug, PartialEq, Eq)]
pub enum Loaded {
    /// The stored vintage was already the shipped one.
    AlreadyCurrent,
    /// The shipped vintage was written: this many communes and arrondissements.
    Communes(usize),
}

#[derive(Deserialize)]
struct Region {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
struct Departement {
    code: String,
    nom: String,
    region: String,
}

#[derive(Deserialize)]
struct Epci {
    siren: String,
    nom: String,
    nature: String,
}

#[derive(Deserialize)]
struct Commune {
    insee: String,
    #[serde(rename = "type")]
    kind: String,
    nom: String,
    departement: String,
    region: String,
    epci: String,
    codes_postaux: String,
    population: Option<i64>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    commune_parente: String,
}

fn read<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> ServiceResult<Vec<T>> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| ServiceError::Internal(format!("shipped file {file}: {e}")))
}

fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// The shipped communes as the synthetic directory populates them, in code order: the
/// arrondissements of Paris, Lyon and Marseille stand in place of those three communes,
/// as in the real directory. `keep` chooses by (INSEE code, department).
pub fn synth_communes(keep: impl Fn(&str, &str) -> bool) -> ServiceResult<Vec<SynthCommune>> {
    let all = read::<Commune>("communes.csv", COMMUNES)?;
    let divided: HashSet<&str> = all.iter().map(|c| c.commune_parente.as_str()).collect();
    Ok(all
        .iter()
        .filter(|c| !divided.contains(c.insee.as_str()) && keep(&c.insee, &c.departement))
        .map(|c| SynthCommune {
            insee: c.insee.clone(),
            name: c.nom.clone(),
            postcode: c
                .codes_postaux
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
            departement: c.departement.clone(),
            population: c.population.unwrap_or(0),
        })
        .collect())
}

/// The shipped current communes (not the arrondissements) as the synthetic statistics
/// describe them, in code order. `keep` chooses by (INSEE code, department).
pub fn statistics_communes(
    keep: impl Fn(&str, &str) -> bool,
) -> ServiceResult<Vec<StatisticsCommune>> {
    Ok(read::<Commune>("communes.csv", COMMUNES)?
        .into_iter()
        .filter(|c| c.kind == "commune" && keep(&c.insee, &c.departement))
        .map(|c| StatisticsCommune {
            insee: c.insee,
            departement: c.departement,
            region: c.region,
            population: c.population.unwrap_or(0),
        })
        .collect())
}

/// A fingerprint of the shipped files: a new vintage has a new one.
fn shipped_version() -> String {
    let mut hash = Sha256::new();
    for text in [REGIONS, DEPARTEMENTS, EPCIS, COMMUNES] {
        hash.update(text.len().to_le_bytes());
        hash.update(text.as_bytes());
    }
    hex::encode(&hash.finalize()[..8])
}

/// Loads the shipped territory into the database, in one transaction, unless the stored
/// vintage is already this one. `now` is recorded as the loading time.
pub async fn load_territory(db: &Db, now: i64) -> ServiceResult<Loaded> {
    let version = shipped_version();
    let mut tx = db.begin().await?;
    if reference::reference_version(&mut tx, DATASET)
        .await?
        .as_deref()
        == Some(&version)
    {
        return Ok(Loaded::AlreadyCurrent);
    }
    let regions: Vec<RegionRow> = read::<Region>("regions.csv", REGIONS)?
        .into_iter()
        .map(|r| RegionRow {
            code: r.code,
            name: r.nom,
        })
        .collect();
    let departements: Vec<DepartementRow> = read::<Departement>("departements.csv", DEPARTEMENTS)?
        .into_iter()
        .map(|d| DepartementRow {
            code: d.code,
            name: d.nom,
            region: d.region,
        })
        .collect();
    let epcis: Vec<EpciRow> = read::<Epci>("epci.csv", EPCIS)?
        .into_iter()
        .map(|e| EpciRow {
            siren: e.siren,
            name: e.nom,
            nature: e.nature,
        })
        .collect();
    let communes: Vec<CommuneRecord> = read::<Commune>("communes.csv", COMMUNES)?
        .into_iter()
        .map(|c| CommuneRecord {
            search_name: search_key(&c.nom),
            row: CommuneRow {
                insee: c.insee,
                kind: c.kind,
                name: c.nom,
                departement: c.departement,
                region: c.region,
                epci: non_empty(c.epci),
                parent: non_empty(c.commune_parente),
                postcodes: c.codes_postaux,
                population: c.population,
                latitude: c.latitude,
                longitude: c.longitude,
            },
        })
        .collect();
    reference::replace_reference(&mut tx, &regions, &departements, &epcis, &communes).await?;
    reference::set_reference_version(&mut tx, DATASET, &version, now).await?;
    Db::commit(tx).await?;
    Ok(Loaded::Communes(communes.len()))
}
