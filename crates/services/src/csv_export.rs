//! The CSV files people download: `;`-separated UTF-8, as French spreadsheets open them,
//! a header line then one line per record; no cell a spreadsheet would run as a formula.

use std::borrow::Cow;

/// Whether `cell` is a plain number, as `-3,2` or `12`: a sign, digits, and a decimal part
/// after a comma or a point.
fn is_number(cell: &[u8]) -> bool {
    let unsigned = cell
        .strip_prefix(b"-")
        .or(cell.strip_prefix(b"+"))
        .unwrap_or(cell);
    let mut parts = unsigned.splitn(2, |b| matches!(b, b',' | b'.'));
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    parts.next().is_some_and(digits) && parts.next().is_none_or(digits)
}

/// `cell`, behind a `'` when a spreadsheet would read it as a formula: when it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP's advice), so that `=HYPERLINK(…)`
/// from an imported name stays text. A plain number (`-3,2`) is left as it is: it runs
/// nothing, and the quote would make it text.
fn neutralised(cell: &[u8]) -> Cow<'_, [u8]> {
    let formula = matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if formula && !is_number(cell) {
        Cow::Owned([b"'", cell].concat())
    } else {
        Cow::Borrowed(cell)
    }
}

/// The file of `header` and `records`, every cell neutralised.
pub fn table<H, R>(header: &[H], records: impl IntoIterator<Item = R>) -> String
where
    H: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let header = header.iter().map(|cell| neutralised(cell.as_ref()));
    out.write_record(header).expect("in memory");
    for record in records {
        let cells: Vec<R::Item> = record.into_iter().collect();
        let cells = cells.iter().map(|cell| neutralised(cell.as_ref()));
        out.write_record(cells).expect("in memory");
    }
    String::from_utf8(out.into_inner().expect("in memory")).expect("UTF-8 fields")
}

#[cfg(test)]
mod tests {
    use super::table;

    #[test]
    fn separates_with_semicolons_and_quotes_what_needs_it() {
        let text = table(
            &["Nom", "Commune"],
            [["Dupont; Jean", "Aix"], ["Martin", "Arles"]],
        );
        assert_eq!(text, "Nom;Commune\n\"Dupont; Jean\";Aix\nMartin;Arles\n");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_behind_a_quote() {
        let text = table(
            &["=Titre", "Valeur"],
            [
                ["=HYPERLINK(\"https://x.example\";\"Cliquez\")", "+33 6"],
                ["-2+3", "@SUM(A1)"],
                ["\tcaché", "\rretour"],
                ["Cabinet = santé", "a-b"],
            ],
        );
        assert_eq!(
            text,
            "'=Titre;Valeur\n\
             \"'=HYPERLINK(\"\"https://x.example\"\";\"\"Cliquez\"\")\";'+33 6\n\
             '-2+3;'@SUM(A1)\n\
             '\tcaché;\"'\rretour\"\n\
             Cabinet = santé;a-b\n"
        );
    }

    #[test]
    fn numbers_stay_numbers() {
        let text = table(&["a", "b", "c", "d"], [["-3,2", "+12", "-7", "-0.5"]]);
        assert_eq!(text, "a;b;c;d\n-3,2;+12;-7;-0.5\n");
        let text = table(&["a", "b", "c"], [["-", "-,5", "-1,2,3"]]);
        assert_eq!(text, "a;b;c\n'-;'-,5;'-1,2,3\n");
    }
}
