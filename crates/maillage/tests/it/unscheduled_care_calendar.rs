//! A member's calendar feed, on both databases, read by a real iCalendar parser: the
//! bookings' times in UTC and their place, nothing about the patient; a cancelled booking
//! leaves the feed; a renewed address cuts off the former one.

use crate::support::fixtures::unscheduled_care::{
    UnscheduledCare, publish, request_fields, slots, weekdays_afternoon,
};
use crate::support::{PASSWORD, TestApp, both, text_between};
use maillage_services::unscheduled_care::{booking, requests};
use reqwest::StatusCode;
use std::io::BufReader;

/// The events of a feed, each as (property name, value) pairs.
fn events_of(feed: &str) -> Vec<Vec<(String, String)>> {
    let mut calendars = ical::IcalParser::new(BufReader::new(feed.as_bytes()));
    let calendar = calendars.next().expect("a calendar").expect("a valid feed");
    assert!(calendars.next().is_none());
    calendar
        .events
        .into_iter()
        .map(|event| {
            event
                .properties
                .into_iter()
                .map(|p| (p.name, p.value.unwrap_or_default()))
                .collect()
        })
        .collect()
}

fn value<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    event
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// The path of the feed address shown on the agenda page after renewing it.
async fn renew(t: &TestApp, gp: &reqwest::Client) -> String {
    let renewed = t
        .post_form(
            gp,
            "/soins-non-programmes",
            "/soins-non-programmes/agenda",
            &[],
        )
        .await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let page = renewed.text().await.unwrap();
    let link = text_between(&page, "<code id=\"lien-agenda\">", "</code>").expect("the link");
    let path = link
        .split_once("/soins-non-programmes/agenda/")
        .expect("the feed's path")
        .1;
    format!("/soins-non-programmes/agenda/{path}")
}

async fn fetch(t: &TestApp, path: &str) -> reqwest::Response {
    reqwest::get(t.url(path)).await.unwrap()
}

both!(a_member_reads_their_bookings_in_their_own_calendar);
async fn a_member_reads_their_bookings_in_their_own_calendar(t: TestApp) {
    let UnscheduledCare {
        coordinator: coord,
        gp,
        member_id,
        ..
    } = t.given().unscheduled_care().await;
    publish(&t, &gp, member_id, &weekdays_afternoon("CPTS")).await;
    let request = requests::record(&t.app, &coord, &request_fields("DURAND"))
        .await
        .unwrap();
    let slot = slots(&t, member_id).await[0].id;
    let booked = booking::book(&t.app, &coord, request, slot, false)
        .await
        .unwrap();

    let gp_client = t.client();
    t.login(&gp_client, "restanque@a.fr", PASSWORD).await;
    let feed_path = renew(&t, &gp_client).await;
    let answer = fetch(&t, &feed_path).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let feed = answer.text().await.unwrap();
    assert!(
        feed.contains("PRODID:-//maillage//Soins non programmés//FR"),
        "{feed}"
    );
    let events = events_of(&feed);
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(
        value(event, "DTSTART"),
        "20270115T130000Z",
        "14:00 in Paris"
    );
    assert_eq!(value(event, "DTEND"), "20270115T133000Z");
    assert_eq!(value(event, "STATUS"), "CONFIRMED");
    assert_eq!(
        value(event, "UID"),
        format!("snp-booking-{}@maillage", booked.booking_id)
    );
    assert!(value(event, "LOCATION").contains("Cabriès"), "{event:?}");
    for personal in ["DURAND", "Camille", "0612345678", "Fièvre", "fever", "1985"] {
        assert!(!feed.contains(personal), "the feed shows {personal}");
    }

    // Cancelled, the booking leaves the feed.
    booking::cancel(&t.app, &coord, booked.booking_id, "patient")
        .await
        .unwrap();
    let feed = fetch(&t, &feed_path).await.text().await.unwrap();
    assert!(events_of(&feed).is_empty());

    // A new address cuts the former one off; an unknown one is not found.
    let renewed = renew(&t, &gp_client).await;
    assert_ne!(renewed, feed_path);
    assert_eq!(fetch(&t, &feed_path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(fetch(&t, &renewed).await.status(), StatusCode::OK);
    assert_eq!(
        fetch(&t, "/soins-non-programmes/agenda/inconnu")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.audited("snp.calendar.renew").await, 2);

    // A coordinator has no feed of their own.
    let coord_client = t.client();
    t.login(&coord_client, "coord@a.fr", PASSWORD).await;
    let refused = t
        .post_form(
            &coord_client,
            "/compte",
            "/soins-non-programmes/agenda",
            &[],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
