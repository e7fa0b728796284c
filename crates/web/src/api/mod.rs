//! The JSON API under `/api/v1`, authenticated by personal tokens, and its OpenAPI document.

pub(crate) mod idempotent;
pub(crate) mod json_body;
mod refusals_doc;

// Each area's API, under the short names the OpenAPI document lists them by.
use crate::diagnosis::api as diagnosis;
use crate::directory::api as directory;
use crate::gp_waitlist::{
    api as gp_waitlist, capacity_api as gp_capacity, follow_up_api as gp_follow_up,
};
use crate::platform::{audit_api as audit, me_api as me};
use crate::problem::{ApiError, Problem};
use crate::territory::{api as territory, cpts_api as cpts};
use crate::unscheduled_care::{api as snp, indicators_api as snp_indicators};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_services::ServiceError;
use maillage_services::diagnosis as dg;
use refusals_doc::SharedRefusals;
use serde::Serialize;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "maillage API", description = "API de maillage, la plateforme des CPTS. Authentification : jeton personnel (Authorization: Bearer mlg_…), créé dans « Mon compte »."),
    paths(me::me, cpts::list, cpts::create, cpts::get, audit::list, territory::communes, territory::get, territory::put, diagnosis::get, directory::search, directory::professional, gp_waitlist::record, gp_waitlist::queue, gp_waitlist::propose, gp_waitlist::respond, gp_waitlist::indicators, gp_follow_up::get, gp_follow_up::priority, gp_follow_up::close, gp_follow_up::merge, gp_follow_up::declared, gp_capacity::list, gp_capacity::get, gp_capacity::put, snp::search, snp::book, snp_indicators::indicators),
    components(schemas(Problem, me::Me, cpts::Cpts, cpts::NewCpts, audit::AuditEntry, territory::Commune, territory::Territory, territory::NewTerritory, dg::Diagnosis, dg::Area, dg::CommuneFigures, dg::AcceptingGps, dg::ages::AgeStructure, dg::offer::OfferLine, dg::offer::Figure, dg::offer::Modes, dg::ald::AldLine, dg::ald::AldFigure, dg::mortality::MortalityLine, dg::mortality::IndexFigure, directory::Site, directory::SitePage, gp_waitlist::NewGpRequest, gp_waitlist::RecordedRequest, gp_waitlist::QueueLine, gp_waitlist::NewProposal, gp_waitlist::Created, gp_waitlist::Answer, gp_waitlist::IndicatorLine, gp_waitlist::GpIndicators, gp_follow_up::GpRequest, gp_follow_up::Step, gp_follow_up::ProposalLine, gp_follow_up::Priority, gp_follow_up::Closure, gp_follow_up::Merge, gp_follow_up::Empty, gp_capacity::Capacity, gp_capacity::GpCapacityLine, snp::Slot, snp::NewBooking, snp::NewPatient, snp::BookingMade, snp_indicators::SnpIndicatorLine, snp_indicators::SnpCount, snp_indicators::SnpFollowUp, snp_indicators::SnpIndicators)),
    modifiers(&BearerAuth, &SharedRefusals),
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

/// The JSON of a use case's result with `status`, or the problem of its error.
pub(crate) fn answer<T: Serialize>(
    status: StatusCode,
    result: Result<T, ServiceError>,
) -> Response {
    match result {
        Ok(value) => (status, Json(value)).into_response(),
        Err(error) => ApiError(error).into_response(),
    }
}

/// `GET /api/openapi.json`
pub async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
