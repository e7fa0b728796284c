//! What keeps an import from wiping a register it replaces: a file that brings no
//! accepted line is refused, and so is one that would make more than a set share of what
//! is active inactive, unless the operator accepts those departures.

use maillage_domain::directory::LineError;
use std::fmt;
use std::str::FromStr;

/// The largest share, in percent, of the active entries (professionals, establishments)
/// that an import may make inactive.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct DepartureLimit(f64);

impl DepartureLimit {
    /// What an import allows unless told otherwise: a file that drops more than this is
    /// more likely cut short than a month's departures.
    pub const DEFAULT: Self = Self(5.0);
    /// Every departure accepted.
    pub const ANY: Self = Self(100.0);

    /// Whether making `leaving` of `active` entries inactive stays within the limit; if
    /// not, the French refusal, naming them `what` (« professionnels »).
    pub fn check(self, leaving: i64, active: i64, what: &str) -> Result<(), String> {
        if (leaving as f64) * 100.0 <= self.0 * active as f64 {
            return Ok(());
        }
        let share = leaving as f64 * 100.0 / active as f64;
        Err(format!(
            "cet import rendrait inactifs {leaving} des {active} {what} actifs ({}), plus que les {} admis : rien n’a été écrit. \
             Vérifiez que le fichier est complet (un téléchargement interrompu en perd la fin) ; si ces départs sont attendus, \
             relancez avec --accept-departures, ou avec --max-departures {}.",
            percent(share),
            percent(self.0),
            Self(share.ceil()),
        ))
    }
}

/// A percentage with at most one decimal, a comma before it: `5`, `2,5`.
fn french_number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}").replace('.', ",")
    }
}

/// A share as French prose writes it: `5 %`, `2,5 %`.
fn percent(value: f64) -> String {
    format!("{} %", french_number(value))
}

impl fmt::Display for DepartureLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", french_number(self.0))
    }
}

impl FromStr for DepartureLimit {
    type Err = String;

    /// `5%`, `5 %`, `2,5%`, `0.5` (percent, the sign optional), from 0 to 100.
    fn from_str(raw: &str) -> Result<Self, String> {
        let number = raw.trim().trim_end_matches('%').trim().replace(',', ".");
        match number.parse::<f64>() {
            Ok(value) if (0.0..=100.0).contains(&value) => Ok(Self(value)),
            _ => Err(format!(
                "« {raw} » : indiquez un pourcentage entre 0 et 100, par exemple 5%."
            )),
        }
    }
}

/// The refusal `reason`, followed by the first refused lines.
pub fn refusal(reason: &str, errors: &[LineError]) -> String {
    let mut message = reason.to_owned();
    for error in errors {
        message.push('\n');
        message.push_str(&error.to_string());
    }
    message
}

/// Why a file with more than `max_errors` refused lines is refused whole.
pub fn too_many_refused(max_errors: i64) -> String {
    format!("plus de {max_errors} lignes refusées : import abandonné, rien n’a été écrit.")
}

/// Why a file none of whose `lines_read` data lines is applied is refused.
pub fn nothing_accepted(lines_read: i64) -> String {
    if lines_read == 0 {
        "le fichier n’a aucune ligne de données après son en-tête (un téléchargement interrompu ressemble à cela) : rien n’a été écrit.".to_owned()
    } else {
        format!("aucune des {lines_read} lignes de données n’a été acceptée : rien n’a été écrit.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_read_as_the_operator_writes_it() {
        assert_eq!("5%".parse(), Ok(DepartureLimit(5.0)));
        assert_eq!(" 2,5 % ".parse(), Ok(DepartureLimit(2.5)));
        assert_eq!("0.5".parse(), Ok(DepartureLimit(0.5)));
        assert!("120%".parse::<DepartureLimit>().is_err());
        assert!("cinq".parse::<DepartureLimit>().is_err());
        assert_eq!(DepartureLimit(2.5).to_string(), "2,5%");
        assert_eq!(DepartureLimit::DEFAULT.to_string(), "5%");
    }

    #[test]
    fn departures_beyond_the_limit_are_refused_with_their_count() {
        assert!(
            DepartureLimit::DEFAULT
                .check(5, 100, "professionnels")
                .is_ok()
        );
        let refused = DepartureLimit::DEFAULT
            .check(6, 100, "professionnels")
            .unwrap_err();
        assert!(
            refused
                .contains("inactifs 6 des 100 professionnels actifs (6 %), plus que les 5 % admis"),
            "{refused}"
        );
        assert!(refused.contains("--max-departures 6%"), "{refused}");
        assert!(
            DepartureLimit::ANY
                .check(100, 100, "professionnels")
                .is_ok()
        );
        assert!(
            DepartureLimit::DEFAULT
                .check(0, 0, "professionnels")
                .is_ok()
        );
    }
}
