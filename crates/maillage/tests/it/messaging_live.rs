//! New messages announced live to an open thread page, also by another app server sharing
//! the database; and live updates that do not keep a session alive.

use crate::support::fixtures::messaging::{patient_thread_with_gp, write};
use crate::support::{PASSWORD, TestApp, both, location};
use std::time::Duration;

/// Reads a server-sent event stream until its first `data:` line.
async fn next_data(stream: &mut reqwest::Response) -> String {
    let mut seen = String::new();
    let read = async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if let Some(line) = seen.lines().find_map(|l| l.strip_prefix("data:")) {
                return line.trim().to_owned();
            }
        }
        panic!("the stream ended");
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("an event within 20 s")
}

/// A member keeps a thread open; a message written by another member appears there. On
/// PostgreSQL the page is served by a second app server, as behind a load balancer.
async fn a_new_message_reaches_an_open_thread_live(t: TestApp) {
    t.given().messaging().await;
    let coord = t.logged_in("coord@a.fr").await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    let second;
    let watcher = if t.app.db.backend() == maillage_services::Backend::Postgres {
        second = t.second_server().await;
        &second
    } else {
        &t
    };
    let gp = watcher.client();
    assert_eq!(watcher.login(&gp, "gp@a.fr", PASSWORD).await.status(), 303);
    let mut stream = gp
        .get(watcher.url(&format!("{thread}/flux")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");

    let written = write(&t, &coord, &thread, "Passage infirmier avancé à 8 h", &[]).await;
    let id = location(&written)
        .rsplit("#message-")
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        next_data(&mut stream).await,
        id,
        "the event names the message only"
    );
    let items = watcher
        .page(&gp, &format!("{thread}/nouveaux?apres=0"))
        .await;
    assert!(items.contains("Passage infirmier avancé à 8 h"));
    assert!(items.contains(&format!("data-id=\"{id}\"")));
    let none = watcher
        .page(&gp, &format!("{thread}/nouveaux?apres={id}"))
        .await;
    assert!(none.trim().is_empty());
}
both!(a_new_message_reaches_an_open_thread_live);

/// A thread's page left open keeps fetching new messages: that does not keep the session
/// alive, which still ends after 30 minutes without the person's own requests.
async fn live_updates_do_not_keep_a_session_alive(t: TestApp) {
    t.given().messaging().await;
    let coord = t.logged_in("coord@a.fr").await;
    let thread = patient_thread_with_gp(&t, &coord).await;
    let updates = format!("{thread}/nouveaux?apres=0");
    t.clock.advance(20 * 60);
    assert_eq!(
        coord.get(t.url(&updates)).send().await.unwrap().status(),
        200
    );
    t.clock.advance(20 * 60);
    let expired = coord.get(t.url(&updates)).send().await.unwrap();
    assert_eq!(expired.status(), 303);
    assert_eq!(location(&expired), "/connexion");
}
both!(live_updates_do_not_keep_a_session_alive);
