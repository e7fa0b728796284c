//! `import annuaire`: the whole extraction written in one transaction while a blocking
//! thread reads it; professionals absent from it become inactive, what members set
//! themselves (kept in other tables) is untouched, and nothing is written when more lines
//! were refused than the budget allows.

use super::offer_tally::OfferTally;
use super::reader::{ActivityBatch, Message, read_extraction};
use super::source::Source;
use crate::audit::{self, Event, Who};
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::audit::Outcome;
use maillage_domain::directory::LineError;
use maillage_store::directory::{self, ImportCounts};
use maillage_store::{Conn, Db, bulk_load, offer};
use std::path::Path;

/// The tables an import writes in bulk.
const DIRECTORY_TABLES: [&str; 3] = ["professionals", "practice_sites", "professional_skills"];

/// How an import runs.
pub struct ImportOptions {
    /// The most refused lines the import tolerates (skipping them); one more and nothing
    /// is written.
    pub max_errors: i64,
}

/// What an import did.
#[derive(Debug)]
pub struct ImportReport {
    pub lines_read: i64,
    pub professionals: i64,
    pub deactivated: i64,
    pub refused: i64,
    pub skills_without_professional: i64,
    /// The first refused lines, with line and column.
    pub errors: Vec<LineError>,
}

/// Imports an Annuaire Santé extraction (folder or zip) as the operator (`None`) or an
/// administrator. `progress` is told the bytes read of each file.
pub async fn import_annuaire(
    app: &App,
    actor: Option<&Actor>,
    path: &Path,
    options: &ImportOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ServiceResult<ImportReport> {
    if actor.is_some_and(|a| !a.is_admin()) {
        return Err(ServiceError::Forbidden);
    }
    let owned = path.to_owned();
    let source = tokio::task::spawn_blocking(move || Source::locate(&owned))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(ServiceError::Import)?;
    let file_name = source.activity_name();
    let mut tx = app.db.begin().await?;
    let import_id = directory::begin_import(&mut tx, &file_name, app.now()).await?;
    directory::delete_all_skills(&mut tx).await?;
    let load = bulk_load::start(&mut tx, &DIRECTORY_TABLES).await?;

    let (sender, mut receiver) = tokio::sync::mpsc::channel(4);
    let max_errors = options.max_errors;
    let reading =
        tokio::task::spawn_blocking(move || read_extraction(&source, max_errors, &sender));
    let mut report = ImportReport {
        lines_read: 0,
        professionals: 0,
        deactivated: 0,
        refused: 0,
        skills_without_professional: 0,
        errors: Vec::new(),
    };
    let mut written = Ok(());
    let mut tally = OfferTally::default();
    while let Some(message) = receiver.recv().await {
        let step = match message {
            Message::Activities(batch) => {
                write_activities(app, &mut tx, import_id, batch, &mut report, &mut tally).await
            }
            Message::Skills(skills) => directory::insert_skills(&mut tx, &skills)
                .await
                .map(|skipped| report.skills_without_professional += skipped),
            Message::Progress { done, total } => {
                progress(done, total);
                Ok(())
            }
        };
        if let Err(error) = step {
            written = Err(error);
            break;
        }
    }
    drop(receiver);
    let summary = reading
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    written?;
    report.lines_read = summary.lines_read;
    report.refused = summary.refused;
    report.errors = summary.errors;
    if let Some(reason) = summary.stopped {
        let shown: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        let details = if shown.is_empty() {
            String::new()
        } else {
            format!("\n{}", shown.join("\n"))
        };
        return Err(ServiceError::Import(format!("{reason}{details}")));
    }
    if !load.was_empty("practice_sites") {
        directory::delete_replaced_sites(&mut tx, import_id).await?;
    }
    if !load.was_empty("professionals") {
        report.deactivated = directory::deactivate_unseen(&mut tx, import_id, app.now()).await?;
    }
    bulk_load::finish(&mut tx, load).await?;
    let areas = offer::commune_areas(&mut tx).await?;
    offer::replace(&mut tx, &tally.counts(&areas)).await?;
    let counts = ImportCounts {
        lines_read: report.lines_read,
        professionals: report.professionals,
        deactivated: report.deactivated,
        lines_refused: report.refused,
    };
    directory::finish_import(&mut tx, import_id, &counts, app.now()).await?;
    let who = actor.map_or(Who::System, Who::User);
    audit::write_in(
        app,
        &mut tx,
        &who,
        Event::new("directory.import", Outcome::Success).object("directory_import", import_id),
    )
    .await?;
    Db::commit(tx).await?;
    directory::analyze(&mut *app.db.conn().await?).await?;
    Ok(report)
}

/// Writes a batch of the import `import_id`, counted in its report and its offer's tally.
async fn write_activities(
    app: &App,
    tx: &mut Conn,
    import_id: i64,
    batch: ActivityBatch,
    report: &mut ImportReport,
    tally: &mut OfferTally,
) -> Result<(), maillage_store::StoreError> {
    let ids =
        directory::upsert_professionals(tx, import_id, app.now(), &batch.professionals).await?;
    report.professionals += batch.first_seen;
    directory::insert_sites(tx, import_id, &ids, &batch.professionals, &batch.sites).await?;
    tally.add(&ids, &batch.professionals, &batch.sites);
    Ok(())
}
