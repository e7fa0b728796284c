//! The errors of an imported file: each names its line, they are listed in the order of the
//! lines, at most `MAX_ERRORS` of them, and the file is refused whatever their number.

use maillage_domain::FieldErrors;

/// The most errors an import lists.
const MAX_ERRORS: usize = 50;

/// The errors of a file, each with its line, reported under the field `file`.
#[derive(Default)]
pub struct FileErrors {
    errors: Vec<(usize, String)>,
}

impl FileErrors {
    pub fn add(&mut self, line: usize, message: impl std::fmt::Display) {
        self.errors
            .push((line, format!("Ligne {line} : {message}")));
    }

    /// The errors of one line's fields, each named by `label` of its field.
    pub fn add_fields(&mut self, line: usize, errors: &FieldErrors, label: fn(&str) -> &str) {
        for error in errors.iter() {
            self.add(line, format!("{} — {}", label(&error.field), error.message));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `value()` when there is no error; otherwise the first errors by line (those of one
    /// line in the order they were found), and how many more there are.
    pub fn into_result<T>(mut self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        self.errors.sort_by_key(|(line, _)| *line);
        let more = self.errors.len().saturating_sub(MAX_ERRORS);
        let mut listed = FieldErrors::new();
        for (_, message) in self.errors.into_iter().take(MAX_ERRORS) {
            listed.add("file", message);
        }
        if more > 0 {
            listed.add("file", format!("… et {more} autres erreurs."));
        }
        listed.into_result(value)
    }
}
