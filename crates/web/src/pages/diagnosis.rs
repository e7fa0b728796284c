//! The « État des lieux » of a CPTS: population and ages, offer of care against its
//! department(s), region(s) and France, per commune and by mode of practice, ALD and
//! mortality, with charts and a map drawn as SVG on the server; a printable report, every
//! table also as CSV.

use crate::charts::choropleth::{self, Choropleth};
use crate::charts::levels::{self, Levels};
use crate::charts::pyramid::{self, Population, Pyramid};
use crate::csv_download::attachment;
use crate::html::{Layout, error_page, render, service_error};
use crate::pages::layout;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_domain::diagnosis::density;
use maillage_services::auth::Session;
use maillage_services::diagnosis::offer::{Figure, GENERAL_PRACTITIONERS, LineKind, OfferLine};
use maillage_services::diagnosis::{self, Diagnosis, outlines, tables};
use serde::Deserialize;

/// The professions of the densities chart after the GPs: (profession, name).
const CHARTED: [(&str, &str); 5] = [
    ("60", "Infirmiers"),
    ("70", "Masseurs-kinésithérapeutes"),
    ("40", "Chirurgiens-dentistes"),
    ("50", "Sages-femmes"),
    ("21", "Pharmaciens"),
];

/// The line of every GP, if the diagnosis has one.
fn general_practitioners(diagnosis: &Diagnosis) -> Option<&OfferLine> {
    diagnosis
        .offer
        .iter()
        .find(|l| l.kind == LineKind::GeneralPractitioners)
}

/// The indicators a map can show: (query value, label).
pub const MAP_INDICATORS: [(&str, &str); 5] = [
    ("generalistes", "Densité de médecins généralistes"),
    ("population", "Population"),
    ("75-ans", "Part des 75 ans et plus"),
    ("ald", "Prévalence des ALD"),
    ("mortalite", "Indice comparatif de mortalité"),
];

#[derive(Deserialize)]
pub struct MapChoice {
    carte: Option<String>,
}

#[derive(Template)]
#[template(path = "diagnosis.html")]
pub struct DiagnosisPage {
    layout: Layout,
    diagnosis: Diagnosis,
    /// The indicator the map shows.
    map: &'static str,
}

/// A decimal number written the French way; « — » when unknown.
fn decimal(value: &Option<f64>, decimals: usize) -> String {
    value.map_or_else(
        || "—".to_owned(),
        |v| format!("{v:.*}", decimals).replace('.', ","),
    )
}

impl DiagnosisPage {
    fn decimal(&self, value: &Option<f64>, decimals: usize) -> String {
        decimal(value, decimals)
    }

    fn number(&self, value: &f64, decimals: usize) -> String {
        decimal(&Some(*value), decimals)
    }

    /// The line's professionals in the `index`-th commune.
    fn in_commune(&self, line: &OfferLine, index: &usize) -> i64 {
        line.communes.get(*index).copied().unwrap_or_default()
    }

    fn in_cpts(&self, line: &OfferLine) -> bool {
        line.figures[0].professionals > 0
    }

    /// The figures of the areas the CPTS is compared with.
    fn compared<'a>(&self, figures: &'a [Figure]) -> &'a [Figure] {
        figures.get(1..).unwrap_or_default()
    }

    /// The offer lines of the CPTS's own professionals of first recourse, every GP in one
    /// line first.
    fn present(&self) -> Vec<&OfferLine> {
        self.diagnosis
            .offer
            .iter()
            .filter(|l| l.figures[0].professionals > 0 && !l.second_recourse)
            .filter(|l| l.kind != LineKind::GeneralPracticeDetail)
            .collect()
    }

    /// Whether a line details the GPs' line above it.
    fn is_detail(&self, line: &OfferLine) -> bool {
        line.kind == LineKind::GeneralPracticeDetail
    }

    fn second_recourse(&self) -> Vec<&OfferLine> {
        self.diagnosis
            .offer
            .iter()
            .filter(|l| l.second_recourse && l.communes.iter().any(|n| *n > 0))
            .collect()
    }

    fn levels_chart(&self) -> String {
        let d = &self.diagnosis;
        let gps = (general_practitioners(d), GENERAL_PRACTITIONERS);
        let others = CHARTED.iter().map(|(profession, name)| {
            let line = d
                .offer
                .iter()
                .find(|l| l.kind == LineKind::Profession && l.profession == *profession);
            (line, *name)
        });
        let professions = std::iter::once(gps)
            .chain(others)
            .map(|(line, name)| {
                let densities = d
                    .areas
                    .iter()
                    .enumerate()
                    .map(|(i, area)| match line {
                        Some(line) => line.figures[i].density,
                        None => density(0, area.population),
                    })
                    .collect();
                levels::Profession {
                    name: name.to_owned(),
                    densities,
                }
            })
            .collect();
        levels::levels(&Levels {
            title: "Densité de professionnels par territoire".to_owned(),
            areas: d.areas.iter().map(|a| a.name.clone()).collect(),
            professions,
        })
    }

    fn pyramid_chart(&self) -> Option<String> {
        let d = &self.diagnosis;
        let cpts = d.areas.first()?;
        let ages = cpts.ages.as_ref()?;
        let reference = d.areas.last().and_then(|france| {
            france.ages.as_ref().map(|a| Population {
                name: france.name.clone(),
                men: a.men,
                women: a.women,
            })
        });
        Some(pyramid::pyramid(&Pyramid {
            title: format!("Pyramide des âges — {}", cpts.name),
            area: Population {
                name: cpts.name.clone(),
                men: ages.men,
                women: ages.women,
            },
            reference,
        }))
    }

    fn map_indicators(&self) -> &'static [(&'static str, &'static str)] {
        &MAP_INDICATORS
    }

    /// The value of the map's indicator in each commune, its label and unit.
    fn map_values(&self) -> (Vec<Option<f64>>, &'static str, &'static str) {
        let d = &self.diagnosis;
        let label = MAP_INDICATORS
            .iter()
            .find(|(key, _)| *key == self.map)
            .map_or("", |(_, label)| *label);
        let values = match self.map {
            "population" => d
                .communes
                .iter()
                .map(|c| c.population.map(|p| p as f64))
                .collect(),
            "75-ans" => d
                .communes
                .iter()
                .map(|c| c.ages.as_ref().map(|a| a.share_75_plus))
                .collect(),
            "ald" => d.ald.first().map_or_else(
                || vec![None; d.communes.len()],
                |line| line.communes.iter().map(|f| f.prevalence).collect(),
            ),
            "mortalite" => d.mortality.first().map_or_else(
                || vec![None; d.communes.len()],
                |line| line.communes.iter().map(|f| f.index).collect(),
            ),
            _ => {
                let gps = general_practitioners(d);
                d.communes
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        density(gps.map_or(0, |l| l.communes[i]), c.population.unwrap_or(0))
                    })
                    .collect()
            }
        };
        let unit = match self.map {
            "population" => "habitants",
            "75-ans" | "ald" => "%",
            "mortalite" => "base 100 : la région",
            _ => "pour 100\u{202f}000 habitants",
        };
        (values, label, unit)
    }

    fn map_chart(&self) -> String {
        let (values, label, unit) = self.map_values();
        let communes = self
            .diagnosis
            .communes
            .iter()
            .zip(values)
            .map(|(c, value)| choropleth::Commune {
                name: c.name.clone(),
                value,
                rings: outlines::rings(&c.insee),
            })
            .collect();
        choropleth::choropleth(&Choropleth {
            title: format!("{label} — {}", self.diagnosis.name),
            indicator: label.to_owned(),
            unit: unit.to_owned(),
            communes,
        })
    }
}

/// The page of the diagnosis, for `--format html` too (the map shows GP density).
pub fn report(layout: Layout, diagnosis: Diagnosis, map: &str) -> DiagnosisPage {
    let map = MAP_INDICATORS
        .iter()
        .find(|(key, _)| *key == map)
        .map_or(MAP_INDICATORS[0].0, |(key, _)| key);
    DiagnosisPage {
        layout,
        diagnosis,
        map,
    }
}

/// The report as one standalone HTML document (its stylesheet inlined), as
/// `maillage diagnostic --format html` writes it: printed from a browser, it gives the PDF.
pub fn standalone_report(diagnosis: Diagnosis) -> Result<String, String> {
    let title = format!("État des lieux — {}", diagnosis.name);
    let page = report(Layout::standalone(&title), diagnosis, "");
    page.render().map_err(|e| e.to_string())
}

/// `GET /territoire/{slug}/diagnostic`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    Query(choice): Query<MapChoice>,
) -> Response {
    match diagnosis::diagnosis(&state.app, Some(&session.actor), &slug).await {
        Ok(diagnosis) => {
            let title = format!("État des lieux — {}", diagnosis.name);
            let layout = layout(&state, &session, &title, "/territoire").await;
            render(&report(
                layout,
                diagnosis,
                choice.carte.as_deref().unwrap_or_default(),
            ))
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
        Ok(diagnosis) => attachment(&format!("diagnostic-{slug}-{file}"), table(&diagnosis)),
        Err(error) => service_error(error),
    }
}
