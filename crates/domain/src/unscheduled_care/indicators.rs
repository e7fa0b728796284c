//! The indicators of unscheduled care over a period: requests received, and how many got
//! an appointment within 24 hours and within 48 hours of the call, in total, by reason and
//! by the profession of the professional who saw (or will see) the patient.

use super::reasons::Reason;

/// What the indicators read of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestOutcome {
    pub reason: String,
    pub received_at: i64,
    /// The start of its appointment (booked, honoured or missed), if it got one.
    pub appointment_at: Option<i64>,
    /// The label of the profession of that appointment's professional.
    pub profession: Option<String>,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    pub total: Line,
    pub by_reason: Vec<Line>,
    pub by_profession: Vec<Line>,
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

/// The indicators of the requests received in a period.
pub fn compute(rows: &[RequestOutcome]) -> Indicators {
    let by_reason = Reason::ALL
        .iter()
        .map(|reason| {
            let of_reason = rows.iter().filter(|r| r.reason == reason.code());
            line(reason.label(), of_reason)
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
        by_profession,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600;

    fn request(reason: &str, delay_hours: Option<i64>, profession: Option<&str>) -> RequestOutcome {
        RequestOutcome {
            reason: reason.to_owned(),
            received_at: 1_000 * HOUR,
            appointment_at: delay_hours.map(|h| 1_000 * HOUR + h * HOUR),
            profession: profession.map(str::to_owned),
        }
    }

    #[test]
    fn counts_appointments_within_24_and_48_hours_by_reason_and_profession() {
        let rows = [
            request("fever", Some(3), Some("Médecin")),
            request("fever", Some(24), Some("Médecin")),
            request("fever", Some(30), Some("Médecin")),
            request("ankle_sprain", Some(49), Some("Masseur-kinésithérapeute")),
            request("fever", None, None),
        ];
        let indicators = compute(&rows);
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
        let indicators = compute(&[]);
        assert_eq!(indicators.total.received, 0);
        assert_eq!(indicators.total.share(24), None);
        assert!(indicators.by_reason.is_empty() && indicators.by_profession.is_empty());
    }
}
