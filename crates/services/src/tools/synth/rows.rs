//! The two output files: exact header lines and `|`-terminated rows, streamed through
//! buffered writers.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The header of `PS_LibreAcces_Personne_activite` (56 names, trailing `|`).
pub(super) const ACTIVITY_HEADER: &str = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS établissement juridique|Identifiant technique de la structure|Raison sociale site|Enseigne commerciale site|Complément destinataire (coord. structure)|Complément point géographique (coord. structure)|Numéro Voie (coord. structure)|Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|Mention distribution (coord. structure)|Bureau cedex (coord. structure)|Code postal (coord. structure)|Code commune (coord. structure)|Libellé commune (coord. structure)|Code pays (coord. structure)|Libellé pays (coord. structure)|Téléphone (coord. structure)|Téléphone 2 (coord. structure)|Télécopie (coord. structure)|Adresse e-mail (coord. structure)|Code Département (structure)|Libellé Département (structure)|Ancien identifiant de la structure|Autorité d'enregistrement|Code secteur d'activité|Libellé secteur d'activité|Code section tableau pharmaciens|Libellé section tableau pharmaciens|Code rôle|Libellé rôle|Code genre activité|Libellé genre activité|";

/// The header of `PS_LibreAcces_SavoirFaire` (13 names, trailing `|`).
pub(super) const SKILL_HEADER: &str = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|";

/// Number of named columns of the activity file.
pub(super) const ACTIVITY_COLUMNS: usize = 56;
/// Number of named columns of the savoir-faire file.
pub(super) const SKILL_COLUMNS: usize = 13;

/// The two files being written, and their row counts.
pub(super) struct Outputs {
    activity: BufWriter<File>,
    skill: BufWriter<File>,
    pub activity_rows: u64,
    pub skill_rows: u64,
}

impl Outputs {
    /// Creates both files and writes their header lines.
    pub(super) fn create(activity: &Path, skill: &Path) -> io::Result<Self> {
        let mut outputs = Self {
            activity: BufWriter::with_capacity(1 << 18, File::create(activity)?),
            skill: BufWriter::with_capacity(1 << 16, File::create(skill)?),
            activity_rows: 0,
            skill_rows: 0,
        };
        writeln!(outputs.activity, "{ACTIVITY_HEADER}")?;
        writeln!(outputs.skill, "{SKILL_HEADER}")?;
        Ok(outputs)
    }

    pub(super) fn activity_row(&mut self, fields: &[&str; ACTIVITY_COLUMNS]) -> io::Result<()> {
        self.activity_rows += 1;
        write_row(&mut self.activity, fields)
    }

    pub(super) fn skill_row(&mut self, fields: &[&str; SKILL_COLUMNS]) -> io::Result<()> {
        self.skill_rows += 1;
        write_row(&mut self.skill, fields)
    }

    /// Flushes both files to disk.
    pub(super) fn finish(mut self) -> io::Result<(u64, u64)> {
        self.activity.flush()?;
        self.skill.flush()?;
        Ok((self.activity_rows, self.skill_rows))
    }
}

/// Writes each field followed by `|`, then `\n`.
fn write_row(out: &mut impl Write, fields: &[&str]) -> io::Result<()> {
    for field in fields {
        out.write_all(field.as_bytes())?;
        out.write_all(b"|")?;
    }
    out.write_all(b"\n")
}
