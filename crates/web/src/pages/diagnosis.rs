//! The « État des lieux » of a CPTS: its population and its offer of care against its
//! department(s), region(s) and France, on a page and as CSV.

use crate::html::{Layout, error_page, render, service_error};
use crate::pages::layout;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_services::auth::Session;
use maillage_services::diagnosis::offer::Figure;
use maillage_services::diagnosis::{self, Diagnosis, tables};

#[derive(Template)]
#[template(path = "diagnosis.html")]
struct DiagnosisPage {
    layout: Layout,
    diagnosis: Diagnosis,
}

impl DiagnosisPage {
    /// A density or ratio written the French way.
    fn decimal(&self, value: &Option<f64>, decimals: usize) -> String {
        value.map_or_else(
            || "—".to_owned(),
            |v| format!("{v:.*}", decimals).replace('.', ","),
        )
    }

    /// The figures of the areas the CPTS is compared with.
    fn compared<'a>(&self, figures: &'a [Figure]) -> &'a [Figure] {
        figures.get(1..).unwrap_or_default()
    }
}

/// `GET /territoire/{slug}/diagnostic`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> Response {
    match diagnosis::diagnosis(&state.app, Some(&session.actor), &slug).await {
        Ok(diagnosis) => {
            let title = format!("État des lieux — {}", diagnosis.name);
            render(&DiagnosisPage {
                layout: layout(&state, &session, &title, "/territoire").await,
                diagnosis,
            })
        }
        Err(error) => service_error(error),
    }
}

/// The tables a diagnosis downloads as CSV, by file name.
fn table(file: &str) -> Option<fn(&Diagnosis) -> String> {
    Some(match file {
        "offre.csv" => tables::offer_csv,
        "communes.csv" => tables::communes_csv,
        "ald.csv" => tables::ald_csv,
        "mortalite.csv" => tables::mortality_csv,
        _ => return None,
    })
}

/// `GET /territoire/{slug}/diagnostic/{file}`: one table as CSV.
pub async fn export(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path((slug, file)): Path<(String, String)>,
) -> Response {
    let Some(table) = table(&file) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "Page introuvable",
            "Ce tableau n’existe pas.",
        );
    };
    match diagnosis::diagnosis(&state.app, Some(&session.actor), &slug).await {
        Ok(diagnosis) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"diagnostic-{slug}-{file}\""),
                ),
            ],
            table(&diagnosis),
        )
            .into_response(),
        Err(error) => service_error(error),
    }
}
