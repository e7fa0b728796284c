//! Accounts: creation by the operator, invitations by administrators and coordinators,
//! acceptance of an invitation, and the list of a CPTS's accounts.

use crate::access;
use crate::context::{Actor, App, RequestContext};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::{platform::passwords, platform::secrets};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::{DisplayName, Email, FieldErrors, Password, Role};
use maillage_store::platform::invitations::{self, InvitationRow, NewInvitation};
use maillage_store::platform::users::{self, NewUser, UserRow};
use maillage_store::{Conn, Db, StoreError, directory::members, territory::cpts};

/// What is asked to create or invite an account.
pub struct AccountRequest<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    /// The CPTS slug; empty for an administrator.
    pub cpts_slug: &'a str,
}

struct ValidAccount {
    email: Email,
    name: DisplayName,
    role: Role,
    cpts_id: Option<i64>,
}

async fn validate(
    conn: &mut Conn,
    request: &AccountRequest<'_>,
    errors: &mut FieldErrors,
) -> ServiceResult<Option<ValidAccount>> {
    let email = errors.take("email", Email::parse(request.email));
    let name = errors.take("display_name", DisplayName::parse(request.display_name));
    let role = errors.take("role", Role::parse(request.role));
    let slug = request.cpts_slug.trim();
    let cpts_id = match role {
        Some(Role::Admin) if !slug.is_empty() => {
            errors.add(
                "cpts",
                "Un administrateur de l’hébergement n’appartient à aucune CPTS.",
            );
            None
        }
        Some(r) if r.belongs_to_cpts() => match cpts::by_slug(conn, slug).await? {
            Some(c) => Some(c.id),
            None => {
                errors.add("cpts", "Choisissez la CPTS de ce compte.");
                None
            }
        },
        _ => None,
    };
    if let Some(email) = &email
        && users::by_email(conn, email.as_str()).await?.is_some()
    {
        errors.add("email", "Un compte existe déjà avec cette adresse.");
    }
    Ok(match (email, name, role, errors.is_empty()) {
        (Some(email), Some(name), Some(role), true) => Some(ValidAccount {
            email,
            name,
            role,
            cpts_id,
        }),
        _ => None,
    })
}

/// Creates an account with a password (the operator's `maillage user add`, the demo).
pub async fn create_with_password(
    app: &App,
    request: &AccountRequest<'_>,
    password: &str,
) -> ServiceResult<UserRow> {
    let mut errors = FieldErrors::new();
    let mut conn = app.db.conn().await?;
    let valid = validate(&mut conn, request, &mut errors).await?;
    drop(conn);
    let password = errors.take(
        "password",
        Password::parse(password, valid.as_ref().map(|v| &v.email)),
    );
    let (valid, password) =
        errors.into_result(|| (valid.expect("valid"), password.expect("valid")))?;
    let hash = passwords::hash(password.expose().to_owned()).await?;
    let mut tx = app.db.begin().await?;
    let user = insert_user(&mut tx, &valid, app.now()).await?;
    users::set_password_hash(&mut tx, user.id, &hash, app.now()).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::System,
        Event::new("user.create", Outcome::Success)
            .object("user", user.id)
            .cpts(user.cpts_id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(user)
}

async fn insert_user(conn: &mut Conn, valid: &ValidAccount, now: i64) -> ServiceResult<UserRow> {
    let new = NewUser {
        email: valid.email.as_str(),
        display_name: valid.name.as_str(),
        role: valid.role,
        cpts_id: valid.cpts_id,
    };
    match users::insert(conn, &new, now).await {
        Err(StoreError::Conflict) => {
            Err(FieldErrors::single("email", "Un compte existe déjà avec cette adresse.").into())
        }
        other => Ok(other?),
    }
}

/// Prepares an account and returns the invitation with its single-use token; the account
/// will be linked to the member `member_id` (whose invitation the caller checked).
pub async fn invite(
    app: &App,
    actor: &Actor,
    request: &AccountRequest<'_>,
    member_id: Option<i64>,
) -> ServiceResult<(InvitationRow, String)> {
    if !matches!(actor.role, Role::Admin | Role::Coordinator) {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let mut conn = app.db.conn().await?;
    let valid = validate(&mut conn, request, &mut errors).await?;
    drop(conn);
    let valid = errors.into_result(|| valid.expect("valid"))?;
    if !access::invites(actor, valid.role, valid.cpts_id) {
        return Err(FieldErrors::single(
            "role",
            "Vous ne pouvez pas inviter ce rôle dans cette CPTS.",
        )
        .into());
    }
    let token = secrets::random_token(32);
    let now = app.now();
    let new = NewInvitation {
        token_hash: &secrets::token_hash(&token),
        email: valid.email.as_str(),
        display_name: valid.name.as_str(),
        role: valid.role,
        cpts_id: valid.cpts_id,
        invited_by: actor.user_id,
        expires_at: now + app.settings.invitation_ttl_secs,
        member_id,
    };
    let mut tx = app.db.begin().await?;
    let row = invitations::insert(&mut tx, &new, now).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("invitation.create", Outcome::Success)
            .object("invitation", row.id)
            .cpts(valid.cpts_id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok((row, token))
}

/// The invitation behind a link, if it is still usable (not used, not expired).
pub async fn open_invitation(app: &App, token: &str) -> ServiceResult<InvitationRow> {
    let mut conn = app.db.conn().await?;
    invitations::by_token_hash(&mut conn, &secrets::token_hash(token))
        .await?
        .filter(|i| i.accepted_at.is_none() && i.expires_at > app.now())
        .ok_or(ServiceError::NotFound)
}

/// Creates the invited account with the password the invitee chose; the link is then spent.
pub async fn accept_invitation(
    app: &App,
    token: &str,
    password: &str,
    confirm: &str,
    request: &RequestContext,
) -> ServiceResult<UserRow> {
    let invitation = open_invitation(app, token).await?;
    let email = Email::parse(&invitation.email).map_err(ServiceError::Internal)?;
    let mut errors = FieldErrors::new();
    let password = errors.take("password", Password::parse(password, Some(&email)));
    if password.as_ref().is_some_and(|p| p.expose() != confirm) {
        errors.add(
            "confirm_password",
            "Les deux mots de passe ne sont pas identiques.",
        );
    }
    let password = errors.into_result(|| password.expect("valid"))?;
    let hash = passwords::hash(password.expose().to_owned()).await?;
    let valid = ValidAccount {
        email,
        name: DisplayName::parse(&invitation.display_name).map_err(ServiceError::Internal)?,
        role: invitation.role,
        cpts_id: invitation.cpts_id,
    };
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if !invitations::mark_accepted(&mut tx, invitation.id, now).await? {
        return Err(ServiceError::NotFound);
    }
    let user = insert_user(&mut tx, &valid, now).await?;
    users::set_password_hash(&mut tx, user.id, &hash, now).await?;
    let member = match invitation.member_id {
        Some(id) => members::by_id(&mut tx, id).await?,
        None => None,
    };
    let unlinked = member.filter(|m| m.user_id.is_none() && Some(m.cpts_id) == user.cpts_id);
    let who = Who::Account {
        user_id: Some(user.id),
        role: Some(valid.role),
        request,
    };
    audit::write_in(
        app,
        &mut tx,
        &who,
        Event::new("invitation.accept", Outcome::Success)
            .object("invitation", invitation.id)
            .cpts(user.cpts_id),
    )
    .await?;
    if let Some(member) = unlinked {
        members::link_user(&mut tx, member.id, Some(user.id), now).await?;
        audit::write_in(
            app,
            &mut tx,
            &who,
            Event::new("member.link", Outcome::Success)
                .object("member", member.id)
                .cpts(user.cpts_id),
        )
        .await?;
    }
    Db::commit(tx).await?;
    Ok(user)
}

/// The accounts and pending invitations the actor may manage: a coordinator's CPTS, or all
/// for an administrator. Reading them (names, e-mail addresses) is audited.
pub async fn directory(
    app: &App,
    actor: &Actor,
) -> ServiceResult<(Vec<UserRow>, Vec<InvitationRow>)> {
    let scope = access::keeps_accounts(actor)?.cpts_id();
    let mut conn = app.db.conn().await?;
    let accounts = users::list(&mut conn, scope).await?;
    let pending = invitations::list(&mut conn, scope)
        .await?
        .into_iter()
        .filter(|i| i.accepted_at.is_none())
        .collect();
    drop(conn);
    audit::write(
        app,
        &Who::User(actor),
        Event::new("user.list", Outcome::Success)
            .object("cpts", scope.map_or("*".to_owned(), |c| c.to_string())),
    )
    .await?;
    Ok((accounts, pending))
}

/// The e-mail address of an account (shown to the coordinator on a member's page).
pub async fn email_of(app: &App, user_id: i64) -> ServiceResult<String> {
    let mut conn = app.db.conn().await?;
    let user = users::by_id(&mut conn, user_id).await?;
    Ok(user.map(|u| u.email).unwrap_or_default())
}
