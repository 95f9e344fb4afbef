//! Query results about awards: nominations as read back, ceremony results and records.

use crate::{AwardClass, Category, Ceremony, NominationCounting, Provenance};

/// The kinds of catalog entity that have public ids, names and aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Film,
    Person,
    Company,
    /// A published essay (its id is its slug); searchable like the catalog's entities.
    Essay,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Film => "film",
            EntityKind::Person => "person",
            EntityKind::Company => "company",
            EntityKind::Essay => "essay",
        }
    }
}

/// A reference to a catalog entity by public id and display name; `id` is `None` for a name
/// the data set gives without an id (an unknown nominee, an unlinked film title).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityRef {
    pub id: Option<String>,
    pub name: String,
}

impl EntityRef {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        EntityRef {
            id: Some(id.into()),
            name: name.into(),
        }
    }
}

/// A nomination as read back from the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct NominationView {
    pub body: String,
    pub ceremony: u32,
    /// The ceremony's years as labelled (`2024`, `1927/28`).
    pub ceremony_years: String,
    pub category: String,
    pub canonical_category: String,
    pub class: AwardClass,
    pub films: Vec<EntityRef>,
    pub credit: String,
    pub nominees: Vec<EntityRef>,
    pub winner: bool,
    pub detail: Vec<String>,
    pub note: Option<String>,
    pub counting: NominationCounting,
    pub source: Provenance,
}

/// All nominations of one category at one ceremony.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryResults {
    pub category: Category,
    pub nominations: Vec<NominationView>,
}

/// Every nomination of one category (by canonical name) across a body's ceremonies, newest
/// ceremony first; `category.name` is the name it had most recently.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryHistory {
    pub body_name: String,
    pub category: Category,
    pub nominations: Vec<NominationView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CeremonyResults {
    pub body_name: String,
    pub ceremony: Ceremony,
    pub categories: Vec<CategoryResults>,
}

/// The records Kinograph computes from nomination rows, each under the counting rules of
/// [`NominationCounting`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// Wins by one person for a single film: rows naming both the person and the film.
    PersonWinsForOneFilm,
    FilmWins,
    FilmNominations,
    PersonWins,
    PersonNominations,
    /// Distinct canonical categories a person has won in.
    PersonCategoriesWon,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::PersonWinsForOneFilm,
        RecordKind::FilmWins,
        RecordKind::FilmNominations,
        RecordKind::PersonWins,
        RecordKind::PersonNominations,
        RecordKind::PersonCategoriesWon,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::PersonWinsForOneFilm => "most_wins_by_person_for_one_film",
            RecordKind::FilmWins => "most_wins_by_film",
            RecordKind::FilmNominations => "most_nominations_by_film",
            RecordKind::PersonWins => "most_wins_by_person",
            RecordKind::PersonNominations => "most_nominations_by_person",
            RecordKind::PersonCategoriesWon => "most_categories_won_by_person",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            RecordKind::PersonWinsForOneFilm => "Most wins by one person for a single film",
            RecordKind::FilmWins => "Most wins by a film",
            RecordKind::FilmNominations => "Most nominations for a film",
            RecordKind::PersonWins => "Most wins by a person",
            RecordKind::PersonNominations => "Most nominations for a person",
            RecordKind::PersonCategoriesWon => "Wins in the most categories by a person",
        }
    }

    /// Whether the count is of nominations rather than of wins.
    pub fn counts_nominations(self) -> bool {
        matches!(
            self,
            RecordKind::FilmNominations | RecordKind::PersonNominations
        )
    }
}

/// One place in a record table: who holds it, for which film, how many, and the nomination
/// rows that were counted.
#[derive(Debug, Clone, PartialEq)]
pub struct AwardRecord {
    pub kind: RecordKind,
    /// 1 for the record holder(s); ties share a rank.
    pub rank: u32,
    pub holder: EntityRef,
    pub film: Option<EntityRef>,
    pub count: u32,
    pub evidence: Vec<NominationView>,
}
