//! `maillage import deaths`: deaths by area, age band and group of causes, in the CSV
//! maillage documents (`docs/statistics.md`): `niveau;code;age;cause;deces`; `niveau` is
//! `commune` or `region` (the region's lines give the reference rates of the comparative
//! mortality index), `age` one of INSEE's six bands (`0-14` … `75+`).

use super::{Imported, KnownCodes, Rows, count, level, save, table, vintage};
use crate::context::App;
use crate::error::ServiceResult;
use crate::file_errors::FileErrors;
use maillage_domain::common::quoting::quoted;
use maillage_domain::diagnosis::age_band;
use maillage_store::diagnosis::statistics::DeathRow;
use std::collections::HashMap;

const LEVELS: [&str; 2] = ["commune", "region"];

/// A line's level, age band and cause (at the positions `at`), or the error that names
/// what is wrong with them.
fn described(
    values: &[String],
    [level_at, age_at, cause_at]: [usize; 3],
    number: usize,
    errors: &mut FileErrors,
) -> Option<(&'static str, &'static str, String)> {
    let Some(level) = level(&values[level_at], &LEVELS) else {
        let raw = quoted(&values[level_at]);
        errors.add(number, format!("niveau — {raw} : commune ou region."));
        return None;
    };
    let Some(band) = age_band(&values[age_at]) else {
        let raw = quoted(&values[age_at]);
        errors.add(
            number,
            format!("age — {raw} : 0-14, 15-29, 30-44, 45-59, 60-74 ou 75+."),
        );
        return None;
    };
    let cause = values[cause_at].clone();
    if cause.is_empty() {
        errors.add(
            number,
            "cause — indiquez le groupe de causes (par exemple « toutes causes »).",
        );
        return None;
    }
    Some((level, band.code, cause))
}

pub async fn import(
    app: &App,
    file_name: &str,
    bytes: &[u8],
    periode: &str,
) -> ServiceResult<Imported> {
    let vintage = vintage(periode, "--periode")?;
    let mut errors = FileErrors::default();
    let (columns, lines) = table(bytes, &mut errors)?;
    let [level_at, code_at, age_at, cause_at, deaths_at] =
        ["niveau", "code", "age", "cause", "deces"].map(|name| columns.position(name, &mut errors));
    errors.into_result(|| ())?;
    let mut errors = FileErrors::default();
    let known = KnownCodes::load(&mut *app.db.conn().await?, &LEVELS).await?;
    let (mut rows, mut skipped) = (Vec::new(), Vec::new());
    let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
    for (number, values) in &lines {
        let at = [level_at, age_at, cause_at];
        let Some((level, band, cause)) = described(values, at, *number, &mut errors) else {
            continue;
        };
        let code = values[code_at].clone();
        if !known.knows(level, &code) {
            skipped.push(format!("{level} {code}"));
            continue;
        }
        let key = (
            level.to_owned(),
            code.clone(),
            band.to_owned(),
            cause.clone(),
        );
        if let Some(first) = seen.insert(key, *number) {
            errors.add(
                *number,
                format!("même niveau, code, âge et cause que la ligne {first}."),
            );
            continue;
        }
        let deaths = count(&values[deaths_at], *number, "deces", &mut errors);
        rows.push(DeathRow {
            level: level.to_owned(),
            code,
            band: band.to_owned(),
            cause,
            deaths,
        });
    }
    errors.into_result(|| ())?;
    save(
        app,
        file_name,
        vintage,
        lines.len(),
        Rows::Deaths(rows),
        skipped,
    )
    .await
}
