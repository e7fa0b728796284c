//! The indicators of unscheduled care over a period: requests received, and how many got
//! an appointment within 24 hours and within 48 hours of the call, in total, by reason, by
//! who called and by the profession of the professional who saw (or will see) the patient;
//! and what became of those requests and of their appointments (seen, missed, cancelled
//! and why).

use super::booking::{BookingStatus, CANCEL_REASONS, cancel_reason_label};
use super::reasons::Reason;
use super::request::{CLOSE_REASONS, Caller, close_reason_label};
use super::states::RequestStatus;

/// What the indicators read of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestOutcome {
    /// Who called for the patient.
    pub caller: Caller,
    pub reason: Reason,
    pub received_at: i64,
    /// The start of its appointment (booked, honoured or missed), if it got one.
    pub appointment_at: Option<i64>,
    /// The label of the profession of that appointment's professional.
    pub profession: Option<String>,
    /// Where it stands, and why it was closed.
    pub status: RequestStatus,
    pub close_reason: Option<String>,
}

/// What the indicators read of one booking made for a request of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingOutcome {
    pub status: BookingStatus,
    pub cancel_reason: Option<String>,
}

/// One line of the indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub received: u64,
    /// Requests whose appointment starts within 24 hours of the call.
    pub within_24h: u64,
    pub within_48h: u64,
}

impl Line {
    /// The share of requests received given a slot within `hours`, in percent.
    pub fn share(&self, hours: u32) -> Option<f64> {
        let within = if hours <= 24 {
            self.within_24h
        } else {
            self.within_48h
        };
        (self.received > 0).then(|| 100.0 * within as f64 / self.received as f64)
    }
}

/// A number of requests or appointments, with what they have in common.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub label: String,
    pub count: u64,
}

/// Where the period's requests stand, and what became of their appointments.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    /// The requests: with an appointment, still to orient, closed (one line per reason).
    pub requests: Vec<Count>,
    /// Their appointments: patient seen, patient absent, to come, moved, cancelled (one
    /// line per reason).
    pub appointments: Vec<Count>,
    /// Among the appointments that took place, the share the patient missed, in percent.
    pub no_show_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    pub total: Line,
    pub by_reason: Vec<Line>,
    pub by_caller: Vec<Line>,
    pub by_profession: Vec<Line>,
    pub follow_up: FollowUp,
}

/// The label of the requests that got no appointment, in the lines by profession.
pub const WITHOUT_APPOINTMENT: &str = "Sans rendez-vous";

fn line<'a>(label: &str, rows: impl Iterator<Item = &'a RequestOutcome>) -> Line {
    let mut line = Line {
        label: label.to_owned(),
        received: 0,
        within_24h: 0,
        within_48h: 0,
    };
    for row in rows {
        line.received += 1;
        if let Some(delay) = row.appointment_at.map(|at| at - row.received_at) {
            line.within_24h += u64::from(delay <= 24 * 3_600);
            line.within_48h += u64::from(delay <= 48 * 3_600);
        }
    }
    line
}

/// Counts `items` under the labels `label_of` gives: first the `always` labels, even at
/// zero, then those of `in_order` that count something, then any other label met.
fn counts<T>(
    items: &[T],
    always: &[&str],
    in_order: &[String],
    label_of: impl Fn(&T) -> String,
) -> Vec<Count> {
    let labels = always
        .iter()
        .copied()
        .chain(in_order.iter().map(String::as_str));
    let mut counts: Vec<Count> = labels
        .map(|label| Count {
            label: label.to_owned(),
            count: 0,
        })
        .collect();
    for item in items {
        let label = label_of(item);
        match counts.iter_mut().find(|c| c.label == label) {
            Some(count) => count.count += 1,
            None => counts.push(Count { label, count: 1 }),
        }
    }
    let mut index = 0;
    counts.retain(|c| {
        index += 1;
        index <= always.len() || c.count > 0
    });
    counts
}

/// `label : reason` for each reason of `reasons`, in their order.
fn with_reasons(label: &str, reasons: &[(&str, &str)]) -> Vec<String> {
    reasons
        .iter()
        .map(|(_, reason)| with_reason(label, reason))
        .collect()
}

/// A label followed by a reason, when there is one: « Clôturée : Pris en charge ailleurs ».
fn with_reason(label: &str, reason: &str) -> String {
    if reason.is_empty() {
        label.to_owned()
    } else {
        format!("{label} : {reason}")
    }
}

const APPOINTMENT_TO_COME: &str = "À venir";

fn follow_up(rows: &[RequestOutcome], bookings: &[BookingOutcome]) -> FollowUp {
    let closed = RequestStatus::Closed.label();
    let closings = with_reasons(closed, &CLOSE_REASONS);
    let requests = counts(
        rows,
        &[RequestStatus::Booked.label(), RequestStatus::Open.label()],
        &closings,
        |r| match r.status {
            RequestStatus::Closed => with_reason(
                closed,
                close_reason_label(r.close_reason.as_deref().unwrap_or_default()),
            ),
            status => status.label().to_owned(),
        },
    );
    let cancelled = BookingStatus::Cancelled.label();
    let always = [
        BookingStatus::Seen.label(),
        BookingStatus::NoShow.label(),
        APPOINTMENT_TO_COME,
        BookingStatus::Rescheduled.label(),
    ];
    let cancellations = with_reasons(cancelled, &CANCEL_REASONS);
    let appointments = counts(bookings, &always, &cancellations, |b| match b.status {
        BookingStatus::Booked => APPOINTMENT_TO_COME.to_owned(),
        BookingStatus::Cancelled => with_reason(
            cancelled,
            cancel_reason_label(b.cancel_reason.as_deref().unwrap_or_default()),
        ),
        status => status.label().to_owned(),
    });
    let count =
        |status: BookingStatus| bookings.iter().filter(|b| b.status == status).count() as u64;
    let (seen, absent) = (count(BookingStatus::Seen), count(BookingStatus::NoShow));
    FollowUp {
        no_show_share: (seen + absent > 0).then(|| 100.0 * absent as f64 / (seen + absent) as f64),
        requests,
        appointments,
    }
}

/// The indicators of the requests received in a period, and of the bookings made for them.
pub fn compute(rows: &[RequestOutcome], bookings: &[BookingOutcome]) -> Indicators {
    let by_reason = Reason::ALL
        .iter()
        .map(|reason| {
            let of_reason = rows.iter().filter(|r| r.reason == *reason);
            line(reason.label(), of_reason)
        })
        .filter(|l| l.received > 0)
        .collect();
    let by_caller = Caller::ALL
        .into_iter()
        .map(|caller| {
            let of_caller = rows.iter().filter(|r| r.caller == caller);
            line(caller.label(), of_caller)
        })
        .filter(|l| l.received > 0)
        .collect();
    let mut professions: Vec<&str> = rows
        .iter()
        .map(|r| r.profession.as_deref().unwrap_or(WITHOUT_APPOINTMENT))
        .collect();
    professions.sort_unstable();
    professions.dedup();
    let by_profession = professions
        .into_iter()
        .map(|profession| {
            let of_profession = rows
                .iter()
                .filter(|r| r.profession.as_deref().unwrap_or(WITHOUT_APPOINTMENT) == profession);
            line(profession, of_profession)
        })
        .collect();
    Indicators {
        total: line("Toutes les demandes", rows.iter()),
        by_reason,
        by_caller,
        by_profession,
        follow_up: follow_up(rows, bookings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600;

    fn request(reason: &str, delay_hours: Option<i64>, profession: Option<&str>) -> RequestOutcome {
        RequestOutcome {
            caller: Caller::Pharmacist,
            reason: Reason::from_code(reason).unwrap(),
            received_at: 1_000 * HOUR,
            appointment_at: delay_hours.map(|h| 1_000 * HOUR + h * HOUR),
            profession: profession.map(str::to_owned),
            status: if delay_hours.is_some() {
                RequestStatus::Booked
            } else {
                RequestStatus::Open
            },
            close_reason: None,
        }
    }

    fn closed(reason: &str) -> RequestOutcome {
        RequestOutcome {
            status: RequestStatus::Closed,
            close_reason: Some(reason.to_owned()),
            ..request("fever", None, None)
        }
    }

    fn booking(status: &str, cancel_reason: Option<&str>) -> BookingOutcome {
        BookingOutcome {
            status: BookingStatus::from_code(status).unwrap(),
            cancel_reason: cancel_reason.map(str::to_owned),
        }
    }

    fn figures(counts: &[Count]) -> Vec<(&str, u64)> {
        counts.iter().map(|c| (c.label.as_str(), c.count)).collect()
    }

    #[test]
    fn follows_requests_and_appointments_with_their_reasons() {
        let rows = [
            request("fever", Some(3), Some("Médecin")),
            request("fever", None, None),
            closed("no_slot"),
            closed("elsewhere"),
            closed("no_slot"),
        ];
        let bookings = [
            booking("seen", None),
            booking("seen", None),
            booking("seen", None),
            booking("no_show", None),
            booking("rescheduled", None),
            booking("cancelled", Some("patient")),
            booking("cancelled", Some("professional")),
            booking("cancelled", Some("patient")),
        ];
        let follow_up = compute(&rows, &bookings).follow_up;
        assert_eq!(
            figures(&follow_up.requests),
            [
                ("Rendez-vous pris", 1),
                ("À orienter", 1),
                ("Clôturée : Pris en charge ailleurs", 1),
                ("Clôturée : Aucun créneau trouvé à temps", 2),
            ],
            "reasons come in the order the desk offers them"
        );
        assert_eq!(
            figures(&follow_up.appointments),
            [
                ("Patient vu", 3),
                ("Patient absent", 1),
                ("À venir", 0),
                ("Déplacé", 1),
                ("Annulé : Empêchement du professionnel", 1),
                ("Annulé : À la demande du patient", 2),
            ]
        );
        assert_eq!(follow_up.no_show_share, Some(25.0));
    }

    #[test]
    fn counts_appointments_within_24_and_48_hours_by_reason_and_profession() {
        let rows = [
            request("fever", Some(3), Some("Médecin")),
            request("fever", Some(24), Some("Médecin")),
            request("fever", Some(30), Some("Médecin")),
            request("ankle_sprain", Some(49), Some("Masseur-kinésithérapeute")),
            RequestOutcome {
                caller: Caller::Regulation,
                ..request("fever", None, None)
            },
        ];
        let indicators = compute(&rows, &[]);
        assert_eq!(
            indicators.total,
            Line {
                label: "Toutes les demandes".into(),
                received: 5,
                within_24h: 2,
                within_48h: 3,
            }
        );
        assert_eq!(indicators.total.share(24), Some(40.0));
        assert_eq!(indicators.total.share(48), Some(60.0));
        let labels: Vec<&str> = indicators
            .by_reason
            .iter()
            .map(|l| l.label.as_str())
            .collect();
        assert_eq!(labels, ["Fièvre", "Entorse de la cheville"]);
        let callers: Vec<(&str, u64)> = indicators
            .by_caller
            .iter()
            .map(|l| (l.label.as_str(), l.received))
            .collect();
        assert_eq!(
            callers,
            [("La régulation (SAS, centre 15)", 1), ("Un pharmacien", 4)],
            "in the order the desk offers them"
        );
        assert_eq!(indicators.by_reason[0].received, 4);
        assert_eq!(
            indicators.by_reason[1].within_48h, 0,
            "49 hours is too late"
        );
        let doctors = indicators
            .by_profession
            .iter()
            .find(|l| l.label == "Médecin")
            .unwrap();
        assert_eq!(
            (doctors.received, doctors.within_24h, doctors.within_48h),
            (3, 2, 3)
        );
        let without = indicators
            .by_profession
            .iter()
            .find(|l| l.label == WITHOUT_APPOINTMENT)
            .unwrap();
        assert_eq!((without.received, without.within_48h), (1, 0));
    }

    #[test]
    fn an_empty_period_has_no_share() {
        let indicators = compute(&[], &[]);
        assert_eq!(indicators.total.received, 0);
        assert_eq!(indicators.total.share(24), None);
        assert_eq!(indicators.follow_up.no_show_share, None);
        assert!(indicators.by_reason.is_empty() && indicators.by_profession.is_empty());
        assert!(indicators.by_caller.is_empty());
    }
}
