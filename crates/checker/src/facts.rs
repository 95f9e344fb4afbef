//! The narrow window through which the checker reads the catalog. The store implements it
//! for real catalogs; tests implement it over a few records. A check asks for the same film
//! or person again and again, so [`Lookup`] remembers answers for the length of one check.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use kinograph_catalog::{
    AwardRecord, Ceremony, FilmDetails, FilmSummary, PersonDetails, RecordKind, RoleCategory,
};

/// A catalog read failed (the store's error, as text: the checker only reports it).
#[derive(Debug, Clone, thiserror::Error)]
#[error("catalog lookup failed: {0}")]
pub struct CatalogError(pub String);

/// What the checker needs to know about the catalog.
pub trait Catalog {
    fn film(&self, id: &str) -> Result<Option<FilmDetails>, CatalogError>;
    fn person(&self, id: &str) -> Result<Option<PersonDetails>, CatalogError>;
    fn ceremony(&self, body: &str, ordinal: u32) -> Result<Option<Ceremony>, CatalogError>;
    /// One record table of `body`, down to rank `depth` (ties included).
    fn award_records(
        &self,
        body: &str,
        kind: RecordKind,
        depth: u32,
    ) -> Result<Vec<AwardRecord>, CatalogError>;
    /// A person's films, with a credit in `role` (any role when `None`) and catalogued with
    /// `theme` (any when `None`), oldest first.
    fn films_of(
        &self,
        person: &str,
        role: Option<RoleCategory>,
        theme: Option<&str>,
    ) -> Result<Vec<FilmSummary>, CatalogError>;
    /// Every theme films are catalogued with.
    fn themes(&self) -> Result<Vec<String>, CatalogError>;
}

type Memo<T> = RefCell<HashMap<String, Option<Rc<T>>>>;

/// Record tables, kept for the checker's lifetime: they are computed over every nomination,
/// and, like the name automaton, hold for the state of the catalog the checker was built for.
pub(crate) type RecordMemo = Mutex<HashMap<(String, RecordKind, u32), Arc<Vec<AwardRecord>>>>;

/// A [`Catalog`] with a memory, for one check.
pub(crate) struct Lookup<'a> {
    catalog: &'a dyn Catalog,
    records: &'a RecordMemo,
    films: Memo<FilmDetails>,
    people: Memo<PersonDetails>,
    themes: RefCell<Option<Rc<Vec<String>>>>,
}

impl<'a> Lookup<'a> {
    pub(crate) fn new(catalog: &'a dyn Catalog, records: &'a RecordMemo) -> Self {
        Lookup {
            catalog,
            records,
            films: RefCell::default(),
            people: RefCell::default(),
            themes: RefCell::default(),
        }
    }

    pub(crate) fn catalog(&self) -> &'a dyn Catalog {
        self.catalog
    }

    pub(crate) fn film(&self, id: &str) -> Result<Option<Rc<FilmDetails>>, CatalogError> {
        if let Some(found) = self.films.borrow().get(id) {
            return Ok(found.clone());
        }
        let found = self.catalog.film(id)?.map(Rc::new);
        self.films
            .borrow_mut()
            .insert(id.to_string(), found.clone());
        Ok(found)
    }

    pub(crate) fn person(&self, id: &str) -> Result<Option<Rc<PersonDetails>>, CatalogError> {
        if let Some(found) = self.people.borrow().get(id) {
            return Ok(found.clone());
        }
        let found = self.catalog.person(id)?.map(Rc::new);
        self.people
            .borrow_mut()
            .insert(id.to_string(), found.clone());
        Ok(found)
    }

    pub(crate) fn award_records(
        &self,
        body: &str,
        kind: RecordKind,
        depth: u32,
    ) -> Result<Arc<Vec<AwardRecord>>, CatalogError> {
        let key = (body.to_string(), kind, depth);
        if let Ok(memo) = self.records.lock()
            && let Some(found) = memo.get(&key)
        {
            return Ok(found.clone());
        }
        let found = Arc::new(self.catalog.award_records(body, kind, depth)?);
        if let Ok(mut memo) = self.records.lock() {
            memo.insert(key, found.clone());
        }
        Ok(found)
    }

    pub(crate) fn themes(&self) -> Result<Rc<Vec<String>>, CatalogError> {
        if let Some(themes) = self.themes.borrow().as_ref() {
            return Ok(themes.clone());
        }
        let themes = Rc::new(self.catalog.themes()?);
        *self.themes.borrow_mut() = Some(themes.clone());
        Ok(themes)
    }
}
