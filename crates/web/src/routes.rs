//! The route table: every path, its method and who may reach it (the API's and FHIR's in
//! `api_routes`). The router is built from this table, and a test walks it to check that
//! nothing but the public routes answers a stranger.

use crate::api::json_body::API_BODY_LIMIT;
use crate::guard::{MULTIPART_LIMIT, open_data, require_session, require_token};
use crate::html::MISSIONS;
use crate::middleware::envelope;
use crate::pages::{
    account, admin, alerts, audit, diagnosis, directory, gp_answer_link, gp_departures,
    gp_indicators, gp_proposals, gp_public, gp_request_form, gp_waitlist, home, invitation, login,
    members, messaging, snp_calendar, territory, thread, users,
};
use crate::state::AppState;
use crate::{health, rejections};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, header};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, on};

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: login, invitation, health, static assets.
    Public,
    /// A browser session (pages).
    Session,
    /// A personal API token (the JSON API).
    Token,
    /// Anyone, within a request budget per address: the directory as open data (FHIR).
    /// A personal token adds what the caller's CPTS members share.
    OpenData,
}

/// One entry of the route table.
pub struct RouteSpec {
    pub access: Access,
    pub method: Method,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

pub(crate) fn route<H, T>(
    access: Access,
    method: Method,
    path: &'static str,
    handler: H,
) -> RouteSpec
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("standard method");
    RouteSpec {
        access,
        method,
        path,
        handler: on(filter, handler),
    }
}

/// Every route of the application.
pub fn route_table() -> Vec<RouteSpec> {
    use Access::{Public, Session};
    let (get, post) = (Method::GET, Method::POST);
    let mut table = vec![
        route(Public, get.clone(), "/healthz", health::healthz),
        route(Public, get.clone(), "/readyz", health::readyz),
        route(Public, get.clone(), "/metrics", health::metrics),
        route(Public, get.clone(), "/static/app.css", stylesheet),
        route(Public, get.clone(), "/static/favicon.svg", favicon),
        route(
            Public,
            get.clone(),
            "/static/messaging.js",
            messaging_script,
        ),
        route(Public, get.clone(), "/connexion", login::show),
        route(
            Public,
            get.clone(),
            "/soins-non-programmes/agenda/{token}",
            snp_calendar::feed,
        ),
        route(Public, post.clone(), "/connexion", login::submit),
        route(Public, get.clone(), "/invitation", invitation::show),
        route(
            Public,
            get.clone(),
            "/medecin-traitant/reponse",
            gp_answer_link::show,
        ),
        route(
            Public,
            post.clone(),
            "/medecin-traitant/reponse",
            gp_answer_link::answer,
        ),
        route(Public, post.clone(), "/invitation", invitation::accept),
        route(
            Public,
            get.clone(),
            "/demande-medecin-traitant/{slug}",
            gp_public::show,
        ),
        route(
            Public,
            post.clone(),
            "/demande-medecin-traitant/{slug}",
            gp_public::submit,
        ),
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
        route(Session, get.clone(), "/territoire", territory::show),
        route(
            Session,
            get.clone(),
            "/territoire/{slug}/diagnostic",
            diagnosis::show,
        ),
        route(
            Session,
            get.clone(),
            "/territoire/{slug}/diagnostic/impression.css",
            diagnosis::print_stylesheet,
        ),
        route(
            Session,
            get.clone(),
            "/territoire/{slug}/diagnostic/{file}",
            diagnosis::export,
        ),
        route(Session, get.clone(), "/annuaire", directory::show),
        route(Session, get.clone(), "/annuaire.csv", directory::export),
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
            directory::professional,
        ),
        route(
            Session,
            get.clone(),
            "/administration/cpts/{slug}/perimetre",
            territory::edit,
        ),
        route(
            Session,
            post.clone(),
            "/administration/cpts/{slug}/perimetre/ajout",
            territory::add,
        ),
        route(
            Session,
            post.clone(),
            "/administration/cpts/{slug}/perimetre/retrait",
            territory::remove,
        ),
        route(Session, get.clone(), "/utilisateurs", users::list),
        route(
            Session,
            post.clone(),
            "/utilisateurs/invitations",
            users::invite,
        ),
        route(Session, get.clone(), "/journal", audit::show),
        route(
            Session,
            get.clone(),
            "/medecin-traitant",
            gp_waitlist::queue,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/regles",
            gp_waitlist::set_rules,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/relances",
            gp_waitlist::set_reminders,
        ),
        route(
            Session,
            get.clone(),
            "/medecin-traitant/indicateurs",
            gp_indicators::show,
        ),
        route(
            Session,
            get.clone(),
            "/medecin-traitant/indicateurs.csv",
            gp_indicators::export,
        ),
        route(
            Session,
            get.clone(),
            "/medecin-traitant/departs",
            gp_departures::list,
        ),
        route(
            Session,
            get.clone(),
            "/medecin-traitant/departs/{id}",
            gp_departures::show,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/departs/{id}/patients",
            gp_departures::import,
        ),
        route(
            Session,
            get.clone(),
            "/medecin-traitant/demandes/nouvelle",
            gp_request_form::new_request,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/demandes",
            gp_request_form::record,
        ),
        route(
            Session,
            get.clone(),
            "/medecin-traitant/demandes/{id}",
            gp_waitlist::show,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/demandes/{id}/priorite",
            gp_waitlist::priority,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/demandes/{id}/cloture",
            gp_waitlist::close,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/demandes/{id}/fusion",
            gp_waitlist::merge,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/demandes/{id}/proposition",
            gp_waitlist::propose,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/propositions/{id}",
            gp_proposals::answer,
        ),
        route(
            Session,
            post.clone(),
            "/medecin-traitant/demandes/{id}/medecin-declare",
            gp_waitlist::confirm_found,
        ),
        route(Session, get.clone(), "/messagerie", messaging::list),
        route(
            Session,
            post.clone(),
            "/messagerie/recherche",
            messaging::search,
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
        route(Session, post.clone(), "/messagerie/fils", messaging::create),
        route(
            Session,
            post.clone(),
            "/messagerie/conservation",
            messaging::set_retention,
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
    ];
    table.extend(crate::snp_routes::snp_routes());
    table.extend(crate::api_routes::api_routes());
    // Missions not built yet get a page that says so.
    for mission in &MISSIONS {
        if !table.iter().any(|r| r.path == mission.path) {
            table.push(route(Session, get.clone(), mission.path, home::mission));
        }
    }
    table
}

/// The application's router.
pub fn router(state: AppState) -> Router {
    let mut groups = [Router::new(), Router::new(), Router::new(), Router::new()];
    for spec in route_table() {
        let index = spec.access as usize;
        groups[index] = std::mem::take(&mut groups[index]).route(spec.path, spec.handler);
    }
    let [public, session, token, open] = groups;
    Router::new()
        .merge(public)
        // The session guard reads each form before its page does: forms with files may
        // reach both up to the multipart limit; other forms stop at the guard's own.
        .merge(
            session
                .route_layer(from_fn_with_state(state.clone(), require_session))
                .layer(DefaultBodyLimit::max(MULTIPART_LIMIT)),
        )
        .merge(
            token
                .route_layer(from_fn_with_state(state.clone(), require_token))
                .layer(DefaultBodyLimit::max(API_BODY_LIMIT)),
        )
        .merge(open.route_layer(from_fn_with_state(state.clone(), open_data)))
        .fallback(rejections::not_found)
        .method_not_allowed_fallback(rejections::method_not_allowed)
        .layer(axum::middleware::from_fn(rejections::in_french))
        .layer(from_fn_with_state(state.clone(), envelope))
        .with_state(state)
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

/// The pages' stylesheet, served at `/static/app.css` and inlined in standalone reports.
pub(crate) const STYLESHEET: &str = include_str!("../static/app.css");

async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/favicon.svg"),
    )
}

async fn messaging_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/messaging.js"),
    )
}
