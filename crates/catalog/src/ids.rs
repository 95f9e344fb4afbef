//! Public identifiers. IMDb ids (`tt…` titles, `nm…` names, `co…` companies) are used wherever
//! they are known, so that the same film from two sources is one film; otherwise entries carry a
//! slug chosen by whoever curated them.

fn has_prefix_and_digits(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|digits| digits.len() >= 7 && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// `tt` followed by at least seven digits.
pub fn is_imdb_title_id(id: &str) -> bool {
    has_prefix_and_digits(id, "tt")
}

/// `nm` followed by at least seven digits.
pub fn is_imdb_name_id(id: &str) -> bool {
    has_prefix_and_digits(id, "nm")
}

/// `co` followed by at least seven digits.
pub fn is_imdb_company_id(id: &str) -> bool {
    has_prefix_and_digits(id, "co")
}

/// A curated id: lowercase ASCII letters, digits and single inner hyphens.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_imdb_ids() {
        assert!(is_imdb_title_id("tt28607951"));
        assert!(is_imdb_title_id("tt0019217"));
        assert!(!is_imdb_title_id("tt123"));
        assert!(!is_imdb_title_id("nm0048918"));
        assert!(is_imdb_name_id("nm0048918"));
        assert!(is_imdb_company_id("co0074827"));
        assert!(!is_imdb_company_id("?"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("neon"));
        assert!(is_slug("prince-of-broadway"));
        assert!(!is_slug("Neon"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }
}
