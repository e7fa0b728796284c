//! Logging in and out, throttling, session expiry, CSRF, and the TOTP second factor.

use crate::support::{
    PASSWORD, TestApp, accept_invitation, both, csrf_of, invitation_path, location,
    post_enrolment_code, text_between,
};

async fn login_opens_a_session_and_logout_ends_it(t: TestApp) {
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    let home = client.get(t.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 303);
    assert_eq!(location(&home), "/connexion");

    let login = t.login(&client, "Medecin@A.fr", PASSWORD).await;
    assert_eq!(login.status(), 303);
    assert_eq!(location(&login), "/");
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .find(|c| c.starts_with("maillage_session="))
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain-http localhost: {cookie}");
    let page = t.page(&client, "/").await;
    assert!(page.contains("Bonjour Personne Test"));
    for label in [
        "Médecin traitant",
        "Soins non programmés",
        "Parcours",
        "Prévention",
        "Crise",
        "Qualité",
        "Accompagnement",
        "Territoire",
        "Annuaire",
        "Messagerie",
        "Indicateurs",
    ] {
        assert!(page.contains(label), "navigation lacks {label}");
    }
    let area = t.page(&client, "/crise").await;
    assert!(area.contains("pas encore disponible"));

    let csrf = csrf_of(&page);
    let out = client
        .post(t.url("/deconnexion"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&out), "/connexion");
    assert_eq!(client.get(t.url("/")).send().await.unwrap().status(), 303);
}
both!(login_opens_a_session_and_logout_ends_it);

async fn wrong_passwords_are_refused_then_throttled(t: TestApp) {
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    let wrong = t
        .login(&client, "medecin@a.fr", "pas le bon mot de passe")
        .await;
    assert_eq!(wrong.status(), 200);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Adresse e-mail ou mot de passe incorrect.")
    );
    let unknown = t
        .login(&client, "personne@a.fr", PASSWORD)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        unknown.contains("Adresse e-mail ou mot de passe incorrect."),
        "same answer for an unknown account"
    );
    for _ in 0..4 {
        t.login(&client, "medecin@a.fr", "encore faux encore faux")
            .await;
    }
    // Five failures from this address: each further attempt from it waits, twice as long
    // after each failure.
    let blocked = t.login(&client, "medecin@a.fr", PASSWORD).await;
    assert_eq!(blocked.status(), 429);
    assert!(
        blocked
            .text()
            .await
            .unwrap()
            .contains("Trop de tentatives échouées : réessayez dans 30 secondes.")
    );
    t.clock.advance(31);
    t.login(&client, "medecin@a.fr", "toujours faux toujours")
        .await;
    t.clock.advance(31);
    let blocked = t.login(&client, "medecin@a.fr", PASSWORD).await;
    assert_eq!(blocked.status(), 429, "a minute after the sixth failure");
    // The guesser does not lock the doctor out: from their own address they log in.
    let doctor = t.client_from("198.51.100.20");
    assert_eq!(
        location(&t.login(&doctor, "medecin@a.fr", PASSWORD).await),
        "/"
    );
    t.clock.advance(30);
    assert_eq!(
        location(&t.login(&client, "medecin@a.fr", PASSWORD).await),
        "/"
    );
}
both!(wrong_passwords_are_refused_then_throttled);

async fn sessions_expire_when_idle_and_after_twelve_hours(t: TestApp) {
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    t.login(&client, "medecin@a.fr", PASSWORD).await;
    t.clock.advance(29 * 60);
    assert_eq!(
        client.get(t.url("/")).send().await.unwrap().status(),
        200,
        "29 minutes idle is fine"
    );
    t.clock.advance(31 * 60);
    assert_eq!(
        client.get(t.url("/")).send().await.unwrap().status(),
        303,
        "31 minutes idle ends it"
    );

    t.login(&client, "medecin@a.fr", PASSWORD).await;
    for _ in 0..36 {
        t.clock.advance(20 * 60);
        assert_eq!(client.get(t.url("/")).send().await.unwrap().status(), 200);
    }
    t.clock.advance(20 * 60);
    assert_eq!(
        client.get(t.url("/")).send().await.unwrap().status(),
        303,
        "past 12 hours"
    );
}
both!(sessions_expire_when_idle_and_after_twelve_hours);

async fn forms_without_their_csrf_token_are_refused(t: TestApp) {
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    let anonymous = client
        .post(t.url("/connexion"))
        .form(&[("email", "medecin@a.fr"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 403);
    t.login(&client, "medecin@a.fr", PASSWORD).await;
    let forged = client
        .post(t.url("/compte/jetons"))
        .form(&[("csrf", "forged"), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged.text().await.unwrap().contains("Formulaire expiré"));
}
both!(forms_without_their_csrf_token_are_refused);

fn secret_of(page: &str) -> Vec<u8> {
    let base32 =
        text_between(page, "<code id=\"cle-totp\">", "</code>").expect("the TOTP key on the page");
    totp_rs::Secret::Encoded(base32).to_bytes().unwrap()
}

async fn coordinators_must_enrol_a_second_factor_and_then_use_it(t: TestApp) {
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let client = t.client();
    let login = t.login(&client, "coord@a.fr", PASSWORD).await;
    assert_eq!(location(&login), "/compte/double-authentification");
    assert_eq!(
        location(&client.get(t.url("/")).send().await.unwrap()),
        "/compte/double-authentification"
    );
    let page = t.page(&client, "/compte/double-authentification").await;
    assert!(page.contains("<svg"), "QR code drawn on the server");
    let secret = secret_of(&page);
    let wrong = post_enrolment_code(&t, &client, "000000").await;
    assert!(wrong.text().await.unwrap().contains("Code incorrect"));
    let code = maillage_domain::platform::totp::code_at(&secret, t.clock.now_u64());
    let ok = post_enrolment_code(&t, &client, &code).await;
    assert_eq!(location(&ok), "/compte");
    assert_eq!(client.get(t.url("/")).send().await.unwrap().status(), 200);

    let again = t.client();
    assert_eq!(
        location(&t.login(&again, "coord@a.fr", PASSWORD).await),
        "/connexion/code"
    );
    assert_eq!(
        location(&again.get(t.url("/")).send().await.unwrap()),
        "/connexion/code"
    );
    let replay = t
        .post_form(
            &again,
            "/connexion/code",
            "/connexion/code",
            &[("code", &code)],
        )
        .await;
    assert!(
        replay.text().await.unwrap().contains("Code incorrect"),
        "a used code cannot be replayed"
    );
    t.clock.advance(30);
    let fresh = maillage_domain::platform::totp::code_at(&secret, t.clock.now_u64());
    let passed = t
        .post_form(
            &again,
            "/connexion/code",
            "/connexion/code",
            &[("code", &fresh)],
        )
        .await;
    assert_eq!(location(&passed), "/");
}

both!(
    coordinators_must_enrol_a_second_factor_and_then_use_it,
    maillage_services::Settings::default()
);

async fn an_invitation_creates_an_account_once(t: TestApp) {
    t.cpts("a").await;
    t.user("admin@host.fr", "admin", "").await;
    let admin = t.client();
    t.login(&admin, "admin@host.fr", PASSWORD).await;
    let bad = t
        .post_form(
            &admin,
            "/utilisateurs",
            "/utilisateurs/invitations",
            &[
                ("email", "pas-une-adresse"),
                ("display_name", "Inès"),
                ("role", "member"),
                ("cpts", "a"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    assert!(
        bad.contains("f-email-error") && bad.contains("Adresse e-mail invalide"),
        "error next to its field"
    );
    let page = t
        .post_form(
            &admin,
            "/utilisateurs",
            "/utilisateurs/invitations",
            &[
                ("email", "ines@a.fr"),
                ("display_name", "Inès Infirmière"),
                ("role", "member"),
                ("cpts", "a"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    let path = &invitation_path(&page);

    let invitee = t.client();
    let form = t.page(&invitee, path).await;
    assert!(form.contains("Inès Infirmière"));
    let short = accept_invitation(&t, &invitee, &form, "court", "court").await;
    assert_eq!(short.status(), 422);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("au moins 12 caractères")
    );
    let done = accept_invitation(&t, &invitee, &form, PASSWORD, PASSWORD).await;
    assert_eq!(location(&done), "/connexion");
    assert_eq!(
        location(&t.login(&invitee, "ines@a.fr", PASSWORD).await),
        "/"
    );
    let reused = t.client().get(t.url(path)).send().await.unwrap();
    assert_eq!(reused.status(), 404, "single use");
}
both!(an_invitation_creates_an_account_once);

impl crate::support::TestClock {
    pub fn now_u64(&self) -> u64 {
        use maillage_services::Clock;
        self.now() as u64
    }
}
