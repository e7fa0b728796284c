//! Sending one text message (SMS) through the provider the host configured, off unless it
//! did: an HTTP endpoint that takes `{"to": "+33…", "text": "…", "reference": "…"}` as
//! JSON with a bearer token, the shape of the relays SMS providers offer. The outbox
//! holds SMS as it holds e-mails, with the same retries.

use maillage_store::platform::outbox::OutboxRow;

/// The configured SMS provider.
#[derive(Clone)]
pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    token: String,
}

/// A French mobile number, `06…` or `07…`, in the international form providers expect.
pub fn international_mobile(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = digits.strip_prefix('0')?;
    (digits.len() == 10 && (national.starts_with('6') || national.starts_with('7')))
        .then(|| format!("+33{national}"))
}

impl SmsGateway {
    /// `url`: the provider's endpoint, `https://…` (plain `http://` only on this machine,
    /// where numbers and token do not cross a network); `token`: its bearer token.
    pub fn new(url: &str, token: &str) -> Result<Self, String> {
        let client = crate::endpoint::client_for(url, "du fournisseur de SMS")?;
        if token.trim().is_empty() {
            return Err("sms_token manque : le jeton du fournisseur de SMS".to_owned());
        }
        Ok(Self {
            client,
            url: url.to_owned(),
            token: token.to_owned(),
        })
    }

    /// Sends one SMS of the outbox; the error says why the provider did not take it, without
    /// the number.
    pub async fn send(&self, row: &OutboxRow) -> Result<(), String> {
        let body = serde_json::json!({
            "to": row.recipient,
            "text": row.body,
            "reference": row.message_id,
        });
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("fournisseur de SMS injoignable : {}", e.without_url()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("le fournisseur de SMS a répondu {status}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_french_mobiles_receive_sms() {
        assert_eq!(
            international_mobile("06 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            international_mobile("0712345678").as_deref(),
            Some("+33712345678")
        );
        assert_eq!(international_mobile("0442123456"), None);
        assert_eq!(international_mobile("612345678"), None);
    }

    #[test]
    fn numbers_and_token_cross_networks_encrypted_only() {
        assert!(SmsGateway::new("https://sms.example/envoi", "jeton").is_ok());
        assert!(SmsGateway::new("http://127.0.0.1:9000/sms", "jeton").is_ok());
        assert!(SmsGateway::new("http://sms.example/envoi", "jeton").is_err());
        assert!(SmsGateway::new("https://sms.example/envoi", " ").is_err());
    }
}
