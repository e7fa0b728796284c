//! The demonstration data set: one CPTS with its perimeter, five accounts, a synthetic
//! directory of its department and members publishing unscheduled-care slots, created once
//! and kept after.

use crate::context::App;
use crate::directory::import::{ImportOptions, import_annuaire};
use crate::directory::safeguards::DepartureLimit;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::accounts::{self, AccountRequest};
use crate::reference::synth_communes;
use crate::territory::{self, Selection};
use crate::tools::synth::{SynthOptions, write_annuaire};
use crate::unscheduled_care::demo::DemoAccounts;
use maillage_domain::Role;
use maillage_store::{directory::professionals, platform::users};

pub const DEMO_SLUG: &str = "demo";
pub const DEMO_NAME: &str = "CPTS de démonstration";
/// The demo CPTS's FINESS number, made up (in department 13) so that its slots reach
/// the SAS as the guide wants; its page says it is fictitious.
pub const DEMO_FINESS: &str = "139999999";

/// The demo perimeter: the twelve communes of the mining basin between Aix-en-Provence,
/// Marseille and Aubagne that a real CPTS covers (seed 004), about 100,000 inhabitants.
pub const DEMO_COMMUNES: [&str; 12] = [
    "13015", "13019", "13025", "13040", "13041", "13046", "13060", "13062", "13072", "13087",
    "13107", "13110",
];

/// The demo accounts: e-mail, name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 5] = [
    (
        "admin@demo.maillage.test",
        "Alice Administratrice",
        Role::Admin,
    ),
    (
        "coordination@demo.maillage.test",
        "Claire Coordinatrice",
        Role::Coordinator,
    ),
    (
        "medecin@demo.maillage.test",
        "Dr Marc Médecin",
        Role::Member,
    ),
    (
        "infirmiere@demo.maillage.test",
        "Inès Infirmière",
        Role::Member,
    ),
    (
        "regulation@demo.maillage.test",
        "Romain Régulateur",
        Role::Regulator,
    ),
];

/// Creates what is missing of the demo data and gives the demo accounts `password`;
/// returns whether anything was created.
pub async fn ensure(app: &App, password: &str) -> ServiceResult<bool> {
    let mut conn = app.db.conn().await?;
    let has_cpts = maillage_store::territory::cpts::by_slug(&mut conn, DEMO_SLUG)
        .await?
        .is_some();
    drop(conn);
    let mut created = false;
    if !has_cpts {
        let selection = Selection {
            communes: DEMO_COMMUNES.map(str::to_owned).to_vec(),
            epcis: Vec::new(),
        };
        territory::create(app, None, DEMO_SLUG, DEMO_NAME, &selection).await?;
        let mut tx = app.db.begin().await?;
        let cpts = maillage_store::territory::cpts::by_slug(&mut tx, DEMO_SLUG)
            .await?
            .ok_or(ServiceError::NotFound)?;
        maillage_store::territory::cpts::set_identity(&mut tx, cpts.id, DEMO_FINESS, "").await?;
        maillage_store::Db::commit(tx).await?;
        created = true;
    }
    for (email, name, role) in DEMO_ACCOUNTS {
        let mut conn = app.db.conn().await?;
        let existing = users::by_email(&mut conn, email).await?;
        drop(conn);
        if let Some(user) = existing {
            // Keep the printed password true on every run.
            let hash = crate::platform::passwords::hash(password.to_owned()).await?;
            let mut tx = app.db.begin().await?;
            users::set_password_hash(&mut tx, user.id, &hash, app.now()).await?;
            maillage_store::Db::commit(tx).await?;
        } else {
            let cpts_slug = if role == Role::Admin { "" } else { DEMO_SLUG };
            let request = AccountRequest {
                email,
                display_name: name,
                role: role.as_str(),
                cpts_slug,
            };
            accounts::create_with_password(app, &request, password).await?;
            created = true;
        }
    }
    created |= ensure_directory(app).await?;
    let accounts = DemoAccounts {
        coordinator: DEMO_ACCOUNTS[1].0,
        gp: DEMO_ACCOUNTS[2].0,
        nurse: DEMO_ACCOUNTS[3].0,
    };
    created |= crate::unscheduled_care::demo::ensure(app, &accounts, &DEMO_COMMUNES).await?;
    Ok(created)
}

/// The department whose synthetic directory the demo imports (its perimeter's).
const DEMO_DEPARTEMENT: &str = "13";

/// Imports a synthetic directory of the demo's department when the directory is empty.
async fn ensure_directory(app: &App) -> ServiceResult<bool> {
    let existing = professionals::counts(&mut *app.db.conn().await?).await?;
    if existing.active + existing.inactive > 0 {
        return Ok(false);
    }
    // One folder per call: two demo databases may be set up at once in one process.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let folder = std::env::temp_dir().join(format!("maillage-demo-{}-{call}", std::process::id()));
    let options = SynthOptions {
        seed: 1,
        communes: synth_communes(|_, departement| departement == DEMO_DEPARTEMENT)?,
        timestamp: "demo".to_owned(),
    };
    let written = {
        let folder = folder.clone();
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&folder)?;
            write_annuaire(&options, &folder)
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
    };
    let imported = match written {
        Ok(_) => {
            import_annuaire(
                app,
                None,
                &folder,
                &ImportOptions {
                    max_errors: 0,
                    max_departures: DepartureLimit::DEFAULT,
                },
                &|_, _| {},
            )
            .await
        }
        Err(error) => Err(ServiceError::Internal(format!(
            "synthetic directory: {error}"
        ))),
    };
    let _ = std::fs::remove_dir_all(&folder);
    imported.map(|_| true)
}
