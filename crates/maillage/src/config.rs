//! Typed configuration: a TOML file, overridden by `MAILLAGE_…` environment variables and
//! command-line flags. Secrets (the database URL's password) are never printed.

use maillage_web::client_address::parse_trusted_proxies;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The configuration file's content; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub log_format: Option<String>,
    pub session_idle_minutes: Option<i64>,
    pub session_absolute_hours: Option<i64>,
    pub secure_cookies: Option<bool>,
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub sms_url: Option<String>,
    pub sms_token: Option<String>,
    pub sas_url: Option<String>,
    pub sas_token: Option<String>,
    pub outbox_lease_seconds: Option<i64>,
    pub gp_waitlist_retention_months: Option<i64>,
    pub unscheduled_care_retention_months: Option<i64>,
    pub small_count_threshold: Option<i64>,
    pub secret_key_file: Option<PathBuf>,
    pub audit_checkpoint_file: Option<PathBuf>,
    pub audit_checkpoint_minutes: Option<i64>,
    pub audit_syslog_socket: Option<PathBuf>,
    pub trusted_proxies: Option<Vec<String>>,
}

impl FileConfig {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("lecture de {} : {e}", path.display()))?;
        toml::from_str(&text)
            .map_err(|e| format!("configuration {} invalide : {e}", path.display()))
    }
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub json_logs: bool,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    pub secure_cookies: bool,
    /// The address people reach the platform at, for links in e-mails.
    pub public_url: String,
    /// The SMTP server notifications go through; none: they wait in the outbox.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// The endpoint of the SMS provider and its bearer token; none: no SMS is sent.
    pub sms_url: Option<String>,
    pub sms_token: String,
    /// The SAS platform's FHIR base and its bearer token; none: the SAS is told nothing.
    pub sas_url: Option<String>,
    pub sas_token: String,
    pub outbox_lease_secs: i64,
    /// Months after closure when a waiting-list request loses its personal data.
    pub gp_waitlist_retention_months: i64,
    /// Months after its receipt and last appointment when an unscheduled-care request loses
    /// its personal data.
    pub unscheduled_care_retention_months: i64,
    /// Health counts of a diagnosis from 1 to this number minus one are masked.
    pub small_count_threshold: i64,
    /// The host's secret key (audit seal, encrypted secrets): outside the database.
    pub secret_key_file: PathBuf,
    /// Where checkpoints of the audit trail are appended, how often, and the syslog socket
    /// they are also sent to.
    pub audit_checkpoint_file: PathBuf,
    pub audit_checkpoint_secs: u64,
    pub audit_syslog_socket: Option<PathBuf>,
    /// The reverse proxies whose `X-Forwarded-For` names the client; none by default.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// Values given on the command line or in the environment (they win over the file).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub log_format: Option<String>,
    pub session_idle_minutes: Option<i64>,
    pub session_absolute_hours: Option<i64>,
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub sms_url: Option<String>,
    pub sms_token: Option<String>,
    pub sas_url: Option<String>,
    pub sas_token: Option<String>,
    pub secret_key_file: Option<PathBuf>,
}

impl Config {
    pub fn resolve(file: FileConfig, over: Overrides) -> Result<Self, String> {
        let listen = over
            .listen
            .or(file.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listen: SocketAddr = listen
            .parse()
            .map_err(|_| format!("adresse d’écoute invalide : {listen}"))?;
        let data_dir = over
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("maillage-data"));
        let database_url = over
            .database_url
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("maillage.db").display()));
        let json_logs = json_logs(over.log_format.or(file.log_format))?;
        let idle = over
            .session_idle_minutes
            .or(file.session_idle_minutes)
            .unwrap_or(30);
        let absolute = over
            .session_absolute_hours
            .or(file.session_absolute_hours)
            .unwrap_or(12);
        let sessions = "les durées de session doivent être positives";
        let idle = within(idle, 1..=i64::MAX, sessions)?;
        let absolute = within(absolute, 1..=i64::MAX, sessions)?;
        // Plain-http localhost is the only place where cookies may go without `Secure`.
        let secure_cookies = file.secure_cookies.unwrap_or(!listen.ip().is_loopback());
        let public_url = over
            .public_url
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        let public_url = web_address(public_url)?;
        let outbox_lease_secs = file.outbox_lease_seconds.unwrap_or(60);
        let gp_waitlist_retention_months = within(
            file.gp_waitlist_retention_months.unwrap_or(12),
            1..=120,
            "gp_waitlist_retention_months : entre 1 et 120 mois",
        )?;
        let unscheduled_care_retention_months = within(
            file.unscheduled_care_retention_months.unwrap_or(3),
            1..=120,
            "unscheduled_care_retention_months : entre 1 et 120 mois",
        )?;
        let small_count_threshold = within(
            file.small_count_threshold.unwrap_or(11),
            1..=100,
            "small_count_threshold : entre 1 (rien de masqué) et 100",
        )?;
        let smtp_url = over.smtp_url.or(file.smtp_url);
        let sms_url = over.sms_url.or(file.sms_url);
        if sms_url.is_some() && smtp_url.is_none() {
            return Err(
                "sms_url demande aussi smtp_url : un même envoi porte e-mails et SMS".to_owned(),
            );
        }
        let outbox_lease_secs = within(
            outbox_lease_secs,
            1..=i64::MAX,
            "outbox_lease_seconds doit être positif",
        )?;
        let audit_checkpoint_minutes = within(
            file.audit_checkpoint_minutes.unwrap_or(10),
            1..=1440,
            "audit_checkpoint_minutes : entre 1 et 1440 minutes",
        )?;
        let secret_key_file = over
            .secret_key_file
            .or(file.secret_key_file)
            .unwrap_or_else(|| data_dir.join("secrets").join("host.key"));
        let audit_checkpoint_file = file
            .audit_checkpoint_file
            .unwrap_or_else(|| data_dir.join("audit-checkpoints.log"));
        Ok(Self {
            listen,
            data_dir,
            database_url,
            json_logs,
            session_idle_secs: idle * 60,
            session_absolute_secs: absolute * 3600,
            secure_cookies,
            public_url,
            smtp_url,
            sms_url,
            sms_token: over.sms_token.or(file.sms_token).unwrap_or_default(),
            sas_url: over.sas_url.or(file.sas_url),
            sas_token: over.sas_token.or(file.sas_token).unwrap_or_default(),
            mail_from: over
                .mail_from
                .or(file.mail_from)
                .unwrap_or_else(|| "maillage <ne-pas-repondre@localhost>".to_owned()),
            outbox_lease_secs,
            gp_waitlist_retention_months,
            unscheduled_care_retention_months,
            small_count_threshold,
            secret_key_file,
            audit_checkpoint_file,
            audit_checkpoint_secs: audit_checkpoint_minutes as u64 * 60,
            audit_syslog_socket: file.audit_syslog_socket,
            trusted_proxies: parse_trusted_proxies(&file.trusted_proxies.unwrap_or_default())?,
        })
    }

    /// The database URL with any password hidden, for messages.
    pub fn database_url_for_display(&self) -> String {
        match self.database_url.split_once('@') {
            Some((credentials, rest)) if credentials.contains("://") => {
                let scheme = credentials.split("://").next().unwrap_or("");
                format!("{scheme}://…@{rest}")
            }
            _ => self.database_url.clone(),
        }
    }
}

/// Whether the logs are JSON (`json`) or text (`text`, the default).
fn json_logs(format: Option<String>) -> Result<bool, String> {
    match format.as_deref().unwrap_or("text") {
        "json" => Ok(true),
        "text" => Ok(false),
        other => Err(format!(
            "format de journal inconnu : {other} (text ou json)"
        )),
    }
}

/// The public address, when it is a web address.
fn web_address(url: String) -> Result<String, String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url)
    } else {
        Err(format!(
            "adresse publique invalide : {url} (http://… ou https://…)"
        ))
    }
}

/// `value` when it is within `range`, else the refusal `message`.
fn within(value: i64, range: std::ops::RangeInclusive<i64>, message: &str) -> Result<i64, String> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(message.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_defaults_fill_the_rest() {
        let file: FileConfig =
            toml::from_str("listen = \"0.0.0.0:9000\"\nsession_idle_minutes = 10").unwrap();
        let over = Overrides {
            listen: Some("127.0.0.1:7000".into()),
            ..Default::default()
        };
        let config = Config::resolve(file, over).unwrap();
        assert_eq!(config.listen.port(), 7000);
        assert_eq!(config.session_idle_secs, 600);
        assert_eq!(config.session_absolute_secs, 12 * 3600);
        assert_eq!(config.unscheduled_care_retention_months, 3);
        assert!(config.database_url.starts_with("sqlite://maillage-data/"));
        assert!(!config.secure_cookies, "plain-http localhost");
    }

    #[test]
    fn cookies_are_secure_beyond_localhost_and_secrets_are_hidden() {
        let over = Overrides {
            listen: Some("0.0.0.0:8080".into()),
            database_url: Some("postgres://maillage:s3cret@db/maillage".into()),
            ..Default::default()
        };
        let config = Config::resolve(FileConfig::default(), over).unwrap();
        assert!(config.secure_cookies);
        assert_eq!(
            config.database_url_for_display(),
            "postgres://…@db/maillage"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(toml::from_str::<FileConfig>("lisen = \"x\"").is_err());
        let over = Overrides {
            log_format: Some("xml".into()),
            ..Default::default()
        };
        assert!(Config::resolve(FileConfig::default(), over).is_err());
        let sms_alone = Overrides {
            sms_url: Some("https://sms.example/envoi".into()),
            ..Default::default()
        };
        let error = Config::resolve(FileConfig::default(), sms_alone).unwrap_err();
        assert!(error.contains("sms_url demande aussi smtp_url"));
        let forever: FileConfig = toml::from_str("unscheduled_care_retention_months = 0").unwrap();
        let error = Config::resolve(forever, Overrides::default()).unwrap_err();
        assert!(error.contains("unscheduled_care_retention_months : entre 1 et 120 mois"));
    }
}
