//! A printed document read back as a reader of the paper would: each page's size and the
//! words on it with their positions, from poppler's `pdftotext -bbox` (installed by
//! `scripts/test`).

use std::process::Command;

/// A word and its box, in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

impl Page {
    /// The page's words, separated by spaces.
    pub fn text(&self) -> String {
        let words: Vec<&str> = self.words.iter().map(|w| w.text.as_str()).collect();
        words.join(" ")
    }

    /// The words that reach past an edge of the page: cut off on paper.
    pub fn cut(&self) -> Vec<&Word> {
        self.words
            .iter()
            .filter(|w| {
                w.x_min < 0.0 || w.y_min < 0.0 || w.x_max > self.width || w.y_max > self.height
            })
            .collect()
    }
}

/// The value of the attribute `name` in an element's opening tag.
fn attribute(tag: &str, name: &str) -> f64 {
    let marker = format!("{name}=\"");
    tag.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("{name} in {tag}"))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The pages of the PDF document `pdf`.
pub fn pages(pdf: &[u8]) -> Vec<Page> {
    let path = std::env::temp_dir().join(format!(
        "maillage-printed-{}-{}.pdf",
        std::process::id(),
        pdf.len()
    ));
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the PDF: run scripts/test");
    let _ = std::fs::remove_file(&path);
    assert!(output.status.success(), "pdftotext failed");
    let html = String::from_utf8(output.stdout).unwrap();
    html.split("<page ")
        .skip(1)
        .map(|page| {
            let (tag, body) = page.split_once('>').unwrap();
            let words = body
                .split("<word ")
                .skip(1)
                .map(|word| {
                    let (tag, rest) = word.split_once('>').unwrap();
                    let text = rest.split("</word>").next().unwrap();
                    Word {
                        text: unescape(text),
                        x_min: attribute(tag, "xMin"),
                        x_max: attribute(tag, "xMax"),
                        y_min: attribute(tag, "yMin"),
                        y_max: attribute(tag, "yMax"),
                    }
                })
                .collect();
            Page {
                width: attribute(tag, "width"),
                height: attribute(tag, "height"),
                words,
            }
        })
        .collect()
}
