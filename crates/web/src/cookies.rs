//! Reading and writing the cookies: the session, the anonymous forms' CSRF token, and the
//! page to come back to once logged in.

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "maillage_session";
pub const ANON_CSRF: &str = "maillage_csrf";
/// The page someone not logged in asked for, opened once they are (ten minutes at most).
pub const RETURN_TO: &str = "maillage_suite";

/// A page of the platform itself, as a cookie may carry it: a local path and query, in
/// the characters of URLs only (no other site, no header trick).
pub fn local_page(target: &str) -> Option<&str> {
    let plain = target
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/-_.~?=&%".contains(&b));
    (plain && target.starts_with('/') && !target.starts_with("//") && target.len() <= 512)
        .then_some(target)
}

/// A `Set-Cookie` value for the page to come back to, kept ten minutes.
pub fn return_to(target: &str, secure: bool) -> Option<HeaderValue> {
    let target = local_page(target)?;
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{RETURN_TO}={target}; Path=/; HttpOnly; SameSite=Lax; Max-Age=600{secure}"
    ))
    .ok()
}

/// The value of cookie `name` in the request, if any.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure when configured, for the session
/// of the browser (no expiry date: the server ends it).
pub fn set(name: &str, value: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("cookie values are URL-safe tokens")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
    ))
    .expect("static cookie")
}
