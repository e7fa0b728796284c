//! The official code lists (ANS "NOS" nomenclatures) shipped in `data/nomenclatures/`:
//! professions (TRE_G15), ordinal specialties (TRE_R38), sectors of activity (TRE_R02),
//! modes of practice (TRE_R23), kinds of activity (TRE_R22). Lookups by code.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One code list: code → official label.
pub struct CodeList(BTreeMap<&'static str, String>);

impl CodeList {
    /// Reads a shipped `code,libelle` file (labels may be double-quoted, with `""` inside).
    fn parse(text: &'static str) -> Self {
        let entries = text
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(','))
            .map(|(code, label)| {
                let label = match label.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
                    Some(quoted) => quoted.replace("\"\"", "\""),
                    None => label.to_owned(),
                };
                (code, label)
            })
            .collect();
        Self(entries)
    }

    pub fn label(&self, code: &str) -> Option<&str> {
        self.0.get(code).map(String::as_str)
    }

    pub fn contains(&self, code: &str) -> bool {
        self.0.contains_key(code)
    }

    /// Every (code, label), in code order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(c, l)| (*c, l.as_str()))
    }
}

macro_rules! code_list {
    ($name:ident, $file:literal) => {
        pub static $name: LazyLock<CodeList> = LazyLock::new(|| {
            CodeList::parse(include_str!(concat!(
                "../../../../data/nomenclatures/",
                $file
            )))
        });
    };
}

code_list!(PROFESSIONS, "TRE_G15-ProfessionSante.csv");
code_list!(SPECIALTIES, "TRE_R38-SpecialiteOrdinale.csv");
code_list!(SECTORS, "TRE_R02-SecteurActivite.csv");
code_list!(MODES, "TRE_R23-ModeExercice.csv");
code_list!(ACTIVITY_KINDS, "TRE_R22-GenreActivite.csv");

/// Whether a mode of practice (TRE_R23) is liberal practice (`L`: « Libéral, indépendant,
/// artisan, commerçant »), as opposed to salaried or volunteer practice.
pub fn is_liberal(mode: &str) -> bool {
    mode == "L"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lists_carry_the_codes_of_the_directory() {
        assert_eq!(PROFESSIONS.label("10"), Some("Médecin"));
        assert_eq!(PROFESSIONS.label("60"), Some("Infirmier"));
        assert!(
            SPECIALTIES
                .label("SM54")
                .unwrap()
                .starts_with("Médecine générale")
        );
        assert_eq!(
            MODES.label("L"),
            Some("Libéral, indépendant, artisan, commerçant")
        );
        assert!(is_liberal("L") && !is_liberal("S") && !is_liberal(""));
        assert!(SECTORS.contains("SA07"));
        assert!(ACTIVITY_KINDS.contains("GENR01"));
        assert!(!PROFESSIONS.contains("1"));
    }
}
