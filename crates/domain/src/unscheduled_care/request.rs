//! An unscheduled-care request as a coordinator or a regulator records it: who calls, why
//! and how soon the patient needs to be seen, where they are and whether they can travel,
//! whether their own GP was tried, and the minimum that identifies the patient and lets the
//! professional call them back.

use super::reasons::Reason;
use crate::FieldErrors;
use crate::common::civil_date::CivilDate;
use crate::common::validation::{parse_birth_date, parse_person_name, parse_phone, parse_sex};
use jiff::{Span, Timestamp};

/// Why a request is closed without a booking: (code, label).
pub const CLOSE_REASONS: [(&str, &str); 5] = [
    ("own_gp", "Vu par son médecin traitant finalement"),
    ("elsewhere", "Pris en charge ailleurs"),
    ("emergency", "Orienté vers les urgences ou le 15"),
    ("no_slot", "Aucun créneau trouvé à temps"),
    ("withdrawn", "Le patient n’a plus besoin de consulter"),
];

/// How a closing reason is shown: its label, or nothing for an unknown code.
pub fn close_reason_label(code: &str) -> &'static str {
    super::booking::label_in(&CLOSE_REASONS, code)
}

/// Checks a closing reason.
pub fn parse_close_reason(raw: &str) -> Result<&'static str, String> {
    super::booking::parse_in(
        &CLOSE_REASONS,
        raw,
        "Choisissez pourquoi la demande est close.",
    )
}

/// How soon the patient needs to be seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Before the end of the day (in Paris).
    Today,
    Within24h,
    Within48h,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Today, Urgency::Within24h, Urgency::Within48h];

    pub fn code(self) -> &'static str {
        match self {
            Urgency::Today => "today",
            Urgency::Within24h => "24h",
            Urgency::Within48h => "48h",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Today => "Dans la journée",
            Urgency::Within24h => "Sous 24 h",
            Urgency::Within48h => "Sous 48 h",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw).ok_or_else(|| {
            "Choisissez le délai : dans la journée, sous 24 h ou sous 48 h.".to_owned()
        })
    }

    /// The latest start of a slot that answers a request received at `received`.
    pub fn deadline(self, received: Timestamp) -> Timestamp {
        let hours = match self {
            Urgency::Today => {
                let paris = received.to_zoned(crate::common::paris_time::paris());
                let midnight = paris
                    .date()
                    .tomorrow()
                    .ok()
                    .and_then(|day| day.to_zoned(crate::common::paris_time::paris()).ok());
                return midnight.map_or(received, |m| m.timestamp());
            }
            Urgency::Within24h => 24,
            Urgency::Within48h => 48,
        };
        received
            .checked_add(Span::new().hours(hours))
            .unwrap_or(received)
    }
}

/// Whether the patient can travel to a practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mobility {
    Mobile,
    /// Needs a home visit or a teleconsultation.
    Housebound,
}

impl Mobility {
    pub fn code(self) -> &'static str {
        match self {
            Mobility::Mobile => "mobile",
            Mobility::Housebound => "housebound",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Mobility::Mobile, Mobility::Housebound]
            .into_iter()
            .find(|m| m.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw).ok_or_else(|| "Indiquez si le patient peut se déplacer.".to_owned())
    }
}

/// Whether the patient's own GP was tried before the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnGp {
    Tried,
    NotTried,
    /// The patient has no médecin traitant.
    NoGp,
}

impl OwnGp {
    pub const ALL: [OwnGp; 3] = [OwnGp::Tried, OwnGp::NotTried, OwnGp::NoGp];

    pub fn code(self) -> &'static str {
        match self {
            OwnGp::Tried => "tried",
            OwnGp::NotTried => "not_tried",
            OwnGp::NoGp => "no_gp",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OwnGp::Tried => "Médecin traitant sollicité, indisponible",
            OwnGp::NotTried => "Médecin traitant non sollicité",
            OwnGp::NoGp => "Sans médecin traitant",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw)
            .ok_or_else(|| "Indiquez si le médecin traitant a été sollicité.".to_owned())
    }
}

/// Who calls the desk for the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// The patient, or someone close to them.
    Patient,
    /// The SAS or the centre 15.
    Regulation,
    Pharmacist,
    /// Another health professional: a nurse, a physiotherapist, a doctor.
    Professional,
    /// A nursing home, a school, an employer.
    Institution,
    /// Not said: a request received through the API without it.
    Unspecified,
}

impl Caller {
    /// The callers the desk chooses among.
    pub const OFFERED: [Caller; 5] = [
        Caller::Patient,
        Caller::Regulation,
        Caller::Pharmacist,
        Caller::Professional,
        Caller::Institution,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Caller::Patient => "patient",
            Caller::Regulation => "regulation",
            Caller::Pharmacist => "pharmacist",
            Caller::Professional => "professional",
            Caller::Institution => "institution",
            Caller::Unspecified => "unspecified",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Caller::Patient => "Le patient ou un proche",
            Caller::Regulation => "La régulation (SAS, centre 15)",
            Caller::Pharmacist => "Un pharmacien",
            Caller::Professional => "Un autre professionnel de santé",
            Caller::Institution => "Un établissement (Ehpad, école, employeur…)",
            Caller::Unspecified => "Non précisé",
        }
    }

    /// Every caller: those offered, then « not said ».
    pub const ALL: [Caller; 6] = [
        Caller::Patient,
        Caller::Regulation,
        Caller::Pharmacist,
        Caller::Professional,
        Caller::Institution,
        Caller::Unspecified,
    ];

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw).ok_or_else(|| "Indiquez qui appelle.".to_owned())
    }
}

/// A request as typed.
#[derive(Debug, Clone, Default)]
pub struct SnpRequestFields {
    pub caller: String,
    pub reason: String,
    pub detail: String,
    pub urgency: String,
    pub commune: String,
    pub mobility: String,
    pub own_gp: String,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub sex: String,
    pub phone: String,
}

/// The detail of a request's reason, spaces tidied: 200 characters at most.
fn parse_detail(raw: &str) -> Result<String, String> {
    short_text(
        raw,
        "précision",
        "200 caractères au plus : le motif, pas le dossier médical.",
    )
}

/// A short free text, one line (`label` names it) of 200 characters at most, else
/// `too_long`.
pub(super) fn short_text(raw: &str, label: &str, too_long: &str) -> Result<String, String> {
    let text = crate::common::text::line(raw, label)?;
    if text.chars().count() > 200 {
        Err(too_long.to_owned())
    } else {
        Ok(text)
    }
}

/// What the desk corrects of a request once recorded: the phone to call the patient back
/// on, and the detail of the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub phone: String,
    pub detail: String,
}

impl Correction {
    pub fn parse(phone: &str, detail: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let phone = errors.take("phone", parse_phone(phone));
        let detail = errors.take("detail", parse_detail(detail));
        match (phone, detail) {
            (Some(phone), Some(detail)) => Ok(Self { phone, detail }),
            _ => Err(errors),
        }
    }
}

/// A checked request, the commune still to be found by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnpRequest {
    pub caller: Caller,
    pub reason: Reason,
    pub detail: String,
    pub urgency: Urgency,
    pub mobility: Mobility,
    pub own_gp: OwnGp,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: CivilDate,
    pub sex: &'static str,
    pub phone: String,
}

impl SnpRequest {
    /// Checks every field but the commune; `today` bounds the birth date.
    pub fn parse(fields: &SnpRequestFields, today: CivilDate) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let caller = errors.take("caller", Caller::parse(&fields.caller));
        let reason = errors.take("reason", Reason::parse(&fields.reason));
        let detail = errors
            .take("detail", parse_detail(&fields.detail))
            .unwrap_or_default();
        let urgency = errors.take("urgency", Urgency::parse(&fields.urgency));
        let mobility = errors.take("mobility", Mobility::parse(&fields.mobility));
        let own_gp = errors.take("own_gp", OwnGp::parse(&fields.own_gp));
        let last_name = parse_person_name(&fields.last_name, "last_name", "nom", &mut errors, true);
        let first_name = parse_person_name(
            &fields.first_name,
            "first_name",
            "prénom",
            &mut errors,
            true,
        );
        let birth_date = errors.take("birth_date", parse_birth_date(&fields.birth_date, today));
        let sex = errors.take("sex", parse_sex(&fields.sex));
        let phone = errors.take("phone", parse_phone(&fields.phone));
        match (
            caller, reason, urgency, mobility, own_gp, birth_date, sex, phone,
        ) {
            (
                Some(caller),
                Some(reason),
                Some(urgency),
                Some(mobility),
                Some(own_gp),
                Some(birth_date),
                Some(sex),
                Some(phone),
            ) if errors.is_empty() => Ok(Self {
                caller,
                reason,
                detail,
                urgency,
                mobility,
                own_gp,
                last_name: last_name.to_uppercase(),
                first_name,
                birth_date,
                sex,
                phone,
            }),
            _ => Err(errors),
        }
    }
}
