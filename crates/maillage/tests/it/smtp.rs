//! A real SMTP server for the tests: `scripts/lib/smtp-server.py` (aiosmtpd) started on a
//! free port, refusing the first messages if asked, and telling each message it takes.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

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
    lines: Lines<BufReader<ChildStdout>>,
    out: PathBuf,
    accepted: usize,
    _child: Child,
}

impl SmtpServer {
    /// Starts a server that answers "try again later" to its first `refuse_first` messages.
    pub async fn start(refuse_first: u32) -> Self {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lib/smtp-server.py"
        );
        let out = std::env::temp_dir().join(format!(
            "maillage-smtp-{}-{}",
            std::process::id(),
            unique_suffix()
        ));
        std::fs::create_dir_all(&out).unwrap();
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg("--refuse-first")
            .arg(refuse_first.to_string())
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the test SMTP server (python3-aiosmtpd, installed by scripts/test)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next_line().await.unwrap().unwrap_or_default();
        let port = first
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("SMTP server did not start: {first}"));
        Self {
            port,
            lines,
            out,
            accepted: 0,
            _child: child,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The next line the server prints, within 60 seconds.
    pub async fn next_event(&mut self) -> String {
        let line = tokio::time::timeout(Duration::from_secs(60), self.lines.next_line())
            .await
            .expect("an SMTP event within 60 s")
            .unwrap();
        line.expect("the SMTP server is running")
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
