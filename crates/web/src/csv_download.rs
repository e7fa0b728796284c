//! A CSV file sent as a download (`Content-Disposition: attachment`).

use axum::http::header;
use axum::response::{IntoResponse, Response};

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
        body,
    )
        .into_response()
}
