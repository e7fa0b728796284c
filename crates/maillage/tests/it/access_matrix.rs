//! Who may see what: for each kind of object of CPTS "a" and each account (the host's
//! administrator; the coordinator, the regulator and a member GP of CPTS "a", and the same
//! three of CPTS "b"), what the use case that reads the object answers: `Allowed`,
//! `NotFound` (not there, or not for this account: the two are not told apart) or
//! `Forbidden` (this role never reads such objects). To answer "who may see request N",
//! read the rows of `Request` in `EXPECTED`; each `Kind` names the use case that reads it.
//! One run checks every cell, on SQLite and on PostgreSQL, and lists all that differ.

use crate::support::fixtures::directory::ARBOUSIER;
use crate::support::fixtures::messaging::PDF;
use crate::support::fixtures::unscheduled_care::{
    free_slots, member_of, publish, request_fields, weekdays_afternoon,
};
use crate::support::{TestApp, both};
use Kind::*;
use Outcome::*;
use Who::*;
use maillage_domain::gp_waitlist::RequestFields;
use maillage_domain::messaging::PatientFields;
use maillage_services::directory::members::{self, SettingsForm};
use maillage_services::messaging::alerts::{self, AlertForm};
use maillage_services::messaging::{self, NewFile, NewThread};
use maillage_services::unscheduled_care::slots::{self, SlotSearch};
use maillage_services::unscheduled_care::{agenda, availability, booking, calendar, requests};
use maillage_services::{Actor, App, ServiceError, ServiceResult, gp_waitlist};

/// The objects of CPTS "a", each read by the use case named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An unscheduled-care request, with its bookings: `requests::file`.
    Request,
    /// Its booking, as the GP whose slot it is reads it in their agenda: `agenda::agenda`
    /// (the desk reads bookings in the request's file).
    Booking,
    /// The booked slot, among the member's slots of their availability page:
    /// `availability::availability`.
    Slot,
    /// Another slot of the member, still free, as a search finds it: `slots::search`.
    FreeSlot,
    /// The GP's member record: `directory::members::get`.
    Member,
    /// A patient thread between the coordinator and the GP: `messaging::open`.
    Thread,
    /// A file attached to a message of that thread: `messaging::download`.
    Attachment,
    /// An alert the coordinator sent to every account of the CPTS: `alerts::show`.
    Alert,
    /// A patient's request on the waiting list for a médecin traitant:
    /// `gp_waitlist::detail`.
    WaitingRequest,
    /// The proposal of that patient to the GP, among the request's: `gp_waitlist::proposals_of`.
    Proposal,
    /// The same proposal, among those waiting for the account's answer:
    /// `gp_waitlist::my_proposals`.
    ProposalToAnswer,
    /// The GP's booking in a calendar feed: the account can only get its own member's feed,
    /// through the secret address it renews (`calendar::renew_link`, `calendar::feed`).
    CalendarFeed,
}

const KINDS: [Kind; 12] = [
    Request,
    Booking,
    Slot,
    FreeSlot,
    Member,
    Thread,
    Attachment,
    Alert,
    WaitingRequest,
    Proposal,
    ProposalToAnswer,
    CalendarFeed,
];

/// The accounts that try to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The host's administrator, of no CPTS.
    Admin,
    /// The coordinator of CPTS "a".
    CoordA,
    /// The regulator of CPTS "a".
    RegulA,
    /// Dr Restanque, GP member of CPTS "a": the thread's member, the slots' and the
    /// proposal's GP.
    GpA,
    /// The coordinator of CPTS "b".
    CoordB,
    /// The regulator of CPTS "b".
    RegulB,
    /// Dr Arbousier, member of CPTS "b", with a calendar feed of their own.
    GpB,
}

const WHO: [Who; 7] = [Admin, CoordA, RegulA, GpA, CoordB, RegulB, GpB];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allowed,
    NotFound,
    Forbidden,
}

/// What each account is answered when it reads each object of CPTS "a".
const EXPECTED: &[(Kind, Who, Outcome)] = &[
    // The desk of the request's CPTS: its coordinators and regulators.
    (Request, Admin, Forbidden),
    (Request, CoordA, Allowed),
    (Request, RegulA, Allowed),
    (Request, GpA, Forbidden),
    (Request, CoordB, NotFound),
    (Request, RegulB, NotFound),
    (Request, GpB, Forbidden),
    // The agenda is the professional's own: only accounts linked to a member have one.
    (Booking, Admin, Forbidden),
    (Booking, CoordA, Forbidden),
    (Booking, RegulA, Forbidden),
    (Booking, GpA, Allowed),
    (Booking, CoordB, Forbidden),
    (Booking, RegulB, Forbidden),
    (Booking, GpB, NotFound),
    // A member's availability: the member, their coordinators, the administrator.
    (Slot, Admin, Allowed),
    (Slot, CoordA, Allowed),
    (Slot, RegulA, Forbidden),
    (Slot, GpA, Allowed),
    (Slot, CoordB, NotFound),
    (Slot, RegulB, NotFound),
    (Slot, GpB, NotFound),
    // Free slots seen by professionals: the CPTS's accounts, and the administrator.
    (FreeSlot, Admin, Allowed),
    (FreeSlot, CoordA, Allowed),
    (FreeSlot, RegulA, Allowed),
    (FreeSlot, GpA, Allowed),
    (FreeSlot, CoordB, NotFound),
    (FreeSlot, RegulB, NotFound),
    (FreeSlot, GpB, NotFound),
    // The directory of members: every account of the CPTS, and the administrator.
    (Member, Admin, Allowed),
    (Member, CoordA, Allowed),
    (Member, RegulA, Allowed),
    (Member, GpA, Allowed),
    (Member, CoordB, NotFound),
    (Member, RegulB, NotFound),
    (Member, GpB, NotFound),
    // A thread: its members only, whatever their role.
    (Thread, Admin, NotFound),
    (Thread, CoordA, Allowed),
    (Thread, RegulA, NotFound),
    (Thread, GpA, Allowed),
    (Thread, CoordB, NotFound),
    (Thread, RegulB, NotFound),
    (Thread, GpB, NotFound),
    // An attachment: the members of its thread.
    (Attachment, Admin, NotFound),
    (Attachment, CoordA, Allowed),
    (Attachment, RegulA, NotFound),
    (Attachment, GpA, Allowed),
    (Attachment, CoordB, NotFound),
    (Attachment, RegulB, NotFound),
    (Attachment, GpB, NotFound),
    // An alert: its recipients and the coordinators of its CPTS.
    (Alert, Admin, NotFound),
    (Alert, CoordA, Allowed),
    (Alert, RegulA, Allowed),
    (Alert, GpA, Allowed),
    (Alert, CoordB, NotFound),
    (Alert, RegulB, NotFound),
    (Alert, GpB, NotFound),
    // The waiting list: the coordinators of its CPTS.
    (WaitingRequest, Admin, Forbidden),
    (WaitingRequest, CoordA, Allowed),
    (WaitingRequest, RegulA, Forbidden),
    (WaitingRequest, GpA, Forbidden),
    (WaitingRequest, CoordB, NotFound),
    (WaitingRequest, RegulB, Forbidden),
    (WaitingRequest, GpB, Forbidden),
    // A request's proposals: the coordinators of its CPTS.
    (Proposal, Admin, Forbidden),
    (Proposal, CoordA, Allowed),
    (Proposal, RegulA, Forbidden),
    (Proposal, GpA, Forbidden),
    (Proposal, CoordB, NotFound),
    (Proposal, RegulB, Forbidden),
    (Proposal, GpB, Forbidden),
    // A proposal to answer: the GP it is made to.
    (ProposalToAnswer, Admin, NotFound),
    (ProposalToAnswer, CoordA, NotFound),
    (ProposalToAnswer, RegulA, NotFound),
    (ProposalToAnswer, GpA, Allowed),
    (ProposalToAnswer, CoordB, NotFound),
    (ProposalToAnswer, RegulB, NotFound),
    (ProposalToAnswer, GpB, NotFound),
    // A calendar feed: the member's own; an account with no member record has none.
    (CalendarFeed, Admin, Forbidden),
    (CalendarFeed, CoordA, Forbidden),
    (CalendarFeed, RegulA, Forbidden),
    (CalendarFeed, GpA, Allowed),
    (CalendarFeed, CoordB, Forbidden),
    (CalendarFeed, RegulB, Forbidden),
    (CalendarFeed, GpB, NotFound),
];

/// The accounts, and one object of each kind in CPTS "a".
struct Scenario {
    admin: Actor,
    coord_a: Actor,
    regul_a: Actor,
    gp_a: Actor,
    coord_b: Actor,
    regul_b: Actor,
    gp_b: Actor,
    request: i64,
    booking: i64,
    slot: i64,
    free_slot: i64,
    member: i64,
    thread: i64,
    attachment: i64,
    alert: i64,
    waiting: i64,
    proposal: i64,
}

impl Scenario {
    fn actor(&self, who: Who) -> &Actor {
        match who {
            Admin => &self.admin,
            CoordA => &self.coord_a,
            RegulA => &self.regul_a,
            GpA => &self.gp_a,
            CoordB => &self.coord_b,
            RegulB => &self.regul_b,
            GpB => &self.gp_b,
        }
    }
}

/// CPTS "a" (its desk and Dr Restanque) and CPTS "b" (its coordinator, its regulator and
/// Dr Arbousier as a member), the host's administrator; in "a", a request booked on one of
/// Dr Restanque's slots, a patient thread with a file, an alert, and a waiting patient
/// proposed to Dr Restanque.
async fn scenario(t: &TestApp) -> Scenario {
    let a = t.given().unscheduled_care().await;
    let app = &t.app;
    t.user("admin@host.fr", "admin", "").await;
    t.aix_cpts("b", "b").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    t.user("regul@b.fr", "regulator", "b").await;
    let coord_b = t.actor("coord@b.fr").await;
    let gp_b = ("arbousier@b.fr", "Aline Arbousier");
    member_of(t, &coord_b, "b", ARBOUSIER, gp_b).await;

    publish(t, &a.gp, a.member_id, &weekdays_afternoon("PRO")).await;
    let free = free_slots(t, a.member_id, t.app.now()).await;
    let (slot, free_slot) = (free[0], free[1]);
    let request = requests::record(app, &a.coordinator, &request_fields("MARTIN"))
        .await
        .unwrap();
    let booked = booking::book(app, &a.coordinator, request, slot, false)
        .await
        .unwrap();

    let patient = PatientFields {
        last_name: "Durand".into(),
        first_name: "Léa".into(),
        birth_date: "24/03/1958".into(),
        ins: String::new(),
    };
    let new = NewThread {
        patient: Some(patient),
        members: vec![a.gp.user_id],
        ..NewThread::default()
    };
    let thread = messaging::create(app, &a.coordinator, &new).await.unwrap();
    let file = NewFile {
        file_name: "compte-rendu.pdf".into(),
        content: PDF.to_vec(),
    };
    messaging::post(app, &a.coordinator, thread, "Le compte rendu.", &[file])
        .await
        .unwrap();
    let view = messaging::open(app, &a.coordinator, thread).await.unwrap();
    let attachment = view.messages[0].attachments[0].id;

    let alert = AlertForm {
        title: "Canicule".into(),
        body: "Pensez aux patients isolés.".into(),
        ..AlertForm::default()
    };
    let alert = alerts::broadcast(app, &a.coordinator, &alert)
        .await
        .unwrap();

    let takes_patients = SettingsForm {
        accepts_new_patients: true,
        new_patients_per_month: "1".into(),
        ..SettingsForm::default()
    };
    members::update(app, &a.coordinator, a.member_id, &takes_patients)
        .await
        .unwrap();
    let fields = RequestFields {
        last_name: "PREMIER".into(),
        first_name: "Camille".into(),
        birth_date: "01/01/1980".into(),
        sex: "F".into(),
        commune: "Cabriès".into(),
        phone: "0612345678".into(),
        ..RequestFields::default()
    };
    let waiting = gp_waitlist::record(app, &a.coordinator, &fields, None)
        .await
        .unwrap()
        .id;
    let proposal = gp_waitlist::propose(app, &a.coordinator, waiting, a.member_id)
        .await
        .unwrap();

    Scenario {
        admin: t.actor("admin@host.fr").await,
        coord_a: a.coordinator,
        regul_a: a.regulator,
        gp_a: a.gp,
        coord_b,
        regul_b: t.actor("regul@b.fr").await,
        gp_b: t.actor(gp_b.0).await,
        request,
        booking: booked.booking_id,
        slot,
        free_slot,
        member: a.member_id,
        thread,
        attachment,
        alert,
        waiting,
        proposal,
    }
}

/// Whether the booking is in the calendar feed of the actor's own member record, read
/// through the address they renew.
async fn feed_shows(app: &App, actor: &Actor, booking: i64) -> ServiceResult<bool> {
    let link = calendar::renew_link(app, actor).await?;
    let token = link.rsplit('/').next().unwrap_or_default();
    let bookings = calendar::feed(app, token).await?;
    Ok(bookings.iter().any(|b| b.id == booking))
}

/// What reading the object of `kind` answers `actor`; a read that lists (an agenda, a
/// search, proposals, a feed) without the object answers `NotFound`. Any other error is
/// returned as it reads.
async fn read(app: &App, s: &Scenario, kind: Kind, actor: &Actor) -> Result<Outcome, String> {
    let found = match kind {
        Request => requests::file(app, actor, s.request).await.map(|_| true),
        Booking => agenda::agenda(app, actor, 7)
            .await
            .map(|entries| entries.iter().any(|e| e.booking.id == s.booking)),
        Slot => availability::availability(app, actor, s.member)
            .await
            .map(|page| page.slots.iter().any(|slot| slot.id == s.slot)),
        FreeSlot => slots::search(app, actor, &SlotSearch::default())
            .await
            .map(|found| found.iter().any(|f| f.slot.id == s.free_slot)),
        Member => members::get(app, actor, s.member).await.map(|_| true),
        Thread => messaging::open(app, actor, s.thread).await.map(|_| true),
        Attachment => messaging::download(app, actor, s.attachment)
            .await
            .map(|_| true),
        Alert => alerts::show(app, actor, s.alert).await.map(|_| true),
        WaitingRequest => gp_waitlist::detail(app, actor, s.waiting)
            .await
            .map(|_| true),
        Proposal => gp_waitlist::proposals_of(app, actor, s.waiting)
            .await
            .map(|made| made.iter().any(|p| p.id == s.proposal)),
        ProposalToAnswer => gp_waitlist::my_proposals(app, actor)
            .await
            .map(|waiting| waiting.iter().any(|(p, _)| p.id == s.proposal)),
        CalendarFeed => feed_shows(app, actor, s.booking).await,
    };
    match found {
        Ok(true) => Ok(Allowed),
        Ok(false) | Err(ServiceError::NotFound) => Ok(NotFound),
        Err(ServiceError::Forbidden) => Ok(Forbidden),
        Err(other) => Err(format!("{other:?}")),
    }
}

async fn every_account_sees_of_each_object_what_the_table_says(t: TestApp) {
    for kind in KINDS {
        for who in WHO {
            let rows = EXPECTED.iter().filter(|&&(k, w, _)| (k, w) == (kind, who));
            assert_eq!(
                rows.count(),
                1,
                "one row of EXPECTED for {kind:?} × {who:?}"
            );
        }
    }
    let s = scenario(&t).await;
    let mut differences = Vec::new();
    for &(kind, who, expected) in EXPECTED {
        let observed = read(&t.app, &s, kind, s.actor(who)).await;
        if observed != Ok(expected) {
            differences.push(format!(
                "{kind:?} read by {who:?}: expected {expected:?}, got {observed:?}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} cells differ:\n{}",
        differences.len(),
        EXPECTED.len(),
        differences.join("\n")
    );
}
both!(every_account_sees_of_each_object_what_the_table_says);
