//! How the audit trail's codes read in French on the journal page: each action recorded,
//! and the kinds of object an action is about. The codes stay in the trail itself.

/// Every action the platform records: (code, what happened).
const ACTIONS: [(&str, &str); 82] = [
    (
        "account.sas_operator_id",
        "Identifiant d’opérateur SAS modifié",
    ),
    ("alert.acknowledge", "Alerte : réception confirmée"),
    ("alert.broadcast", "Alerte diffusée"),
    ("alert.remind", "Alerte : relance des destinataires"),
    ("api_token.create", "Jeton d’API créé"),
    ("api_token.revoke", "Jeton d’API révoqué"),
    ("attachment.read", "Pièce jointe ouverte"),
    ("audit.read", "Journal d’audit consulté"),
    (
        "audit.chain.keyed",
        "Journal d’audit scellé par la clé de l’hébergeur",
    ),
    ("auth.login", "Connexion"),
    ("auth.logout", "Déconnexion"),
    ("auth.password_change", "Mot de passe changé"),
    ("auth.second_factor", "Code de second facteur saisi"),
    ("auth.second_factor_enrol", "Second facteur activé"),
    ("auth.session_expired", "Session expirée"),
    ("cpts.create", "CPTS créée"),
    ("cpts.identity", "Identité de la CPTS modifiée"),
    ("directory.import", "Annuaire national importé"),
    ("finess.import", "Fichier FINESS importé"),
    ("gp_proposal.accept", "Proposition de patient acceptée"),
    (
        "gp_proposal.accept_by_link",
        "Proposition de patient acceptée par lien",
    ),
    ("gp_proposal.create", "Patient proposé à un médecin"),
    ("gp_proposal.decline", "Proposition de patient déclinée"),
    (
        "gp_proposal.decline_by_link",
        "Proposition de patient déclinée par lien",
    ),
    ("gp_proposal.list", "Propositions de patients consultées"),
    ("gp_proposal.remind", "Proposition de patient relancée"),
    (
        "gp_proposal.view_link",
        "Proposition de patient ouverte par lien",
    ),
    ("gp_request.close", "Demande de médecin traitant close"),
    (
        "gp_request.create",
        "Demande de médecin traitant enregistrée",
    ),
    ("gp_request.found", "Médecin traitant trouvé"),
    ("gp_request.list", "Liste d’attente consultée"),
    (
        "gp_request.list_departing",
        "Patients d’un médecin qui part consultés",
    ),
    (
        "gp_request.merge",
        "Demandes de médecin traitant fusionnées",
    ),
    ("gp_request.priority", "Priorité d’une demande modifiée"),
    (
        "gp_request.purge",
        "Demandes de médecin traitant anonymisées",
    ),
    ("gp_request.read", "Demande de médecin traitant consultée"),
    ("gp_request.remind_stale", "Demandes anciennes relancées"),
    (
        "gp_waitlist.indicators",
        "Indicateurs du médecin traitant consultés",
    ),
    ("gp_waitlist.reminders", "Réglage des relances modifié"),
    ("gp_waitlist.rules", "Règles de priorité modifiées"),
    ("invitation.accept", "Invitation acceptée"),
    ("invitation.create", "Invitation envoyée"),
    ("member.add", "Adhérent ajouté"),
    ("member.link", "Compte lié à un adhérent"),
    ("member.settings", "Réglages d’un adhérent modifiés"),
    ("message.post", "Message envoyé"),
    ("message.search", "Recherche dans la messagerie"),
    ("messaging.retention", "Messages anciens effacés"),
    (
        "notifications.preferences",
        "Préférences de notification modifiées",
    ),
    ("snp.absence.create", "Absence déclarée"),
    ("snp.absence.delete", "Absence retirée"),
    ("snp.calendar.renew", "Lien d’agenda renouvelé"),
    (
        "snp.indicators",
        "Indicateurs des soins non programmés consultés",
    ),
    ("snp.rule.create", "Créneaux réguliers publiés"),
    ("snp.rule.delete", "Créneaux réguliers retirés"),
    ("snp.slot.create", "Créneau ponctuel publié"),
    ("snp.slot.delete", "Créneau ponctuel retiré"),
    (
        "snp_booking.agenda",
        "Agenda de soins non programmés consulté",
    ),
    ("snp_booking.cancel", "Rendez-vous annulé"),
    ("snp_booking.create", "Rendez-vous réservé"),
    ("snp_booking.outcome", "Suite d’un rendez-vous notée"),
    ("snp_booking.reschedule", "Rendez-vous déplacé"),
    ("snp_protocol.create", "Protocole de coopération créé"),
    ("snp_protocol.delete", "Protocole de coopération supprimé"),
    ("snp_request.close", "Demande de soins non programmés close"),
    (
        "snp_request.create",
        "Demande de soins non programmés enregistrée",
    ),
    (
        "snp_request.list",
        "Demandes de soins non programmés consultées",
    ),
    (
        "snp_request.purge",
        "Demandes de soins non programmés anonymisées",
    ),
    (
        "snp_request.read",
        "Demande de soins non programmés consultée",
    ),
    (
        "snp_request.update",
        "Demande de soins non programmés corrigée",
    ),
    (
        "snp_request.call",
        "Appel au patient d’une demande de soins non programmés",
    ),
    ("statistics.import", "Statistiques publiques importées"),
    ("territory.perimeter.set", "Périmètre de la CPTS modifié"),
    ("thread.archive", "Fil de coordination archivé"),
    ("thread.create", "Fil de coordination ouvert"),
    ("thread.leave", "Fil de coordination quitté"),
    ("thread.list", "Fils de coordination consultés"),
    ("thread.member_add", "Participant ajouté à un fil"),
    ("thread.purge", "Fils de coordination anciens effacés"),
    ("thread.read", "Fil de coordination lu"),
    ("user.create", "Compte créé"),
    ("user.list", "Comptes consultés"),
];

/// The kinds of object an action is about: (code, name).
const OBJECTS: [(&str, &str); 15] = [
    ("alert", "alerte"),
    ("api_token", "jeton d’API"),
    ("attachment", "pièce jointe"),
    ("cpts", "CPTS"),
    ("directory_import", "import de l’annuaire"),
    ("gp_request", "demande de médecin traitant"),
    ("invitation", "invitation"),
    ("member", "adhérent"),
    ("snp_booking", "rendez-vous"),
    ("snp_protocol", "protocole"),
    ("snp_request", "demande de soins non programmés"),
    ("statistics", "statistiques"),
    ("thread", "fil"),
    ("threads", "fils"),
    ("user", "compte"),
];

/// What an action code says happened, if the code is known.
pub fn action_label(code: &str) -> Option<&'static str> {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// The name of a kind of object, if the kind is known.
pub fn object_label(kind: &str) -> Option<&'static str> {
    OBJECTS
        .iter()
        .find(|(c, _)| *c == kind)
        .map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_reads_once() {
        for list in [&ACTIONS[..], &OBJECTS[..]] {
            let mut codes: Vec<&str> = list.iter().map(|(code, _)| *code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.len(), "a code listed twice");
        }
        assert_eq!(
            action_label("snp_booking.cancel"),
            Some("Rendez-vous annulé")
        );
        assert_eq!(object_label("member"), Some("adhérent"));
        assert_eq!(action_label("unknown.code"), None);
    }
}
