//! Fixtures of the benchmarks: a CPTS with many member accounts, created in one transaction
//! without passwords (nobody logs in to a benchmark's accounts).

use crate::context::{Actor, App, RequestContext};
use crate::cpts;
use crate::error::ServiceResult;
use maillage_domain::Role;
use maillage_store::Db;
use maillage_store::users::{self, NewUser};

/// Creates the CPTS `slug` with a coordinator and `members` member accounts; returns the
/// coordinator, acting.
pub async fn cpts_with_members(app: &App, slug: &str, members: usize) -> ServiceResult<Actor> {
    let mut tx = app.db.begin().await?;
    let cpts = cpts::create_in(app, &mut tx, None, slug, &format!("CPTS {slug}")).await?;
    let now = app.now();
    let coordinator = NewUser {
        email: &format!("coordination@{slug}.test"),
        display_name: "Coordination",
        role: Role::Coordinator.as_str(),
        cpts_id: Some(cpts.id),
    };
    let row = users::insert(&mut tx, &coordinator, now).await?;
    for n in 0..members {
        let member = NewUser {
            email: &format!("membre{n}@{slug}.test"),
            display_name: &format!("Membre {n}"),
            role: Role::Member.as_str(),
            cpts_id: Some(cpts.id),
        };
        users::insert(&mut tx, &member, now).await?;
    }
    Db::commit(tx).await?;
    Ok(Actor {
        user_id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: Role::Coordinator,
        cpts_id: Some(cpts.id),
        request: RequestContext::default(),
    })
}
