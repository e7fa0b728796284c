//! The reading side of an import, on a blocking thread: lines of the extraction parsed
//! into batches of professionals with their sites, then of qualifications, sent to the
//! writer; bad lines counted and kept (the first ones) to be reported, and the
//! professional of each, when it can be read, held back: none of their lines is applied,
//! so that they stay as they were.

use super::batch::{ActivityBatch, BatchBuilder};
use super::lines::{Lines, MAX_LINE_BYTES};
use super::safeguards::too_many_refused;
use super::source::Source;
use maillage_domain::directory::{Activity, Layout, LineError};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::io::BufRead;
use tokio::sync::mpsc::Sender;

/// Lines per batch sent to the writer.
const BATCH_LINES: usize = 2000;
/// How many refused lines are described in the report (all are counted).
pub const ERRORS_SHOWN: usize = 50;

pub enum Message {
    Activities(ActivityBatch),
    Skills(Vec<(String, String, String)>),
    /// Bytes read so far, of `total`.
    Progress {
        done: u64,
        total: u64,
    },
}

/// What the reader found, once done.
#[derive(Default)]
pub struct ReadSummary {
    pub lines_read: i64,
    /// Activity lines sent to be written.
    pub applied: i64,
    pub refused: i64,
    pub errors: Vec<LineError>,
    /// The national ids of the professionals left as they were, for a refused line.
    pub held: HashSet<String>,
    /// The national ids of the professionals whose qualifications stay as they were: those
    /// held back, and those of refused qualification lines.
    pub kept_skills: HashSet<String>,
    /// Set when a professional was held back after lines of theirs had been sent: the
    /// writing must be undone and the import run again, holding them from the start.
    pub rerun: bool,
    /// Set when reading stopped before the end (unreadable file, too many errors).
    pub stopped: Option<String>,
}

impl ReadSummary {
    fn refuse(&mut self, errors: Vec<LineError>, max_errors: i64) -> Result<(), String> {
        self.refused += 1;
        let room = ERRORS_SHOWN.saturating_sub(self.errors.len());
        self.errors.extend(errors.into_iter().take(room));
        if self.refused > max_errors {
            return Err(too_many_refused(max_errors));
        }
        Ok(())
    }
}

/// Reads the whole extraction, sending batches on `out`, refusing bad lines until more
/// than `max_errors` were refused; the professionals `held` are held back from the start.
pub fn read_extraction(
    source: &Source,
    max_errors: i64,
    held: HashSet<String>,
    out: &Sender<Message>,
) -> ReadSummary {
    let mut summary = ReadSummary {
        held,
        ..ReadSummary::default()
    };
    let read = read_activities_then_skills(source, max_errors, out, &mut summary);
    if let Err(message) = read {
        summary.stopped.get_or_insert(message);
    }
    summary
}

fn read_activities_then_skills(
    source: &Source,
    max_errors: i64,
    out: &Sender<Message>,
    summary: &mut ReadSummary,
) -> Result<(), String> {
    source.read(false, |reader, size| {
        read_activities(reader, size, max_errors, out, summary)
    })?;
    if summary.rerun {
        return Ok(());
    }
    // The professionals of refused qualification lines keep theirs too.
    let mut kept = summary.held.clone();
    source.read(true, |reader, _| {
        find_refused_skills(reader, max_errors, summary, &mut kept)
    })?;
    source.read(true, |reader, size| read_skills(reader, size, &kept, out))?;
    summary.kept_skills = kept;
    Ok(())
}

fn send(out: &Sender<Message>, message: Message) -> Result<(), String> {
    out.blocking_send(message)
        .map_err(|_| "l’écriture s’est arrêtée".to_owned())
}

fn too_long(number: u64) -> LineError {
    LineError {
        line: number,
        column: None,
        message: format!(
            "plus de {MAX_LINE_BYTES} octets, la longueur maximale d’une ligne : ligne refusée sans être lue en entier."
        ),
    }
}

/// The activity lines of the professional being read, kept until the next professional
/// starts: a refused line of theirs then drops them without anything sent.
#[derive(Default)]
struct Pending {
    lines: Vec<Activity>,
    /// Rows so far per professional (their sites' positions).
    rows_of: HashMap<String, i64>,
    batch: BatchBuilder,
}

impl Pending {
    fn push(&mut self, activity: Activity) {
        if self
            .lines
            .first()
            .is_some_and(|p| p.national_id != activity.national_id)
        {
            self.flush();
        }
        self.lines.push(activity);
    }

    /// Moves the pending lines into the batch.
    fn flush(&mut self) {
        for activity in self.lines.drain(..) {
            let position = self
                .rows_of
                .entry(activity.national_id.clone())
                .or_insert(0);
            self.batch.add(activity, *position);
            *position += 1;
        }
    }

    /// Drops the lines of `national_id`; `false` when some were already in a batch.
    fn drop_professional(&mut self, national_id: &str) -> bool {
        self.lines.retain(|a| a.national_id != national_id);
        !self.rows_of.contains_key(national_id)
    }
}

fn read_activities(
    reader: &mut dyn BufRead,
    size: u64,
    max_errors: i64,
    out: &Sender<Message>,
    summary: &mut ReadSummary,
) -> Result<(), String> {
    let mut lines = Lines::open(reader)?;
    let layout = Layout::activity(&lines.text).map_err(|e| e.to_string())?;
    // A fingerprint of each line, to find duplicates.
    let mut seen_lines: HashMap<u64, u64> = HashMap::new();
    let hasher = RandomState::new();
    let mut pending = Pending::default();
    while lines.next()? {
        let (number, text) = (lines.number, lines.text.as_str());
        summary.lines_read += 1;
        let refused = if lines.too_long {
            vec![too_long(number)]
        } else {
            match seen_lines.entry(hasher.hash_one(text.trim_end())) {
                // A copy of an applied line costs its professional nothing.
                Entry::Occupied(first) => {
                    let message = format!("ligne identique à la ligne {}, ignorée.", first.get());
                    let copy = LineError {
                        line: number,
                        column: None,
                        message,
                    };
                    summary.refuse(vec![copy], max_errors)?;
                    continue;
                }
                Entry::Vacant(slot) => {
                    slot.insert(number);
                }
            }
            match layout.activity_line(number, text) {
                Ok(activity) if summary.held.contains(&activity.national_id) => continue,
                Ok(activity) => {
                    pending.push(activity);
                    Vec::new()
                }
                Err(errors) => errors,
            }
        };
        if !refused.is_empty() {
            summary.refuse(refused, max_errors)?;
            if let Some(national_id) = layout.national_id(text) {
                summary.rerun |= !pending.drop_professional(national_id);
                summary.held.insert(national_id.to_owned());
            }
        }
        if pending.batch.lines >= BATCH_LINES && !summary.rerun {
            summary.applied += pending.batch.lines as i64;
            let batch = std::mem::take(&mut pending.batch).finish();
            send(out, Message::Activities(batch))?;
            send(out, lines.progress(size))?;
        }
    }
    if summary.rerun {
        return Ok(());
    }
    pending.flush();
    summary.applied += pending.batch.lines as i64;
    send(out, Message::Activities(pending.batch.finish()))?;
    send(out, lines.progress(size))
}

/// Counts the refused lines of the qualifications file and adds the professional of each
/// to `kept`.
fn find_refused_skills(
    reader: &mut dyn BufRead,
    max_errors: i64,
    summary: &mut ReadSummary,
    kept: &mut HashSet<String>,
) -> Result<(), String> {
    let mut lines = Lines::open(reader)?;
    let layout = Layout::skills(&lines.text).map_err(|e| e.to_string())?;
    while lines.next()? {
        let errors = match lines.too_long {
            true => vec![too_long(lines.number)],
            false => match layout.skill_line(lines.number, &lines.text) {
                Ok(_) => continue,
                Err(errors) => errors,
            },
        };
        summary.refuse(errors, max_errors)?;
        if let Some(national_id) = layout.national_id(&lines.text) {
            kept.insert(national_id.to_owned());
        }
    }
    Ok(())
}

/// Sends the qualifications of the professionals not `kept`.
fn read_skills(
    reader: &mut dyn BufRead,
    size: u64,
    kept: &HashSet<String>,
    out: &Sender<Message>,
) -> Result<(), String> {
    let mut lines = Lines::open(reader)?;
    let layout = Layout::skills(&lines.text).map_err(|e| e.to_string())?;
    let mut batch = Vec::new();
    while lines.next()? {
        if lines.too_long {
            continue;
        }
        match layout.skill_line(lines.number, &lines.text) {
            Ok(s) if !kept.contains(&s.national_id) => {
                batch.push((s.national_id, s.skill_type, s.skill));
            }
            _ => {}
        }
        if batch.len() == BATCH_LINES {
            send(out, Message::Skills(std::mem::take(&mut batch)))?;
            send(out, lines.progress(size))?;
        }
    }
    send(out, Message::Skills(batch))
}
