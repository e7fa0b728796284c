//! The indicators of the waiting list (ACI) over a period: on screen and as CSV, in total,
//! by priority group and by commune.

use crate::html::layout;
use crate::html::{Layout, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use crate::{indicator_period, indicator_period::PeriodQuery};
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::indicators::{Indicators, Line};
use maillage_services::ServiceError;
use maillage_services::gp_waitlist;
use maillage_services::platform::auth::Session;

#[derive(Template)]
#[template(path = "gp_waitlist/indicators.html")]
struct IndicatorsPage {
    layout: Layout,
    from: String,
    to: String,
    indicators: Option<Indicators>,
    errors: FieldErrors,
}

/// A median delay as shown: days with one decimal, or a dash.
fn days(line: &Line) -> String {
    line.median_days
        .map(|d| format!("{d:.1}").replace('.', ","))
        .unwrap_or_else(|| "—".to_owned())
}

impl IndicatorsPage {
    fn days(&self, line: &Line) -> String {
        days(line)
    }

    /// The total as a table of one line.
    fn total_line(&self) -> Vec<Line> {
        self.indicators.iter().map(|i| i.total.clone()).collect()
    }
}

/// The period asked for and the indicators, or the fields' errors.
async fn compute(
    state: &AppState,
    session: &Session,
    query: &PeriodQuery,
) -> Result<(CivilDate, CivilDate, Indicators), ServiceError> {
    let (from, to) = gp_waitlist::period(&state.app, &query.du, &query.au)?;
    let indicators = gp_waitlist::indicators(&state.app, &session.actor, from, to).await?;
    Ok((from, to, indicators))
}

/// `GET /medecin-traitant/indicateurs?du=AAAA-MM-JJ&au=AAAA-MM-JJ`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<PeriodQuery>,
) -> PageResult {
    let computed = compute(&state, &session, &query).await;
    let shown = indicator_period::shown(computed, query)?;
    let page = IndicatorsPage {
        layout: layout(
            &state,
            &session,
            "Indicateurs : médecin traitant",
            "/medecin-traitant",
        )
        .await,
        from: shown.from,
        to: shown.to,
        indicators: shown.figures,
        errors: shown.errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /medecin-traitant/indicateurs.csv?du=…&au=…`: the same figures, one line each.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<PeriodQuery>,
) -> PageResult {
    let (from, to, indicators) = compute(&state, &session, &query).await?;
    let header = [
        "Libellé",
        "Demandes reçues",
        "Médecin traitant trouvé",
        "Délai médian (jours)",
    ];
    let sections = std::iter::once(("Total", &indicators.total))
        .chain(
            indicators
                .by_group
                .iter()
                .map(|l| ("Groupe de priorité", l)),
        )
        .chain(indicators.by_commune.iter().map(|l| ("Commune", l)));
    Ok(indicator_period::csv(
        "indicateurs-medecin-traitant.csv",
        &header,
        (from, to),
        sections,
        |line: &Line| {
            vec![
                line.label.clone(),
                line.received.to_string(),
                line.found.to_string(),
                days(line),
            ]
        },
    ))
}
