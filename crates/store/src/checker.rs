//! The store as the checker reads it: [`kinograph_checker::Catalog`] over [`Store`], and the
//! checker built over every name in the store.

use kinograph_catalog::{
    AwardRecord, Ceremony, FilmDetails, FilmSummary, PersonDetails, RecordKind, RoleCategory,
};
use kinograph_checker::{BuildError, Catalog, CatalogError, Checker, NameIndex, TextWords};

use crate::{CatalogRead, FilmFilter, Result, Store};

fn lookup<T>(result: Result<T>) -> std::result::Result<T, CatalogError> {
    result.map_err(|e| CatalogError(e.to_string()))
}

impl Catalog for Store {
    fn film(&self, id: &str) -> std::result::Result<Option<FilmDetails>, CatalogError> {
        lookup(CatalogRead::film(self, id))
    }

    fn person(&self, id: &str) -> std::result::Result<Option<PersonDetails>, CatalogError> {
        lookup(CatalogRead::person(self, id))
    }

    fn ceremony(
        &self,
        body: &str,
        ordinal: u32,
    ) -> std::result::Result<Option<Ceremony>, CatalogError> {
        lookup(CatalogRead::ceremony_info(self, body, ordinal))
    }

    fn award_records(
        &self,
        body: &str,
        kind: RecordKind,
        depth: u32,
    ) -> std::result::Result<Vec<AwardRecord>, CatalogError> {
        lookup(CatalogRead::award_record(self, body, kind, depth))
    }

    fn films_of(
        &self,
        person: &str,
        role: Option<RoleCategory>,
        theme: Option<&str>,
    ) -> std::result::Result<Vec<FilmSummary>, CatalogError> {
        lookup(CatalogRead::films(
            self,
            &FilmFilter {
                person: Some(person.to_string()),
                role,
                theme: theme.map(str::to_string),
            },
        ))
    }

    fn themes(&self) -> std::result::Result<Vec<String>, CatalogError> {
        lookup(CatalogRead::themes(self))
    }
}

/// Why the checker could not be built from the store.
#[derive(Debug, thiserror::Error)]
pub enum CheckerError {
    #[error(transparent)]
    Store(#[from] crate::Error),
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// The checker over every name in `store` (built once; share it between checks).
pub fn checker(store: &Store) -> std::result::Result<Checker, CheckerError> {
    let mut entries = Vec::new();
    store.name_entries(&mut |entry| entries.push(entry))?;
    Ok(Checker::new(NameIndex::from_catalog(entries)?)?)
}

/// A checker for one text: over only the names of `store` whose words all occur in `text`
/// (the command line's `check`, which runs once and need not build the whole automaton).
///
/// Only the entries whose names can occur in the text are built: in a catalog of millions,
/// building every entry to keep a few thousand was nearly all of a check's time and memory.
pub fn checker_for(store: &Store, text: &str) -> std::result::Result<Checker, CheckerError> {
    let words = TextWords::new(text);
    let mut entries = Vec::new();
    store.name_entries_admitted(
        &|kind, name, variants| words.admits(kind, name, variants),
        &mut |entry| entries.push(entry),
    )?;
    Ok(Checker::new(NameIndex::for_text(entries, text)?)?)
}
