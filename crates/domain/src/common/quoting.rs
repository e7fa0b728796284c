//! How a value read from a file is quoted in a message: between « », cut to
//! [`QUOTED_CHARS`] characters with an ellipsis, so that one huge field never becomes a
//! huge message.

/// The most characters of a value a message quotes.
pub const QUOTED_CHARS: usize = 200;

/// `value` between French quotation marks, its first [`QUOTED_CHARS`] characters only
/// (then « … »).
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("« {}… »", &value[..end]),
        None => format!("« {value} »"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_value_is_quoted_whole() {
        assert_eq!(quoted("6X"), "« 6X »");
    }

    #[test]
    fn a_long_value_is_cut_after_its_first_characters() {
        let long = "é".repeat(QUOTED_CHARS + 1);
        let shown = quoted(&long);
        assert_eq!(shown, format!("« {}… »", "é".repeat(QUOTED_CHARS)));
        assert_eq!(
            quoted(&long[..2 * QUOTED_CHARS]),
            format!("« {} »", "é".repeat(QUOTED_CHARS))
        );
    }
}
