//! A member's « Disponibilités » for unscheduled care, kept by the member or a coordinator
//! of their CPTS: weekly rules at one of their practice sites, one-off slots, absences, and
//! the slots of the next two weeks as they stand.

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, RawForm, State};
use axum::response::{IntoResponse, Redirect};
use maillage_domain::FieldErrors;
use maillage_domain::unscheduled_care::availability::{OneOffFields, RuleFields};
use maillage_domain::unscheduled_care::recurrence::{WEEKDAY_NAMES, Weekdays};
use maillage_domain::unscheduled_care::slot_kinds::{Mode, Visibility};
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_services::platform::auth::Session;
use maillage_services::unscheduled_care::availability::{self, Availability};
use maillage_services::{ServiceError, directory::members};
use maillage_store::unscheduled_care::availability::RuleRow;
use maillage_store::unscheduled_care::slots::SlotRow;

/// The form's weekdays: their stored code (1 for Monday) and name, capitalised.
fn weekday_choices() -> Vec<(String, String)> {
    WEEKDAY_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut chars = name.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            (
                (i + 1).to_string(),
                first.unwrap_or_default() + chars.as_str(),
            )
        })
        .collect()
}

/// What the page's forms show: as typed when one comes back with errors.
struct Typed {
    site: String,
    rule: RuleFields,
    one_off: OneOffFields,
    absence: (String, String),
    /// Which form the errors are for: `rule`, `one_off` or `absence`.
    failed: &'static str,
}

impl Default for Typed {
    fn default() -> Self {
        Self {
            site: String::new(),
            rule: RuleFields {
                start: "08:00".into(),
                end: "09:00".into(),
                slot_minutes: "15".into(),
                mode: Mode::InPerson.code().into(),
                visibility: Visibility::Snp.code().into(),
                ..RuleFields::default()
            },
            one_off: OneOffFields {
                slot_minutes: "15".into(),
                mode: Mode::InPerson.code().into(),
                visibility: Visibility::Snp.code().into(),
                ..OneOffFields::default()
            },
            absence: (String::new(), String::new()),
            failed: "",
        }
    }
}

#[derive(Template)]
#[template(path = "unscheduled_care/availability.html")]
struct AvailabilityPage {
    layout: Layout,
    own: bool,
    available: Availability,
    typed: Typed,
    weekdays: Vec<(String, String)>,
    /// Booked slots an absence just recorded covers, to be moved.
    covered: Vec<SlotRow>,
    errors: FieldErrors,
}

impl AvailabilityPage {
    fn base(&self) -> String {
        format!(
            "/soins-non-programmes/adherents/{}/disponibilites",
            self.available.member.id
        )
    }

    /// The errors of the form `name`, none for the others.
    fn errors_of(&self, name: &str) -> FieldErrors {
        if self.typed.failed == name {
            self.errors.clone()
        } else {
            FieldErrors::new()
        }
    }

    fn days(&self, rule: &RuleRow) -> String {
        Weekdays::parse(&rule.weekdays).map_or_else(|_| rule.weekdays.clone(), Weekdays::names)
    }

    fn checked(&self, day: &str) -> bool {
        self.typed.rule.weekdays.split(',').any(|d| d == day)
    }

    fn site_options(&self) -> Vec<(String, String)> {
        self.available
            .sites
            .iter()
            .map(|s| {
                let name = if s.structure_name.is_empty() {
                    "Cabinet"
                } else {
                    &s.structure_name
                };
                (
                    s.position.to_string(),
                    format!("{name}, {} {}", s.street, s.commune_name),
                )
            })
            .collect()
    }

    fn mode_options(&self) -> Vec<(String, String)> {
        Mode::ALL
            .iter()
            .map(|m| (m.code().to_owned(), m.label().to_owned()))
            .collect()
    }

    fn visibility_options(&self) -> Vec<(String, String)> {
        Visibility::ALL
            .iter()
            .map(|v| (v.code().to_owned(), v.label().to_owned()))
            .collect()
    }

    /// A day stored as `AAAA-MM-JJ`, shown as `JJ/MM/AAAA`.
    fn day(&self, iso: &str) -> String {
        maillage_domain::common::civil_date::CivilDate::french_of(Some(iso))
    }
}

async fn availability_page(
    state: &AppState,
    session: &Session,
    member_id: i64,
    typed: Typed,
    covered: Vec<SlotRow>,
    errors: FieldErrors,
) -> PageResult {
    let available = availability::availability(&state.app, &session.actor, member_id).await?;
    let own = available.member.user_id == Some(session.actor.user_id);
    let title = if own {
        "Mes disponibilités".to_owned()
    } else {
        format!(
            "Disponibilités de {} {}",
            available.member.first_name, available.member.last_name
        )
    };
    let page = AvailabilityPage {
        layout: layout(state, session, &title, "/soins-non-programmes").await,
        own,
        available,
        typed,
        weekdays: weekday_choices(),
        covered,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /soins-non-programmes/disponibilites`: the member's own.
pub async fn own(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    match members::own(&state.app, &session.actor).await {
        Ok(Some(member)) => {
            availability_page(
                &state,
                &session,
                member.id,
                Typed::default(),
                Vec::new(),
                FieldErrors::new(),
            )
            .await
        }
        Ok(None) => Err(ServiceError::Forbidden.into()),
        Err(error) => Err(error.into()),
    }
}

/// `GET /soins-non-programmes/adherents/{id}/disponibilites`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(member_id): Path<i64>,
) -> PageResult {
    availability_page(
        &state,
        &session,
        member_id,
        Typed::default(),
        Vec::new(),
        FieldErrors::new(),
    )
    .await
}

/// The fields of a posted form; `weekday` may come several times.
struct Posted(Vec<(String, String)>);

impl Posted {
    fn read(body: &[u8]) -> Self {
        Self(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    fn ticked(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// The practice site chosen, by its position.
    fn site(&self) -> i64 {
        self.get("site").trim().parse().unwrap_or(-1)
    }
}

/// After a change: back to the page, or the page with the form's errors.
async fn after_change<T>(
    state: &AppState,
    session: &Session,
    member_id: i64,
    done: Result<T, ServiceError>,
    typed: Typed,
) -> PageResult {
    match done {
        Ok(_) => Ok(Redirect::to(&format!(
            "/soins-non-programmes/adherents/{member_id}/disponibilites"
        ))
        .into_response()),
        Err(ServiceError::Invalid(errors)) => {
            availability_page(state, session, member_id, typed, Vec::new(), errors).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /soins-non-programmes/adherents/{id}/disponibilites/regles`
pub async fn add_rule(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(member_id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let posted = Posted::read(&body);
    let rule = RuleFields {
        weekdays: posted.all("weekday").join(","),
        start: posted.get("start"),
        end: posted.get("end"),
        slot_minutes: posted.get("slot_minutes"),
        every_weeks: posted.get("every_weeks"),
        first_day: posted.get("first_day"),
        last_day: posted.get("last_day"),
        on_public_holidays: posted.ticked("on_public_holidays"),
        mode: posted.get("mode"),
        visibility: posted.get("visibility"),
        extra_patients: posted.ticked("extra_patients"),
    };
    let done =
        availability::add_rule(&state.app, &session.actor, member_id, posted.site(), &rule).await;
    let typed = Typed {
        site: posted.get("site"),
        rule,
        failed: "rule",
        ..Typed::default()
    };
    after_change(&state, &session, member_id, done, typed).await
}

/// `POST /soins-non-programmes/adherents/{id}/disponibilites/regles/{rule}/suppression`
pub async fn remove_rule(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path((member_id, rule_id)): Path<(i64, i64)>,
) -> PageResult {
    let done = availability::remove_rule(&state.app, &session.actor, member_id, rule_id).await;
    after_change(&state, &session, member_id, done, Typed::default()).await
}

/// `POST /soins-non-programmes/adherents/{id}/disponibilites/creneaux/{slot}/suppression`
pub async fn remove_one_off(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path((member_id, slot_id)): Path<(i64, i64)>,
) -> PageResult {
    let done = availability::remove_one_off(&state.app, &session.actor, member_id, slot_id).await;
    after_change(&state, &session, member_id, done, Typed::default()).await
}

/// `POST /soins-non-programmes/adherents/{id}/disponibilites/creneaux`
pub async fn add_one_off(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(member_id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let posted = Posted::read(&body);
    let one_off = OneOffFields {
        day: posted.get("day"),
        start: posted.get("start"),
        slot_minutes: posted.get("slot_minutes"),
        mode: posted.get("mode"),
        visibility: posted.get("visibility"),
        extra_patients: posted.ticked("extra_patients"),
    };
    let done = availability::add_one_off(
        &state.app,
        &session.actor,
        member_id,
        posted.site(),
        &one_off,
    )
    .await;
    let typed = Typed {
        site: posted.get("site"),
        one_off,
        failed: "one_off",
        ..Typed::default()
    };
    after_change(&state, &session, member_id, done, typed).await
}

/// `POST /soins-non-programmes/adherents/{id}/disponibilites/absences`: the page then lists
/// the booked slots the absence covers, to be moved.
pub async fn add_absence(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(member_id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let posted = Posted::read(&body);
    let (first, last) = (posted.get("first_day"), posted.get("last_day"));
    match availability::add_absence(&state.app, &session.actor, member_id, &first, &last).await {
        Ok(covered) if !covered.is_empty() => {
            availability_page(
                &state,
                &session,
                member_id,
                Typed::default(),
                covered,
                FieldErrors::new(),
            )
            .await
        }
        done => {
            let typed = Typed {
                absence: (first, last),
                failed: "absence",
                ..Typed::default()
            };
            after_change(&state, &session, member_id, done, typed).await
        }
    }
}

/// `POST /soins-non-programmes/adherents/{id}/disponibilites/absences/{absence}/suppression`
pub async fn remove_absence(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path((member_id, absence_id)): Path<(i64, i64)>,
) -> PageResult {
    let done =
        availability::remove_absence(&state.app, &session.actor, member_id, absence_id).await;
    after_change(&state, &session, member_id, done, Typed::default()).await
}
