//! Searchset Bundles: the matches of one page (reduced to `_elements` when asked) and
//! what they include, with the total (unless `_total=none`) and `self`/`next`/`previous`
//! links that carry the same search at another offset.

use crate::directory::fhir::params::Params;
use crate::state::AppState;
use axum::http::{HeaderMap, header};
use serde_json::{Value, json};

/// One page of a search.
pub struct Page {
    pub matches: Vec<Value>,
    pub included: Vec<Value>,
    pub total: i64,
    pub count: i64,
    pub offset: i64,
}

/// The absolute base of the FHIR interface, from the request's host.
pub fn base_url(headers: &HeaderMap, state: &AppState) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}/fhir/r4")
}

fn link(base: &str, kind: &str, params: &Params, offset: i64) -> String {
    let mut pairs: Vec<(&str, String)> = params
        .pairs
        .iter()
        .filter(|(k, _)| k != "_offset" && k != "_count")
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    pairs.push(("_count", params.count.to_string()));
    pairs.push(("_offset", offset.to_string()));
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    format!("{base}/{kind}?{query}")
}

fn entry(base: &str, resource: Value, mode: &str) -> Value {
    let full_url = format!(
        "{base}/{}/{}",
        resource["resourceType"].as_str().unwrap_or_default(),
        resource["id"].as_str().unwrap_or_default()
    );
    json!({ "fullUrl": full_url, "resource": resource, "search": { "mode": mode } })
}

pub fn searchset(
    headers: &HeaderMap,
    state: &AppState,
    kind: &str,
    params: &Params,
    page: Page,
) -> Value {
    let base = base_url(headers, state);
    let mut links =
        vec![json!({ "relation": "self", "url": link(&base, kind, params, page.offset) })];
    if page.offset + page.count < page.total && page.count > 0 {
        links.push(json!({ "relation": "next", "url": link(&base, kind, params, page.offset + page.count) }));
    }
    if page.offset > 0 {
        let previous = (page.offset - page.count).max(0);
        links.push(json!({ "relation": "previous", "url": link(&base, kind, params, previous) }));
    }
    let elements = params.elements();
    let entries: Vec<Value> = page
        .matches
        .into_iter()
        .map(|r| match &elements {
            Some(kept) => summary(r, kept),
            None => r,
        })
        .map(|r| entry(&base, r, "match"))
        .chain(
            page.included
                .into_iter()
                .map(|r| entry(&base, r, "include")),
        )
        .collect();
    let mut bundle = json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "link": links,
        "entry": entries,
    });
    if !params.has("_total", "none") {
        bundle["total"] = json!(page.total);
    }
    bundle
}

/// A resource reduced to the elements asked for by `_elements` (with its type, id and
/// meta), tagged as such.
fn summary(resource: Value, kept: &[&str]) -> Value {
    let Value::Object(fields) = resource else {
        return resource;
    };
    let mut reduced: serde_json::Map<String, Value> = fields
        .into_iter()
        .filter(|(k, _)| {
            ["resourceType", "id", "meta"].contains(&k.as_str()) || kept.contains(&k.as_str())
        })
        .collect();
    let meta = reduced.entry("meta").or_insert_with(|| json!({}));
    meta["tag"] = json!([{
        "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
        "code": "SUBSETTED",
    }]);
    Value::Object(reduced)
}
