//! Secure messaging between a CPTS's professionals: threads around one patient or on a
//! topic, messages with mentions and attachments, read receipts, live delivery. Only a
//! thread's current members reach it (anyone else is told it does not exist), and every
//! read of a patient thread is audited.

pub mod alerts;
pub mod live;
mod posting;
mod reading;
mod retention;
mod threads;

pub use posting::{MAX_FILES, NewFile, post};
pub use reading::{
    Download, Found, MessageView, ThreadView, download, messages_after, open, search, watch,
};
pub use retention::{RETENTION_DAYS, purge_expired, retention, set_retention};
pub use threads::{NewThread, add_member, archive, colleagues, create, leave, list};

use crate::context::Actor;
use crate::error::{ServiceError, ServiceResult};
use maillage_store::Conn;
use maillage_store::messaging::threads::ThreadRow;

/// The thread, if the actor is one of its current members; `NotFound` otherwise, so that a
/// stranger cannot tell a thread exists.
async fn thread_of_member(
    conn: &mut Conn,
    actor: &Actor,
    thread_id: i64,
) -> ServiceResult<ThreadRow> {
    maillage_store::messaging::threads::for_member(conn, thread_id, actor.user_id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The CPTS of an actor who may write messages: everyone attached to a CPTS.
fn cpts_of(actor: &Actor) -> ServiceResult<i64> {
    actor.cpts_id.ok_or(ServiceError::Forbidden)
}
