//! Synthetic statistical files for demos and benchmarks of the diagnosis, in the formats
//! the imports read (`docs/formats/statistics.md`): INSEE's « base-cc » population by sex and
//! age band, patients in long-term illness (ALD) and deaths by age band and cause group, for
//! the chosen communes and their departments, regions and France. Figures are fictional,
//! drawn around national orders of magnitude, and deterministic for a seed.

use csv::Writer;
use maillage_domain::diagnosis::AGE_BANDS;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// A commune the files describe.
#[derive(Debug, Clone)]
pub struct StatisticsCommune {
    pub insee: String,
    pub departement: String,
    pub region: String,
    pub population: i64,
}

/// The files written.
#[derive(Debug, Clone)]
pub struct StatisticsFiles {
    pub population_ages: PathBuf,
    pub ald: PathBuf,
    pub deaths: PathBuf,
}

/// Shares of each age band in France, roughly, before each commune's own variation.
const BAND_SHARES: [f64; 6] = [0.17, 0.17, 0.18, 0.20, 0.18, 0.10];
/// Share of men in each band (women live longer).
const MEN_SHARES: [f64; 6] = [0.51, 0.50, 0.49, 0.49, 0.47, 0.38];
/// Deaths per inhabitant and year in each band, roughly.
const DEATH_RATES: [f64; 6] = [0.0002, 0.0004, 0.001, 0.004, 0.012, 0.07];
/// The years of the deaths file (`2015-2019`).
const DEATH_YEARS: f64 = 5.0;
/// Groups of illness and their prevalence per inhabitant aged 60 and over and under 60.
const ALD_GROUPS: [(&str, f64, f64); 2] =
    [("toutes ALD", 0.40, 0.10), ("ALD 8 — diabète", 0.14, 0.025)];
/// Groups of causes and their share of all deaths.
const CAUSES: [(&str, f64); 2] = [("toutes causes", 1.0), ("tumeurs", 0.27)];

fn semicolon_writer(path: &Path) -> io::Result<Writer<std::fs::File>> {
    Ok(csv::WriterBuilder::new().delimiter(b';').from_path(path)?)
}

/// A factor around 1 (from 1 − `spread` to 1 + `spread`).
fn around_one(rng: &mut fastrand::Rng, spread: f64) -> f64 {
    1.0 + spread * (2.0 * rng.f64() - 1.0)
}

/// Writes `population-ages.csv` (census 2021), `ald.csv` and `deces.csv` into `out_dir`.
pub fn write_statistics(
    communes: &[StatisticsCommune],
    seed: u64,
    out_dir: &Path,
) -> io::Result<StatisticsFiles> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let files = StatisticsFiles {
        population_ages: out_dir.join("population-ages.csv"),
        ald: out_dir.join("ald.csv"),
        deaths: out_dir.join("deces.csv"),
    };
    let mut ages = semicolon_writer(&files.population_ages)?;
    let mut header = vec!["CODGEO".to_owned()];
    for sex in ["H", "F"] {
        header.extend(AGE_BANDS.iter().map(|b| format!("P21_{sex}{}", b.insee)));
    }
    ages.write_record(&header)?;
    let mut ald = semicolon_writer(&files.ald)?;
    ald.write_record(["niveau", "code", "ald", "patients"])?;
    let mut deaths = semicolon_writer(&files.deaths)?;
    deaths.write_record(["niveau", "code", "age", "cause", "deces"])?;

    let mut ald_totals: BTreeMap<(&str, &str, &str), i64> = BTreeMap::new();
    let mut region_deaths: BTreeMap<(&str, usize, &str), i64> = BTreeMap::new();
    for commune in communes {
        // Older communes are not the same everywhere: the 60 and over vary most.
        let mut shares = BAND_SHARES;
        for share in &mut shares[4..] {
            *share *= around_one(&mut rng, 0.4);
        }
        let total_share: f64 = shares.iter().sum();
        let people: [f64; 6] =
            std::array::from_fn(|b| commune.population as f64 * shares[b] / total_share);
        let mut record = vec![commune.insee.clone()];
        record.extend((0..6).map(|b| format!("{:.2}", people[b] * MEN_SHARES[b])));
        record.extend((0..6).map(|b| format!("{:.2}", people[b] * (1.0 - MEN_SHARES[b]))));
        ages.write_record(&record)?;

        let (older, younger) = (people[4] + people[5], people[..4].iter().sum::<f64>());
        for (group, older_rate, younger_rate) in ALD_GROUPS {
            let expected = older * older_rate + younger * younger_rate;
            let patients = (expected * around_one(&mut rng, 0.2)).round() as i64;
            ald.write_record(["commune", &commune.insee, group, &patients.to_string()])?;
            for area in [
                ("departement", commune.departement.as_str()),
                ("region", commune.region.as_str()),
                ("france", ""),
            ] {
                *ald_totals.entry((area.0, area.1, group)).or_default() += patients;
            }
        }

        let mortality = around_one(&mut rng, 0.25);
        for (cause, share) in CAUSES {
            for (b, band) in AGE_BANDS.iter().enumerate() {
                let expected = people[b] * DEATH_RATES[b] * DEATH_YEARS * share * mortality;
                let count = (expected * around_one(&mut rng, 0.1)).round() as i64;
                deaths.write_record([
                    "commune",
                    &commune.insee,
                    band.code,
                    cause,
                    &count.to_string(),
                ])?;
                *region_deaths
                    .entry((&commune.region, b, cause))
                    .or_default() += count;
            }
        }
    }
    for ((level, code, group), patients) in ald_totals {
        ald.write_record([level, code, group, &patients.to_string()])?;
    }
    for ((region, band, cause), count) in region_deaths {
        let band = AGE_BANDS[band].code;
        deaths.write_record(["region", region, band, cause, &count.to_string()])?;
    }
    ages.flush()?;
    ald.flush()?;
    deaths.flush()?;
    Ok(files)
}
