//! Sending one notification e-mail over SMTP (lettre): plain text, from the platform's
//! address, with the Message-ID the outbox gave it, so that a resend is recognisable.

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use maillage_store::platform::outbox::OutboxRow;

/// A connection pool to the SMTP server and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:port` (no encryption, for a relay on the same
    /// machine), `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:password@host`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("adresse du serveur SMTP invalide : {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("adresse d’expéditeur invalide « {from} » : {e}"))?;
        Ok(Self { transport, from })
    }

    /// Sends one notification; the error says why it was not accepted.
    pub async fn send(&self, row: &OutboxRow) -> Result<(), String> {
        let to: Mailbox = row
            .recipient
            .parse()
            .map_err(|e| format!("adresse du destinataire invalide : {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&row.subject)
            .message_id(Some(row.message_id.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(row.body.clone())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
}
