//! Tests of the messaging rules.

use super::*;

const TODAY: CivilDate = CivilDate {
    year: 2026,
    month: 11,
    day: 23,
};

fn fields(last: &str, first: &str, birth: &str, ins: &str) -> PatientFields {
    PatientFields {
        last_name: last.into(),
        first_name: first.into(),
        birth_date: birth.into(),
        ins: ins.into(),
    }
}

#[test]
fn birth_dates_are_read_in_both_spellings_and_checked_on_the_calendar() {
    let date = CivilDate::parse("24/03/1958").unwrap();
    assert_eq!(date, CivilDate::parse("1958-03-24").unwrap());
    assert_eq!(date.iso(), "1958-03-24");
    assert_eq!(date.french(), "24/03/1958");
    assert!(CivilDate::parse("29/02/2024").is_some());
    assert!(CivilDate::parse("29/02/2023").is_none());
    assert!(CivilDate::parse("31/04/2000").is_none());
    assert!(CivilDate::parse("1958-13-01").is_none());
    assert!(CivilDate::parse("24031958").is_none());
    assert!(CivilDate::parse("24/03/58").is_none());
}

#[test]
fn an_ins_is_checked_against_its_key_including_corsica() {
    assert_eq!(
        parse_ins("2 84 05 13 055 123 45").unwrap(),
        "284051305512345"
    );
    assert_eq!(parse_ins("175052a00412361").unwrap(), "175052A00412361");
    let wrong_key = parse_ins("284051305512346").unwrap_err();
    assert!(wrong_key.contains("clé"), "{wrong_key}");
    assert!(
        parse_ins("28405130551234")
            .unwrap_err()
            .contains("15 caractères")
    );
    assert!(parse_ins("984051305512345").is_err());
}

#[test]
fn a_patient_is_identified_by_names_and_a_past_birth_date() {
    let patient =
        PatientIdentity::parse(&fields(" durand ", "Léa  Marie", "1958-03-24", ""), TODAY).unwrap();
    assert_eq!(patient.last_name, "DURAND");
    assert_eq!(patient.first_name, "Léa Marie");
    assert_eq!(patient.ins, None);
    let errors =
        PatientIdentity::parse(&fields("", "L3a", "24/03/2027", "123"), TODAY).unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "patient_last_name",
            "patient_first_name",
            "patient_birth_date",
            "patient_ins"
        ]
    );
    assert!(errors.get("patient_birth_date").unwrap().contains("passée"));
}

#[test]
fn topics_and_bodies_have_bounds() {
    assert_eq!(
        parse_topic("  Infirmiers   du  secteur ").unwrap(),
        "Infirmiers du secteur"
    );
    assert!(parse_topic(" ").is_err());
    assert!(parse_topic(&"x".repeat(121)).is_err());
    assert_eq!(
        parse_body(" Bonjour\r\nà tous \n").unwrap(),
        "Bonjour\nà tous"
    );
    assert!(parse_body("  \n ").is_err());
    let long = parse_body(&"é".repeat(MESSAGE_MAX_CHARS + 1)).unwrap_err();
    assert!(long.contains("10001"), "{long}");
}

#[test]
fn mentions_name_members_whatever_the_accents_and_prefer_the_longest_name() {
    let members = vec![
        (1, "Anne Martin".to_owned()),
        (2, "Anne Martin-Léger".to_owned()),
        (3, "Hélène Roux".to_owned()),
    ];
    let body = "Merci @helene roux, et @Anne Martin-Leger : voyez-vous @anne martin ? @Inconnu";
    assert_eq!(mentions(body, &members), [3, 2, 1]);
    assert_eq!(mentions("@Anne Martinez", &members), Vec::<i64>::new());
    assert_eq!(mentions("@Hélène Roux @Hélène Roux", &members), [3]);
    assert_eq!(
        mentions("anne martin sans arobase", &members),
        Vec::<i64>::new()
    );
}

#[test]
fn attachments_are_typed_by_their_content_and_bounded_in_size() {
    assert_eq!(
        attachment_type("cr.pdf", b"%PDF-1.7 ...").unwrap(),
        "application/pdf"
    );
    assert_eq!(
        attachment_type("plaie.png", b"\x89PNG\r\n\x1a\n....").unwrap(),
        "image/png"
    );
    assert_eq!(
        attachment_type("x.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
        "image/jpeg"
    );
    let disguised = attachment_type("ordonnance.pdf", b"MZ\x90\x00 executable").unwrap_err();
    assert!(disguised.contains("ni un PDF"), "{disguised}");
    assert!(
        attachment_type("vide.pdf", b"")
            .unwrap_err()
            .contains("vide")
    );
    let mut big = b"%PDF-".to_vec();
    big.resize(ATTACHMENT_MAX_BYTES + 1, b' ');
    assert!(
        attachment_type("gros.pdf", &big)
            .unwrap_err()
            .contains("10 Mo")
    );
}

#[test]
fn file_names_lose_their_path_and_quotes() {
    assert_eq!(
        parse_file_name("C:\\Users\\x\\bilan \"final\".pdf").as_deref(),
        Ok("bilan final.pdf")
    );
    assert_eq!(parse_file_name("../../etc/passwd").as_deref(), Ok("passwd"));
    assert_eq!(parse_file_name(" / ").as_deref(), Ok("piece-jointe"));
}

#[test]
fn file_names_that_hide_or_reorder_letters_are_refused() {
    for disguised in [
        "a\r\nb.pdf",
        "\u{202E}gpj.pdf",
        "bilan\u{200B}.pdf",
        "\u{FEFF}x.png",
    ] {
        let refused = parse_file_name(disguised).unwrap_err();
        assert!(
            refused.starts_with("Le champ « nom du fichier » contient"),
            "{refused}"
        );
    }
}
