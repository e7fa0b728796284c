//! `import finess`: the etalab FINESS establishment file (`;`-separated, Latin-1, a marker
//! line, `structureet` rows then `geolocalisation` rows in projected metres), with each
//! position converted to WGS84, written in one transaction; an establishment named by a
//! refused line stays as it was.

use super::import::ImportOptions;
use super::lines::LengthChecked;
use super::safeguards::{nothing_accepted, refusal, too_many_refused};
use crate::context::App;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::common::quoting::quoted;
use maillage_domain::common::text;
use maillage_domain::directory::LineError;
use maillage_domain::platform::audit::Outcome;
use maillage_store::Db;
use maillage_store::directory::establishments::{self, EstablishmentRow};
use maillage_store::directory::professionals::{self, ImportCounts};
use proj4rs::proj::Proj;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What a FINESS import did.
#[derive(Debug)]
pub struct FinessReport {
    pub establishments: i64,
    pub positioned: i64,
    pub deactivated: i64,
    pub refused: i64,
    /// Establishments left as they were, for a refused line naming them.
    pub kept: i64,
    pub errors: Vec<LineError>,
}

fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.trim().to_owned(),
        Err(_) => bytes
            .iter()
            .map(|&b| char::from(b))
            .collect::<String>()
            .trim()
            .to_owned(),
    }
}

/// The projection a `sourcecoordet` names (EPSG code or older token), as a proj string.
fn projection(source: &str) -> Option<&'static str> {
    const UTM20N: &str = "+proj=utm +zone=20 +ellps=GRS80 +units=m +no_defs";
    let table: [(&str, &str, &'static str); 6] = [
        (
            "EPSG:2154",
            "LAMBERT_93",
            "+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=700000 +y_0=6600000 +ellps=GRS80 +units=m +no_defs",
        ),
        ("EPSG:5490", "UTM_N20", UTM20N),
        (
            "EPSG:2972",
            "UTM_N22",
            "+proj=utm +zone=22 +ellps=GRS80 +units=m +no_defs",
        ),
        (
            "EPSG:2975",
            "UTM_S40",
            "+proj=utm +zone=40 +south +ellps=GRS80 +units=m +no_defs",
        ),
        (
            "EPSG:4471",
            "UTM_S38",
            "+proj=utm +zone=38 +south +ellps=GRS80 +units=m +no_defs",
        ),
        (
            "UTM zone 21N",
            "UTM_N21",
            "+proj=utm +zone=21 +ellps=WGS84 +units=m +no_defs",
        ),
    ];
    table
        .iter()
        .find(|(epsg, token, _)| source.contains(epsg) || source.ends_with(token))
        .map(|(_, _, proj)| *proj)
        .or_else(|| source.contains("EPSG:4559").then_some(UTM20N))
}

/// Projected metres to WGS84 degrees (latitude, longitude).
fn to_wgs84(proj: &str, x: f64, y: f64) -> Option<(f64, f64)> {
    let from = Proj::from_proj_string(proj).ok()?;
    let to = Proj::from_proj_string("+proj=longlat +ellps=WGS84 +no_defs").ok()?;
    let mut point = (x, y, 0.0);
    proj4rs::transform::transform(&from, &to, &mut point).ok()?;
    Some((point.1.to_degrees(), point.0.to_degrees()))
}

/// The INSEE code of a FINESS row: department and 3-digit commune; overseas `9A`–`9F`
/// become `97`, `9J` becomes `98`.
fn insee_code(departement: &str, commune: &str) -> Option<String> {
    let prefix = match departement {
        "9A" | "9B" | "9C" | "9D" | "9E" | "9F" => "97",
        "9J" => "98",
        d if d.len() == 2 => d,
        _ => return None,
    };
    (commune.len() == 3).then(|| format!("{prefix}{commune}"))
}

#[derive(Default)]
struct Reader {
    rows: Vec<EstablishmentRow>,
    index: HashMap<String, usize>,
    /// Data lines read.
    lines: i64,
    refused: i64,
    errors: Vec<LineError>,
    /// The FINESS numbers of refused lines: those establishments stay as they were.
    held: HashSet<String>,
}

impl Reader {
    fn refuse(&mut self, line: u64, column: Option<&'static str>, message: String) {
        self.refused += 1;
        if self.errors.len() < super::reader::ERRORS_SHOWN {
            self.errors.push(LineError {
                line,
                column,
                message,
            });
        }
    }

    fn structure(&mut self, line: u64, f: &[String]) {
        if f.len() < 31 {
            let message = format!(
                "{} champs au lieu de 32 pour une ligne structureet.",
                f.len()
            );
            return self.refuse(line, None, message);
        }
        if f[1].len() != 9 {
            return self.refuse(
                line,
                Some("nofinesset"),
                format!("{} n’est pas un numéro FINESS.", quoted(&f[1])),
            );
        }
        let (postcode, city) = f[15].split_once(' ').unwrap_or((&f[15], ""));
        let street = [&f[7], &f[10], &f[8], &f[9]]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let row = EstablishmentRow {
            finess: f[1].clone(),
            legal_finess: f[2].clone(),
            name: f[3].clone(),
            long_name: f[4].clone(),
            street,
            postcode: postcode.to_owned(),
            city: city.to_owned(),
            commune: insee_code(&f[13], &f[12]),
            phone: f[16].clone(),
            category: f[18].clone(),
            category_label: f[19].clone(),
            siret: f[22].clone(),
            public_service: f[26].clone(),
            updated_on: f[30].clone(),
            latitude: None,
            longitude: None,
        };
        // A number met twice keeps its last row.
        match self.index.get(&row.finess) {
            Some(&i) => self.rows[i] = row,
            None => {
                self.index.insert(row.finess.clone(), self.rows.len());
                self.rows.push(row);
            }
        }
    }

    fn position(&mut self, line: u64, f: &[String]) {
        if f.len() < 5 {
            return self.refuse(
                line,
                None,
                format!(
                    "{} champs au lieu de 6 pour une ligne geolocalisation.",
                    f.len()
                ),
            );
        }
        let Some(&i) = self.index.get(&f[1]) else {
            return self.refuse(
                line,
                Some("nofinesset"),
                format!(
                    "établissement {} absent des lignes structureet.",
                    quoted(&f[1])
                ),
            );
        };
        let (Ok(x), Ok(y)) = (f[2].parse::<f64>(), f[3].parse::<f64>()) else {
            return self.refuse(
                line,
                Some("coordxet"),
                format!(
                    "coordonnées illisibles {} ; {}.",
                    quoted(&f[2]),
                    quoted(&f[3])
                ),
            );
        };
        // An unknown projection leaves the position empty rather than guessed.
        if let Some((latitude, longitude)) = projection(&f[4]).and_then(|p| to_wgs84(p, x, y)) {
            self.rows[i].latitude = Some(latitude);
            self.rows[i].longitude = Some(longitude);
        }
    }

    /// Reads one data line (a field with a control character refuses it); a refused line
    /// holds back the establishment it names.
    fn line(&mut self, line: u64, f: &[String]) {
        self.lines += 1;
        let refused = self.refused;
        // The field's number is written only into the message of a refused line.
        let control = f
            .iter()
            .position(|field| text::check(field, text::Kind::Line, "").is_err())
            .and_then(|i| text::check(&f[i], text::Kind::Line, &format!("champ {}", i + 1)).err());
        if let Some(message) = control {
            self.refuse(line, None, message);
        } else {
            self.dispatch(line, f);
        }
        match f.get(1) {
            Some(finess) if self.refused > refused && !finess.is_empty() => {
                self.held.insert(finess.clone());
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, line: u64, f: &[String]) {
        match f.first().map(String::as_str) {
            Some("structureet") => self.structure(line, f),
            Some("geolocalisation") => self.position(line, f),
            other => {
                let message = format!("type de ligne inconnu {}.", quoted(other.unwrap_or("")));
                self.refuse(line, None, message);
            }
        }
    }

    /// The establishments to write: those of the file but the ones held back.
    fn accepted(mut self) -> Self {
        let held = &self.held;
        self.rows.retain(|row| !held.contains(&row.finess));
        self
    }
}

fn read_file(path: &Path, max_errors: i64) -> Result<Reader, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{} : {e}", path.display()))?;
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(LengthChecked::new(std::io::BufReader::new(file)));
    let mut reader = Reader::default();
    let mut record = csv::ByteRecord::new();
    let mut line = 0;
    while csv
        .read_byte_record(&mut record)
        .map_err(|e| format!("ligne {} : {e}", line + 1))?
    {
        line += 1;
        let fields: Vec<String> = record.iter().map(decode).collect();
        match (line, fields.first().map(String::as_str)) {
            (1, Some("finess")) => {}
            (1, _) => return Err("ligne 1 : ce n’est pas un fichier FINESS etalab (première ligne « finess;etalab;… » attendue).".to_owned()),
            _ => reader.line(line, &fields),
        }
        if reader.refused > max_errors {
            return Err(refusal(&too_many_refused(max_errors), &reader.errors));
        }
    }
    let reader = reader.accepted();
    if reader.rows.is_empty() {
        return Err(refusal(&nothing_accepted(reader.lines), &reader.errors));
    }
    Ok(reader)
}

/// Imports the FINESS file at `path` (the operator on the command line).
pub async fn import_finess(
    app: &App,
    path: &Path,
    options: &ImportOptions,
) -> ServiceResult<FinessReport> {
    let owned = path.to_owned();
    let max_errors = options.max_errors;
    let reader = tokio::task::spawn_blocking(move || read_file(&owned, max_errors))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(ServiceError::Import)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tx = app.db.begin().await?;
    let active_before = establishments::active_count(&mut tx).await?;
    let import_id = professionals::begin_import(&mut tx, &name, app.now()).await?;
    establishments::upsert(&mut tx, import_id, &reader.rows).await?;
    let kept: Vec<String> = reader.held.iter().cloned().collect();
    let deactivated = establishments::deactivate_unseen(&mut tx, import_id, &kept).await?;
    options
        .max_departures
        .check(deactivated, active_before, "établissements")
        .map_err(ServiceError::Import)?;
    let positioned = reader.rows.iter().filter(|r| r.latitude.is_some()).count() as i64;
    let counts = ImportCounts {
        lines_read: reader.lines,
        professionals: 0,
        deactivated,
        lines_refused: reader.refused,
    };
    professionals::finish_import(&mut tx, import_id, &counts, app.now()).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::System,
        Event::new("finess.import", Outcome::Success).object("directory_import", import_id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(FinessReport {
        establishments: reader.rows.len() as i64,
        positioned,
        deactivated,
        kept: kept.len() as i64,
        refused: reader.refused,
        errors: reader.errors,
    })
}
