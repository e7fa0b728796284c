//! What keeps the audit trail tamper-evident against whoever can write the database: its
//! rows are HMACs under a key derived from the host key (a file outside the database), and
//! checkpoints of its head are appended to a file the database does not hold (and may be
//! sent to syslog). `verify` checks rows, chain and checkpoints.

use crate::context::App;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::platform::host_key::HostKey;
use maillage_domain::platform::audit::checkpoint::Checkpoint;
use maillage_domain::platform::audit::{
    ChainBreak, ChainVerifier, KEYED_ACTION, Outcome, TrailKey,
};
use maillage_store::{Db, platform::audit as store};
use std::collections::HashMap;
use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The seal of this host's trail.
pub struct AuditSeal {
    key: TrailKey,
    /// The checkpoint file, appended to.
    checkpoints: PathBuf,
    /// A syslog socket (`/dev/log`) each checkpoint is also sent to, when configured.
    syslog: Option<PathBuf>,
    /// The sequence of the last checkpoint this server wrote, so as not to repeat it.
    last_written: Mutex<Option<i64>>,
}

impl AuditSeal {
    pub fn new(host: &HostKey, checkpoints: PathBuf, syslog: Option<PathBuf>) -> Self {
        Self {
            key: TrailKey::new(host.derive("maillage audit trail")),
            checkpoints,
            syslog,
            last_written: Mutex::new(None),
        }
    }

    pub fn key(&self) -> &TrailKey {
        &self.key
    }

    /// The checkpoint file's lines that are checkpoints this key signed, with their line
    /// numbers (from 1); `None` for a line that is not.
    fn read(&self) -> ServiceResult<Vec<(usize, Option<Checkpoint>)>> {
        let text = match std::fs::read_to_string(&self.checkpoints) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(file_error(&self.checkpoints, error)),
        };
        Ok(text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| (i + 1, Checkpoint::read(line, &self.key)))
            .collect())
    }

    fn append(&self, checkpoint: &Checkpoint) -> ServiceResult<()> {
        let line = checkpoint.line(&self.key);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.checkpoints)
            .map_err(|e| file_error(&self.checkpoints, e))?;
        writeln!(file, "{line}")
            .and_then(|()| file.sync_data())
            .map_err(|e| file_error(&self.checkpoints, e))?;
        if let Some(socket) = &self.syslog {
            // Facility 13 (log audit), severity 6 (informational).
            let message = format!("<110>maillage[{}]: {line}", std::process::id());
            let sent = UnixDatagram::unbound().and_then(|s| s.send_to(message.as_bytes(), socket));
            if let Err(error) = sent {
                tracing::warn!(%error, socket = %socket.display(), "audit checkpoint not sent to syslog");
            }
        }
        Ok(())
    }
}

fn file_error(path: &Path, error: std::io::Error) -> ServiceError {
    ServiceError::Internal(format!("audit checkpoints {}: {error}", path.display()))
}

/// At a server's start: a host that has no checkpoint yet keys the trail (one
/// `audit.chain.keyed` row, unless another server sharing the database did), from which
/// every row is an HMAC; the rows before it keep their hashes. Then a checkpoint.
pub async fn ensure_keyed(app: &App) -> ServiceResult<()> {
    let seal = &app.audit_seal;
    if seal.read()?.is_empty() {
        let mut conn = app.db.conn().await?;
        let keyed = store::first_of_action(&mut conn, KEYED_ACTION).await?;
        drop(conn);
        if keyed.is_none() {
            audit::write(
                app,
                &Who::System,
                Event::new(KEYED_ACTION, Outcome::Success),
            )
            .await?;
        }
    }
    checkpoint(app).await?;
    Ok(())
}

/// Appends the trail's head to the checkpoint file when it moved since this server's
/// last checkpoint; returns it.
pub async fn checkpoint(app: &App) -> ServiceResult<Option<Checkpoint>> {
    let mut conn = app.db.conn().await?;
    let head = store::head(&mut conn).await?;
    drop(conn);
    let Some((seq, hash)) = head else {
        return Ok(None);
    };
    let seal = &app.audit_seal;
    let mut last = seal.last_written.lock().expect("not poisoned");
    if *last == Some(seq) {
        return Ok(None);
    }
    let checkpoint = Checkpoint {
        seq,
        hash,
        at: app.now(),
    };
    seal.append(&checkpoint)?;
    *last = Some(seq);
    Ok(Some(checkpoint))
}

/// The result of checking the whole trail.
#[derive(Debug)]
pub struct Verification {
    pub rows_checked: i64,
    pub checkpoints_checked: usize,
    pub first_break: Option<ChainBreak>,
}

/// Walks the whole chain in order, checking each row's hash and each checkpoint, and
/// reports the first break: an altered or missing row, a trail never keyed, a cut end, a
/// forged checkpoint.
pub async fn verify(db: &Db, seal: &AuditSeal) -> ServiceResult<Verification> {
    let mut checkpoints: HashMap<i64, String> = HashMap::new();
    let mut forged = None;
    let lines = seal.read()?;
    for (line, checkpoint) in &lines {
        match checkpoint {
            Some(c) => {
                checkpoints.insert(c.seq, c.hash.clone());
            }
            None => forged = forged.or(Some(*line)),
        }
    }
    let mut conn = db.conn().await?;
    let mut verifier = ChainVerifier::new(seal.key.clone());
    let mut after = 0;
    let report = |verifier: &ChainVerifier, first_break| {
        Ok(Verification {
            rows_checked: verifier.rows_checked(),
            checkpoints_checked: lines.len(),
            first_break,
        })
    };
    loop {
        let batch = store::batch_after(&mut conn, after, 5_000).await?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for row in &batch {
            let checked = verifier
                .check(row)
                .and_then(|()| match checkpoints.get(&row.seq) {
                    Some(hash) if *hash != row.hash => Err(ChainBreak::Altered { seq: row.seq }),
                    _ => Ok(()),
                });
            if let Err(first_break) = checked {
                return report(&verifier, Some(first_break));
            }
        }
    }
    if let Err(first_break) = verifier.finish() {
        return report(&verifier, Some(first_break));
    }
    let last_seq = verifier.rows_checked();
    if let Some(&expected_seq) = checkpoints.keys().filter(|&&seq| seq > last_seq).max() {
        return report(
            &verifier,
            Some(ChainBreak::Truncated {
                last_seq,
                expected_seq,
            }),
        );
    }
    report(
        &verifier,
        forged.map(|line| ChainBreak::ForgedCheckpoint { line }),
    )
}
