//! Secrets at rest: personal API tokens that expire at the end of the day their owner
//! chose and show their last use, and TOTP seeds the database holds only sealed under the
//! host key file (those of earlier versions sealed at the next start).

use crate::support::{
    PASSWORD, TestApp, api_get, both, location, post_enrolment_code, text_between,
};
use maillage_domain::platform::totp::code_at;

/// 1 800 000 000 is Friday 15 January 2027, 09:00 in Paris; the token below is valid
/// through Saturday 16, so until 17 January 00:00 in Paris (23:00 UTC the day before).
const END_OF_SATURDAY: i64 = 1_800_140_400;

fn tokens_row(page: &str, name: &str) -> String {
    let start = page
        .find(&format!("<td>{name}</td>"))
        .unwrap_or_else(|| panic!("the token's line in {page}"));
    let end = page[start..].find("</tr>").unwrap() + start;
    page[start..end].to_owned()
}

async fn a_token_works_through_its_last_day_and_shows_its_last_use(t: TestApp) {
    t.cpts("a").await;
    t.user("medecin@a.fr", "member", "a").await;
    let client = t.client();
    t.login(&client, "medecin@a.fr", PASSWORD).await;
    for (day, message) in [
        (
            "2027-01-15",
            "Choisissez une date d’expiration après aujourd’hui.",
        ),
        ("16/13/2027", "Date d’expiration illisible"),
    ] {
        let refused = t
            .post_form(
                &client,
                "/compte",
                "/compte/jetons",
                &[("name", "export"), ("expires_on", day)],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(refused.contains(message), "{day}: {refused}");
        assert!(
            !refused.contains("nouveau-jeton"),
            "no token made for {day}"
        );
    }
    let page = t
        .post_form(
            &client,
            "/compte",
            "/compte/jetons",
            &[("name", "export"), ("expires_on", "2027-01-16")],
        )
        .await
        .text()
        .await
        .unwrap();
    let token = text_between(&page, "<code id=\"nouveau-jeton\">", "</code>").unwrap();
    let line = tokens_row(&page, "export");
    assert!(
        line.contains("Valable jusqu’au 16/01/2027 inclus"),
        "{line}"
    );
    assert!(line.contains("<td>jamais</td>"), "{line}");

    t.clock.advance(20 * 60);
    assert_eq!(api_get(&t, "/api/v1/me", &token).await.status(), 200);
    let line = tokens_row(&t.page(&client, "/compte").await, "export");
    assert!(
        line.contains("<td>15/01/2027 09:20</td>"),
        "last use shown: {line}"
    );

    t.clock
        .advance(END_OF_SATURDAY - 1 - t.clock.now_u64() as i64);
    assert_eq!(
        api_get(&t, "/api/v1/me", &token).await.status(),
        200,
        "the last second of its last day"
    );
    t.clock.advance(1);
    assert_eq!(api_get(&t, "/api/v1/me", &token).await.status(), 401);

    let client = t.client();
    t.login(&client, "medecin@a.fr", PASSWORD).await;
    let line = tokens_row(&t.page(&client, "/compte").await, "export");
    assert!(
        line.contains("Expiré (valable jusqu’au 16/01/2027)"),
        "{line}"
    );
    assert!(line.contains("<td>16/01/2027 23:59</td>"), "{line}");
    assert!(!line.contains("Révoquer"), "nothing left to revoke: {line}");
}
both!(a_token_works_through_its_last_day_and_shows_its_last_use);

/// The stored seed of `user`'s TOTP credential and whether it is marked sealed.
async fn stored_seed(t: &TestApp, email: &str) -> (Vec<u8>, i64) {
    sqlx::query_as(
        "SELECT c.secret, c.sealed FROM totp_credentials c JOIN users u ON u.id = c.user_id \
         WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap()
}

/// Logs `email` in on `t` with a code of `seed`; where the code page sends them.
async fn login_with_code(t: &TestApp, email: &str, seed: &[u8]) -> String {
    let client = t.client();
    assert_eq!(
        location(&t.login(&client, email, PASSWORD).await),
        "/connexion/code"
    );
    let code = code_at(seed, t.clock.now_u64());
    let answer = t
        .post_form(
            &client,
            "/connexion/code",
            "/connexion/code",
            &[("code", &code)],
        )
        .await;
    location(&answer)
}

async fn totp_seeds_are_stored_sealed_and_clear_ones_are_sealed_at_start(t: TestApp) {
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    let client = t.client();
    t.login(&client, "coord@a.fr", PASSWORD).await;
    let page = t.page(&client, "/compte/double-authentification").await;
    let base32 = text_between(&page, "<code id=\"cle-totp\">", "</code>").unwrap();
    let seed = totp_rs::Secret::Encoded(base32).to_bytes().unwrap();
    let contains_seed = |stored: &[u8]| stored.windows(seed.len()).any(|w| w == seed);

    let (stored, sealed) = stored_seed(&t, "coord@a.fr").await;
    assert_eq!(sealed, 1);
    assert!(!contains_seed(&stored), "a pending seed is sealed too");
    let again = t.page(&client, "/compte/double-authentification").await;
    assert!(again.contains(&format!(
        "{}</code>",
        totp_rs::Secret::Raw(seed.clone()).to_encoded()
    )));
    let code = code_at(&seed, t.clock.now_u64());
    let confirmed = post_enrolment_code(&t, &client, &code).await;
    assert_eq!(location(&confirmed), "/compte");
    let (stored, _) = stored_seed(&t, "coord@a.fr").await;
    assert!(!contains_seed(&stored));
    t.clock.advance(30);
    assert_eq!(login_with_code(&t, "coord@a.fr", &seed).await, "/");

    // As an earlier version left it: the seed in clear.
    sqlx::query(
        "UPDATE totp_credentials SET secret = $1, sealed = 0 \
         WHERE user_id = (SELECT id FROM users WHERE email = 'coord@a.fr')",
    )
    .bind(seed.clone())
    .execute(&mut *t.app.db.conn().await.unwrap())
    .await
    .unwrap();
    t.clock.advance(30);
    assert_eq!(
        login_with_code(&t, "coord@a.fr", &seed).await,
        "/",
        "a clear seed still works until a server starts"
    );
    let restarted = t.second_server().await;
    let (stored, sealed) = stored_seed(&t, "coord@a.fr").await;
    assert_eq!(sealed, 1, "sealed at the start");
    assert!(!contains_seed(&stored));
    t.clock.advance(30);
    assert_eq!(login_with_code(&restarted, "coord@a.fr", &seed).await, "/");
}
both!(
    totp_seeds_are_stored_sealed_and_clear_ones_are_sealed_at_start,
    maillage_services::Settings::default()
);
