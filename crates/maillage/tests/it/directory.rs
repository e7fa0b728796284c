//! Importing the national directory: the published format from a folder or a zip,
//! idempotent re-imports, professionals who leave, Latin-1 files, and bad files that
//! are reported by line and column with nothing half-written.

use crate::support::cli::maillage;
use crate::support::fixtures::directory::{
    ACTIVITY, directory_counts, extraction, import, import_accepting_departures, import_sample,
    sites_of, with_field,
};
use crate::support::{TestApp, both};
use maillage_services::ServiceError;
use maillage_store::directory::professionals::DirectoryCounts;
use std::path::PathBuf;

/// The names of the indexes on the directory's tables.
async fn directory_indexes(t: &TestApp) -> Vec<String> {
    let sql = match t.app.db.backend() {
        maillage_services::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' \
             AND tbl_name IN ('professionals', 'practice_sites', 'professional_skills') ORDER BY name"
        }
        maillage_services::Backend::Postgres => {
            "SELECT CAST(indexname AS TEXT) FROM pg_indexes \
             WHERE tablename IN ('professionals', 'practice_sites', 'professional_skills') \
             ORDER BY indexname"
        }
    };
    sqlx::query_scalar(sql)
        .fetch_all(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap()
}

/// A first import loads empty tables without their secondary indexes (and, on
/// PostgreSQL, their foreign keys): both are back once it is done.
async fn a_first_import_puts_back_indexes_and_keys(t: TestApp) {
    let indexes = directory_indexes(&t).await;
    assert!(indexes.contains(&"practice_sites_commune_profession".to_owned()));
    import_sample(&t).await;
    assert_eq!(directory_indexes(&t).await, indexes);
    assert_eq!(sites_of(&t, "810000000017").await.len(), 2);
    sqlx::query("DELETE FROM professionals WHERE national_id = '810000000017'")
        .execute(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    assert!(
        sites_of(&t, "810000000017").await.is_empty(),
        "the sites' key to their professional cascades again"
    );
    let orphan = sqlx::query(
        "INSERT INTO practice_sites (professional_id, position, mode, sector, activity_kind, \
         siret, finess, structure_name, street, address_extra, postcode, commune_name, phone, \
         email) VALUES (999999, 0, '', '', '', '', '', '', '', '', '', '', '', '')",
    )
    .execute(&mut *t.app.db.conn().await.unwrap())
    .await;
    assert!(orphan.is_err(), "a site of no professional is refused");
}
both!(a_first_import_puts_back_indexes_and_keys);

async fn the_published_format_is_imported_and_reimported_idempotently(t: TestApp) {
    let folder = extraction(ACTIVITY.as_bytes(), true);
    let report = import(&t, &folder, 0).await.unwrap();
    assert_eq!(
        (report.lines_read, report.professionals, report.refused),
        (10, 9, 0)
    );
    let sites = sites_of(&t, "810000000017").await;
    assert_eq!(
        sites,
        [
            ("13001".to_owned(), "CABINET MEDICAL DES CYPRES".to_owned()),
            ("13015".to_owned(), "CABINET DU DR ARBOUSIER".to_owned())
        ]
    );
    let specialty: String = sqlx::query_scalar(
        "SELECT specialty FROM professionals WHERE national_id = '810000000074'",
    )
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    assert_eq!(specialty, "SM54");

    // The same files again: nothing doubles.
    import(&t, &folder, 0).await.unwrap();
    assert_eq!(sites_of(&t, "810000000017").await.len(), 2);
    assert_eq!(directory_counts(&t).await.active, 9);

    // A later extraction without one professional, and with one site fewer for another.
    let later: String = ACTIVITY
        .lines()
        .filter(|l| !l.contains("|810000000033|") && !l.contains("CABINET DU DR ARBOUSIER"))
        .map(|l| format!("{l}\n"))
        .collect();
    let report = import_accepting_departures(&t, &extraction(later.as_bytes(), true))
        .await
        .unwrap();
    assert_eq!(report.deactivated, 1);
    let after = directory_counts(&t).await;
    assert_eq!((after.active, after.inactive), (8, 1));
    assert_eq!(sites_of(&t, "810000000017").await.len(), 1);
}
both!(the_published_format_is_imported_and_reimported_idempotently);

async fn a_zip_archive_and_a_latin1_file_are_read_as_published(t: TestApp) {
    // Latin-1: every character of the sample is in it.
    let latin1: Vec<u8> = ACTIVITY
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let folder = extraction(&latin1, false);
    let archive = folder.join("PS_LibreAcces_202611010000.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
    zip.start_file(
        "PS_LibreAcces_Personne_activite_202611010000.txt",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    std::io::Write::write_all(&mut zip, &latin1).unwrap();
    zip.finish().unwrap();
    let report = import(&t, &archive, 0).await.unwrap();
    assert_eq!(report.professionals, 9);
    let first_name: String = sqlx::query_scalar(
        "SELECT first_name FROM professionals WHERE national_id = '810000000058'",
    )
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    let published = ACTIVITY.lines().nth(6).unwrap().split('|').nth(8).unwrap();
    assert_eq!(first_name, published);
    let communes: Vec<String> = sites_of(&t, "810000000066")
        .await
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(communes, ["13001"]);
}
both!(a_zip_archive_and_a_latin1_file_are_read_as_published);

/// The sample with four bad lines: too few fields (line 4), an unknown profession
/// (line 5), a malformed commune code (line 6), and a duplicate of line 2 (line 7).
fn malformed() -> String {
    let lines: Vec<&str> = ACTIVITY.lines().collect();
    let short = lines[3].rsplitn(4, '|').last().unwrap().to_owned();
    let mut out = vec![
        lines[0].to_owned(),
        lines[1].to_owned(),
        lines[2].to_owned(),
        short,
    ];
    out.push(with_field(lines[4], 9, "6X"));
    out.push(with_field(lines[5], 36, "130190"));
    out.push(lines[1].to_owned());
    out.extend(lines[6..].iter().map(|l| (*l).to_owned()));
    out.join("\n") + "\n"
}

async fn bad_lines_are_named_and_over_budget_nothing_is_written(t: TestApp) {
    let folder = extraction(malformed().as_bytes(), true);
    let Err(ServiceError::Import(message)) = import(&t, &folder, 3).await else {
        panic!("four bad lines exceed a budget of three");
    };
    assert!(message.contains("plus de 3 lignes refusées"), "{message}");
    assert!(message.contains("ligne 4 : "), "{message}");
    assert!(
        message
            .contains("ligne 5, colonne « Code profession » : code de profession inconnu « 6X »"),
        "{message}"
    );
    assert!(
        message.contains("ligne 6, colonne « Code commune (coord. structure) »"),
        "{message}"
    );
    assert!(
        message.contains("ligne 7 : ligne identique à la ligne 2"),
        "{message}"
    );
    assert_eq!(
        directory_counts(&t).await,
        DirectoryCounts {
            active: 0,
            inactive: 0,
            synthetic: 0
        }
    );
    let imports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM directory_imports")
        .fetch_one(&mut *t.app.db.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(imports, 0, "the whole import is one transaction");

    // Within the budget, the good lines are imported and the bad ones listed.
    let report = import(&t, &folder, 4).await.unwrap();
    assert_eq!(report.refused, 4);
    assert_eq!(report.errors.len(), 4);
    assert_eq!(report.errors[1].line, 5);
    assert_eq!(report.professionals, 6);
}
both!(bad_lines_are_named_and_over_budget_nothing_is_written);

async fn a_file_that_is_not_an_extraction_is_refused_plainly(t: TestApp) {
    let folder = extraction(b"nom;prenom;ville\nDupont;Jean;Lyon\n", false);
    let Err(ServiceError::Import(message)) = import(&t, &folder, 100).await else {
        panic!("refused");
    };
    assert!(message.contains("colonne(s) absente(s)"), "{message}");
    let empty = std::env::temp_dir().join(format!("maillage-vide-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let Err(ServiceError::Import(message)) = import(&t, &empty, 100).await else {
        panic!("refused");
    };
    assert!(
        message.contains("aucun fichier PS_LibreAcces_Personne_activite"),
        "{message}"
    );
}
both!(a_file_that_is_not_an_extraction_is_refused_plainly);

async fn a_synthetic_directory_is_deterministic_and_imported_as_synthetic(t: TestApp) {
    // Folders of this test case alone: the SQLite and PostgreSQL cases run at once.
    static CASES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let case = CASES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let folder = |n: u32| {
        let name = format!("maillage-synth-{}-{case}-{n}", std::process::id());
        std::env::temp_dir().join(name)
    };
    let generate = |n: u32| {
        let out = folder(n);
        let _ = std::fs::remove_dir_all(&out);
        let args = [
            "synth",
            "annuaire",
            "--out",
            out.to_str().unwrap(),
            "--communes",
            "13015,13019",
            "--seed",
            "7",
        ];
        let run = maillage(&t.db_url, &args, "");
        assert!(run.status.success(), "{run:?}");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| std::fs::read(f).unwrap())
            .collect::<Vec<_>>()
    };
    let (first, second) = (generate(1), generate(2));
    assert_eq!(first.len(), 2);
    assert!(first == second, "the same seed writes the same files");
    let report = import(&t, &folder(1), 0).await.unwrap();
    assert!(report.professionals > 20, "{report:?}");
    let counts = directory_counts(&t).await;
    assert_eq!(counts.synthetic, counts.active);
    let communes: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT commune FROM practice_sites WHERE commune IS NOT NULL ORDER BY commune",
    )
    .fetch_all(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    assert_eq!(communes, ["13015", "13019"]);
}
both!(a_synthetic_directory_is_deterministic_and_imported_as_synthetic);
