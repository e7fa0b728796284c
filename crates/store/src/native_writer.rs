//! SQLite's writer driven on a thread of its own, for the writes that must be fastest (a
//! booking): a job runs all its statements on that thread, with no hand-off per statement
//! as through sqlx, and the jobs queued while a group commits form the next group, each
//! in its own savepoint, committed with one flush to disk. The thread takes the process's
//! write turn (see [`crate::group_commit`]) for each group, so the two writers never hold
//! SQLite's lock at once; a job's answer is given only once its group is on disk.

use crate::error::{Result, StoreError};
use crate::group_commit::{self, Shared};
use rusqlite::{CachedStatement, Connection, ToSql};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use tokio::runtime::Handle;
use tokio::sync::oneshot;

/// A connection of the native writer, lent to a job.
pub type NativeConn = Connection;

/// At most this many jobs are committed together.
const GROUP_SIZE: usize = 256;

/// A job's statements; whether to keep their writes.
type Work = Box<dyn FnOnce(&Connection) -> bool + Send>;

/// A job: its work, and who waits for the commit.
struct Job {
    work: Work,
    committed: oneshot::Sender<Committed>,
}

/// The writer thread's queue.
pub struct NativeWriter {
    jobs: mpsc::Sender<Job>,
}

impl NativeWriter {
    /// Opens the database file at `path` on a new thread, which shares `turn` with the
    /// process's other transactions.
    pub(crate) fn start(path: &str, turn: Shared) -> Result<Self> {
        let conn = Connection::open(path).map_err(native)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA busy_timeout = 10000;",
        )
        .map_err(native)?;
        conn.execute_batch(crate::db::SQLITE_PAGE_CACHE)
            .map_err(native)?;
        let (jobs, queue) = mpsc::channel();
        let runtime = Handle::current();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                // In the runtime's context, so that the writer connection of the turn can
                // go back to its pool when this thread holds the turn last.
                let _context = runtime.enter();
                serve(&conn, &queue, turn, &runtime);
            })
            .map_err(|error| StoreError::GroupCommit(error.to_string()))?;
        Ok(Self { jobs })
    }

    /// Runs `work` in a savepoint of the next group, keeping its writes when it says so,
    /// and returns its value once the group is committed.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> (bool, T) + Send + 'static,
    ) -> Result<T> {
        let (value_sender, value) = oneshot::channel();
        let (committed, commit) = oneshot::channel();
        let work = Box::new(move |conn: &Connection| {
            let (keep, result) = work(conn);
            value_sender.send(result).ok();
            keep
        });
        self.jobs
            .send(Job { work, committed })
            .map_err(|_| stopped())?;
        commit
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::GroupCommit)?;
        value.await.map_err(|_| stopped())
    }
}

fn stopped() -> StoreError {
    StoreError::GroupCommit("the SQLite writer stopped".to_owned())
}

/// A native SQLite error as the store's.
pub(crate) fn native(error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation)
            if error.to_string().contains("UNIQUE constraint failed") =>
        {
            StoreError::Conflict
        }
        _ => StoreError::Native(error.to_string()),
    }
}

/// A group's commit: done, or why not.
type Committed = std::result::Result<(), String>;

/// Commits the queued jobs in groups until the database is dropped.
fn serve(conn: &Connection, queue: &mpsc::Receiver<Job>, turn: Shared, runtime: &Handle) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        group.extend(queue.try_iter().take(GROUP_SIZE - 1));
        let mut writer = turn.blocking_lock();
        if writer.has_group() {
            runtime.block_on(group_commit::flush(&mut writer));
        }
        let (waiting, committed) = commit_group(conn, group);
        drop(writer);
        for job in waiting {
            job.send(committed.clone()).ok();
        }
    }
}

/// Runs `group` in one transaction, each job in its savepoint, and commits it; those who
/// wait for the commit, and its outcome.
fn commit_group(
    conn: &Connection,
    group: Vec<Job>,
) -> (Vec<oneshot::Sender<Committed>>, Committed) {
    if let Err(error) = conn.execute_batch("BEGIN IMMEDIATE") {
        let waiting = group.into_iter().map(|job| job.committed).collect();
        return (waiting, Err(error.to_string()));
    }
    let mut waiting = Vec::with_capacity(group.len());
    for job in group {
        match run_job(conn, job.work) {
            Ok(()) => waiting.push(job.committed),
            Err(error) => {
                job.committed.send(Err(error)).ok();
            }
        }
    }
    let committed = conn.execute_batch("COMMIT").map_err(|error| {
        conn.execute_batch("ROLLBACK").ok();
        error.to_string()
    });
    (waiting, committed)
}

/// Runs a job's work in its savepoint, undone when the work says so or panics.
fn run_job(conn: &Connection, work: Work) -> Committed {
    conn.execute_batch("SAVEPOINT job")
        .map_err(|error| error.to_string())?;
    let kept = std::panic::catch_unwind(AssertUnwindSafe(|| work(conn)));
    let end = if matches!(kept, Ok(true)) {
        "RELEASE job"
    } else {
        "ROLLBACK TO job; RELEASE job"
    };
    conn.execute_batch(end).map_err(|error| error.to_string())?;
    kept.map(|_| ()).map_err(|_| "the job failed".to_owned())
}

/// Runs a statement of the repositories (parameters `$1`, `$2`…) with `values` in their
/// order; the number of rows it changed.
pub(crate) fn execute(conn: &Connection, sql: &str, values: &[&dyn ToSql]) -> Result<usize> {
    let mut statement = bound(conn, sql, values)?;
    statement.raw_execute().map_err(native)
}

/// Runs a statement that returns one integer (`RETURNING id`).
pub(crate) fn returning_id(conn: &Connection, sql: &str, values: &[&dyn ToSql]) -> Result<i64> {
    let mut statement = bound(conn, sql, values)?;
    let mut rows = statement.raw_query();
    let row = rows.next().map_err(native)?.ok_or(StoreError::Native(
        "the statement returned no row".to_owned(),
    ))?;
    row.get(0).map_err(native)
}

/// The statement `sql`, from the connection's cache, with `values` bound to `$1`, `$2`…
fn bound<'c>(
    conn: &'c Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> Result<CachedStatement<'c>> {
    let mut statement = conn.prepare_cached(sql).map_err(native)?;
    for (place, value) in values.iter().enumerate() {
        let name = format!("${}", place + 1);
        let index = statement
            .parameter_index(&name)
            .map_err(native)?
            .ok_or_else(|| StoreError::Native(format!("no parameter {name}")))?;
        statement.raw_bind_parameter(index, value).map_err(native)?;
    }
    Ok(statement)
}

/// Runs `work` in a savepoint of the job: its writes are undone when it fails.
pub fn in_savepoint<T, E: From<StoreError>>(
    conn: &Connection,
    work: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    conn.execute_batch("SAVEPOINT attempt").map_err(native)?;
    let result = work();
    let end = if result.is_ok() {
        "RELEASE attempt"
    } else {
        "ROLLBACK TO attempt; RELEASE attempt"
    };
    conn.execute_batch(end).map_err(native)?;
    result
}
