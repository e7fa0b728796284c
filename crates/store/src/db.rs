//! The connection pool, the choice of backend from the URL, migrations, transactions, backup.

use crate::error::{Result, StoreError};
use crate::group_commit;
use crate::native_writer::NativeWriter;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Connection, Executor};
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a deployment runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A transaction of either backend. On SQLite it is one of a group committed together
/// (see [`crate::group_commit`]).
pub struct Tx(Open);

enum Open {
    Sqlite(group_commit::Member),
    Postgres(sqlx::Transaction<'static, Any>),
}

impl Deref for Tx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        match &self.0 {
            Open::Sqlite(member) => member.conn_ref(),
            Open::Postgres(tx) => tx,
        }
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match &mut self.0 {
            Open::Sqlite(member) => member.conn(),
            Open::Postgres(tx) => tx,
        }
    }
}

impl Tx {
    /// Commits; on SQLite, returns once the transaction's group is on disk.
    pub async fn commit(self) -> Result<()> {
        match self.0 {
            Open::Sqlite(member) => member.commit().await,
            Open::Postgres(tx) => Ok(tx.commit().await?),
        }
    }
}

/// A savepoint inside a transaction: `commit` keeps its writes in the transaction,
/// `rollback` (or dropping it) undoes them.
pub type Savepoint<'c> = sqlx::Transaction<'c, Any>;

/// Opens a savepoint in the transaction that `conn` is in.
pub async fn savepoint(conn: &mut crate::Conn) -> Result<Savepoint<'_>> {
    use sqlx::Connection;
    Ok(conn.begin().await?)
}

/// Keeps a savepoint's writes in its transaction.
pub async fn keep(savepoint: Savepoint<'_>) -> Result<()> {
    Ok(savepoint.commit().await?)
}

/// Undoes a savepoint's writes.
pub async fn undo(savepoint: Savepoint<'_>) -> Result<()> {
    Ok(savepoint.rollback().await?)
}

/// The file of a SQLite database as SQLite opened it (none in memory).
async fn sqlite_file(pool: &AnyPool) -> Result<Option<String>> {
    let file: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(pool)
            .await?;
    Ok(Some(file).filter(|f| !f.is_empty()))
}

/// The settings of each SQLite connection: write-ahead log, each commit flushed to disk,
/// foreign keys checked, 10 s of patience for the lock, and reads through a memory map
/// (the directory's searches touch pages all over a large file).
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA mmap_size = 1073741824;";

/// The page cache of each SQLite connection: 16 MiB (a negative size is in KiB).
pub(crate) const SQLITE_PAGE_CACHE: &str = "PRAGMA cache_size = -16384";

/// The database of a deployment.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// The URL of a PostgreSQL database, for the connections that listen to notifications.
    postgres_url: Option<String>,
    /// SQLite's writer connection, taken in turn by this process's transactions.
    writer: group_commit::Shared,
    /// SQLite's native writer, on a database file (not in memory).
    native: Option<Arc<NativeWriter>>,
}

impl Db {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self> {
        install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let separator = if path.contains('?') { '&' } else { '?' };
            let url = if path.contains("mode=") {
                url.to_owned()
            } else {
                format!("sqlite://{path}{separator}mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite file does not drop connections: no round trip to the connection's
            // thread to check it at each acquire. A PostgreSQL server may have.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                        conn.execute(SQLITE_PAGE_CACHE).await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await?;
        let postgres_url = (backend == Backend::Postgres).then_some(url);
        let writer = group_commit::Shared::default();
        let native = match backend {
            Backend::Sqlite => match sqlite_file(&pool).await? {
                Some(path) => Some(Arc::new(NativeWriter::start(&path, writer.clone())?)),
                None => None,
            },
            Backend::Postgres => None,
        };
        Ok(Self {
            pool,
            backend,
            postgres_url,
            writer,
            native,
        })
    }

    /// SQLite's native writer, when the database is a file.
    pub fn native_writer(&self) -> Option<&NativeWriter> {
        self.native.as_deref()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn postgres_url(&self) -> Option<&str> {
        self.postgres_url.as_deref()
    }

    /// Applies the backend's pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Starts a read-write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that a transaction that reads then writes never fails midway,
    /// and it waits in the process for the writer's turn rather than in SQLite's busy
    /// handler, which sleeps between its tries.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx(match self.backend {
            Backend::Sqlite => Open::Sqlite(group_commit::join(&self.writer, &self.pool).await?),
            Backend::Postgres => Open::Postgres(self.pool.begin().await?),
        }))
    }

    /// Commits a transaction opened with [`Db::begin`].
    pub async fn commit(tx: Tx) -> Result<()> {
        tx.commit().await
    }

    /// A connection for reads that need no transaction.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    /// Refreshes the planner's statistics after a bulk load (and, on PostgreSQL, vacuums
    /// the new rows, so that autovacuum does not come and compete with what follows).
    pub async fn settle(&self) -> Result<()> {
        let statement = match self.backend {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        sqlx::query(statement).execute(&self.pool).await?;
        Ok(())
    }

    /// Writes a consistent copy of a SQLite database to `target` while it is in use.
    /// Returns `false` on PostgreSQL, whose backups are made with `pg_dump`.
    pub async fn backup_sqlite(&self, target: &Path) -> Result<bool> {
        if self.backend != Backend::Sqlite {
            return Ok(false);
        }
        let target = target.to_string_lossy().into_owned();
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        if let Some(native) = &self.native {
            native.close().await;
        }
        group_commit::release(&self.writer).await;
        self.pool.close().await;
    }
}
