//! A stand-in SMS provider for the tests, `scripts/lib/sms-provider.py`: no real provider
//! can run here, so this one takes what maillage posts to the endpoint it is configured
//! with, checks its bearer token, and refuses the first messages if asked.

use super::script_server::ScriptServer;

pub const TOKEN: &str = "jeton-du-fournisseur";

pub struct SmsProvider {
    process: ScriptServer,
}

impl SmsProvider {
    pub async fn start(refuse_first: u32) -> Self {
        let refuse_first = refuse_first.to_string();
        let args = ["--token", TOKEN, "--refuse-first", &refuse_first];
        Self {
            process: ScriptServer::start("sms-provider.py", &args).await,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/sms", self.process.port)
    }

    /// The next event: `refused`, `unauthorised`, or `sms TO "TEXT"`.
    pub async fn next_event(&mut self) -> String {
        self.process.next_event().await
    }
}
