//! What every use case receives: the application (database, settings, clock), the acting
//! user and the request they act in.

use crate::directory::index::SearchIndex;
use crate::messaging::live::Hub;
use crate::platform::audit_seal::AuditSeal;
use crate::platform::host_key::HostKeys;
use crate::platform::notify::SmsGateway;
use crate::platform::secret_box::SecretBox;
use maillage_domain::Role;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::common::paris_time::paris;
use maillage_domain::platform::login_throttle::Limits;
use maillage_store::Db;
use std::sync::Arc;
use tokio::sync::{Notify, OnceCell};

/// The source of the current time, a parameter so that tests can move it.
pub trait Clock: Send + Sync {
    /// Unix seconds, UTC.
    fn now(&self) -> i64;
}

/// The system's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }
}

/// Settings the use cases follow.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends after this many seconds without a request.
    pub session_idle_secs: i64,
    /// A session ends this many seconds after login, whatever its use.
    pub session_absolute_secs: i64,
    /// Whether coordinators and administrators must use two-factor authentication.
    pub require_second_factor: bool,
    /// How long an invitation link stays valid.
    pub invitation_ttl_secs: i64,
    /// Failed logins of one account from one address before each further attempt waits
    /// (twice as long each time), and failures one address may make over the window.
    pub free_failures_per_account_address: i64,
    pub max_failures_per_ip: i64,
    pub throttle_window_secs: i64,
    /// The address people reach the platform at, for the links of notification e-mails.
    pub public_url: String,
    /// How long an outbox worker holds the notifications it took before another may.
    pub outbox_lease_secs: i64,
    /// Months after its closure when a waiting-list request loses its personal data.
    pub gp_waitlist_retention_months: i64,
    /// Months after its receipt and its last appointment when an unscheduled-care request
    /// loses its personal data.
    pub unscheduled_care_retention_months: i64,
    /// Health counts of a diagnosis from 1 to this number minus one are masked
    /// (statistical secrecy; 11, the rule of the SNDS, hides 1 to 10).
    pub small_count_threshold: i64,
}

/// An average month, in seconds: retentions are counted in months.
pub const MONTH_SECS: i64 = 30 * 86_400 + 37_800;

impl Settings {
    /// The login throttle's limits.
    pub fn login_limits(&self) -> Limits {
        Limits {
            free_per_pair: self.free_failures_per_account_address,
            per_address: self.max_failures_per_ip,
            window_secs: self.throttle_window_secs,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_idle_secs: 30 * 60,
            session_absolute_secs: 12 * 3600,
            require_second_factor: true,
            invitation_ttl_secs: 7 * 24 * 3600,
            free_failures_per_account_address: 5,
            max_failures_per_ip: 30,
            throttle_window_secs: 15 * 60,
            public_url: "http://127.0.0.1:8080".to_owned(),
            outbox_lease_secs: 60,
            gp_waitlist_retention_months: 12,
            unscheduled_care_retention_months: 3,
            small_count_threshold: 11,
        }
    }
}

/// The application: everything a use case needs besides its arguments.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// The directory's search index, shared by every request of this server.
    pub search_index: Arc<SearchIndex>,
    /// New messages, announced to the pages open on this server.
    pub live: Arc<Hub>,
    /// Wakes this server's outbox worker when a use case wrote notifications.
    pub notifications: Arc<Notify>,
    /// The SMS provider, when the host configured one: patients may then be told by SMS.
    pub sms: Option<SmsGateway>,
    /// The audit trail's key and checkpoint file, kept outside the database.
    pub audit_seal: Arc<AuditSeal>,
    /// Seals the secrets the database keeps (TOTP seeds), under a key outside it.
    pub secret_box: Arc<SecretBox>,
    /// The key that signs form stamps, read from the database once.
    pub(crate) form_key: Arc<OnceCell<String>>,
    clock: Arc<dyn Clock>,
}

impl App {
    pub fn new(db: Db, settings: Settings, clock: Arc<dyn Clock>, keys: HostKeys) -> Self {
        Self {
            db,
            settings: Arc::new(settings),
            audit_seal: keys.audit_seal,
            secret_box: keys.secret_box,
            search_index: Arc::default(),
            live: Arc::default(),
            notifications: Arc::default(),
            sms: None,
            form_key: Arc::default(),
            clock,
        }
    }

    /// The keys this application was given, for another one on the same host.
    pub fn host_keys(&self) -> HostKeys {
        HostKeys {
            audit_seal: self.audit_seal.clone(),
            secret_box: self.secret_box.clone(),
        }
    }

    /// The same application, sending SMS through `gateway`.
    pub fn with_sms(self, gateway: SmsGateway) -> Self {
        Self {
            sms: Some(gateway),
            ..self
        }
    }

    /// Runs `call` in a transaction of its own, committed when it succeeds.
    pub(crate) async fn in_transaction<T>(
        &self,
        call: impl AsyncFnOnce(&mut maillage_store::Conn) -> crate::ServiceResult<T>,
    ) -> crate::ServiceResult<T> {
        let mut tx = self.db.begin().await?;
        let value = call(&mut tx).await?;
        maillage_store::Db::commit(tx).await?;
        Ok(value)
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Today's date in Paris.
    pub fn today(&self) -> CivilDate {
        let date = jiff::Timestamp::from_second(self.now())
            .unwrap_or_default()
            .to_zoned(paris())
            .date();
        CivilDate {
            year: date.year(),
            month: date.month(),
            day: date.day(),
        }
    }
}

/// Where a request comes from, for the audit trail and throttling.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub request_id: String,
    pub ip: String,
}

/// The authenticated person acting.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub cpts_id: Option<i64>,
    pub request: RequestContext,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}
