//! Authentication: password login with throttling, sessions with idle and absolute expiry,
//! the TOTP second factor, logout and password change.

use crate::context::{Actor, App, RequestContext};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::{platform::passwords, platform::secrets, platform::totp_seeds};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::{
    Email, FieldErrors, Password, Role, platform::login_throttle, platform::totp,
};
use maillage_store::{Db, platform::login_failures, platform::sessions, platform::users};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Password given; the TOTP code is still awaited.
    AwaitingCode,
    /// Logged in, but the role requires a second factor that is not enrolled yet.
    MustEnrol,
    /// Fully logged in.
    Ready,
}

/// A live session and the person it belongs to.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub csrf_token: String,
    pub stage: Stage,
    pub actor: Actor,
}

/// A new session: the token goes into the cookie and is never stored.
pub struct NewSession {
    pub token: String,
    pub stage: Stage,
}

pub(crate) fn actor_from(user: users::UserRow, request: &RequestContext) -> ServiceResult<Actor> {
    let role = user.role;
    Ok(Actor {
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        role,
        cpts_id: user.cpts_id,
        request: request.clone(),
    })
}

async fn stage_of(
    app: &App,
    conn: &mut maillage_store::Conn,
    role: Role,
    user_id: i64,
    code_given: bool,
) -> ServiceResult<Stage> {
    let enrolled = users::totp(conn, user_id)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some());
    Ok(if enrolled && !code_given {
        Stage::AwaitingCode
    } else if !enrolled && role.requires_second_factor() && app.settings.require_second_factor {
        Stage::MustEnrol
    } else {
        Stage::Ready
    })
}

/// How long the account `email` must wait before another attempt from `ip`, if it must.
async fn wait_before_attempt(
    app: &App,
    conn: &mut maillage_store::Conn,
    email: &str,
    ip: &str,
) -> ServiceResult<Option<i64>> {
    let now = app.now();
    let since = now - app.settings.throttle_window_secs;
    let failures = login_failures::recent(conn, email, ip, since).await?;
    Ok(login_throttle::wait_before_attempt(
        failures,
        app.settings.login_limits(),
        now,
    ))
}

/// Checks e-mail and password and opens a session.
pub async fn login(
    app: &App,
    email: &str,
    password: &str,
    request: &RequestContext,
) -> ServiceResult<NewSession> {
    let now = app.now();
    let email = Email::parse(email).map_err(|_| ServiceError::BadCredentials)?;
    let mut conn = app.db.conn().await?;
    let wait = wait_before_attempt(app, &mut conn, email.as_str(), &request.ip).await?;
    let user = users::by_email(&mut conn, email.as_str()).await?;
    let who = Who::Account {
        user_id: user.as_ref().map(|u| u.id),
        role: None,
        request,
    };
    if let Some(retry_after_secs) = wait {
        drop(conn);
        audit::write(app, &who, Event::new("auth.login", Outcome::Denied)).await?;
        return Err(ServiceError::Throttled { retry_after_secs });
    }
    let stored = match &user {
        Some(u) => users::password_hash(&mut conn, u.id).await?,
        None => None,
    };
    drop(conn);
    let valid = passwords::verify(password.to_owned(), stored).await?;
    let mut tx = app.db.begin().await?;
    let user = match (valid, user) {
        (true, Some(user)) => user,
        _ => {
            login_failures::record(&mut tx, email.as_str(), &request.ip, now).await?;
            audit::write_in(
                app,
                &mut tx,
                &who,
                Event::new("auth.login", Outcome::Failure),
            )
            .await?;
            Db::commit(tx).await?;
            return Err(ServiceError::BadCredentials);
        }
    };
    login_failures::clear_for_pair(&mut tx, email.as_str(), &request.ip).await?;
    let token = secrets::random_token(32);
    let csrf = secrets::random_token(24);
    sessions::insert(&mut tx, &secrets::token_hash(&token), user.id, &csrf, now).await?;
    let actor = actor_from(user, request)?;
    let stage = stage_of(app, &mut tx, actor.role, actor.user_id, false).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(&actor),
        Event::new("auth.login", Outcome::Success).object("user", actor.user_id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(NewSession { token, stage })
}

/// The live session behind a cookie token, or `None` if unknown or expired (then removed).
/// A request of the person (`activity`) keeps the session alive; one a page makes by itself
/// (live updates) does not, so that a page left open still lets the session expire.
pub async fn session(
    app: &App,
    token: &str,
    request: &RequestContext,
    activity: bool,
) -> ServiceResult<Option<Session>> {
    let now = app.now();
    let mut conn = app.db.conn().await?;
    let Some(row) = sessions::by_token_hash(&mut conn, &secrets::token_hash(token)).await? else {
        return Ok(None);
    };
    let idle = now - row.last_seen_at > app.settings.session_idle_secs;
    let too_old = now - row.created_at > app.settings.session_absolute_secs;
    let Some(user) = users::by_id(&mut conn, row.user_id).await? else {
        return Ok(None);
    };
    drop(conn);
    let actor = actor_from(user, request)?;
    if idle || too_old {
        let mut tx = app.db.begin().await?;
        sessions::delete(&mut tx, row.id).await?;
        audit::write_in(
            app,
            &mut tx,
            &Who::User(&actor),
            Event::new("auth.session_expired", Outcome::Success),
        )
        .await?;
        Db::commit(tx).await?;
        return Ok(None);
    }
    if activity && now - row.last_seen_at >= 30 {
        let mut tx = app.db.begin().await?;
        sessions::touch(&mut tx, row.id, now).await?;
        Db::commit(tx).await?;
    }
    let mut conn = app.db.conn().await?;
    let stage = stage_of(
        app,
        &mut conn,
        actor.role,
        actor.user_id,
        row.second_factor_at.is_some(),
    )
    .await?;
    Ok(Some(Session {
        id: row.id,
        csrf_token: row.csrf_token,
        stage,
        actor,
    }))
}

/// Checks the TOTP code of a session awaiting it.
pub async fn verify_code(app: &App, session: &Session, code: &str) -> ServiceResult<()> {
    let now = app.now();
    let user_id = session.actor.user_id;
    let mut tx = app.db.begin().await?;
    let actor = &session.actor;
    if let Some(retry_after_secs) =
        wait_before_attempt(app, &mut tx, &actor.email, &actor.request.ip).await?
    {
        return Err(ServiceError::Throttled { retry_after_secs });
    }
    let credential = users::totp(&mut tx, user_id)
        .await?
        .filter(|t| t.confirmed_at.is_some());
    let step = match credential {
        Some(c) => {
            let seed = totp_seeds::seed(app, user_id, &c)?;
            totp::verify(&seed, code, now as u64, c.last_step.map(|s| s as u64))
        }
        None => None,
    };
    let accepted = match step {
        Some(step) => users::use_totp_step(&mut tx, user_id, step as i64, now).await?,
        None => false,
    };
    let who = Who::User(&session.actor);
    if !accepted {
        login_failures::record(
            &mut tx,
            &session.actor.email,
            &session.actor.request.ip,
            now,
        )
        .await?;
        audit::write_in(
            app,
            &mut tx,
            &who,
            Event::new("auth.second_factor", Outcome::Failure),
        )
        .await?;
        Db::commit(tx).await?;
        return Err(ServiceError::Invalid(FieldErrors::single(
            "code",
            "Code incorrect ou expiré.",
        )));
    }
    sessions::mark_second_factor(&mut tx, session.id, now).await?;
    audit::write_in(
        app,
        &mut tx,
        &who,
        Event::new("auth.second_factor", Outcome::Success),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// Ends the session.
pub async fn logout(app: &App, session: &Session) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    sessions::delete(&mut tx, session.id).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(&session.actor),
        Event::new("auth.logout", Outcome::Success),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// Changes the password after checking the current one; other sessions of the user end.
pub async fn change_password(
    app: &App,
    session: &Session,
    current: &str,
    new: &str,
    confirm: &str,
) -> ServiceResult<()> {
    let actor = &session.actor;
    let email = Email::parse(&actor.email).ok();
    let mut errors = FieldErrors::new();
    let new = errors.take("new_password", Password::parse(new, email.as_ref()));
    if new.as_ref().is_some_and(|p| p.expose() != confirm) {
        errors.add(
            "confirm_password",
            "Les deux mots de passe ne sont pas identiques.",
        );
    }
    let mut conn = app.db.conn().await?;
    let stored = users::password_hash(&mut conn, actor.user_id).await?;
    drop(conn);
    if !passwords::verify(current.to_owned(), stored).await? {
        errors.add("current_password", "Mot de passe actuel incorrect.");
    }
    let new = errors.into_result(|| new)?.expect("validated");
    let hash = passwords::hash(new.expose().to_owned()).await?;
    let mut tx = app.db.begin().await?;
    users::set_password_hash(&mut tx, actor.user_id, &hash, app.now()).await?;
    sessions::delete_others(&mut tx, actor.user_id, session.id).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("auth.password_change", Outcome::Success).object("user", actor.user_id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// A TOTP enrolment in progress: the secret to show as a QR code and as text.
pub struct Enrolment {
    pub provisioning_url: String,
    pub secret_base32: String,
}

/// Starts (or restarts) the TOTP enrolment of the actor with a fresh secret.
pub async fn start_enrolment(app: &App, actor: &Actor) -> ServiceResult<Enrolment> {
    let secret = secrets::random_bytes(20);
    let mut tx = app.db.begin().await?;
    let existing = users::totp(&mut tx, actor.user_id).await?;
    if existing.is_some_and(|t| t.confirmed_at.is_some()) {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "code",
            "La double authentification est déjà activée.",
        )));
    }
    let sealed = totp_seeds::sealed(app, actor.user_id, &secret);
    users::set_pending_totp(&mut tx, actor.user_id, &sealed).await?;
    Db::commit(tx).await?;
    Ok(Enrolment {
        provisioning_url: totp::provisioning_url(&secret, &actor.email),
        secret_base32: totp::secret_base32(&secret),
    })
}

/// The enrolment in progress, if any, to show it again.
pub async fn pending_enrolment(app: &App, actor: &Actor) -> ServiceResult<Option<Enrolment>> {
    let mut conn = app.db.conn().await?;
    let Some(pending) = users::totp(&mut conn, actor.user_id)
        .await?
        .filter(|t| t.confirmed_at.is_none())
    else {
        return Ok(None);
    };
    let seed = totp_seeds::seed(app, actor.user_id, &pending)?;
    Ok(Some(Enrolment {
        provisioning_url: totp::provisioning_url(&seed, &actor.email),
        secret_base32: totp::secret_base32(&seed),
    }))
}

/// Whether the actor has a confirmed second factor.
pub async fn has_second_factor(app: &App, actor: &Actor) -> ServiceResult<bool> {
    let mut conn = app.db.conn().await?;
    Ok(users::totp(&mut conn, actor.user_id)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some()))
}

/// Confirms the enrolment with a first code from the application; the session counts as
/// having passed the second factor.
pub async fn confirm_enrolment(app: &App, session: &Session, code: &str) -> ServiceResult<()> {
    let now = app.now();
    let actor = &session.actor;
    let mut tx = app.db.begin().await?;
    let pending = users::totp(&mut tx, actor.user_id)
        .await?
        .filter(|t| t.confirmed_at.is_none());
    let step = match pending {
        Some(p) => totp::verify(
            &totp_seeds::seed(app, actor.user_id, &p)?,
            code,
            now as u64,
            None,
        ),
        None => None,
    };
    let Some(step) = step else {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "code",
            "Code incorrect : vérifiez l’heure de votre téléphone et saisissez le code affiché.",
        )));
    };
    users::use_totp_step(&mut tx, actor.user_id, step as i64, now).await?;
    sessions::mark_second_factor(&mut tx, session.id, now).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("auth.second_factor_enrol", Outcome::Success).object("user", actor.user_id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// Removes expired sessions and old login failures (run periodically).
pub async fn purge_expired(app: &App) -> ServiceResult<u64> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let sessions = sessions::delete_expired(
        &mut tx,
        now - app.settings.session_idle_secs,
        now - app.settings.session_absolute_secs,
    )
    .await?;
    let failures =
        login_failures::purge_before(&mut tx, now - app.settings.throttle_window_secs).await?;
    Db::commit(tx).await?;
    Ok(sessions + failures)
}

/// A fresh token for the forms of someone not logged in (kept in a cookie, echoed in the form).
pub fn new_form_token() -> String {
    secrets::random_token(24)
}
