//! Proposing a waiting patient to a member GP: the GPs who can still take one this month,
//! nearest first, among those who take patients of the request's commune and age and do not
//! leave within a year; the proposal, which counts against the GP's monthly capacity as soon
//! as it is made; the GP's answer, on their page or from the link of the proposal's e-mail. A GP is never asked for more than they offered, whatever the
//! concurrency: each transaction that counts a GP's commitments holds the GP's row first.

use crate::access;
use crate::context::{Actor, App, RequestContext};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::platform::notify;
use crate::platform::secrets::{random_token, token_hash};
use maillage_domain::Role;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::age_on;
use maillage_domain::gp_waitlist::capacity::{NewPatientLimits, Refusal, leaves_within_a_year};
use maillage_domain::gp_waitlist::matching::nearest_per_gp;
use maillage_domain::gp_waitlist::states::{ProposalStatus, RequestStatus};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::{FieldErrors, GeoPoint};
use maillage_store::gp_waitlist::proposals::{
    self, GpCapacity, MemberCapacity, NewProposal, ProposalRow,
};
use maillage_store::gp_waitlist::requests::{self, RequestRow};
use maillage_store::{Conn, Db, platform::outbox, territory::cpts, territory::reference};

/// How long the link of a proposal's e-mail answers it: two weeks.
pub const ANSWER_LINK_SECS: i64 = 14 * 86_400;

/// A GP who can take the patient, with what is left of their month and their distance.
pub struct Suggestion {
    pub gp: GpCapacity,
    /// `None`: they gave no number.
    pub left: Option<i64>,
    /// From the patient's commune to the GP's, in km, when both are placed.
    pub distance_km: Option<f64>,
}

/// The month a proposal made today counts in, `AAAA-MM`.
fn month(app: &App) -> String {
    let today = app.today();
    format!("{:04}-{:02}", today.year, today.month)
}

/// The age of the patient of `request` on `today`.
fn age_of(request: &RequestRow, today: CivilDate) -> i32 {
    CivilDate::parse(&request.birth_date).map_or(0, |birth| age_on(birth, today))
}

/// Why the GP cannot take the patient of `request` on `today`, if they cannot.
fn refusal(gp: &MemberCapacity, request: &RequestRow, today: CivilDate) -> Option<Refusal> {
    if gp.per_month.is_some_and(|n| gp.committed >= n) {
        return Some(Refusal::Full);
    }
    let departure = gp.departure_date.as_deref().and_then(CivilDate::parse);
    if leaves_within_a_year(departure, today) {
        return Some(Refusal::Leaving);
    }
    NewPatientLimits::from_stored(&gp.communes, gp.min_age, gp.max_age)
        .refusal(&request.commune, age_of(request, today))
}

/// The member GPs who can take the patient this month, nearest practice site first.
pub async fn suggestions(
    app: &App,
    actor: &Actor,
    request: &RequestRow,
) -> ServiceResult<Vec<Suggestion>> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    let sites = proposals::capacities(&mut conn, cpts_id, &month(app)).await?;
    let commune =
        reference::communes_by_codes(&mut conn, std::slice::from_ref(&request.commune)).await?;
    let home = commune
        .first()
        .and_then(|c| GeoPoint::known(c.latitude, c.longitude));
    let today = app.today();
    let candidates = sites
        .into_iter()
        .filter(|gp| refusal(&gp.capacity, request, today).is_none())
        .map(|gp| {
            let distance_km = home
                .zip(GeoPoint::known(gp.latitude, gp.longitude))
                .map(|(a, b)| a.distance_km(b));
            (gp.capacity.member_id, distance_km, gp)
        });
    Ok(nearest_per_gp(candidates)
        .into_iter()
        .map(|(distance_km, gp)| Suggestion {
            left: gp.capacity.per_month.map(|n| n - gp.capacity.committed),
            gp,
            distance_km,
        })
        .collect())
}

/// The member GPs of the coordinator's CPTS who take new patients, with what they
/// offered and committed this month.
pub async fn capacities(app: &App, actor: &Actor) -> ServiceResult<Vec<MemberCapacity>> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    let sites = proposals::capacities(&mut conn, cpts_id, &month(app)).await?;
    let mut gps: Vec<MemberCapacity> = sites.into_iter().map(|site| site.capacity).collect();
    gps.dedup_by_key(|gp| gp.member_id);
    Ok(gps)
}

/// The proposals made for a request.
pub async fn proposals_of(
    app: &App,
    actor: &Actor,
    request_id: i64,
) -> ServiceResult<Vec<ProposalRow>> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    requests::by_id(&mut conn, cpts_id, request_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(proposals::of_request(&mut conn, request_id).await?)
}

/// Whether the member can take the patient of `request` in `month`, checked under their lock.
async fn check_room(
    conn: &mut Conn,
    member_id: i64,
    month: &str,
    request: &RequestRow,
    today: CivilDate,
) -> ServiceResult<()> {
    proposals::lock_member(conn, member_id).await?;
    let message = match proposals::capacity_of(conn, member_id, month).await? {
        Some(gp) => refusal(&gp, request, today).map(Refusal::message_fr),
        None => Some("Ce médecin ne prend pas de nouveaux patients, ou n’a pas de compte."),
    };
    match message {
        Some(message) => Err(FieldErrors::single("member", message).into()),
        None => Ok(()),
    }
}

/// A coordinator proposes the patient of an open request to a member GP of the CPTS.
pub async fn propose(
    app: &App,
    actor: &Actor,
    request_id: i64,
    member_id: i64,
) -> ServiceResult<i64> {
    let done = app
        .in_transaction(async |tx| propose_in(app, tx, actor, request_id, member_id).await)
        .await?;
    app.notifications.notify_one();
    Ok(done)
}

/// [`propose`] in the caller's transaction (a keyed API call's).
pub async fn propose_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    request_id: i64,
    member_id: i64,
) -> ServiceResult<i64> {
    let cpts_id = access::coordinated(actor)?;
    let request = requests::by_id(tx, cpts_id, request_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let member = maillage_store::directory::members::by_id(tx, member_id).await?;
    let Some(member) = member.filter(|m| m.cpts_id == cpts_id) else {
        return Err(
            FieldErrors::single("member", "Choisissez un médecin adhérent de la CPTS.").into(),
        );
    };
    if request.status != RequestStatus::Open {
        return Err(FieldErrors::single("member", "Cette demande est close.").into());
    }
    let earlier = proposals::of_request(tx, request_id).await?;
    if earlier.iter().any(|p| p.status == ProposalStatus::Accepted) {
        return Err(FieldErrors::single("member", "Un médecin a déjà accepté ce patient.").into());
    }
    let month = month(app);
    check_room(tx, member_id, &month, &request, app.today()).await?;
    let now = app.now();
    let token = random_token(32);
    let new = NewProposal {
        request_id,
        member_id,
        month: &month,
        created_by: actor.user_id,
        answer_token_hash: &token_hash(&token),
    };
    let Some(id) = proposals::insert(tx, &new, now).await? else {
        return Err(FieldErrors::single(
            "member",
            "Une proposition attend déjà la réponse d’un médecin.",
        )
        .into());
    };
    let gp = format!("Dr {} {}", member.first_name, member.last_name);
    requests::add_event(tx, request_id, Some(actor.user_id), "proposed", &gp, now).await?;
    if let Some(user_id) = member.user_id {
        let texts = notify::proposal(app, &token);
        outbox::enqueue_for_user(
            tx,
            &texts.mail(app),
            &format!("proposal.{id}"),
            user_id,
            now,
        )
        .await?;
    }
    let event = Event::new("gp_proposal.create", Outcome::Success)
        .object("gp_request", request_id)
        .cpts(Some(cpts_id));
    audit::write_in(app, tx, &Who::User(actor), event).await?;
    Ok(id)
}

/// The proposals waiting for the actor's answer (a member GP), with their patients.
pub async fn my_proposals(
    app: &App,
    actor: &Actor,
) -> ServiceResult<Vec<(ProposalRow, RequestRow)>> {
    let mut conn = app.db.conn().await?;
    let proposals = proposals::pending_for_user(&mut conn, actor.user_id).await?;
    let mut shown = Vec::new();
    let Some(cpts_id) = actor.cpts_id else {
        return Ok(shown);
    };
    for proposal in proposals {
        if let Some(request) = requests::by_id(&mut conn, cpts_id, proposal.request_id).await? {
            shown.push((proposal, request));
        }
    }
    drop(conn);
    if !shown.is_empty() {
        let event = Event::new("gp_proposal.list", Outcome::Success).cpts(actor.cpts_id);
        audit::write(app, &Who::User(actor), event).await?;
    }
    Ok(shown)
}

/// Tells the patient of `request` that a GP accepted them: by e-mail when they gave an
/// address, and by SMS when they gave a mobile number and the host set up SMS.
async fn tell_patient(
    app: &App,
    tx: &mut Conn,
    request: &RequestRow,
    proposal_id: i64,
    now: i64,
) -> ServiceResult<()> {
    let key = format!("gp_request.{}.accepted.{proposal_id}", request.id);
    if !request.email.is_empty() {
        let texts = notify::patient_accepted();
        outbox::enqueue_to_address(tx, &texts.mail(app), &key, &request.email, now).await?;
    }
    let mobile = notify::international_mobile(&request.phone).filter(|_| app.sms.is_some());
    if let Some(mobile) = mobile {
        let text = notify::PATIENT_ACCEPTED_SMS;
        let key = format!("{key}.sms");
        outbox::enqueue_sms(tx, &key, notify::host(app), &mobile, text, now).await?;
    }
    Ok(())
}

/// Records the answer of the GP a proposal was made to, in `tx`: the request's history,
/// the patient told on acceptance, the audit event of `who` (the GP logged in, or the
/// holder of the e-mail's link).
async fn record_answer(
    app: &App,
    tx: &mut Conn,
    proposal: &ProposalRow,
    accept: bool,
    who: &Who<'_>,
) -> ServiceResult<()> {
    proposals::lock_member(tx, proposal.member_id).await?;
    let proposal = &proposals::by_id(tx, proposal.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if proposal.status == ProposalStatus::Withdrawn {
        let closed = "Cette proposition a été retirée : la demande a été close.";
        return Err(FieldErrors::single("proposal", closed).into());
    }
    let now = app.now();
    if !proposals::decide(tx, proposal.id, accept, now).await? {
        return Err(
            FieldErrors::single("proposal", "Vous avez déjà répondu à cette proposition.").into(),
        );
    }
    let by_link = matches!(who, Who::Account { .. });
    let (kind, action) = match (accept, by_link) {
        (true, false) => ("accepted", "gp_proposal.accept"),
        (true, true) => ("accepted", "gp_proposal.accept_by_link"),
        (false, false) => ("declined", "gp_proposal.decline"),
        (false, true) => ("declined", "gp_proposal.decline_by_link"),
    };
    let gp = format!("Dr {}", proposal.gp_name);
    let author = proposal.member_user_id;
    requests::add_event(tx, proposal.request_id, author, kind, &gp, now).await?;
    let request = requests::by_id(tx, proposal.cpts_id, proposal.request_id).await?;
    if let Some(request) = request.filter(|_| accept) {
        tell_patient(app, tx, &request, proposal.id, now).await?;
    }
    let event = Event::new(action, Outcome::Success)
        .object("gp_request", proposal.request_id)
        .cpts(Some(proposal.cpts_id));
    audit::write_in(app, tx, who, event).await?;
    Ok(())
}

/// The GP the proposal was made to accepts or declines it on their page.
pub async fn answer(app: &App, actor: &Actor, proposal_id: i64, accept: bool) -> ServiceResult<()> {
    app.in_transaction(async |tx| answer_in(app, tx, actor, proposal_id, accept).await)
        .await?;
    app.notifications.notify_one();
    Ok(())
}

/// [`answer`] in the caller's transaction (a keyed API call's).
pub async fn answer_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    proposal_id: i64,
    accept: bool,
) -> ServiceResult<()> {
    let proposal = proposals::by_id(tx, proposal_id)
        .await?
        .filter(|p| p.member_user_id == Some(actor.user_id))
        .ok_or(ServiceError::NotFound)?;
    record_answer(app, tx, &proposal, accept, &Who::User(actor)).await?;
    Ok(())
}

/// The pending proposal whose e-mail link carries `token`, while the link holds.
async fn by_link(conn: &mut Conn, app: &App, token: &str) -> ServiceResult<ProposalRow> {
    proposals::by_answer_token(conn, &token_hash(token))
        .await?
        .filter(|p| {
            p.status == ProposalStatus::Pending && p.created_at + ANSWER_LINK_SECS > app.now()
        })
        .ok_or(ServiceError::NotFound)
}

/// What the page of an answer link shows of the patient: neither name nor situation.
pub struct LinkedProposal {
    pub cpts_name: String,
    pub age: i32,
    pub commune_name: String,
    /// When the patient asked.
    pub received_at: i64,
}

/// The proposal of an answer link, as its page shows it; the read is audited.
pub async fn proposal_by_link(
    app: &App,
    token: &str,
    context: &RequestContext,
) -> ServiceResult<LinkedProposal> {
    let mut conn = app.db.conn().await?;
    let proposal = by_link(&mut conn, app, token).await?;
    let request = requests::by_id(&mut conn, proposal.cpts_id, proposal.request_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let cpts = cpts::by_id(&mut conn, proposal.cpts_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    drop(conn);
    let who = Who::Account {
        user_id: proposal.member_user_id,
        role: Some(Role::Member),
        request: context,
    };
    let event = Event::new("gp_proposal.view_link", Outcome::Success)
        .object("gp_request", request.id)
        .cpts(Some(proposal.cpts_id));
    audit::write(app, &who, event).await?;
    let today = app.today();
    Ok(LinkedProposal {
        cpts_name: cpts.name,
        age: age_of(&request, today),
        commune_name: request.commune_name,
        received_at: request.received_at,
    })
}

/// The GP answers from the link of the proposal's e-mail, without logging in: the link
/// serves once and for [`ANSWER_LINK_SECS`] after the proposal.
pub async fn answer_by_link(
    app: &App,
    token: &str,
    accept: bool,
    context: &RequestContext,
) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let proposal = by_link(&mut tx, app, token).await?;
    let who = Who::Account {
        user_id: proposal.member_user_id,
        role: Some(Role::Member),
        request: context,
    };
    record_answer(app, &mut tx, &proposal, accept, &who).await?;
    Db::commit(tx).await?;
    app.notifications.notify_one();
    Ok(())
}

/// A coordinator confirms that the GP who accepted was declared as médecin traitant: the
/// request is fulfilled.
pub async fn confirm_found(app: &App, actor: &Actor, request_id: i64) -> ServiceResult<()> {
    app.in_transaction(async |tx| confirm_found_in(app, tx, actor, request_id).await)
        .await
}

/// [`confirm_found`] in the caller's transaction (a keyed API call's).
pub async fn confirm_found_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    request_id: i64,
) -> ServiceResult<()> {
    let cpts_id = access::coordinated(actor)?;
    let request = requests::by_id(tx, cpts_id, request_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let accepted = proposals::of_request(tx, request_id)
        .await?
        .into_iter()
        .find(|p| p.status == ProposalStatus::Accepted);
    let Some(accepted) = accepted.filter(|_| request.status == RequestStatus::Open) else {
        return Err(FieldErrors::single(
            "request",
            "Seule une demande ouverte dont un médecin a accepté la proposition peut être confirmée.",
        )
        .into());
    };
    let now = app.now();
    requests::mark_found(tx, request_id, now).await?;
    let gp = format!("Dr {}", accepted.gp_name);
    requests::add_event(tx, request_id, Some(actor.user_id), "found", &gp, now).await?;
    let event = Event::new("gp_request.found", Outcome::Success)
        .object("gp_request", request_id)
        .cpts(Some(cpts_id));
    audit::write_in(app, tx, &Who::User(actor), event).await?;
    Ok(())
}
