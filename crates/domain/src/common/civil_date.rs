//! A calendar date as people write it (birth dates, last days, periods): read from a date
//! field or typed by hand, shown the French way.

/// A calendar date, as patients' birth dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CivilDate {
    pub year: i16,
    pub month: i8,
    pub day: i8,
}

impl CivilDate {
    /// Reads `AAAA-MM-JJ` (a date field) or `JJ/MM/AAAA` (typed by hand).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (year, month, day) = match (raw.split('-').collect::<Vec<_>>(), raw.split('/')) {
            (parts, _) if parts.len() == 3 => (parts[0], parts[1], parts[2]),
            (_, parts) => {
                let parts: Vec<_> = parts.collect();
                if parts.len() != 3 {
                    return None;
                }
                (parts[2], parts[1], parts[0])
            }
        };
        if year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
            return None;
        }
        let date = Self {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0);
        let days_in_month = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month).contains(&date.day).then_some(date)
    }

    /// `AAAA-MM-JJ`, as stored.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `JJ/MM/AAAA`, as shown.
    pub fn french(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// `JJ/MM/AAAA` of a date stored `AAAA-MM-JJ`; empty when there is none.
    pub fn french_of(stored: Option<&str>) -> String {
        stored
            .and_then(Self::parse)
            .map(Self::french)
            .unwrap_or_default()
    }
}
