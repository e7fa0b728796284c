//! The audit trail's record and its chain: each row's hash covers its content and the
//! previous row's hash, so that altering or deleting any row breaks every hash after it.
//! Since the trail was keyed (its `audit.chain.keyed` row), each hash is an HMAC under a
//! key kept outside the database, so that whoever can write the database cannot recompute
//! the chain after an edit; the rows before it keep their plain SHA-256 hashes.
//! Checkpoints of the chain's head, kept outside the database too, are `checkpoint`.

pub mod checkpoint;

use hmac::{Hmac, Mac};
use sha2::digest::Update;
use sha2::{Digest, Sha256};

/// The action of the row from which the trail's hashes are keyed.
pub const KEYED_ACTION: &str = "audit.chain.keyed";

/// The key that authenticates the trail's rows and checkpoints; never stored in the database.
#[derive(Clone)]
pub struct TrailKey([u8; 32]);

impl TrailKey {
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// An HMAC-SHA256 under this key.
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length")
    }
}

impl std::fmt::Debug for TrailKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrailKey(…)")
    }
}

/// The hash that stands before the first row of the chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether the audited action succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One audited event, as stored (without its position and hashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// UTC time, Unix seconds.
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub cpts_id: Option<i64>,
    /// What was done, as a dotted name: `auth.login`, `user.read`, `cpts.create`…
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub request_id: Option<String>,
    pub outcome: String,
}

impl AuditRecord {
    /// The plain SHA-256 hash of this record placed after `previous_hash` at position
    /// `seq`: the rows written before the trail was keyed.
    pub fn chain_hash(&self, seq: i64, previous_hash: &str) -> String {
        let mut hasher = Sha256::new();
        self.encode(seq, previous_hash, &mut hasher);
        hex::encode(hasher.finalize())
    }

    /// The keyed hash (HMAC-SHA256) of this record placed after `previous_hash` at `seq`.
    pub fn chain_mac(&self, key: &TrailKey, seq: i64, previous_hash: &str) -> String {
        let mut mac = key.mac();
        self.encode(seq, previous_hash, &mut mac);
        hex::encode(mac.finalize().into_bytes())
    }

    fn encode(&self, seq: i64, previous_hash: &str, into: &mut impl Update) {
        let fields: [&str; 11] = [
            &seq.to_string(),
            previous_hash,
            &self.at.to_string(),
            &opt_num(self.actor_user_id),
            self.actor_role.as_deref().unwrap_or(""),
            &opt_num(self.cpts_id),
            &self.action,
            self.object_type.as_deref().unwrap_or(""),
            self.object_id.as_deref().unwrap_or(""),
            self.request_id.as_deref().unwrap_or(""),
            &self.outcome,
        ];
        for field in fields {
            // Length-prefixed, so that no two different records share an encoding.
            into.update(&(field.len() as u64).to_be_bytes());
            into.update(field.as_bytes());
        }
    }
}

fn opt_num(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A stored row of the chain, as read back for verification.
#[derive(Debug, Clone)]
pub struct ChainedRow {
    pub seq: i64,
    pub record: AuditRecord,
    pub previous_hash: String,
    pub hash: String,
}

/// Why the trail is not intact, at the first place found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's content no longer matches its hash: it was altered.
    Altered { seq: i64 },
    /// The row does not follow the one before it: rows were deleted or reordered before it.
    Gap { seq: i64, expected_seq: i64 },
    /// The trail holds rows but no keyed row: it was rewritten without the key.
    NotKeyed,
    /// A checkpoint names row `expected_seq`, but the trail stops at `last_seq`: its end was
    /// cut.
    Truncated { last_seq: i64, expected_seq: i64 },
    /// The line `line` of the checkpoint file is not one the key signed.
    ForgedCheckpoint { line: usize },
}

/// Walks the rows in order and returns the first break, if any. `rows` must be sorted by
/// `seq`. The rows up to the keyed row are checked by their plain hash, that row and the
/// ones after it by their HMAC.
pub struct ChainVerifier {
    key: TrailKey,
    keyed: bool,
    expected_seq: i64,
    previous_hash: String,
}

impl ChainVerifier {
    pub fn new(key: TrailKey) -> Self {
        Self {
            key,
            keyed: false,
            expected_seq: 1,
            previous_hash: GENESIS_HASH.to_owned(),
        }
    }

    pub fn check(&mut self, row: &ChainedRow) -> Result<(), ChainBreak> {
        if row.seq != self.expected_seq || row.previous_hash != self.previous_hash {
            return Err(ChainBreak::Gap {
                seq: row.seq,
                expected_seq: self.expected_seq,
            });
        }
        self.keyed |= row.record.action == KEYED_ACTION;
        let expected = if self.keyed {
            row.record.chain_mac(&self.key, row.seq, &row.previous_hash)
        } else {
            row.record.chain_hash(row.seq, &row.previous_hash)
        };
        if expected != row.hash {
            return Err(ChainBreak::Altered { seq: row.seq });
        }
        self.expected_seq += 1;
        self.previous_hash = row.hash.clone();
        Ok(())
    }

    /// After the last row: a trail that holds rows must have been keyed.
    pub fn finish(&self) -> Result<(), ChainBreak> {
        if self.rows_checked() > 0 && !self.keyed {
            return Err(ChainBreak::NotKeyed);
        }
        Ok(())
    }

    /// How many rows were checked so far.
    pub fn rows_checked(&self) -> i64 {
        self.expected_seq - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(action: &str) -> AuditRecord {
        AuditRecord {
            at: 1_700_000_000,
            actor_user_id: Some(7),
            actor_role: Some("coordinator".into()),
            cpts_id: Some(1),
            action: action.into(),
            object_type: Some("user".into()),
            object_id: Some("12".into()),
            request_id: Some("r1".into()),
            outcome: "success".into(),
        }
    }

    fn key() -> TrailKey {
        TrailKey::new([7; 32])
    }

    /// A trail of `actions`, keyed from the first `audit.chain.keyed` on.
    fn chain(actions: &[&str]) -> Vec<ChainedRow> {
        let mut previous = GENESIS_HASH.to_owned();
        let mut keyed = false;
        let mut rows = Vec::new();
        for (i, action) in actions.iter().enumerate() {
            let seq = i as i64 + 1;
            let record = record(action);
            keyed |= *action == KEYED_ACTION;
            let hash = if keyed {
                record.chain_mac(&key(), seq, &previous)
            } else {
                record.chain_hash(seq, &previous)
            };
            rows.push(ChainedRow {
                seq,
                record,
                previous_hash: previous,
                hash: hash.clone(),
            });
            previous = hash;
        }
        rows
    }

    fn first_break(rows: &[ChainedRow]) -> Option<ChainBreak> {
        let mut verifier = ChainVerifier::new(key());
        rows.iter()
            .find_map(|row| verifier.check(row).err())
            .or_else(|| verifier.finish().err())
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(first_break(&chain(&["a", KEYED_ACTION, "b", "c"])), None);
        assert_eq!(first_break(&chain(&[KEYED_ACTION, "b"])), None);
        assert_eq!(first_break(&[]), None);
    }

    #[test]
    fn a_trail_never_keyed_or_rechained_without_the_key_is_refused() {
        assert_eq!(first_break(&chain(&["a", "b"])), Some(ChainBreak::NotKeyed));
        // An edit after the keyed row, with the plain hashes recomputed from it on.
        let mut rows = chain(&["a", KEYED_ACTION, "b", "c"]);
        rows[2].record.outcome = "failure".into();
        let mut previous = rows[1].hash.clone();
        for row in &mut rows[2..] {
            row.previous_hash = previous.clone();
            row.hash = row.record.chain_hash(row.seq, &previous);
            previous = row.hash.clone();
        }
        assert_eq!(first_break(&rows), Some(ChainBreak::Altered { seq: 3 }));
    }

    #[test]
    fn an_altered_row_is_named() {
        let mut rows = chain(&["a", KEYED_ACTION, "b", "c"]);
        rows[1].record.outcome = "failure".into();
        assert_eq!(first_break(&rows), Some(ChainBreak::Altered { seq: 2 }));
        let mut rows = chain(&["a", KEYED_ACTION, "b", "c"]);
        rows[3].record.object_id = Some("13".into());
        assert_eq!(first_break(&rows), Some(ChainBreak::Altered { seq: 4 }));
    }

    #[test]
    fn a_deleted_row_is_found_where_the_gap_is() {
        let mut rows = chain(&[KEYED_ACTION, "b", "c"]);
        rows.remove(1);
        assert_eq!(
            first_break(&rows),
            Some(ChainBreak::Gap {
                seq: 3,
                expected_seq: 2
            })
        );
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = record("x");
        a.object_type = Some("ab".into());
        a.object_id = Some("c".into());
        let mut b = record("x");
        b.object_type = Some("a".into());
        b.object_id = Some("bc".into());
        assert_ne!(a.chain_hash(1, GENESIS_HASH), b.chain_hash(1, GENESIS_HASH));
    }
}
