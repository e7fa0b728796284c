//! A CPTS as the platform knows it: its URL slug and its name.

use crate::common::text;
use serde::{Deserialize, Serialize};

/// The short identifier of a CPTS in URLs and commands: lower-case letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        let valid_chars = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if value.is_empty() || value.len() > 40 {
            return Err("L’identifiant doit compter de 1 à 40 caractères.".to_owned());
        }
        if !valid_chars || value.starts_with('-') || value.ends_with('-') {
            return Err(
                "L’identifiant ne peut contenir que des minuscules sans accent, des chiffres et des tirets."
                    .to_owned(),
            );
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of a CPTS, as in its statutes: a name's characters (`text::name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CptsName(String);

impl CptsName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = text::name(raw, "nom de la CPTS")?;
        match value.chars().count() {
            0 => Err("Le nom de la CPTS est obligatoire.".to_owned()),
            n if n > 160 => Err("Le nom ne doit pas dépasser 160 caractères.".to_owned()),
            _ => Ok(Self(value)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_only_url_safe_identifiers() {
        assert!(Slug::parse("thur-doller").is_ok());
        for bad in ["", "Thur", "thur doller", "-x", "x-", "é-x"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_are_trimmed_and_required() {
        assert_eq!(
            CptsName::parse("  CPTS   Ouest  Lozère ").unwrap().as_str(),
            "CPTS Ouest Lozère"
        );
        assert!(CptsName::parse("   ").is_err());
    }
}
