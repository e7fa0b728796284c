//! Journeys through the real pages in headless Chromium: every page met is screenshot
//! and checked with axe-core, weighed, and shown in a narrow window without sideways
//! scrolling.

use crate::support::PASSWORD;
use crate::support::browser::{start, without_second_factor};
use crate::support::fixtures::directory::import_sample;
use maillage_services::Settings;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_sets_up_a_cpts_and_a_member_joins_it() {
    let Some((t, b)) = start(Settings::default()).await else {
        return;
    };
    t.user("admin@hote.fr", "admin", "").await;

    b.open("/").await;
    assert_eq!(b.path().await, "/connexion");
    b.inspect("01-connexion").await;

    b.log_in("admin@hote.fr", "pas le bon mot de passe").await;
    assert!(b.main_text().await.contains("incorrect"));
    b.inspect("02-connexion-refusee").await;

    // An administrator must enrol a second factor before anything else.
    b.log_in("admin@hote.fr", PASSWORD).await;
    assert_eq!(b.path().await, "/compte/double-authentification");
    b.inspect("03-activation-double-authentification").await;
    let key = b.text_of("#cle-totp").await;
    let secret = totp_rs::Secret::Encoded(key).to_bytes().unwrap();
    let code = maillage_domain::platform::totp::code_at(&secret, t.clock.now_u64());
    b.fill("f-code", &code).await;
    b.press("Activer").await;
    b.open("/").await;
    assert!(b.main_text().await.contains("Bonjour"));
    b.inspect("04-accueil-administrateur").await;

    b.open("/administration/cpts").await;
    b.fill("f-name", "CPTS Thur Doller").await;
    b.fill("f-slug", "Thur Doller").await;
    b.press("Créer la CPTS").await;
    assert!(b.main_text().await.contains("Identifiant"));
    b.inspect("05-cpts-identifiant-invalide").await;
    b.fill("f-slug", "thur-doller").await;
    b.press("Créer la CPTS").await;
    assert!(b.text_of("tbody").await.contains("CPTS Thur Doller"));
    b.inspect("06-cpts-creee").await;

    b.open("/utilisateurs").await;
    b.fill("f-email", "medecin@thur-doller.fr").await;
    b.fill("f-display_name", "Dr Claire Martin").await;
    b.select("f-role", "member").await;
    b.select("f-cpts", "thur-doller").await;
    b.press("Créer l’invitation").await;
    let link = b.text_of("#lien-invitation").await;
    b.inspect("07-invitation-creee").await;

    b.open("/journal").await;
    assert!(b.text_of("tbody").await.contains("invitation.create"));
    b.inspect("08-journal").await;

    b.press("Se déconnecter").await;
    assert_eq!(b.path().await, "/connexion");

    // The invitee opens the link, chooses a password and logs in.
    let path = link.strip_prefix(&t.base).expect("a link to this host");
    b.open(path).await;
    assert!(b.main_text().await.contains("Dr Claire Martin"));
    b.inspect("09-invitation-ouverte").await;
    b.fill("f-password", "une phrase de passe assez longue")
        .await;
    b.fill("f-confirm_password", "une autre phrase de passe")
        .await;
    b.press("Créer mon compte").await;
    assert!(b.main_text().await.contains("ne sont pas identiques"));
    b.inspect("10-invitation-confirmation-differente").await;
    b.fill("f-password", "une phrase de passe assez longue")
        .await;
    b.fill("f-confirm_password", "une phrase de passe assez longue")
        .await;
    b.press("Créer mon compte").await;
    assert_eq!(b.path().await, "/connexion");

    b.log_in("medecin@thur-doller.fr", "une phrase de passe assez longue")
        .await;
    assert_eq!(b.path().await, "/");
    let home = b.main_text().await;
    assert!(home.contains("Dr Claire Martin"), "{home}");
    let missions = b.text_of("nav.missions").await;
    for mission in ["Médecin traitant", "Soins non programmés", "Messagerie"] {
        assert!(
            missions.contains(mission),
            "{mission} missing from {missions}"
        );
    }
    b.inspect("11-accueil-membre").await;

    b.open("/parcours").await;
    assert!(b.main_text().await.contains("pas encore"));
    b.inspect("12-mission-a-venir").await;

    b.open("/compte").await;
    b.inspect("13-mon-compte").await;

    // Back as the administrator: the second factor is now asked at each login.
    b.press("Se déconnecter").await;
    b.log_in("admin@hote.fr", PASSWORD).await;
    assert_eq!(b.path().await, "/connexion/code");
    b.inspect("14-connexion-code").await;
    t.clock.advance(30);
    let code = maillage_domain::platform::totp::code_at(&secret, t.clock.now_u64());
    b.fill("f-code", &code).await;
    b.press("Valider").await;
    assert_eq!(b.path().await, "/");

    b.open("/cpts/thur-doller").await;
    assert!(b.main_text().await.contains("CPTS Thur Doller"));
    b.inspect("15-fiche-cpts").await;
    b.open("/cpts/inconnue").await;
    assert!(b.main_text().await.contains("introuvable"));
    b.inspect("16-page-introuvable").await;

    // The home page on a phone.
    b.client.set_window_size(390, 844).await.unwrap();
    b.open("/").await;
    let overflow: bool = b
        .client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    assert!(!overflow, "the home page scrolls sideways on a phone");
    b.inspect("17-accueil-telephone").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_draws_a_perimeter_and_members_see_it() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    t.load_territory().await;
    t.cpts("bassin-minier").await;
    t.user("admin@hote.fr", "admin", "").await;
    t.user("medecin@bassin.fr", "member", "bassin-minier").await;

    b.log_in("admin@hote.fr", PASSWORD).await;
    b.open("/cpts/bassin-minier").await;
    b.follow("Périmètre de la CPTS").await;
    b.fill("f-q", "gardanne").await;
    b.press("Chercher").await;
    b.inspect("21-perimetre-recherche").await;
    b.press_labelled("Ajouter Gardanne").await;
    b.fill("f-q", "13780").await;
    b.press("Chercher").await;
    b.press_labelled("Ajouter Cuges-les-Pins").await;
    b.fill("f-epci", "20005480").await;
    b.press("Ajouter l’EPCI").await;
    assert!(b.text_of("#f-epci-error").await.contains("SIREN"));
    b.inspect("22-perimetre-epci-invalide").await;
    let status = b.text_of("p.lead").await;
    assert!(status.starts_with("2 communes"), "{status}");
    b.inspect("23-perimetre-deux-communes").await;
    b.press_labelled("Retirer Cuges-les-Pins").await;
    let status = b.text_of("p.lead").await;
    assert!(status.starts_with("1 commune,"), "{status}");
    b.press("Se déconnecter").await;

    b.log_in("medecin@bassin.fr", PASSWORD).await;
    b.open("/territoire").await;
    let table = b.text_of("table.perimeter").await;
    assert!(
        table.contains("Gardanne") && !table.contains("Cuges"),
        "{table}"
    );
    b.inspect("24-territoire-membre").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_finds_a_colleague_in_the_directory() {
    let Some((t, b)) = start(without_second_factor()).await else {
        return;
    };
    t.load_territory().await;
    import_sample(&t).await;
    t.aix_cpts("aix", "CPTS aix").await;
    t.user("infirmiere@aix.fr", "member", "aix").await;
    t.user("coordination@aix.fr", "coordinator", "aix").await;

    b.log_in("infirmiere@aix.fr", PASSWORD).await;
    b.follow("Annuaire").await;
    b.inspect("31-annuaire").await;
    b.select("f-profession", "10").await;
    b.fill("f-commune", "Cabriès").await;
    b.fill("f-rayon", "10").await;
    b.press("Chercher").await;
    let heading = b.text_of("#resultats").await;
    assert!(
        heading.contains("dans un rayon de 10 km autour de Cabriès"),
        "{heading}"
    );
    let first = b.text_of("table.results tbody tr").await;
    assert!(
        first.contains("RESTANQUE") && first.contains("0,0 km"),
        "{first}"
    );
    b.inspect("32-annuaire-resultats").await;
    b.follow("Dr Aline ARBOUSIER").await;
    let sites = b.text_of("tbody").await;
    assert!(
        sites.contains("Bouc-Bel-Air") && sites.contains("Aix-en-Provence"),
        "{sites}"
    );
    b.inspect("33-fiche-professionnel").await;
    b.press("Se déconnecter").await;

    // The coordinator makes Dr Arbousier a member, who then accepts new patients.
    b.log_in("coordination@aix.fr", PASSWORD).await;
    b.open("/annuaire?nom=arbousier").await;
    b.follow("Dr Aline ARBOUSIER").await;
    b.press("Ajouter comme adhérent de la CPTS").await;
    let member_page = b.path().await;
    assert!(member_page.starts_with("/adherents/"));
    b.inspect("34-adherent").await;
    b.tick("input[name=accepts_new_patients]").await;
    b.fill("f-new_patients_per_month", "trois").await;
    b.press("Enregistrer").await;
    assert!(
        b.text_of("#f-new_patients_per_month-error")
            .await
            .contains("entre 0 et 200")
    );
    b.inspect("35-adherent-reglage-invalide").await;
    b.fill("f-new_patients_per_month", "3").await;
    b.press("Enregistrer").await;
    b.follow("Annuaire").await;
    b.follow("Liste des adhérents de la CPTS").await;
    assert!(b.text_of("tbody").await.contains("(3 par mois)"));
    b.inspect("36-adherents").await;

    // The coordinator invites Dr Arbousier, whose new account is linked to the member.
    b.open(&member_page).await;
    b.fill("f-invitation_email", "arbousier@cabinet.fr").await;
    b.press("Créer l’invitation").await;
    let link = b.text_of("#lien-invitation").await;
    b.inspect("37-adherent-invitation").await;
    b.press("Se déconnecter").await;
    b.open(link.strip_prefix(&t.base).expect("a link to this host"))
        .await;
    assert!(b.main_text().await.contains("ARBOUSIER"));
    b.fill("f-password", PASSWORD).await;
    b.fill("f-confirm_password", PASSWORD).await;
    b.press("Créer mon compte").await;
    b.log_in("arbousier@cabinet.fr", PASSWORD).await;
    b.open(&member_page).await;
    assert!(
        b.main_text().await.contains("Enregistrer"),
        "the member sets their own settings"
    );
    b.inspect("38-adherent-compte-lie").await;
}
