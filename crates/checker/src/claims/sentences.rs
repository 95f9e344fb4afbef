//! Sentences: the unit a claim lives in.

use std::ops::Range;

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "vol", "ch", "fig", "approx", "est",
    "inc", "co", "ltd", "u.s", "u.k", "e.g", "i.e", "etc",
];

/// The byte ranges of `text`'s sentences: ended by `.`, `!` or `?` before a space and a
/// capital (or a quote), and by line breaks. Initials ("Alejandro G. Iñárritu") and
/// abbreviations do not end one.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, ch)) in chars.iter().enumerate() {
        let end = at + ch.len_utf8();
        let ends = match ch {
            '\n' => true,
            '.' | '!' | '?' => {
                let next_is_space = chars.get(i + 1).is_none_or(|&(_, c)| c.is_whitespace());
                let next_word = chars[i + 1..]
                    .iter()
                    .map(|&(_, c)| c)
                    .find(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”' | '’' | '\''));
                let opens_next = next_word.is_none_or(|c| c.is_uppercase() || c.is_ascii_digit());
                next_is_space && opens_next && (ch != '.' || !abbreviation_before(text, at))
            }
            _ => false,
        };
        if ends {
            push_trimmed(text, start..end, &mut found);
            start = end;
        }
    }
    push_trimmed(text, start..text.len(), &mut found);
    found
}

fn abbreviation_before(text: &str, dot: usize) -> bool {
    let word: String = text[..dot]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    // Initials with stops inside them ("L.A.", "U.S.") are one abbreviation.
    let dotted = word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2);
    single_capital || dotted || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn push_trimmed(text: &str, range: Range<usize>, found: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        found.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_ends_and_lines_but_not_initials() {
        assert_eq!(
            split("Alejandro G. Iñárritu won. Did he? Yes!\nNext line. mr. no"),
            [
                "Alejandro G. Iñárritu won.",
                "Did he?",
                "Yes!",
                "Next line. mr. no"
            ]
        );
        assert_eq!(
            split("It cost $6.5 million. Dr. Smith and L.A. Confidential agreed."),
            [
                "It cost $6.5 million.",
                "Dr. Smith and L.A. Confidential agreed."
            ]
        );
    }
}
