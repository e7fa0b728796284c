//! The integration tests of maillage: one binary; each test starts the application on
//! port 0 with a database of its own, on SQLite and on PostgreSQL.

mod access;
mod api;
mod audit_trail;
mod auth;
mod browser;
mod cli;
mod diagnosis;
mod diagnosis_france;
mod diagnosis_statistics;
mod directory;
mod directory_search;
mod fhir;
mod finess;
mod gp_answers;
mod gp_api;
mod gp_departures;
mod gp_proposals;
mod gp_public_form;
mod gp_reminders;
mod gp_waitlist;
mod journey;
mod journey_care;
mod journey_diagnosis;
mod members;
mod messaging;
mod messaging_files;
mod messaging_live;
mod notifications;
mod outbox_crash;
mod script_server;
mod sms_provider;
mod smtp;
mod snp;
mod support;
mod territory;
