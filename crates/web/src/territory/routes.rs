//! The routes of the territory (perimeters, communes, CPTS): its pages and its API, for the route table.

use super::{api, cpts_api, perimeter};
use crate::routes::Access::{Session, Token};
use crate::routes::{RouteSpec, route};
use axum::http::Method;

/// Every route of the territory (perimeters, communes, CPTS).
pub(crate) fn routes() -> Vec<RouteSpec> {
    let (get, post) = (Method::GET, Method::POST);
    vec![
        route(Session, get.clone(), "/territoire", perimeter::show),
        route(
            Session,
            get.clone(),
            "/administration/cpts/{slug}/perimetre",
            perimeter::edit,
        ),
        route(
            Session,
            post.clone(),
            "/administration/cpts/{slug}/perimetre/ajout",
            perimeter::add,
        ),
        route(
            Session,
            post.clone(),
            "/administration/cpts/{slug}/perimetre/retrait",
            perimeter::remove,
        ),
        route(Token, get.clone(), "/api/v1/cpts", cpts_api::list),
        route(Token, post.clone(), "/api/v1/cpts", cpts_api::create),
        route(Token, get.clone(), "/api/v1/cpts/{slug}", cpts_api::get),
        route(Token, get.clone(), "/api/v1/communes", api::communes),
        route(
            Token,
            get.clone(),
            "/api/v1/cpts/{slug}/territoire",
            api::get,
        ),
        route(
            Token,
            Method::PUT,
            "/api/v1/cpts/{slug}/territoire",
            api::put,
        ),
    ]
}
