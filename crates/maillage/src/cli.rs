//! The subcommands of `maillage` and what each does.

use crate::audit_cli::{self, AuditCommand};
use crate::bench_cli::{self, BenchCommand};
use crate::config::{Config, FileConfig, Overrides};
use crate::import_cli::{self, ImportCommand};
use crate::server::{self, app, init_logs, open_database, settings};
use crate::synth_cli::{self, SynthCommand};
use crate::territory_cli::{self, TerritoryCommand};
use clap::{Args, Parser, Subcommand};
use maillage_services::platform::accounts::{self, AccountRequest};
use maillage_services::platform::notify::Mailer;
use maillage_services::{ServiceError, diagnosis, platform::tokens, tools::demo};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

/// maillage — la plateforme des CPTS.
#[derive(Parser)]
#[command(version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct GlobalArgs {
    /// Configuration file (TOML).
    #[arg(long, global = true, env = "MAILLAGE_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true, env = "MAILLAGE_LISTEN")]
    listen: Option<String>,
    /// Folder of the embedded SQLite database [default: ./maillage-data].
    #[arg(long, global = true, env = "MAILLAGE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Database: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB [default: SQLite in the data folder].
    #[arg(
        long,
        global = true,
        env = "MAILLAGE_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Log format: text or json.
    #[arg(long, global = true, env = "MAILLAGE_LOG_FORMAT")]
    log_format: Option<String>,
    /// Minutes without activity after which a session ends [default: 30].
    #[arg(long, global = true, env = "MAILLAGE_SESSION_IDLE_MINUTES")]
    session_idle_minutes: Option<i64>,
    /// Hours after login after which a session ends [default: 12].
    #[arg(long, global = true, env = "MAILLAGE_SESSION_ABSOLUTE_HOURS")]
    session_absolute_hours: Option<i64>,
    /// Address people reach the platform at, for links in e-mails [default: http://LISTEN].
    #[arg(long, global = true, env = "MAILLAGE_PUBLIC_URL")]
    public_url: Option<String>,
    /// SMTP server of the notification e-mails: smtp://HOST:PORT, smtp://HOST:587?tls=required
    /// or smtps://USER:PASSWORD@HOST [default: none, e-mails wait in the outbox].
    #[arg(long, global = true, env = "MAILLAGE_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender of the notification e-mails [default: maillage <ne-pas-repondre@localhost>].
    #[arg(long, global = true, env = "MAILLAGE_MAIL_FROM")]
    mail_from: Option<String>,
    /// Endpoint of the SMS provider that tells patients a GP accepted them (JSON over HTTP)
    /// [default: none, no SMS].
    #[arg(long, global = true, env = "MAILLAGE_SMS_URL", hide_env_values = true)]
    sms_url: Option<String>,
    /// Bearer token of the SMS provider.
    #[arg(
        long,
        global = true,
        env = "MAILLAGE_SMS_TOKEN",
        hide_env_values = true
    )]
    sms_token: Option<String>,
    /// FHIR base address of the SAS platform, told of the bookings its regulators make
    /// (POST/PUT Appointment) [default: none, nothing is sent].
    #[arg(long, global = true, env = "MAILLAGE_SAS_URL", hide_env_values = true)]
    sas_url: Option<String>,
    /// Bearer token the SAS platform gave this host.
    #[arg(
        long,
        global = true,
        env = "MAILLAGE_SAS_TOKEN",
        hide_env_values = true
    )]
    sas_token: Option<String>,
    /// The host's secret key file (the audit trail's seal, encrypted secrets), created at
    /// the first start; every server of a host shares it, no backup of the database holds
    /// it [default: DATA_DIR/secrets/host.key].
    #[arg(long, global = true, env = "MAILLAGE_SECRET_KEY_FILE")]
    secret_key_file: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the platform.
    Serve,
    /// Run the platform with a demonstration CPTS and four demo accounts.
    Demo {
        /// Password of the demo accounts [default: generated, kept in the data folder].
        #[arg(long, env = "MAILLAGE_DEMO_PASSWORD", hide_env_values = true)]
        demo_password: Option<String>,
    },
    /// Apply the database migrations.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent copy of the SQLite database to FILE, while it runs.
    Backup { file: PathBuf },
    /// Audit trail operations.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import national data files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Synthetic data in the official formats, for demos and benchmarks.
    #[command(subcommand)]
    Synth(SynthCommand),
    /// CPTS perimeters: the communes of each CPTS.
    #[command(subcommand)]
    Territory(TerritoryCommand),
    /// Benchmarks that run inside the platform (see docs/benchmarks.md).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The diagnosis of a CPTS: population, and offer of care against its department(s),
    /// region(s) and France; or, with --france, the indicators of every commune of France.
    Diagnostic {
        #[arg(required_unless_present = "france")]
        slug: Option<String>,
        /// Every current commune of France, one line each (json or csv), instead of a CPTS.
        #[arg(long, conflicts_with = "slug")]
        france: bool,
        /// json (everything), csv (the offer table, or the communes with --france) or html
        /// (the printable report).
        #[arg(long, default_value = "json")]
        format: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from the first line of standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, coordinator, member or regulator
        #[arg(long)]
        role: String,
        /// The CPTS slug (not for an admin).
        #[arg(long, default_value = "")]
        cpts: String,
    },
    /// Create a personal API token for an account and print it (shown once).
    Token {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        /// The last day it works (AAAA-MM-JJ); without it, it does not expire.
        #[arg(long, default_value = "")]
        expires: String,
    },
}

fn config(global: &GlobalArgs) -> Result<Config, String> {
    let file = match &global.config {
        Some(path) => FileConfig::read(path)?,
        None => FileConfig::default(),
    };
    let over = Overrides {
        listen: global.listen.clone(),
        data_dir: global.data_dir.clone(),
        database_url: global.database_url.clone(),
        log_format: global.log_format.clone(),
        session_idle_minutes: global.session_idle_minutes,
        session_absolute_hours: global.session_absolute_hours,
        public_url: global.public_url.clone(),
        smtp_url: global.smtp_url.clone(),
        mail_from: global.mail_from.clone(),
        sms_url: global.sms_url.clone(),
        sms_token: global.sms_token.clone(),
        sas_url: global.sas_url.clone(),
        sas_token: global.sas_token.clone(),
        secret_key_file: global.secret_key_file.clone(),
    };
    Config::resolve(file, over)
}

pub fn explain(error: ServiceError) -> String {
    match error {
        ServiceError::Invalid(errors) => errors
            .iter()
            .map(|e| match e.field.as_str() {
                "file" => e.message.clone(),
                field => format!("{field} : {}", e.message),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

pub async fn run(cli: Cli) -> Result<ExitCode, String> {
    let config = config(&cli.global)?;
    init_logs(config.json_logs);
    match cli.command {
        Command::Serve => {
            let db = open_database(&config).await?;
            server::serve(
                &config,
                app(&config, db, settings(&config, true)).await?,
                false,
            )
            .await?;
        }
        Command::Demo { demo_password } => run_demo(&config, demo_password).await?,
        Command::Migrate => {
            open_database(&config).await?;
            println!("Base à jour : {}", config.database_url_for_display());
        }
        Command::User(command) => user(&config, command).await?,
        Command::Backup { file } => backup(&config, &file).await?,
        Command::Import(command) => {
            let db = open_database(&config).await?;
            return import_cli::run(&app(&config, db, settings(&config, true)).await?, command)
                .await;
        }
        Command::Synth(command) => synth_cli::run(command)?,
        Command::Bench(command) => {
            let db = open_database(&config).await?;
            let mailer = match &config.smtp_url {
                Some(url) => Some(Mailer::new(url, &config.mail_from)?),
                None => None,
            };
            bench_cli::run(
                &app(&config, db, settings(&config, true)).await?,
                mailer,
                command,
            )
            .await?;
        }
        Command::Territory(command) => {
            let db = open_database(&config).await?;
            territory_cli::run(&app(&config, db, settings(&config, true)).await?, command).await?;
        }
        Command::Diagnostic { slug, format, .. } => diagnostic(&config, slug, &format).await?,
        Command::Audit(command) => return audit_cli::run(&config, command).await,
    }
    Ok(ExitCode::SUCCESS)
}

/// `demo`: the demo's data, its accounts printed, then the server.
async fn run_demo(config: &Config, demo_password: Option<String>) -> Result<(), String> {
    let db = open_database(config).await?;
    let app = app(config, db, settings(config, false)).await?;
    let password = match demo_password {
        Some(p) => p,
        None => stored_demo_password(config)?,
    };
    demo::ensure(&app, &password).await.map_err(explain)?;
    println!(
        "Démonstration : CPTS « {} ». Comptes (mot de passe : {password}) :",
        demo::DEMO_NAME
    );
    for (email, _, role) in demo::DEMO_ACCOUNTS {
        println!("  {email}  ({})", role.as_str());
    }
    server::serve(config, app, true).await
}

/// `user add` and `user token`.
async fn user(config: &Config, command: UserCommand) -> Result<(), String> {
    let db = open_database(config).await?;
    let app = app(config, db, settings(config, true)).await?;
    match command {
        UserCommand::Add {
            email,
            name,
            role,
            cpts,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| e.to_string())?;
            let request = AccountRequest {
                email: &email,
                display_name: &name,
                role: &role,
                cpts_slug: &cpts,
            };
            let password = password.trim_end_matches(['\r', '\n']);
            let user = accounts::create_with_password(&app, &request, password)
                .await
                .map_err(explain)?;
            println!("Compte n° {} créé : {}", user.id, user.email);
        }
        UserCommand::Token {
            email,
            name,
            expires,
        } => {
            let fields = tokens::TokenFields {
                name,
                expires_on: expires,
            };
            let token = tokens::create_for_email(&app, &email, &fields)
                .await
                .map_err(explain)?;
            println!("{token}");
        }
    }
    Ok(())
}

/// `backup FILE`: a copy of the SQLite database.
async fn backup(config: &Config, file: &std::path::Path) -> Result<(), String> {
    let db = open_database(config).await?;
    if file.exists() {
        return Err(format!("{} existe déjà", file.display()));
    }
    if !db.backup_sqlite(file).await.map_err(|e| e.to_string())? {
        return Err("sauvegarde PostgreSQL : utilisez pg_dump (voir le README)".to_owned());
    }
    println!("Sauvegarde écrite : {}", file.display());
    Ok(())
}

/// `diagnostic`: France's indicators without a CPTS, else the CPTS's diagnosis.
async fn diagnostic(config: &Config, slug: Option<String>, format: &str) -> Result<(), String> {
    let db = open_database(config).await?;
    let app = app(config, db, settings(config, true)).await?;
    let Some(slug) = slug else {
        let found = diagnosis::france::indicators(&app).await.map_err(explain)?;
        match format {
            "json" => println!(
                "{}",
                serde_json::to_string(&found).map_err(|e| e.to_string())?
            ),
            "csv" => print!("{}", diagnosis::tables::france_csv(&found)),
            other => return Err(format!("format inconnu : {other} (json ou csv)")),
        }
        return Ok(());
    };
    let found = diagnosis::diagnosis(&app, None, &slug)
        .await
        .map_err(explain)?;
    match format {
        "json" => println!(
            "{}",
            serde_json::to_string_pretty(&found).map_err(|e| e.to_string())?
        ),
        "csv" => print!("{}", diagnosis::tables::offer_csv(&found)),
        "html" => print!("{}", maillage_web::standalone_report(found)?),
        other => return Err(format!("format inconnu : {other} (json, csv ou html)")),
    }
    Ok(())
}

/// The generated demo password, kept in the data folder so that every run prints the same.
fn stored_demo_password(config: &Config) -> Result<String, String> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| e.to_string())?;
    let path = config.data_dir.join("demo-password.txt");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().to_owned());
    }
    let password = maillage_services::platform::auth::new_form_token();
    std::fs::write(&path, &password).map_err(|e| e.to_string())?;
    Ok(password)
}
