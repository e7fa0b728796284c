//! The reasons (motifs) an unscheduled-care request is recorded under: a short list that
//! the indicators count by and cooperation protocols match on, with a free detail beside.

/// A reason for an unscheduled-care request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    Fever,
    UrinaryBurning,
    SoreThroat,
    AnkleSprain,
    BackPain,
    Wound,
    Respiratory,
    Skin,
    Pain,
    Prescription,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 11] = [
        Reason::Fever,
        Reason::UrinaryBurning,
        Reason::SoreThroat,
        Reason::AnkleSprain,
        Reason::BackPain,
        Reason::Wound,
        Reason::Respiratory,
        Reason::Skin,
        Reason::Pain,
        Reason::Prescription,
        Reason::Other,
    ];

    /// The code requests are stored and exchanged with.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Fever => "fever",
            Reason::UrinaryBurning => "urinary_burning",
            Reason::SoreThroat => "sore_throat",
            Reason::AnkleSprain => "ankle_sprain",
            Reason::BackPain => "back_pain",
            Reason::Wound => "wound",
            Reason::Respiratory => "respiratory",
            Reason::Skin => "skin",
            Reason::Pain => "pain",
            Reason::Prescription => "prescription",
            Reason::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reason::Fever => "Fièvre",
            Reason::UrinaryBurning => "Brûlures urinaires (cystite)",
            Reason::SoreThroat => "Mal de gorge",
            Reason::AnkleSprain => "Entorse de la cheville",
            Reason::BackPain => "Lombalgie aiguë",
            Reason::Wound => "Plaie, suture, pansement",
            Reason::Respiratory => "Toux, infection respiratoire",
            Reason::Skin => "Éruption, piqûre, problème de peau",
            Reason::Pain => "Autre douleur aiguë",
            Reason::Prescription => "Ordonnance à renouveler d’urgence",
            Reason::Other => "Autre motif",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw).ok_or_else(|| "Choisissez le motif dans la liste.".to_owned())
    }
}
