//! Essay text folded for matching, with a way back to the original byte offsets.
//!
//! Matching happens on a folded copy of the text (ASCII, lowercase, curly quotes straight) so
//! that "Iñárritu", "INARRITU" and "Baker’s" meet the catalog's names; every mention is then
//! reported at its offsets in the text the writer wrote.

/// A folded copy of a text, and for each of its bytes the offset of the original character it
/// came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub text: String,
    /// For folded byte `i`, the original byte range of the character it came from.
    origin: Vec<(usize, usize)>,
}

/// Folds one character: letters to lowercase ASCII, curly quotes and apostrophes to straight
/// ones, hyphens and dashes to spaces, other symbols as `deunicode` spells them.
fn fold_char(ch: char, out: &mut String) {
    match ch {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{2032}' => out.push('\''),
        '\u{201c}' | '\u{201d}' | '\u{2033}' => out.push('"'),
        // Hyphens and dashes join words the way spaces do: "Day-Lewis" is "Day Lewis".
        '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push(' '),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => {
            let mut buf = [0_u8; 4];
            for folded in deunicode::deunicode(c.encode_utf8(&mut buf)).chars() {
                out.push(folded.to_ascii_lowercase());
            }
        }
    }
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (offset, ch) in original.char_indices() {
            let before = text.len();
            // "Time... in" and "Time...in": an ellipsis and the spaces around it are one gap,
            // as is any run of spaces. A single stop stays ("Jr.").
            let ellipsis = ch == '…'
                || (ch == '.'
                    && (original[offset + 1..].starts_with('.')
                        || original[..offset].ends_with('.')));
            let gap = ch.is_whitespace() || ellipsis;
            if gap {
                if !text.ends_with(' ') {
                    text.push(' ');
                }
                let span = (offset, offset + ch.len_utf8());
                origin.extend(std::iter::repeat_n(span, text.len() - before));
                continue;
            }
            fold_char(ch, &mut text);
            let span = (offset, offset + ch.len_utf8());
            origin.extend(std::iter::repeat_n(span, text.len() - before));
        }
        Folded { text, origin }
    }

    /// The original byte range of the folded range `start..end` (`start < end`).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let from = self.origin.get(start).map_or(0, |span| span.0);
        let to = end
            .checked_sub(1)
            .and_then(|last| self.origin.get(last))
            .map_or(from, |span| span.1);
        (from, to.max(from))
    }

    /// Whether a word can start at folded byte `i`: the byte before is not a letter or digit.
    pub fn is_word_start(&self, i: usize) -> bool {
        i == 0 || !self.text.as_bytes()[i - 1].is_ascii_alphanumeric()
    }

    /// Whether a word can end at folded byte `i`: the byte there is not a letter or digit.
    pub fn is_word_end(&self, i: usize) -> bool {
        self.text
            .as_bytes()
            .get(i)
            .is_none_or(|b| !b.is_ascii_alphanumeric())
    }
}

#[cfg(test)]
mod tests {
    use super::Folded;

    #[test]
    fn folds_and_maps_back() {
        let original = "Iñárritu’s “Birdman”";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "inarritu's \"birdman\"");
        let start = folded.text.find("birdman").unwrap();
        let (from, to) = folded.original_range(start, start + "birdman".len());
        assert_eq!(&original[from..to], "Birdman");
        let (from, to) = folded.original_range(0, "inarritu".len());
        assert_eq!(&original[from..to], "Iñárritu");
    }

    #[test]
    fn word_boundaries() {
        let folded = Folded::new("Up, Upton");
        assert!(folded.is_word_start(0) && folded.is_word_end(2));
        assert!(folded.is_word_start(4) && !folded.is_word_end(6));
    }
}
