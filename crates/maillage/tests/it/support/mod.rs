//! Test harness: a database per test (a SQLite file, or a PostgreSQL database on the
//! cluster that `scripts/test` starts), the application served on port 0, a movable clock;
//! HTTP clients (`http`), the fixtures each area's tests start from (`fixtures`), and the
//! browser, command and stand-in servers some tests drive.

pub mod browser;
pub mod cli;
pub mod fixtures;
mod http;
pub mod printed;
pub mod script_server;
pub mod sms_provider;
pub mod smtp;

pub use http::{
    accept_invitation, api_get, api_post, csrf_of, invitation_path, location, post_enrolment_code,
    text_between, token_of,
};
use maillage_services::platform::host_key::{HostKey, HostKeys};
use maillage_services::platform::notify::SmsGateway;
use maillage_services::platform::start;
use maillage_services::{App, Backend, Clock, Db, Settings};
use maillage_web::{AppState, WebConfig, router};
use sqlx::Connection;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};

pub const PASSWORD: &str = "un mot de passe solide";

/// Runs a test case once on SQLite and once on PostgreSQL, with the given settings
/// (by default, second factor not required). A case that passes removes its database; a
/// failed one leaves it to be looked at.
macro_rules! both {
    ($name:ident) => {
        crate::support::both!(
            $name,
            maillage_services::Settings {
                require_second_factor: false,
                ..maillage_services::Settings::default()
            }
        );
    };
    ($name:ident, $settings:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let backend = maillage_services::Backend::Sqlite;
                if let Some(t) = crate::support::TestApp::spawn_with(backend, $settings).await {
                    let db_url = t.db_url.clone();
                    super::$name(t).await;
                    crate::support::remove_database(&db_url).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let backend = maillage_services::Backend::Postgres;
                if let Some(t) = crate::support::TestApp::spawn_with(backend, $settings).await {
                    let db_url = t.db_url.clone();
                    super::$name(t).await;
                    crate::support::remove_database(&db_url).await;
                }
            }
        }
    };
}
pub(crate) use both;

/// A clock the test moves forward.
pub struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl TestClock {
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub clock: Arc<TestClock>,
    pub db_url: String,
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The data folder of a test database's host (its host key and audit checkpoints, where a
/// host's configuration puts them by default): `maillage` commands a test runs use it too.
/// The name is a hash of the URL, short enough that a Unix socket in it stays under the
/// 108 bytes an address may take, however long the temporary folder's path.
pub fn data_dir_of(db_url: &str) -> std::path::PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    db_url.hash(&mut hasher);
    std::env::temp_dir().join(format!("mlg-data-{:016x}", hasher.finish()))
}

/// The host keys of the test database `db_url`: a fresh host key and checkpoint file.
pub fn test_keys(db_url: &str) -> HostKeys {
    let folder = data_dir_of(db_url);
    let _ = std::fs::remove_dir_all(&folder);
    let key = folder.join("secrets").join("host.key");
    let host = HostKey::load_or_create(&key).expect("a host key");
    HostKeys::new(&host.key, folder.join("audit-checkpoints.log"), None)
}

/// A fresh, empty database URL for `backend`, or `None` when PostgreSQL is not available
/// (allowed only outside `scripts/test`).
pub async fn fresh_database(backend: Backend) -> Option<String> {
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("maillage-it-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("t{n}.db"));
            let _ = std::fs::remove_file(&path);
            Some(format!("sqlite://{}", path.display()))
        }
        Backend::Postgres => {
            let Ok(admin) = std::env::var("MAILLAGE_TEST_POSTGRES_URL") else {
                assert!(
                    std::env::var("MAILLAGE_TEST_REQUIRE_ALL").is_err(),
                    "MAILLAGE_TEST_POSTGRES_URL is not set: run scripts/test"
                );
                eprintln!("PostgreSQL not available: test skipped (run scripts/test)");
                return None;
            };
            let name = format!("mlg_{}_{n}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("PostgreSQL test cluster");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            let base = admin.rsplit_once('/').expect("URL with a database").0;
            Some(format!("{base}/{name}"))
        }
    }
}

/// Removes a database `fresh_database` gave, even while the test's servers still hold
/// connections to it (its files are unlinked; PostgreSQL's are closed by force).
pub async fn remove_database(url: &str) {
    if let Some(path) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
        return;
    }
    let (base, name) = url.rsplit_once('/').expect("URL with a database");
    let admin = std::env::var("MAILLAGE_TEST_POSTGRES_URL").expect("the test cluster");
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    assert!(admin.starts_with(base), "{url} is not on the test cluster");
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .unwrap();
}

/// Serves `app` on a port of its own and returns its base URL.
async fn listen(app: App, secure_cookies: bool) -> String {
    let config = WebConfig {
        secure_cookies,
        demo: false,
        sas_connected: false,
        // As behind a reverse proxy on the same machine: tests name their client's
        // address in `X-Forwarded-For`.
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
    };
    let state = AppState::new(app, config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{address}")
}

impl TestApp {
    pub async fn spawn_with(backend: Backend, settings: Settings) -> Option<Self> {
        let db_url = fresh_database(backend).await?;
        let clock = Arc::new(TestClock(AtomicI64::new(1_800_000_000)));
        let keys = test_keys(&db_url);
        Some(Self::serve(db_url, settings, clock, keys, None).await)
    }

    /// Another app server on this test's database, with its own memory (as behind a load
    /// balancer) and the same clock.
    pub async fn second_server(&self) -> Self {
        let settings = (*self.app.settings).clone();
        let keys = self.app.host_keys();
        Self::serve(
            self.db_url.clone(),
            settings,
            self.clock.clone(),
            keys,
            None,
        )
        .await
    }

    /// Another app server on this test's database that sends SMS through `gateway`.
    pub async fn second_server_with_sms(&self, gateway: SmsGateway) -> Self {
        let settings = (*self.app.settings).clone();
        let sms = Some(gateway);
        let keys = self.app.host_keys();
        Self::serve(self.db_url.clone(), settings, self.clock.clone(), keys, sms).await
    }

    async fn serve(
        db_url: String,
        settings: Settings,
        clock: Arc<TestClock>,
        keys: HostKeys,
        sms: Option<SmsGateway>,
    ) -> Self {
        let db = Db::connect(&db_url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let app = App::new(db, settings, clock.clone(), keys);
        start::prepare(&app).await.expect("the host's keys applied");
        let app = match sms {
            Some(gateway) => app.with_sms(gateway),
            None => app,
        };
        let base = listen(app.clone(), false).await;
        Self {
            base,
            app,
            clock,
            db_url,
        }
    }

    /// The base URL of another server of this app that marks its cookies `Secure`, as one
    /// behind HTTPS is configured (`secure_cookies`).
    pub async fn secure_server(&self) -> String {
        listen(self.app.clone(), true).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The number an SQL `COUNT(*)` query gives on this test's database.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&mut *self.app.db.conn().await.unwrap())
            .await
            .unwrap()
    }

    /// How many times `action` is in the audit trail.
    pub async fn audited(&self, action: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&mut *self.app.db.conn().await.unwrap())
            .await
            .unwrap()
    }
}
