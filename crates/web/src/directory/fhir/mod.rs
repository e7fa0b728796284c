//! The FHIR R4 interface at `/fhir/r4`: the national directory as open data, read and
//! searched as Practitioner, PractitionerRole and Organization (ANS Annuaire profiles),
//! searchset Bundles with paging links, and the CapabilityStatement. Anyone may read it
//! (rate limited); a personal token adds what the caller's CPTS members share.

pub(crate) mod bundle;
mod params;
pub mod resources;

use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use bundle::{Page, searchset};
use maillage_services::Actor;
use maillage_services::directory::read;
use maillage_store::directory::read::{ProfessionalFilter, SiteFilter, StructureFilter};
use params::Params;
use serde_json::{Value, json};
use std::collections::HashMap;

/// A FHIR JSON answer.
pub fn fhir(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/fhir+json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// An OperationOutcome with one issue, in French.
pub fn outcome(status: StatusCode, code: &str, message: &str) -> Response {
    fhir(
        status,
        json!({ "resourceType": "OperationOutcome", "issue": [{
            "severity": "error", "code": code, "diagnostics": message }] }),
    )
}

pub(crate) fn failed(error: maillage_services::ServiceError) -> Response {
    tracing::error!(%error, "FHIR request failed");
    outcome(
        StatusCode::INTERNAL_SERVER_ERROR,
        "exception",
        "Erreur interne.",
    )
}

/// The caller, when a valid personal token came with the request.
pub type Caller = Option<Extension<Actor>>;

fn caller(c: &Caller) -> Option<&Actor> {
    c.as_ref().map(|Extension(actor)| actor)
}

/// `GET /fhir/r4/metadata`
pub async fn metadata(headers: HeaderMap, State(state): State<AppState>) -> Response {
    let base = bundle::base_url(&headers, &state);
    let resource = |kind: &str, profile: &str, params: &[&str]| {
        json!({ "type": kind,
            "supportedProfile": [format!("https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/{profile}")],
            "interaction": [{ "code": "read" }, { "code": "search-type" }],
            "searchParam": params.iter().map(|p| json!({ "name": p, "type": param_type(p) })).collect::<Vec<_>>() })
    };
    fhir(
        StatusCode::OK,
        json!({
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-22",
            "kind": "instance",
            "implementation": { "description": "maillage : annuaire des professionnels de santé", "url": base },
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json", "json"],
            "rest": [{ "mode": "server", "resource": [
                resource("Practitioner", "as-dp-practitioner",
                    &["_id", "identifier", "name", "family", "given", "active", "qualification-code", "_count", "_elements", "_total", "_revinclude"]),
                resource("PractitionerRole", "as-dp-practitionerrole",
                    &["_id", "practitioner", "organization", "role", "active", "_count", "_elements", "_total", "_include"]),
                resource("Organization", "as-dp-organization",
                    &["_id", "identifier", "name", "address-city", "address-postalcode", "type", "_count", "_elements", "_total"]),
                crate::unscheduled_care::sas::capability(),
            ] }]
        }),
    )
}

/// The type a search parameter is declared with in the CapabilityStatement.
fn param_type(name: &str) -> &'static str {
    match name {
        "_count" => "number",
        "_elements" | "_total" | "_include" | "_revinclude" => "special",
        "name" | "family" | "given" | "address-city" | "address-postalcode" => "string",
        "practitioner" | "organization" => "reference",
        _ => "token",
    }
}

/// `GET /fhir/r4/{type}/{id}`
pub async fn read_one(
    State(state): State<AppState>,
    c: Caller,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    let params = Params::single("_id", &id);
    let found = match find(&state, &c, &kind, &params).await {
        Some(found) => found,
        None => {
            return outcome(
                StatusCode::NOT_FOUND,
                "not-supported",
                "Type de ressource non servi.",
            );
        }
    };
    match found {
        Ok(page) if !page.matches.is_empty() => fhir(StatusCode::OK, page.matches[0].clone()),
        Ok(_) => outcome(
            StatusCode::NOT_FOUND,
            "not-found",
            &format!("{kind}/{id} introuvable."),
        ),
        Err(response) => response,
    }
}

/// `GET /fhir/r4/{type}?…`
pub async fn search(
    headers: HeaderMap,
    State(state): State<AppState>,
    c: Caller,
    Path(kind): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    search_with(headers, state, c, kind, pairs).await
}

/// `POST /fhir/r4/{type}/_search`: the same search, its parameters in a form body.
pub async fn search_posted(
    headers: HeaderMap,
    State(state): State<AppState>,
    c: Caller,
    Path(kind): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    match form {
        Ok(Form(pairs)) => search_with(headers, state, c, kind, pairs).await,
        Err(_) => outcome(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not-supported",
            "Une recherche par POST attend ses paramètres en application/x-www-form-urlencoded.",
        ),
    }
}

async fn search_with(
    headers: HeaderMap,
    state: AppState,
    c: Caller,
    kind: String,
    pairs: Vec<(String, String)>,
) -> Response {
    let params = match Params::parse(pairs) {
        Ok(p) => p,
        Err(message) => return outcome(StatusCode::BAD_REQUEST, "invalid", &message),
    };
    let found = match find(&state, &c, &kind, &params).await {
        Some(found) => found,
        None => {
            return outcome(
                StatusCode::NOT_FOUND,
                "not-supported",
                "Type de ressource non servi.",
            );
        }
    };
    match found {
        Ok(page) => fhir(
            StatusCode::OK,
            searchset(&headers, &state, &kind, &params, page),
        ),
        Err(response) => response,
    }
}

/// The resources of `kind` that `params` ask for; `None` for a kind this server does not
/// serve.
async fn find(
    state: &AppState,
    c: &Caller,
    kind: &str,
    params: &Params,
) -> Option<Result<Page, Response>> {
    Some(match kind {
        "Practitioner" => practitioners(state, c, params).await,
        "PractitionerRole" => roles(state, c, params).await,
        "Organization" => organizations(state, params).await,
        _ => return None,
    })
}

async fn practitioners(state: &AppState, c: &Caller, params: &Params) -> Result<Page, Response> {
    let filter = ProfessionalFilter {
        national_ids: params.practitioner_ids(),
        name_key: params.text("name"),
        family_key: params.text("family"),
        given_key: params.text("given"),
        profession: params.code("qualification-code"),
        active: params.boolean("active"),
    };
    let (rows, total) = read::professionals(&state.app, &filter, params.count, params.offset)
        .await
        .map_err(failed)?;
    let ids: Vec<String> = rows.iter().map(|p| p.national_id.clone()).collect();
    let wants_roles = params.has("_revinclude", "PractitionerRole:practitioner");
    let sites = if (wants_roles || caller(c).is_some()) && !ids.is_empty() {
        let filter = SiteFilter {
            national_ids: ids,
            ..Default::default()
        };
        read::sites(&state.app, caller(c), &filter, 10_000, 0)
            .await
            .map_err(failed)?
            .0
    } else {
        Vec::new()
    };
    let mssante: HashMap<&str, &str> = sites
        .iter()
        .filter_map(|s| s.mssante.as_deref().map(|m| (s.national_id.as_str(), m)))
        .collect();
    let matches = rows
        .iter()
        .map(|p| resources::practitioner(p, mssante.get(p.national_id.as_str()).copied()))
        .collect();
    let included = if wants_roles {
        sites.iter().map(resources::practitioner_role).collect()
    } else {
        Vec::new()
    };
    Ok(Page {
        matches,
        included,
        total,
        count: params.count,
        offset: params.offset,
    })
}

async fn roles(state: &AppState, c: &Caller, params: &Params) -> Result<Page, Response> {
    let filter = SiteFilter {
        roles: params.role_ids(),
        national_ids: params.reference_ids("practitioner", "Practitioner"),
        structure_keys: params.organization_keys("organization"),
        role_codes: params.codes("role"),
        active: params.boolean("active"),
    };
    let (sites, total) = read::sites(&state.app, caller(c), &filter, params.count, params.offset)
        .await
        .map_err(failed)?;
    let matches = sites.iter().map(resources::practitioner_role).collect();
    let mut included = Vec::new();
    let all = params.has("_include", "*");
    if all || params.has("_include", "PractitionerRole:practitioner") {
        let mut ids: Vec<String> = sites.iter().map(|s| s.national_id.clone()).collect();
        ids.dedup();
        if !ids.is_empty() {
            let filter = ProfessionalFilter {
                national_ids: ids,
                ..Default::default()
            };
            let (rows, _) = read::professionals(&state.app, &filter, 10_000, 0)
                .await
                .map_err(failed)?;
            included.extend(rows.iter().map(|p| resources::practitioner(p, None)));
        }
    }
    if all || params.has("_include", "PractitionerRole:organization") {
        let mut keys: Vec<String> = sites
            .iter()
            .filter_map(|s| resources::organization_id(&s.siret, &s.finess))
            .map(|id| id.replacen('-', ":", 1))
            .collect();
        keys.sort();
        keys.dedup();
        if !keys.is_empty() {
            let filter = StructureFilter {
                keys,
                ..Default::default()
            };
            let (rows, _) = read::structures(&state.app, &filter, 10_000, 0)
                .await
                .map_err(failed)?;
            included.extend(rows.iter().map(resources::organization));
        }
    }
    Ok(Page {
        matches,
        included,
        total,
        count: params.count,
        offset: params.offset,
    })
}

async fn organizations(state: &AppState, params: &Params) -> Result<Page, Response> {
    let mut keys = params.organization_keys("_id");
    keys.extend(params.organization_identifiers());
    let filter = StructureFilter {
        keys,
        name_key: params.text("name"),
        commune_name_key: params.text("address-city"),
        postcode: params.code("address-postalcode"),
        sector: params.code("type"),
    };
    let (rows, total) = read::structures(&state.app, &filter, params.count, params.offset)
        .await
        .map_err(failed)?;
    let matches = rows.iter().map(resources::organization).collect();
    Ok(Page {
        matches,
        included: Vec::new(),
        total,
        count: params.count,
        offset: params.offset,
    })
}
