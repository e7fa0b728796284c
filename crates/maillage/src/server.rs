//! Starting the platform: logs, database, migrations, the HTTP server, the outbox worker
//! that sends notification e-mails, the worker that tells the SAS platform of its
//! regulators' bookings, periodic clean-up, checkpoints of the audit trail and graceful
//! shutdown on SIGTERM or Ctrl-C.

use crate::config::Config;
use maillage_services::platform::host_key::{HostKey, HostKeys};
use maillage_services::reference::{self, Loaded};
use maillage_services::unscheduled_care::sas_platform::{self, SasPlatform};
use maillage_services::{
    App, Clock, Db, Settings, SystemClock, gp_waitlist, messaging, platform::auth,
    platform::form_stamps, platform::notify, unscheduled_care,
};
use maillage_services::{platform::audit_seal, platform::start};
use maillage_web::{AppState, WebConfig, router};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Connects to the configured database, applies pending migrations and loads the shipped
/// territory when its vintage is new to the database.
pub async fn open_database(config: &Config) -> Result<Db, String> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("dossier {} : {e}", config.data_dir.display()))?;
    }
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| format!("base {} : {e}", config.database_url_for_display()))?;
    db.migrate()
        .await
        .map_err(|e| format!("migrations : {e}"))?;
    let now = SystemClock.now();
    if let Loaded::Communes(count) = reference::load_territory(&db, now)
        .await
        .map_err(|e| format!("données du territoire : {e}"))?
    {
        tracing::info!(communes = count, "territory reference data loaded");
    }
    Ok(db)
}

pub fn settings(config: &Config, require_second_factor: bool) -> Settings {
    Settings {
        session_idle_secs: config.session_idle_secs,
        session_absolute_secs: config.session_absolute_secs,
        require_second_factor,
        public_url: config.public_url.clone(),
        outbox_lease_secs: config.outbox_lease_secs,
        gp_waitlist_retention_months: config.gp_waitlist_retention_months,
        unscheduled_care_retention_months: config.unscheduled_care_retention_months,
        small_count_threshold: config.small_count_threshold,
        ..Settings::default()
    }
}

/// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
pub async fn serve(config: &Config, app: App, demo: bool) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("écoute sur {} : {e}", config.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let web = WebConfig {
        secure_cookies: config.secure_cookies,
        demo,
        sas_connected: config.sas_url.is_some(),
        trusted_proxies: config.trusted_proxies.clone(),
    };
    let app = match &config.sms_url {
        Some(url) => app.with_sms(notify::SmsGateway::new(url, &config.sms_token)?),
        None => app,
    };
    let state = AppState::new(app.clone(), web);
    let purge = tokio::spawn(purge_loop(app.clone()));
    let checkpoints = tokio::spawn(checkpoint_loop(
        app.clone(),
        Duration::from_secs(config.audit_checkpoint_secs),
    ));
    let sas = match &config.sas_url {
        Some(url) => {
            let platform = SasPlatform::new(url, &config.sas_token, &config.public_url)?;
            Some(tokio::spawn(sas_platform::run(app.clone(), platform)))
        }
        None => None,
    };
    let outbox = match &config.smtp_url {
        Some(url) => {
            let mailer = notify::Mailer::new(url, &config.mail_from)?;
            Some(tokio::spawn(notify::worker::run(app.clone(), mailer)))
        }
        None => {
            tracing::warn!("no SMTP server configured: notification e-mails wait in the outbox");
            None
        }
    };
    tracing::info!(%address, database = %config.database_url_for_display(), "maillage is listening");
    println!("maillage écoute sur http://{address}");
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())?;
    purge.abort();
    checkpoints.abort();
    for worker in [outbox, sas].into_iter().flatten() {
        worker.abort();
    }
    if let Err(error) = audit_seal::checkpoint(&app).await {
        tracing::error!(%error, "the last audit checkpoint failed");
    }
    app.db.close().await;
    tracing::info!("maillage stopped");
    Ok(())
}

/// Appends a checkpoint of the audit trail's head every `every`, when it moved.
async fn checkpoint_loop(app: App, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        if let Err(error) = audit_seal::checkpoint(&app).await {
            tracing::error!(%error, "audit checkpoint failed");
        }
    }
}

async fn purge_loop(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(error) = auth::purge_expired(&app).await {
            tracing::warn!(%error, "purge of expired sessions failed");
        }
        if let Err(error) = messaging::purge_expired(&app).await {
            tracing::warn!(%error, "purge of expired message threads failed");
        }
        if let Err(error) = form_stamps::purge_used(&app).await {
            tracing::warn!(%error, "purge of used form stamps failed");
        }
        if let Err(error) = notify::purge(&app).await {
            tracing::warn!(%error, "purge of old notifications failed");
        }
        if let Err(error) = gp_waitlist::purge_closed(&app).await {
            tracing::warn!(%error, "purge of closed waiting-list requests failed");
        }
        if let Err(error) = unscheduled_care::retention::purge(&app).await {
            tracing::warn!(%error, "purge of old unscheduled-care requests failed");
        }
        if let Err(error) = gp_waitlist::send_reminders(&app).await {
            tracing::warn!(%error, "reminders of the waiting list failed");
        }
        // The rules' slots reach four weeks ahead as the days pass.
        if let Err(error) = unscheduled_care::availability::lay_out_all(&app).await {
            tracing::warn!(%error, "laying out unscheduled-care slots failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested");
}

/// The keys derived from the host key file (created at the first start): the audit
/// trail's seal, with its checkpoint file, and the box of stored secrets.
pub fn host_keys(config: &Config) -> Result<HostKeys, String> {
    let host = HostKey::load_or_create(&config.secret_key_file)?;
    if host.created {
        tracing::info!(file = %config.secret_key_file.display(), "host secret key created");
    }
    Ok(HostKeys::new(
        &host.key,
        config.audit_checkpoint_file.clone(),
        config.audit_syslog_socket.clone(),
    ))
}

/// The application over `db`, on the system clock, its audit trail keyed and the TOTP
/// seeds of earlier versions sealed.
pub async fn app(config: &Config, db: Db, settings: Settings) -> Result<App, String> {
    let app = App::new(db, settings, Arc::new(SystemClock), host_keys(config)?);
    let sealed = start::prepare(&app)
        .await
        .map_err(|e| format!("clés de l’hôte : {e}"))?;
    if sealed > 0 {
        tracing::info!(sealed, "TOTP seeds stored in clear are now sealed");
    }
    Ok(app)
}
