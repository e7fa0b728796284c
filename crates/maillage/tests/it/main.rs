//! The integration tests of maillage: one binary; each test starts the application on
//! port 0 with a database of its own, on SQLite and on PostgreSQL.

// A test stops at the first thing that is not as expected: unwrapping is its assertion.
#![allow(clippy::unwrap_used)]

mod access;
mod api;
mod api_bodies;
mod api_fuzz;
mod audit_trail;
mod auth;
mod booking_crash;
mod booking_writers;
mod browser;
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
mod journey_snp;
mod members;
mod messaging;
mod messaging_files;
mod messaging_live;
mod notifications;
mod outbox_crash;
mod printed;
mod refusals;
mod sas_appointments;
mod sas_fhir;
mod script_server;
mod secrets_at_rest;
mod sms_provider;
mod smtp;
mod snp;
mod snp_absences;
mod snp_api;
mod snp_availability;
mod snp_calendar;
mod snp_desk_list;
mod snp_indicators;
mod snp_pages;
mod snp_retention;
mod support;
mod territory;
mod transactions;
