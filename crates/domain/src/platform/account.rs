//! Accounts: e-mail addresses, display names, password policy and roles.

use crate::common::civil_date::CivilDate;
use crate::common::paris_time::paris_instant;
use crate::common::text;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalised (trimmed, lower-case) e-mail address, without the invisible characters a
/// name refuses (accounts are told apart by it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        text::check(raw, text::Kind::Name, "adresse e-mail")?;
        let value = raw.trim().to_lowercase();
        let bad = || Err("Adresse e-mail invalide (exemple : nom@domaine.fr).".to_owned());
        if value.is_empty() {
            return Err("L’adresse e-mail est obligatoire.".to_owned());
        }
        if value.len() > 254 || value.chars().any(char::is_whitespace) {
            return bad();
        }
        let Some((local, domain)) = value.split_once('@') else {
            return bad();
        };
        if local.is_empty() || domain.contains('@') || !domain.contains('.') {
            return bad();
        }
        if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
            return bad();
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown for a person in the interface: a name's characters (`text::name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = text::name(raw, "nom")?;
        if value.is_empty() {
            return Err("Le nom est obligatoire.".to_owned());
        }
        if value.chars().count() > 120 {
            return Err("Le nom ne doit pas dépasser 120 caractères.".to_owned());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that satisfies the policy (length, not the e-mail address).
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;

    pub fn parse(raw: &str, email: Option<&Email>) -> Result<Self, String> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(format!(
                "Le mot de passe doit contenir au moins {} caractères.",
                Self::MIN_CHARS
            ));
        }
        if chars > 256 {
            return Err("Le mot de passe ne doit pas dépasser 256 caractères.".to_owned());
        }
        if email.is_some_and(|e| raw.trim().eq_ignore_ascii_case(e.as_str())) {
            return Err("Le mot de passe ne peut pas être l’adresse e-mail.".to_owned());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

crate::stored_codes!(Role => "role");

/// What a user may do. Administrators serve the host; the other roles belong to one CPTS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Member,
    Regulator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Coordinator,
        Role::Member,
        Role::Regulator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Member => "member",
            Role::Regulator => "regulator",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw).ok_or_else(|| "Rôle inconnu.".to_owned())
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Admin => "Administrateur",
            Role::Coordinator => "Coordination",
            Role::Member => "Professionnel membre",
            Role::Regulator => "Régulation SAS",
        }
    }

    /// Roles whose accounts must use two-factor authentication.
    pub fn requires_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator)
    }

    /// Every role except the host administrator belongs to a CPTS.
    pub fn belongs_to_cpts(self) -> bool {
        self != Role::Admin
    }
}

/// When a personal API token stops working: at the end of the day `raw` names
/// (`AAAA-MM-JJ` as a date field sends it, or `JJ/MM/AAAA`) in Paris, as Unix seconds; never
/// when `raw` is empty. The day must come after `today`.
pub fn token_expiry(raw: &str, today: CivilDate) -> Result<Option<i64>, String> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let day = CivilDate::parse(raw)
        .ok_or_else(|| "Date d’expiration illisible (exemple : 30/06/2027).".to_owned())?;
    if day <= today {
        return Err("Choisissez une date d’expiration après aujourd’hui.".to_owned());
    }
    let next_midnight = jiff::civil::date(day.year, day.month, day.day)
        .tomorrow()
        .ok()
        .and_then(|next| paris_instant(next.at(0, 0, 0, 0)))
        .ok_or_else(|| "Date d’expiration hors des dates possibles.".to_owned())?;
    Ok(Some(next_midnight.as_second()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Marie.Curie@Exemple.FR ").unwrap().as_str(),
            "marie.curie@exemple.fr"
        );
        for bad in [
            "",
            "marie",
            "marie@",
            "@exemple.fr",
            "a@b",
            "a b@c.fr",
            "a@.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn password_policy_is_explained_in_french() {
        let email = Email::parse("a@b.fr").unwrap();
        assert!(
            Password::parse("court", None)
                .unwrap_err()
                .contains("12 caractères")
        );
        assert!(Password::parse("une phrase assez longue", Some(&email)).is_ok());
        assert!(Password::parse("a@b.fr      ", Some(&email)).is_err());
    }

    #[test]
    fn roles_round_trip_and_second_factor_rule() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::Admin.requires_second_factor());
        assert!(Role::Coordinator.requires_second_factor());
        assert!(!Role::Member.requires_second_factor());
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn a_token_expires_at_the_end_of_its_day_in_paris() {
        let today = CivilDate::parse("2026-12-07").unwrap();
        assert_eq!(token_expiry(" ", today), Ok(None));
        // 1 January 2027 00:00 in Paris (UTC+1) is 31 December 2026 23:00 UTC.
        assert_eq!(token_expiry("2026-12-31", today), Ok(Some(1_798_758_000)));
        assert_eq!(token_expiry("31/12/2026", today), Ok(Some(1_798_758_000)));
        // 1 July 2027 00:00 in Paris (UTC+2) is 30 June 2027 22:00 UTC.
        assert_eq!(token_expiry("2027-06-30", today), Ok(Some(1_814_392_800)));
        assert!(
            token_expiry("2026-12-07", today)
                .unwrap_err()
                .contains("après aujourd’hui")
        );
        assert!(token_expiry("2026-12-06", today).is_err());
        assert!(
            token_expiry("demain", today)
                .unwrap_err()
                .contains("illisible")
        );
    }
}
