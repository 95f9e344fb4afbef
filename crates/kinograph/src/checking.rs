//! The checker's window on the store: [`kinograph_checker::Catalog`] over [`Store`], and the
//! name automaton built from the store's names.

use kinograph_catalog::{
    AwardRecord, Ceremony, FilmDetails, FilmSummary, PersonDetails, RecordKind, RoleCategory,
};
use kinograph_checker::{Catalog, CatalogError, Checker, NameIndex};
use kinograph_store::{CatalogRead, FilmFilter, Store};

/// The store, as the checker reads it.
pub struct StoreCatalog<'a>(pub &'a Store);

fn lookup<T>(result: kinograph_store::Result<T>) -> Result<T, CatalogError> {
    result.map_err(|e| CatalogError(e.to_string()))
}

impl Catalog for StoreCatalog<'_> {
    fn film(&self, id: &str) -> Result<Option<FilmDetails>, CatalogError> {
        lookup(self.0.film(id))
    }

    fn person(&self, id: &str) -> Result<Option<PersonDetails>, CatalogError> {
        lookup(self.0.person(id))
    }

    fn ceremony(&self, body: &str, ordinal: u32) -> Result<Option<Ceremony>, CatalogError> {
        Ok(lookup(self.0.ceremony(body, ordinal))?.map(|results| results.ceremony))
    }

    fn award_records(
        &self,
        body: &str,
        kind: RecordKind,
        depth: u32,
    ) -> Result<Vec<AwardRecord>, CatalogError> {
        let mut records = lookup(self.0.award_records(body, depth))?;
        records.retain(|r| r.kind == kind);
        Ok(records)
    }

    fn films_of(
        &self,
        person: &str,
        role: Option<RoleCategory>,
        theme: Option<&str>,
    ) -> Result<Vec<FilmSummary>, CatalogError> {
        lookup(self.0.films(&FilmFilter {
            person: Some(person.to_string()),
            role,
            theme: theme.map(str::to_string),
        }))
    }

    fn themes(&self) -> Result<Vec<String>, CatalogError> {
        lookup(self.0.themes())
    }
}

/// The checker over every name in `store`.
pub fn checker(store: &Store) -> anyhow::Result<Checker> {
    let mut entries = Vec::new();
    store.name_entries(&mut |entry| entries.push(entry))?;
    Ok(Checker::new(NameIndex::from_catalog(entries)?)?)
}
