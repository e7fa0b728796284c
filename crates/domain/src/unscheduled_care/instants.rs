//! Instants as API and FHIR clients write them: with an offset (`Z`, `+01:00`, `+0100`,
//! `+01`), or without one, then read in Paris; a bare date is midnight in Paris.

use crate::common::paris_time::paris_instant;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};

/// The offset at the end of `raw`, rewritten as `±HH:MM`, if it has one.
fn with_colon_offset(raw: &str) -> Option<String> {
    let time_at = raw.find('T')?;
    let (date_time, offset_at) = match raw[time_at..].rfind(['+', '-']) {
        Some(at) => (&raw[..time_at + at], time_at + at),
        None => return None,
    };
    let offset = &raw[offset_at + 1..];
    let sign = &raw[offset_at..=offset_at];
    let digits: String = offset.chars().filter(|c| *c != ':').collect();
    let valid = offset.chars().all(|c| c.is_ascii_digit() || c == ':');
    match digits.len() {
        2 if valid => Some(format!("{date_time}{sign}{digits}:00")),
        4 if valid => Some(format!(
            "{date_time}{sign}{}:{}",
            &digits[..2],
            &digits[2..]
        )),
        _ => None,
    }
}

/// Reads an instant; the message says what is expected.
pub fn parse_instant(raw: &str) -> Result<Timestamp, String> {
    let raw = raw.trim().replace(' ', "+");
    let message =
        || format!("« {raw} » n’est pas une date et heure comme 2027-03-15T14:00:00+01:00.");
    if raw.ends_with('Z') || raw.ends_with('z') {
        return raw.parse().map_err(|_| message());
    }
    if let Some(normalised) = with_colon_offset(&raw) {
        return normalised.parse().map_err(|_| message());
    }
    if let Ok(at) = raw.parse::<DateTime>() {
        return paris_instant(at).ok_or_else(message);
    }
    let day: Date = raw.parse().map_err(|_| message())?;
    paris_instant(day.to_datetime(jiff::civil::Time::midnight())).ok_or_else(message)
}

/// An instant as FHIR and the API give it: Paris time with its offset.
pub fn paris_rfc3339(unix_seconds: i64) -> String {
    Timestamp::from_second(unix_seconds)
        .map(|t| {
            t.to_zoned(crate::common::paris_time::paris())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_read_in_every_form_clients_send() {
        let at = |raw: &str| parse_instant(raw).map(|t| t.to_string());
        let expected = Ok("2024-06-12T14:20:00Z".to_owned());
        assert_eq!(at("2024-06-12T16:20:00.000+02:00"), expected);
        assert_eq!(at("2024-06-12T16:20:00+0200"), expected);
        assert_eq!(at("2024-06-12T16:20:00.000+02"), expected);
        assert_eq!(
            at("2024-06-12T16:20:00 02:00"),
            expected,
            "a + not encoded in a URL"
        );
        assert_eq!(at("2024-06-12T14:20:00Z"), expected);
        assert_eq!(
            at("2024-06-12T16:20:00.000"),
            expected,
            "no offset: Paris time"
        );
        assert_eq!(at("2024-06-12").map(|s| s.len()), Ok(20));
        assert_eq!(at("2024-01-12"), Ok("2024-01-11T23:00:00Z".to_owned()));
        assert!(parse_instant("demain").is_err());
        assert!(parse_instant("2024-06-12T16:20:00+2").is_err());
        assert_eq!(paris_rfc3339(1_718_202_000), "2024-06-12T16:20:00+02:00");
    }
}
