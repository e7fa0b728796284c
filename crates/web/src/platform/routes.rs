//! The routes of the platform (login, « Mon compte », home, accounts, CPTS administration, audit): its pages and its API, for the route table.

use super::{account, admin, audit, audit_api, home, invitation, login, me_api, users};
use crate::routes::Access::{Public, Session, Token};
use crate::routes::{RouteSpec, route};
use axum::http::Method;

/// Every route of the platform (login, « Mon compte », home, accounts, CPTS administration, audit).
pub(crate) fn routes() -> Vec<RouteSpec> {
    let (get, post) = (Method::GET, Method::POST);
    vec![
        route(Public, get.clone(), "/connexion", login::show),
        route(Public, post.clone(), "/connexion", login::submit),
        route(Public, get.clone(), "/invitation", invitation::show),
        route(Public, post.clone(), "/invitation", invitation::accept),
        route(Session, get.clone(), "/connexion/code", login::code_page),
        route(Session, post.clone(), "/connexion/code", login::code_submit),
        route(Session, post.clone(), "/deconnexion", login::logout),
        route(Session, get.clone(), "/", home::home),
        route(Session, get.clone(), "/compte", account::show),
        route(
            Session,
            post.clone(),
            "/compte/mot-de-passe",
            account::change_password,
        ),
        route(
            Session,
            post.clone(),
            "/compte/jetons",
            account::create_token,
        ),
        route(
            Session,
            post.clone(),
            "/compte/notifications",
            account::save_notifications,
        ),
        route(
            Session,
            post.clone(),
            "/compte/identifiant-sas",
            account::save_sas_operator_id,
        ),
        route(
            Session,
            post.clone(),
            "/compte/jetons/{id}/revocation",
            account::revoke_token,
        ),
        route(
            Session,
            get.clone(),
            "/compte/double-authentification",
            account::enrol,
        ),
        route(
            Session,
            post.clone(),
            "/compte/double-authentification",
            account::confirm_enrol,
        ),
        route(Session, get.clone(), "/administration/cpts", admin::list),
        route(Session, post.clone(), "/administration/cpts", admin::create),
        route(Session, get.clone(), "/cpts/{slug}", admin::show),
        route(
            Session,
            post.clone(),
            "/cpts/{slug}/identite",
            admin::set_identity,
        ),
        route(Session, get.clone(), "/utilisateurs", users::list),
        route(
            Session,
            post.clone(),
            "/utilisateurs/invitations",
            users::invite,
        ),
        route(Session, get.clone(), "/journal", audit::show),
        route(Token, get.clone(), "/api/v1/me", me_api::me),
        route(Token, get.clone(), "/api/v1/audit", audit_api::list),
    ]
}
