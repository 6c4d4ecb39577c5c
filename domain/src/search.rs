//! Finding and ordering Vietnamese names the way volunteers expect.
//!
//! People type on phone keyboards without diacritics, so "nguyen van an"
//! must find "Nguyễn Văn An"; and a Vietnamese list of people is ordered by
//! given name (the last word), then by the rest, in the Vietnamese alphabet
//! (a ă â b c d đ e ê … with tones after letters). Both are done with a
//! table of Vietnamese letters rather than Unicode decomposition, which
//! keeps the app small and needs text composed to NFC (it is, at the edge).

use std::cmp::Ordering;

/// The folded form of `text`: lowercase, Vietnamese diacritics removed,
/// `đ` as `d`, white space folded. Compare folded with folded. Text typed
/// decomposed (a letter, then its marks as combining characters, as some
/// keyboards send a search box's text) folds the same: the marks are dropped.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        let letters = word.chars().filter(|c| !is_combining_mark(*c)).map(lowercase);
        folded.extend(letters.map(|c| letter(c).map_or(c, |l| l.base)));
    }
    folded
}

/// The lowercase of a letter of the alphabets Vietnamese names are written
/// in: ASCII, Latin-1, Latin Extended-A, `Ơ` and `Ư`, and Latin Extended
/// Additional (every toned Vietnamese vowel); any other character is left as
/// it is. Written out rather than with Unicode's case tables, which would add
/// about 6 KB to the phone's download (docs/benchmarks.md); each mapping here
/// is Unicode's own (tested against it).
pub fn lowercase(c: char) -> char {
    let code = u32::from(c);
    let lower = match code {
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde => code + 0x20,
        // Pairs capital-small; İ (U+0130) lowercases to two characters.
        0x100..=0x12f | 0x132..=0x137 | 0x14a..=0x177 | 0x1e00..=0x1e95 | 0x1ea0..=0x1eff if code % 2 == 0 => code + 1,
        0x139..=0x148 | 0x179..=0x17e if code % 2 == 1 => code + 1,
        0x178 => 0xff,
        0x1a0 | 0x1af => code + 1,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// A combining diacritical mark (U+0300–U+036F): Vietnamese tones and the
/// breve, circumflex and horn, when typed apart from their letter.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Whether every word of `query` starts a word of `text` or occurs in it, ignoring diacritics and case.
pub fn matches(text: &str, query: &str) -> bool {
    let text = fold(text);
    fold(query).split(' ').filter(|word| !word.is_empty()).all(|word| text.contains(word))
}

/// Orders two Vietnamese full names by given name first, then family and
/// middle names, letter by letter in the Vietnamese alphabet, tones last.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    let key = |name: &str| {
        let mut words: Vec<&str> = name.split_whitespace().collect();
        let given = words.pop().unwrap_or("");
        (collation_key(given), collation_key(&words.join(" ")))
    };
    key(a).cmp(&key(b))
}

/// A key that sorts text in the Vietnamese alphabet: letters first (with
/// ă, â, đ, ê, ô, ơ, ư as letters of their own), tones only to break ties.
pub fn collation_key(text: &str) -> (Vec<u32>, Vec<u8>) {
    let mut letters = Vec::with_capacity(text.len());
    let mut tones = Vec::with_capacity(text.len());
    for c in text.chars().map(lowercase) {
        let (rank, tone) = match letter(c) {
            Some(l) => (alphabet_rank(l.letter), l.tone),
            None => (alphabet_rank(c), 0),
        };
        letters.push(rank);
        tones.push(tone);
    }
    (letters, tones)
}

/// A Vietnamese letter with its diacritics taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Letter {
    /// Plain Latin letter: `ễ` → `e`.
    base: char,
    /// Letter of the Vietnamese alphabet: `ễ` → `ê`.
    letter: char,
    /// 0 none, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng (the usual dictionary order).
    tone: u8,
}

/// Each vowel of the Vietnamese alphabet with its five toned forms, in the
/// tone order huyền, hỏi, ngã, sắc, nặng.
const TONED_VOWELS: &[(char, char, [char; 5])] = &[
    ('a', 'a', ['à', 'ả', 'ã', 'á', 'ạ']),
    ('a', 'ă', ['ằ', 'ẳ', 'ẵ', 'ắ', 'ặ']),
    ('a', 'â', ['ầ', 'ẩ', 'ẫ', 'ấ', 'ậ']),
    ('e', 'e', ['è', 'ẻ', 'ẽ', 'é', 'ẹ']),
    ('e', 'ê', ['ề', 'ể', 'ễ', 'ế', 'ệ']),
    ('i', 'i', ['ì', 'ỉ', 'ĩ', 'í', 'ị']),
    ('o', 'o', ['ò', 'ỏ', 'õ', 'ó', 'ọ']),
    ('o', 'ô', ['ồ', 'ổ', 'ỗ', 'ố', 'ộ']),
    ('o', 'ơ', ['ờ', 'ở', 'ỡ', 'ớ', 'ợ']),
    ('u', 'u', ['ù', 'ủ', 'ũ', 'ú', 'ụ']),
    ('u', 'ư', ['ừ', 'ử', 'ữ', 'ứ', 'ự']),
    ('y', 'y', ['ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ']),
];

fn letter(c: char) -> Option<Letter> {
    if c == 'đ' {
        return Some(Letter { base: 'd', letter: 'đ', tone: 0 });
    }
    if c.is_ascii() {
        return None;
    }
    TONED_VOWELS.iter().find_map(|(base, letter, toned)| {
        if c == *letter {
            return Some(Letter { base: *base, letter: *letter, tone: 0 });
        }
        let tone = toned.iter().position(|t| *t == c)?;
        Some(Letter { base: *base, letter: *letter, tone: tone as u8 + 1 })
    })
}

/// Position in the Vietnamese alphabet; other characters sort after it, by code point.
fn alphabet_rank(letter: char) -> u32 {
    const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
    match ALPHABET.chars().position(|l| l == letter) {
        Some(rank) => rank as u32 + 1,
        None if letter == ' ' => 0,
        None => 1000 + letter as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_ignores_diacritics_and_case() {
        assert!(matches("Nguyễn Văn An", "nguyen van an"));
        assert!(matches("Nguyễn Văn An", "NGUYEN"));
        assert!(matches("Đỗ Quang Huy", "do quang"));
        assert!(matches("Số 12, ngõ 3, Thôn Đông", "ngo 3"));
        assert!(!matches("Nguyễn Văn An", "nguyen van binh"));
    }

    #[test]
    fn text_typed_decomposed_finds_what_is_stored_composed() {
        // "Ngọc Ánh" and "ươ" as NFD: each mark a combining character after its letter.
        let decomposed = "Ngo\u{323}c A\u{301}nh";
        assert!(matches("Lê Thị Ngọc Ánh", decomposed));
        assert!(matches("Lê Thị Ngọc Ánh", "a\u{301}nh"));
        assert_eq!(fold("Ngu\u{31b}o\u{31b}\u{300}i"), fold("Người"));
        assert!(!matches("Lê Thị Ngọc Ánh", "Ngo\u{323}c Bi\u{300}nh"));
    }

    #[test]
    fn every_vietnamese_vowel_folds_to_its_plain_letter() {
        assert_eq!(
            fold("ÀẢÃÁẠ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ ùủũúụ ừửữứự ỳỷỹýỵ Đđ"),
            "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy dd"
        );
    }

    #[test]
    fn lowercase_is_unicodes_own_where_it_maps_and_leaves_the_rest() {
        let mut mapped = 0;
        for c in (0..0x3000).filter_map(char::from_u32) {
            let ours = lowercase(c);
            let mut unicode = c.to_lowercase();
            let (first, second) = (unicode.next(), unicode.next());
            if ours != c {
                assert_eq!((Some(ours), None), (first, second), "{c} (U+{:04X})", u32::from(c));
                mapped += 1;
            }
        }
        // ASCII 26, Latin-1 30, Latin Extended-A 62, Ơ Ư, Latin Extended Additional 123.
        assert_eq!(mapped, 243);
        // Every capital of the Vietnamese alphabet, toned or not.
        let capitals = "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ";
        for c in capitals.chars() {
            assert_eq!(Some(lowercase(c)), c.to_lowercase().next(), "{c}");
            assert_ne!(lowercase(c), c, "{c}");
        }
        assert_eq!(lowercase('İ'), 'İ', "two characters in Unicode: left as it is");
        assert_eq!(lowercase('Ж'), 'Ж', "outside the Latin alphabets: left as it is");
    }

    #[test]
    fn names_sort_by_given_name_first() {
        let mut names = vec!["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Phạm Thu Trang"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, ["Lê Văn An", "Trần Thị An", "Nguyễn Văn Bình", "Phạm Thu Trang"]);
    }

    #[test]
    fn the_vietnamese_alphabet_puts_d_before_dd_and_a_before_breve_a() {
        let mut names = vec!["Đức", "Dũng", "Ân", "Ăn", "An", "Bảo"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, ["An", "Ăn", "Ân", "Bảo", "Dũng", "Đức"]);
    }

    #[test]
    fn tones_only_break_ties() {
        let mut names = vec!["Lý", "Lan", "Lã", "La"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, ["La", "Lã", "Lan", "Lý"]);
    }
}
