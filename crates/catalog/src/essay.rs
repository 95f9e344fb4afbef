//! Essays: the writing about the catalog, and which catalog entities each one names.

use chrono::NaiveDate;

use crate::{NamedKind, Provenance};

/// An essay as stored: its text and metadata, and the entities the checker linked in it (so
/// a film's page can list the essays that mention the film without re-checking every essay).
#[derive(Debug, Clone, PartialEq)]
pub struct EssayRecord {
    /// The essay's URL name (`the-long-road-to-anora`): lowercase ASCII words joined by `-`.
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub author: String,
    pub tags: Vec<String>,
    /// The day it was published; `None` while it is not.
    pub published: Option<NaiveDate>,
    /// The text, Markdown or plain.
    pub body: String,
    pub mentions: Vec<EssayMention>,
    pub source: Provenance,
}

impl EssayRecord {
    pub fn summary(&self) -> EssaySummary {
        EssaySummary {
            slug: self.slug.clone(),
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            author: self.author.clone(),
            tags: self.tags.clone(),
            published: self.published,
        }
    }
}

/// A catalog entity an essay names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EssayMention {
    pub kind: NamedKind,
    /// The entity's public id (for a character, [`crate::character_id`]).
    pub id: String,
}

/// An essay in a list: everything but its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EssaySummary {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub author: String,
    pub tags: Vec<String>,
    pub published: Option<NaiveDate>,
}

/// Whether `text` is an essay slug: 1–100 characters of lowercase ASCII letters, digits and
/// single inner dashes.
pub fn is_essay_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert!(is_essay_slug("the-long-road-to-anora"));
        assert!(is_essay_slug("anora-2024"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "a/b", "é"] {
            assert!(!is_essay_slug(bad), "{bad:?}");
        }
    }
}
