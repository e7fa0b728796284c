//! `GET /fhir/r4/Slot`: the slot search of the SAS guide's CPTS flow. The SAS platform
//! names 1 to 25 professionals (`schedule.actor:Practitioner.identifier`), a window on the
//! slots' start (`start=ge…&start=le…`, Paris time when no offset is given) and
//! `status=free`; the answer is one searchset Bundle of the free slots with, as its
//! `_include` parameters ask, their Schedules, Practitioners and PractitionerRoles and the
//! CPTS as HealthcareService and Organization. Its `self` link repeats the query as sent.
//! A CPTS without the FINESS number the guide requires answers an OperationOutcome
//! saying so rather than a Bundle that does not conform.

use crate::directory::fhir::resources::IDNPS_SYSTEM;
use crate::state::AppState;
use crate::{directory::fhir::failed, directory::fhir::fhir, directory::fhir::outcome};
use crate::{
    unscheduled_care::sas_resources as sas, unscheduled_care::sas_resources::BUNDLE_PROFILE,
};
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maillage_domain::unscheduled_care::instants::parse_instant;
use maillage_services::Actor;
use maillage_services::unscheduled_care::slots::{SAS_MAX_PRACTITIONERS, SasSlots, for_sas};
use serde_json::{Value, json};
use std::collections::HashSet;

/// The longest window searched: 31 days.
const LONGEST_WINDOW: i64 = 31 * 86_400;

/// A search as the SAS sends it, checked.
struct SlotSearch {
    national_ids: Vec<String>,
    from: i64,
    to: i64,
    includes: HashSet<String>,
}

fn invalid(message: &str) -> Response {
    outcome(StatusCode::BAD_REQUEST, "invalid", message)
}

/// A national identifier as sent, `[system|]value`: RPPS numbers may come without the
/// `8` that prefixes them.
fn national_id(token: &str) -> Result<String, String> {
    let (system, value) = match token.split_once('|') {
        Some((system, value)) => (system.trim(), value.trim()),
        None => ("", token.trim()),
    };
    if !system.is_empty() && system != IDNPS_SYSTEM {
        return Err(format!("Système d’identifiant inconnu : « {system} »."));
    }
    match value.len() {
        11 if value.bytes().all(|b| b.is_ascii_digit()) => Ok(format!("8{value}")),
        1..=20 => Ok(value.to_owned()),
        _ => Err(format!("Identifiant invalide : « {value} ».")),
    }
}

fn parse(pairs: &[(String, String)]) -> Result<SlotSearch, String> {
    let mut national_ids = Vec::new();
    let (mut from, mut to) = (None, None);
    let mut includes = HashSet::new();
    for (name, value) in pairs {
        match name.as_str() {
            "schedule.actor:Practitioner.identifier" => {
                for token in value.split(',').filter(|t| !t.trim().is_empty()) {
                    national_ids.push(national_id(token)?);
                }
            }
            "start" => {
                let (prefix, instant) = value.split_at(value.len().min(2));
                let at = parse_instant(instant)
                    .map_err(|m| format!("Paramètre start : {m}"))?
                    .as_second();
                match prefix {
                    "ge" | "gt" => from = Some(at),
                    "le" | "lt" => to = Some(at),
                    _ => return Err("Paramètre start : ge… et le… sont attendus.".to_owned()),
                }
            }
            "status" if value != "free" => {
                return Err("Seuls les créneaux libres sont servis : status=free.".to_owned());
            }
            "_include" | "_include:iterate" => {
                includes.insert(value.clone());
            }
            _ => {}
        }
    }
    if national_ids.is_empty() || national_ids.len() > SAS_MAX_PRACTITIONERS {
        return Err(
            "De 1 à 25 identifiants dans schedule.actor:Practitioner.identifier.".to_owned(),
        );
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err("Paramètre start : ge… et le… sont attendus.".to_owned());
    };
    if to < from || to - from > LONGEST_WINDOW {
        return Err(
            "La fenêtre de recherche va de start=ge à start=le, 31 jours au plus.".to_owned(),
        );
    }
    Ok(SlotSearch {
        national_ids,
        from,
        to,
        includes,
    })
}

fn entry(base: &str, resource: Value, mode: &str) -> Value {
    let full_url = format!(
        "{base}/{}/{}",
        resource["resourceType"].as_str().unwrap_or_default(),
        resource["id"].as_str().unwrap_or_default()
    );
    json!({ "fullUrl": full_url, "resource": resource, "search": { "mode": mode } })
}

/// `GET /fhir/r4/Slot?…`, with a personal token of the CPTS (every CPTS for an
/// administrator's): the slots the token's role may book.
pub async fn search(
    headers: HeaderMap,
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap_or_default();
    let search = match parse(&pairs) {
        Ok(search) => search,
        Err(message) => return invalid(&message),
    };
    let found = match for_sas(
        &state.app,
        &actor,
        &search.national_ids,
        search.from,
        search.to,
    )
    .await
    {
        Ok(found) => found,
        Err(error) => return failed(error),
    };
    let gaps = found.identity_gaps();
    if !gaps.is_empty() {
        return outcome(
            StatusCode::UNPROCESSABLE_ENTITY,
            "business-rule",
            &gaps.join(" "),
        );
    }
    let base = crate::directory::fhir::bundle::base_url(&headers, &state);
    let site = state
        .app
        .settings
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let (mut matches, included) = entries(&found, &base, &site, &search.includes);
    let total = matches.len();
    let mut bundle = json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{ "relation": "self", "url": format!("{base}/Slot?{query}") }],
    });
    // The guide's Bundle profile wants at least a Slot, Schedule, Practitioner and
    // PractitionerRole; its text wants `total: 0` when nothing is found. An empty answer
    // is a plain searchset that does not claim the profile.
    if total > 0 {
        bundle["meta"] = json!({ "profile": [BUNDLE_PROFILE] });
        matches.extend(included);
        bundle["entry"] = Value::Array(matches);
    }
    fhir(StatusCode::OK, bundle)
}

/// The bundle's entries: a match per free slot (with the address that books it in
/// maillage), and once each the resources the `_include`s ask for.
fn entries(
    found: &SasSlots,
    base: &str,
    site: &str,
    includes: &HashSet<String>,
) -> (Vec<Value>, Vec<Value>) {
    let wants = |include: &str| includes.contains(include);
    let mut matches = Vec::new();
    let mut included = Vec::new();
    let mut seen = HashSet::new();
    for slot in &found.slots {
        let Some(cpts) = found.cpts.iter().find(|c| c.id == slot.cpts_id) else {
            continue;
        };
        let booking = format!(
            "{site}/soins-non-programmes/demandes/nouvelle?creneau={}",
            slot.id
        );
        matches.push(entry(base, sas::slot(slot, cpts, &booking), "match"));
        let mut include = |key: String, resource: Value| {
            if seen.insert(key) {
                included.push(entry(base, resource, "include"));
            }
        };
        if wants("Slot:schedule") {
            include(format!("Schedule/{}", slot.place_id), sas::schedule(slot));
            if wants("Schedule:actor") {
                include(
                    format!("Practitioner/{}", slot.national_id),
                    sas::practitioner(slot),
                );
                include(
                    format!("PractitionerRole/{}", slot.place_id),
                    sas::practitioner_role(slot, site),
                );
            }
        }
        if wants("Slot:service-type-reference") {
            include(
                format!("HealthcareService/{}", cpts.id),
                sas::healthcare_service(cpts),
            );
            if wants("HealthcareService:organization") {
                include(format!("Organization/{}", cpts.id), sas::organization(cpts));
            }
        }
    }
    (matches, included)
}

/// What the CapabilityStatement says of the slot search (it needs a personal token).
pub fn capability() -> Value {
    json!({
        "type": "Slot",
        "supportedProfile": ["https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-slot-aggregator"],
        "interaction": [{ "code": "search-type" }],
        "searchParam": [
            { "name": "start", "type": "date",
              "definition": "https://interop.esante.gouv.fr/ig/fhir/sas/SearchParameter/slot-sp-start" },
            { "name": "status", "type": "token" },
            { "name": "schedule", "type": "reference",
              "documentation": "Chaîné : schedule.actor:Practitioner.identifier, de 1 à 25 identifiants nationaux." },
        ],
        "searchInclude": ["Slot:schedule", "Schedule:actor", "Slot:service-type-reference", "HealthcareService:organization"],
    })
}
