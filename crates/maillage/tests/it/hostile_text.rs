//! Hostile text through the real entry points: a control character, or a character that
//! reverses reading, is refused in French naming its field (page forms, the JSON API,
//! attachment file names, directory and FINESS lines) and nothing is written, while a
//! message keeps the line breaks and tabs it was typed with.

use crate::support::fixtures::directory::{
    ARBOUSIER, VIRIAT, extraction, file_with, import, import_finess_file, import_sample,
    sample_with, sites_of, with_field,
};
use crate::support::fixtures::messaging::{PDF, Team, open_thread, patient_thread_with_gp, write};
use crate::support::{TestApp, api_post, both, token_of};
use serde_json::{Value, json};

/// What the domain says of the character `code` (such as `0001`) in the field `label`.
fn control(label: &str, code: &str) -> String {
    format!(
        "Le champ « {label} » contient un caractère de contrôle invisible (U+{code}) : retirez-le."
    )
}

async fn messaging_refuses_control_characters_and_keeps_line_breaks(t: TestApp) {
    let Team {
        coordinator: coord,
        gp,
        ..
    } = t.given().messaging_team().await;

    // A topic with U+0001: the form comes back naming the field, no thread is opened.
    let fields = [("kind", "topic"), ("topic", "Infirmiers\u{1} du secteur")];
    let refused = open_thread(&t, &coord, &fields).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains(&control("sujet", "0001")), "{page}");
    assert_eq!(t.count("SELECT COUNT(*) FROM threads").await, 0);

    // A message with an escape character (U+001B, as terminal colours are written).
    let thread = patient_thread_with_gp(&t, &coord).await;
    let escaped = write(&t, &gp, &thread, "Pansement \u{1B}[31mfait", &[]).await;
    assert_eq!(escaped.status(), 422);
    let page = escaped.text().await.unwrap();
    assert!(page.contains(&control("message", "001B")), "{page}");
    assert_eq!(t.count("SELECT COUNT(*) FROM messages").await, 0);

    // An attachment whose name reads « fdp.jpg » but is a PDF named backwards.
    let files: [(&str, &[u8]); 1] = [("\u{202E}gpj.pdf", PDF)];
    let reversed = write(&t, &gp, &thread, "Compte rendu", &files).await;
    assert_eq!(reversed.status(), 422);
    let page = reversed.text().await.unwrap();
    assert!(
        page.contains(
            "Le champ « nom du fichier » contient un caractère invisible qui inverse le sens \
             de lecture (U+202E) : retirez-le."
        ),
        "{page}"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM messages").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM attachments").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM attachment_contents").await, 0);

    // A body of several lines keeps its line breaks and its tab.
    let sent = write(&t, &gp, &thread, "Bonjour,\r\n\tà demain.", &[]).await;
    assert_eq!(sent.status(), 303);
    let body: String = sqlx::query_scalar("SELECT body FROM messages")
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(body, "Bonjour,\n\tà demain.");
    let page = t.page(&coord, &thread).await;
    assert!(page.contains("Bonjour,<br>\tà demain."), "{page}");
}
both!(messaging_refuses_control_characters_and_keeps_line_breaks);

/// The fields the `errors` of a problem document name, with their messages.
fn errors_of(problem: &Value) -> Vec<(String, String)> {
    let errors = problem["errors"].as_array().expect("errors[]");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    errors
        .iter()
        .map(|e| (text(&e["field"]), text(&e["message"])))
        .collect()
}

async fn the_api_refuses_hidden_characters_in_a_patients_name(t: TestApp) {
    t.given().gp_waitlist().await;
    let token = token_of(&t, "coord@a.fr").await;
    let path = "/api/v1/medecin-traitant/demandes";
    let patient = |last_name: &str, first_name: &str| {
        json!({ "last_name": last_name, "first_name": first_name,
            "birth_date": "1950-03-24", "sex": "F", "commune": "13019", "phone": "0612345678" })
    };
    for (key, body, field, message) in [
        (
            "controle",
            patient("Dur\u{1}and", "Léa"),
            "last_name",
            control("nom", "0001"),
        ),
        (
            "inversion",
            patient("Durand", "\u{202E}aéL"),
            "first_name",
            "Le champ « prénom » contient un caractère invisible qui inverse le sens de \
             lecture (U+202E) : retirez-le."
                .to_owned(),
        ),
    ] {
        let refused = api_post(&t, path, &token, Some(key), &body).await;
        assert_eq!(refused.status(), 422, "{field}");
        assert_eq!(
            refused.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = refused.json().await.unwrap();
        assert_eq!(
            errors_of(&problem),
            [(field.to_owned(), message)],
            "{problem}"
        );
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM gp_requests").await, 0);
    assert_eq!(t.audited("gp_request.create").await, 0);

    // The same patient, typed cleanly, is recorded.
    let clean = api_post(&t, path, &token, Some("propre"), &patient("Durand", "Léa")).await;
    assert_eq!(clean.status(), 201);
}
both!(the_api_refuses_hidden_characters_in_a_patients_name);

const CALISSON: &str = "810000000025";

/// The name and state of the professional `national_id`.
async fn professional(t: &TestApp, national_id: &str) -> (String, String, i64) {
    sqlx::query_as("SELECT last_name, first_name, active FROM professionals WHERE national_id = $1")
        .bind(national_id)
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
}

async fn an_import_line_with_a_control_character_is_refused_by_its_column(t: TestApp) {
    import_sample(&t).await;
    let before = professional(&t, CALISSON).await;
    assert_eq!(before, ("CALISSON".to_owned(), "Bruno".to_owned(), 1));

    // CALISSON's name (line 4) holds a NUL; ARBOUSIER's first site (line 2) is renamed.
    let edited = sample_with(|n, line| {
        Some(match n {
            2 => with_field(line, 24, "CABINET RENOMME"),
            4 => with_field(line, 7, "CALIS\u{0}SON"),
            _ => line.to_owned(),
        })
    });
    let report = import(&t, &extraction(edited.as_bytes(), true), 10)
        .await
        .unwrap();
    assert_eq!((report.refused, report.kept, report.deactivated), (1, 1, 0));
    let error = &report.errors[0];
    assert_eq!(
        (error.line, error.column),
        (4, Some("Nom d'exercice")),
        "{error}"
    );
    assert!(
        error
            .message
            .contains("caractère de contrôle invisible (U+0000)"),
        "{error}"
    );
    assert_eq!(
        professional(&t, CALISSON).await,
        before,
        "name unchanged, still active"
    );
    let sites = sites_of(&t, ARBOUSIER).await;
    assert_eq!(sites[0].1, "CABINET RENOMME", "the other lines apply");

    // FINESS: the EHPAD's line (4) holds U+0001 in its long name; the file adds two.
    import_finess_file(&t, &file_with(""), 0).await.unwrap();
    let path = file_with(VIRIAT);
    let mut bytes = std::fs::read(&path).unwrap();
    let name = b"E.H.P.A.D. FICTIF";
    let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
    bytes.insert(at + "E.H.P.A.D.".len(), 1);
    std::fs::write(&path, bytes).unwrap();
    let report = import_finess_file(&t, &path, 10).await.unwrap();
    assert_eq!((report.kept, report.deactivated), (1, 0));
    let error = &report.errors[0];
    assert_eq!(error.line, 4, "{error}");
    assert!(
        error.message.contains(&control("champ 5", "0001")),
        "{error}"
    );
    let (long_name, active): (String, i64) =
        sqlx::query_as("SELECT long_name, active FROM establishments WHERE finess = '670099704'")
            .fetch_one(&mut *t.app.db.conn().await.unwrap())
            .await
            .unwrap();
    assert_eq!(
        (long_name.as_str(), active),
        ("E.H.P.A.D. FICTIF LES HOUBLONS", 1)
    );
    let added = t
        .count("SELECT COUNT(*) FROM establishments WHERE finess IN ('010000024', '9D0000001')")
        .await;
    assert_eq!(added, 2, "the other lines apply");
}
both!(an_import_line_with_a_control_character_is_refused_by_its_column);
