//! A CPTS's cooperation protocols, set by its coordinators: the reason, the patients it
//! applies to, the profession that takes them, and the members trained for it.

use super::audited;
use crate::access;
use crate::access::desk;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::directory::codes::PROFESSIONS;
use maillage_domain::unscheduled_care::protocols::{Protocol, ProtocolFields};
use maillage_domain::{FieldErrors, Role};
use maillage_store::unscheduled_care::protocols::{self, NewProtocol, ProtocolRow};
use maillage_store::{Db, directory::members};

/// A protocol with the members trained for it.
pub struct ProtocolEntry {
    pub protocol: ProtocolRow,
    pub member_ids: Vec<i64>,
}

fn coordinated(actor: &Actor) -> ServiceResult<i64> {
    if actor.role == Role::Coordinator {
        access::coordinated(actor)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The protocols of the actor's CPTS (coordinators and regulators read them).
pub async fn list(app: &App, actor: &Actor) -> ServiceResult<Vec<ProtocolEntry>> {
    let cpts_id = desk(actor)?;
    let mut conn = app.db.conn().await?;
    let mut entries = Vec::new();
    for protocol in protocols::of_cpts(&mut conn, cpts_id).await? {
        let member_ids = protocols::members(&mut conn, protocol.id).await?;
        entries.push(ProtocolEntry {
            protocol,
            member_ids,
        });
    }
    Ok(entries)
}

/// Adds a protocol with the members trained for it (members of the CPTS of its profession).
pub async fn add(
    app: &App,
    actor: &Actor,
    fields: &ProtocolFields,
    member_ids: &[i64],
) -> ServiceResult<i64> {
    let cpts_id = coordinated(actor)?;
    let protocol = Protocol::parse(fields, |code| PROFESSIONS.contains(code))?;
    let mut tx = app.db.begin().await?;
    let roster = members::of_cpts(&mut tx, cpts_id).await?;
    let trained: Vec<i64> = member_ids.to_vec();
    let strangers = trained.iter().any(|id| {
        !roster
            .iter()
            .any(|m| m.id == *id && m.profession == protocol.profession)
    });
    if strangers {
        return Err(FieldErrors::single(
            "members",
            "Choisissez des adhérents de la CPTS exerçant la profession du protocole.",
        )
        .into());
    }
    let new = NewProtocol {
        cpts_id,
        name: &protocol.name,
        reason: protocol.reason,
        profession: &protocol.profession,
        age_min: i64::from(protocol.age_min),
        age_max: i64::from(protocol.age_max),
        sex: protocol.sex,
        conditions: &protocol.conditions,
    };
    let id = protocols::insert(&mut tx, &new, app.now()).await?;
    protocols::set_members(&mut tx, id, &trained).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp_protocol.create",
        ("snp_protocol", id),
        cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(id)
}

/// Removes a protocol of the actor's CPTS.
pub async fn remove(app: &App, actor: &Actor, id: i64) -> ServiceResult<()> {
    let cpts_id = coordinated(actor)?;
    let mut tx = app.db.begin().await?;
    if !protocols::delete(&mut tx, cpts_id, id).await? {
        return Err(ServiceError::NotFound);
    }
    audited(
        app,
        &mut tx,
        actor,
        "snp_protocol.delete",
        ("snp_protocol", id),
        cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}
