//! Notifications by e-mail (and SMS to patients, when the host configured a provider),
//! through a transactional outbox: the use cases write them in their own transaction, a
//! worker sends them with retries. The texts only say that there is something new on
//! maillage, with a link: never a name, a message or any health data.

mod mailer;
pub mod preferences;
mod sms;
pub mod worker;

pub use mailer::Mailer;
pub use sms::{SmsGateway, international_mobile};

use crate::context::App;
use crate::error::ServiceResult;
use maillage_store::platform::outbox::{self, Mail};

/// How long a notification is kept, sent or not: its recipient's address goes with it.
const KEPT_SECS: i64 = 30 * 86_400;

/// Deletes the notifications older than [`KEPT_SECS`]; returns how many.
pub async fn purge(app: &App) -> ServiceResult<u64> {
    let mut tx = app.db.begin().await?;
    let purged = outbox::purge(&mut tx, app.now() - KEPT_SECS).await?;
    maillage_store::Db::commit(tx).await?;
    Ok(purged)
}

/// The host part of the platform's public URL, for Message-IDs.
pub(crate) fn host(app: &App) -> &str {
    let url = &app.settings.public_url;
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
}

/// The texts of the notifications, owned until written to the outbox.
pub(crate) struct Texts {
    subject: &'static str,
    body: String,
}

impl Texts {
    pub(crate) fn mail<'a>(&'a self, app: &'a App) -> Mail<'a> {
        Mail {
            subject: self.subject,
            body: &self.body,
            host: host(app),
        }
    }
}

fn body(app: &App, what: &str, path: &str) -> String {
    let base = app.settings.public_url.trim_end_matches('/');
    format!(
        "Bonjour,\n\n{what}\nPour le voir, connectez-vous : {base}{path}\n\n\
         Ce courriel ne contient aucune information sur les patients.\n\
         Pour choisir les notifications que vous recevez : {base}/compte\n\n— maillage\n"
    )
}

/// A new message in one of the recipient's threads.
pub(crate) fn new_message(app: &App, thread_id: i64) -> Texts {
    Texts {
        subject: "Nouveau message sur maillage",
        body: body(
            app,
            "Un nouveau message vous attend dans une discussion de votre CPTS sur maillage.",
            &format!("/messagerie/fils/{thread_id}"),
        ),
    }
}

/// An alert, or a reminder of it.
pub(crate) fn alert(app: &App, alert_id: i64, reminder: bool) -> Texts {
    let (subject, what) = if reminder {
        (
            "Rappel : alerte à confirmer sur maillage",
            "Votre CPTS vous rappelle une alerte que vous n’avez pas encore confirmée sur maillage.",
        )
    } else {
        (
            "Nouvelle alerte sur maillage",
            "Votre CPTS vous a adressé une alerte sur maillage.",
        )
    };
    Texts {
        subject,
        body: body(app, what, &format!("/alertes/{alert_id}")),
    }
}

/// A patient of the waiting list proposed to a GP, with the link that answers without
/// logging in.
pub(crate) fn proposal(app: &App, token: &str) -> Texts {
    let base = app.settings.public_url.trim_end_matches('/');
    let what = format!(
        "La coordination de votre CPTS vous propose un nouveau patient sans médecin traitant.\n\
         Vous pouvez aussi répondre sans vous connecter, par ce lien personnel (il sert une \
         fois et expire dans 14 jours) : {base}/medecin-traitant/reponse?jeton={token}\n"
    );
    Texts {
        subject: "Proposition de nouveau patient sur maillage",
        body: body(app, &what, "/medecin-traitant"),
    }
}

/// The reminder of a proposal left a week without answer.
pub(crate) fn proposal_reminder(app: &App) -> Texts {
    Texts {
        subject: "Rappel : proposition de nouveau patient sur maillage",
        body: body(
            app,
            "Une proposition de nouveau patient sans médecin traitant attend votre réponse depuis une semaine.\nLe lien personnel du premier courriel sert encore une semaine.",
            "/medecin-traitant",
        ),
    }
}

/// To the coordinators of a CPTS: requests of the waiting list left without a step.
pub(crate) fn stale_requests(app: &App, count: usize, days: i64) -> Texts {
    let what = if count == 1 {
        format!("Une demande de médecin traitant est sans suite depuis au moins {days} jours.")
    } else {
        format!(
            "{count} demandes de médecin traitant sont sans suite depuis au moins {days} jours."
        )
    };
    Texts {
        subject: "Demandes sans suite sur maillage",
        body: body(app, &what, "/medecin-traitant"),
    }
}

/// To a patient of the waiting list: a GP accepted to follow them. No link: the patient has
/// no account; the coordination calls them.
pub(crate) fn patient_accepted() -> Texts {
    Texts {
        subject: "Votre demande de médecin traitant",
        body: "Bonjour,\n\nUn médecin de votre territoire accepte de devenir votre médecin \
               traitant. La coordination de la CPTS vous contactera pour vous donner ses \
               coordonnées.\n\n— maillage\n"
            .to_owned(),
    }
}

/// The SMS to a patient of the waiting list: a GP accepted to follow them.
pub(crate) const PATIENT_ACCEPTED_SMS: &str = "Un médecin de votre territoire accepte de devenir \
     votre médecin traitant. La coordination de la CPTS vous appellera pour vous donner ses \
     coordonnées.";
