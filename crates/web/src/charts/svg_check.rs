//! Test helpers reading the charts' SVG without an XML crate: a well-formedness check and the
//! elements of one name with their attributes and text.

use std::collections::HashMap;

/// One element of the document: its attributes and the text up to its closing tag.
#[derive(Debug)]
pub struct Element {
    pub attributes: HashMap<String, String>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> &str {
        self.attributes.get(name).map_or("", String::as_str)
    }

    /// A numeric attribute (0 when absent).
    pub fn number(&self, name: &str) -> f64 {
        self.attr(name).parse().unwrap_or(0.0)
    }
}

/// Panics unless the tags of `svg` nest properly under one root, attribute values are quoted and
/// every `&` starts one of the XML entities.
pub fn assert_well_formed(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        assert_entities(&rest[..start]);
        let end = rest[start..].find('>').expect("unterminated tag") + start;
        let tag = &rest[start + 1..end];
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
        assert_entities(tag);
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name.trim()), "misnested </{name}>");
        } else {
            if open.is_empty() {
                roots += 1;
            }
            if !tag.ends_with('/') {
                open.push(tag.split_whitespace().next().expect("tag name"));
            }
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    assert_eq!(roots, 1, "one root element");
    assert!(rest.trim().is_empty(), "text after the root element");
}

fn assert_entities(text: &str) {
    for (index, _) in text.match_indices('&') {
        let entity = &text[index..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|known| entity.starts_with(known)),
            "bare & in {text:?}"
        );
    }
}

/// The elements named `name`, in document order.
pub fn elements(svg: &str, name: &str) -> Vec<Element> {
    let opening = format!("<{name} ");
    svg.match_indices(&opening)
        .map(|(start, _)| {
            let end = svg[start..].find('>').expect("tag end") + start;
            let tag = &svg[start + opening.len()..end];
            let text = if tag.ends_with('/') {
                ""
            } else {
                let closing = svg[end..].find(&format!("</{name}>")).expect("closing tag");
                &svg[end + 1..end + closing]
            };
            Element {
                attributes: attributes(tag),
                text: unescape(text.trim()),
            }
        })
        .collect()
}

/// The texts of the `<text>` elements.
pub fn texts(svg: &str) -> Vec<String> {
    elements(svg, "text")
        .into_iter()
        .map(|text| text.text)
        .collect()
}

fn attributes(tag: &str) -> HashMap<String, String> {
    tag.split('"')
        .collect::<Vec<_>>()
        .chunks(2)
        .filter_map(|pair| match pair {
            [key, value] => Some((key.trim().trim_end_matches('=').to_owned(), unescape(value))),
            _ => None,
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[test]
fn a_misnested_document_is_refused() {
    assert_well_formed("<svg a=\"1\"><g><text>x &amp; y</text></g></svg>");
    for broken in [
        "<svg><g></svg></g>",
        "<svg><g></svg>",
        "<svg>a & b</svg>",
        "<svg/><svg/>",
    ] {
        assert!(
            std::panic::catch_unwind(|| assert_well_formed(broken)).is_err(),
            "{broken}"
        );
    }
}
