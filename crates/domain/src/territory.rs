//! The territory's identifiers and geometry: INSEE commune codes, EPCI SIREN numbers,
//! WGS84 points and the great-circle distance between them.

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
                "« {} » n’est pas un code commune INSEE (cinq caractères, par exemple 13015).",
                raw.trim()
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
                "« {value} » n’est pas un numéro SIREN d’EPCI (neuf chiffres)."
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

/// A point on the WGS84 ellipsoid, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
}

/// The mean Earth radius used for distances, in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

impl GeoPoint {
    /// The great-circle (haversine) distance to `other`, in kilometres.
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
