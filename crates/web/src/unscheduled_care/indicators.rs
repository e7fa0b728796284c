//! The indicators of unscheduled care over a period: on screen and as CSV, in total, by
//! reason, by who called and by profession: requests received, and the share that got an appointment
//! within 24 and within 48 hours of the call; then where those requests stand and what
//! became of their appointments.

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
use maillage_domain::unscheduled_care::indicators::{Count, Indicators, Line};
use maillage_services::platform::auth::Session;
use maillage_services::unscheduled_care::indicators::indicators;
use maillage_services::{ServiceError, gp_waitlist};

#[derive(Template)]
#[template(path = "unscheduled_care/indicators.html")]
struct IndicatorsPage {
    layout: Layout,
    from: String,
    to: String,
    indicators: Option<Indicators>,
    errors: FieldErrors,
}

/// A share as shown: a whole percentage, or a dash.
fn shown_share(share: Option<f64>) -> String {
    share
        .map(|share| format!("{share:.0} %"))
        .unwrap_or_else(|| "—".to_owned())
}

fn percent(line: &Line, hours: u32) -> String {
    shown_share(line.share(hours))
}

impl IndicatorsPage {
    fn percent(&self, line: &Line, hours: u32) -> String {
        percent(line, hours)
    }

    fn no_show_share(&self, indicators: &Indicators) -> String {
        format!(
            "{NO_SHOW_SHARE} : {}",
            shown_share(indicators.follow_up.no_show_share)
        )
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
) -> PageResult {
    let computed = compute(&state, &session, &query).await;
    let shown = indicator_period::shown(computed, query)?;
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
    Ok(render_form(&page, &page.errors))
}

/// `GET /soins-non-programmes/indicateurs.csv?du=…&au=…`: the same figures, one line each.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<PeriodQuery>,
) -> PageResult {
    let (from, to, computed) = compute(&state, &session, &query).await?;
    let header = [
        "Libellé",
        "Demandes reçues",
        "Rendez-vous sous 24 h",
        "Rendez-vous sous 48 h",
        "Part sous 24 h",
        "Part sous 48 h",
        "Nombre",
    ];
    let follow_up = &computed.follow_up;
    let lines: Vec<(&str, CsvLine)> = delays("Total", std::slice::from_ref(&computed.total))
        .chain(delays("Motif", &computed.by_reason))
        .chain(delays("Appel", &computed.by_caller))
        .chain(delays("Profession", &computed.by_profession))
        .chain(counts("Suivi des demandes", &follow_up.requests))
        .chain(counts("Suivi des rendez-vous", &follow_up.appointments))
        .chain([(
            "Suivi des rendez-vous",
            CsvLine::NoShowShare(follow_up.no_show_share),
        )])
        .collect();
    Ok(indicator_period::csv(
        "indicateurs-soins-non-programmes.csv",
        &header,
        (from, to),
        lines.iter().map(|(section, line)| (*section, line)),
        CsvLine::columns,
    ))
}

/// How the share of patients absent is named, on screen and in the CSV.
const NO_SHOW_SHARE: &str = "Part de patients absents, parmi les rendez-vous passés";

/// A line of the CSV: delays, or a count of the follow-up.
enum CsvLine<'a> {
    Delays(&'a Line),
    Count(&'a Count),
    NoShowShare(Option<f64>),
}

/// The lines of one section of the CSV, delays or counts.
fn delays<'a>(section: &'a str, lines: &'a [Line]) -> impl Iterator<Item = (&'a str, CsvLine<'a>)> {
    lines.iter().map(move |l| (section, CsvLine::Delays(l)))
}

fn counts<'a>(
    section: &'a str,
    counts: &'a [Count],
) -> impl Iterator<Item = (&'a str, CsvLine<'a>)> {
    counts.iter().map(move |c| (section, CsvLine::Count(c)))
}

impl CsvLine<'_> {
    fn columns(&self) -> Vec<String> {
        match self {
            CsvLine::Delays(line) => vec![
                line.label.clone(),
                line.received.to_string(),
                line.within_24h.to_string(),
                line.within_48h.to_string(),
                percent(line, 24),
                percent(line, 48),
                String::new(),
            ],
            CsvLine::Count(count) => Self::one_figure(&count.label, count.count.to_string()),
            CsvLine::NoShowShare(share) => Self::one_figure(NO_SHOW_SHARE, shown_share(*share)),
        }
    }

    fn one_figure(label: &str, figure: String) -> Vec<String> {
        let mut columns = vec![label.to_owned()];
        columns.extend(std::iter::repeat_n(String::new(), 5));
        columns.push(figure);
        columns
    }
}
