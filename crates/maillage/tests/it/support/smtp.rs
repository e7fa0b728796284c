//! A real SMTP server for the tests: `scripts/lib/smtp-server.py` (aiosmtpd) started on a
//! free port, refusing the first messages if asked, and telling each message it takes.

use super::script_server::ScriptServer;
use std::path::PathBuf;

/// A message the server took.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub message_id: String,
    pub recipient: String,
    /// The whole message as received: headers and body.
    pub text: String,
}

pub struct SmtpServer {
    pub port: u16,
    process: ScriptServer,
    out: PathBuf,
    accepted: usize,
}

impl SmtpServer {
    /// Starts a server that answers "try again later" to its first `refuse_first` messages.
    pub async fn start(refuse_first: u32) -> Self {
        let out = std::env::temp_dir().join(format!(
            "maillage-smtp-{}-{}",
            std::process::id(),
            unique_suffix()
        ));
        std::fs::create_dir_all(&out).unwrap();
        let refuse_first = refuse_first.to_string();
        let args = [
            "--refuse-first",
            &refuse_first,
            "--out",
            out.to_str().unwrap(),
        ];
        let process = ScriptServer::start("smtp-server.py", &args).await;
        Self {
            port: process.port,
            process,
            out,
            accepted: 0,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn next_event(&mut self) -> String {
        self.process.next_event().await
    }

    /// Waits for the next `count` accepted messages (refusals in between are skipped).
    pub async fn accepted(&mut self, count: usize) -> Vec<Accepted> {
        let mut taken = Vec::new();
        while taken.len() < count {
            let line = self.next_event().await;
            let Some(rest) = line.strip_prefix("accepted ") else {
                continue;
            };
            let (message_id, recipient) = rest.split_once(' ').unwrap();
            self.accepted += 1;
            let path = self.out.join(format!("{:06}.eml", self.accepted));
            taken.push(Accepted {
                message_id: message_id.to_owned(),
                recipient: recipient.to_owned(),
                text: std::fs::read_to_string(path).unwrap(),
            });
        }
        taken
    }
}

fn unique_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.out);
    }
}
