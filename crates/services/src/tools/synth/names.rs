//! Built-in word lists (common French given names, surnames and street names: facts, not
//! anyone's data) and the text helpers that turn a commune name into address lines.

#[rustfmt::skip]
pub(super) const GIVEN_FEMALE: &[&str] = &[
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Christine", "Sandrine", "Valérie",
    "Véronique", "Stéphanie", "Céline", "Sophie", "Anne", "Julie", "Aurélie", "Émilie",
    "Caroline", "Laure", "Claire", "Camille", "Léa", "Manon", "Chloé", "Sarah", "Laura",
    "Pauline", "Mathilde", "Marion", "Élodie", "Audrey", "Virginie", "Hélène", "Florence",
    "Corinne", "Karine", "Delphine", "Mélanie", "Charlotte", "Lucie", "Inès", "Emma",
    "Juliette", "Agnès", "Martine",
];

#[rustfmt::skip]
pub(super) const GIVEN_MALE: &[&str] = &[
    "Jean", "Pierre", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe",
    "Stéphane", "Laurent", "Frédéric", "Éric", "David", "Julien", "Sébastien", "Olivier",
    "Thierry", "Vincent", "François", "Pascal", "Jérôme", "Thomas", "Antoine", "Alexandre",
    "Maxime", "Guillaume", "Romain", "Mathieu", "Hugo", "Lucas", "Louis", "Paul", "Arnaud",
    "Benoît", "Cédric", "Damien", "Fabrice", "Franck", "Gilles", "Jacques", "Marc", "Yves",
    "Bruno", "Denis",
];

#[rustfmt::skip]
pub(super) const SURNAMES: &[&str] = &[
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
    "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
    "MULLER", "LEFEVRE", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER",
    "CHEVALIER", "FRANCOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT",
    "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU", "GAUTIER", "MASSON", "MARCHAND",
    "DUVAL", "DENIS", "DUMONT", "MARIE", "LEMAIRE", "NOEL", "MEYER", "DUFOUR", "MEUNIER",
    "BRUN", "BLANCHARD", "GIRAUD", "JOLY", "RIVIERE", "LUCAS", "BRUNET", "GAILLARD",
    "BARBIER", "ARNAUD", "MARTINEZ", "GERARD", "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX",
    "COLIN", "VIDAL", "CARON", "PICARD", "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD",
    "DUMAS", "LACROIX", "OLIVIER", "PHILIPPE", "BOURGEOIS", "PIERRE", "BENOIT", "REY",
    "LECLERC", "PAYET", "ROLLAND", "LECOMTE",
];

#[rustfmt::skip]
pub(super) const STREETS: &[&str] = &[
    "DE LA REPUBLIQUE", "VICTOR HUGO", "JEAN JAURES", "DU GENERAL DE GAULLE", "PASTEUR",
    "DES ECOLES", "DE LA GARE", "DU MARCHE", "DE L'EGLISE", "DES TILLEULS", "DU MOULIN",
    "DE LA LIBERATION", "GAMBETTA", "DE PARIS", "DU 8 MAI 1945", "DES LILAS", "DU STADE",
    "DE LA MAIRIE", "DU MARECHAL FOCH", "CARNOT", "DE LA PAIX", "DES ACACIAS", "DU CHATEAU",
    "DE LA FONTAINE", "DES PRES", "JULES FERRY", "DU COMMERCE", "DE LA POSTE", "DES JARDINS",
    "DU PORT", "SAINT MARTIN", "DE VERDUN", "DU 11 NOVEMBRE", "DES ROSES", "ANATOLE FRANCE",
    "DU PARC", "DE LA RESISTANCE", "EMILE ZOLA", "DES VIGNES", "DE LA CROIX",
];

/// Street types: code, label as written in the file, weight (codes observed in real rows).
pub(super) const STREET_TYPES: &[(&str, &str, u32)] = &[
    ("R", "Rue", 50),
    ("AV", "Avenue", 18),
    ("BD", "Boulevard", 6),
    ("PL", "Place", 8),
    ("CHE", "Chemin", 6),
    ("RTE", "Route", 5),
    ("ALL", "Allée", 4),
    ("FG", "Faubourg", 1),
];

#[rustfmt::skip]
pub(super) const PLACE_COMPLEMENTS: &[&str] = &[
    "RESIDENCE LES TILLEULS", "BATIMENT A", "BATIMENT B", "CENTRE COMMERCIAL",
    "ZONE ARTISANALE", "IMMEUBLE LE CENTRAL", "LE CLOS DES VIGNES", "ESPACE SANTE",
];

#[rustfmt::skip]
pub(super) const PHARMACY_NAMES: &[&str] = &[
    "PHARMACIE DU CENTRE", "PHARMACIE DE LA GARE", "PHARMACIE DE LA MAIRIE",
    "PHARMACIE DU MARCHE", "PHARMACIE DE L'EGLISE", "PHARMACIE DES HALLES", "PHARMACIE DU PARC",
    "PHARMACIE DE LA POSTE", "GRANDE PHARMACIE", "PHARMACIE DES ECOLES",
];

#[rustfmt::skip]
pub(super) const EHPAD_NAMES: &[&str] = &[
    "LES TILLEULS", "LES GLYCINES", "LA ROSERAIE", "LE CLOS FLEURI", "LES CHARMILLES",
    "LES JARDINS D'AUTOMNE", "LA SOURCE", "LES MAGNOLIAS",
];

/// Upper case without accents, as in the file's structure names (`Œ` becomes `OE`).
pub(super) fn fold_upper(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' | 'á' | 'Á' => out.push('A'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => out.push('E'),
            'î' | 'ï' | 'Î' | 'Ï' | 'í' => out.push('I'),
            'ô' | 'ö' | 'Ô' | 'Ö' | 'ó' => out.push('O'),
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' | 'ú' => out.push('U'),
            'ç' | 'Ç' => out.push('C'),
            'ÿ' | 'Ÿ' => out.push('Y'),
            'ñ' | 'Ñ' => out.push('N'),
            'œ' | 'Œ' => out.push_str("OE"),
            'æ' | 'Æ' => out.push_str("AE"),
            '’' => out.push('\''),
            _ => out.extend(c.to_uppercase()),
        }
    }
    out
}

/// "DE X", "D'X", "DU X", "DES X" or "DE LA X" before an upper-case commune name.
pub(super) fn of_commune(upper: &str) -> String {
    if let Some(rest) = upper.strip_prefix("LE ") {
        format!("DU {rest}")
    } else if let Some(rest) = upper.strip_prefix("LES ") {
        format!("DES {rest}")
    } else if upper.starts_with("LA ") || upper.starts_with("L'") {
        format!("DE {upper}")
    } else if upper.starts_with(['A', 'E', 'I', 'O', 'U', 'Y']) {
        format!("D'{upper}")
    } else {
        format!("DE {upper}")
    }
}

/// The postal routing line: postcode and the commune in upper case, without accents,
/// hyphens or apostrophes, SAINT(E) shortened to ST(E), as La Poste writes it.
pub(super) fn routing_line(postcode: &str, upper: &str) -> String {
    let mut line = String::from(postcode);
    for word in upper.split([' ', '-', '\'']).filter(|w| !w.is_empty()) {
        line.push(' ');
        line.push_str(match word {
            "SAINT" => "ST",
            "SAINTE" => "STE",
            _ => word,
        });
    }
    line
}

/// Removes what would break a `|`-separated line.
pub(super) fn clean(text: &str) -> String {
    text.replace(['|', '\n', '\r'], " ").trim().to_owned()
}

/// The department names, from the territory reference shipped with maillage.
const DEPARTEMENTS: &str = include_str!("../../../../../data/territory/departements.csv");

/// The name of a department, or empty when the code is unknown.
pub(super) fn departement_label(code: &str) -> String {
    let mut reader = csv::Reader::from_reader(DEPARTEMENTS.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .find(|record| record.get(0) == Some(code))
        .and_then(|record| record.get(1).map(clean))
        .unwrap_or_default()
}
