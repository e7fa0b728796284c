//! The demonstration's unscheduled care: five GPs and a physiotherapist of the demo
//! perimeter become members taking part in unscheduled care and publish slots over the
//! coming weeks (weekday afternoons or mornings, one kept for the CPTS, one in
//! teleconsultation, one taking extra patients), and an ankle-sprain protocol sends sprains
//! to the physiotherapist; a nurse of the perimeter becomes a member too. The demo GP's
//! account is the first GP's, the demo nurse's the nurse's, so that a request, its
//! orientation, a booking and what the professional then sees can be tried at once.

use super::{availability, protocols};
use crate::context::{Actor, App};
use crate::directory::members::{self, SettingsForm};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::Role;
use maillage_domain::directory::general_practice::{PHYSICIAN, is_general_practitioner};
use maillage_domain::unscheduled_care::availability::RuleFields;
use maillage_domain::unscheduled_care::protocols::ProtocolFields;
use maillage_domain::unscheduled_care::slot_kinds::Mode;
use maillage_store::platform::users;
use maillage_store::unscheduled_care::availability::practising_in;

/// Each demo professional's rule: days, hours, mode, visibility, extra patients.
const RULES: [(&str, &str, &str, Mode, &str, bool); 6] = [
    ("1,2,3,4,5", "14:00", "17:00", Mode::InPerson, "SNP", false),
    ("1,3,5", "08:30", "10:30", Mode::InPerson, "PRO", true),
    (
        "2,4",
        "18:00",
        "20:00",
        Mode::Teleconsultation,
        "SNP",
        false,
    ),
    ("1,2,4,5", "11:00", "12:30", Mode::HomeVisit, "CPTS", false),
    ("6", "09:00", "12:00", Mode::InPerson, "PUBLIC", false),
    ("1,2,3,4,5", "12:30", "14:00", Mode::InPerson, "SNP", false),
];

/// The e-mails of the demo accounts this part of the demo uses.
pub struct DemoAccounts<'a> {
    pub coordinator: &'a str,
    pub gp: &'a str,
    pub nurse: &'a str,
}

/// Sets up the demo's unscheduled care unless some member already publishes slots.
/// Returns whether anything was created.
pub async fn ensure(
    app: &App,
    accounts: &DemoAccounts<'_>,
    communes: &[&str],
) -> ServiceResult<bool> {
    let mut conn = app.db.conn().await?;
    if !maillage_store::unscheduled_care::availability::members_with_rules(&mut conn)
        .await?
        .is_empty()
    {
        return Ok(false);
    }
    let user = users::by_email(&mut conn, accounts.coordinator)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let doctors = practising_in(&mut conn, communes, PHYSICIAN, 40).await?;
    let physio = practising_in(&mut conn, communes, "70", 1).await?;
    let nurse = practising_in(&mut conn, communes, "60", 1).await?;
    drop(conn);
    let actor = Actor {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: Role::Coordinator,
        cpts_id: user.cpts_id,
        request: Default::default(),
    };
    let gps = doctors
        .into_iter()
        .filter(|(_, specialty)| is_general_practitioner(PHYSICIAN, specialty))
        .take(5);
    let mut physio_member = None;
    for (n, (professional, _)) in gps.chain(physio.clone()).enumerate() {
        let member_id = members::add(app, &actor, professional).await?;
        if n == 0 {
            link_named(app, &actor, member_id, accounts.gp, "Dr ").await?;
        }
        let site = availability::availability(app, &actor, member_id)
            .await?
            .sites;
        let Some(site) = site
            .iter()
            .find(|s| s.commune.as_deref().is_some_and(|c| communes.contains(&c)))
        else {
            continue;
        };
        let (weekdays, start, end, mode, visibility, extra) = RULES[n];
        let rule = RuleFields {
            weekdays: weekdays.into(),
            start: start.into(),
            end: end.into(),
            slot_minutes: "20".into(),
            mode: mode.code().into(),
            visibility: visibility.into(),
            extra_patients: extra,
            ..RuleFields::default()
        };
        availability::add_rule(app, &actor, member_id, site.position, &rule).await?;
        // The first three GPs take new patients as médecin traitant (the demo GP three a
        // month), and the third retires in eighteen months.
        let (per_month, departure) = match n {
            0 => ("3", String::new()),
            1 => ("2", String::new()),
            2 => ("1", in_eighteen_months(app)),
            _ => ("", String::new()),
        };
        let takes_part = SettingsForm {
            accepts_new_patients: !per_month.is_empty(),
            new_patients_per_month: per_month.into(),
            departure_date: departure,
            unscheduled_care: true,
            teleconsultation: mode == Mode::Teleconsultation,
            home_visits: mode == Mode::HomeVisit,
            ..SettingsForm::default()
        };
        members::update(app, &actor, member_id, &takes_part).await?;
        if physio.iter().any(|(id, _)| *id == professional) {
            physio_member = Some(member_id);
        }
    }
    for (professional, _) in nurse {
        let member_id = members::add(app, &actor, professional).await?;
        link_named(app, &actor, member_id, accounts.nurse, "").await?;
    }
    if let Some(member_id) = physio_member {
        let sprain = ProtocolFields {
            name: "Entorse de la cheville".into(),
            reason: "ankle_sprain".into(),
            profession: "70".into(),
            age_min: "18".into(),
            age_max: "55".into(),
            sex: String::new(),
            conditions: "Traumatisme de moins de 48 h, appui possible, sans déformation.".into(),
        };
        protocols::add(app, &actor, &sprain, &[member_id]).await?;
    }
    Ok(true)
}

/// The first of the month eighteen months from today, as the member form takes it.
fn in_eighteen_months(app: &App) -> String {
    let today = app.today();
    let months = i32::from(today.month) + 18 - 1;
    let (year, month) = (i32::from(today.year) + months / 12, months % 12 + 1);
    format!("01/{month:02}/{year}")
}

/// Links the demo account `email` to the member `member_id` and names the account after
/// them (« Dr Laurent BARBIER »), so that the agenda and the account say the same person.
async fn link_named(
    app: &App,
    actor: &Actor,
    member_id: i64,
    email: &str,
    title: &str,
) -> ServiceResult<()> {
    members::link(app, actor, member_id, email).await?;
    let member = members::get(app, actor, member_id).await?;
    let user_id = member.user_id.ok_or(ServiceError::NotFound)?;
    let name = format!("{title}{} {}", member.first_name, member.last_name);
    let mut conn = app.db.conn().await?;
    users::set_display_name(&mut conn, user_id, &name).await?;
    Ok(())
}
