//! `import annuaire`: the whole extraction written in one transaction while a blocking
//! thread reads it; professionals absent from it become inactive, what members set
//! themselves (kept in other tables) is untouched, and a professional with a refused line
//! stays as they were. Nothing is written when more lines were refused than the budget
//! allows, when no line is accepted, or when more of the active directory would leave
//! than the operator allows.

use super::batch::ActivityBatch;
use super::offer_tally::OfferTally;
use super::reader::{Message, ReadSummary, read_extraction};
use super::safeguards::{DepartureLimit, nothing_accepted, refusal};
use super::source::Source;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::directory::LineError;
use maillage_domain::platform::audit::Outcome;
use maillage_store::directory::professionals::{self, ImportCounts};
use maillage_store::{Conn, Db, bulk_load, diagnosis::offer};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The tables an import writes in bulk.
const DIRECTORY_TABLES: [&str; 3] = ["professionals", "practice_sites", "professional_skills"];

/// How an import runs.
pub struct ImportOptions {
    /// The most refused lines the import tolerates (skipping them); one more and nothing
    /// is written.
    pub max_errors: i64,
    /// The largest share of the active entries the import may make inactive; more and
    /// nothing is written.
    pub max_departures: DepartureLimit,
}

/// What an import did.
#[derive(Debug)]
pub struct ImportReport {
    pub lines_read: i64,
    pub professionals: i64,
    pub deactivated: i64,
    pub refused: i64,
    /// Professionals left as they were (row, sites, qualifications) for a refused line.
    pub kept: i64,
    pub skills_without_professional: i64,
    /// The first refused lines, with line and column.
    pub errors: Vec<LineError>,
}

/// How one pass over the extraction ended.
enum Pass {
    Done(ImportReport),
    /// Undone: professionals were held back after lines of theirs were written; run again
    /// holding these from the start.
    Again(HashSet<String>),
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
    let source = Arc::new(source);
    let mut held = HashSet::new();
    // A second pass knows every professional to hold back, so it never asks for a third.
    loop {
        match import_pass(app, actor, &source, options, held, progress).await? {
            Pass::Done(report) => {
                professionals::analyze(&mut *app.db.conn().await?).await?;
                return Ok(report);
            }
            Pass::Again(all_held) => held = all_held,
        }
    }
}

/// Reads and writes the extraction once in a transaction, holding back the professionals
/// `held`, and commits it unless it must be refused or run again.
async fn import_pass(
    app: &App,
    actor: Option<&Actor>,
    source: &Arc<Source>,
    options: &ImportOptions,
    held: HashSet<String>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ServiceResult<Pass> {
    let mut tx = app.db.begin().await?;
    let active_before = professionals::counts(&mut tx).await?.active;
    let import_id =
        professionals::begin_import(&mut tx, &source.activity_name(), app.now()).await?;
    professionals::set_aside_skills(&mut tx).await?;
    let load = bulk_load::start(&mut tx, &DIRECTORY_TABLES).await?;

    let (sender, mut receiver) = tokio::sync::mpsc::channel(4);
    let (max_errors, reader_source) = (options.max_errors, Arc::clone(source));
    let reading = tokio::task::spawn_blocking(move || {
        read_extraction(&reader_source, max_errors, held, &sender)
    });
    let mut tally = OfferTally::default();
    let written =
        write_messages(app, &mut tx, import_id, &mut receiver, progress, &mut tally).await;
    drop(receiver);
    let summary: ReadSummary = reading
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let (professionals, skills_without_professional) = written?;
    if let Some(reason) = &summary.stopped {
        return Err(ServiceError::Import(refusal(reason, &summary.errors)));
    }
    if summary.rerun {
        return Ok(Pass::Again(summary.held));
    }
    if summary.applied == 0 {
        let reason = nothing_accepted(summary.lines_read);
        return Err(ServiceError::Import(refusal(&reason, &summary.errors)));
    }
    let kept: Vec<String> = summary.held.iter().cloned().collect();
    let unseen = Unseen {
        import_id,
        kept: &kept,
        active_before,
    };
    let deactivated = retire_unseen(app, &mut tx, &load, &unseen, options, &mut tally).await?;
    let kept_skills: Vec<String> = summary.kept_skills.into_iter().collect();
    professionals::restore_skills_of(&mut tx, &kept_skills).await?;
    bulk_load::finish(&mut tx, load).await?;
    let areas = offer::commune_areas(&mut tx).await?;
    offer::replace(&mut tx, &tally.counts(&areas)).await?;
    let counts = ImportCounts {
        lines_read: summary.lines_read,
        professionals,
        deactivated,
        lines_refused: summary.refused,
    };
    professionals::finish_import(&mut tx, import_id, &counts, app.now()).await?;
    let who = actor.map_or(Who::System, Who::User);
    audit::write_in(
        app,
        &mut tx,
        &who,
        Event::new("directory.import", Outcome::Success).object("directory_import", import_id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(Pass::Done(ImportReport {
        lines_read: summary.lines_read,
        professionals,
        deactivated,
        refused: summary.refused,
        kept: kept.len() as i64,
        skills_without_professional,
        errors: summary.errors,
    }))
}

/// What a first pass leaves of the professionals it did not see.
struct Unseen<'a> {
    import_id: i64,
    /// The national ids of the professionals kept as they were (their lines refused).
    kept: &'a [String],
    /// How many professionals were active before the import.
    active_before: i64,
}

/// Deletes the practice sites this import replaced and deactivates the professionals it
/// did not see (unless too many would leave), on a re-import; returns how many left.
async fn retire_unseen(
    app: &App,
    tx: &mut Conn,
    load: &bulk_load::Load,
    unseen: &Unseen<'_>,
    options: &ImportOptions,
    tally: &mut OfferTally,
) -> ServiceResult<i64> {
    if !load.was_empty("practice_sites") {
        professionals::delete_replaced_sites(tx, unseen.import_id).await?;
    }
    if load.was_empty("professionals") {
        return Ok(0);
    }
    let kept = unseen.kept;
    let deactivated =
        professionals::deactivate_unseen(tx, unseen.import_id, kept, app.now()).await?;
    options
        .max_departures
        .check(deactivated, unseen.active_before, "professionnels")
        .map_err(ServiceError::Import)?;
    tally.add_placed(&professionals::placed_sites_of(tx, kept).await?);
    Ok(deactivated)
}

/// Writes what the reader sends until it is done, or until a write fails; returns how many
/// professionals were first seen and how many skills had no professional.
async fn write_messages(
    app: &App,
    tx: &mut Conn,
    import_id: i64,
    receiver: &mut tokio::sync::mpsc::Receiver<Message>,
    progress: &(dyn Fn(u64, u64) + Sync),
    tally: &mut OfferTally,
) -> Result<(i64, i64), maillage_store::StoreError> {
    let (mut professionals, mut skills_without_professional) = (0, 0);
    while let Some(message) = receiver.recv().await {
        match message {
            Message::Activities(batch) => {
                professionals += write_activities(app, tx, import_id, batch, tally).await?;
            }
            Message::Skills(skills) => {
                skills_without_professional += professionals::insert_skills(tx, &skills).await?;
            }
            Message::Progress { done, total } => progress(done, total),
        }
    }
    Ok((professionals, skills_without_professional))
}

/// Writes a batch of the import `import_id`, noted in its offer's tally; returns how many
/// professionals it met first.
async fn write_activities(
    app: &App,
    tx: &mut Conn,
    import_id: i64,
    batch: ActivityBatch,
    tally: &mut OfferTally,
) -> Result<i64, maillage_store::StoreError> {
    let ids =
        professionals::upsert_professionals(tx, import_id, app.now(), &batch.professionals).await?;
    professionals::insert_sites(tx, import_id, &ids, &batch.professionals, &batch.sites).await?;
    tally.add(&ids, &batch.professionals, &batch.sites);
    Ok(batch.first_seen)
}
