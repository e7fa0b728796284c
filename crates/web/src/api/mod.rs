//! The JSON API under `/api/v1`, authenticated by personal tokens, and its OpenAPI document.

pub mod audit;
pub mod cpts;
pub mod directory;
pub mod gp_waitlist;
mod idempotent;
pub mod me;
pub mod territory;

use crate::problem::Problem;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "maillage API", description = "API de maillage, la plateforme des CPTS. Authentification : jeton personnel (Authorization: Bearer mlg_…), créé dans « Mon compte »."),
    paths(me::me, cpts::list, cpts::create, cpts::get, audit::list, territory::communes, territory::get, territory::put, directory::search, directory::professional, gp_waitlist::record, gp_waitlist::queue, gp_waitlist::propose, gp_waitlist::respond, gp_waitlist::indicators),
    components(schemas(Problem, me::Me, cpts::Cpts, cpts::NewCpts, audit::AuditEntry, territory::Commune, territory::Territory, territory::NewTerritory, directory::Site, directory::SitePage, gp_waitlist::NewGpRequest, gp_waitlist::RecordedRequest, gp_waitlist::QueueLine, gp_waitlist::NewProposal, gp_waitlist::Created, gp_waitlist::Answer, gp_waitlist::IndicatorLine, gp_waitlist::GpIndicators)),
    modifiers(&BearerAuth),
    security(("jeton" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "jeton",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/openapi.json`
pub async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
