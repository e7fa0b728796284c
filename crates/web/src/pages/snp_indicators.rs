//! The indicators of unscheduled care over a period: on screen and as CSV, in total, by
//! reason and by profession: requests received, and the share that got an appointment
//! within 24 and within 48 hours of the call.

use crate::html::{Layout, render_form, service_error};
use crate::pages::indicator_period::{self, PeriodQuery};
use crate::pages::layout;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use maillage_domain::FieldErrors;
use maillage_domain::messaging::CivilDate;
use maillage_domain::unscheduled_care::indicators::{Indicators, Line};
use maillage_services::auth::Session;
use maillage_services::unscheduled_care::indicators::indicators;
use maillage_services::{ServiceError, gp_waitlist};

#[derive(Template)]
#[template(path = "snp_indicators.html")]
struct IndicatorsPage {
    layout: Layout,
    from: String,
    to: String,
    indicators: Option<Indicators>,
    errors: FieldErrors,
}

/// A share as shown: a whole percentage, or a dash.
fn percent(line: &Line, hours: u32) -> String {
    line.share(hours)
        .map(|share| format!("{share:.0} %"))
        .unwrap_or_else(|| "—".to_owned())
}

impl IndicatorsPage {
    fn percent(&self, line: &Line, hours: u32) -> String {
        percent(line, hours)
    }

    /// The total as a table of one line.
    fn total_line(&self) -> Vec<Line> {
        self.indicators.iter().map(|i| i.total.clone()).collect()
    }
}

async fn compute(
    state: &AppState,
    session: &Session,
    query: &PeriodQuery,
) -> Result<(CivilDate, CivilDate, Indicators), ServiceError> {
    let (from, to) = gp_waitlist::period(&state.app, &query.du, &query.au)?;
    let computed = indicators(&state.app, &session.actor, from, to).await?;
    Ok((from, to, computed))
}

/// `GET /soins-non-programmes/indicateurs?du=AAAA-MM-JJ&au=AAAA-MM-JJ`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let computed = compute(&state, &session, &query).await;
    let shown = match indicator_period::shown(computed, query) {
        Ok(shown) => shown,
        Err(error) => return service_error(error),
    };
    let page = IndicatorsPage {
        layout: layout(
            &state,
            &session,
            "Indicateurs : soins non programmés",
            "/soins-non-programmes",
        )
        .await,
        from: shown.from,
        to: shown.to,
        indicators: shown.figures,
        errors: shown.errors,
    };
    render_form(&page, &page.errors)
}

/// `GET /soins-non-programmes/indicateurs.csv?du=…&au=…`: the same figures, one line each.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let (from, to, computed) = match compute(&state, &session, &query).await {
        Ok(computed) => computed,
        Err(error) => return service_error(error),
    };
    let header = [
        "Libellé",
        "Demandes reçues",
        "Rendez-vous sous 24 h",
        "Rendez-vous sous 48 h",
        "Part sous 24 h",
        "Part sous 48 h",
    ];
    let sections = std::iter::once(("Total", &computed.total))
        .chain(computed.by_reason.iter().map(|l| ("Motif", l)))
        .chain(computed.by_profession.iter().map(|l| ("Profession", l)));
    indicator_period::csv(
        "indicateurs-soins-non-programmes.csv",
        &header,
        (from, to),
        sections,
        |line: &Line| {
            vec![
                line.label.clone(),
                line.received.to_string(),
                line.within_24h.to_string(),
                line.within_48h.to_string(),
                percent(line, 24),
                percent(line, 48),
            ]
        },
    )
}
