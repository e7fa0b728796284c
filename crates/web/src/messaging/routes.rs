//! The routes of messaging: its pages and its API, for the route table.

use super::{alerts, inbox, thread};
use crate::routes::Access::Session;
use crate::routes::{RouteSpec, route};
use axum::http::Method;

/// Every route of messaging.
pub(crate) fn routes() -> Vec<RouteSpec> {
    let (get, post) = (Method::GET, Method::POST);
    vec![
        route(Session, get.clone(), "/messagerie", inbox::list),
        route(
            Session,
            post.clone(),
            "/messagerie/recherche",
            inbox::search,
        ),
        route(Session, get.clone(), "/alertes", alerts::list),
        route(Session, post.clone(), "/alertes", alerts::broadcast),
        route(Session, get.clone(), "/alertes/{id}", alerts::show),
        route(
            Session,
            post.clone(),
            "/alertes/{id}/confirmation",
            alerts::acknowledge,
        ),
        route(
            Session,
            post.clone(),
            "/alertes/{id}/relance",
            alerts::remind,
        ),
        route(Session, post.clone(), "/messagerie/fils", inbox::create),
        route(
            Session,
            post.clone(),
            "/messagerie/conservation",
            inbox::set_retention,
        ),
        route(Session, get.clone(), "/messagerie/fils/{id}", thread::show),
        route(
            Session,
            post.clone(),
            "/messagerie/fils/{id}/messages",
            thread::post,
        ),
        route(
            Session,
            post.clone(),
            "/messagerie/fils/{id}/membres",
            thread::add_member,
        ),
        route(
            Session,
            post.clone(),
            "/messagerie/fils/{id}/depart",
            thread::leave,
        ),
        route(
            Session,
            post.clone(),
            "/messagerie/fils/{id}/archivage",
            thread::archive,
        ),
        route(
            Session,
            get.clone(),
            "/messagerie/fils/{id}/nouveaux",
            thread::newer,
        ),
        route(
            Session,
            get.clone(),
            "/messagerie/fils/{id}/flux",
            thread::events,
        ),
        route(
            Session,
            get.clone(),
            "/messagerie/pieces-jointes/{id}",
            thread::download,
        ),
    ]
}
