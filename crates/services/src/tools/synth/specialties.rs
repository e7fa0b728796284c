//! The medical specialties (TRE_R38) of the synthetic specialists and the roles of the
//! synthetic pharmacists: our own approximation of their mix, not a published figure.

use super::calibration::Establishment;

/// One medical specialty other than general practice.
pub(super) struct Specialty {
    pub code: &'static str,
    /// The label written in the file: the NOS display without its "(SM)" suffix (the
    /// observed file label for SM04).
    pub label: &'static str,
    /// Relative weight, per mille of the specialists (approximate national mix).
    pub weight: u32,
    pub liberal: f64,
    pub mixed: f64,
    /// Name of its cabinets (followed by a surname).
    pub cabinet: &'static str,
    /// Liberal practice often in a private clinic (SA04) rather than a cabinet.
    pub clinic: bool,
    /// Where its salaried members work.
    pub employer: Establishment,
}

const fn sp(
    code: &'static str,
    label: &'static str,
    weight: u32,
    liberal: f64,
    mixed: f64,
    cabinet: &'static str,
    clinic: bool,
) -> Specialty {
    Specialty {
        code,
        label,
        weight,
        liberal,
        mixed,
        cabinet,
        clinic,
        employer: Establishment::Hospital,
    }
}

#[rustfmt::skip]
pub(super) const SPECIALTIES: &[Specialty] = &[
    sp("SM02", "Anesthésie-réanimation", 92, 0.30, 0.08, "CABINET D'ANESTHESIE", true),
    sp("SM42", "Psychiatrie", 100, 0.25, 0.10, "CABINET DE PSYCHIATRIE", false),
    sp("SM43", "Psychiatrie, option enfant et adolescent", 18, 0.15, 0.10, "CABINET DE PEDOPSYCHIATRIE", false),
    sp("SM44", "Radio-diagnostic", 45, 0.55, 0.10, "CABINET DE RADIOLOGIE", false),
    sp("SM74", "Radiologie imagerie médicale", 24, 0.55, 0.10, "CENTRE D'IMAGERIE MEDICALE", false),
    sp("SM04", "Cardiologie et Maladies Vasculaires", 62, 0.45, 0.15, "CABINET DE CARDIOLOGIE", false),
    sp("SM40", "Pédiatrie", 68, 0.25, 0.10, "CABINET DE PEDIATRIE", false),
    sp("SM20", "Gynécologie-obstétrique", 44, 0.35, 0.15, "CABINET DE GYNECOLOGIE", true),
    sp("SM19", "Gynécologie médicale", 8, 0.70, 0.10, "CABINET DE GYNECOLOGIE", false),
    sp("SM38", "Ophtalmologie", 45, 0.75, 0.10, "CABINET D'OPHTALMOLOGIE", false),
    sp("SM15", "Dermatologie et Vénéréologie", 30, 0.70, 0.15, "CABINET DE DERMATOLOGIE", false),
    sp("SM24", "Gastro-entérologie et Hépatologie", 30, 0.40, 0.15, "CABINET DE GASTRO-ENTEROLOGIE", true),
    sp("SM41", "Pneumologie", 24, 0.30, 0.10, "CABINET DE PNEUMOLOGIE", false),
    sp("SM48", "Rhumatologie", 20, 0.50, 0.15, "CABINET DE RHUMATOLOGIE", false),
    sp("SM34", "ORL et Chirurgie cervico-faciale", 23, 0.55, 0.10, "CABINET D'ORL", true),
    sp("SM32", "Neurologie", 23, 0.25, 0.10, "CABINET DE NEUROLOGIE", false),
    Specialty { employer: Establishment::OccupationalHealth, ..sp("SM25", "Médecine du travail", 38, 0.0, 0.0, "", false) },
    sp("SM08", "Chirurgie orthopédique et Traumatologie", 30, 0.55, 0.10, "CABINET DE CHIRURGIE ORTHOPEDIQUE", true),
    sp("SM14", "Chirurgie viscérale et digestive", 20, 0.35, 0.10, "CABINET DE CHIRURGIE VISCERALE", true),
    sp("SM05", "Chirurgie générale", 8, 0.35, 0.10, "CABINET DE CHIRURGIE", true),
    sp("SM12", "Chirurgie urologique", 11, 0.55, 0.10, "CABINET D'UROLOGIE", true),
    sp("SM62", "Endocrinologie, diabétologie, nutrition", 15, 0.40, 0.10, "CABINET D'ENDOCRINOLOGIE", false),
    sp("SM30", "Néphrologie", 16, 0.20, 0.05, "CABINET DE NEPHROLOGIE", false),
    sp("SM18", "Gériatrie", 19, 0.03, 0.02, "CABINET DE GERIATRIE", false),
    sp("SM27", "Médecine interne", 20, 0.05, 0.05, "CABINET DE MEDECINE INTERNE", false),
    sp("SM59", "Médecine d'urgence", 30, 0.0, 0.02, "", false),
    sp("SM36", "Oncologie, option médicale", 12, 0.10, 0.05, "CABINET D'ONCOLOGIE", false),
    sp("SM37", "Oncologie, option radiothérapie", 7, 0.30, 0.05, "CENTRE DE RADIOTHERAPIE", true),
    sp("SM01", "Anatomie et Cytologie pathologiques", 12, 0.40, 0.05, "CABINET D'ANATOMIE PATHOLOGIQUE", false),
    sp("SM29", "Médecine physique et de réadaptation", 17, 0.15, 0.05, "CABINET DE MEDECINE PHYSIQUE", false),
    sp("SM49", "Santé publique et médecine sociale", 12, 0.0, 0.0, "", false),
    sp("SM21", "Hématologie", 5, 0.05, 0.05, "CABINET D'HEMATOLOGIE", false),
    sp("SM10", "Chirurgie plastique reconstructrice et esthétique", 7, 0.70, 0.10, "CABINET DE CHIRURGIE PLASTIQUE", true),
    sp("SM50", "Stomatologie", 6, 0.70, 0.10, "CABINET DE STOMATOLOGIE", false),
    sp("SM28", "Médecine nucléaire", 5, 0.30, 0.05, "CABINET DE MEDECINE NUCLEAIRE", true),
    sp("SM31", "Neuro-chirurgie", 4, 0.20, 0.05, "CABINET DE NEUROCHIRURGIE", true),
    sp("SM13", "Chirurgie vasculaire", 4, 0.50, 0.10, "CABINET DE CHIRURGIE VASCULAIRE", true),
    sp("SM11", "Chirurgie thoracique et cardio-vasculaire", 5, 0.25, 0.05, "CABINET DE CHIRURGIE THORACIQUE", true),
    sp("SM46", "Médecine intensive-réanimation", 5, 0.0, 0.0, "", false),
    sp("SM58", "Maladies infectieuses et tropicales", 3, 0.0, 0.02, "CABINET D'INFECTIOLOGIE", false),
    sp("SM57", "Allergologie", 2, 0.60, 0.10, "CABINET D'ALLERGOLOGIE", false),
    sp("SM17", "Génétique médicale", 2, 0.0, 0.0, "", false),
    Specialty { employer: Establishment::Lab, ..sp("SM03", "Biologie médicale", 17, 0.60, 0.05, "", false) },
    sp("SM61", "Médecine vasculaire", 10, 0.65, 0.10, "CABINET D'ANGIOLOGIE", false),
];

/// The sum of [`SPECIALTIES`] weights.
pub(super) fn total_weight() -> u32 {
    SPECIALTIES.iter().map(|s| s.weight).sum()
}

/// What a pharmacist does: section of the Ordre's table and where.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum PharmacistRole {
    /// Titulaire d'officine (liberal, section A, or E overseas).
    Owner,
    /// Adjoint d'officine (salaried, section D, or E overseas).
    Assistant,
    /// Hospital pharmacist (salaried, section H).
    Hospital,
    /// Biologist in a laboratory (liberal, section G).
    Biologist,
}

/// Shares of the pharmacists' roles (approximate).
pub(super) const PHARMACIST_ROLES: &[(PharmacistRole, f64)] = &[
    (PharmacistRole::Owner, 0.42),
    (PharmacistRole::Assistant, 0.40),
    (PharmacistRole::Hospital, 0.12),
    (PharmacistRole::Biologist, 0.06),
];

impl PharmacistRole {
    /// `Code section tableau pharmaciens` and its label (labels are illustrative: no real
    /// row with them was seen, except H).
    pub(super) fn section(self, overseas: bool) -> (&'static str, &'static str) {
        match self {
            Self::Owner | Self::Assistant if overseas => ("E", "Pharmacien exerçant outre-mer"),
            Self::Owner => ("A", "Pharmacien titulaire d'officine"),
            Self::Assistant => ("D", "Pharmacien adjoint d'officine et autres exercices"),
            Self::Hospital => ("H", "Pharmacien d'établissement de santé"),
            Self::Biologist => ("G", "Pharmacien biologiste"),
        }
    }
}
