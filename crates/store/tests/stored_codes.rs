//! Rows decode their stored codes into the domain's enums and their 0/1 flags into `bool`,
//! on SQLite and on PostgreSQL; a code this version does not know is an error, never a
//! silent default.

// A test stops at the first thing that is not as expected: unwrapping is its assertion.
#![allow(clippy::unwrap_used)]

mod common;

use common::databases;
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_store::unscheduled_care::sas_appointments::DueAppointment;
use maillage_store::unscheduled_care::slots::PlannedSlot;

fn planned_slot(status: &str) -> String {
    format!(
        "SELECT CAST(7 AS BIGINT) AS id, CAST(NULL AS BIGINT) AS rule_id, \
         CAST(1800000000 AS BIGINT) AS start_at, '{status}' AS status"
    )
}

#[tokio::test]
async fn a_known_status_decodes_into_its_variant() {
    for db in databases().await {
        let mut conn = db.conn().await.unwrap();
        for status in SlotStatus::ALL {
            let row: PlannedSlot = sqlx::query_as(&planned_slot(status.code()))
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(row.status, *status, "{:?}", db.backend());
            assert_eq!((row.id, row.rule_id), (7, None));
        }
    }
}

#[tokio::test]
async fn an_unknown_status_is_an_error_naming_it() {
    for db in databases().await {
        let mut conn = db.conn().await.unwrap();
        let error = sqlx::query_as::<_, PlannedSlot>(&planned_slot("lost"))
            .fetch_one(&mut *conn)
            .await
            .unwrap_err();
        let message = format!("{error}");
        assert!(message.contains("status"), "{message}");
        assert!(
            message.contains("unknown slot status code \"lost\""),
            "{message}"
        );
    }
}

#[tokio::test]
async fn a_zero_or_one_flag_decodes_into_a_bool() {
    for db in databases().await {
        let mut conn = db.conn().await.unwrap();
        for (stored, expected) in [(0, false), (1, true)] {
            let row: DueAppointment = sqlx::query_as(&format!(
                "SELECT CAST(3 AS BIGINT) AS booking_id, CAST(2 AS BIGINT) AS version, \
                 CAST({stored} AS BIGINT) AS created, CAST(1 AS BIGINT) AS attempts"
            ))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            assert_eq!(row.created, expected, "{:?}", db.backend());
        }
    }
}
