//! What the search index knows of a film or a person: the names it can be found by, and what
//! ranks it.

use crate::{EntityKind, EntityRef};

/// A character someone plays in a film, findable by name ("Moonee").
#[derive(Debug, Clone, PartialEq)]
pub struct CharacterEntry {
    pub name: String,
    pub film: EntityRef,
    pub year: Option<i32>,
    pub person: Option<EntityRef>,
}

/// One film or person as the search index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchEntry {
    pub kind: EntityKind,
    pub id: String,
    pub name: String,
    /// Alternative titles and name variants.
    pub other_names: Vec<String>,
    /// A film's year (release, else award year); a person's birth year.
    pub year: Option<i32>,
    pub genres: Vec<String>,
    /// For a film, the characters in it; for a person, the characters they played.
    pub characters: Vec<CharacterEntry>,
    /// Counted award nominations and wins, credits and (later) votes and essays, folded into one
    /// number: the prior that breaks ties between equally relevant hits.
    pub popularity: f64,
    /// What tells this entry apart from others of the same name: a film's director, a
    /// person's best-known film.
    pub known_for: Option<String>,
}

/// The films and people whose search documents changed since a point in the store's change log.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchChanges {
    /// The change-log position these changes run up to; pass it back to get the next ones.
    pub upto: u64,
    pub entities: Vec<(EntityKind, String)>,
    /// A bulk load logged its changes as one "rebuild everything" entry instead of one per
    /// entity: the index is to be rebuilt from the store.
    pub rebuild: bool,
}

/// One page of every film's, person's or essay's search documents, in the store's own order:
/// a rebuild reads the catalog through these.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchEntryPage {
    pub entries: Vec<SearchEntry>,
    /// Where the next page starts (an opaque position), or `None` after the last one.
    pub next: Option<u64>,
}
