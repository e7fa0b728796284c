//! A server the tests start from a script of `scripts/lib` (Python, Debian's): it prints
//! `listening PORT` first, then one line per event for the test to read.

use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

pub struct ScriptServer {
    pub port: u16,
    lines: Lines<BufReader<ChildStdout>>,
    _child: Child,
}

impl ScriptServer {
    /// Starts `scripts/lib/{script}` with `args`; it stops when this is dropped.
    pub async fn start(script: &str, args: &[&str]) -> Self {
        let path = format!("{}/../../scripts/lib/{script}", env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new("/usr/bin/python3")
            .arg(&path)
            .args(args)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("{script} (installed by scripts/test): {e}"));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next_line().await.unwrap().unwrap_or_default();
        let port = first
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{script} did not start: {first}"));
        Self {
            port,
            lines,
            _child: child,
        }
    }

    /// The next line the server prints, within 60 seconds.
    pub async fn next_event(&mut self) -> String {
        let line = tokio::time::timeout(Duration::from_secs(60), self.lines.next_line())
            .await
            .expect("an event within 60 s")
            .unwrap();
        line.expect("the server is running")
    }
}
