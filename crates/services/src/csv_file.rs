//! The CSV files people import: the separator their header uses (`;` or `,`), and each
//! record with the number of its line, blank lines counted; lines that cannot be read or do
//! not match the header are errors of their line.

use crate::file_errors::FileErrors;
use maillage_domain::FieldErrors;

/// `;` when the header line has one, `,` otherwise.
fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.contains(';') { b';' } else { b',' }
}

/// Line numbers of byte positions met in increasing order, each counted from the last.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// The position counted up to, and the number of line breaks before it.
    counted: usize,
    breaks: usize,
}

impl LineCounter<'_> {
    /// The line of the record the reader found at `byte`: it starts there with the blank
    /// lines the reader skipped.
    fn line_at(&mut self, byte: u64) -> usize {
        let bytes = self.bytes;
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let start = start.max(self.counted);
        self.breaks += bytes[self.counted..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.counted = start;
        1 + self.breaks
    }
}

/// Every record of `text`, the header first, with its line number; `Err` for a record the
/// reader could not read (an unclosed quote), numbered after the previous one.
fn records(text: &str) -> impl Iterator<Item = (usize, Result<csv::StringRecord, ()>)> + '_ {
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut last_line = 0;
    let mut counter = LineCounter {
        bytes: text.as_bytes(),
        counted: 0,
        breaks: 0,
    };
    reader.into_records().map(move |record| {
        let numbered = match record {
            Ok(record) => {
                let line = record
                    .position()
                    .map_or(last_line + 1, |p| counter.line_at(p.byte()));
                (line, Ok(record))
            }
            Err(_) => (last_line + 1, Err(())),
        };
        last_line = numbered.0;
        numbered
    })
}

/// A data record and the number of its line.
pub type Numbered = (usize, csv::StringRecord);

/// The header of `text` and its data records, blank lines skipped. A record that cannot be
/// read, or whose number of values is not the header's, is an error of its line in `errors`.
pub fn table(
    text: &str,
    errors: &mut FileErrors,
) -> Result<(csv::StringRecord, Vec<Numbered>), FieldErrors> {
    let mut records = records(text);
    let Some((_, Ok(header))) = records.next() else {
        let message = "Le fichier est vide : sa première ligne doit nommer les colonnes.";
        return Err(FieldErrors::single("file", message));
    };
    let mut lines = Vec::new();
    for (number, record) in records {
        let Ok(record) = record else {
            errors.add(number, "ligne illisible : vérifiez ses guillemets.");
            continue;
        };
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            let (found, expected) = (record.len(), header.len());
            let message = format!("{found} valeurs au lieu des {expected} colonnes de l’en-tête.");
            errors.add(number, message);
            continue;
        }
        lines.push((number, record));
    }
    Ok((header, lines))
}

/// The text of a file in UTF-8 (a byte-order mark dropped) or, failing that, Latin-1, as
/// older statistical files are.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_line_numbers() {
        let text = "a;b\n1;2\n\n3;4\n";
        let lines: Vec<usize> = records(text).map(|(line, _)| line).collect();
        assert_eq!(lines, [1, 2, 4]);
        // A quoted value runs over its line break: the next record keeps its own number.
        let text = "a,b\n\"1\n2\",3\n4,5\n";
        let lines: Vec<usize> = records(text).map(|(line, _)| line).collect();
        assert_eq!(lines, [1, 2, 4]);
    }

    #[test]
    fn latin_1_files_are_decoded() {
        assert_eq!(decode(b"\xEF\xBB\xBFd\xc3\xa9c\xc3\xa8s"), "décès");
        assert_eq!(decode(b"d\xe9c\xe8s"), "décès");
    }
}
