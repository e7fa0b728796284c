//! The errors of an imported file: each names its line, at most `MAX_ERRORS` are listed,
//! and the file is refused whatever their number.

use maillage_domain::FieldErrors;

/// The most errors an import lists.
const MAX_ERRORS: usize = 50;

/// The errors of a file, under the field `file`.
#[derive(Default)]
pub struct FileErrors {
    errors: FieldErrors,
    count: usize,
}

impl FileErrors {
    pub fn add(&mut self, line: usize, message: impl std::fmt::Display) {
        self.count += 1;
        if self.count <= MAX_ERRORS {
            self.errors.add("file", format!("Ligne {line} : {message}"));
        }
    }

    /// The errors of one line's fields, each named by `label` of its field.
    pub fn add_fields(&mut self, line: usize, errors: &FieldErrors, label: fn(&str) -> &str) {
        for error in errors.iter() {
            self.add(line, format!("{} — {}", label(&error.field), error.message));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn into_result<T>(mut self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.count > MAX_ERRORS {
            let more = self.count - MAX_ERRORS;
            self.errors
                .add("file", format!("… et {more} autres erreurs."));
        }
        self.errors.into_result(value)
    }
}
