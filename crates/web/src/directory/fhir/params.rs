//! The search parameters of a FHIR request, as typed: `[system|]code` tokens, comma
//! lists, references, `_count`/`_offset` paging. A parameter given with no usable value
//! matches nothing rather than everything.

use crate::{
    directory::fhir::resources::IDNPS_SYSTEM, directory::fhir::resources::IDNST_SYSTEM,
    directory::fhir::resources::RPPS_SYSTEM,
};
use maillage_domain::territory::search_key;

/// Resources per page when `_count` is not given, and the most a page holds.
const DEFAULT_COUNT: i64 = 50;
const MAX_COUNT: i64 = 200;
/// A value no identifier has: what an unusable filter filters on.
const NOTHING: &str = "-";

pub struct Params {
    pub pairs: Vec<(String, String)>,
    pub count: i64,
    pub offset: i64,
}

fn number(pairs: &[(String, String)], name: &str, default: i64, max: i64) -> Result<i64, String> {
    match pairs.iter().find(|(k, _)| k == name) {
        None => Ok(default),
        Some((_, v)) => match v.parse::<i64>() {
            Ok(n) if (0..=max).contains(&n) => Ok(n),
            _ => Err(format!(
                "Paramètre {name} : un entier entre 0 et {max} est attendu."
            )),
        },
    }
}

impl Params {
    pub fn parse(pairs: Vec<(String, String)>) -> Result<Self, String> {
        let count = number(&pairs, "_count", DEFAULT_COUNT, MAX_COUNT)?;
        let offset = number(&pairs, "_offset", 0, i64::MAX)?;
        Ok(Self {
            pairs,
            count,
            offset,
        })
    }

    pub fn single(name: &str, value: &str) -> Self {
        Self {
            pairs: vec![(name.to_owned(), value.to_owned())],
            count: 1,
            offset: 0,
        }
    }

    /// Every comma-separated value of a parameter (modifiers like `:exact` ignored).
    fn values(&self, name: &str) -> Option<Vec<&str>> {
        let values: Vec<&str> = self
            .pairs
            .iter()
            .filter(|(k, _)| k.split(':').next() == Some(name))
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        self.pairs
            .iter()
            .any(|(k, _)| k.split(':').next() == Some(name))
            .then_some(values)
    }

    /// The elements `_elements` keeps, if given.
    pub fn elements(&self) -> Option<Vec<&str>> {
        self.values("_elements")
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values(name).is_some_and(|v| v.contains(&value))
    }

    /// A name-like parameter as a search key.
    pub fn text(&self, name: &str) -> String {
        self.values(name)
            .and_then(|v| v.first().map(|t| search_key(t)))
            .unwrap_or_default()
    }

    /// The codes of a token parameter, without their system.
    pub fn codes(&self, name: &str) -> Vec<String> {
        self.values(name)
            .unwrap_or_default()
            .iter()
            .map(|v| v.rsplit('|').next().unwrap_or(v).to_owned())
            .collect()
    }

    pub fn code(&self, name: &str) -> String {
        self.codes(name).into_iter().next().unwrap_or_default()
    }

    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.code(name).as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// `ids` when the parameter was given and something usable came of it; a list that
    /// matches nothing when it was given in vain; empty (no filter) when absent.
    fn or_nothing(given: bool, mut ids: Vec<String>) -> Vec<String> {
        if given && ids.is_empty() {
            ids.push(NOTHING.to_owned());
        }
        ids
    }

    /// National ids from `_id` and `identifier` (idNatPs, or an RPPS number).
    pub fn practitioner_ids(&self) -> Vec<String> {
        let given = self.values("_id").is_some() || self.values("identifier").is_some();
        let mut ids: Vec<String> = self.codes("_id");
        for raw in self.values("identifier").unwrap_or_default() {
            let (system, value) = raw.rsplit_once('|').unwrap_or(("", raw));
            let rpps = value.len() == 11 && value.bytes().all(|b| b.is_ascii_digit());
            match system {
                RPPS_SYSTEM => ids.push(format!("8{value}")),
                "" if rpps => ids.push(format!("8{value}")),
                "" | IDNPS_SYSTEM => ids.push(value.to_owned()),
                _ => {}
            }
        }
        Self::or_nothing(given, ids)
    }

    /// (national id, rank) pairs from PractitionerRole `_id`s.
    pub fn role_ids(&self) -> Vec<(String, i64)> {
        let Some(values) = self.values("_id") else {
            return Vec::new();
        };
        let mut ids: Vec<(String, i64)> = values
            .iter()
            .filter_map(|v| {
                let (national, rank) = v.rsplit_once('-')?;
                Some((national.to_owned(), rank.parse().ok()?))
            })
            .collect();
        if ids.is_empty() {
            ids.push((NOTHING.to_owned(), 0));
        }
        ids
    }

    /// Ids from a reference parameter (`Practitioner/ID` or `ID`).
    pub fn reference_ids(&self, name: &str, kind: &str) -> Vec<String> {
        let given = self.values(name).is_some();
        let ids = self
            .codes(name)
            .into_iter()
            .map(|v| v.strip_prefix(&format!("{kind}/")).unwrap_or(&v).to_owned())
            .collect();
        Self::or_nothing(given, ids)
    }

    /// Structure keys (`siret:…`, `finess:…`) from Organization ids or references.
    pub fn organization_keys(&self, name: &str) -> Vec<String> {
        let given = self.values(name).is_some();
        let keys = self
            .reference_ids(name, "Organization")
            .iter()
            .filter_map(|id| {
                let (kind, number) = id.split_once('-')?;
                matches!(kind, "siret" | "finess").then(|| format!("{kind}:{number}"))
            })
            .collect();
        Self::or_nothing(given, keys)
    }

    /// Structure keys from Organization `identifier`s (idNatSt, SIRET, FINESS).
    pub fn organization_identifiers(&self) -> Vec<String> {
        let given = self.values("identifier").is_some();
        let keys = self
            .values("identifier")
            .unwrap_or_default()
            .iter()
            .filter_map(|raw| {
                let (system, value) = raw.rsplit_once('|').unwrap_or(("", raw));
                match (system, value.len()) {
                    ("https://sirene.fr", 14) | ("", 14) => Some(format!("siret:{value}")),
                    ("https://finess.esante.gouv.fr", 9) | ("", 9) => {
                        Some(format!("finess:{value}"))
                    }
                    (IDNST_SYSTEM | "", 15) if value.starts_with('3') => {
                        Some(format!("siret:{}", &value[1..]))
                    }
                    (IDNST_SYSTEM | "", 10) if value.starts_with('1') => {
                        Some(format!("finess:{}", &value[1..]))
                    }
                    _ => None,
                }
            })
            .collect();
        Self::or_nothing(given, keys)
    }
}
