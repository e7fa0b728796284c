//! What members publish: weekly rules, one-off slots and absences, at one of their practice
//! sites; the slots the rules give over the coming weeks, kept in step with the rules and
//! absences (free slots no rule gives any more are removed, booked ones always kept). A
//! member manages their own availability, a coordinator that of the CPTS's members.

use super::absences::{absence_at, absence_dates, absences_from};
use super::{audited, places};
use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::unscheduled_care::availability::{
    Offer, OneOffFields, RuleFields, parse_day, parse_one_off, parse_rule, parse_time,
};
use maillage_domain::unscheduled_care::recurrence::{Weekdays, WeeklyRule};
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_store::directory::members::{self, MemberRow};
use maillage_store::unscheduled_care::availability::{self as store, AbsenceRow, RuleRow};
use maillage_store::unscheduled_care::slots::{self, NewSlot, SlotRow};
use maillage_store::{Conn, Db};
use std::collections::HashMap;

/// How far ahead the rules’ slots are laid out: today and this many days after.
pub const HORIZON_DAYS: i32 = 28;

pub use super::absences::{add_absence, remove_absence};

/// A member's availability as their page shows it.
pub struct Availability {
    pub member: MemberRow,
    pub sites: Vec<places::Site>,
    pub rules: Vec<RuleRow>,
    pub absences: Vec<AbsenceRow>,
    /// The slots of the next two weeks.
    pub slots: Vec<SlotRow>,
}

/// The member `member_id`, if the actor may manage their availability.
pub(super) async fn managed_member(
    conn: &mut Conn,
    actor: &Actor,
    member_id: i64,
) -> ServiceResult<MemberRow> {
    let member = members::by_id(conn, member_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    access::manages_availability(actor, member.cpts_id, member.user_id)?;
    Ok(member)
}

pub async fn availability(app: &App, actor: &Actor, member_id: i64) -> ServiceResult<Availability> {
    let mut conn = app.db.conn().await?;
    let member = managed_member(&mut conn, actor, member_id).await?;
    let sites = places::sites_of(&mut conn, member.professional_id).await?;
    let rules = store::rules_of(&mut conn, member.id).await?;
    let today = app.today().iso();
    let absences = store::absences_of(&mut conn, member.id, &today).await?;
    let now = app.now();
    let slots = slots::of_member(&mut conn, member.id, now, now + 14 * 86_400).await?;
    Ok(Availability {
        member,
        sites,
        rules,
        absences,
        slots,
    })
}

pub(super) fn today(app: &App) -> jiff::civil::Date {
    let day = app.today();
    jiff::civil::Date::new(day.year, day.month, day.day).unwrap_or_default()
}

/// Adds a weekly rule at the member's practice site `site` and lays out its slots.
pub async fn add_rule(
    app: &App,
    actor: &Actor,
    member_id: i64,
    site: i64,
    fields: &RuleFields,
) -> ServiceResult<i64> {
    let (rule, offer) = parse_rule(fields, today(app))?;
    let mut tx = app.db.begin().await?;
    let member = managed_member(&mut tx, actor, member_id).await?;
    let place_id = places::place_of_site(&mut tx, &member, site).await?;
    for existing in store::rules_of(&mut tx, member.id).await? {
        let Some((other, _)) = rule_of(&existing) else {
            continue;
        };
        if let Some(day) = rule.overlap_with(&other) {
            let message = format!(
                "Cette plage chevauche celle du {} de {} à {} à {} (le {} par exemple) : \
                 changez ses jours, ses heures ou ses dates.",
                other.weekdays.names(),
                existing.start_time,
                existing.end_time,
                existing.place_name,
                day.strftime("%d/%m/%Y")
            );
            return Err(maillage_domain::FieldErrors::single("weekdays", message).into());
        }
    }
    let last_day = rule.last_day.map(|d| d.to_string());
    let new = store::NewRule {
        member_id: member.id,
        place_id,
        weekdays: &rule.weekdays.as_stored(),
        start_time: &rule.start.strftime("%H:%M").to_string(),
        end_time: &rule.end.strftime("%H:%M").to_string(),
        slot_minutes: i64::from(rule.slot_minutes),
        every_weeks: i64::from(rule.every_weeks),
        first_day: &rule.first_day.to_string(),
        last_day: last_day.as_deref(),
        on_public_holidays: rule.on_public_holidays,
        mode: offer.mode,
        visibility: offer.visibility,
        extra_patients: offer.extra_patients,
    };
    let id = store::insert_rule(&mut tx, &new, app.now()).await?;
    lay_out(&mut tx, &member, app.now(), today(app)).await?;
    members::join_unscheduled_care(&mut tx, member.id, app.now()).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp.rule.create",
        ("member", member.id),
        member.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(id)
}

/// Removes a rule and its free slots to come; its booked slots stay.
pub async fn remove_rule(
    app: &App,
    actor: &Actor,
    member_id: i64,
    rule_id: i64,
) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let member = managed_member(&mut tx, actor, member_id).await?;
    let planned = slots::planned(&mut tx, member.id, app.now()).await?;
    let of_rule: Vec<i64> = planned
        .iter()
        .filter(|s| s.rule_id == Some(rule_id))
        .map(|s| s.id)
        .collect();
    slots::withdraw_free(&mut tx, &of_rule).await?;
    if !store::delete_rule(&mut tx, member.id, rule_id).await? {
        return Err(ServiceError::NotFound);
    }
    audited(
        app,
        &mut tx,
        actor,
        "snp.rule.delete",
        ("member", member.id),
        member.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// Adds a one-off slot at the member's practice site `site`.
pub async fn add_one_off(
    app: &App,
    actor: &Actor,
    member_id: i64,
    site: i64,
    fields: &OneOffFields,
) -> ServiceResult<i64> {
    let (slot, offer) = parse_one_off(fields, app.now())?;
    let mut tx = app.db.begin().await?;
    let member = managed_member(&mut tx, actor, member_id).await?;
    let place_id = places::place_of_site(&mut tx, &member, site).await?;
    let place = places::placed(&mut tx, place_id).await?;
    let start = slot.start.as_second();
    if let Some(absence) = absence_at(&mut tx, member.id, start).await? {
        let message = format!(
            "Absence déclarée {} : pas de créneau ce jour-là.",
            absence_dates(&absence)
        );
        return Err(maillage_domain::FieldErrors::single("day", message).into());
    }
    let taken = slots::planned(&mut tx, member.id, start).await?;
    if taken.iter().any(|s| s.start_at == start) {
        return Err(maillage_domain::FieldErrors::single(
            "start",
            "Vous avez déjà un créneau à cette heure.",
        )
        .into());
    }
    let new = new_slot(&member, &place, None, (start, slot.end.as_second()), &offer);
    slots::insert(&mut tx, std::slice::from_ref(&new)).await?;
    members::join_unscheduled_care(&mut tx, member.id, app.now()).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp.slot.create",
        ("member", member.id),
        member.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(start)
}

/// Removes a one-off slot still free; a booked one stays until its booking is cancelled
/// or moved, and a slot of a weekly rule goes with its rule or under an absence.
pub async fn remove_one_off(
    app: &App,
    actor: &Actor,
    member_id: i64,
    slot_id: i64,
) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let member = managed_member(&mut tx, actor, member_id).await?;
    let planned = slots::planned(&mut tx, member.id, app.now()).await?;
    let slot = planned
        .iter()
        .find(|s| s.id == slot_id && s.rule_id.is_none())
        .ok_or(ServiceError::NotFound)?;
    if slot.status != SlotStatus::Free {
        return Err(ServiceError::Conflict(
            "Ce créneau est réservé : annulez ou déplacez d’abord le rendez-vous.".to_owned(),
        ));
    }
    slots::withdraw_free(&mut tx, &[slot.id]).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp.slot.delete",
        ("member", member.id),
        member.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

fn new_slot(
    member: &MemberRow,
    place: &places::Placed,
    rule_id: Option<i64>,
    (start_at, end_at): (i64, i64),
    offer: &Offer,
) -> NewSlot {
    NewSlot {
        cpts_id: member.cpts_id,
        member_id: member.id,
        place_id: place.id,
        rule_id,
        start_at,
        end_at,
        mode: offer.mode,
        visibility: offer.visibility,
        extra_patients: offer.extra_patients,
        profession: member.profession.clone(),
        specialty: member.specialty.clone(),
        latitude: place.point.latitude,
        longitude: place.point.longitude,
        cell: place.point.grid_cell(),
    }
}

/// A stored rule read back into the domain's, with its offer.
fn rule_of(row: &RuleRow) -> Option<(WeeklyRule, Offer)> {
    let rule = WeeklyRule {
        weekdays: Weekdays::parse(&row.weekdays).ok()?,
        start: parse_time(&row.start_time).ok()?,
        end: parse_time(&row.end_time).ok()?,
        slot_minutes: i32::try_from(row.slot_minutes).ok()?,
        every_weeks: i32::try_from(row.every_weeks).ok()?,
        first_day: parse_day(&row.first_day).ok()?,
        last_day: row.last_day.as_deref().and_then(|d| parse_day(d).ok()),
        on_public_holidays: row.on_public_holidays,
    };
    let offer = Offer {
        mode: row.mode,
        visibility: row.visibility,
        extra_patients: row.extra_patients,
    };
    Some((rule, offer))
}

/// Lays out the slots the member's rules give from `now` to the horizon: adds those
/// missing, removes the free ones no rule gives any more. Returns how many were added.
pub(super) async fn lay_out(
    conn: &mut Conn,
    member: &MemberRow,
    now: i64,
    today: jiff::civil::Date,
) -> ServiceResult<usize> {
    let rules = store::rules_of(conn, member.id).await?;
    let absences = absences_from(conn, member.id, today).await?;
    let last = today
        .checked_add(jiff::Span::new().days(HORIZON_DAYS))
        .unwrap_or(today);
    let mut wanted: HashMap<i64, NewSlot> = HashMap::new();
    let mut placed: HashMap<i64, places::Placed> = HashMap::new();
    for row in &rules {
        let Some((rule, offer)) = rule_of(row) else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(entry) = placed.entry(row.place_id) {
            entry.insert(places::placed(conn, row.place_id).await?);
        }
        let place = &placed[&row.place_id];
        for slot in rule.occurrences(today, last, &absences, &place.departement) {
            let (start, end) = (slot.start.as_second(), slot.end.as_second());
            if start > now {
                wanted
                    .entry(start)
                    .or_insert_with(|| new_slot(member, place, Some(row.id), (start, end), &offer));
            }
        }
    }
    let planned = slots::planned(conn, member.id, now).await?;
    // Free slots no rule gives any more, and one-off ones an absence came to cover.
    let absent_at = |at: i64| {
        jiff::Timestamp::from_second(at)
            .is_ok_and(|at| absences.iter().any(|a| a.covers_instant(at)))
    };
    let stale: Vec<i64> = planned
        .iter()
        .filter(|s| match s.rule_id {
            Some(_) => wanted.get(&s.start_at).map(|w| w.rule_id) != Some(s.rule_id),
            None => absent_at(s.start_at),
        })
        .map(|s| s.id)
        .collect();
    slots::withdraw_free(conn, &stale).await?;
    let kept: std::collections::HashSet<i64> = planned
        .iter()
        .filter(|s| match s.status {
            SlotStatus::Booked => true,
            SlotStatus::Free => !stale.contains(&s.id),
            SlotStatus::Withdrawn => false,
        })
        .map(|s| s.start_at)
        .collect();
    let mut missing: Vec<NewSlot> = wanted
        .into_values()
        .filter(|slot| !kept.contains(&slot.start_at))
        .collect();
    missing.sort_by_key(|s| s.start_at);
    slots::insert(conn, &missing).await?;
    Ok(missing.len())
}

/// Lays out, for every member with rules, the slots up to the horizon (run daily, so that
/// the horizon moves on). Returns how many slots were added.
pub async fn lay_out_all(app: &App) -> ServiceResult<usize> {
    let mut conn = app.db.conn().await?;
    let member_ids = store::members_with_rules(&mut conn).await?;
    drop(conn);
    let mut added = 0;
    for member_id in member_ids {
        let mut tx = app.db.begin().await?;
        if let Some(member) = members::by_id(&mut tx, member_id).await? {
            added += lay_out(&mut tx, &member, app.now(), today(app)).await?;
        }
        Db::commit(tx).await?;
    }
    Ok(added)
}
