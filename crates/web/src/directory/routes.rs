//! The routes of the directory (search, members, FHIR open data): its pages and its API, for the route table.

use super::{api, fhir, members, search};
use crate::routes::Access::{OpenData, Session, Token};
use crate::routes::{RouteSpec, route};
use axum::http::Method;

/// Every route of the directory (search, members, FHIR open data).
pub(crate) fn routes() -> Vec<RouteSpec> {
    let (get, post) = (Method::GET, Method::POST);
    vec![
        route(Session, get.clone(), "/annuaire", search::show),
        route(Session, get.clone(), "/annuaire.csv", search::export),
        route(Session, get.clone(), "/adherents", members::list),
        route(Session, post.clone(), "/adherents", members::add),
        route(Session, get.clone(), "/adherents/{id}", members::show),
        route(
            Session,
            post.clone(),
            "/adherents/{id}/reglages",
            members::update,
        ),
        route(
            Session,
            post.clone(),
            "/adherents/{id}/compte",
            members::link,
        ),
        route(
            Session,
            post.clone(),
            "/adherents/{id}/invitation",
            members::invite,
        ),
        route(
            Session,
            get.clone(),
            "/annuaire/professionnels/{id}",
            search::professional,
        ),
        route(OpenData, get.clone(), "/fhir/r4/metadata", fhir::metadata),
        route(OpenData, get.clone(), "/fhir/r4/{kind}", fhir::search),
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
        route(Token, get.clone(), "/api/v1/professionnels", api::search),
        route(
            Token,
            get.clone(),
            "/api/v1/professionnels/{id}",
            api::professional,
        ),
    ]
}
