//! Tests of unscheduled care's rules: recurrence across holidays, absences and the two
//! daylight-saving days, requests, protocols, bookings and the order of offered slots.

use super::availability::{RuleFields, parse_absence, parse_rule};
use super::booking::{BookingStatus, cancel_reason_label, parse_cancel_reason};
use super::holidays::{easter, holiday_on, holidays};
use super::protocols::{Protocol, ProtocolFields};
use super::reasons::Reason;
use super::recurrence::{Absence, Occurrence, WeeklyRule};
use super::request::{Caller, SnpRequest, SnpRequestFields, Urgency};
use super::{Candidate, choose_offers, order_candidates};
use crate::common::civil_date::CivilDate;
use jiff::Timestamp;
use jiff::civil::{Date, date};

fn rule(weekdays: &str, start: &str, end: &str, minutes: &str, first_day: &str) -> WeeklyRule {
    let fields = RuleFields {
        weekdays: weekdays.into(),
        start: start.into(),
        end: end.into(),
        slot_minutes: minutes.into(),
        first_day: first_day.into(),
        mode: "in_person".into(),
        visibility: "SNP".into(),
        ..RuleFields::default()
    };
    parse_rule(&fields, date(2027, 1, 1))
        .expect("a valid rule")
        .0
}

fn utc(slots: &[Occurrence]) -> Vec<String> {
    slots.iter().map(|s| s.start.to_string()).collect()
}

fn between(rule: &WeeklyRule, from: Date, to: Date) -> Vec<Occurrence> {
    rule.occurrences(from, to, &[], "13")
}

#[test]
fn a_weekly_rule_gives_its_slots_in_paris_time() {
    let rule = rule("1,4", "14:00", "16:00", "30", "2027-01-04");
    let slots = between(&rule, date(2027, 1, 4), date(2027, 1, 17));
    assert_eq!(
        slots.len(),
        16,
        "4 slots on each of 2 Mondays and 2 Thursdays"
    );
    assert_eq!(slots[0].start.to_string(), "2027-01-04T13:00:00Z");
    assert_eq!(slots[0].end.to_string(), "2027-01-04T13:30:00Z");
    assert_eq!(
        slots[4].start.to_string(),
        "2027-01-07T13:00:00Z",
        "Thursday"
    );
    assert!(slots.windows(2).all(|w| w[0].start < w[1].start));
}

#[test]
fn wall_clock_hours_hold_across_the_change_to_summer_time() {
    let mut rule = rule("1", "09:00", "09:30", "30", "2027-03-01");
    rule.on_public_holidays = true; // 29 March 2027 is Easter Monday
    let slots = between(&rule, date(2027, 3, 22), date(2027, 3, 29));
    assert_eq!(
        utc(&slots),
        ["2027-03-22T08:00:00Z", "2027-03-29T07:00:00Z"],
        "9 h in Paris is 8 h UTC in winter and 7 h UTC in summer"
    );
}

#[test]
fn the_hour_skipped_in_march_gives_no_slot() {
    // Sunday 28 March 2027: clocks go from 02:00 to 03:00.
    let mut night = rule("7", "01:00", "04:00", "30", "2027-03-01");
    night.on_public_holidays = true;
    let slots = between(&night, date(2027, 3, 28), date(2027, 3, 28));
    assert_eq!(
        utc(&slots),
        [
            "2027-03-28T00:00:00Z",
            "2027-03-28T00:30:00Z",
            "2027-03-28T01:00:00Z",
            "2027-03-28T01:30:00Z"
        ],
        "01:00, 01:30, then 03:00 and 03:30: 02:00 and 02:30 do not exist"
    );
    assert_eq!(slots[1].end, slots[2].start, "01:30 lasts until 03:00");
}

#[test]
fn the_hour_repeated_in_october_gives_its_slots_once() {
    // Sunday 31 October 2027: clocks go back from 03:00 to 02:00.
    let night = rule("7", "01:00", "04:00", "30", "2027-10-01");
    let slots = between(&night, date(2027, 10, 31), date(2027, 10, 31));
    assert_eq!(
        utc(&slots),
        [
            "2027-10-30T23:00:00Z",
            "2027-10-30T23:30:00Z",
            "2027-10-31T00:00:00Z",
            "2027-10-31T00:30:00Z",
            "2027-10-31T02:00:00Z",
            "2027-10-31T02:30:00Z"
        ],
        "02:00 and 02:30 are given at their first occurrence, in summer time"
    );
}

#[test]
fn easter_and_the_holidays_that_follow_it() {
    assert_eq!(easter(2024), date(2024, 3, 31));
    assert_eq!(easter(2025), date(2025, 4, 20));
    assert_eq!(easter(2027), date(2027, 3, 28));
    assert_eq!(easter(2038), date(2038, 4, 25));
    assert_eq!(holidays(2027, "13").len(), 11);
    assert_eq!(
        holiday_on(date(2027, 5, 6), "13").map(|h| h.name),
        Some("Ascension")
    );
    assert_eq!(
        holiday_on(date(2027, 5, 17), "75").map(|h| h.name),
        Some("Lundi de Pentecôte")
    );
    assert_eq!(holiday_on(date(2027, 3, 26), "13"), None);
    assert_eq!(
        holiday_on(date(2027, 3, 26), "67").map(|h| h.name),
        Some("Vendredi saint"),
        "Alsace-Moselle keeps Good Friday"
    );
    assert!(holiday_on(date(2027, 12, 26), "68").is_some());
}

#[test]
fn public_holidays_and_absences_give_no_slot_unless_asked() {
    let mut week = rule("1,2,3,4,5", "10:00", "11:00", "60", "2027-03-01");
    let from = date(2027, 3, 22);
    let to = date(2027, 4, 2);
    let days = |slots: Vec<Occurrence>| -> Vec<i8> {
        slots
            .iter()
            .map(|s| s.start.to_zoned(crate::common::paris_time::paris()).day())
            .collect()
    };
    assert_eq!(
        days(week.occurrences(from, to, &[], "13")),
        [22, 23, 24, 25, 26, 30, 31, 1, 2],
        "Easter Monday (29 March) is off in Marseille"
    );
    assert_eq!(
        days(week.occurrences(from, to, &[], "67")),
        [22, 23, 24, 25, 30, 31, 1, 2],
        "and Good Friday (26 March) in Strasbourg"
    );
    let absence = Absence {
        first_day: date(2027, 3, 24),
        last_day: date(2027, 3, 31),
    };
    assert_eq!(
        days(week.occurrences(from, to, &[absence], "13")),
        [22, 23, 1, 2]
    );
    week.on_public_holidays = true;
    assert_eq!(week.occurrences(from, to, &[], "13").len(), 10);
}

#[test]
fn a_rule_every_other_week_between_two_days() {
    let mut fortnight = rule("3", "18:00", "19:00", "20", "2027-01-06");
    fortnight.every_weeks = 2;
    fortnight.last_day = Some(date(2027, 2, 3));
    let slots = between(&fortnight, date(2027, 1, 1), date(2027, 3, 31));
    let days: Vec<_> = slots
        .iter()
        .step_by(3)
        .map(|s| s.start.to_zoned(crate::common::paris_time::paris()).date())
        .collect();
    assert_eq!(
        days,
        [date(2027, 1, 6), date(2027, 1, 20), date(2027, 2, 3)]
    );
    assert_eq!(slots.len(), 9);
}

#[test]
fn two_rules_overlap_only_on_a_day_both_give_slots_at_common_hours() {
    let mondays = rule("1", "08:00", "12:00", "20", "2027-01-04");
    // Same day, touching hours: no overlap; overlapping hours: the first common Monday.
    assert_eq!(
        mondays.overlap_with(&rule("1", "12:00", "14:00", "20", "2027-01-04")),
        None
    );
    let later = rule("1,4", "11:00", "13:00", "20", "2027-02-01");
    assert_eq!(mondays.overlap_with(&later), Some(date(2027, 2, 1)));
    assert_eq!(later.overlap_with(&mondays), Some(date(2027, 2, 1)));
    // Other weekdays never meet.
    assert_eq!(
        mondays.overlap_with(&rule("2,3", "08:00", "12:00", "20", "2027-01-04")),
        None
    );
    // Every other week, on alternate weeks: never together; on the same weeks: yes.
    let mut even = rule("1", "08:00", "12:00", "20", "2027-01-04");
    even.every_weeks = 2;
    let mut odd = rule("1", "09:00", "10:00", "20", "2027-01-11");
    odd.every_weeks = 2;
    assert_eq!(even.overlap_with(&odd), None);
    odd.first_day = date(2027, 1, 18);
    assert_eq!(even.overlap_with(&odd), Some(date(2027, 1, 18)));
    // A rule that ends before the other starts.
    let mut ended = mondays.clone();
    ended.last_day = Some(date(2027, 1, 31));
    assert_eq!(ended.overlap_with(&later), None);
}

#[test]
fn an_absence_covers_the_instants_of_its_days_in_paris() {
    let absence = Absence {
        first_day: date(2027, 3, 1),
        last_day: date(2027, 3, 2),
    };
    // 23:30 UTC on 28 February is 00:30 on 1 March in Paris.
    let at = |s: &str| s.parse::<Timestamp>().unwrap();
    assert!(absence.covers_instant(at("2027-02-28T23:30:00Z")));
    assert!(absence.covers_instant(at("2027-03-02T22:59:00Z")));
    assert!(!absence.covers_instant(at("2027-03-02T23:00:00Z")));
    assert!(!absence.covers_instant(at("2027-02-28T22:59:00Z")));
}

#[test]
fn a_rule_with_wrong_fields_names_each_of_them() {
    let fields = RuleFields {
        weekdays: String::new(),
        start: "14:00".into(),
        end: "13:00".into(),
        slot_minutes: "200".into(),
        every_weeks: "9".into(),
        first_day: "31/02/2027".into(),
        last_day: String::new(),
        mode: "bus".into(),
        visibility: "ALL".into(),
        ..RuleFields::default()
    };
    let errors = parse_rule(&fields, date(2027, 1, 1)).expect_err("invalid");
    for field in [
        "weekdays",
        "end",
        "slot_minutes",
        "every_weeks",
        "first_day",
        "mode",
        "visibility",
    ] {
        assert!(errors.get(field).is_some(), "{field} is named");
    }
    let short = RuleFields {
        weekdays: "1".into(),
        start: "14:00".into(),
        end: "14:10".into(),
        slot_minutes: "15".into(),
        mode: "in_person".into(),
        visibility: "PRO".into(),
        ..RuleFields::default()
    };
    assert_eq!(
        parse_rule(&short, date(2027, 1, 1))
            .expect_err("too short")
            .get("slot_minutes"),
        Some("La plage est plus courte qu’un créneau.")
    );
    assert!(parse_absence("2027-05-10", "2027-05-01").is_err());
}

fn request() -> SnpRequestFields {
    SnpRequestFields {
        caller: "pharmacist".into(),
        reason: "urinary_burning".into(),
        detail: "depuis hier".into(),
        urgency: "today".into(),
        commune: "13001".into(),
        mobility: "mobile".into(),
        own_gp: "tried".into(),
        last_name: "Martin".into(),
        first_name: "Léa".into(),
        birth_date: "12/05/1990".into(),
        sex: "F".into(),
        phone: "06 12 34 56 78".into(),
    }
}

#[test]
fn a_request_is_checked_field_by_field() {
    let today = CivilDate {
        year: 2027,
        month: 1,
        day: 10,
    };
    let checked = SnpRequest::parse(&request(), today).expect("valid");
    assert_eq!(checked.caller, Caller::Pharmacist);
    assert_eq!(checked.reason, Reason::UrinaryBurning);
    assert_eq!(checked.last_name, "MARTIN");
    assert_eq!(checked.phone, "0612345678");
    let wrong = SnpRequestFields {
        caller: String::new(),
        reason: "headache".into(),
        urgency: "next week".into(),
        mobility: String::new(),
        birth_date: "2030-01-01".into(),
        phone: "12".into(),
        ..request()
    };
    let errors = SnpRequest::parse(&wrong, today).expect_err("invalid");
    for field in [
        "caller",
        "reason",
        "urgency",
        "mobility",
        "birth_date",
        "phone",
    ] {
        assert!(errors.get(field).is_some(), "{field} is named");
    }
}

#[test]
fn a_request_for_today_must_be_seen_before_midnight_in_paris() {
    let received: Timestamp = "2027-07-01T14:20:00Z".parse().expect("instant");
    assert_eq!(
        Urgency::Today.deadline(received).to_string(),
        "2027-07-01T22:00:00Z",
        "midnight in Paris in summer"
    );
    assert_eq!(
        Urgency::Within48h.deadline(received).to_string(),
        "2027-07-03T14:20:00Z"
    );
}

#[test]
fn a_protocol_applies_to_its_reason_ages_and_sex() {
    let fields = ProtocolFields {
        name: "Cystite simple".into(),
        reason: "urinary_burning".into(),
        profession: "21".into(),
        age_min: "16".into(),
        age_max: "65".into(),
        sex: "F".into(),
        conditions: "Pas de fièvre, pas de grossesse.".into(),
    };
    let protocol = Protocol::parse(&fields, |code| code == "21").expect("valid");
    assert!(protocol.applies_to(Reason::UrinaryBurning, 36, "F"));
    assert!(!protocol.applies_to(Reason::UrinaryBurning, 36, "M"));
    assert!(!protocol.applies_to(Reason::UrinaryBurning, 70, "F"));
    assert!(!protocol.applies_to(Reason::AnkleSprain, 36, "F"));
    let wrong = ProtocolFields {
        profession: "99".into(),
        age_min: "50".into(),
        age_max: "20".into(),
        ..fields
    };
    let errors = Protocol::parse(&wrong, |code| code == "21").expect_err("invalid");
    assert!(errors.get("profession").is_some() && errors.get("age_max").is_some());
}

#[test]
fn a_booking_is_cancelled_before_it_starts_and_closed_after() {
    let (start, before, after) = (1_000, 900, 1_100);
    let booked = BookingStatus::Booked;
    assert!(
        booked
            .may_become(BookingStatus::Cancelled, before, start)
            .is_ok()
    );
    assert!(
        booked
            .may_become(BookingStatus::Cancelled, after, start)
            .is_err()
    );
    assert!(
        booked
            .may_become(BookingStatus::Seen, before, start)
            .is_err()
    );
    assert!(
        booked
            .may_become(BookingStatus::NoShow, after, start)
            .is_ok()
    );
    assert!(
        BookingStatus::Cancelled
            .may_become(BookingStatus::Seen, after, start)
            .is_err()
    );
}

#[test]
fn a_cancellation_names_one_of_its_reasons() {
    assert_eq!(parse_cancel_reason(" patient "), Ok("patient"));
    assert_eq!(
        cancel_reason_label("professional"),
        "Empêchement du professionnel"
    );
    assert_eq!(
        parse_cancel_reason("parce que"),
        Err("Choisissez pourquoi le rendez-vous est annulé.".to_owned())
    );
    assert_eq!(cancel_reason_label("unknown"), "");
}

#[test]
fn earliest_slots_come_first_then_the_nearest() {
    let mut candidates = vec![
        Candidate {
            slot_id: 1,
            professional: 1,
            start: 200,
            distance_km: 1.0,
        },
        Candidate {
            slot_id: 2,
            professional: 2,
            start: 100,
            distance_km: 9.0,
        },
        Candidate {
            slot_id: 3,
            professional: 3,
            start: 100,
            distance_km: 2.5,
        },
    ];
    order_candidates(&mut candidates);
    let ids: Vec<_> = candidates.iter().map(|c| c.slot_id).collect();
    assert_eq!(ids, [3, 2, 1]);
}

#[test]
fn one_busy_agenda_does_not_fill_the_offers() {
    // Professional 1 has five slots from 8:00, professional 2 one at 12:00.
    let slot = |slot_id: i64, professional: i64, hour: i64| Candidate {
        slot_id,
        professional,
        start: hour * 3600,
        distance_km: 1.0,
    };
    let candidates: Vec<Candidate> = (0..5)
        .map(|n| slot(n + 1, 1, 8 + n))
        .chain([slot(9, 2, 12)])
        .collect();
    let ids = |offered: Vec<Candidate>| offered.iter().map(|c| c.slot_id).collect::<Vec<_>>();
    assert_eq!(
        ids(choose_offers(candidates.clone(), 3, 4)),
        [1, 2, 3, 9],
        "the other professional's slot is offered though later"
    );
    assert_eq!(
        ids(choose_offers(candidates, 3, 30)),
        [1, 2, 3, 4, 5, 9],
        "with room, every slot, in time order"
    );
}
