//! The routes of the JSON API (personal tokens) and of the directory as FHIR open data, for
//! the route table.

use crate::routes::Access::{OpenData, Token};
use crate::routes::{RouteSpec, route};
use crate::{api, fhir};
use axum::http::Method;

/// Every route under `/api` and `/fhir`.
pub(crate) fn api_routes() -> Vec<RouteSpec> {
    let (get, post) = (Method::GET, Method::POST);
    vec![
        route(Token, get.clone(), "/api/openapi.json", api::openapi),
        route(Token, get.clone(), "/api/v1/me", api::me::me),
        route(OpenData, get.clone(), "/fhir/r4/metadata", fhir::metadata),
        route(OpenData, get.clone(), "/fhir/r4/{kind}", fhir::search),
        route(Token, get.clone(), "/fhir/r4/Slot", fhir::sas::search),
        route(
            OpenData,
            post.clone(),
            "/fhir/r4/{kind}/_search",
            fhir::search_posted,
        ),
        route(
            OpenData,
            get.clone(),
            "/fhir/r4/{kind}/{id}",
            fhir::read_one,
        ),
        route(Token, get.clone(), "/api/v1/slots", api::snp::search),
        route(Token, post.clone(), "/api/v1/bookings", api::snp::book),
        route(Token, get.clone(), "/api/v1/cpts", api::cpts::list),
        route(Token, post.clone(), "/api/v1/cpts", api::cpts::create),
        route(Token, get.clone(), "/api/v1/cpts/{slug}", api::cpts::get),
        route(Token, get.clone(), "/api/v1/audit", api::audit::list),
        route(
            Token,
            get.clone(),
            "/api/v1/professionnels",
            api::directory::search,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/professionnels/{id}",
            api::directory::professional,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/communes",
            api::territory::communes,
        ),
        route(
            Token,
            post.clone(),
            "/api/v1/medecin-traitant/demandes",
            api::gp_waitlist::record,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/medecin-traitant/demandes",
            api::gp_waitlist::queue,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/medecin-traitant/demandes/{id}",
            api::gp_follow_up::get,
        ),
        route(
            Token,
            post.clone(),
            "/api/v1/medecin-traitant/demandes/{id}/priorite",
            api::gp_follow_up::priority,
        ),
        route(
            Token,
            post.clone(),
            "/api/v1/medecin-traitant/demandes/{id}/cloture",
            api::gp_follow_up::close,
        ),
        route(
            Token,
            post.clone(),
            "/api/v1/medecin-traitant/demandes/{id}/fusion",
            api::gp_follow_up::merge,
        ),
        route(
            Token,
            post.clone(),
            "/api/v1/medecin-traitant/demandes/{id}/medecin-declare",
            api::gp_follow_up::declared,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/medecin-traitant/capacites",
            api::gp_capacity::list,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/medecin-traitant/capacites/{member_id}",
            api::gp_capacity::get,
        ),
        route(
            Token,
            Method::PUT,
            "/api/v1/medecin-traitant/capacites/{member_id}",
            api::gp_capacity::put,
        ),
        route(
            Token,
            post.clone(),
            "/api/v1/medecin-traitant/demandes/{id}/propositions",
            api::gp_waitlist::propose,
        ),
        route(
            Token,
            post.clone(),
            "/api/v1/medecin-traitant/propositions/{id}/reponse",
            api::gp_waitlist::respond,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/medecin-traitant/indicateurs",
            api::gp_waitlist::indicators,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/soins-non-programmes/indicateurs",
            api::snp_indicators::indicators,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/cpts/{slug}/territoire",
            api::territory::get,
        ),
        route(
            Token,
            Method::PUT,
            "/api/v1/cpts/{slug}/territoire",
            api::territory::put,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/cpts/{slug}/diagnostic",
            api::diagnosis::get,
        ),
    ]
}
