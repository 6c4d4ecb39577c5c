//! Text as people type it on phone keyboards, made canonical at the edge.
//!
//! Vietnamese keyboards produce both composed (NFC) and decomposed (NFD)
//! text; stored as typed, "Nguyễn" would become two different names. Every
//! free-text field passes through [`normalize`] before it is validated.
//!
//! Composition needs Unicode tables. With the `nfc` feature (the default,
//! and the server's) they come from Rust; the app leaves the feature off to
//! save their weight and composes text with the browser's `String.normalize`
//! before it reaches this crate.

use std::borrow::Cow;

/// Trims, folds every run of white space into one space, drops control
/// characters (NUL, ESC…: nothing a person types, and they travel into
/// exports and other programs), and composes to NFC.
pub fn normalize(raw: &str) -> String {
    let unprintable = |c: char| c.is_control() && !c.is_whitespace();
    // Copied only when something is to be dropped or composed: most text is neither.
    let printable = match raw.contains(unprintable) {
        true => Cow::Owned(raw.chars().filter(|c| !unprintable(*c)).collect()),
        false => Cow::Borrowed(raw),
    };
    let mut folded = String::with_capacity(printable.len());
    for word in compose(&printable).split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    folded
}

#[cfg(feature = "nfc")]
fn compose(raw: &str) -> Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(raw.chars()) {
        IsNormalized::Yes => Cow::Borrowed(raw),
        IsNormalized::No | IsNormalized::Maybe => Cow::Owned(raw.nfc().collect()),
    }
}

/// Without the tables the caller has composed the text already (see the module comment).
#[cfg(not(feature = "nfc"))]
fn compose(raw: &str) -> Cow<'_, str> {
    Cow::Borrowed(raw)
}

/// Like [`normalize`], line by line: notes keep their line breaks.
pub fn normalize_multiline(text: &str) -> String {
    text.lines().map(normalize).collect::<Vec<_>>().join("\n").trim().to_owned()
}

/// Length as a person counts it: characters, not bytes.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "nfc")]
    fn decomposed_and_composed_names_become_the_same_text() {
        let decomposed = "Nguye\u{0302}\u{0303}n Va\u{0306}n An";
        assert_eq!(normalize(decomposed), "Nguyễn Văn An");
        assert_eq!(normalize(decomposed), normalize("Nguyễn Văn An"));
    }

    #[test]
    fn white_space_is_trimmed_and_folded() {
        assert_eq!(normalize("  Số 12,\t ngõ  3 \n"), "Số 12, ngõ 3");
    }

    #[test]
    fn control_characters_are_dropped_and_line_breaks_of_notes_kept() {
        assert_eq!(normalize("Nguy\u{0}ễn\u{1b}[31m Văn\u{7f} An"), "Nguyễn[31m Văn An");
        assert_eq!(normalize_multiline("Dòng một\u{0}\nDòng\u{1b} hai\r\n"), "Dòng một\nDòng hai");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(char_len("Ễ"), 1);
    }
}
