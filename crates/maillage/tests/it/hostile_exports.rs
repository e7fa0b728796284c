//! CSV exports never hand a spreadsheet a formula: a directory name or structure that
//! starts like one (`=HYPERLINK(…)`, `@…`, `-…`, `+…`) is written behind a `'` in
//! `/annuaire.csv`, and no cell of any export (the diagnosis tables, the waiting list's and
//! unscheduled care's indicators) starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return unless it is a plain number.

use crate::support::fixtures::diagnosis::{AGES, ALD, DEATHS};
use crate::support::fixtures::directory::{extraction, import, sample_with, with_field};
use crate::support::fixtures::unscheduled_care::request_fields;
use crate::support::{PASSWORD, TestApp, both};
use maillage_services::diagnosis::statistics::{ald, deaths, population_ages};
use maillage_services::unscheduled_care::requests;

/// The records of a `;`-separated CSV file (after its byte-order mark), quotes undone, as
/// a spreadsheet reads them.
pub fn records(csv: &str) -> Vec<Vec<String>> {
    let text = csv.strip_prefix('\u{FEFF}').unwrap_or(csv);
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A sign, digits, and a decimal part after a comma or a point: `-3,2`, `+12`, `0.5`.
fn plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let mut parts = unsigned.splitn(2, [',', '.']);
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    parts.next().is_some_and(digits) && parts.next().is_none_or(digits)
}

/// Asserts that no cell of the export `name` starts as a formula would; returns its records.
fn assert_no_formula(name: &str, csv: &str) -> Vec<Vec<String>> {
    let records = records(csv);
    assert!(records.len() > 1, "{name} has lines: {csv}");
    for (n, record) in records.iter().enumerate() {
        for cell in record {
            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(
                !formula || plain_number(cell),
                "{name}, line {}: the cell {cell:?} would run as a formula",
                n + 1
            );
        }
    }
    records
}

/// Whether some cell of `records` is `cell`.
fn has_cell(records: &[Vec<String>], cell: &str) -> bool {
    records.iter().flatten().any(|c| c == cell)
}

const HYPERLINK: &str = "=HYPERLINK(\"https://x.example\";\"Cliquez\")";

/// The sample directory with names that start as formulas: LAVANDIN's structure (line 8)
/// an `=HYPERLINK`, its phone `+33…`; CALISSON (line 4) named `-CALISSON` with no first
/// name; TRAMONTANE's first name (line 10) `@Hélène`.
fn hostile_directory() -> String {
    sample_with(|n, line| {
        Some(match n {
            4 => with_field(&with_field(line, 7, "-CALISSON"), 8, ""),
            8 => with_field(&with_field(line, 24, HYPERLINK), 40, "+33 4 00 00 00 16"),
            10 => with_field(line, 8, "@Hélène"),
            _ => line.to_owned(),
        })
    })
}

async fn every_csv_export_neutralises_what_a_spreadsheet_would_run(t: TestApp) {
    t.load_territory().await;
    import(&t, &extraction(hostile_directory().as_bytes(), true), 0)
        .await
        .unwrap();
    // The CPTS's name starts the diagnosis's column headers and territory cells.
    t.aix_cpts("a", "=CPTS A").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    population_ages::import(&t.app, "ages.csv", AGES.as_bytes())
        .await
        .unwrap();
    ald::import(&t.app, "ald.csv", ALD.as_bytes(), "2023")
        .await
        .unwrap();
    deaths::import(&t.app, "deces.csv", DEATHS.as_bytes(), "2015-2019")
        .await
        .unwrap();
    let coord = t.client();
    t.login(&coord, "coord@a.fr", PASSWORD).await;

    // The directory: each hostile cell is behind a quote, and shown as typed on the page.
    let csv = t.page(&coord, "/annuaire.csv").await;
    let directory = assert_no_formula("annuaire.csv", &csv);
    let lavandin = directory
        .iter()
        .find(|r| r[0] == "10000000066")
        .unwrap_or_else(|| panic!("LAVANDIN exported: {csv}"));
    assert!(
        lavandin[4].starts_with(&format!("'{HYPERLINK}")),
        "{lavandin:?}"
    );
    assert_eq!(lavandin[7], "'+33 4 00 00 00 16");
    assert!(has_cell(&directory, "'-CALISSON"), "{csv}");
    assert!(has_cell(&directory, "'@Hélène TRAMONTANE"), "{csv}");
    // Each export whole, as spreadsheets read it: any change shows as a diff.
    insta::assert_snapshot!("export_annuaire_csv", csv);

    // The diagnosis's tables.
    for file in ["offre.csv", "communes.csv", "ald.csv", "mortalite.csv"] {
        let path = format!("/territoire/a/diagnostic/{file}");
        let csv = t.page(&coord, &path).await;
        let table = assert_no_formula(file, &csv);
        let named = table.iter().flatten().any(|c| c.starts_with("'=CPTS A"));
        let expected = matches!(file, "offre.csv" | "ald.csv" | "mortalite.csv");
        assert_eq!(
            named, expected,
            "{file} names the CPTS behind a quote: {csv}"
        );
        insta::assert_snapshot!(format!("export_diagnostic_{file}"), csv);
    }

    // The indicators, with a request on each list.
    let fields = [
        ("last_name", "-Durand"),
        ("first_name", "@Léa"),
        ("birth_date", "24/03/1958"),
        ("sex", "F"),
        ("commune", "Cabriès"),
        ("phone", "0612345678"),
    ];
    let new = "/medecin-traitant/demandes/nouvelle";
    let recorded = t
        .post_form(&coord, new, "/medecin-traitant/demandes", &fields)
        .await;
    assert_eq!(recorded.status(), 303);
    let actor = t.actor("coord@a.fr").await;
    requests::record(&t.app, &actor, &request_fields("DURAND"))
        .await
        .unwrap();
    let period = "du=2027-01-01&au=2027-01-31";
    for path in [
        "/medecin-traitant/indicateurs.csv",
        "/soins-non-programmes/indicateurs.csv",
    ] {
        let csv = t.page(&coord, &format!("{path}?{period}")).await;
        let figures = assert_no_formula(path, &csv);
        assert!(
            figures.iter().any(|r| r[2] == "Total" && r[4] == "1"),
            "{path} counts the request: {csv}"
        );
        let area = path.split('/').nth(1).unwrap_or_default();
        insta::assert_snapshot!(format!("export_{area}_indicateurs_csv"), csv);
    }
}
both!(every_csv_export_neutralises_what_a_spreadsheet_would_run);
