//! The catalog model of Kinograph: what a film, a person, a credit, a company, an award
//! nomination and a piece of provenance *are*, and the rules that hold for them whatever stores
//! them (how names are normalised, what counts as an Oscar nomination or win).
//!
//! This crate knows nothing of SQL, files or JSON: the store persists these types, importers
//! produce them, and the wire crate turns them into JSON.

mod awards;
mod essay;
mod film;
mod ids;
mod name_entry;
pub mod normalize;
mod provenance;
mod records;
mod search_entry;

pub use awards::{
    AwardClass, Category, Ceremony, CeremonyYears, NominatedFilm, Nomination, NominationCounting,
    Nominee, NomineeRef, ordinal,
};
pub use essay::{EssayMention, EssayRecord, EssaySummary, is_essay_slug};
pub use film::{
    Budget, CatalogCounts, CompanyRecord, CompanyRole, CreditRecord, Film, FilmCompany, FilmCredit,
    FilmDetails, FilmRecord, FilmSummary, ImdbRating, Outcome, PersonCredit, PersonDetails,
    PersonRecord, PersonSummary, RoleCategory,
};
pub use ids::{is_imdb_company_id, is_imdb_name_id, is_imdb_title_id, is_slug};
pub use name_entry::{NameEntry, NamedKind, character_id};
pub use provenance::{Provenance, Sourced};
pub use records::{
    AwardRecord, CategoryHistory, CategoryResults, CeremonyResults, EntityKind, EntityRef,
    NominationView, RecordKind,
};
pub use search_entry::{CharacterEntry, SearchChanges, SearchEntry, SearchEntryPage};
