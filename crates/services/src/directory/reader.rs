//! The reading side of an import, on a blocking thread: lines of the extraction parsed
//! into batches of professionals with their sites, then of qualifications, sent to the
//! writer; bad lines counted and kept (the first ones) to be reported.

use super::source::{Source, next_line};
use maillage_domain::directory::{Activity, Layout, LineError};
use maillage_domain::territory::search_key;
use maillage_store::directory::{ProfessionalRecord, SiteRecord};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, RandomState};
use std::io::BufRead;
use tokio::sync::mpsc::Sender;

/// Lines per batch sent to the writer.
const BATCH_LINES: usize = 2000;
/// How many refused lines are described in the report (all are counted).
pub const ERRORS_SHOWN: usize = 50;

/// Professionals and their sites from consecutive lines.
#[derive(Default)]
pub struct ActivityBatch {
    pub professionals: Vec<ProfessionalRecord>,
    pub sites: Vec<SiteRecord>,
    /// How many of them this import meets for the first time.
    pub first_seen: i64,
}

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
    pub refused: i64,
    pub errors: Vec<LineError>,
    /// Set when reading stopped before the end (unreadable file, too many errors).
    pub stopped: Option<String>,
}

impl ReadSummary {
    fn refuse(&mut self, errors: Vec<LineError>) {
        self.refused += 1;
        let room = ERRORS_SHOWN.saturating_sub(self.errors.len());
        self.errors.extend(errors.into_iter().take(room));
    }
}

/// Reads the whole extraction, sending batches on `out`, refusing bad lines until more
/// than `max_errors` were refused.
pub fn read_extraction(source: &Source, max_errors: i64, out: &Sender<Message>) -> ReadSummary {
    let mut summary = ReadSummary::default();
    let activities = source.read(false, |reader, size| {
        read_activities(reader, size, max_errors, out, &mut summary)
    });
    if let Err(message) = activities {
        summary.stopped.get_or_insert(message);
    }
    if summary.stopped.is_none() {
        let skills = source.read(true, |reader, size| {
            read_skills(reader, size, max_errors, out, &mut summary)
        });
        if let Err(message) = skills {
            summary.stopped.get_or_insert(message);
        }
    }
    summary
}

fn too_many(summary: &ReadSummary, max_errors: i64) -> Result<(), String> {
    if summary.refused > max_errors {
        Err(format!(
            "plus de {max_errors} lignes refusées : import abandonné, rien n’a été écrit."
        ))
    } else {
        Ok(())
    }
}

fn send(out: &Sender<Message>, message: Message) -> Result<(), String> {
    out.blocking_send(message)
        .map_err(|_| "l’écriture s’est arrêtée".to_owned())
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
    // Rows so far per professional (their sites' positions), and a fingerprint of each
    // line to find duplicates.
    let mut rows_of: HashMap<String, i64> = HashMap::new();
    let mut seen_lines: HashMap<u64, u64> = HashMap::new();
    let hasher = RandomState::new();
    let mut batch = BatchBuilder::default();
    while lines.next()? {
        let (number, text) = (lines.number, lines.text.as_str());
        summary.lines_read += 1;
        match seen_lines.entry(hasher.hash_one(text.trim_end())) {
            Entry::Occupied(first) => {
                summary.refuse(vec![LineError {
                    line: number,
                    column: None,
                    message: format!("ligne identique à la ligne {}, ignorée.", first.get()),
                }]);
                too_many(summary, max_errors)?;
                continue;
            }
            Entry::Vacant(slot) => {
                slot.insert(number);
            }
        }
        match layout.activity_line(number, text) {
            Ok(activity) => {
                let position = rows_of.entry(activity.national_id.clone()).or_insert(0);
                batch.add(activity, *position);
                *position += 1;
            }
            Err(errors) => {
                summary.refuse(errors);
                too_many(summary, max_errors)?;
            }
        }
        if batch.lines == BATCH_LINES {
            send(
                out,
                Message::Activities(std::mem::take(&mut batch).finish()),
            )?;
            send(out, lines.progress(size))?;
        }
    }
    send(out, Message::Activities(batch.finish()))?;
    send(out, lines.progress(size))
}

fn read_skills(
    reader: &mut dyn BufRead,
    size: u64,
    max_errors: i64,
    out: &Sender<Message>,
    summary: &mut ReadSummary,
) -> Result<(), String> {
    let mut lines = Lines::open(reader)?;
    let layout = Layout::skills(&lines.text).map_err(|e| e.to_string())?;
    let mut batch = Vec::new();
    while lines.next()? {
        match layout.skill_line(lines.number, &lines.text) {
            Ok(s) => batch.push((s.national_id, s.skill_type, s.skill)),
            Err(errors) => {
                summary.refuse(errors);
                too_many(summary, max_errors)?;
            }
        }
        if batch.len() == BATCH_LINES {
            send(out, Message::Skills(std::mem::take(&mut batch)))?;
            send(out, lines.progress(size))?;
        }
    }
    send(out, Message::Skills(batch))
}

/// Whether an RPPS number is in the range maillage reserves for its synthetic directory
/// (`99…`, see `synth::ids`); real RPPS numbers start with 1 or 2.
fn is_synthetic(identifier: &str) -> bool {
    identifier.len() == 11 && identifier.starts_with("99")
}

/// The lines of one file: the header first (in `text` once opened), then each non-blank
/// line with its number (the header is line 1) and the bytes read so far.
struct Lines<'r> {
    reader: &'r mut dyn BufRead,
    bytes: Vec<u8>,
    text: String,
    number: u64,
    done: u64,
}

impl<'r> Lines<'r> {
    fn open(reader: &'r mut dyn BufRead) -> Result<Self, String> {
        let mut lines = Self {
            reader,
            bytes: Vec::new(),
            text: String::new(),
            number: 1,
            done: 0,
        };
        lines.done = next_line(lines.reader, &mut lines.bytes, &mut lines.text)
            .map_err(|e| e.to_string())? as u64;
        Ok(lines)
    }

    /// How far the reading is in a file of `total` bytes.
    fn progress(&self, total: u64) -> Message {
        Message::Progress {
            done: self.done,
            total,
        }
    }

    /// Moves to the next non-blank line; `false` at the end of the file.
    fn next(&mut self) -> Result<bool, String> {
        loop {
            let read = next_line(self.reader, &mut self.bytes, &mut self.text)
                .map_err(|e| e.to_string())?;
            if read == 0 {
                return Ok(false);
            }
            self.done += read as u64;
            self.number += 1;
            if !self.text.trim().is_empty() {
                return Ok(true);
            }
        }
    }
}

/// Gathers lines into a batch, one professional record per national id.
#[derive(Default)]
struct BatchBuilder {
    batch: ActivityBatch,
    index: HashMap<String, usize>,
    lines: usize,
}

impl BatchBuilder {
    fn add(&mut self, a: Activity, position: i64) {
        self.lines += 1;
        let specialty = if a.skill_type == "S" {
            a.skill.clone()
        } else {
            String::new()
        };
        let professional = match self.index.get(&a.national_id) {
            Some(&i) => i,
            None => {
                let i = self.batch.professionals.len();
                self.index.insert(a.national_id.clone(), i);
                self.batch.professionals.push(ProfessionalRecord {
                    synthetic: is_synthetic(&a.identifier),
                    search_name: search_key(&format!("{} {}", a.last_name, a.first_name)),
                    national_id: a.national_id,
                    id_type: a.id_type,
                    identifier: a.identifier,
                    title: a.title,
                    last_name: a.last_name,
                    first_name: a.first_name,
                    profession: a.profession,
                    category: a.category,
                    specialty: specialty.clone(),
                });
                i
            }
        };
        if !specialty.is_empty() {
            self.batch.professionals[professional].specialty = specialty;
        }
        if position == 0 {
            self.batch.first_seen += 1;
        }
        self.batch.sites.push(SiteRecord {
            professional,
            position,
            mode: a.mode,
            sector: a.sector,
            activity_kind: a.activity_kind,
            siret: a.siret,
            finess: a.finess,
            structure_name: a.structure_name,
            street: a.street,
            address_extra: a.address_extra,
            postcode: a.postcode,
            commune: a.commune.map(|c| c.as_str().to_owned()),
            commune_name: a.commune_name,
            phone: a.phone,
            email: a.email,
        });
    }

    fn finish(self) -> ActivityBatch {
        self.batch
    }
}
