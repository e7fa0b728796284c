//! The time zone people's dates and times are read and shown in: Europe/Paris, from the
//! time-zone database built into the binary.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};

/// Europe/Paris.
pub fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").expect("the bundled time-zone database has Europe/Paris")
}

/// The instant a wall-clock time of Paris designates: `None` in the hour skipped in spring,
/// the first of the two in the hour repeated in autumn.
pub fn paris_instant(at: DateTime) -> Option<Timestamp> {
    let ambiguous = paris().to_ambiguous_timestamp(at);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { .. } => None,
        AmbiguousOffset::Unambiguous { .. } | AmbiguousOffset::Fold { .. } => {
            ambiguous.earlier().ok()
        }
    }
}
