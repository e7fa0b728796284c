//! `maillage import population-ages`: INSEE's « base-cc » file of the population by sex and
//! age band (« évolution et structure de la population »), one commune a line under
//! `CODGEO`, the bands in columns such as `P21_H0014` (men aged 0 to 14 in 2021) and
//! `P21_F75P` (women aged 75 and over); other columns are ignored.

use super::{Columns, Imported, KnownCodes, Rows, people, save, table};
use crate::context::App;
use crate::error::ServiceResult;
use crate::file_errors::FileErrors;
use maillage_domain::FieldErrors;
use maillage_domain::diagnosis::AGE_BANDS;
use maillage_store::diagnosis::statistics::AgeRow;

/// The census year the columns name (`P21_H0014`: 21), from the header.
fn census_year(columns: &Columns) -> Option<String> {
    columns.0.iter().find_map(|name| {
        let year = name.strip_prefix('p')?.strip_suffix(" h0014")?;
        (year.len() == 2 && year.bytes().all(|b| b.is_ascii_digit())).then(|| year.to_owned())
    })
}

pub async fn import(app: &App, file_name: &str, bytes: &[u8]) -> ServiceResult<Imported> {
    let mut errors = FileErrors::default();
    let (columns, lines) = table(bytes, &mut errors)?;
    let Some(year) = census_year(&columns) else {
        let message = "Ligne 1 : colonne « P21_H0014 » (ou d’un autre recensement) manquante : le fichier attendu est la base INSEE « base-cc » évolution et structure de la population, au niveau des communes.";
        return Err(FieldErrors::single("file", message).into());
    };
    let year = year.as_str();
    let names: Vec<(String, &str, &str)> = ["H", "F"]
        .into_iter()
        .flat_map(|sex| {
            AGE_BANDS
                .iter()
                .map(move |band| (format!("P{year}_{sex}{}", band.insee), sex, band.code))
        })
        .collect();
    let codgeo = columns.position("CODGEO", &mut errors);
    let positions: Vec<(usize, &str, &str, &str)> = names
        .iter()
        .map(|(name, sex, band)| {
            (
                columns.position(name, &mut errors),
                name.as_str(),
                *sex,
                *band,
            )
        })
        .collect();
    errors.into_result(|| ())?;
    let mut errors = FileErrors::default();
    let known = KnownCodes::load(&mut *app.db.conn().await?, &["commune"]).await?;
    let (mut rows, mut skipped) = (Vec::new(), Vec::new());
    for (number, values) in &lines {
        let code = &values[codgeo];
        if !known.knows("commune", code) {
            skipped.push(code.clone());
            continue;
        }
        for (position, name, sex, band) in &positions {
            rows.push(AgeRow {
                code: code.clone(),
                sex: (*sex).to_owned(),
                band: (*band).to_owned(),
                people: people(&values[*position], *number, name, &mut errors),
            });
        }
    }
    errors.into_result(|| ())?;
    let vintage = format!("recensement de la population 20{year}");
    save(
        app,
        file_name,
        vintage,
        lines.len(),
        Rows::Ages(rows),
        skipped,
    )
    .await
}
