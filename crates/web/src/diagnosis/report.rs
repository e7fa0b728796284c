//! The « État des lieux » of a CPTS: population and ages, offer of care against its
//! department(s), region(s) and France, per commune and by mode of practice, ALD and
//! mortality, with charts and a map drawn as SVG on the server; a printable report, every
//! table also as CSV.

use crate::charts::choropleth::{self, Choropleth, Map};
use crate::charts::format_number;
use crate::charts::levels::{self, Levels};
use crate::charts::pyramid::{self, Population, Pyramid};
use crate::csv_download::attachment;
use crate::html::layout;
use crate::html::{Layout, error_page, render};
use crate::page_error::PageResult;
use crate::print;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use maillage_domain::diagnosis::density;
use maillage_services::diagnosis::offer::{GENERAL_PRACTITIONERS, LineKind, OfferLine};
use maillage_services::diagnosis::{self, Diagnosis, outlines, tables};
use maillage_services::platform::auth::Session;
use maillage_services::territory;
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

/// The most columns of figures a table of the report holds, so that it prints on an A4
/// page, portrait, every column visible: wider tables are split into several.
const FIGURES_PER_TABLE: usize = 8;

/// A column of the per-commune table.
enum CommuneColumn<'a> {
    Population,
    Aged75,
    Professionals(&'a OfferLine),
}

/// A count, however many references the template hands it through.
trait Count {
    fn get(&self) -> i64;
}

impl Count for i64 {
    fn get(&self) -> i64 {
        *self
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn get(&self) -> i64 {
        (**self).get()
    }
}

#[derive(Template)]
#[template(path = "diagnosis/diagnosis.html")]
pub struct DiagnosisPage {
    layout: Layout,
    diagnosis: Diagnosis,
    /// The indicator the map shows.
    map: &'static str,
    /// The map drawn, with its legend.
    drawn_map: Map,
}

/// A decimal number written the French way (thousands apart); « — » when unknown.
fn decimal(value: &Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format_number(v, decimals))
}

impl DiagnosisPage {
    fn decimal(&self, value: &Option<f64>, decimals: usize) -> String {
        decimal(value, decimals)
    }

    fn number(&self, value: &f64, decimals: usize) -> String {
        decimal(&Some(*value), decimals)
    }

    /// A count, thousands apart.
    fn count(&self, value: impl Count) -> String {
        format_number(value.get() as f64, 0)
    }

    fn in_cpts(&self, line: &OfferLine) -> bool {
        line.in_cpts() > 0
    }

    /// The areas whose offer is compared with the CPTS's, by position in `areas`, in
    /// groups of those one printed table holds beside the CPTS's two columns.
    fn compared_groups(&self) -> Vec<Vec<usize>> {
        let compared: Vec<usize> = (1..self.diagnosis.areas.len())
            .filter(|&i| self.diagnosis.areas[i].offer_compared)
            .collect();
        if compared.is_empty() {
            return vec![Vec::new()];
        }
        compared
            .chunks((FIGURES_PER_TABLE - 2) / 2)
            .map(<[usize]>::to_vec)
            .collect()
    }

    /// The areas not compared, by name.
    fn not_compared(&self) -> String {
        let names: Vec<&str> = self
            .diagnosis
            .areas
            .iter()
            .filter(|a| !a.offer_compared)
            .map(|a| a.name.as_str())
            .collect();
        names.join(", ")
    }

    /// The offer lines of the CPTS's own professionals of first recourse, every GP in one
    /// line first.
    fn present(&self) -> Vec<&OfferLine> {
        self.diagnosis
            .offer
            .iter()
            .filter(|l| l.in_cpts() > 0 && !l.second_recourse)
            .filter(|l| l.kind != LineKind::GeneralPracticeDetail)
            .collect()
    }

    /// The per-commune table's columns, in groups one printed table holds.
    fn commune_columns(&self) -> Vec<Vec<CommuneColumn<'_>>> {
        let columns: Vec<CommuneColumn> = [CommuneColumn::Population, CommuneColumn::Aged75]
            .into_iter()
            .chain(self.present().into_iter().map(CommuneColumn::Professionals))
            .collect();
        let mut groups: Vec<Vec<CommuneColumn>> = Vec::new();
        for column in columns {
            match groups.last_mut() {
                Some(group) if group.len() < FIGURES_PER_TABLE => group.push(column),
                _ => groups.push(vec![column]),
            }
        }
        groups
    }

    /// The value of `column` in the commune at `index`.
    fn commune_value(&self, column: &CommuneColumn, index: &usize) -> String {
        let commune = &self.diagnosis.communes[*index];
        match column {
            CommuneColumn::Population => commune
                .population
                .map_or_else(|| "—".to_owned(), |n| self.count(n)),
            CommuneColumn::Aged75 => commune.ages.as_ref().map_or_else(
                || "—".to_owned(),
                |ages| format!("{} %", self.number(&ages.share_75_plus, 1)),
            ),
            CommuneColumn::Professionals(line) => {
                self.count(line.communes.get(*index).copied().unwrap_or_default())
            }
        }
    }

    fn commune_heading(&self, column: &CommuneColumn) -> String {
        match column {
            CommuneColumn::Population => "Habitants".to_owned(),
            CommuneColumn::Aged75 => "75 ans et plus".to_owned(),
            CommuneColumn::Professionals(line) => line.label.clone(),
        }
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

    /// The communes, by position, in groups one printed table holds.
    fn commune_groups(&self) -> Vec<Vec<usize>> {
        let positions: Vec<usize> = (0..self.diagnosis.communes.len()).collect();
        positions
            .chunks(FIGURES_PER_TABLE)
            .map(<[usize]>::to_vec)
            .collect()
    }

    fn levels_chart(&self) -> String {
        let d = &self.diagnosis;
        let compared: Vec<usize> = (0..d.areas.len())
            .filter(|&i| d.areas[i].offer_compared)
            .collect();
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
                let densities = compared
                    .iter()
                    .map(|&i| match line {
                        Some(line) => line.figures[i].density,
                        None => density(0, d.areas[i].population),
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
            areas: compared.iter().map(|&i| d.areas[i].name.clone()).collect(),
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

    fn map_indicators(&self) -> Vec<(&'static str, &'static str)> {
        available_maps(&self.diagnosis)
    }
}

/// The indicators a map can show of this diagnosis: those with data.
fn available_maps(d: &Diagnosis) -> Vec<(&'static str, &'static str)> {
    MAP_INDICATORS
        .iter()
        .filter(|(key, _)| match *key {
            "generalistes" => general_practitioners(d).is_some(),
            "75-ans" => d.communes.iter().any(|c| c.ages.is_some()),
            "ald" => !d.ald.is_empty(),
            "mortalite" => !d.mortality.is_empty(),
            _ => true,
        })
        .copied()
        .collect()
}

/// The value of the map's indicator `map` in each commune, its label and unit.
fn map_values(d: &Diagnosis, map: &str) -> (Vec<Option<f64>>, &'static str, &'static str) {
    let label = MAP_INDICATORS
        .iter()
        .find(|(key, _)| *key == map)
        .map_or("", |(_, label)| *label);
    let values = match map {
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
                .map(|(i, c)| density(gps.map_or(0, |l| l.communes[i]), c.population.unwrap_or(0)))
                .collect()
        }
    };
    let unit = match map {
        "population" => "habitants",
        "75-ans" | "ald" => "%",
        "mortalite" => "base 100 : la région",
        _ => "pour 100\u{202f}000 habitants",
    };
    (values, label, unit)
}

/// The map of the indicator `map`.
fn draw_map(d: &Diagnosis, map: &str) -> Map {
    let (values, label, unit) = map_values(d, map);
    let communes = d
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
        title: format!("{label} — {}", d.name),
        indicator: label.to_owned(),
        unit: unit.to_owned(),
        communes,
    })
}

/// The page of the diagnosis, for `--format html` too (the map shows GP density).
pub fn report(layout: Layout, diagnosis: Diagnosis, map: &str) -> DiagnosisPage {
    let available = available_maps(&diagnosis);
    let map = available
        .iter()
        .find(|(key, _)| *key == map)
        .or(available.first())
        .map_or("population", |(key, _)| key);
    let drawn_map = draw_map(&diagnosis, map);
    DiagnosisPage {
        layout,
        diagnosis,
        map,
        drawn_map,
    }
}

/// The report as one standalone HTML document (its stylesheet inlined), as
/// `maillage diagnostic --format html` writes it: printed from a browser, it gives the PDF.
pub fn standalone_report(diagnosis: Diagnosis) -> Result<String, String> {
    let title = format!("État des lieux — {}", diagnosis.name);
    let header = print_header(&diagnosis.name, &diagnosis.date);
    let page = report(Layout::standalone(&title, &header), diagnosis, "");
    page.render().map_err(|e| e.to_string())
}

/// The running header of the printed report of the CPTS `name`, established on `date`.
fn print_header(name: &str, date: &str) -> String {
    print::running_header(
        &format!("{name} — État des lieux"),
        &format!("Établi le {date}"),
    )
}

/// `GET /territoire/{slug}/diagnostic/impression.css`: the printed report's running header.
pub async fn print_stylesheet(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
) -> PageResult {
    let perimeter = territory::show(&state.app, Some(&session.actor), &slug).await?;
    Ok(print::stylesheet(print_header(
        &perimeter.name,
        &state.app.today().french(),
    )))
}

/// `GET /territoire/{slug}/diagnostic`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(slug): Path<String>,
    Query(choice): Query<MapChoice>,
) -> PageResult {
    let diagnosis = diagnosis::diagnosis(&state.app, Some(&session.actor), &slug).await?;
    let title = format!("État des lieux — {}", diagnosis.name);
    let mut layout = layout(&state, &session, &title, "/territoire").await;
    layout.print_stylesheet = Some(format!("/territoire/{slug}/diagnostic/impression.css"));
    Ok(render(&report(
        layout,
        diagnosis,
        choice.carte.as_deref().unwrap_or_default(),
    )))
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
) -> PageResult {
    let Some(table) = table(&file) else {
        return Ok(error_page(
            StatusCode::NOT_FOUND,
            "Page introuvable",
            "Ce tableau n’existe pas.",
        ));
    };
    let diagnosis = diagnosis::diagnosis(&state.app, Some(&session.actor), &slug).await?;
    Ok(attachment(
        &format!("diagnostic-{slug}-{file}"),
        table(&diagnosis),
    ))
}
