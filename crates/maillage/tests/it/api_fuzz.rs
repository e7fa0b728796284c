//! The API fuzzed from its OpenAPI document by schemathesis (from PyPI, installed by
//! `scripts/test`, which sets `MAILLAGE_TEST_SCHEMATHESIS`): on each database, a server with
//! a CPTS, its territory and directory, a coordinator and their token, a member GP and a
//! request of the waiting list with a proposal (their ids given to the fuzzer, so that the
//! operations on them reach their logic) gets valid and invalid requests for every
//! operation, a bounded number of cases with a fixed seed; it must answer no 5xx, no status
//! nor content type its document does not declare, and refuse what the schema forbids.

use crate::support::fixtures::directory::import_sample;
use crate::support::fixtures::gp_waitlist::{restanque_as_member, restanque_member};
use crate::support::{TestApp, api_post, both, token_of};
use serde_json::{Value, json};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::Command;

/// Cases generated per operation and phase.
const EXAMPLES: &str = "150";

/// The run is stopped past this: the cases above take about a minute.
const RUN_LIMIT: Duration = Duration::from_secs(400);

/// What every answer is checked for.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,negative_data_rejection,unsupported_method,\
                      ignored_auth";

fn schemathesis() -> Option<String> {
    let found = std::env::var("MAILLAGE_TEST_SCHEMATHESIS");
    if found.is_err() {
        assert!(
            std::env::var("MAILLAGE_TEST_REQUIRE_ALL").is_err(),
            "MAILLAGE_TEST_SCHEMATHESIS is not set: run scripts/test"
        );
        eprintln!("schemathesis not available: API fuzzing skipped (run scripts/test)");
    }
    found.ok()
}

/// The data the fuzzer works on, and the file naming its ids to schemathesis.
async fn fuzzed_data(t: &TestApp) -> (String, std::path::PathBuf) {
    let coord = t.given().gp_waitlist().await;
    import_sample(t).await;
    restanque_as_member(t, &coord, "gp@a.fr", 2).await;
    let member = restanque_member(t).await;
    let token = token_of(t, "coord@a.fr").await;
    let requests = "/api/v1/medecin-traitant/demandes";
    let patient = json!({ "last_name": "Durand", "first_name": "Léa",
        "birth_date": "1950-03-24", "sex": "F", "commune": "13019", "phone": "06 12 34 56 78" });
    let recorded: Value = api_post(t, requests, &token, None, &patient)
        .await
        .json()
        .await
        .unwrap();
    let request = recorded["id"].as_i64().expect("a request recorded");
    let proposals = format!("{requests}/{request}/propositions");
    let proposal = json!({ "member_id": member.parse::<i64>().unwrap() });
    let proposed = api_post(t, &proposals, &token, None, &proposal).await;
    assert_eq!(proposed.status(), 201);
    // No cache of earlier runs' failures: each run is its seed's alone.
    let config = format!(
        "[cache]\nenabled = false\n\n[parameters]\n\"path.slug\" = \"a\"\n\
         \"path.id\" = {request}\n\"path.member_id\" = {member}\n"
    );
    let name = format!("schemathesis-{}.toml", t.base.replace([':', '/'], ""));
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, config).unwrap();
    (token, path)
}

async fn the_api_survives_its_fuzzer(t: TestApp) {
    let Some(program) = schemathesis() else {
        return;
    };
    let (token, config) = fuzzed_data(&t).await;
    let started = Instant::now();
    let run = Command::new(&program)
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(t.url("/api/openapi.json"))
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", CHECKS])
        .args(["--max-examples", EXAMPLES, "--seed", "26"])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--workers", "1", "--request-timeout", "20"])
        .args(["--generation-database", "none", "--no-color"])
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(RUN_LIMIT, run)
        .await
        .unwrap_or_else(|_| panic!("schemathesis ran past {RUN_LIMIT:?}"))
        .unwrap_or_else(|e| panic!("{program} (installed by scripts/test): {e}"));
    let _ = std::fs::remove_file(&config);
    let report = String::from_utf8_lossy(&output.stdout);
    eprintln!("{report}\nschemathesis ran {:?}", started.elapsed());
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
both!(the_api_survives_its_fuzzer);
