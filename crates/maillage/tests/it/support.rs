//! Test harness: a database per test (a SQLite file, or a PostgreSQL database on the
//! cluster that `scripts/test` starts), the application served on port 0, a movable clock,
//! and an HTTP client that keeps cookies and does not follow redirects.

use maillage_services::platform::accounts::{self, AccountRequest};
use maillage_services::platform::host_key::{HostKey, HostKeys};
use maillage_services::platform::notify::SmsGateway;
use maillage_services::platform::start;
use maillage_services::{App, Backend, Clock, Db, Settings, territory::cpts};
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

    /// Loads the shipped territory (communes, EPCI…) into this test's database.
    pub async fn load_territory(&self) {
        maillage_services::reference::load_territory(&self.app.db, self.app.now())
            .await
            .expect("territory loaded");
    }

    pub async fn cpts(&self, slug: &str) {
        cpts::create(&self.app, None, slug, &format!("CPTS {slug}"))
            .await
            .expect("create CPTS");
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

    /// Creates the CPTS `slug` over Aix-en-Provence, Bouc-Bel-Air and Cabriès, where the
    /// sample directory's professionals practise (the territory must be loaded).
    pub async fn aix_cpts(&self, slug: &str, name: &str) {
        let perimeter = maillage_services::territory::Selection {
            communes: vec!["13001".into(), "13015".into(), "13019".into()],
            epcis: Vec::new(),
        };
        maillage_services::territory::create(&self.app, None, slug, name, &perimeter)
            .await
            .unwrap();
    }

    /// The account `email` as the use cases see it when it acts.
    pub async fn actor(&self, email: &str) -> maillage_services::Actor {
        let mut conn = self.app.db.conn().await.unwrap();
        let user = maillage_store::platform::users::by_email(&mut conn, email)
            .await
            .unwrap()
            .unwrap();
        maillage_services::Actor {
            user_id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            cpts_id: user.cpts_id,
            request: Default::default(),
        }
    }

    /// Creates an account; `cpts` is a slug, empty for an administrator.
    pub async fn user(&self, email: &str, role: &str, cpts: &str) {
        self.user_named(email, "Personne Test", role, cpts).await;
    }

    /// Creates an account with a display name.
    pub async fn user_named(&self, email: &str, name: &str, role: &str, cpts: &str) {
        let request = AccountRequest {
            email,
            display_name: name,
            role,
            cpts_slug: cpts,
        };
        accounts::create_with_password(&self.app, &request, PASSWORD)
            .await
            .expect("create user");
    }

    /// A new browser-like client (own cookies, no redirect following).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A browser at the address `address`, as the trusted reverse proxy forwards it.
    pub fn client_from(&self, address: &str) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", address.parse().unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// The body of the page at `path`, fetched by `client`.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.unwrap();
        response.text().await.unwrap()
    }

    /// Logs `client` in and returns where the login redirected.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client
            .get(self.url("/connexion"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        client
            .post(self.url("/connexion"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Posts a form from the page at `page_path`, with that page's CSRF token.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        page_path: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let page = client
            .get(self.url(page_path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        client
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .unwrap()
    }
}

/// A GET on the API with a personal token.
pub async fn api_get(t: &TestApp, path: &str, token: &str) -> reqwest::Response {
    let request = reqwest::Client::new().get(t.url(path)).bearer_auth(token);
    request.send().await.unwrap()
}

/// Logs `email` in and creates a personal API token for them.
pub async fn token_of(t: &TestApp, email: &str) -> String {
    let client = t.client();
    t.login(&client, email, PASSWORD).await;
    let page = t
        .post_form(&client, "/compte", "/compte/jetons", &[("name", "tests")])
        .await
        .text()
        .await
        .unwrap();
    text_between(&page, "<code id=\"nouveau-jeton\">", "</code>")
        .expect("the new token, shown once")
}

/// The CSRF token of the first form of a page.
pub fn csrf_of(page: &str) -> String {
    text_between(page, "name=\"csrf\" value=\"", "\"").expect("a form with a CSRF token")
}

/// The path of the invitation link a page shows.
pub fn invitation_path(page: &str) -> String {
    let link = text_between(page, "<code id=\"lien-invitation\">", "</code>")
        .expect("the invitation link")
        .replace("&#x2f;", "/")
        .replace("&#61;", "=");
    link[link.find("/invitation").expect("an invitation link")..].to_owned()
}

/// Posts the password (and its confirmation) chosen on an opened invitation `form`.
pub async fn accept_invitation(
    t: &TestApp,
    client: &reqwest::Client,
    form: &str,
    password: &str,
    confirm: &str,
) -> reqwest::Response {
    let token = text_between(form, "name=\"token\" value=\"", "\"").expect("the token");
    client
        .post(t.url("/invitation"))
        .form(&[
            ("csrf", csrf_of(form).as_str()),
            ("token", &token),
            ("password", password),
            ("confirm_password", confirm),
        ])
        .send()
        .await
        .unwrap()
}

/// The text between two markers of a page.
pub fn text_between(page: &str, start: &str, end: &str) -> Option<String> {
    let from = page.find(start)? + start.len();
    let len = page[from..].find(end)?;
    Some(page[from..from + len].to_owned())
}

/// Posts `code` to the second factor's enrolment page of `client`'s account.
pub async fn post_enrolment_code(
    t: &TestApp,
    client: &reqwest::Client,
    code: &str,
) -> reqwest::Response {
    t.post_form(
        client,
        "/compte/double-authentification",
        "/compte/double-authentification",
        &[("code", code)],
    )
    .await
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}
