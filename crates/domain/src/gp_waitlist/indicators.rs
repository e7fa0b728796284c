//! The ACI indicators of the waiting list over a period: requests received, patients who
//! found a GP through the CPTS, and the median delay between the two, in total, by priority
//! group (ALD, 70 or more, C2S, others) and by commune.

/// What the indicators read of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestOutcome {
    /// `ald`, `70+`, `c2s` or `other`.
    pub group: String,
    pub commune: String,
    pub received_at: i64,
    /// When its patient's GP was declared, if it was.
    pub found_at: Option<i64>,
    /// Merged into another request of the same person: not counted twice.
    pub merged: bool,
}

/// One line of the indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    /// Requests received in the period.
    pub received: u64,
    /// Requests whose patient found a GP in the period.
    pub found: u64,
    /// Median days from request to GP found, over those found in the period.
    pub median_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    pub total: Line,
    pub by_group: Vec<Line>,
    pub by_commune: Vec<Line>,
}

/// The indicator groups, in the order shown, with their labels.
pub const GROUPS: [(&str, &str); 4] = [
    ("ald", "ALD"),
    ("70+", "70 ans ou plus"),
    ("c2s", "C2S ou faibles revenus"),
    ("other", "Autres"),
];

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

fn line<'a>(
    label: &str,
    rows: impl Iterator<Item = &'a RequestOutcome> + Clone,
    from: i64,
    to: i64,
) -> Line {
    let within = |at: i64| (from..to).contains(&at);
    let received = rows.clone().filter(|r| within(r.received_at)).count() as u64;
    let delays: Vec<f64> = rows
        .filter_map(|r| {
            r.found_at
                .filter(|at| within(*at))
                .map(|at| (at - r.received_at) as f64 / 86_400.0)
        })
        .collect();
    Line {
        label: label.to_owned(),
        received,
        found: delays.len() as u64,
        median_days: median(delays),
    }
}

/// The indicators of the period `[from, to)` (Unix seconds).
pub fn compute(rows: &[RequestOutcome], from: i64, to: i64) -> Indicators {
    let counted: Vec<&RequestOutcome> = rows.iter().filter(|r| !r.merged).collect();
    let by_group = GROUPS
        .iter()
        .map(|(code, label)| {
            line(
                label,
                counted.iter().copied().filter(|r| r.group == *code),
                from,
                to,
            )
        })
        .collect();
    let mut communes: Vec<&str> = counted.iter().map(|r| r.commune.as_str()).collect();
    communes.sort_unstable();
    communes.dedup();
    let by_commune = communes
        .into_iter()
        .map(|commune| {
            line(
                commune,
                counted.iter().copied().filter(|r| r.commune == commune),
                from,
                to,
            )
        })
        .filter(|l| l.received > 0 || l.found > 0)
        .collect();
    Indicators {
        total: line("Total", counted.iter().copied(), from, to),
        by_group,
        by_commune,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn request(
        group: &str,
        commune: &str,
        received_day: i64,
        found_day: Option<i64>,
    ) -> RequestOutcome {
        RequestOutcome {
            group: group.into(),
            commune: commune.into(),
            received_at: received_day * DAY,
            found_at: found_day.map(|d| d * DAY),
            merged: false,
        }
    }

    #[test]
    fn a_scripted_period_gives_the_figures_worked_out_by_hand() {
        let rows = vec![
            request("ald", "Aix", 1, Some(11)),      // found after 10 days
            request("ald", "Aix", 5, Some(35)),      // 30 days
            request("70+", "Cabriès", 20, Some(24)), // 4 days
            request("other", "Aix", 25, None),
            request("c2s", "Cabriès", 40, Some(50)), // received in, found after the period
            request("other", "Aix", -10, Some(2)),   // received before, found in: 12 days
            RequestOutcome {
                merged: true,
                ..request("ald", "Aix", 3, None)
            },
        ];
        let indicators = compute(&rows, 0, 45 * DAY);
        assert_eq!(indicators.total.received, 5);
        assert_eq!(indicators.total.found, 4);
        // Delays 10, 30, 4, 12 days: the median of four is (10 + 12) / 2.
        assert_eq!(indicators.total.median_days, Some(11.0));
        let ald = &indicators.by_group[0];
        assert_eq!(
            (ald.label.as_str(), ald.received, ald.found, ald.median_days),
            ("ALD", 2, 2, Some(20.0))
        );
        let c2s = &indicators.by_group[2];
        assert_eq!((c2s.received, c2s.found, c2s.median_days), (1, 0, None));
        let communes: Vec<(&str, u64, u64)> = indicators
            .by_commune
            .iter()
            .map(|l| (l.label.as_str(), l.received, l.found))
            .collect();
        assert_eq!(communes, [("Aix", 3, 3), ("Cabriès", 2, 1)]);
    }
}
