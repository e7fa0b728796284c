//! A CSV file sent as a download (`Content-Disposition: attachment`), starting with the
//! UTF-8 byte-order mark: without it, Excel on Windows reads the accents as Latin-1.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The byte-order mark of UTF-8.
const UTF8_BOM: &str = "\u{FEFF}";

/// `body` (a CSV file) as the download `file_name`.
pub fn attachment(file_name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        format!("{UTF8_BOM}{body}"),
    )
        .into_response()
}
