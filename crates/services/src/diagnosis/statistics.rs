//! The statistical files a host imports for the diagnoses (`maillage import population-ages`,
//! `ald`, `deaths`): each is read whole and checked before anything is written, each error
//! naming its line and column; then it replaces the previous file of its kind in one
//! transaction. Codes the shipped territory does not know (communes merged since the file's
//! vintage) are skipped and named in the report, never guessed.

pub mod ald;
pub mod deaths;
pub mod population_ages;

use crate::context::App;
use crate::csv_file;
use crate::error::ServiceResult;
use crate::file_errors::FileErrors;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::FieldErrors;
use maillage_domain::common::quoting::quoted;
use maillage_domain::platform::audit::Outcome;
use maillage_domain::territory::search_key;
use maillage_store::diagnosis::statistics::{self, AgeRow, AldRow, DeathRow, StatisticsImport};
use maillage_store::{Conn, Db};
use std::collections::{HashMap, HashSet};

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Rows written.
    pub rows: usize,
    pub vintage: String,
    /// Codes of the file the territory does not know, skipped.
    pub skipped: Vec<String>,
}

/// The rows of one kind of file, to write in place of the stored ones.
enum Rows {
    Ages(Vec<AgeRow>),
    Ald(Vec<AldRow>),
    Deaths(Vec<DeathRow>),
}

/// The columns of a file's header, by name (case, accents and punctuation aside).
struct Columns(Vec<String>);

impl Columns {
    /// The position of the column `name`, or an error naming it as missing.
    fn position(&self, name: &str, errors: &mut FileErrors) -> usize {
        self.0
            .iter()
            .position(|c| *c == search_key(name))
            .unwrap_or_else(|| {
                errors.add(1, format!("colonne « {name} » manquante."));
                0
            })
    }
}

/// The data lines of a file: each with its number and its trimmed values.
type Lines = Vec<(usize, Vec<String>)>;

/// The header and the data lines of a file, as [`csv_file::table`] reads them.
fn table(bytes: &[u8], errors: &mut FileErrors) -> Result<(Columns, Lines), FieldErrors> {
    let text = csv_file::decode(bytes);
    let (header, records) = csv_file::table(&text, errors)?;
    let columns = Columns(header.iter().map(search_key).collect());
    let lines: Lines = records
        .into_iter()
        .map(|(number, record)| (number, record.iter().map(|v| v.trim().to_owned()).collect()))
        .collect();
    if lines.is_empty() && errors.is_empty() {
        let message = "Le fichier ne compte aucune ligne après celle des colonnes.";
        return Err(FieldErrors::single("file", message));
    }
    Ok((columns, lines))
}

/// The level written `raw` (accents and case aside).
fn level(raw: &str, allowed: &[&'static str]) -> Option<&'static str> {
    let key = search_key(raw);
    allowed.iter().copied().find(|level| *level == key)
}

/// A whole count (patients, deaths), or an error naming the line and column.
fn count(raw: &str, line: usize, column: &str, errors: &mut FileErrors) -> i64 {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .unwrap_or_else(|| {
            errors.add(
                line,
                format!(
                    "{column} — {} n’est pas un nombre entier positif.",
                    quoted(raw)
                ),
            );
            0
        })
}

/// A number of people, whole or decimal (a point or a comma), or an error naming the line
/// and column.
fn people(raw: &str, line: usize, column: &str, errors: &mut FileErrors) -> f64 {
    raw.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .unwrap_or_else(|| {
            errors.add(
                line,
                format!("{column} — {} n’est pas un nombre positif.", quoted(raw)),
            );
            0.0
        })
}

/// The codes of each level the territory knows.
struct KnownCodes(HashMap<&'static str, HashSet<String>>);

impl KnownCodes {
    async fn load(conn: &mut Conn, levels: &[&'static str]) -> ServiceResult<Self> {
        let mut known = HashMap::new();
        for level in levels {
            let codes = statistics::known_codes(conn, level).await?;
            known.insert(*level, codes.into_iter().collect());
        }
        Ok(Self(known))
    }

    fn knows(&self, level: &str, code: &str) -> bool {
        level == "france" || self.0.get(level).is_some_and(|codes| codes.contains(code))
    }
}

/// The vintage a person typed, checked.
fn vintage(raw: &str, option: &str) -> Result<String, FieldErrors> {
    let vintage = raw.trim();
    if vintage.is_empty() || vintage.chars().count() > 40 {
        let message =
            format!("Indiquez le millésime du fichier avec {option} (40 caractères au plus).");
        return Err(FieldErrors::single("vintage", message));
    }
    Ok(vintage.to_owned())
}

/// Writes `rows` in place of the stored ones of their kind, records the file, and audits
/// the import, in one transaction.
async fn save(
    app: &App,
    file_name: &str,
    vintage: String,
    lines: usize,
    rows: Rows,
    skipped: Vec<String>,
) -> ServiceResult<Imported> {
    let mut tx = app.db.begin().await?;
    let (kind, written) = match &rows {
        Rows::Ages(rows) => {
            statistics::replace_population_ages(&mut tx, rows).await?;
            ("population_ages", rows.len())
        }
        Rows::Ald(rows) => {
            statistics::replace_ald(&mut tx, rows).await?;
            ("ald", rows.len())
        }
        Rows::Deaths(rows) => {
            statistics::replace_deaths(&mut tx, rows).await?;
            ("deaths", rows.len())
        }
    };
    let import = StatisticsImport {
        kind: kind.to_owned(),
        file_name: file_name.to_owned(),
        vintage: vintage.clone(),
        imported_at: app.now(),
        lines: i64::try_from(lines).unwrap_or(i64::MAX),
    };
    statistics::record_import(&mut tx, &import).await?;
    let event = Event::new("statistics.import", Outcome::Success).object("statistics", kind);
    audit::write_in(app, &mut tx, &Who::System, event).await?;
    Db::commit(tx).await?;
    Ok(Imported {
        rows: written,
        vintage,
        skipped,
    })
}
