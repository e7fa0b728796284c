//! The file of a departing GP's patients, as their practice software exports it: CSV in
//! UTF-8, separated by semicolons or commas, a header row naming the columns in French
//! (accents, case and punctuation aside), then one patient per line.

use crate::csv_file;
use crate::file_errors::FileErrors;
use maillage_domain::FieldErrors;
use maillage_domain::common::quoting::quoted;
use maillage_domain::gp_waitlist::RequestFields;
use maillage_domain::territory::search_key;

/// The most patients one file may hold.
pub const MAX_LINES: usize = 10_000;

/// The largest file read, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// A column of the file and the field of the request it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    LastName,
    BirthName,
    FirstName,
    BirthDate,
    Sex,
    Commune,
    Phone,
    Email,
    Ald,
    C2s,
    Disability,
    Pregnancy,
    NewlyArrived,
    Note,
}

/// The names a header may give each column, as `search_key` writes them.
const NAMES: [(Column, &[&str]); 14] = [
    (Column::LastName, &["nom", "nom d usage"]),
    (Column::BirthName, &["nom de naissance"]),
    (Column::FirstName, &["prenom"]),
    (Column::BirthDate, &["date de naissance", "naissance"]),
    (Column::Sex, &["sexe"]),
    (Column::Commune, &["commune", "code insee", "ville"]),
    (Column::Phone, &["telephone", "tel", "portable"]),
    (Column::Email, &["email", "e mail", "courriel", "mail"]),
    (Column::Ald, &["ald"]),
    (Column::C2s, &["c2s", "css"]),
    (Column::Disability, &["handicap"]),
    (Column::Pregnancy, &["grossesse"]),
    (Column::NewlyArrived, &["nouvel arrivant"]),
    (Column::Note, &["note", "commentaire"]),
];

/// The columns a file must have.
const REQUIRED: [(Column, &str); 5] = [
    (Column::LastName, "nom"),
    (Column::FirstName, "prénom"),
    (Column::BirthDate, "date de naissance"),
    (Column::Sex, "sexe"),
    (Column::Commune, "commune"),
];

/// One patient of the file, with the number of their line (the header is line 1).
#[derive(Debug, Clone)]
pub struct Line {
    pub number: usize,
    pub fields: RequestFields,
}

/// The French name of a field of the request, for the errors of a line.
pub fn field_label(field: &str) -> &str {
    match field {
        "last_name" => "nom",
        "birth_name" => "nom de naissance",
        "first_name" => "prénom",
        "birth_date" => "date de naissance",
        "sex" => "sexe",
        "commune" => "commune",
        "phone" => "téléphone",
        "email" => "e-mail",
        "note" => "note",
        other => other,
    }
}

fn yes_no(raw: &str) -> Option<bool> {
    match search_key(raw).as_str() {
        "" | "non" | "n" | "0" | "faux" | "no" => Some(false),
        "oui" | "o" | "1" | "x" | "vrai" | "yes" => Some(true),
        _ => None,
    }
}

fn sex(raw: &str) -> String {
    match search_key(raw).as_str() {
        "f" | "femme" => "F".to_owned(),
        "m" | "h" | "homme" => "M".to_owned(),
        _ => raw.trim().to_owned(),
    }
}

/// The columns of the header, in order; errors name the unknown and the missing ones.
fn header(record: &csv::StringRecord) -> Result<Vec<Column>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut columns = Vec::new();
    for name in record {
        let key = search_key(name);
        match NAMES.iter().find(|(_, names)| names.contains(&key.as_str())) {
            Some((column, _)) if columns.contains(column) => {
                errors.add("file", format!("Ligne 1 : colonne {} en double.", quoted(name)));
            }
            Some((column, _)) => columns.push(*column),
            None => errors.add(
                "file",
                format!(
                    "Ligne 1 : colonne inconnue {}. Colonnes reconnues : nom, nom de naissance, prénom, date de naissance, sexe, commune, téléphone, e-mail, ALD, C2S, handicap, grossesse, nouvel arrivant, note.",
                    quoted(name)
                ),
            ),
        }
    }
    for (column, name) in REQUIRED {
        if !columns.contains(&column) {
            errors.add("file", format!("Ligne 1 : colonne « {name} » manquante."));
        }
    }
    errors.into_result(|| columns)
}

/// Reads the file: every patient with their line, or the errors of its lines (the header's
/// first), each naming its line.
pub fn read(bytes: &[u8]) -> Result<Vec<Line>, FieldErrors> {
    if bytes.len() > MAX_BYTES {
        let message = "Le fichier dépasse 5 Mo : découpez-le.";
        return Err(FieldErrors::single("file", message));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        let message = "Le fichier doit être un CSV en UTF-8 : enregistrez-le sous ce codage.";
        return Err(FieldErrors::single("file", message));
    };
    let mut errors = FileErrors::default();
    let (header_record, records) = csv_file::table(text, &mut errors)?;
    let columns = header(&header_record)?;
    let mut lines = Vec::new();
    for (number, record) in records {
        let mut fields = RequestFields::default();
        for (column, value) in columns.iter().zip(record.iter()) {
            let flag = |name: &str, errors: &mut FileErrors| {
                yes_no(value).unwrap_or_else(|| {
                    errors.add(number, format!("{name} — indiquez oui ou non."));
                    false
                })
            };
            let situation = &mut fields.situation;
            match column {
                Column::LastName => fields.last_name = value.to_owned(),
                Column::BirthName => fields.birth_name = value.to_owned(),
                Column::FirstName => fields.first_name = value.to_owned(),
                Column::BirthDate => fields.birth_date = value.to_owned(),
                Column::Sex => fields.sex = sex(value),
                Column::Commune => fields.commune = value.to_owned(),
                Column::Phone => fields.phone = value.to_owned(),
                Column::Email => fields.email = value.to_owned(),
                Column::Ald => situation.ald = flag("ALD", &mut errors),
                Column::C2s => situation.c2s = flag("C2S", &mut errors),
                Column::Disability => situation.disability = flag("handicap", &mut errors),
                Column::Pregnancy => situation.pregnancy = flag("grossesse", &mut errors),
                Column::NewlyArrived => {
                    situation.newly_arrived = flag("nouvel arrivant", &mut errors)
                }
                Column::Note => fields.note = value.to_owned(),
            }
        }
        lines.push(Line { number, fields });
        if lines.len() > MAX_LINES {
            let message = format!("Le fichier compte plus de {MAX_LINES} patients : découpez-le.");
            return Err(FieldErrors::single("file", message));
        }
    }
    if lines.is_empty() && errors.is_empty() {
        return Err(FieldErrors::single(
            "file",
            "Le fichier ne compte aucun patient après la ligne des colonnes.",
        ));
    }
    errors.into_result(|| lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_french_export_with_semicolons_and_flags() {
        let file = "\u{feff}Nom;Prénom;Date de naissance;Sexe;Commune;Téléphone;ALD;C2S\n\
                    MARTIN;Élise;24/03/1958;Femme;Cabriès;06 12 34 56 78;oui;\n\
                    \n\
                    DURAND;Paul;01/02/1990;H;13001;;non;x\n";
        let lines = read(file.as_bytes()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].number, 2);
        assert_eq!(lines[0].fields.first_name, "Élise");
        assert_eq!(lines[0].fields.sex, "F");
        assert!(lines[0].fields.situation.ald && !lines[0].fields.situation.c2s);
        assert_eq!(lines[1].number, 4, "blank lines keep their number");
        assert_eq!(lines[1].fields.sex, "M");
        assert!(lines[1].fields.situation.c2s);
    }

    #[test]
    fn names_unknown_and_missing_columns_and_bad_lines() {
        let errors = read(b"nom,prenom,age\nA,B,3\n").unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(messages[0].starts_with("Ligne 1 : colonne inconnue « age »"));
        assert!(messages.contains(&"Ligne 1 : colonne « date de naissance » manquante."));

        let file = "nom;prenom;date de naissance;sexe;commune;ald\n\
                    A;B;01/01/1950;F;13001;peut-être\n\
                    A;B;01/01/1950\n";
        let errors = read(file.as_bytes()).unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Ligne 2 : ALD — indiquez oui ou non.",
                "Ligne 3 : 3 valeurs au lieu des 6 colonnes de l’en-tête.",
            ]
        );
        assert!(read(b"").is_err());
        assert!(read(b"nom;prenom;date de naissance;sexe;commune\n").is_err());
        assert!(read(b"nom;pr\xe9nom\n").is_err(), "Latin-1 is refused");
    }
}
