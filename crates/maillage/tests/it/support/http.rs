//! The HTTP side of a test: browser-like clients that keep cookies, logging in, forms
//! posted with their page's CSRF token, the API with a personal token, and reading pages.

use super::{PASSWORD, TestApp};
use serde_json::Value;

impl TestApp {
    /// A new browser-like client (own cookies, no redirect following).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A browser at the address `address`, as the trusted reverse proxy forwards it.
    pub fn client_from(&self, address: &str) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", address.parse().unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// The body of the page at `path`, fetched by `client`.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.unwrap();
        response.text().await.unwrap()
    }

    /// Logs `client` in and returns where the login redirected.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client
            .get(self.url("/connexion"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        client
            .post(self.url("/connexion"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Posts a form from the page at `page_path`, with that page's CSRF token.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        page_path: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let page = client
            .get(self.url(page_path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        client
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// A new client logged in as `email` (with the tests' password).
    pub async fn logged_in(&self, email: &str) -> reqwest::Client {
        let client = self.client();
        let answer = self.login(&client, email, PASSWORD).await;
        assert_eq!(answer.status(), 303, "login of {email}");
        client
    }
}

/// A GET on the API with a personal token.
pub async fn api_get(t: &TestApp, path: &str, token: &str) -> reqwest::Response {
    let request = reqwest::Client::new().get(t.url(path)).bearer_auth(token);
    request.send().await.unwrap()
}

/// A POST of `body` as JSON on the API with a personal token, with an `Idempotency-Key`
/// when `key` is given.
pub async fn api_post(
    t: &TestApp,
    path: &str,
    token: &str,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(t.url(path))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

/// Logs `email` in and creates a personal API token for them.
pub async fn token_of(t: &TestApp, email: &str) -> String {
    let client = t.client();
    t.login(&client, email, PASSWORD).await;
    let page = t
        .post_form(&client, "/compte", "/compte/jetons", &[("name", "tests")])
        .await
        .text()
        .await
        .unwrap();
    text_between(&page, "<code id=\"nouveau-jeton\">", "</code>")
        .expect("the new token, shown once")
}

/// The CSRF token of the first form of a page.
pub fn csrf_of(page: &str) -> String {
    text_between(page, "name=\"csrf\" value=\"", "\"").expect("a form with a CSRF token")
}

/// The path of the invitation link a page shows.
pub fn invitation_path(page: &str) -> String {
    let link = text_between(page, "<code id=\"lien-invitation\">", "</code>")
        .expect("the invitation link")
        .replace("&#x2f;", "/")
        .replace("&#61;", "=");
    link[link.find("/invitation").expect("an invitation link")..].to_owned()
}

/// Posts the password (and its confirmation) chosen on an opened invitation `form`.
pub async fn accept_invitation(
    t: &TestApp,
    client: &reqwest::Client,
    form: &str,
    password: &str,
    confirm: &str,
) -> reqwest::Response {
    let token = text_between(form, "name=\"token\" value=\"", "\"").expect("the token");
    client
        .post(t.url("/invitation"))
        .form(&[
            ("csrf", csrf_of(form).as_str()),
            ("token", &token),
            ("password", password),
            ("confirm_password", confirm),
        ])
        .send()
        .await
        .unwrap()
}

/// The text between two markers of a page.
pub fn text_between(page: &str, start: &str, end: &str) -> Option<String> {
    let from = page.find(start)? + start.len();
    let len = page[from..].find(end)?;
    Some(page[from..from + len].to_owned())
}

/// Posts `code` to the second factor's enrolment page of `client`'s account.
pub async fn post_enrolment_code(
    t: &TestApp,
    client: &reqwest::Client,
    code: &str,
) -> reqwest::Response {
    t.post_form(
        client,
        "/compte/double-authentification",
        "/compte/double-authentification",
        &[("code", code)],
    )
    .await
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}
