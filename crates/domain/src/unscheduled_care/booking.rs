//! What becomes of a booking: booked, then cancelled (or moved to another slot) before it
//! starts, or once it has started, honoured with its outcome or recorded as a no-show.

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingStatus {
    Booked,
    Cancelled,
    /// Moved to another slot: a new booking replaced it.
    Rescheduled,
    NoShow,
    /// The patient was seen; the outcome says what followed.
    Seen,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 5] = [
        BookingStatus::Booked,
        BookingStatus::Cancelled,
        BookingStatus::Rescheduled,
        BookingStatus::NoShow,
        BookingStatus::Seen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::Rescheduled => "rescheduled",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Seen => "seen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Booked => "Réservé",
            BookingStatus::Cancelled => "Annulé",
            BookingStatus::Rescheduled => "Déplacé",
            BookingStatus::NoShow => "Patient absent",
            BookingStatus::Seen => "Patient vu",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a booking in this state may become `next` at `now`, its slot starting at
    /// `start` (Unix seconds); else why not, in French.
    pub fn may_become(self, next: BookingStatus, now: i64, start: i64) -> Result<(), String> {
        use BookingStatus::{Booked, Cancelled, NoShow, Rescheduled, Seen};
        match (self, next) {
            (Booked, Cancelled | Rescheduled) if now < start => Ok(()),
            (Booked, Cancelled | Rescheduled) => {
                Err("Le rendez-vous a commencé : notez plutôt sa suite.".to_owned())
            }
            (Booked, NoShow | Seen) if now >= start => Ok(()),
            (Booked, NoShow | Seen) => Err("Le rendez-vous n’a pas encore eu lieu.".to_owned()),
            _ => Err(format!(
                "Ce rendez-vous est déjà « {} ».",
                self.label().to_lowercase()
            )),
        }
    }
}

/// What followed a consultation: (code, label).
pub const OUTCOMES: [(&str, &str); 4] = [
    ("treated", "Pris en charge, sans suite particulière"),
    ("follow_up", "Suivi prévu (médecin traitant, spécialiste)"),
    ("emergency", "Orienté vers les urgences"),
    ("hospitalised", "Hospitalisé"),
];

/// Why a booking was cancelled: (code, label). The professional's own impediment comes
/// first, as it is what they mostly cancel for.
pub const CANCEL_REASONS: [(&str, &str); 4] = [
    ("professional", "Empêchement du professionnel"),
    ("patient", "À la demande du patient"),
    ("elsewhere", "Patient pris en charge ailleurs"),
    ("mistake", "Erreur de réservation"),
];

/// How a code of `list` is shown: its label, or nothing for an unknown code.
pub(super) fn label_in(list: &[(&'static str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, label)| label)
}

/// The code of `list` that `raw` names, else `missing`.
pub(super) fn parse_in(
    list: &[(&'static str, &'static str)],
    raw: &str,
    missing: &str,
) -> Result<&'static str, String> {
    list.iter()
        .find(|(code, _)| *code == raw.trim())
        .map(|(code, _)| *code)
        .ok_or_else(|| missing.to_owned())
}

/// How an outcome code is shown: its label, or nothing for an unknown code.
pub fn outcome_label(code: &str) -> &'static str {
    label_in(&OUTCOMES, code)
}

/// Checks an outcome code.
pub fn parse_outcome(raw: &str) -> Result<&'static str, String> {
    parse_in(&OUTCOMES, raw, "Choisissez la suite donnée.")
}

/// How a cancellation reason is shown: its label, or nothing for an unknown code.
pub fn cancel_reason_label(code: &str) -> &'static str {
    label_in(&CANCEL_REASONS, code)
}

/// Checks a cancellation reason.
pub fn parse_cancel_reason(raw: &str) -> Result<&'static str, String> {
    parse_in(
        &CANCEL_REASONS,
        raw,
        "Choisissez pourquoi le rendez-vous est annulé.",
    )
}
