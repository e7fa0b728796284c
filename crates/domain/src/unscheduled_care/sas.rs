//! What the SAS platform is told of a booking its regulator made (flow INT_R03 of the ANS
//! guide `ans.fhir.fr.sas`): the regulator's identifier, the FHIR status of each booking
//! state, and why a booking was cancelled; and what a CPTS needs before the SAS is given
//! its slots.

use super::booking::{BookingStatus, cancel_reason_label};

/// National identifiers of health professionals (IDNPS: `8` + RPPS, `0` + ADELI).
pub const IDNPS_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.1";
/// The SAS's technical identifiers of regulators without a national one.
pub const SAS_TECHNICAL_SYSTEM: &str = "urn:oid:1.2.250.1.213.3.6";
/// The identifier types of the SAS profiles (`IDNPS`, `INTRN`).
pub const ID_TYPES_V2: &str = "http://interopsante.org/fhir/CodeSystem/fr-v2-0203";

/// A regulator as an appointment names them: identifier type, system and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// `IDNPS` (national identifier) or `INTRN` (the SAS's technical identifier).
    pub kind: &'static str,
    pub system: &'static str,
    pub value: String,
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Reads a regulator's identifier as they type it: an RPPS number (11 digits, with or
/// without its `8` prefix), an ADELI number with its `0` prefix, or the technical
/// identifier (a UUID) the SAS gave them.
pub fn parse_operator(raw: &str) -> Result<Operator, String> {
    let text: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = text.chars().all(|c| c.is_ascii_digit());
    let national = match text.len() {
        11 if digits => Some(format!("8{text}")),
        12 if digits && text.starts_with('8') => Some(text.clone()),
        10 if digits && text.starts_with('0') => Some(text.clone()),
        _ => None,
    };
    match national {
        Some(value) => Ok(Operator {
            kind: "IDNPS",
            system: IDNPS_SYSTEM,
            value,
        }),
        None if is_uuid(&text) => Ok(Operator {
            kind: "INTRN",
            system: SAS_TECHNICAL_SYSTEM,
            value: text.to_lowercase(),
        }),
        None => Err(
            "Saisissez votre numéro RPPS (11 chiffres), votre numéro ADELI précédé \
             de 0, ou l’identifiant technique que le SAS vous a donné."
                .to_owned(),
        ),
    }
}

/// What keeps the SAS from being given a CPTS's slots, from the CPTS's FINESS number as
/// stored (nine characters, see `parse_finess`): the guide's CPTS Organization
/// (`sas-cpts-organization-aggregator`, 1.2.0) requires exactly one FINESS identifier,
/// `1` then nine digits. `None` when the SAS may be answered.
pub fn sas_identity_gap(finess: &str) -> Option<&'static str> {
    if finess.is_empty() {
        Some(
            "le numéro FINESS de la CPTS n’est pas renseigné, et le SAS ne reçoit les \
             créneaux d’une CPTS qu’avec son FINESS. Un coordinateur le saisit sur la page \
             de la CPTS (Identité auprès du SAS).",
        )
    } else if !finess.bytes().all(|b| b.is_ascii_digit()) {
        Some(
            "le numéro FINESS de la CPTS commence par 2A ou 2B, et le guide du SAS \
             (version 1.2.0) n’admet qu’un FINESS de neuf chiffres : ses créneaux ne \
             peuvent pas lui être transmis sous une forme conforme.",
        )
    } else {
        None
    }
}

/// The status of the FHIR Appointment that tells the SAS of a booking in this state. A
/// booking moved to another slot is cancelled there: its replacement is an appointment of
/// its own.
pub fn appointment_status(status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Booked => "booked",
        BookingStatus::Cancelled | BookingStatus::Rescheduled => "cancelled",
        BookingStatus::NoShow => "noshow",
        BookingStatus::Seen => "fulfilled",
    }
}

/// HL7's code system of appointment cancellation reasons, the example binding of FHIR R4's
/// `Appointment.cancelationReason` (the SAS guide does not constrain the element).
pub const CANCELLATION_REASONS_SYSTEM: &str =
    "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason";

/// Why the SAS's appointment is cancelled, for a booking in `status` whose cancellation
/// reason (one of `CANCEL_REASONS`) is `reason`: HL7's code and display where one fits,
/// and always the reason in French as the concept's text. `None` for a booking that holds.
pub fn cancellation(
    status: BookingStatus,
    reason: Option<&str>,
) -> Option<(Option<(&'static str, &'static str)>, &'static str)> {
    match status {
        BookingStatus::Rescheduled => Some((None, "Rendez-vous déplacé sur un autre créneau")),
        BookingStatus::Cancelled => {
            let reason = reason.unwrap_or_default();
            let coding = match reason {
                "professional" => Some(("prov", "Provider")),
                "patient" | "elsewhere" => Some(("pat", "Patient")),
                "mistake" => Some(("oth-err", "Other: Error")),
                _ => None,
            };
            let text = match cancel_reason_label(reason) {
                "" => "Rendez-vous annulé",
                label => label,
            };
            Some((coding, text))
        }
        BookingStatus::Booked | BookingStatus::NoShow | BookingStatus::Seen => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unscheduled_care::booking::CANCEL_REASONS;

    #[test]
    fn a_cancelled_appointment_says_why_in_hl7_codes_and_in_french() {
        for (code, label) in CANCEL_REASONS {
            let (coding, text) = cancellation(BookingStatus::Cancelled, Some(code)).unwrap();
            assert!(coding.is_some(), "{code} has an HL7 code");
            assert_eq!(text, label);
        }
        assert_eq!(
            cancellation(BookingStatus::Cancelled, Some("professional")),
            Some((Some(("prov", "Provider")), "Empêchement du professionnel"))
        );
        // Cancelled before reasons were recorded: said without a code.
        assert_eq!(
            cancellation(BookingStatus::Cancelled, None),
            Some((None, "Rendez-vous annulé"))
        );
        assert_eq!(
            cancellation(BookingStatus::Rescheduled, None).map(|(coding, _)| coding),
            Some(None)
        );
        assert_eq!(cancellation(BookingStatus::Seen, None), None);
        assert_eq!(cancellation(BookingStatus::Booked, Some("patient")), None);
    }

    #[test]
    fn a_regulator_is_named_by_national_or_sas_identifier() {
        let rpps = parse_operator("1000 0000 074").unwrap();
        assert_eq!(
            (rpps.kind, rpps.system, rpps.value.as_str()),
            ("IDNPS", IDNPS_SYSTEM, "810000000074")
        );
        assert_eq!(parse_operator("810000000074").unwrap(), rpps);
        assert_eq!(parse_operator("0131234567").unwrap().value, "0131234567");
        let sas = parse_operator("B6E39355-8A61-4556-B340-36F7B95FEC6A").unwrap();
        assert_eq!(
            (sas.kind, sas.system, sas.value.as_str()),
            (
                "INTRN",
                SAS_TECHNICAL_SYSTEM,
                "b6e39355-8a61-4556-b340-36f7b95fec6a"
            )
        );
        for wrong in ["", "1234", "910000000074", "b6e39355-8a61-4556-b340", "abc"] {
            assert!(parse_operator(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_sas_is_answered_only_with_a_finess_of_nine_digits() {
        assert_eq!(sas_identity_gap("130000000"), None);
        assert!(
            sas_identity_gap("")
                .unwrap()
                .contains("n’est pas renseigné")
        );
        assert!(sas_identity_gap("2A0000000").unwrap().contains("2A ou 2B"));
    }

    #[test]
    fn each_booking_state_has_its_appointment_status() {
        let statuses: Vec<&str> = BookingStatus::ALL
            .into_iter()
            .map(appointment_status)
            .collect();
        assert_eq!(
            statuses,
            ["booked", "cancelled", "cancelled", "noshow", "fulfilled"]
        );
    }
}
