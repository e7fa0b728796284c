//! A deliberately naive booking server, kept for the reliability test only: it answers
//! `POST /api/v1/bookings` by checking that the slot is free, then booking it in a
//! transaction of its own, without the conditional update the platform relies on. The
//! test points its crash harness at it (on a database without the one-booking-per-slot
//! index) and expects the harness to find slots booked twice: proof that it can fail.
//!
//! Usage: `MAILLAGE_DATABASE_URL=… naive_booking_server`; prints the address it listens on.

// A test fixture, not server code: it stops at its first error.
#![allow(clippy::unwrap_used)]

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use maillage_domain::unscheduled_care::reasons::Reason;
use maillage_domain::unscheduled_care::request::{Caller, Mobility, OwnGp, Urgency};
use maillage_domain::unscheduled_care::states::{RequestChannel, RequestStatus, SlotStatus};
use maillage_store::unscheduled_care::bookings::{self, NewBooking};
use maillage_store::unscheduled_care::requests::{self, NewSnpRequest};
use maillage_store::{Db, unscheduled_care::slots};
use serde_json::{Value, json};

async fn book(State(db): State<Db>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    let refused = |status| (status, Json(json!({})));
    let Some(slot_id) = body["slot_id"].as_i64() else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY);
    };
    // Check…
    let mut conn = db.conn().await.expect("a connection");
    let slot = slots::get(&mut conn, slot_id).await.expect("a read");
    drop(conn);
    let Some(slot) = slot.filter(|s| s.status == SlotStatus::Free) else {
        return refused(StatusCode::CONFLICT);
    };
    // …then insert, whatever happened in between.
    let mut tx = db.begin().await.expect("a transaction");
    let request = NewSnpRequest {
        cpts_id: slot.cpts_id,
        channel: RequestChannel::Api,
        caller: Caller::Regulation,
        reason: Reason::Fever,
        detail: "",
        urgency: Urgency::Today,
        commune: "13001",
        mobility: Mobility::Mobile,
        own_gp: OwnGp::NoGp,
        last_name: "Naïf",
        first_name: "Test",
        birth_date: "1988-02-29",
        sex: "F",
        phone: "0612345678",
        status: RequestStatus::Booked,
        received_at: 0,
        deadline_at: 0,
        created_by: None,
    };
    let request_id = requests::insert(&mut tx, &request).await.expect("insert");
    slots::take(&mut tx, slot_id).await.expect("update");
    let booking = NewBooking {
        cpts_id: slot.cpts_id,
        slot_id,
        request_id,
        extra: false,
        booked_by: None,
        now: 0,
    };
    let id = bookings::insert(&mut tx, &booking).await.expect("insert");
    Db::commit(tx).await.expect("commit");
    (StatusCode::CREATED, Json(json!({ "id": id })))
}

#[tokio::main]
async fn main() {
    let url = std::env::var("MAILLAGE_DATABASE_URL").expect("MAILLAGE_DATABASE_URL");
    let db = Db::connect(&url).await.expect("the database");
    let app = Router::new()
        .route("/api/v1/bookings", post(book))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("écoute sur http://{}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
