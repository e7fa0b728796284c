//! `maillage import ald`: patients in long-term illness (affection de longue durée), in the
//! CSV maillage documents (`docs/statistics.md`): `niveau;code;ald;patients`, one line per
//! area and group of illness; `niveau` is `commune`, `departement`, `region` or `france`.

use super::{Imported, KnownCodes, Rows, count, level, save, table, vintage};
use crate::context::App;
use crate::error::ServiceResult;
use crate::file_errors::FileErrors;
use maillage_domain::common::quoting::quoted;
use maillage_store::diagnosis::statistics::AldRow;
use std::collections::HashMap;

const LEVELS: [&str; 4] = ["commune", "departement", "region", "france"];

pub async fn import(
    app: &App,
    file_name: &str,
    bytes: &[u8],
    millesime: &str,
) -> ServiceResult<Imported> {
    let vintage = vintage(millesime, "--millesime")?;
    let mut errors = FileErrors::default();
    let (columns, lines) = table(bytes, &mut errors)?;
    let [level_at, code_at, ald_at, patients_at] =
        ["niveau", "code", "ald", "patients"].map(|name| columns.position(name, &mut errors));
    errors.into_result(|| ())?;
    let mut errors = FileErrors::default();
    let known = KnownCodes::load(&mut *app.db.conn().await?, &LEVELS[..3]).await?;
    let (mut rows, mut skipped) = (Vec::new(), Vec::new());
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for (number, values) in &lines {
        let Some(level) = level(&values[level_at], &LEVELS) else {
            let raw = &values[level_at];
            errors.add(
                *number,
                format!(
                    "niveau — {} : commune, departement, region ou france.",
                    quoted(raw)
                ),
            );
            continue;
        };
        let code = if level == "france" {
            "FR".to_owned()
        } else {
            values[code_at].clone()
        };
        if !known.knows(level, &code) {
            skipped.push(format!("{level} {code}"));
            continue;
        }
        let ald = values[ald_at].clone();
        if ald.is_empty() {
            errors.add(*number, "ald — indiquez le groupe d’ALD (par exemple « ALD 8 — diabète » ou « toutes ALD »).");
            continue;
        }
        if let Some(first) = seen.insert((level.to_owned(), code.clone(), ald.clone()), *number) {
            errors.add(
                *number,
                format!("même niveau, code et ALD que la ligne {first}."),
            );
            continue;
        }
        let patients = count(&values[patients_at], *number, "patients", &mut errors);
        rows.push(AldRow {
            level: level.to_owned(),
            code,
            ald,
            patients,
        });
    }
    errors.into_result(|| ())?;
    save(
        app,
        file_name,
        vintage,
        lines.len(),
        Rows::Ald(rows),
        skipped,
    )
    .await
}
