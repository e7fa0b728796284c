//! The national directory as published: the Annuaire Santé extraction files
//! (`PS_LibreAcces_Personne_activite_*.txt`, `PS_LibreAcces_SavoirFaire_*.txt`), their
//! columns found by name in the header line, and each line read into a record or into
//! errors naming the line and the column. See `docs/formats/annuaire-sante.md`.

pub mod codes;

use crate::common::quoting::quoted;
use crate::common::text;
use crate::directory::codes::{MODES, PROFESSIONS, SECTORS, SPECIALTIES};
use crate::territory::InseeCode;
use std::fmt;

pub mod general_practice;
pub use general_practice::{is_general_practitioner, is_second_recourse};

/// A problem with one line of an extraction file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    /// The header name of the column at fault, when one is.
    pub column: Option<&'static str>,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(
                f,
                "ligne {}, colonne « {column} » : {}",
                self.line, self.message
            ),
            None => write!(f, "ligne {} : {}", self.line, self.message),
        }
    }
}

/// One line of `Personne_activite`: a professional at one activity (practice site).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Activity {
    /// `Identification nationale PP`: the type digit then the RPPS or ADELI number.
    pub national_id: String,
    pub id_type: String,
    pub identifier: String,
    pub title: String,
    pub last_name: String,
    pub first_name: String,
    pub profession: String,
    pub category: String,
    pub skill_type: String,
    pub skill: String,
    pub mode: String,
    pub siret: String,
    pub finess: String,
    pub structure_name: String,
    /// Street line: number, repetition index, type of street and street name.
    pub street: String,
    /// Other address lines (recipient, building, distribution mention), comma-joined.
    pub address_extra: String,
    pub postcode: String,
    pub commune: Option<InseeCode>,
    pub commune_name: String,
    pub phone: String,
    pub email: String,
    pub sector: String,
    pub activity_kind: String,
}

/// One line of `SavoirFaire`: a professional's qualification.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Skill {
    pub national_id: String,
    pub skill_type: String,
    pub skill: String,
}

/// The column naming the professional of a line, in both files.
const NATIONAL_ID: &str = "Identification nationale PP";

/// The published column names an [`Activity`] is read from, and whether each is needed.
const ACTIVITY_COLUMNS: [(&str, bool); 30] = [
    ("Type d'identifiant PP", true),
    ("Identifiant PP", true),
    (NATIONAL_ID, true),
    ("Code civilité d'exercice", false),
    ("Nom d'exercice", true),
    ("Prénom d'exercice", true),
    ("Code profession", true),
    ("Code catégorie professionnelle", false),
    ("Code type savoir-faire", false),
    ("Code savoir-faire", false),
    ("Code mode exercice", true),
    ("Numéro SIRET site", false),
    ("Numéro FINESS site", false),
    ("Raison sociale site", false),
    ("Complément destinataire (coord. structure)", false),
    ("Complément point géographique (coord. structure)", false),
    ("Numéro Voie (coord. structure)", false),
    ("Indice répétition voie (coord. structure)", false),
    ("Libellé type de voie (coord. structure)", false),
    ("Libellé Voie (coord. structure)", false),
    ("Mention distribution (coord. structure)", false),
    ("Code postal (coord. structure)", true),
    ("Code commune (coord. structure)", true),
    ("Libellé commune (coord. structure)", false),
    ("Téléphone (coord. structure)", false),
    ("Adresse e-mail (coord. structure)", false),
    ("Code secteur d'activité", false),
    ("Code genre activité", false),
    ("Enseigne commerciale site", false),
    ("Identifiant technique de la structure", false),
];

const SKILL_COLUMNS: [(&str, bool); 3] = [
    (NATIONAL_ID, true),
    ("Code type savoir-faire", true),
    ("Code savoir-faire", true),
];

/// Normalises a header name for matching: trimmed, without byte-order mark, lower-case,
/// typographic apostrophes as plain ones, and the published variants of two names.
fn header_key(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace('’', "'")
        .replace("genre d'activité", "genre activité")
        .replace("code fonction", "code rôle")
}

/// The fields of a line: `|`-separated, with the trailing `|` the files end lines with.
fn fields(line: &str) -> Vec<&str> {
    let line = line.trim_end_matches(['\r', '\n']);
    let line = line.strip_suffix('|').unwrap_or(line);
    line.split('|').collect()
}

/// Where the needed columns sit in one file, read from its header line.
#[derive(Debug, Clone)]
pub struct Layout {
    names: &'static [(&'static str, bool)],
    positions: Vec<Option<usize>>,
    width: usize,
}

impl Layout {
    fn from_header(
        header: &str,
        names: &'static [(&'static str, bool)],
    ) -> Result<Self, LineError> {
        let keys: Vec<String> = fields(header).iter().map(|h| header_key(h)).collect();
        let positions: Vec<Option<usize>> = names
            .iter()
            .map(|(name, _)| keys.iter().position(|k| *k == header_key(name)))
            .collect();
        let missing: Vec<String> = names
            .iter()
            .zip(&positions)
            .filter(|((_, required), found)| *required && found.is_none())
            .map(|((name, _), _)| format!("« {name} »"))
            .collect();
        if !missing.is_empty() {
            return Err(LineError {
                line: 1,
                column: None,
                message: format!(
                    "en-tête inattendu, colonne(s) absente(s) : {}. Ce fichier n’a pas la forme de l’extraction Annuaire Santé.",
                    missing.join(", ")
                ),
            });
        }
        Ok(Self {
            names,
            positions,
            width: keys.len(),
        })
    }

    /// The layout of a `Personne_activite` file.
    pub fn activity(header: &str) -> Result<Self, LineError> {
        Self::from_header(header, &ACTIVITY_COLUMNS)
    }

    /// The layout of a `SavoirFaire` file.
    pub fn skills(header: &str) -> Result<Self, LineError> {
        Self::from_header(header, &SKILL_COLUMNS)
    }

    /// The `Identification nationale PP` of a line when it has one, even if the line is
    /// refused (too few fields, a bad value, cut short): the professional it is about.
    pub fn national_id<'l>(&self, line: &'l str) -> Option<&'l str> {
        let column = self
            .names
            .iter()
            .position(|(name, _)| *name == NATIONAL_ID)?;
        let at = self.positions[column]?;
        let value = fields(line).get(at)?.trim();
        (!value.is_empty()).then_some(value)
    }

    /// The fields of a data line, or an error when it has not as many as the header; a
    /// wanted field holding a control character is refused by its column.
    fn split<'l>(&self, number: u64, line: &'l str) -> Result<Row<'l, '_>, LineError> {
        let values = fields(line);
        if values.len() != self.width {
            return Err(LineError {
                line: number,
                column: None,
                message: format!(
                    "{} champs au lieu des {} de l’en-tête.",
                    values.len(),
                    self.width
                ),
            });
        }
        let mut row = Row {
            layout: self,
            values,
            number,
            errors: Vec::new(),
        };
        for (i, (name, _)) in self.names.iter().enumerate() {
            if let Err(message) = text::check(row.get(i), text::Kind::Line, name) {
                row.fail(i, message);
            }
        }
        Ok(row)
    }

    /// Reads one data line of a `Personne_activite` file (`number` counts from 1, the
    /// header being line 1).
    pub fn activity_line(&self, number: u64, line: &str) -> Result<Activity, Vec<LineError>> {
        let mut row = self.split(number, line).map_err(|e| vec![e])?;
        let national_id = row.required(2);
        let id_type = row.get(0).to_owned();
        let identifier = row.get(1).to_owned();
        if id_type == "8"
            && !(identifier.len() == 11 && identifier.bytes().all(|b| b.is_ascii_digit()))
        {
            row.fail(
                1,
                format!(
                    "{} n’est pas un numéro RPPS (onze chiffres).",
                    quoted(&identifier)
                ),
            );
        }
        let commune = match row.get(22) {
            "" => None,
            raw => match InseeCode::parse(raw) {
                Ok(code) => Some(code),
                Err(message) => {
                    row.fail(22, message);
                    None
                }
            },
        };
        let street = [16, 17, 18, 19].map(|i| row.get(i)).join(" ");
        let address_extra = [14, 15, 20]
            .map(|i| row.get(i))
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let skill_type = row.get(8).to_owned();
        let activity = Activity {
            national_id,
            title: row.get(3).to_owned(),
            last_name: row.required(4),
            first_name: row.get(5).to_owned(),
            profession: row.coded(6, &|c| PROFESSIONS.contains(c), "profession"),
            category: row.get(7).to_owned(),
            skill: if skill_type == "S" {
                row.coded(9, &|c| SPECIALTIES.contains(c), "spécialité")
            } else {
                row.get(9).to_owned()
            },
            skill_type,
            mode: row.coded(10, &|c| MODES.contains(c), "mode d’exercice"),
            siret: row.get(11).to_owned(),
            finess: row.get(12).to_owned(),
            structure_name: row.get(13).to_owned(),
            street: street.split_whitespace().collect::<Vec<_>>().join(" "),
            address_extra,
            postcode: row.get(21).to_owned(),
            commune,
            commune_name: row.get(23).to_owned(),
            phone: row.get(24).to_owned(),
            email: row.get(25).to_owned(),
            sector: row.coded(26, &|c| SECTORS.contains(c), "secteur d’activité"),
            activity_kind: row.get(27).to_owned(),
            id_type,
            identifier,
        };
        row.finish(activity)
    }

    /// Reads one data line of a `SavoirFaire` file.
    pub fn skill_line(&self, number: u64, line: &str) -> Result<Skill, Vec<LineError>> {
        let mut row = self.split(number, line).map_err(|e| vec![e])?;
        let skill = Skill {
            national_id: row.required(0),
            skill_type: row.required(1),
            skill: row.required(2),
        };
        row.finish(skill)
    }
}

/// One data line being read, with the errors found so far.
struct Row<'l, 'a> {
    layout: &'a Layout,
    values: Vec<&'l str>,
    number: u64,
    errors: Vec<LineError>,
}

impl<'l> Row<'l, '_> {
    /// The trimmed value of the `i`-th wanted column; empty when the file lacks it.
    fn get(&self, i: usize) -> &'l str {
        self.layout.positions[i].map_or("", |p| self.values[p].trim())
    }

    fn fail(&mut self, i: usize, message: String) {
        self.errors.push(LineError {
            line: self.number,
            column: Some(self.layout.names[i].0),
            message,
        });
    }

    fn required(&mut self, i: usize) -> String {
        let value = self.get(i);
        if value.is_empty() {
            self.fail(i, "valeur obligatoire absente.".to_owned());
        }
        value.to_owned()
    }

    /// A code that must belong to its official list when present.
    fn coded(&mut self, i: usize, known: &dyn Fn(&str) -> bool, what: &str) -> String {
        let value = self.get(i);
        if !value.is_empty() && !known(value) {
            self.fail(i, format!("code de {what} inconnu {}.", quoted(value)));
        }
        value.to_owned()
    }

    fn finish<T>(self, record: T) -> Result<T, Vec<LineError>> {
        if self.errors.is_empty() {
            Ok(record)
        } else {
            Err(self.errors)
        }
    }
}

/// How a title code of the directory is written before a name: « Dr », « Pr », or nothing.
pub fn title_abbreviation(code: &str) -> &'static str {
    match code {
        "DR" => "Dr",
        "PR" => "Pr",
        _ => "",
    }
}

#[cfg(test)]
mod tests;
