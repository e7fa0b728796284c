//! The HTML pages, one module per area of the interface.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod audit;
pub mod diagnosis;
pub mod directory;
pub mod gp_answer_link;
pub mod gp_departures;
pub mod gp_indicators;
pub mod gp_proposals;
pub mod gp_public;
pub mod gp_request_form;
pub mod gp_waitlist;
pub mod home;
pub mod indicator_period;
pub mod invitation;
pub mod login;
pub mod members;
pub mod messaging;
pub mod snp_agenda;
pub mod snp_availability;
pub mod snp_calendar;
pub mod snp_desk;
pub mod snp_indicators;
pub mod snp_protocols;
pub mod snp_request;
pub mod territory;
pub mod thread;
pub mod users;

use crate::html::Layout;
use crate::state::AppState;
use maillage_services::platform::auth::Session;
use maillage_services::territory::cpts;

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
