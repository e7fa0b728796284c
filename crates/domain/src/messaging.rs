//! Rules of secure messaging: what identifies the patient of a thread (names, birth date,
//! optional INS), what a topic and a message may hold, who a message mentions, and which
//! files may be attached.

use crate::common::civil_date::CivilDate;
use crate::common::text;
use crate::territory::search_key;

crate::coded_enum! {
    /// What a thread is about.
    pub enum ThreadKind: "thread kind" {
        /// A patient, whom its messages concern.
        Patient = "patient",
        /// A subject of the CPTS's life.
        Topic = "topic",
    }
}

/// The patient a thread is about: the minimum that identifies them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientIdentity {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: CivilDate,
    /// The INS (identifiant national de santé), 15 characters, when known.
    pub ins: Option<String>,
}

/// The form that identifies a patient, as typed.
#[derive(Debug, Clone, Default)]
pub struct PatientFields {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub ins: String,
}

fn person_name(raw: &str, what: &str) -> Result<String, String> {
    let name = text::name(raw, what)?;
    if name.is_empty() {
        return Err(format!("Indiquez le {what} du patient."));
    }
    if name.chars().count() > 100 || name.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!(
            "Le {what} compte 100 caractères au plus, sans chiffres."
        ));
    }
    Ok(name)
}

/// Checks an INS (the NIR of the patient: 13 characters and a 2-digit key, where the key is
/// 97 minus the number modulo 97, Corsica's 2A and 2B counting as 19 and 18).
pub fn parse_ins(raw: &str) -> Result<String, String> {
    let ins: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let message = "L’INS compte 15 caractères (13 et une clé de 2 chiffres), par exemple 2 84 05 13 055 123 45.";
    if ins.len() != 15 || !ins.is_ascii() {
        return Err(message.to_owned());
    }
    let number = match &ins[5..7] {
        "2A" => format!("{}19{}", &ins[..5], &ins[7..13]),
        "2B" => format!("{}18{}", &ins[..5], &ins[7..13]),
        _ => ins[..13].to_owned(),
    };
    let (Ok(number), Ok(key)) = (number.parse::<u64>(), ins[13..].parse::<u64>()) else {
        return Err(message.to_owned());
    };
    if !matches!(ins.as_bytes()[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return Err(message.to_owned());
    }
    if 97 - number % 97 != key {
        return Err("La clé de cet INS ne correspond pas : vérifiez chaque chiffre.".to_owned());
    }
    Ok(ins)
}

impl PatientIdentity {
    /// Checks the form; `today` bounds the birth date.
    pub fn parse(fields: &PatientFields, today: CivilDate) -> Result<Self, crate::FieldErrors> {
        let mut errors = crate::FieldErrors::new();
        let last_name = errors.take("patient_last_name", person_name(&fields.last_name, "nom"));
        let first_name = errors.take(
            "patient_first_name",
            person_name(&fields.first_name, "prénom"),
        );
        let birth_date = errors.take(
            "patient_birth_date",
            match CivilDate::parse(&fields.birth_date) {
                Some(date) if date <= today && date.year >= 1900 => Ok(date),
                Some(_) => Err("La date de naissance doit être passée, et après 1900.".to_owned()),
                None => Err("Indiquez la date de naissance, par exemple 24/03/1958.".to_owned()),
            },
        );
        let ins = match fields.ins.trim() {
            "" => Some(None),
            raw => errors.take("patient_ins", parse_ins(raw).map(Some)),
        };
        errors.into_result(|| Self {
            last_name: last_name.unwrap_or_default().to_uppercase(),
            first_name: first_name.unwrap_or_default(),
            birth_date: birth_date.expect("checked"),
            ins: ins.flatten(),
        })
    }
}

/// The subject of a topic thread: one line of 1 to 120 characters.
pub fn parse_topic(raw: &str) -> Result<String, String> {
    let topic = text::line(raw, "sujet")?;
    match topic.chars().count() {
        0 => Err("Indiquez le sujet de la discussion, par exemple « Infirmiers ».".to_owned()),
        1..=120 => Ok(topic),
        _ => Err("Le sujet compte 120 caractères au plus.".to_owned()),
    }
}

/// The title of an alert: one line of 1 to 120 characters, as a topic.
pub fn parse_alert_title(raw: &str) -> Result<String, String> {
    let title = text::line(raw, "objet")?;
    parse_topic(&title)
        .map_err(|_| "Indiquez l’objet de l’alerte, en 120 caractères au plus.".to_owned())
}

/// The longest message accepted, in characters.
pub const MESSAGE_MAX_CHARS: usize = 10_000;

/// A message's text: lines (`text::lines`), not empty, at most [`MESSAGE_MAX_CHARS`];
/// spaces at both ends removed.
pub fn parse_body(raw: &str) -> Result<String, String> {
    let body = text::lines(raw, "message")?;
    match body.chars().count() {
        0 => Err("Écrivez un message.".to_owned()),
        n if n > MESSAGE_MAX_CHARS => Err(format!(
            "Un message compte {MESSAGE_MAX_CHARS} caractères au plus ; celui-ci en a {n}."
        )),
        _ => Ok(body),
    }
}

/// The members a message mentions: each `@Prénom Nom` (accents and case aside) that is the
/// name of one of `members` (`(user id, name)`), the longest name winning.
pub fn mentions(body: &str, members: &[(i64, String)]) -> Vec<i64> {
    let mut names: Vec<(i64, String)> = members
        .iter()
        .map(|(id, name)| (*id, search_key(name)))
        .filter(|(_, key)| !key.is_empty())
        .collect();
    names.sort_by_key(|(_, key)| std::cmp::Reverse(key.len()));
    let mut found = Vec::new();
    for (at, _) in body.match_indices('@') {
        let following: String = body[at + 1..].chars().take(80).collect();
        let key = search_key(&following);
        let hit = names.iter().find(|(_, name)| {
            key.starts_with(name.as_str())
                && matches!(key.as_bytes().get(name.len()), None | Some(b' '))
        });
        if let Some((id, _)) = hit
            && !found.contains(id)
        {
            found.push(*id);
        }
    }
    found
}

/// The largest attachment accepted, in bytes.
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The media type of an attachment, read from its first bytes (never from its name): PDF,
/// PNG or JPEG. Anything else is refused with a French message.
pub fn attachment_type(file_name: &str, content: &[u8]) -> Result<&'static str, String> {
    if content.is_empty() {
        return Err(format!("Le fichier « {file_name} » est vide."));
    }
    if content.len() > ATTACHMENT_MAX_BYTES {
        return Err(format!(
            "Le fichier « {file_name} » dépasse {} Mo.",
            ATTACHMENT_MAX_BYTES / (1024 * 1024)
        ));
    }
    if content.starts_with(b"%PDF-") {
        Ok("application/pdf")
    } else if content.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else {
        Err(format!(
            "Le fichier « {file_name} » n’est ni un PDF, ni une image PNG ou JPEG."
        ))
    }
}

/// A file name safe to show and to offer for download: its last path part, without
/// quotes, at most 120 characters. A name with a control character or an invisible one that
/// reorders or hides letters (`\u{202E}gpj.pdf` shows as « fdp.jpg ») is refused.
pub fn parse_file_name(raw: &str) -> Result<String, String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    text::check(base, text::Kind::Name, "nom du fichier")?;
    let name: String = base
        .chars()
        .filter(|c| !matches!(c, '"' | ';'))
        .take(120)
        .collect();
    Ok(if name.trim().is_empty() {
        "piece-jointe".to_owned()
    } else {
        name.trim().to_owned()
    })
}

#[cfg(test)]
mod tests;
