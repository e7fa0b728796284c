//! `/api/v1/soins-non-programmes/indicateurs`: the indicators of unscheduled care over a
//! period, for the desk of the CPTS (coordinators and regulators).

use crate::api::answer;
use crate::gp_waitlist::api::Period;
use crate::problem::Problem;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_domain::unscheduled_care::indicators::{Count, Indicators, Line};
use maillage_services::unscheduled_care::indicators::indicators as compute;
use maillage_services::{Actor, gp_waitlist};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SnpIndicatorLine {
    pub label: String,
    /// Requests received in the period.
    pub received: u64,
    /// Requests whose appointment starts within 24 hours of the call.
    pub within_24h: u64,
    pub within_48h: u64,
    /// Shares of requests received, in percent.
    pub share_24h: Option<f64>,
    pub share_48h: Option<f64>,
}

/// A number of requests or appointments, with what they have in common.
#[derive(Serialize, ToSchema)]
pub struct SnpCount {
    pub label: String,
    pub count: u64,
}

/// Where the period's requests stand, and what became of their appointments.
#[derive(Serialize, ToSchema)]
pub struct SnpFollowUp {
    /// With an appointment, still to orient, closed (one line per reason).
    pub requests: Vec<SnpCount>,
    /// Patient seen, patient absent, to come, moved, cancelled (one line per reason).
    pub appointments: Vec<SnpCount>,
    /// Among the appointments that took place, the share the patient missed, in percent.
    pub no_show_share: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct SnpIndicators {
    pub total: SnpIndicatorLine,
    pub by_reason: Vec<SnpIndicatorLine>,
    /// By who called for the patient.
    pub by_caller: Vec<SnpIndicatorLine>,
    pub by_profession: Vec<SnpIndicatorLine>,
    pub follow_up: SnpFollowUp,
}

fn line(l: Line) -> SnpIndicatorLine {
    SnpIndicatorLine {
        share_24h: l.share(24),
        share_48h: l.share(48),
        label: l.label,
        received: l.received,
        within_24h: l.within_24h,
        within_48h: l.within_48h,
    }
}

fn counts(counts: Vec<Count>) -> Vec<SnpCount> {
    counts
        .into_iter()
        .map(|c| SnpCount {
            label: c.label,
            count: c.count,
        })
        .collect()
}

impl From<Indicators> for SnpIndicators {
    fn from(i: Indicators) -> Self {
        Self {
            total: line(i.total),
            by_reason: i.by_reason.into_iter().map(line).collect(),
            by_caller: i.by_caller.into_iter().map(line).collect(),
            by_profession: i.by_profession.into_iter().map(line).collect(),
            follow_up: SnpFollowUp {
                requests: counts(i.follow_up.requests),
                appointments: counts(i.follow_up.appointments),
                no_show_share: i.follow_up.no_show_share,
            },
        }
    }
}

#[utoipa::path(get, path = "/api/v1/soins-non-programmes/indicateurs", tag = "soins non programmés",
    params(Period),
    responses((status = 200, body = SnpIndicators), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn indicators(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(period): Query<Period>,
) -> Response {
    let computed = async {
        let (from, to) = gp_waitlist::period(&state.app, &period.du, &period.au)?;
        compute(&state.app, &actor, from, to).await
    };
    answer(StatusCode::OK, computed.await.map(SnpIndicators::from))
}
