//! Where a request and a slot stand, and how a request came in, as they are stored; the
//! other codes of a request (reason, urgency, caller…) and of a slot (mode, visibility)
//! decode from their columns too.

use super::booking::BookingStatus;
use super::reasons::Reason;
use super::request::{Caller, Mobility, OwnGp, Urgency};
use super::slot_kinds::{Mode, Visibility};

crate::coded_enum! {
    /// Where a request stands.
    pub enum RequestStatus: "request status" {
        /// Still to orient.
        Open = "open",
        /// An appointment holds it.
        Booked = "booked",
        Closed = "closed",
    }
}

impl RequestStatus {
    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Open => "À orienter",
            RequestStatus::Booked => "Rendez-vous pris",
            RequestStatus::Closed => "Clôturée",
        }
    }
}

crate::coded_enum! {
    /// Who recorded a request, or through what.
    pub enum RequestChannel: "request channel" {
        Coordinator = "coordinator",
        Regulator = "regulator",
        Api = "api",
        /// A regulator sent by the SAS platform to one of the CPTS's slots.
        Sas = "sas",
    }
}

crate::coded_enum! {
    /// Where a slot stands.
    pub enum SlotStatus: "slot status" {
        Free = "free",
        Booked = "booked",
        /// Out of the offer (its rule no longer gives it) but kept, as it was booked once.
        Withdrawn = "withdrawn",
    }
}

impl SlotStatus {
    pub fn label(self) -> &'static str {
        match self {
            SlotStatus::Free => "Libre",
            SlotStatus::Booked => "Réservé",
            SlotStatus::Withdrawn => "Retiré",
        }
    }
}

crate::stored_codes!(
    BookingStatus => "booking status",
    Reason => "request reason",
    Urgency => "urgency",
    Caller => "caller",
    Mobility => "mobility",
    OwnGp => "own GP",
    Mode => "slot mode",
    Visibility => "slot visibility",
);
