//! Reads of the directory for the FHIR interface: open data for anyone; with a caller
//! from a CPTS, what that CPTS's members share with colleagues comes along.

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use maillage_store::directory::read::{
    self, ProfessionalFilter, ProfessionalRow, SiteFilter, SiteRow, StructureFilter, StructureRow,
};

pub async fn professionals(
    app: &App,
    filter: &ProfessionalFilter,
    limit: i64,
    offset: i64,
) -> ServiceResult<(Vec<ProfessionalRow>, i64)> {
    let mut conn = app.db.conn().await?;
    Ok(read::professionals(&mut conn, filter, limit, offset).await?)
}

pub async fn sites(
    app: &App,
    caller: Option<&Actor>,
    filter: &SiteFilter,
    limit: i64,
    offset: i64,
) -> ServiceResult<(Vec<SiteRow>, i64)> {
    let cpts_id = caller.and_then(|a| a.cpts_id);
    let mut conn = app.db.conn().await?;
    Ok(read::sites(&mut conn, cpts_id, filter, limit, offset).await?)
}

pub async fn structures(
    app: &App,
    filter: &StructureFilter,
    limit: i64,
    offset: i64,
) -> ServiceResult<(Vec<StructureRow>, i64)> {
    let mut conn = app.db.conn().await?;
    Ok(read::structures(&mut conn, filter, limit, offset).await?)
}
