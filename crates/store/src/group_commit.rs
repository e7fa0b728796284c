//! SQLite's writes in groups. The process's transactions take the one writer connection
//! in turn, each inside a savepoint of a transaction left open for the group; a finished
//! transaction gives the turn to those queued behind it, then queues again, and the first
//! of the group to come back commits them all with one flush to disk. A commit returns
//! only once its group is on disk, so nothing is acknowledged that a crash could lose,
//! and a transaction that fails or is dropped undoes its own savepoint only.

use crate::error::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, TransactionManager};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

type Manager = sqlx::any::AnyTransactionManager;

/// How long a transaction waits for its turn, as long as SQLite itself would.
const TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// The writer connection and the group of transactions open on it.
#[derive(Default)]
pub(crate) struct Writer {
    conn: Option<PoolConnection<Any>>,
    group: Option<Arc<Group>>,
    /// Transactions of the open group that finished and wait for its commit.
    waiting: usize,
}

impl Writer {
    /// Whether a group of transactions is open on the writer connection.
    pub(crate) fn has_group(&self) -> bool {
        self.group.is_some()
    }
}

/// Transactions committed together; the commit's outcome, once known.
#[derive(Default)]
struct Group {
    committed: OnceLock<std::result::Result<(), String>>,
}

/// The shared writer of one database.
pub(crate) type Shared = Arc<Mutex<Writer>>;

/// A transaction holding the writer's turn, inside its own savepoint.
pub(crate) struct Member {
    writer: Shared,
    turn: OwnedMutexGuard<Writer>,
    open: bool,
}

/// Waits for the writer's turn and opens a transaction in the current group (which it
/// starts, `BEGIN IMMEDIATE`, when there is none).
pub(crate) async fn join(writer: &Shared, pool: &AnyPool) -> Result<Member> {
    let mut turn = tokio::time::timeout(TURN_TIMEOUT, writer.clone().lock_owned())
        .await
        .map_err(|_| StoreError::Busy)?;
    if turn.conn.is_none() {
        turn.conn = Some(pool.acquire().await?);
    }
    let Writer { conn, group, .. } = &mut *turn;
    let conn = conn.as_mut().expect("acquired above");
    if group.is_none() {
        Manager::begin(conn, Some("BEGIN IMMEDIATE".into())).await?;
        *group = Some(Arc::default());
    }
    let mut member = Member {
        writer: writer.clone(),
        turn,
        open: false,
    };
    if let Err(error) = Manager::begin(member.conn(), None).await {
        if member.turn.waiting == 0 {
            Manager::start_rollback(member.conn());
            member.turn.group = None;
        }
        return Err(error.into());
    }
    member.open = true;
    Ok(member)
}

impl Member {
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        self.turn.conn.as_mut().expect("held while joined")
    }

    pub(crate) fn conn_ref(&self) -> &AnyConnection {
        self.turn.conn.as_ref().expect("held while joined")
    }

    /// Keeps the savepoint's writes in the group, gives the turn on, and returns once the
    /// group is committed (by this transaction or another of the group).
    pub(crate) async fn commit(mut self) -> Result<()> {
        Manager::commit(self.conn()).await?;
        self.open = false;
        self.turn.waiting += 1;
        let group = self.turn.group.clone().expect("a group is open");
        let writer = self.writer.clone();
        drop(self);
        // In a task of its own, so that the group is committed even if the caller stops
        // waiting for it.
        tokio::spawn(commit_group(writer, group))
            .await
            .map_err(|error| StoreError::GroupCommit(error.to_string()))?
    }
}

/// Commits `group` once every transaction queued before this one had its turn, unless
/// another member of it already did.
async fn commit_group(writer: Shared, group: Arc<Group>) -> Result<()> {
    let mut turn = writer.lock_owned().await;
    if group.committed.get().is_none() {
        flush(&mut turn).await;
    }
    group
        .committed
        .get()
        .expect("committed by the flush, or before it")
        .clone()
        .map_err(StoreError::GroupCommit)
}

/// Commits the open group, if any, and tells its members how it went.
pub(crate) async fn flush(turn: &mut Writer) {
    let Some(group) = turn.group.take() else {
        return;
    };
    let conn = turn.conn.as_mut().expect("held while a group is open");
    let committed = Manager::commit(conn).await.map_err(|e| e.to_string());
    if committed.is_err() && Manager::rollback(conn).await.is_err() {
        // A connection whose state is unknown is not reused.
        turn.conn.take().expect("held").close_on_drop();
    }
    group.committed.set(committed).expect("committed once");
    turn.waiting = 0;
}

impl Drop for Member {
    /// A transaction dropped unfinished undoes its savepoint, and the group's transaction
    /// too when no finished transaction waits for it.
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        Manager::start_rollback(self.conn());
        if self.turn.waiting == 0 {
            Manager::start_rollback(self.conn());
            self.turn.group = None;
        }
    }
}

/// Gives the writer connection back to the pool (at shutdown), undoing a group left open.
pub(crate) async fn release(writer: &Shared) {
    let mut turn = writer.lock().await;
    if let Some(mut conn) = turn.conn.take()
        && turn.group.take().is_some()
    {
        Manager::rollback(&mut conn).await.ok();
    }
    turn.waiting = 0;
}
