//! An essay's sections: Markdown headings (`# Title`, or a line underlined with `===`/`---`),
//! and in plain text a bare short line between paragraphs that does not end a sentence.

/// A section: its heading's text, and the byte range from the heading to the next heading (or
/// the end of the essay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub start: usize,
    pub end: usize,
}

/// Longest line taken for a plain-text heading, in characters, and most words.
const MAX_HEADING_CHARS: usize = 100;
const MAX_HEADING_WORDS: usize = 12;

/// A line of the text with its byte range (without the line break).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']);
        out.push(Line { text: body, start });
        start += piece.len();
    }
    out
}

/// `## Title ##` → "Title".
fn atx_heading(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &trimmed[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim_end();
    (!title.is_empty()).then_some(title)
}

fn is_setext_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 2 && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// Whether a plain-text line reads as a heading rather than a sentence.
fn looks_like_heading(line: &str) -> bool {
    let t = line.trim();
    let Some(first) = t.chars().next() else {
        return false;
    };
    let last = t.chars().next_back().unwrap_or(first);
    let sentence_end = ".!?:;,…\"”'’)]".contains(last) && !t.ends_with("’s") && !t.ends_with("'s");
    (first.is_uppercase() || first.is_ascii_digit())
        && !sentence_end
        && t.chars().count() <= MAX_HEADING_CHARS
        && t.split_whitespace().count() <= MAX_HEADING_WORDS
        && !t.starts_with(['-', '*', '>', '|'])
}

/// The sections of `text`, in order. Text before the first heading belongs to no section.
pub fn sections(text: &str) -> Vec<Section> {
    let lines = lines(text);
    let markdown = lines.iter().any(|l| atx_heading(l.text).is_some())
        || lines
            .windows(2)
            .any(|w| !w[0].text.trim().is_empty() && is_setext_underline(w[1].text));
    let mut headings: Vec<(String, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let heading = if markdown {
            atx_heading(line.text).map(str::to_string).or_else(|| {
                let next = lines.get(i + 1)?;
                let previous_blank = i == 0 || lines[i - 1].text.trim().is_empty();
                (previous_blank && !line.text.trim().is_empty() && is_setext_underline(next.text))
                    .then(|| line.text.trim().to_string())
            })
        } else {
            // Between paragraphs: not the first line (a title) nor the last, and followed by text.
            let followed = lines[i + 1..].iter().find(|l| !l.text.trim().is_empty());
            let preceded = lines[..i].iter().any(|l| !l.text.trim().is_empty());
            (preceded
                && followed.is_some_and(|next| !looks_like_heading(next.text))
                && looks_like_heading(line.text))
            .then(|| line.text.trim().to_string())
        };
        if let Some(title) = heading {
            let indent = line.text.len() - line.text.trim_start().len();
            headings.push((title, line.start + indent));
        }
    }
    let ends = headings
        .iter()
        .skip(1)
        .map(|(_, start)| *start)
        .chain(std::iter::once(text.len()));
    headings
        .iter()
        .zip(ends)
        .map(|((title, start), end)| Section {
            title: title.clone(),
            start: *start,
            end,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str) -> Vec<String> {
        sections(text).into_iter().map(|s| s.title).collect()
    }

    /// An essay of our own, laid out as campus magazines paste theirs: one paragraph per line,
    /// headings as bare lines.
    const PLAIN: &str = "Bong Joon Ho's Parasite swept the 92nd Academy Awards in 2020.\n\
It won four Oscars, including Best Picture.\n\
The Stairs of Seoul\n\
Every staircase in the film goes down.\n\
The Kims live below the street.\n\
Why the Ending Stings\n\
Ki-woo's plan is a dream, and we know it.\n";

    #[test]
    fn plain_text_headings_are_bare_short_lines_between_paragraphs() {
        assert_eq!(
            titles(PLAIN),
            ["The Stairs of Seoul", "Why the Ending Stings"]
        );
        let s = sections(PLAIN);
        assert_eq!(&PLAIN[s[0].start..s[0].start + 19], "The Stairs of Seoul");
        assert_eq!(s[0].end, s[1].start);
        assert_eq!(s[1].end, PLAIN.len());
    }

    #[test]
    fn sentences_and_lists_are_not_headings() {
        let text = "Intro line here.\nShort but a sentence.\nA question?\n- a list item\nBody text that follows.\n";
        assert!(titles(text).is_empty());
    }

    #[test]
    fn possessive_headings_count() {
        let text = "First paragraph of the piece.\nWhy Baker’s Win Matters\nMore text here.\n";
        assert_eq!(titles(text), ["Why Baker’s Win Matters"]);
    }

    #[test]
    fn markdown_headings() {
        let text = "# Moonlight\n\nIntro.\n\n## Three Chapters ##\n\nText.\n\nA Blue Night\n------------\n\nMore.\n";
        assert_eq!(
            titles(text),
            ["Moonlight", "Three Chapters", "A Blue Night"]
        );
        assert_eq!(sections(text)[0].start, 0);
    }

    #[test]
    fn crlf_and_no_headings() {
        assert!(sections("").is_empty());
        assert_eq!(
            titles("Opening words.\r\nThe Turn\r\nClosing words.\r\n"),
            ["The Turn"]
        );
    }
}
