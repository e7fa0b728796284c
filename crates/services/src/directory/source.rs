//! Where an Annuaire Santé extraction is read from: a folder or a zip archive holding
//! `PS_LibreAcces_Personne_activite_*.txt` and, optionally, `PS_LibreAcces_SavoirFaire_*.txt`.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

pub const ACTIVITY_PREFIX: &str = "PS_LibreAcces_Personne_activite";
pub const SKILLS_PREFIX: &str = "PS_LibreAcces_SavoirFaire";

/// The extraction's files, found by their published name prefixes.
pub enum Source {
    Folder {
        activity: PathBuf,
        skills: Option<PathBuf>,
    },
    Zip {
        path: PathBuf,
        activity: String,
        skills: Option<String>,
    },
}

fn file_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// The entry whose file name starts with `prefix` and ends with `.txt`; the last in
/// name order when there are several (the most recent timestamp).
fn pick<'a>(names: impl Iterator<Item = &'a str>, prefix: &str) -> Option<String> {
    let mut matching: Vec<&str> = names
        .filter(|n| file_name(n).starts_with(prefix) && n.ends_with(".txt"))
        .collect();
    matching.sort_unstable();
    matching.last().map(|n| (*n).to_owned())
}

impl Source {
    /// Finds the files in a folder or a zip archive; the error says what is missing.
    pub fn locate(path: &Path) -> Result<Self, String> {
        let missing = || {
            format!(
                "{} : aucun fichier {ACTIVITY_PREFIX}_….txt (dossier ou archive zip de l’extraction Annuaire Santé attendu).",
                path.display()
            )
        };
        if path.is_dir() {
            let entries =
                std::fs::read_dir(path).map_err(|e| format!("{} : {e}", path.display()))?;
            let names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            let activity =
                pick(names.iter().map(String::as_str), ACTIVITY_PREFIX).ok_or_else(missing)?;
            let skills = pick(names.iter().map(String::as_str), SKILLS_PREFIX);
            return Ok(Source::Folder {
                activity: path.join(activity),
                skills: skills.map(|s| path.join(s)),
            });
        }
        let file = File::open(path).map_err(|e| format!("{} : {e}", path.display()))?;
        let archive = zip::ZipArchive::new(file).map_err(|e| {
            format!(
                "{} : ni un dossier ni une archive zip lisible ({e}).",
                path.display()
            )
        })?;
        let names: Vec<&str> = archive.file_names().collect();
        let activity = pick(names.iter().copied(), ACTIVITY_PREFIX).ok_or_else(missing)?;
        let skills = pick(names.iter().copied(), SKILLS_PREFIX);
        Ok(Source::Zip {
            path: path.to_owned(),
            activity,
            skills,
        })
    }

    /// The name of the activity file, for the import's record.
    pub fn activity_name(&self) -> String {
        match self {
            Source::Folder { activity, .. } => file_name(&activity.to_string_lossy()).to_owned(),
            Source::Zip { activity, .. } => file_name(activity).to_owned(),
        }
    }

    /// Reads the activity file (`skills == false`) or the skills file, if any, giving the
    /// reader its size in bytes.
    pub fn read<T>(
        &self,
        skills: bool,
        use_file: impl FnOnce(&mut dyn BufRead, u64) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        match self {
            Source::Folder {
                activity,
                skills: skill_file,
            } => {
                let Some(path) = (if skills {
                    skill_file.as_ref()
                } else {
                    Some(activity)
                }) else {
                    return Ok(None);
                };
                let file = File::open(path).map_err(|e| format!("{} : {e}", path.display()))?;
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                use_file(&mut BufReader::with_capacity(1 << 16, file), size).map(Some)
            }
            Source::Zip {
                path,
                activity,
                skills: skill_entry,
            } => {
                let Some(name) = (if skills {
                    skill_entry.as_ref()
                } else {
                    Some(activity)
                }) else {
                    return Ok(None);
                };
                let file = File::open(path).map_err(|e| format!("{} : {e}", path.display()))?;
                let mut archive = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
                let entry = archive.by_name(name).map_err(|e| format!("{name} : {e}"))?;
                let size = entry.size();
                use_file(&mut BufReader::with_capacity(1 << 16, entry), size).map(Some)
            }
        }
    }
}
