//! Rules of the waiting list of patients without a médecin traitant: what a request holds
//! (identity, commune, contact, situation), its checks, and the transparent priority a CPTS
//! sets: an ordered list of criteria, the first one a patient meets placing them, then the
//! date of the request.

use crate::FieldErrors;
use crate::common::civil_date::CivilDate;
use crate::common::text;
use crate::common::validation::{
    parse_birth_date, parse_person_name as name, parse_phone, parse_sex,
};
use crate::territory::search_key;

/// What places a patient on the list, in the order a CPTS chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Affection de longue durée.
    Ald,
    /// Aged 70 or more on the day the list is read.
    Age70,
    /// Complémentaire santé solidaire, or low income.
    C2s,
    Disability,
    Pregnancy,
    /// Their GP retired or left.
    GpLeft,
    NewlyArrived,
}

impl Criterion {
    pub const ALL: [Criterion; 7] = [
        Criterion::Ald,
        Criterion::Age70,
        Criterion::C2s,
        Criterion::Disability,
        Criterion::Pregnancy,
        Criterion::GpLeft,
        Criterion::NewlyArrived,
    ];

    /// The default order of a CPTS: ALD, 70 or more, C2S.
    pub const DEFAULT: [Criterion; 3] = [Criterion::Ald, Criterion::Age70, Criterion::C2s];

    /// The code rules are stored with.
    pub fn code(self) -> &'static str {
        match self {
            Criterion::Ald => "ald",
            Criterion::Age70 => "age70",
            Criterion::C2s => "c2s",
            Criterion::Disability => "disability",
            Criterion::Pregnancy => "pregnancy",
            Criterion::GpLeft => "gp_left",
            Criterion::NewlyArrived => "newly_arrived",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Criterion::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Rules as stored: codes separated by commas (unknown codes are skipped).
    pub fn parse_rules(stored: &str) -> Vec<Criterion> {
        stored
            .split(',')
            .filter_map(|code| Self::from_code(code.trim()))
            .collect()
    }

    /// Rules to store.
    pub fn store_rules(rules: &[Criterion]) -> String {
        rules.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
    }

    /// What the list says of a patient placed by this criterion.
    pub fn label_fr(self) -> &'static str {
        match self {
            Criterion::Ald => "ALD",
            Criterion::Age70 => "70 ans ou plus",
            Criterion::C2s => "C2S ou faibles revenus",
            Criterion::Disability => "situation de handicap",
            Criterion::Pregnancy => "grossesse",
            Criterion::GpLeft => "médecin parti ou retraité",
            Criterion::NewlyArrived => "nouvel arrivant",
        }
    }
}

/// Why a request is closed without a GP found through the CPTS: (code, label).
pub const CLOSE_REASONS: [(&str, &str); 4] = [
    (
        "found_elsewhere",
        "A trouvé un médecin traitant par ailleurs",
    ),
    ("withdrawn", "Ne souhaite plus de médecin traitant"),
    ("unreachable", "Injoignable"),
    ("moved", "A quitté le territoire"),
];

/// The label of a closing reason, merging included.
pub fn close_reason_label(code: &str) -> Option<&'static str> {
    if code == "merged" {
        return Some("Fusionnée avec une autre demande de la même personne");
    }
    CLOSE_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// The situation declared with a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Situation {
    pub ald: bool,
    pub c2s: bool,
    pub disability: bool,
    pub pregnancy: bool,
    pub newly_arrived: bool,
    pub gp_left: bool,
}

impl Situation {
    /// What either of two requests of the same person declared.
    pub fn union(self, other: Situation) -> Situation {
        Situation {
            ald: self.ald || other.ald,
            c2s: self.c2s || other.c2s,
            disability: self.disability || other.disability,
            pregnancy: self.pregnancy || other.pregnancy,
            newly_arrived: self.newly_arrived || other.newly_arrived,
            gp_left: self.gp_left || other.gp_left,
        }
    }

    /// ALD, C2S, disability, pregnancy, newly arrived, GP left: the order they are stored in.
    pub fn flags(self) -> [bool; 6] {
        [
            self.ald,
            self.c2s,
            self.disability,
            self.pregnancy,
            self.newly_arrived,
            self.gp_left,
        ]
    }
}

/// Full years between `birth` and `day`.
pub fn age_on(birth: CivilDate, day: CivilDate) -> i32 {
    let years = i32::from(day.year) - i32::from(birth.year);
    if (day.month, day.day) < (birth.month, birth.day) {
        years - 1
    } else {
        years
    }
}

fn meets(criterion: Criterion, situation: &Situation, age: i32) -> bool {
    match criterion {
        Criterion::Ald => situation.ald,
        Criterion::Age70 => age >= 70,
        Criterion::C2s => situation.c2s,
        Criterion::Disability => situation.disability,
        Criterion::Pregnancy => situation.pregnancy,
        Criterion::GpLeft => situation.gp_left,
        Criterion::NewlyArrived => situation.newly_arrived,
    }
}

/// The group the ACI indicators count a request in: ALD, then 70 or more, then C2S, then
/// the others, whatever the CPTS's own priority rules.
pub fn indicator_group(situation: &Situation, birth: CivilDate, day: CivilDate) -> &'static str {
    if situation.ald {
        "ald"
    } else if age_on(birth, day) >= 70 {
        "70+"
    } else if situation.c2s {
        "c2s"
    } else {
        "other"
    }
}

/// Where a patient stands: the rank of the first criterion they meet in the CPTS's order
/// (`rules.len()` when none), and that criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub group: usize,
    pub criterion: Option<Criterion>,
}

impl Standing {
    pub fn of(
        rules: &[Criterion],
        situation: &Situation,
        birth: CivilDate,
        today: CivilDate,
    ) -> Self {
        let age = age_on(birth, today);
        match rules.iter().position(|c| meets(*c, situation, age)) {
            Some(group) => Self {
                group,
                criterion: Some(rules[group]),
            },
            None => Self {
                group: rules.len(),
                criterion: None,
            },
        }
    }

    /// Why the patient is where they are, in French.
    pub fn reason_fr(&self) -> String {
        match self.criterion {
            Some(criterion) => format!("Prioritaire : {}", criterion.label_fr()),
            None => "Sans critère de priorité : ordre d’arrivée".to_owned(),
        }
    }
}

/// A request as typed, by a coordinator during a call or by the patient.
#[derive(Debug, Clone, Default)]
pub struct RequestFields {
    pub last_name: String,
    pub birth_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub sex: String,
    pub commune: String,
    pub phone: String,
    pub email: String,
    pub situation: Situation,
    pub note: String,
}

/// Why a coordinator places a patient at the head of the list: one line of 1 to 300
/// characters.
pub fn parse_priority_comment(raw: &str) -> Result<String, String> {
    let comment = text::line(raw, "motif")?;
    if (1..=300).contains(&comment.chars().count()) {
        Ok(comment)
    } else {
        Err("Dites pourquoi ce patient passe en tête (300 caractères au plus).".to_owned())
    }
}

/// A checked request, the commune still to be found by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRequest {
    pub last_name: String,
    pub birth_name: String,
    pub first_name: String,
    pub birth_date: CivilDate,
    /// `F` or `M`.
    pub sex: &'static str,
    pub phone: String,
    pub email: String,
    pub note: String,
    /// The names as probable duplicates are found by.
    pub name_key: String,
}

/// The key two requests of the same person share: birth name (or name) and first name.
pub fn name_key(last_name: &str, birth_name: &str, first_name: &str) -> String {
    let family = if birth_name.trim().is_empty() {
        last_name
    } else {
        birth_name
    };
    search_key(&format!("{family} {first_name}"))
}

impl CheckedRequest {
    /// Checks every field but the commune; `today` bounds the birth date.
    pub fn parse(fields: &RequestFields, today: CivilDate) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let last_name = name(&fields.last_name, "last_name", "nom", &mut errors, true);
        let birth_name = name(
            &fields.birth_name,
            "birth_name",
            "nom de naissance",
            &mut errors,
            false,
        );
        let first_name = name(
            &fields.first_name,
            "first_name",
            "prénom",
            &mut errors,
            true,
        );
        let birth_date = errors.take("birth_date", parse_birth_date(&fields.birth_date, today));
        let sex = errors.take("sex", parse_sex(&fields.sex)).unwrap_or("F");
        let phone = match fields.phone.trim() {
            "" => String::new(),
            raw => errors.take("phone", parse_phone(raw)).unwrap_or_default(),
        };
        let email = fields.email.trim().to_lowercase();
        if !email.is_empty() && crate::Email::parse(&email).is_err() {
            errors.add(
                "email",
                "Adresse e-mail invalide, par exemple prenom.nom@exemple.fr.",
            );
        }
        if phone.is_empty() && email.is_empty() && errors.get("phone").is_none() {
            errors.add(
                "phone",
                "Indiquez un téléphone ou une adresse e-mail pour recontacter le patient.",
            );
        }
        let note = errors
            .take("note", text::lines(&fields.note, "note"))
            .unwrap_or_default();
        if note.chars().count() > 2000 {
            errors.add("note", "2 000 caractères au plus.");
        }
        let key = name_key(&last_name, &birth_name, &first_name);
        errors.into_result(|| Self {
            last_name: last_name.to_uppercase(),
            birth_name: birth_name.to_uppercase(),
            first_name,
            birth_date: birth_date.expect("checked"),
            sex,
            phone,
            email,
            note,
            name_key: key,
        })
    }
}

pub mod capacity;
pub mod indicators;
pub mod matching;
pub mod states;

#[cfg(test)]
mod tests;
