//! Who reaches what: the route table walked without authentication, CPTS isolation,
//! security headers and the health endpoints.

use crate::support::{PASSWORD, TestApp, both, location};
use maillage_web::{Access, route_table};

async fn no_route_but_the_public_ones_answers_a_stranger(t: TestApp) {
    let client = t.client();
    let mut checked = 0;
    for spec in route_table() {
        let path = spec
            .path
            .replace("{id}", "1")
            .replace("{slug}", "a")
            .replace("{kind}", "Practitioner");
        let response = client
            .request(spec.method.clone(), t.url(&path))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        match spec.access {
            Access::Public => assert!(status < 500, "{} {path}: {status}", spec.method),
            Access::Session => {
                assert_eq!(status, 303, "{} {path} answered a stranger", spec.method);
                assert_eq!(location(&response), "/connexion");
            }
            Access::OpenData => {
                assert!(status < 500, "{} {path}: {status}", spec.method);
                assert_eq!(
                    response.headers()["content-type"],
                    "application/fhir+json; charset=utf-8",
                    "{path} is open data, in FHIR"
                );
            }
            Access::Token => {
                assert_eq!(status, 401, "{} {path} answered a stranger", spec.method);
                assert_eq!(
                    response.headers()["content-type"],
                    "application/problem+json"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 30, "the whole table was walked");
}
both!(no_route_but_the_public_ones_answers_a_stranger);

async fn a_user_of_one_cpts_sees_nothing_of_another(t: TestApp) {
    t.cpts("a").await;
    t.cpts("b").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("coord@b.fr", "coordinator", "b").await;
    let client = t.client();
    t.login(&client, "coord@a.fr", PASSWORD).await;
    assert_eq!(
        client.get(t.url("/cpts/a")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        client.get(t.url("/cpts/b")).send().await.unwrap().status(),
        404
    );
    let accounts = t.page(&client, "/utilisateurs").await;
    assert!(accounts.contains("coord@a.fr") && !accounts.contains("coord@b.fr"));
    assert_eq!(
        client
            .get(t.url("/administration/cpts"))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "not an administrator"
    );
    let journal = client.get(t.url("/journal")).send().await.unwrap();
    assert_eq!(journal.status(), 200);
}
both!(a_user_of_one_cpts_sees_nothing_of_another);

async fn every_answer_carries_the_security_headers(t: TestApp) {
    let client = t.client();
    for path in ["/connexion", "/", "/healthz", "/nulle-part"] {
        let response = client.get(t.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
        assert!(headers.contains_key("x-request-id"));
    }
    assert_eq!(
        client
            .get(t.url("/nulle-part"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
both!(every_answer_carries_the_security_headers);

async fn hsts_is_sent_only_when_cookies_are_secure(t: TestApp) {
    let hsts = |response: &reqwest::Response| {
        let value = response.headers().get("strict-transport-security");
        value.map(|v| v.to_str().unwrap().to_owned())
    };
    let client = t.client();
    let secure = t.secure_server().await;
    for path in ["/connexion", "/api/v1/me", "/nulle-part"] {
        let plain = client.get(t.url(path)).send().await.unwrap();
        assert_eq!(hsts(&plain), None, "{path} over plain-http localhost");
        let behind_https = client.get(format!("{secure}{path}")).send().await.unwrap();
        assert_eq!(
            hsts(&behind_https).as_deref(),
            Some("max-age=31536000; includeSubDomains"),
            "{path} with secure_cookies"
        );
    }
}
both!(hsts_is_sent_only_when_cookies_are_secure);

async fn health_endpoints_report_the_process_and_the_database(t: TestApp) {
    let client = t.client();
    assert_eq!(t.page(&client, "/healthz").await, "ok");
    assert_eq!(
        client.get(t.url("/readyz")).send().await.unwrap().status(),
        200
    );
    let metrics = t.page(&client, "/metrics").await;
    assert!(
        metrics.contains("maillage_http_requests_total{class=\"2xx\"}"),
        "{metrics}"
    );
    t.app.db.close().await;
    assert_eq!(
        client.get(t.url("/readyz")).send().await.unwrap().status(),
        503
    );
}
both!(health_endpoints_report_the_process_and_the_database);

async fn the_navigation_offers_only_what_a_role_may_open(t: TestApp) {
    t.cpts("a").await;
    t.user("coord@a.fr", "coordinator", "a").await;
    t.user("regul@a.fr", "regulator", "a").await;
    t.user("admin@host.fr", "admin", "").await;
    for (email, offered) in [
        ("coord@a.fr", true),
        ("regul@a.fr", false),
        ("admin@host.fr", false),
    ] {
        let client = t.client();
        t.login(&client, email, PASSWORD).await;
        let home = t.page(&client, "/").await;
        assert_eq!(
            home.contains("href=\"/medecin-traitant\""),
            offered,
            "{email}"
        );
        let status = client
            .get(t.url("/medecin-traitant"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.is_success(), offered, "{email}: {status}");
    }
}
both!(the_navigation_offers_only_what_a_role_may_open);
