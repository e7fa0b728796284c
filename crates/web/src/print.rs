//! What a printed document carries on each A4 page beside its number (which the shared
//! stylesheet writes at the bottom): the CPTS's name and the document's title at the top
//! left, its date at the top right, as CSS page-margin boxes. The page links the sheet for
//! print; a standalone document holds it.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A quoted CSS string of `text`: quotes and backslashes escaped, line breaks and other
/// control characters left out.
fn css_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars().filter(|c| !c.is_control()) {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// The running header of a document: `title` (the CPTS's name and the document's) at the
/// top left of each page, `date` at the top right.
pub fn running_header(title: &str, date: &str) -> String {
    format!(
        "@page {{\n  @top-left {{ content: {}; }}\n  @top-right {{ content: {}; }}\n}}\n",
        css_string(title),
        css_string(date)
    )
}

/// The running header as a stylesheet answer.
pub fn stylesheet(css: String) -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], css).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_as_css_strings() {
        let css = running_header("CPTS « Aix \"Sud\" » \\ \n— État des lieux", "07/12/2026");
        assert!(
            css.contains("content: \"CPTS « Aix \\\"Sud\\\" » \\\\ — État des lieux\";"),
            "{css}"
        );
        assert!(css.contains("@top-right { content: \"07/12/2026\"; }"));
    }
}
