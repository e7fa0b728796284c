//! Reminders of the waiting list: a GP once, a week after a proposal left without answer,
//! with a new answer link; the coordinators of the requests left without a step for the
//! CPTS's number of days, once per such period, by an e-mail that names no one.

use crate::support::fixtures::gp_waitlist::{GpProposals, answer_link, propose, restanque_member};
use crate::support::{PASSWORD, TestApp, both, csrf_of};
use maillage_services::gp_waitlist::{Reminded, send_reminders};

const DAY: i64 = 86_400;

async fn reminders(t: &TestApp) -> Reminded {
    send_reminders(&t.app).await.unwrap()
}

fn reminded(stale_requests: usize, proposals: usize) -> Reminded {
    Reminded {
        stale_requests,
        proposals,
    }
}

async fn stale_requests_and_unanswered_proposals_are_reminded_once_per_period(t: TestApp) {
    let GpProposals {
        coordinator: coord,
        requests,
        ..
    } = t.given().gp_proposals().await;
    let member = restanque_member(&t).await;
    let csrf = csrf_of(&t.page(&coord, "/compte").await);
    propose(&t, &coord, &csrf, &requests[0], &member).await;
    let first_link = answer_link(&t).await;
    assert_eq!(reminders(&t).await, reminded(0, 0));

    // A week without answer: the GP is reminded once; the first e-mail's link still answers.
    t.clock.advance(7 * DAY);
    assert_eq!(reminders(&t).await, reminded(0, 1));
    assert_eq!(reminders(&t).await, reminded(0, 0));
    let subject: String = sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE recipient = 'restanque@a.fr' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    assert_eq!(
        subject,
        "Rappel : proposition de nouveau patient sur maillage"
    );
    let stranger = t.client();
    let first = stranger.get(t.url(&first_link)).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(t.audited("gp_proposal.remind").await, 1);

    // The coordination chooses 10 days; a wrong number is named.
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let wrong = [("stale_after_days", "0")];
    let refused = t
        .post_form(
            &coord,
            "/medecin-traitant",
            "/medecin-traitant/relances",
            &wrong,
        )
        .await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("Indiquez un nombre de jours entre 1 et 365."));
    let ten = [("stale_after_days", "10")];
    let saved = t
        .post_form(
            &coord,
            "/medecin-traitant",
            "/medecin-traitant/relances",
            &ten,
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(reminders(&t).await, reminded(0, 0), "7 days only");

    // Ten days after the last steps, the two coordinators are told of the three requests.
    t.clock.advance(3 * DAY);
    assert_eq!(reminders(&t).await, reminded(3, 0));
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE subject = 'Demandes sans suite sur maillage'",
    )
    .fetch_all(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    assert_eq!(bodies.len(), 2, "one e-mail to each coordinator");
    assert!(
        bodies[0]
            .contains("3 demandes de médecin traitant sont sans suite depuis au moins 10 jours.")
    );
    assert!(!bodies[0].contains("PREMIER") && !bodies[0].contains("Camille"));
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    let queue = t.page(&coord, "/medecin-traitant").await;
    assert!(queue.contains("sans suite depuis 10 jours"), "{queue}");

    // Not again within the period; the request that moves is no longer stale.
    t.clock.advance(5 * DAY);
    assert_eq!(reminders(&t).await, reminded(0, 0));
    let close = format!("{}/cloture", requests[1]);
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;
    t.post_form(&coord, &requests[1], &close, &[("reason", "unreachable")])
        .await;
    t.clock.advance(5 * DAY);
    assert_eq!(reminders(&t).await, reminded(2, 0));
}
both!(stale_requests_and_unanswered_proposals_are_reminded_once_per_period);
