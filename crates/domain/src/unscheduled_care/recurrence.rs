//! Weekly availability rules and their occurrences: a rule gives slots of a fixed length
//! between two wall-clock times on chosen weekdays, every week or every few weeks, skipping
//! the professional's absences and, unless asked, public holidays. Times are read in
//! Europe/Paris: a slot whose start does not exist (the hour skipped in March) is not
//! given, and one whose start happens twice (the hour repeated in October) is given once,
//! at its first occurrence. A slot lasts its length in elapsed time.

use super::holidays::holiday_on;
use crate::common::paris_time::{paris, paris_instant};
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::{Span, Timestamp};

/// The days of the week in French, from Monday.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// A set of weekdays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weekdays(u8);

impl Weekdays {
    /// The days from Monday (1) to Sunday (7), as stored: `1,4` for Monday and Thursday.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut days = 0u8;
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.parse::<u8>() {
                Ok(day @ 1..=7) => days |= 1 << (day - 1),
                _ => return Err("Choisissez des jours de la semaine.".to_owned()),
            }
        }
        if days == 0 {
            return Err("Choisissez au moins un jour de la semaine.".to_owned());
        }
        Ok(Self(days))
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << (day.to_monday_one_offset() - 1)) != 0
    }

    /// The days in French: « lundi, jeudi ».
    pub fn names(self) -> String {
        (0..7)
            .filter(|day| self.0 & (1 << day) != 0)
            .map(|day| WEEKDAY_NAMES[day])
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The days as stored (`1,4`).
    pub fn as_stored(self) -> String {
        (1..=7u8)
            .filter(|day| self.0 & (1 << (day - 1)) != 0)
            .map(|day| day.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A period without slots: holidays, training, illness (both days included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    pub first_day: Date,
    pub last_day: Date,
}

impl Absence {
    /// Whether the absence covers the day `day`.
    pub fn covers(&self, day: Date) -> bool {
        (self.first_day..=self.last_day).contains(&day)
    }

    /// Whether the absence covers the day, in Paris, on which the instant `at` falls: no
    /// slot starting then may be offered.
    pub fn covers_instant(&self, at: Timestamp) -> bool {
        self.covers(at.to_zoned(paris()).date())
    }
}

/// A weekly rule of availability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyRule {
    pub weekdays: Weekdays,
    pub start: Time,
    pub end: Time,
    pub slot_minutes: i32,
    /// Every week (1), every other week (2)…, counted from the week of `first_day`.
    pub every_weeks: i32,
    pub first_day: Date,
    pub last_day: Option<Date>,
    /// Whether the rule also gives slots on public holidays.
    pub on_public_holidays: bool,
}

/// When one slot starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The slot of `minutes` starting at the wall-clock time `at`, if that time exists.
pub fn one_slot(at: DateTime, minutes: i32) -> Option<Occurrence> {
    let start = paris_instant(at)?;
    let end = start.checked_add(Span::new().minutes(minutes)).ok()?;
    Some(Occurrence { start, end })
}

impl WeeklyRule {
    /// Whether the rule's weeks and weekdays include `day`, within its dates (absences and
    /// public holidays aside).
    fn scheduled_on(&self, day: Date) -> bool {
        let in_range = day >= self.first_day && self.last_day.is_none_or(|last| day <= last);
        let first_monday = self
            .first_day
            .checked_sub(
                Span::new().days(i64::from(self.first_day.weekday().to_monday_zero_offset())),
            )
            .unwrap_or(self.first_day);
        let weeks = (day - first_monday).get_days() / 7;
        in_range && self.weekdays.contains(day.weekday()) && weeks % self.every_weeks.max(1) == 0
    }

    /// The first day on which this rule and `other` both give slots at overlapping hours,
    /// if any: two rules of one professional must not. Their weeks repeat together after
    /// at most 12 weeks (every 1 to 4 weeks), so that many weeks from the later start tell.
    pub fn overlap_with(&self, other: &WeeklyRule) -> Option<Date> {
        if self.start >= other.end || other.start >= self.end {
            return None;
        }
        let mut day = self.first_day.max(other.first_day);
        let last = [self.last_day, other.last_day].into_iter().flatten().min();
        for _ in 0..12 * 7 {
            if last.is_some_and(|last| day > last) {
                return None;
            }
            if self.scheduled_on(day) && other.scheduled_on(day) {
                return Some(day);
            }
            day = day.tomorrow().ok()?;
        }
        None
    }

    /// Whether the rule gives slots on `day`, in the department `departement`.
    fn applies_on(&self, day: Date, absences: &[Absence], departement: &str) -> bool {
        self.scheduled_on(day)
            && !absences.iter().any(|absence| absence.covers(day))
            && (self.on_public_holidays || holiday_on(day, departement).is_none())
    }

    /// The slots the rule gives from `from` to `to` (both included), in time order.
    pub fn occurrences(
        &self,
        from: Date,
        to: Date,
        absences: &[Absence],
        departement: &str,
    ) -> Vec<Occurrence> {
        let mut slots = Vec::new();
        let mut day = from.max(self.first_day);
        let last = self.last_day.map_or(to, |last| last.min(to));
        while day <= last {
            if self.applies_on(day, absences, departement) {
                self.slots_of(day, &mut slots);
            }
            let Ok(next) = day.tomorrow() else { break };
            day = next;
        }
        slots
    }

    /// Adds the slots of one day.
    fn slots_of(&self, day: Date, slots: &mut Vec<Occurrence>) {
        let length = Span::new().minutes(self.slot_minutes);
        let mut at = self.start;
        while let Ok(end) = at.checked_add(length) {
            if end > self.end || end <= at {
                break;
            }
            if let Some(slot) = one_slot(day.to_datetime(at), self.slot_minutes) {
                slots.push(slot);
            }
            at = end;
        }
    }
}
