//! The territory's identifiers and geometry: INSEE commune codes, EPCI SIREN numbers,
//! WGS84 points and the great-circle distance between them.

pub mod cpts;

use crate::common::quoting::quoted;
use serde::{Deserialize, Serialize};

/// The INSEE code of a commune or municipal arrondissement: five characters, digits
/// except for Corsica (`2A`, `2B`), e.g. `13015`, `2A004`, `97411`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InseeCode(String);

impl InseeCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim().to_ascii_uppercase();
        let bytes = value.as_bytes();
        let corsica = bytes.len() == 5
            && bytes[0] == b'2'
            && matches!(bytes[1], b'A' | b'B')
            && bytes[2..].iter().all(u8::is_ascii_digit);
        let digits = bytes.len() == 5 && bytes.iter().all(u8::is_ascii_digit);
        if corsica || digits {
            Ok(Self(value))
        } else {
            Err(format!(
                "{} n’est pas un code commune INSEE (cinq caractères, par exemple 13015).",
                quoted(raw.trim())
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The SIREN number of an EPCI (nine digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Siren(String);

impl Siren {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        if value.len() == 9 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "{} n’est pas un numéro SIREN d’EPCI (neuf chiffres).",
                quoted(value)
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The key a place name is searched by: lower-case ASCII without accents, every run of
/// other characters (hyphens, apostrophes, spaces) as one space. "Saint-Étienne-de-l’Hôpital"
/// and "saint etienne de l hopital" have the same key.
pub fn search_key(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// « de » and a place's name, as French writes it: « d’Aix-en-Provence », « de Marseille »,
/// « du Puy-Sainte-Réparade », « des Pennes-Mirabeau ».
pub fn of_place(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        return format!("du {rest}");
    }
    if let Some(rest) = name.strip_prefix("Les ") {
        return format!("des {rest}");
    }
    let first = name
        .chars()
        .next()
        .map(|c| deunicode::deunicode_char(c).unwrap_or(""));
    let vowel = first.is_some_and(|f| {
        f.starts_with(['A', 'E', 'I', 'O', 'U', 'Y', 'a', 'e', 'i', 'o', 'u', 'y'])
    });
    if vowel {
        format!("d’{name}")
    } else {
        format!("de {name}")
    }
}

/// A point on the WGS84 ellipsoid, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
}

/// The mean Earth radius used for distances, in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

impl GeoPoint {
    /// The point of a stored position, when both coordinates are known.
    pub fn known(latitude: Option<f64>, longitude: Option<f64>) -> Option<Self> {
        Some(Self {
            latitude: latitude?,
            longitude: longitude?,
        })
    }

    /// The great-circle (haversine) distance to `other`, in kilometres.
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

/// The side of a cell of the grid that searches by distance start from, in degrees.
const CELL_DEGREES: f64 = 0.2;
/// Cells per row of the grid (360 degrees of longitude).
const CELLS_PER_ROW: i64 = 1800;

fn cell_of(latitude: f64, longitude: f64) -> (i64, i64) {
    (
        ((latitude + 90.0) / CELL_DEGREES).floor() as i64,
        ((longitude + 180.0) / CELL_DEGREES).floor() as i64,
    )
}

impl GeoPoint {
    /// The cell of the grid (0.2° of latitude by 0.2° of longitude) the point falls in.
    pub fn grid_cell(self) -> i64 {
        let (row, column) = cell_of(self.latitude, self.longitude);
        row * CELLS_PER_ROW + column
    }

    /// The cells of every point within `km` of this one (a few more at the corners).
    pub fn cells_within(self, km: f64) -> Vec<i64> {
        let dlat = km / 111.0;
        let dlon = km / (111.0 * self.latitude.to_radians().cos().max(0.01));
        let (row_min, column_min) = cell_of(self.latitude - dlat, self.longitude - dlon);
        let (row_max, column_max) = cell_of(self.latitude + dlat, self.longitude + dlon);
        (row_min..=row_max)
            .flat_map(|row| {
                (column_min..=column_max).map(move |column| row * CELLS_PER_ROW + column)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_point_within_the_radius_falls_in_one_of_its_cells() {
        let marseille = GeoPoint {
            latitude: 43.2965,
            longitude: 5.3698,
        };
        let cells = marseille.cells_within(20.0);
        assert!(cells.len() <= 12, "{} cells", cells.len());
        for step in 0..360 {
            let angle = f64::from(step).to_radians();
            let point = GeoPoint {
                latitude: marseille.latitude + 0.179 * angle.sin(),
                longitude: marseille.longitude + 0.247 * angle.cos(),
            };
            if marseille.distance_km(point) <= 20.0 {
                assert!(cells.contains(&point.grid_cell()), "{point:?}");
            }
        }
        let paris = GeoPoint {
            latitude: 48.8566,
            longitude: 2.3522,
        };
        assert!(!cells.contains(&paris.grid_cell()));
    }

    #[test]
    fn insee_codes_of_mainland_corsica_and_overseas_are_accepted() {
        for code in ["13015", "2A004", "2b033", "97411", "75056"] {
            assert!(InseeCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(InseeCode::parse(" 2b033 ").unwrap().as_str(), "2B033");
    }

    #[test]
    fn malformed_insee_codes_are_refused_with_the_value_named() {
        for code in ["1301", "130155", "2C004", "13O15", ""] {
            assert!(InseeCode::parse(code).is_err(), "{code}");
        }
        assert!(InseeCode::parse("abc").unwrap_err().contains("« abc »"));
    }

    #[test]
    fn search_keys_ignore_accents_case_and_punctuation() {
        assert_eq!(
            search_key("Saint-Étienne-de-l’Hôpital"),
            "saint etienne de l hopital"
        );
        assert_eq!(search_key("  L'Haÿ-les-Roses "), "l hay les roses");
        assert_eq!(search_key("Œuilly"), "oeuilly");
    }

    #[test]
    fn de_is_elided_before_a_vowel_and_joined_to_an_article() {
        assert_eq!(of_place("Aix-en-Provence"), "d’Aix-en-Provence");
        assert_eq!(of_place("Éguilles"), "d’Éguilles");
        assert_eq!(of_place("Marseille"), "de Marseille");
        assert_eq!(of_place("Le Puy-Sainte-Réparade"), "du Puy-Sainte-Réparade");
        assert_eq!(of_place("Les Pennes-Mirabeau"), "des Pennes-Mirabeau");
        assert_eq!(of_place("La Ciotat"), "de La Ciotat");
    }

    #[test]
    fn siren_needs_nine_digits() {
        assert!(Siren::parse("200054807").is_ok());
        assert!(Siren::parse("20005480").is_err());
        assert!(Siren::parse("20005480X").is_err());
    }

    #[test]
    fn distance_between_paris_and_marseille_town_halls() {
        // Hôtel de ville de Paris and of Marseille: about 661 km apart as the crow flies.
        let paris = GeoPoint {
            latitude: 48.85661,
            longitude: 2.35222,
        };
        let marseille = GeoPoint {
            latitude: 43.29648,
            longitude: 5.36978,
        };
        let d = paris.distance_km(marseille);
        assert!((d - 661.0).abs() < 2.0, "{d}");
        assert_eq!(paris.distance_km(paris), 0.0);
    }
}
