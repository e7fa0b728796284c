//! Time-based one-time passwords (RFC 6238, 6 digits, 30-second steps), with replay refusal.

use totp_rs::{Algorithm, TOTP};

const STEP_SECONDS: u64 = 30;
const ISSUER: &str = "maillage";

fn totp(secret: &[u8], account: &str) -> TOTP {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS,
        secret.to_vec(),
        Some(ISSUER.to_owned()),
        account.replace(':', ""),
    )
}

/// The `otpauth://` URL an authenticator application reads from the QR code.
pub fn provisioning_url(secret: &[u8], account: &str) -> String {
    totp(secret, account).get_url()
}

/// The secret as base32, for typing it by hand into an application.
pub fn secret_base32(secret: &[u8]) -> String {
    totp(secret, "x").get_secret_base32()
}

/// The code valid at `unix_time` (used by tests and by nothing else).
pub fn code_at(secret: &[u8], unix_time: u64) -> String {
    totp(secret, "x").generate(unix_time)
}

/// Checks `code` at `unix_time`, allowing one step of clock drift either way.
/// Returns the time step that matched, refusing any step at or before `last_used_step`
/// so that a code cannot be used twice.
pub fn verify(
    secret: &[u8],
    code: &str,
    unix_time: u64,
    last_used_step: Option<u64>,
) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let generator = totp(secret, "x");
    let current = unix_time / STEP_SECONDS;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .filter(|step| last_used_step.is_none_or(|last| *step > last))
        .find(|step| generator.check(&code, step * STEP_SECONDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890": 94287082 at T=59 (8 digits),
    // so the 6-digit code is its last six digits.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn matches_the_rfc_6238_reference_value() {
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109), "081804");
    }

    #[test]
    fn accepts_one_step_of_drift_and_refuses_replay() {
        let now = 1_111_111_109;
        let step = verify(RFC_SECRET, "081804", now, None).expect("current code");
        assert_eq!(step, now / 30);
        assert_eq!(verify(RFC_SECRET, "081 804", now + 30, None), Some(step));
        assert_eq!(verify(RFC_SECRET, "081804", now, Some(step)), None);
        assert_eq!(verify(RFC_SECRET, "081804", now + 120, None), None);
        assert_eq!(verify(RFC_SECRET, "12ab56", now, None), None);
    }

    #[test]
    fn provisioning_url_names_issuer_and_account() {
        let url = provisioning_url(RFC_SECRET, "marie@exemple.fr");
        assert!(
            url.starts_with("otpauth://totp/maillage:marie%40exemple.fr?"),
            "{url}"
        );
        assert!(url.contains("issuer=maillage"));
    }
}
