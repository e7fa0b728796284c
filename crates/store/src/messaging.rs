//! Secure messaging: threads and their members, messages, attachments and alerts.

pub mod alerts;
pub mod attachments;
pub mod messages;
pub mod threads;
