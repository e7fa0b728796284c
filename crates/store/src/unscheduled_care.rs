//! Unscheduled care: what members publish (places, rules, absences), slots, requests,
//! the desk's calls, bookings, cooperation protocols, calendar feeds and what the SAS is told.

pub mod availability;
pub mod bookings;
pub mod calendar;
pub mod protocols;
pub mod request_calls;
pub mod requests;
pub mod sas_appointments;
pub mod slots;
