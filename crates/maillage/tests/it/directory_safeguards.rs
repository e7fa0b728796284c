//! Imports that would wipe or half-apply the directory: a file without an accepted line,
//! one that would make too many professionals inactive, refused lines (whose
//! professionals stay as they were), huge values and over-long lines; through the
//! service and through `maillage import annuaire` and its exit status.

use crate::support::cli::maillage;
use crate::support::fixtures::directory::{
    ACTIVITY, ARBOUSIER, directory_counts, extraction, import, import_sample, import_with,
    sample_with, sites_of, with_field,
};
use crate::support::{TestApp, both};
use maillage_services::ServiceError;
use maillage_services::directory::import::ImportOptions;
use std::path::PathBuf;

const GARRIGUE: &str = "810000000033";
const HOLDERBACH: &str = "810000000041";

/// The sample with lines `numbers` (in the file) corrupted: a commune code of four digits.
fn corrupted(numbers: &[usize]) -> String {
    sample_with(|n, line| {
        Some(match numbers.contains(&n) {
            true => with_field(line, 36, "1300"),
            false => line.to_owned(),
        })
    })
}

async fn imports_recorded(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM directory_imports")
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
}

async fn a_file_without_an_accepted_line_changes_nothing(t: TestApp) {
    import_sample(&t).await;
    let before = directory_counts(&t).await;
    assert_eq!(before.active, 9);

    // What a download cut after its first line looks like.
    let header_only = sample_with(|_, _| None);
    let Err(ServiceError::Import(message)) =
        import(&t, &extraction(header_only.as_bytes(), true), 100).await
    else {
        panic!("a header alone is refused");
    };
    assert!(
        message.contains("aucune ligne de données après son en-tête"),
        "{message}"
    );
    assert_eq!(directory_counts(&t).await, before);

    // Every line refused, within the budget of refused lines.
    let all_refused = sample_with(|_, line| Some(with_field(line, 9, "6X")));
    let Err(ServiceError::Import(message)) =
        import(&t, &extraction(all_refused.as_bytes(), true), 100).await
    else {
        panic!("a file whose every line is refused is refused");
    };
    assert!(
        message.contains("aucune des 10 lignes de données n’a été acceptée : rien n’a été écrit."),
        "{message}"
    );
    assert!(
        message.contains("ligne 2, colonne « Code profession »"),
        "{message}"
    );
    assert_eq!(directory_counts(&t).await, before);
    assert_eq!(sites_of(&t, ARBOUSIER).await.len(), 2);
    assert_eq!(imports_recorded(&t).await, 1, "only the sample's import");
}
both!(a_file_without_an_accepted_line_changes_nothing);

async fn departures_beyond_the_limit_stop_the_import_unless_allowed(t: TestApp) {
    import_sample(&t).await;
    // GARRIGUE and LAVANDIN (lines 5 and 8) leave: two of nine.
    let without_two = sample_with(|n, line| (n != 5 && n != 8).then(|| line.to_owned()));
    let folder = extraction(without_two.as_bytes(), true);
    let Err(ServiceError::Import(message)) = import(&t, &folder, 0).await else {
        panic!("two of nine leaving is more than 5 %");
    };
    assert!(
        message.contains(
            "cet import rendrait inactifs 2 des 9 professionnels actifs (22,2 %), plus que les 5 % admis : rien n’a été écrit."
        ),
        "{message}"
    );
    assert!(message.contains("--accept-departures"), "{message}");
    let after = directory_counts(&t).await;
    assert_eq!((after.active, after.inactive), (9, 0));

    let options = ImportOptions {
        max_errors: 0,
        max_departures: "25%".parse().unwrap(),
    };
    let report = import_with(&t, &folder, &options).await.unwrap();
    assert_eq!(report.deactivated, 2);
    let after = directory_counts(&t).await;
    assert_eq!((after.active, after.inactive), (7, 2));
}
both!(departures_beyond_the_limit_stop_the_import_unless_allowed);

async fn qualifications_of(t: &TestApp, national_id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT k.skill FROM professional_skills k JOIN professionals p \
         ON p.id = k.professional_id WHERE p.national_id = $1",
    )
    .bind(national_id)
    .fetch_all(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap()
}

/// A professional with a refused line keeps their row, sites and qualifications, whether
/// their lines follow one another or not; so does one whose only line is refused.
async fn a_refused_line_leaves_its_professional_as_they_were(t: TestApp) {
    import_sample(&t).await;
    let sites = sites_of(&t, ARBOUSIER).await;
    assert_eq!(sites.len(), 2);
    // ARBOUSIER's first site renamed, his second line corrupted; GARRIGUE's only line cut.
    let edited = |n: usize, line: &str| match n {
        2 => with_field(line, 24, "CABINET RENOMME"),
        3 => with_field(line, 36, "1300"),
        5 => line.rsplitn(4, '|').last().unwrap().to_owned(),
        _ => line.to_owned(),
    };
    let together = sample_with(|n, line| Some(edited(n, line)));
    // The same lines, ARBOUSIER's corrupted one moved last.
    let mut apart = sample_with(|n, line| (n != 3).then(|| edited(n, line)));
    apart.push_str(&edited(3, ACTIVITY.lines().nth(2).unwrap()));
    apart.push('\n');
    for (file, lines) in [(together, [3, 5]), (apart, [4, 11])] {
        let report = import(&t, &extraction(file.as_bytes(), true), 100)
            .await
            .unwrap();
        assert_eq!((report.refused, report.kept, report.deactivated), (2, 2, 0));
        let numbers: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
        assert_eq!(numbers, lines);
        assert_eq!(
            sites_of(&t, ARBOUSIER).await,
            sites,
            "row and sites as they were"
        );
        assert_eq!(sites_of(&t, GARRIGUE).await.len(), 1);
        assert_eq!(directory_counts(&t).await.active, 9);
        assert_eq!(qualifications_of(&t, ARBOUSIER).await, ["SM53"]);
    }

    // A refused qualification line: its professional keeps the qualifications they had.
    let folder = extraction(ACTIVITY.as_bytes(), true);
    let skills_file = folder.join("PS_LibreAcces_SavoirFaire_202611010000.txt");
    let skills = std::fs::read_to_string(&skills_file).unwrap();
    std::fs::write(
        &skills_file,
        skills.replace("|SM54|Médecine Générale|", "||Médecine Générale|"),
    )
    .unwrap();
    let report = import(&t, &folder, 100).await.unwrap();
    assert_eq!((report.refused, report.kept), (1, 0));
    assert_eq!(qualifications_of(&t, "810000000074").await, ["SM54"]);
}
both!(a_refused_line_leaves_its_professional_as_they_were);

/// The sample with a 60,000-character profession code on line 4 (under the line limit)
/// and a 5 MB structure name on line 6 (over it).
fn huge_values() -> PathBuf {
    let file = sample_with(|n, line| {
        Some(match n {
            4 => with_field(line, 9, &"6".repeat(60_000)),
            6 => with_field(line, 24, &"X".repeat(5_000_000)),
            _ => line.to_owned(),
        })
    });
    extraction(file.as_bytes(), true)
}

async fn a_huge_value_is_quoted_short_and_an_over_long_line_refused_by_its_number(t: TestApp) {
    import_sample(&t).await;
    let report = import(&t, &huge_values(), 100).await.unwrap();
    assert_eq!((report.refused, report.kept), (2, 2));
    let (huge, long) = (&report.errors[0], &report.errors[1]);
    assert_eq!((huge.line, long.line), (4, 6));
    assert!(huge.message.len() < 400, "{} bytes", huge.message.len());
    assert!(
        huge.message.contains(&format!("« {}… »", "6".repeat(200))),
        "{}",
        huge.message
    );
    assert!(
        long.message.contains("plus de 65536 octets"),
        "{}",
        long.message
    );
    let sites = sites_of(&t, HOLDERBACH).await;
    assert_eq!(sites[0].1, "CH FICTIF DU NEUDORF", "left as they were");
}
both!(a_huge_value_is_quoted_short_and_an_over_long_line_refused_by_its_number);

/// `maillage import annuaire FOLDER [more]`: its exit status, standard output and error.
fn import_command(t: &TestApp, folder: &std::path::Path, more: &[&str]) -> (i32, String, String) {
    let mut args = vec!["import", "annuaire", folder.to_str().unwrap()];
    args.extend_from_slice(more);
    let run = maillage(&t.db_url, &args, "");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (
        run.status.code().unwrap(),
        text(&run.stdout),
        text(&run.stderr),
    )
}

/// 0: all applied; 3: applied, with refused lines listed; 1: nothing written.
async fn the_command_tells_by_its_exit_status_what_was_applied(t: TestApp) {
    let (code, out, err) = import_command(&t, &extraction(ACTIVITY.as_bytes(), true), &[]);
    assert_eq!(code, 0, "{out}{err}");

    let (code, out, err) = import_command(&t, &extraction(corrupted(&[3]).as_bytes(), true), &[]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.contains("ligne 3, colonne « Code commune (coord. structure) »"),
        "{err}"
    );
    assert!(
        out.contains("1 lignes refusées (1 professionnels laissés en l’état)"),
        "{out}"
    );
    assert_eq!(sites_of(&t, ARBOUSIER).await.len(), 2);

    let (code, _, err) = import_command(&t, &huge_values(), &[]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.len() < 2_000,
        "{} bytes on the standard error",
        err.len()
    );

    let header_only = sample_with(|_, _| None);
    let (code, _, err) = import_command(&t, &extraction(header_only.as_bytes(), true), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("aucune ligne de données"), "{err}");

    let without_two = sample_with(|n, line| (n != 5 && n != 8).then(|| line.to_owned()));
    let folder = extraction(without_two.as_bytes(), true);
    let (code, _, err) = import_command(&t, &folder, &["--max-departures", "20%"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("inactifs 2 des 9 professionnels actifs"),
        "{err}"
    );
    assert_eq!(directory_counts(&t).await.active, 9);
    let (code, out, err) = import_command(&t, &folder, &["--accept-departures"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 devenus inactifs"), "{out}");
}
both!(the_command_tells_by_its_exit_status_what_was_applied);
