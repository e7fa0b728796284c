//! The audit trail's record and its hash chain: each row's hash covers its content and the
//! previous row's hash, so that altering or deleting any row breaks every hash after it.

use sha2::{Digest, Sha256};

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
    /// The hash of this record placed after `previous_hash` at position `seq`.
    pub fn chain_hash(&self, seq: i64, previous_hash: &str) -> String {
        let mut hasher = Sha256::new();
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
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hex::encode(hasher.finalize())
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

/// Why the chain is broken at a given row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's content no longer matches its hash: it was altered.
    Altered { seq: i64 },
    /// The row does not follow the one before it: rows were deleted or reordered before it.
    Gap { seq: i64, expected_seq: i64 },
}

/// Walks the rows in order and returns the first break, if any. `rows` must be sorted by `seq`.
pub struct ChainVerifier {
    expected_seq: i64,
    previous_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            previous_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, row: &ChainedRow) -> Result<(), ChainBreak> {
        if row.seq != self.expected_seq || row.previous_hash != self.previous_hash {
            return Err(ChainBreak::Gap {
                seq: row.seq,
                expected_seq: self.expected_seq,
            });
        }
        if row.record.chain_hash(row.seq, &row.previous_hash) != row.hash {
            return Err(ChainBreak::Altered { seq: row.seq });
        }
        self.expected_seq += 1;
        self.previous_hash = row.hash.clone();
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

    fn chain(actions: &[&str]) -> Vec<ChainedRow> {
        let mut previous = GENESIS_HASH.to_owned();
        let mut rows = Vec::new();
        for (i, action) in actions.iter().enumerate() {
            let seq = i as i64 + 1;
            let record = record(action);
            let hash = record.chain_hash(seq, &previous);
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
        let mut verifier = ChainVerifier::default();
        rows.iter().find_map(|row| verifier.check(row).err())
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(first_break(&chain(&["a", "b", "c"])), None);
    }

    #[test]
    fn an_altered_row_is_named() {
        let mut rows = chain(&["a", "b", "c"]);
        rows[1].record.outcome = "failure".into();
        assert_eq!(first_break(&rows), Some(ChainBreak::Altered { seq: 2 }));
    }

    #[test]
    fn a_deleted_row_is_found_where_the_gap_is() {
        let mut rows = chain(&["a", "b", "c"]);
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
