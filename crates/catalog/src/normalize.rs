//! Name normalisation shared by lookups, merging, search and the checker: two spellings that a
//! reader would call the same name get the same key.

/// The lookup key of a title or a name: ASCII-folded (diacritics dropped: "Iñárritu" →
/// "inarritu"), lowercase, curly quotes made straight, every run of other punctuation and
/// white space made one space, `&` spelled "and".
pub fn key(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for ch in folded.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(ch.to_ascii_lowercase());
        } else if ch == '\'' {
            // "Baker's" and "Bakers" are one key; apostrophes join, they do not split.
        } else if ch == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            pending_space = true;
        } else {
            pending_space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(key("Alejandro G. Iñárritu"), "alejandro g inarritu");
        assert_eq!(key("The Florida Project"), "the florida project");
        assert_eq!(key("  Anora  "), "anora");
        assert_eq!(key("Baker’s"), "bakers");
        assert_eq!(key("Baker's"), "bakers");
        assert_eq!(key("Tom & Jerry"), "tom and jerry");
        assert_eq!(
            key("Crouching Tiger, Hidden Dragon"),
            "crouching tiger hidden dragon"
        );
        assert_eq!(key("M*A*S*H"), "m a s h");
        assert_eq!(key(""), "");
    }
}
