//! The outside services the platform calls over HTTP (an SMS provider, the SAS platform):
//! their address is checked once, and each gets a client with a time limit.

use std::time::Duration;

/// A client for `url`, named `what` in the error: `https://…`, or plain `http://` on this
/// machine only, where what is sent does not cross a network.
pub fn client_for(url: &str, what: &str) -> Result<reqwest::Client, String> {
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| url.starts_with(prefix));
    if !(url.starts_with("https://") || local) {
        return Err(format!(
            "adresse {what} invalide : {url} (https://…, ou http:// sur cette machine seulement)"
        ));
    }
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())
}
