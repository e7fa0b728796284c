//! What kind of slot a professional publishes: where the consultation happens (in person,
//! teleconsultation, home visit) and who may book it (the visibility types of the TRE_R314
//! code list).

/// Where the consultation takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    InPerson,
    Teleconsultation,
    HomeVisit,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::InPerson, Mode::Teleconsultation, Mode::HomeVisit];

    pub fn code(self) -> &'static str {
        match self {
            Mode::InPerson => "in_person",
            Mode::Teleconsultation => "teleconsultation",
            Mode::HomeVisit => "home_visit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::InPerson => "Au cabinet",
            Mode::Teleconsultation => "Téléconsultation",
            Mode::HomeVisit => "Visite à domicile",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw).ok_or_else(|| {
            "Choisissez : au cabinet, téléconsultation ou visite à domicile.".to_owned()
        })
    }

    /// The modes that suit a patient who can travel (`true`) or cannot.
    pub fn for_mobility(mobile: bool) -> &'static [Mode] {
        if mobile {
            &[Mode::InPerson, Mode::Teleconsultation]
        } else {
            &[Mode::HomeVisit, Mode::Teleconsultation]
        }
    }
}

/// Who may book a slot (TRE_R314).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Anyone, patients included.
    Public,
    /// Health professionals.
    Pro,
    /// The SAS regulation (unscheduled care).
    Snp,
    /// The CPTS's coordination.
    Cpts,
}

impl Visibility {
    pub const ALL: [Visibility; 4] = [
        Visibility::Public,
        Visibility::Pro,
        Visibility::Snp,
        Visibility::Cpts,
    ];

    /// The TRE_R314 code.
    pub fn code(self) -> &'static str {
        match self {
            Visibility::Public => "PUBLIC",
            Visibility::Pro => "PRO",
            Visibility::Snp => "SNP",
            Visibility::Cpts => "CPTS",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Tout public",
            Visibility::Pro => "Professionnels de santé",
            Visibility::Snp => "Régulation SAS",
            Visibility::Cpts => "Coordination de la CPTS",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code.trim())
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_code(raw).ok_or_else(|| "Choisissez qui peut réserver ce créneau.".to_owned())
    }
}
