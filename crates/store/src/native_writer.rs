//! SQLite's writer driven on a thread of its own, for the writes that must be fastest (a
//! booking): a job runs all its statements on that thread, with no hand-off per statement
//! as through sqlx, and the jobs queued while a group commits form the next group, each
//! in its own savepoint, committed with one flush to disk. The thread takes the process's
//! write turn (see [`crate::group_commit`]) for each group, so the two writers never hold
//! SQLite's lock at once; a job's answer is given only once its group is on disk.

use crate::db::{SQLITE_PAGE_CACHE, SQLITE_PRAGMAS};
use crate::error::{Result, StoreError};
use crate::group_commit::{self, Shared};
use crate::native_sql::native;
use rusqlite::Connection;
use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;
use tokio::runtime::Handle;
use tokio::sync::oneshot;

/// At most this many jobs are committed together.
const GROUP_SIZE: usize = 256;

/// A job's statements; whether to keep their writes.
type Work = Box<dyn FnOnce(&Connection) -> bool + Send>;

/// A group's commit: done, or why not.
type Committed = std::result::Result<(), String>;

/// A job: its work, and who waits for the commit.
struct Job {
    work: Work,
    committed: oneshot::Sender<Committed>,
}

/// The writer thread and its queue, until closed.
pub struct NativeWriter {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl NativeWriter {
    /// Opens the database file at `path` on a new thread, which shares `turn` with the
    /// process's other transactions.
    pub(crate) fn start(path: &str, turn: Shared) -> Result<Self> {
        let conn = open(path)?;
        let (jobs, queue) = mpsc::channel();
        let runtime = Handle::current();
        let path = path.to_owned();
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                // In the runtime's context, so that the writer connection of the turn can
                // go back to its pool when this thread holds the turn last.
                let _context = runtime.enter();
                serve(&path, conn, &queue, turn, &runtime);
            })
            .map_err(|error| StoreError::Native(error.to_string()))?;
        Ok(Self {
            jobs: Mutex::new(Some(jobs)),
            thread: Mutex::new(Some(thread)),
        })
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
        let jobs = self.jobs.lock().expect("never poisoned").clone();
        jobs.ok_or_else(stopped)?
            .send(Job { work, committed })
            .map_err(|_| stopped())?;
        commit
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::GroupCommit)?;
        value.await.map_err(|_| stopped())
    }

    /// Takes no more jobs, and returns once those queued are committed (at shutdown).
    pub(crate) async fn close(&self) {
        self.jobs.lock().expect("never poisoned").take();
        let thread = self.thread.lock().expect("never poisoned").take();
        if let Some(thread) = thread {
            tokio::task::spawn_blocking(move || thread.join())
                .await
                .ok();
        }
    }
}

fn stopped() -> StoreError {
    StoreError::GroupCommit("the SQLite writer stopped".to_owned())
}

/// A connection to the file at `path`, set as the pool's are.
fn open(path: &str) -> Result<Connection> {
    let conn = Connection::open(path).map_err(native)?;
    conn.execute_batch(SQLITE_PRAGMAS).map_err(native)?;
    conn.execute_batch(SQLITE_PAGE_CACHE).map_err(native)?;
    Ok(conn)
}

/// Commits the queued jobs in groups until the writer is closed or dropped.
fn serve(
    path: &str,
    conn: Connection,
    queue: &mpsc::Receiver<Job>,
    turn: Shared,
    runtime: &Handle,
) {
    let mut kept = Some(conn);
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        group.extend(queue.try_iter().take(GROUP_SIZE - 1));
        let mut writer = turn.blocking_lock();
        if writer.has_group() {
            runtime.block_on(group_commit::flush(&mut writer));
        }
        let (waiting, committed) = match kept.take().map_or_else(|| open(path), Ok) {
            Ok(conn) => {
                let outcome = commit_group(&conn, group);
                // A transaction that could be neither committed nor undone would keep
                // SQLite's lock: the connection is closed (SQLite undoes it), and the next
                // group opens another.
                if conn.is_autocommit() {
                    kept = Some(conn);
                }
                outcome
            }
            Err(error) => {
                let waiting = group.into_iter().map(|job| job.committed).collect();
                (waiting, Err(error.to_string()))
            }
        };
        drop(writer);
        for job in waiting {
            job.send(committed.clone()).ok();
        }
    }
}

/// Runs `group` in one transaction, each job in its savepoint, and commits it; those who
/// wait for the commit, and its outcome. When the transaction cannot be trusted any more
/// (a savepoint that cannot be undone, a transaction SQLite ended by itself), the jobs left
/// are not run and the whole group is undone.
fn commit_group(
    conn: &Connection,
    group: Vec<Job>,
) -> (Vec<oneshot::Sender<Committed>>, Committed) {
    let mut broken = conn
        .execute_batch("BEGIN IMMEDIATE")
        .err()
        .map(|e| e.to_string());
    let mut waiting = Vec::with_capacity(group.len());
    for job in group {
        if broken.is_none() {
            match run_job(conn, job.work) {
                Ok(true) => {}
                Ok(false) => {
                    job.committed.send(Err("the job failed".to_owned())).ok();
                    continue;
                }
                Err(error) => broken = Some(error),
            }
        }
        waiting.push(job.committed);
    }
    let committed = match broken {
        Some(error) => Err(error),
        None => conn.execute_batch("COMMIT").map_err(|e| e.to_string()),
    };
    if committed.is_err() && !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK").ok();
    }
    (waiting, committed)
}

/// Runs a job's work in its savepoint, undone when the work says so or panics; whether
/// the work ran to its end, or why the group's transaction is no longer sound.
fn run_job(conn: &Connection, work: Work) -> std::result::Result<bool, String> {
    conn.execute_batch("SAVEPOINT job")
        .map_err(|error| error.to_string())?;
    let kept = std::panic::catch_unwind(AssertUnwindSafe(|| work(conn)));
    let end = if matches!(kept, Ok(true)) {
        "RELEASE job"
    } else {
        "ROLLBACK TO job; RELEASE job"
    };
    conn.execute_batch(end).map_err(|error| error.to_string())?;
    if conn.is_autocommit() {
        return Err("SQLite ended the group's transaction".to_owned());
    }
    Ok(kept.is_ok())
}
