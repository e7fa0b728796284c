//! The integration tests of maillage: one binary; each test starts the application on
//! port 0 with a database of its own, on SQLite and on PostgreSQL.

// A test stops at the first thing that is not as expected: unwrapping is its assertion.
#![allow(clippy::unwrap_used)]

mod access;
mod access_matrix;
mod api;
mod api_bodies;
mod api_fuzz;
mod audit_trail;
mod auth;
mod booking_crash;
mod booking_writers;
mod cli;
mod demo;
mod diagnosis;
mod diagnosis_coverage;
mod diagnosis_france;
mod diagnosis_statistics;
mod directory;
mod directory_safeguards;
mod directory_search;
mod fhir;
mod finess;
mod general_practitioners;
mod gp_answers;
mod gp_api;
mod gp_departures;
mod gp_proposals;
mod gp_public_form;
mod gp_reminders;
mod gp_waitlist;
mod hostile_exports;
mod hostile_text;
mod hostile_titles;
mod journey;
mod journey_care;
mod journey_diagnosis;
mod journey_unscheduled_care;
mod members;
mod messaging;
mod messaging_files;
mod messaging_live;
mod notifications;
mod outbox_crash;
mod refusals;
mod sas_appointments;
mod sas_fhir;
mod secrets_at_rest;
mod support;
mod territory;
mod transactions;
mod unscheduled_care;
mod unscheduled_care_absences;
mod unscheduled_care_api;
mod unscheduled_care_availability;
mod unscheduled_care_calendar;
mod unscheduled_care_desk_list;
mod unscheduled_care_indicators;
mod unscheduled_care_pages;
mod unscheduled_care_retention;
