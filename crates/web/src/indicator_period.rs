//! What the indicator pages share: the period asked for (`?du=AAAA-MM-JJ&au=AAAA-MM-JJ`),
//! the figures over it or the period's field errors, and the download of the same figures
//! as CSV, one line per total, group or commune, each with its period.

use crate::csv_download::attachment;
use axum::response::Response;
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_services::{ServiceError, csv_export};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    pub(crate) du: String,
    #[serde(default)]
    pub(crate) au: String,
}

/// The period of an indicator page and its figures, or, for a period that does not read,
/// the dates as typed and what is wrong with them.
pub(crate) struct Shown<T> {
    pub from: String,
    pub to: String,
    pub figures: Option<T>,
    pub errors: FieldErrors,
}

/// What the page shows of `computed`: the period and figures, or the period's errors; any
/// other error is given back.
pub(crate) fn shown<T>(
    computed: Result<(CivilDate, CivilDate, T), ServiceError>,
    query: PeriodQuery,
) -> Result<Shown<T>, ServiceError> {
    match computed {
        Ok((from, to, figures)) => Ok(Shown {
            from: from.iso(),
            to: to.iso(),
            figures: Some(figures),
            errors: FieldErrors::new(),
        }),
        Err(ServiceError::Invalid(errors)) => Ok(Shown {
            from: query.du,
            to: query.au,
            figures: None,
            errors,
        }),
        Err(error) => Err(error),
    }
}

/// The figures as the CSV file `file_name`: each line of `sections` (its section's name and
/// the line) with the period before it and `columns` after; `header` names the columns
/// from the section's on.
pub(crate) fn csv<'a, L: 'a>(
    file_name: &str,
    header: &[&str],
    (from, to): (CivilDate, CivilDate),
    sections: impl Iterator<Item = (&'a str, &'a L)>,
    columns: impl Fn(&L) -> Vec<String>,
) -> Response {
    let header: Vec<&str> = ["Du", "Au", "Regroupement"]
        .into_iter()
        .chain(header.iter().copied())
        .collect();
    let records = sections.map(|(section, line)| {
        [from.french(), to.french(), section.to_owned()]
            .into_iter()
            .chain(columns(line))
            .collect::<Vec<String>>()
    });
    attachment(file_name, csv_export::table(&header, records))
}
