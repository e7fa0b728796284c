//! Members (adhérents) of a CPTS: a coordinator adds professionals who practise in the
//! perimeter and links each to their account; a member keeps their own settings (new
//! patients: how many a month, from which communes, of which ages; unscheduled care,
//! teleconsultation, home visits, languages, MSSanté address, a phone for colleagues, the
//! planned end of their practice), which re-imports of the directory never touch.

use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::accounts::{self, AccountRequest};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::common::validation::parse_phone;
use maillage_domain::directory::is_general_practitioner;
use maillage_domain::gp_waitlist::capacity::NewPatientLimits;
use maillage_domain::platform::audit::Outcome;
use maillage_domain::{Email, FieldErrors, Role, common::text};
use maillage_store::directory::members::{self, MemberRow, MemberSettings};
use maillage_store::{Conn, Db, platform::users, territory::cpts};

/// The settings form as typed.
#[derive(Debug, Default, Clone)]
pub struct SettingsForm {
    pub accepts_new_patients: bool,
    pub new_patients_per_month: String,
    pub unscheduled_care: bool,
    pub teleconsultation: bool,
    pub home_visits: bool,
    pub languages: String,
    pub mssante: String,
    pub colleague_phone: String,
    /// Communes typed, separated by commas: names, INSEE codes, or « Name (code) ».
    pub new_patient_communes: String,
    pub new_patient_min_age: String,
    pub new_patient_max_age: String,
    /// `JJ/MM/AAAA`, or empty.
    pub departure_date: String,
}

impl SettingsForm {
    /// The settings of a member as their form shows them; `communes` as `commune_labels` gives.
    pub fn of(member: &MemberRow, communes: String) -> Self {
        Self {
            accepts_new_patients: member.accepts_new_patients,
            new_patients_per_month: member
                .new_patients_per_month
                .map(|n| n.to_string())
                .unwrap_or_default(),
            unscheduled_care: member.unscheduled_care,
            teleconsultation: member.teleconsultation,
            home_visits: member.home_visits,
            languages: member.languages.clone(),
            mssante: member.mssante.clone(),
            colleague_phone: member.colleague_phone.clone(),
            new_patient_communes: communes,
            new_patient_min_age: member
                .new_patient_min_age
                .map(|n| n.to_string())
                .unwrap_or_default(),
            new_patient_max_age: member
                .new_patient_max_age
                .map(|n| n.to_string())
                .unwrap_or_default(),
            departure_date: CivilDate::french_of(member.departure_date.as_deref()),
        }
    }
}

/// Whether the actor may change this member's settings.
pub fn may_edit(actor: &Actor, member: &MemberRow) -> bool {
    access::edits_member(actor, member.cpts_id, member.user_id)
}

/// How many new patients a month a GP takes: none said, or 0 to 200.
fn per_month(raw: &str) -> Result<Option<i64>, String> {
    match raw.trim() {
        "" => Ok(None),
        raw => match raw.parse::<i64>() {
            Ok(n) if (0..=200).contains(&n) => Ok(Some(n)),
            _ => Err("Indiquez un nombre de nouveaux patients par mois entre 0 et 200.".to_owned()),
        },
    }
}

/// An MSSanté address (lower case), or none.
fn mssante(raw: &str) -> Result<String, String> {
    let address = raw.trim().to_lowercase();
    if address.is_empty() || (address.ends_with(".mssante.fr") && Email::parse(&address).is_ok()) {
        Ok(address)
    } else {
        Err("Une adresse MSSanté se termine par « .mssante.fr », par exemple prenom.nom@medecin.mssante.fr.".to_owned())
    }
}

/// A planned departure date (`AAAA-MM-JJ`), or none.
fn departure(raw: &str) -> Result<Option<String>, String> {
    match raw.trim() {
        "" => Ok(None),
        raw => CivilDate::parse(raw)
            .map(|date| Some(date.iso()))
            .ok_or_else(|| "Indiquez la date de départ prévue, par exemple 30/06/2027.".to_owned()),
    }
}

/// The settings of `form` for `member`; only a GP takes new patients as médecin traitant.
fn validate(form: &SettingsForm, member: &MemberRow) -> Result<MemberSettings, FieldErrors> {
    let mut errors = FieldErrors::new();
    if form.accepts_new_patients && !is_general_practitioner(&member.profession, &member.specialty)
    {
        errors.add(
            "accepts_new_patients",
            "Seuls les médecins généralistes prennent de nouveaux patients comme médecin traitant.",
        );
    }
    let per_month = errors
        .take(
            "new_patients_per_month",
            per_month(&form.new_patients_per_month),
        )
        .flatten();
    let mssante = errors
        .take("mssante", mssante(&form.mssante))
        .unwrap_or_default();
    let phone = match form.colleague_phone.trim() {
        "" => String::new(),
        raw => errors
            .take("colleague_phone", parse_phone(raw))
            .unwrap_or_default(),
    };
    let languages = errors
        .take("languages", text::line(&form.languages, "langues"))
        .unwrap_or_default();
    if languages.chars().count() > 200 {
        errors.add("languages", "200 caractères au plus.");
    }
    let (min_age, max_age) =
        match NewPatientLimits::parse_ages(&form.new_patient_min_age, &form.new_patient_max_age) {
            Ok(bounds) => bounds,
            Err(bad) => {
                errors.merge(bad);
                (None, None)
            }
        };
    let departure_date = errors
        .take("departure_date", departure(&form.departure_date))
        .flatten();
    errors.into_result(|| MemberSettings {
        accepts_new_patients: form.accepts_new_patients,
        new_patients_per_month: if form.accepts_new_patients {
            per_month
        } else {
            None
        },
        unscheduled_care: form.unscheduled_care,
        teleconsultation: form.teleconsultation,
        home_visits: form.home_visits,
        languages,
        mssante,
        colleague_phone: phone,
        new_patient_communes: String::new(),
        new_patient_min_age: min_age,
        new_patient_max_age: max_age,
        departure_date,
    })
}

/// The INSEE codes of the communes typed, separated by commas; errors name each commune
/// not found.
async fn commune_codes(
    conn: &mut Conn,
    cpts_id: i64,
    typed: &str,
) -> ServiceResult<Result<Vec<String>, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let mut codes = Vec::new();
    for raw in typed
        .split(',')
        .map(str::trim)
        .filter(|raw| !raw.is_empty())
    {
        match crate::territory::commune_code_of(conn, Some(cpts_id), raw).await? {
            Ok(code) if !codes.contains(&code) => codes.push(code),
            Ok(_) => {}
            Err(message) => errors.add("new_patient_communes", message),
        }
    }
    Ok(errors.into_result(|| codes))
}

/// Adds a professional of the directory to the coordinator's CPTS.
pub async fn add(app: &App, actor: &Actor, professional_id: i64) -> ServiceResult<i64> {
    let cpts_id = match actor.cpts_id {
        Some(id) if access::coordinates(actor, id) => id,
        _ => return Err(ServiceError::Forbidden),
    };
    let mut tx = app.db.begin().await?;
    if !members::practises_in_perimeter(&mut tx, cpts_id, professional_id).await? {
        return Err(FieldErrors::single(
            "professional",
            "Ce professionnel n’exerce pas dans le périmètre de la CPTS.",
        )
        .into());
    }
    let Some(id) = members::insert(&mut tx, cpts_id, professional_id, app.now()).await? else {
        return Err(
            FieldErrors::single("professional", "Ce professionnel est déjà adhérent.").into(),
        );
    };
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("member.add", Outcome::Success)
            .object("member", id)
            .cpts(Some(cpts_id)),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(id)
}

/// One member, for the people of its CPTS (administrators see every CPTS's).
pub async fn get(app: &App, actor: &Actor, id: i64) -> ServiceResult<MemberRow> {
    visible_member(&mut *app.db.conn().await?, actor, id).await
}

/// The member `id`, if the actor sees its CPTS.
async fn visible_member(conn: &mut Conn, actor: &Actor, id: i64) -> ServiceResult<MemberRow> {
    members::by_id(conn, id)
        .await?
        .filter(|m| access::sees(actor, m.cpts_id))
        .ok_or(ServiceError::NotFound)
}

/// The members of the actor's CPTS.
pub async fn list(app: &App, actor: &Actor) -> ServiceResult<Vec<MemberRow>> {
    let Some(cpts_id) = actor.cpts_id else {
        return Ok(Vec::new());
    };
    let mut conn = app.db.conn().await?;
    Ok(members::of_cpts(&mut conn, cpts_id).await?)
}

/// The member linked to the actor's account, if any.
pub async fn own(app: &App, actor: &Actor) -> ServiceResult<Option<MemberRow>> {
    let mut conn = app.db.conn().await?;
    Ok(members::by_user(&mut conn, actor.user_id).await?)
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    form: &SettingsForm,
) -> ServiceResult<MemberRow> {
    app.in_transaction(async |tx| update_in(app, tx, actor, id, form).await)
        .await
}

/// [`update`] in the caller's transaction (a keyed API call's).
pub async fn update_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    id: i64,
    form: &SettingsForm,
) -> ServiceResult<MemberRow> {
    let member = visible_member(tx, actor, id).await?;
    if !may_edit(actor, &member) {
        return Err(ServiceError::Forbidden);
    }
    let communes = commune_codes(tx, member.cpts_id, &form.new_patient_communes).await?;
    let settings = match (validate(form, &member), communes) {
        (Ok(settings), Ok(communes)) => MemberSettings {
            new_patient_communes: communes.join(","),
            ..settings
        },
        (settings, communes) => {
            let mut errors = settings.err().unwrap_or_default();
            errors.merge(communes.err().unwrap_or_default());
            return Err(errors.into());
        }
    };
    members::update_settings(tx, id, &settings, app.now()).await?;
    audit::write_in(
        app,
        tx,
        &Who::User(actor),
        Event::new("member.settings", Outcome::Success)
            .object("member", id)
            .cpts(Some(member.cpts_id)),
    )
    .await?;
    visible_member(tx, actor, id).await
}

/// Invites a member to create their account, linked to them once they accept; for
/// coordinators, and members with no account yet. Returns the link's single-use token.
/// Errors are those of the `invitation_email` field.
pub async fn invite(app: &App, actor: &Actor, id: i64, email: &str) -> ServiceResult<String> {
    let member = get(app, actor, id).await?;
    if !access::coordinates(actor, member.cpts_id) {
        return Err(ServiceError::Forbidden);
    }
    if member.user_id.is_some() {
        return Err(
            FieldErrors::single("invitation_email", "Cet adhérent a déjà un compte lié.").into(),
        );
    }
    let cpts = cpts::by_id(&mut *app.db.conn().await?, member.cpts_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let name = format!("{} {}", member.first_name, member.last_name);
    let request = AccountRequest {
        email,
        display_name: name.trim(),
        role: Role::Member.as_str(),
        cpts_slug: &cpts.slug,
    };
    match accounts::invite(app, actor, &request, Some(id)).await {
        Ok((_, token)) => Ok(token),
        Err(ServiceError::Invalid(errors)) => {
            let mut renamed = FieldErrors::new();
            for error in errors.iter() {
                renamed.add("invitation_email", error.message.clone());
            }
            Err(renamed.into())
        }
        Err(error) => Err(error),
    }
}

/// Links a member to an account of its CPTS with the member role (`None` unlinks);
/// coordinators only.
pub async fn link(app: &App, actor: &Actor, id: i64, email: &str) -> ServiceResult<()> {
    let member = get(app, actor, id).await?;
    if !access::coordinates(actor, member.cpts_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut tx = app.db.begin().await?;
    let user_id = match email.trim() {
        "" => None,
        email => {
            let user = users::by_email(&mut tx, &email.to_lowercase()).await?;
            match user {
                Some(u) if u.cpts_id == Some(member.cpts_id) && u.role == Role::Member => {
                    Some(u.id)
                }
                _ => {
                    return Err(FieldErrors::single(
                        "email",
                        "Aucun compte de professionnel membre de votre CPTS n’a cette adresse : invitez d’abord la personne.",
                    )
                    .into());
                }
            }
        }
    };
    if let Some(user_id) = user_id
        && members::by_user(&mut tx, user_id)
            .await?
            .is_some_and(|m| m.id != id)
    {
        return Err(
            FieldErrors::single("email", "Ce compte est déjà lié à un autre adhérent.").into(),
        );
    }
    members::link_user(&mut tx, id, user_id, app.now()).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("member.link", Outcome::Success)
            .object("member", id)
            .cpts(Some(member.cpts_id)),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}
