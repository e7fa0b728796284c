//! The desk's calls to the patient of a request: each recorded with what came of it, and
//! audited; listed with the request (see `requests::file`).

use super::audited;
use super::requests::{purged, visible};
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use maillage_domain::unscheduled_care::calls::Call;
use maillage_store::{Db, unscheduled_care::request_calls};

/// Records a call to the patient of request `id`, by the actor, now.
pub async fn record(
    app: &App,
    actor: &Actor,
    id: i64,
    result: &str,
    note: &str,
) -> ServiceResult<()> {
    let call = Call::parse(result, note)?;
    let mut tx = app.db.begin().await?;
    let request = visible(&mut tx, actor, id).await?;
    if request.purged_at.is_some() {
        return Err(purged());
    }
    let what = (call.result, call.note.as_str());
    request_calls::insert(&mut tx, id, actor.user_id, what, app.now()).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp_request.call",
        ("snp_request", id),
        request.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}
