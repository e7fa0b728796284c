//! A checkpoint of the audit trail: the sequence and hash of its last row at a moment,
//! signed with the trail's key, one line of a file the database does not hold. A trail
//! cut after a checkpoint, or rewritten before it, no longer matches it.

use super::TrailKey;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a checkpoint line starts with: the format's name and version.
const FORMAT: &str = "maillage-audit-v1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The last row's sequence number when the checkpoint was taken.
    pub seq: i64,
    /// That row's hash.
    pub hash: String,
    /// When, in Unix seconds.
    pub at: i64,
}

impl Checkpoint {
    /// The MAC of the checkpoint's content under `key`, to finalise or verify.
    fn signed(&self, key: &TrailKey) -> Hmac<Sha256> {
        let mut mac = key.mac();
        mac.update(format!("{FORMAT} {} {} {}", self.seq, self.hash, self.at).as_bytes());
        mac
    }

    /// The checkpoint as a line of the file, without its end of line.
    pub fn line(&self, key: &TrailKey) -> String {
        format!(
            "{FORMAT} seq={} hash={} at={} mac={}",
            self.seq,
            self.hash,
            self.at,
            hex::encode(self.signed(key).finalize().into_bytes())
        )
    }

    /// Reads a line of the file; `None` when it is not a checkpoint `key` signed.
    pub fn read(line: &str, key: &TrailKey) -> Option<Checkpoint> {
        let mut parts = line.trim_end().split(' ');
        if parts.next() != Some(FORMAT) {
            return None;
        }
        let mut field = |name: &str| {
            parts
                .next()
                .and_then(|p| p.strip_prefix(name))
                .and_then(|p| p.strip_prefix('='))
                .map(str::to_owned)
        };
        let (seq, hash, at, mac) = (field("seq")?, field("hash")?, field("at")?, field("mac")?);
        let checkpoint = Checkpoint {
            seq: seq.parse().ok()?,
            hash,
            at: at.parse().ok()?,
        };
        // Compared as a MAC is: in constant time.
        let given = hex::decode(mac).ok()?;
        checkpoint.signed(key).verify_slice(&given).ok()?;
        (parts.next().is_none()).then_some(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_checkpoint_reads_back_and_a_changed_one_does_not() {
        let key = TrailKey::new([3; 32]);
        let checkpoint = Checkpoint {
            seq: 42,
            hash: "ab".repeat(32),
            at: 1_800_000_000,
        };
        let line = checkpoint.line(&key);
        assert_eq!(Checkpoint::read(&line, &key), Some(checkpoint.clone()));
        assert_eq!(
            Checkpoint::read(&line.replace("seq=42", "seq=41"), &key),
            None
        );
        assert_eq!(Checkpoint::read(&line, &TrailKey::new([4; 32])), None);
        assert_eq!(Checkpoint::read("", &key), None);
        assert_eq!(Checkpoint::read(&format!("{line} more"), &key), None);
    }
}
