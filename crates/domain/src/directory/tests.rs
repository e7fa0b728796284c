//! Reading the published sample lines, and every kind of bad line.

use super::*;

const SAMPLE: &str =
    include_str!("../../../../docs/formats/samples/PS_LibreAcces_Personne_activite_sample.txt");
const SKILLS: &str =
    include_str!("../../../../docs/formats/samples/PS_LibreAcces_SavoirFaire_sample.txt");

fn sample() -> (Layout, Vec<&'static str>) {
    let mut lines = SAMPLE.lines();
    let layout = Layout::activity(lines.next().unwrap()).unwrap();
    (layout, lines.collect())
}

/// The first sample line with field `index` (0-based, in the file) set to `value`.
fn altered(index: usize, value: &str) -> String {
    let (_, lines) = sample();
    let mut fields: Vec<&str> = lines[0].split('|').collect();
    fields[index] = value;
    fields.join("|")
}

#[test]
fn a_sample_line_is_read_into_its_activity() {
    let (layout, lines) = sample();
    let a = layout.activity_line(2, lines[0]).unwrap();
    assert_eq!(a.national_id, "810000000017");
    assert_eq!(
        (a.id_type.as_str(), a.identifier.as_str()),
        ("8", "10000000017")
    );
    assert_eq!(
        (a.last_name.as_str(), a.first_name.as_str()),
        ("ARBOUSIER", "Aline")
    );
    assert_eq!((a.profession.as_str(), a.skill.as_str()), ("10", "SM53"));
    assert_eq!(a.mode, "L");
    assert_eq!(a.street, "24 Avenue DES CYPRES FICTIFS");
    assert_eq!(a.commune.as_ref().map(InseeCode::as_str), Some("13001"));
    assert_eq!(a.postcode, "13100");
    assert_eq!(a.sector, "SA08");
    assert_eq!(a.phone, "0400000011");
    for (i, line) in lines.iter().enumerate() {
        assert!(layout.activity_line(i as u64 + 2, line).is_ok(), "{line}");
    }
}

#[test]
fn skills_are_read_from_their_own_file() {
    let mut lines = SKILLS.lines();
    let layout = Layout::skills(lines.next().unwrap()).unwrap();
    let s = layout.skill_line(2, lines.next().unwrap()).unwrap();
    assert_eq!(s.national_id, "810000000017");
    assert_eq!((s.skill_type.as_str(), s.skill.as_str()), ("S", "SM53"));
}

#[test]
fn columns_are_found_by_name_whatever_their_order() {
    let header = "Code commune (coord. structure)|Identification nationale PP|Type d'identifiant PP|\
                  Identifiant PP|Nom d'exercice|Prénom d'exercice|Code profession|Code mode exercice|\
                  Code postal (coord. structure)|";
    let layout = Layout::activity(header).unwrap();
    let a = layout
        .activity_line(2, "67482|810000000017|8|10000000017|NOM|Prénom|60|L|67000|")
        .unwrap();
    assert_eq!(a.commune.unwrap().as_str(), "67482");
    assert_eq!(a.profession, "60");
    assert_eq!(a.structure_name, "");
}

#[test]
fn a_file_without_the_needed_columns_is_refused_by_its_header() {
    let error = Layout::activity("nom|prenom|ville|").unwrap_err();
    assert_eq!(error.line, 1);
    assert!(error.message.contains("« Identification nationale PP »"));
    assert!(Layout::skills("Identification nationale PP|Code type savoir-faire|").is_err());
}

#[test]
fn a_line_with_too_few_fields_names_its_count() {
    let (layout, lines) = sample();
    let short = lines[0].rsplitn(5, '|').last().unwrap();
    let errors = layout.activity_line(7, short).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 7);
    assert!(
        errors[0].message.contains("52 champs au lieu des 56"),
        "{}",
        errors[0]
    );
}

#[test]
fn bad_values_are_named_by_line_and_column() {
    let (layout, _) = sample();
    let cases = [
        (
            9,
            "XX",
            "Code profession",
            "code de profession inconnu « XX »",
        ),
        (
            15,
            "SM999",
            "Code savoir-faire",
            "spécialité inconnu « SM999 »",
        ),
        (17, "Z", "Code mode exercice", "« Z »"),
        (36, "1300", "Code commune (coord. structure)", "« 1300 »"),
        (1, "1234", "Identifiant PP", "onze chiffres"),
        (2, "", "Identification nationale PP", "obligatoire"),
        (48, "SA99", "Code secteur d'activité", "« SA99 »"),
    ];
    for (index, value, column, message) in cases {
        let errors = layout
            .activity_line(12, &altered(index, value))
            .unwrap_err();
        assert_eq!(errors[0].column, Some(column), "{value}");
        assert!(errors[0].message.contains(message), "{}", errors[0]);
        let shown = errors[0].to_string();
        assert!(
            shown.starts_with(&format!("ligne 12, colonne « {column} »")),
            "{shown}"
        );
    }
}

#[test]
fn a_control_character_refuses_its_line_by_column() {
    let (layout, _) = sample();
    for (value, code) in [
        ("DU\u{0}RAND", "U+0000"),
        ("DU\tRAND", "U+0009"),
        ("DU\u{85}RAND", "U+0085"),
    ] {
        let errors = layout.activity_line(7, &altered(7, value)).unwrap_err();
        assert_eq!(errors[0].column, Some("Nom d'exercice"), "{value:?}");
        assert!(
            errors[0]
                .message
                .contains(&format!("caractère de contrôle invisible ({code})")),
            "{}",
            errors[0]
        );
    }
}

#[test]
fn variant_header_spellings_are_accepted() {
    let (_, lines) = sample();
    let header = SAMPLE
        .lines()
        .next()
        .unwrap()
        .replace("Code genre activité", "Code genre d'activité")
        .replace("Code rôle", "Code fonction");
    let layout = Layout::activity(&format!("\u{feff}{header}")).unwrap();
    assert_eq!(
        layout.activity_line(2, lines[0]).unwrap().activity_kind,
        "GENR01"
    );
}

#[test]
fn the_professional_of_a_refused_line_is_read_when_it_can_be() {
    let (layout, lines) = sample();
    let short = lines[0].rsplitn(5, '|').last().unwrap();
    assert_eq!(layout.national_id(short), Some("810000000017"));
    assert_eq!(layout.national_id(&altered(2, " ")), None);
    assert_eq!(layout.national_id("8|100"), None);
}

#[test]
fn a_huge_value_is_quoted_by_its_beginning_only() {
    let (layout, _) = sample();
    let huge = "X".repeat(1_000_000);
    let errors = layout.activity_line(3, &altered(9, &huge)).unwrap_err();
    let shown = errors[0].to_string();
    assert!(shown.len() < 400, "{} characters", shown.len());
    assert!(
        shown.contains(&format!("« {}… »", "X".repeat(200))),
        "{shown}"
    );
}
