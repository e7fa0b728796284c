//! The CSV files people download: `;`-separated UTF-8, as French spreadsheets open them,
//! a header line then one line per record.

/// The file of `header` and `records`.
pub fn table<H, R>(header: &[H], records: impl IntoIterator<Item = R>) -> String
where
    H: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    out.write_record(header).expect("in memory");
    for record in records {
        out.write_record(record).expect("in memory");
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
}
