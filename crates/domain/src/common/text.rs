//! What typed text may hold, for every field of every entry point (pages, API, imports,
//! CLI): no control character (C0, DEL, C1) but the tab and line break of a multi-line
//! field; and in names, file names and what is compared for duplicates, none of the
//! invisible characters that reorder or hide letters either (bidirectional controls,
//! zero-width characters, byte-order marks).

/// What a field holds, for the characters it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text: no control character at all.
    Line,
    /// Several lines: tabs and line feeds besides.
    Lines,
    /// A name, a file name, a value compared for duplicates: one line, and no invisible
    /// character that reorders or hides letters.
    Name,
}

/// Characters that change the direction text is shown in: `\u{202E}gpj.pdf` reads « fdp.jpg ».
fn reorders(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room: zero-width spaces and joiners, the word joiner and
/// invisible operators, the byte-order mark, the soft hyphen.
fn takes_no_room(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Why `c` is refused in a field of `kind`, if it is.
fn refusal(c: char, kind: Kind) -> Option<&'static str> {
    let allowed_control = kind == Kind::Lines && matches!(c, '\t' | '\n');
    if c.is_control() && !allowed_control {
        Some("un caractère de contrôle invisible")
    } else if kind == Kind::Name && reorders(c) {
        Some("un caractère invisible qui inverse le sens de lecture")
    } else if kind == Kind::Name && takes_no_room(c) {
        Some("un caractère invisible sans largeur")
    } else {
        None
    }
}

/// `Ok` when `raw` holds no character a field of `kind` refuses; else a French message
/// that names the field (`label`, such as « nom ») and the first such character's code.
pub fn check(raw: &str, kind: Kind, label: &str) -> Result<(), String> {
    match raw
        .chars()
        .find_map(|c| refusal(c, kind).map(|why| (c, why)))
    {
        None => Ok(()),
        Some((c, why)) => Err(format!(
            "Le champ « {label} » contient {why} (U+{:04X}) : retirez-le.",
            u32::from(c)
        )),
    }
}

/// Every run of spaces as one space, none at the ends.
fn tidied(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One line of text, checked, its spaces tidied; `label` names the field in the message.
pub fn line(raw: &str, label: &str) -> Result<String, String> {
    check(raw, Kind::Line, label).map(|()| tidied(raw))
}

/// A name, checked, its spaces tidied; `label` names the field in the message.
pub fn name(raw: &str, label: &str) -> Result<String, String> {
    check(raw, Kind::Name, label).map(|()| tidied(raw))
}

/// Text of several lines, its line breaks as line feeds (`\r\n` as a form sends them),
/// checked, trimmed at both ends; `label` names the field in the message.
pub fn lines(raw: &str, label: &str) -> Result<String, String> {
    let text = raw.replace("\r\n", "\n");
    check(&text, Kind::Lines, label).map(|()| text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_naming_the_field_and_the_character() {
        assert_eq!(
            line("Du\u{0}rand", "nom"),
            Err("Le champ « nom » contient un caractère de contrôle invisible (U+0000) : retirez-le.".to_owned())
        );
        for c in [
            '\u{1}', '\u{1B}', '\u{7F}', '\u{80}', '\u{85}', '\u{9F}', '\t', '\n',
        ] {
            let typed = format!("a{c}b");
            assert!(line(&typed, "sujet").is_err(), "{c:?} in one line");
            assert!(name(&typed, "nom").is_err(), "{c:?} in a name");
        }
        assert!(
            line("Dupont\u{85}", "nom")
                .unwrap_err()
                .contains("(U+0085)"),
            "a C1 control is refused though Unicode counts it as a space"
        );
        assert_eq!(
            line("  Infirmiers   du   secteur ", "sujet").as_deref(),
            Ok("Infirmiers du secteur")
        );
    }

    #[test]
    fn several_lines_keep_their_tabs_and_line_breaks_only() {
        assert_eq!(
            lines(" Bonjour,\r\n\tà demain.\n", "message").as_deref(),
            Ok("Bonjour,\n\tà demain.")
        );
        for c in [
            '\u{0}', '\u{8}', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{9B}',
        ] {
            let typed = format!("a{c}b");
            assert!(lines(&typed, "message").is_err(), "{c:?}");
        }
    }

    #[test]
    fn names_refuse_what_reorders_or_hides_letters() {
        assert_eq!(
            name("\u{202E}gpj.pdf", "nom du fichier"),
            Err("Le champ « nom du fichier » contient un caractère invisible qui inverse le sens de lecture (U+202E) : retirez-le.".to_owned())
        );
        for c in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{2066}', '\u{2069}', '\u{2060}',
            '\u{FEFF}', '\u{AD}',
        ] {
            let typed = format!("Mar{c}tin");
            assert!(name(&typed, "nom").is_err(), "{c:?}");
        }
        assert!(
            name("Jo\u{200D}sé", "prénom")
                .unwrap_err()
                .contains("sans largeur (U+200D)")
        );
        assert_eq!(
            name(" N’Diaye-Lefèvre  Ζωή ", "nom").as_deref(),
            Ok("N’Diaye-Lefèvre Ζωή")
        );
        assert_eq!(
            line("Équipe 👩\u{200D}⚕️ \u{202B}عربي\u{202C}", "sujet").as_deref(),
            Ok("Équipe 👩\u{200D}⚕️ \u{202B}عربي\u{202C}"),
            "free text keeps the emoji joiners and embeddings other scripts need"
        );
    }
}
