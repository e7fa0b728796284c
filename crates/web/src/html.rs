//! What every page shares: the layout (who is logged in, the missions' navigation, the CSRF
//! token), rendering, dates in Paris time and the error pages.

use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maillage_domain::common::paris_time::paris;
use maillage_domain::{FieldErrors, Role};
use maillage_services::platform::auth::Session;
use maillage_services::territory::cpts;

/// One mission of the CPTS, an area of the interface.
pub struct Mission {
    pub path: &'static str,
    pub label: &'static str,
    pub summary: &'static str,
    /// The roles that may not open it, to whom it is not offered.
    pub closed_to: &'static [Role],
}

/// The missions, in the order of the navigation.
pub const MISSIONS: [Mission; 11] = [
    Mission {
        path: "/medecin-traitant",
        label: "Médecin traitant",
        summary: "Patients sans médecin traitant : demandes, priorités, propositions.",
        closed_to: &[Role::Admin, Role::Regulator],
    },
    Mission {
        path: "/soins-non-programmes",
        label: "Soins non programmés",
        summary: "Un rendez-vous dans la journée ou sous 48 heures.",
        closed_to: &[Role::Admin],
    },
    Mission {
        path: "/parcours",
        label: "Parcours",
        summary: "Coordination des professionnels autour d’un patient.",
        closed_to: &[],
    },
    Mission {
        path: "/prevention",
        label: "Prévention",
        summary: "Campagnes, séances de vaccination.",
        closed_to: &[],
    },
    Mission {
        path: "/crise",
        label: "Crise",
        summary: "Plan de crise, alertes et astreintes.",
        closed_to: &[],
    },
    Mission {
        path: "/qualite",
        label: "Qualité",
        summary: "Groupes d’analyse de pratiques, patient traceur, enquêtes.",
        closed_to: &[],
    },
    Mission {
        path: "/accompagnement",
        label: "Accompagnement",
        summary: "Stages, remplacements, installations.",
        closed_to: &[],
    },
    Mission {
        path: "/territoire",
        label: "Territoire",
        summary: "Communes, population, diagnostic territorial.",
        closed_to: &[],
    },
    Mission {
        path: "/annuaire",
        label: "Annuaire",
        summary: "Professionnels du territoire et adhérents.",
        closed_to: &[],
    },
    Mission {
        path: "/messagerie",
        label: "Messagerie",
        summary: "Messages sécurisés et alertes entre professionnels.",
        closed_to: &[],
    },
    Mission {
        path: "/indicateurs",
        label: "Indicateurs",
        summary: "Indicateurs de l’ACI et rapport annuel.",
        closed_to: &[],
    },
];

pub struct MissionLink {
    pub path: &'static str,
    pub label: &'static str,
    pub summary: &'static str,
    pub current: bool,
}

pub struct UserBadge {
    pub name: String,
    pub role: &'static str,
    pub cpts: Option<String>,
}

/// The title of a page about one patient: what it shows and its number, never who the
/// patient is (browsers keep titles in their history and in synced tabs).
pub fn patient_page_title(what: &str, id: i64) -> String {
    format!("{what} n° {id}")
}

/// The frame around every page.
pub struct Layout {
    pub title: String,
    pub user: Option<UserBadge>,
    pub csrf: String,
    pub demo: bool,
    pub second_factor_relaxed: bool,
    pub missions: bool,
    pub mission_links: Vec<MissionLink>,
    pub manages: bool,
    pub admin: bool,
    /// The stylesheet written into the page instead of linked, for a standalone document.
    pub inline_stylesheet: Option<String>,
    /// The stylesheet of a printed document's running header (`crate::print`), linked
    /// for print.
    pub print_stylesheet: Option<String>,
}

impl Layout {
    /// A page for someone not logged in; `csrf` protects its form.
    pub fn anonymous(title: &str, csrf: &str, demo: bool) -> Self {
        Self {
            title: title.to_owned(),
            user: None,
            csrf: csrf.to_owned(),
            demo,
            second_factor_relaxed: false,
            missions: false,
            mission_links: Vec::new(),
            manages: false,
            admin: false,
            inline_stylesheet: None,
            print_stylesheet: None,
        }
    }

    /// A document read away from the platform (a saved report): its stylesheet inside it.
    /// A standalone document: the shared stylesheet and `print_header` (its running header
    /// in print) written into it.
    pub fn standalone(title: &str, print_header: &str) -> Self {
        Self {
            inline_stylesheet: Some(format!("{}{print_header}", crate::routes::STYLESHEET)),
            ..Self::anonymous(title, "", false)
        }
    }

    /// A page of a logged-in person; `current` is the path of the mission shown, if any.
    pub fn for_session(
        title: &str,
        session: &Session,
        state: &crate::AppState,
        cpts_name: Option<String>,
        current: &str,
    ) -> Self {
        let actor = &session.actor;
        let ready = session.stage == maillage_services::platform::auth::Stage::Ready;
        Self {
            title: title.to_owned(),
            user: Some(UserBadge {
                name: actor.display_name.clone(),
                role: actor.role.label_fr(),
                cpts: cpts_name,
            }),
            csrf: session.csrf_token.clone(),
            demo: state.config.demo,
            second_factor_relaxed: !state.app.settings.require_second_factor,
            missions: ready,
            mission_links: MISSIONS
                .iter()
                .filter(|m| !m.closed_to.contains(&actor.role))
                .map(|m| MissionLink {
                    path: m.path,
                    label: m.label,
                    summary: m.summary,
                    current: m.path == current,
                })
                .collect(),
            manages: matches!(actor.role, Role::Admin | Role::Coordinator),
            admin: actor.is_admin(),
            inline_stylesheet: None,
            print_stylesheet: None,
        }
    }
}

/// Renders a template into an HTML answer.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(body) => Html(body).into_response(),
        Err(error) => {
            tracing::error!(%error, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Erreur interne").into_response()
        }
    }
}

/// Renders a form page, answering 422 when it shows field errors.
pub fn render_form(template: &impl Template, errors: &FieldErrors) -> Response {
    let mut response = render(template);
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    message: &'a str,
}

/// A plain error page (without the session's navigation).
pub fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    let page = ErrorPage {
        layout: Layout::anonymous(heading, "", false),
        heading,
        message,
    };
    (status, render(&page)).into_response()
}

/// A UTC instant shown as a date and time in Paris.
pub fn paris_time(unix_seconds: i64) -> String {
    in_paris(unix_seconds)
        .map(|z| z.strftime("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// The day of an instant in Paris: `JJ/MM/AAAA`.
pub fn paris_date(unix_seconds: i64) -> String {
    in_paris(unix_seconds)
        .map(|z| z.strftime("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// An age as said: « 1 an », « 41 ans ».
pub fn years_old(years: i32) -> String {
    if years < 2 {
        format!("{years} an")
    } else {
        format!("{years} ans")
    }
}

/// A phone number in pairs of digits, as it is read aloud.
pub fn spoken_phone(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    chars
        .chunks(2)
        .map(|pair| pair.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn in_paris(unix_seconds: i64) -> Option<jiff::Zoned> {
    jiff::Timestamp::from_second(unix_seconds)
        .ok()
        .map(|t| t.to_zoned(paris()))
}

/// A day as a regulator says it: « ven. 15/01 ».
fn paris_day(zoned: &jiff::Zoned) -> String {
    const DAYS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
    let day = DAYS[usize::from(zoned.weekday().to_monday_zero_offset() as u8)];
    format!("{day} {}", zoned.strftime("%d/%m"))
}

/// A slot's start in Paris, as a regulator reads it over the phone: « ven. 15/01 14:30 ».
pub fn paris_slot(unix_seconds: i64) -> String {
    in_paris(unix_seconds)
        .map(|z| format!("{} {}", paris_day(&z), z.strftime("%H:%M")))
        .unwrap_or_default()
}

/// A deadline as the desk reads it: « mer. 25/11 14:00 », or, for one at midnight (the end
/// of the day before), « mar. 24/11, fin de journée ».
pub fn paris_deadline(unix_seconds: i64) -> String {
    match in_paris(unix_seconds) {
        Some(z) if z.hour() == 0 && z.minute() == 0 => in_paris(unix_seconds - 1)
            .map(|day_before| format!("{}, fin de journée", paris_day(&day_before)))
            .unwrap_or_default(),
        _ => paris_slot(unix_seconds),
    }
}

/// The layout of a logged-in page, with the name of the person's CPTS.
pub async fn layout(state: &AppState, session: &Session, title: &str, current: &str) -> Layout {
    let cpts_name = match session.actor.cpts_id {
        Some(id) => cpts::by_id(&state.app, id)
            .await
            .ok()
            .flatten()
            .map(|c| c.name),
        None => None,
    };
    Layout::for_session(title, session, state, cpts_name, current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(day: i8, hour: i8) -> i64 {
        jiff::civil::date(2027, 1, day)
            .at(hour, 0, 0, 0)
            .in_tz("Europe/Paris")
            .unwrap()
            .timestamp()
            .as_second()
    }

    #[test]
    fn a_deadline_at_midnight_reads_as_the_end_of_the_day_before() {
        assert_eq!(paris_deadline(paris(16, 0)), "ven. 15/01, fin de journée");
        assert_eq!(paris_deadline(paris(16, 14)), "sam. 16/01 14:00");
        assert_eq!(paris_slot(paris(16, 0)), "sam. 16/01 00:00");
    }
}
