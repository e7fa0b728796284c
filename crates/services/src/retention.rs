//! Personal data emptied at the end of its retention, counted in months: in one
//! transaction, audited with how many records lost it.

use crate::context::{App, MONTH_SECS};
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::platform::audit::Outcome;
use maillage_store::{Conn, Db, StoreError};

/// Runs `purge` (given the cut-off instant, `months` ago, and now) in a transaction and
/// audits `action` over that many `kind` when there were any; returns how many.
pub(crate) async fn purge_older_than(
    app: &App,
    months: i64,
    (action, kind): (&str, &str),
    purge: impl AsyncFnOnce(&mut Conn, i64, i64) -> Result<u64, StoreError>,
) -> ServiceResult<u64> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let purged = purge(&mut tx, now - months * MONTH_SECS, now).await?;
    if purged > 0 {
        let event = Event::new(action, Outcome::Success).object(kind, purged);
        audit::write_in(app, &mut tx, &Who::System, event).await?;
    }
    Db::commit(tx).await?;
    Ok(purged)
}
