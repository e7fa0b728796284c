//! A printed document read back as a reader of the paper would: each page's size and the
//! words on it with their positions, from poppler's `pdftotext -tsv` (installed by
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

/// The pages of the PDF document `pdf`.
pub fn pages(pdf: &[u8]) -> Vec<Page> {
    let path = std::env::temp_dir().join(format!(
        "maillage-printed-{}-{}.pdf",
        std::process::id(),
        pdf.len()
    ));
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg("-tsv")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the PDF: run scripts/test");
    let _ = std::fs::remove_file(&path);
    assert!(output.status.success(), "pdftotext failed");
    // One line per page (level 1), flow, line or word (level 5): level, page, paragraph,
    // block, line, word, left, top, width, height, confidence, text.
    let mut pages: Vec<Page> = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let [level, _, _, _, _, _, left, top, width, height, _, text] = columns[..] else {
            panic!("a line of pdftotext -tsv: {line}");
        };
        let number = |value: &str| -> f64 { value.parse().unwrap() };
        let (left, top, width, height) = (number(left), number(top), number(width), number(height));
        match level {
            "1" => pages.push(Page {
                width,
                height,
                words: Vec::new(),
            }),
            "5" => pages.last_mut().expect("a page first").words.push(Word {
                text: text.to_owned(),
                x_min: left,
                x_max: left + width,
                y_min: top,
                y_max: top + height,
            }),
            _ => {}
        }
    }
    pages
}
