//! The write half of the SQLite backend: idempotent upserts inside one transaction.

use std::sync::LazyLock;

use chrono::NaiveDate;
use kinograph_catalog::{
    Budget, CeremonyYears, CompanyRecord, CreditRecord, EntityKind, FilmCompany, FilmRecord,
    Nomination, NomineeRef, Outcome, PersonRecord, Provenance, is_imdb_company_id, is_imdb_name_id,
    is_imdb_title_id, normalize,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::{json_list, to_json_list};
use crate::{CatalogWrite, Error, Put, Result};

pub(super) struct SqliteWriter<'c> {
    pub(super) conn: &'c Connection,
    /// How this batch's changes reach the search index's change log.
    logging: std::cell::Cell<ChangeLogging>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeLogging {
    /// Each changed film or person, one entry each.
    EachChange,
    /// One rebuild entry, at the batch's first change (a batch that changes nothing logs
    /// nothing).
    RebuildOnChange,
    /// The rebuild entry is written: nothing more to log in this batch.
    RebuildLogged,
}

impl<'c> SqliteWriter<'c> {
    pub(super) fn new(conn: &'c Connection) -> Self {
        SqliteWriter {
            conn,
            logging: std::cell::Cell::new(ChangeLogging::EachChange),
        }
    }

    fn put_source(&self, kind: &str, pk: i64, field: &str, source: &Provenance) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO fact_sources (entity_kind, entity_pk, field, dataset, locator, citation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (entity_kind, entity_pk, field) DO UPDATE SET
                   dataset = excluded.dataset, locator = excluded.locator, citation = excluded.citation",
            )?
            .execute(params![kind, pk, field, source.dataset, source.locator, source.citation])?;
        Ok(())
    }

    /// The primary key and public id of an entity given by public id or IMDb id.
    fn lookup(&self, kind: EntityKind, id: &str) -> Result<Option<(i64, String)>> {
        let sql = match kind {
            EntityKind::Film => "SELECT pk, id FROM films WHERE id = ?1 OR imdb_id = ?1",
            EntityKind::Person => "SELECT pk, id FROM people WHERE id = ?1 OR imdb_id = ?1",
            EntityKind::Company => "SELECT pk, id FROM companies WHERE id = ?1 OR imdb_id = ?1",
            // Essays are not catalog entities: they have no aliases, credits or sources.
            EntityKind::Essay => return Ok(None),
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?)
    }

    fn require(&self, kind: EntityKind, id: &str) -> Result<i64> {
        match self.lookup(kind, id)? {
            Some((pk, _)) => Ok(pk),
            None => Err(Error::UnknownEntity {
                kind: kind.as_str(),
                id: id.to_string(),
            }),
        }
    }

    /// A film not yet known by this IMDb id may be one a curator entered without it, under the
    /// same title and (nearly) the same year.
    fn film_by_title_and_year(
        &self,
        title: &str,
        year: i32,
        imdb_id: Option<&str>,
    ) -> Result<Option<(i64, String)>> {
        // With an IMDb id, only films without one are candidates: the partial index on those
        // keeps this one probe even where IMDb has a title hundreds of thousands of times
        // ("Episode #1.1").
        let sql = if imdb_id.is_some() {
            "SELECT pk, id FROM films
             WHERE title_key = ?1 AND imdb_id IS NULL
               AND (year = ?2 OR (year IS NULL AND award_year BETWEEN ?2 AND ?2 + 1)
                    OR year BETWEEN ?2 - 1 AND ?2)
             LIMIT 2"
        } else {
            "SELECT pk, id FROM films
             WHERE title_key = ?1
               AND (year = ?2 OR (year IS NULL AND award_year BETWEEN ?2 AND ?2 + 1))
             LIMIT 2"
        };
        let found: Vec<(i64, String)> = self
            .conn
            .prepare_cached(sql)?
            .query_map(params![normalize::key(title), year], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        // Two candidates means we cannot tell which: better two entries than a wrong merge.
        Ok(if found.len() == 1 {
            found.into_iter().next()
        } else {
            None
        })
    }

    fn add_alias_if_new_name(
        &self,
        kind: EntityKind,
        pk: i64,
        name: &str,
        source: &Provenance,
    ) -> Result<()> {
        let (table, column) = match kind {
            EntityKind::Film => ("films", "title_key"),
            EntityKind::Person => ("people", "name_key"),
            EntityKind::Company => ("companies", "name_key"),
            EntityKind::Essay => return Ok(()),
        };
        let current: String = self.conn.query_row(
            &format!("SELECT {column} FROM {table} WHERE pk = ?1"),
            [pk],
            |row| row.get(0),
        )?;
        if current != normalize::key(name) {
            self.insert_alias(kind, pk, name, source)?;
        }
        Ok(())
    }

    /// Tells the search index that this film's or person's document must be rebuilt.
    pub(super) fn changed(&self, kind: EntityKind, pk: i64) -> Result<()> {
        if kind == EntityKind::Company {
            return Ok(());
        }
        match self.logging.get() {
            ChangeLogging::EachChange => {}
            ChangeLogging::RebuildLogged => return Ok(()),
            ChangeLogging::RebuildOnChange => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO search_changes (entity_kind, entity_pk) VALUES (?1, 0)",
                    )?
                    .execute([super::search::REBUILD_MARKER])?;
                self.logging.set(ChangeLogging::RebuildLogged);
                return Ok(());
            }
        }
        self.conn
            .prepare_cached("INSERT INTO search_changes (entity_kind, entity_pk) VALUES (?1, ?2)")?
            .execute(params![kind.as_str(), pk])?;
        Ok(())
    }

    /// A person's new name shows in the documents of the characters they play, which belong to
    /// the films: those are logged as changed too.
    fn person_renamed(&self, pk: i64) -> Result<()> {
        self.changed(EntityKind::Person, pk)?;
        if self.logging.get() != ChangeLogging::EachChange {
            return Ok(());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO search_changes (entity_kind, entity_pk)
                 SELECT 'film', film_pk FROM credits WHERE person_pk = ?1 AND characters <> '[]'
                 UNION
                 SELECT 'film', nf.film_pk FROM nomination_nominees nn
                 JOIN nomination_films nf ON nf.nomination_pk = nn.nomination_pk
                 JOIN nominations n ON n.pk = nn.nomination_pk
                 JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Acting'
                 WHERE nn.person_pk = ?1 AND nf.film_pk IS NOT NULL",
            )?
            .execute([pk])?;
        Ok(())
    }

    /// Logs every film and person a nomination names as changed (their award counts moved).
    fn nomination_changed(&self, nomination_pk: i64) -> Result<()> {
        if self.logging.get() != ChangeLogging::EachChange {
            // One film stands for all: the rebuild re-indexes every one.
            return self.changed(EntityKind::Film, 0);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO search_changes (entity_kind, entity_pk)
                 SELECT 'film', film_pk FROM nomination_films WHERE nomination_pk = ?1 AND film_pk IS NOT NULL
                 UNION ALL
                 SELECT 'person', person_pk FROM nomination_nominees WHERE nomination_pk = ?1 AND person_pk IS NOT NULL",
            )?
            .execute([nomination_pk])?;
        Ok(())
    }

    fn insert_alias(
        &self,
        kind: EntityKind,
        pk: i64,
        name: &str,
        source: &Provenance,
    ) -> Result<Outcome> {
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT INTO aliases (entity_kind, entity_pk, name, name_key, dataset, locator, citation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                kind.as_str(),
                pk,
                name,
                normalize::key(name),
                source.dataset,
                source.locator,
                source.citation
            ])?;
        if inserted == 1 {
            self.changed(kind, pk)?;
            Ok(Outcome::New)
        } else {
            Ok(Outcome::Unchanged)
        }
    }

    /// The film a nomination names, created from the nomination if the catalog lacks it.
    fn ensure_nominated_film(
        &self,
        imdb_id: &str,
        title: &str,
        award_year: Option<i32>,
        source: &Provenance,
    ) -> Result<i64> {
        let existing = match self.lookup(EntityKind::Film, imdb_id)? {
            Some(found) => Some(found),
            None => match award_year {
                Some(year) => self.film_by_title_and_year(title, year, Some(imdb_id))?,
                None => None,
            },
        };
        if let Some((pk, _)) = existing {
            self.conn
                .prepare_cached(
                    "UPDATE films SET imdb_id = COALESCE(imdb_id, ?2),
                                      award_year = COALESCE(award_year, ?3)
                     WHERE pk = ?1",
                )?
                .execute(params![pk, imdb_id, award_year])?;
            self.add_alias_if_new_name(EntityKind::Film, pk, title, source)?;
            return Ok(pk);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO films (id, imdb_id, title, title_key, award_year) VALUES (?1, ?1, ?2, ?3, ?4)",
            )?
            .execute(params![imdb_id, title, normalize::key(title), award_year])?;
        let pk = self.conn.last_insert_rowid();
        self.put_source("film", pk, "title", source)?;
        if award_year.is_some() {
            self.put_source("film", pk, "award_year", source)?;
        }
        Ok(pk)
    }

    /// The company a nomination names, created if the catalog lacks it.
    fn ensure_company(&self, id: &str, name: &str, source: &Provenance) -> Result<i64> {
        if let Some((pk, _)) = self.lookup(EntityKind::Company, id)? {
            self.add_alias_if_new_name(EntityKind::Company, pk, name, source)?;
            return Ok(pk);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO companies (id, imdb_id, name, name_key) VALUES (?1, ?1, ?2, ?3)",
            )?
            .execute(params![id, name, normalize::key(name)])?;
        let pk = self.conn.last_insert_rowid();
        self.put_source("company", pk, "name", source)?;
        Ok(pk)
    }

    /// The person a nomination names, created if the catalog lacks them. A name shared by
    /// several people only stands in until a credit gives the person's own name.
    fn ensure_person(
        &self,
        id: &str,
        name: &str,
        shared: bool,
        source: &Provenance,
    ) -> Result<i64> {
        let existing: Option<(i64, String, bool)> = self
            .conn
            .prepare_cached(
                "SELECT pk, name, name_is_shared_credit FROM people WHERE id = ?1 OR imdb_id = ?1",
            )?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .optional()?;
        match existing {
            Some((pk, old_name, true)) if !shared => {
                self.conn
                    .prepare_cached("UPDATE people SET name = ?2, name_key = ?3, name_is_shared_credit = 0 WHERE pk = ?1")?
                    .execute(params![pk, name, normalize::key(name)])?;
                self.put_source("person", pk, "name", source)?;
                self.insert_alias(EntityKind::Person, pk, &old_name, source)?;
                self.person_renamed(pk)?;
                Ok(pk)
            }
            Some((pk, _, _)) => {
                self.add_alias_if_new_name(EntityKind::Person, pk, name, source)?;
                Ok(pk)
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO people (id, imdb_id, name, name_key, name_is_shared_credit) VALUES (?1, ?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![id, name, normalize::key(name), shared])?;
                let pk = self.conn.last_insert_rowid();
                self.put_source("person", pk, "name", source)?;
                Ok(pk)
            }
        }
    }

    fn body_pk(&self, body: &str) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT pk FROM award_bodies WHERE id = ?1")?
            .query_row([body], |row| row.get(0))
            .optional()?
            .ok_or_else(|| Error::UnknownEntity {
                kind: "award body",
                id: body.to_string(),
            })
    }

    /// The ceremony's key, created if missing; refuses years that contradict the catalog.
    fn ensure_ceremony(
        &self,
        body_pk: i64,
        body: &str,
        ordinal: u32,
        years: Option<CeremonyYears>,
    ) -> Result<(i64, bool)> {
        let existing: Option<(i64, Option<i32>, Option<i32>)> = self
            .conn
            .prepare_cached("SELECT pk, first_year, last_year FROM ceremonies WHERE body_pk = ?1 AND ordinal = ?2")?
            .query_row(params![body_pk, ordinal], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .optional()?;
        match existing {
            None => {
                self.conn
                    .prepare_cached("INSERT INTO ceremonies (body_pk, ordinal, first_year, last_year) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![body_pk, ordinal, years.map(|y| y.first), years.map(|y| y.last)])?;
                Ok((self.conn.last_insert_rowid(), true))
            }
            Some((pk, Some(first), Some(last))) => {
                if let Some(years) = years
                    && (years.first, years.last) != (first, last)
                {
                    let known = CeremonyYears { first, last };
                    return Err(Error::Rejected(format!(
                        "{body} ceremony {ordinal} honours {known} in the catalog, not {years}"
                    )));
                }
                Ok((pk, false))
            }
            Some((pk, _, _)) => {
                if let Some(years) = years {
                    self.conn
                        .prepare_cached(
                            "UPDATE ceremonies SET first_year = ?2, last_year = ?3 WHERE pk = ?1",
                        )?
                        .execute(params![pk, years.first, years.last])?;
                }
                Ok((pk, false))
            }
        }
    }
}

/// A film row's own fields, compared to decide whether a put changed anything.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilmFields {
    pub(crate) title: String,
    pub(crate) original_title: Option<String>,
    pub(crate) year: Option<i32>,
    pub(crate) runtime_minutes: Option<u32>,
    pub(crate) genres: Vec<String>,
    pub(crate) synopsis: Option<String>,
    pub(crate) tmdb_id: Option<u64>,
    pub(crate) budget: Option<Budget>,
    pub(crate) title_type: Option<String>,
    pub(crate) end_year: Option<i32>,
    pub(crate) is_adult: Option<bool>,
}

impl FilmFields {
    pub(crate) fn from_record(record: &FilmRecord) -> Self {
        FilmFields {
            title: record.title.clone(),
            original_title: record.original_title.clone(),
            year: record.year,
            runtime_minutes: record.runtime_minutes,
            genres: record.genres.clone(),
            synopsis: record.synopsis.clone(),
            tmdb_id: record.tmdb_id,
            budget: record.budget.as_ref().map(|b| b.value.clone()),
            title_type: record.title_type.clone(),
            end_year: record.end_year,
            is_adult: record.is_adult,
        }
    }

    /// What the film is after `record` is merged in: given values win, missing ones keep.
    pub(crate) fn merged_with(&self, record: &FilmRecord) -> Self {
        let new = FilmFields::from_record(record);
        FilmFields {
            title: new.title,
            original_title: new.original_title.or_else(|| self.original_title.clone()),
            year: new.year.or(self.year),
            runtime_minutes: new.runtime_minutes.or(self.runtime_minutes),
            genres: if new.genres.is_empty() {
                self.genres.clone()
            } else {
                new.genres
            },
            synopsis: new.synopsis.or_else(|| self.synopsis.clone()),
            tmdb_id: new.tmdb_id.or(self.tmdb_id),
            budget: new.budget.or_else(|| self.budget.clone()),
            title_type: new.title_type.or_else(|| self.title_type.clone()),
            end_year: new.end_year.or(self.end_year),
            is_adult: new.is_adult.or(self.is_adult),
        }
    }

    fn load(conn: &Connection, pk: i64) -> Result<Self> {
        let row = conn.query_row(
            "SELECT title, original_title, year, runtime_minutes, genres, synopsis, tmdb_id,
                    budget_amount, budget_currency, budget_note, title_type, end_year, is_adult
             FROM films WHERE pk = ?1",
            [pk],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<i32>>(2)?,
                    row.get::<_, Option<u32>>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, Option<i64>>(6)?,
                    row.get::<_, Option<i64>>(7)?,
                    row.get::<_, Option<String>>(8)?,
                    row.get::<_, Option<String>>(9)?,
                    row.get::<_, Option<String>>(10)?,
                    row.get::<_, Option<i32>>(11)?,
                    row.get::<_, Option<bool>>(12)?,
                ))
            },
        )?;
        let (
            title,
            original_title,
            year,
            runtime_minutes,
            genres,
            synopsis,
            tmdb_id,
            amount,
            currency,
            note,
            title_type,
            end_year,
            is_adult,
        ) = row;
        Ok(FilmFields {
            title,
            original_title,
            year,
            runtime_minutes,
            genres: json_list(&genres)?,
            synopsis,
            tmdb_id: tmdb_id.and_then(|id| u64::try_from(id).ok()),
            budget: amount.zip(currency).map(|(amount, currency)| Budget {
                amount,
                currency,
                note,
            }),
            title_type,
            end_year,
            is_adult,
        })
    }

    /// The columns a film's fields are stored in, in [`FilmFields::values`]' order.
    pub(crate) const COLUMNS: &'static str = "title, title_key, original_title, year, runtime_minutes, \
        genres, synopsis, tmdb_id, budget_amount, budget_currency, budget_note, title_type, \
        end_year, is_adult";

    fn values(&self) -> [Value; 14] {
        [
            self.title.clone().into(),
            normalize::key(&self.title).into(),
            self.original_title.clone().into(),
            self.year.into(),
            self.runtime_minutes.into(),
            to_json_list(&self.genres).into(),
            self.synopsis.clone().into(),
            self.tmdb_id.and_then(|id| i64::try_from(id).ok()).into(),
            self.budget.as_ref().map(|b| b.amount).into(),
            self.budget.as_ref().map(|b| b.currency.clone()).into(),
            self.budget.as_ref().and_then(|b| b.note.clone()).into(),
            self.title_type.clone().into(),
            self.end_year.into(),
            self.is_adult.into(),
        ]
    }

    /// A new film with these fields: one row written once (an import writes millions).
    fn insert(&self, conn: &Connection, id: &str, imdb_id: Option<&str>) -> Result<i64> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!(
                "INSERT INTO films (id, imdb_id, {}) VALUES (?1, ?2, {})",
                FilmFields::COLUMNS,
                placeholders(3, 14)
            )
        });
        let key: [Value; 2] = [id.to_string().into(), imdb_id.map(str::to_string).into()];
        conn.prepare_cached(&SQL)?
            .execute(params_from_iter(key.into_iter().chain(self.values())))?;
        Ok(conn.last_insert_rowid())
    }

    fn store(&self, conn: &Connection, pk: i64) -> Result<()> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!(
                "UPDATE films SET ({}) = ({}) WHERE pk = ?1",
                FilmFields::COLUMNS,
                placeholders(2, 14)
            )
        });
        conn.prepare_cached(&SQL)?.execute(params_from_iter(
            std::iter::once(Value::from(pk)).chain(self.values()),
        ))?;
        Ok(())
    }
}

/// `?first, ?first+1, …`, `count` of them.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("?{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CatalogWrite for SqliteWriter<'_> {
    fn log_rebuild(&mut self) -> Result<()> {
        if self.logging.get() == ChangeLogging::EachChange {
            self.logging.set(ChangeLogging::RebuildOnChange);
        }
        Ok(())
    }

    fn put_film(&mut self, film: &FilmRecord) -> Result<Put> {
        let imdb_id = is_imdb_title_id(&film.id).then_some(film.id.as_str());
        let existing = match self.lookup(EntityKind::Film, &film.id)? {
            Some(found) => Some(found),
            None => match film.year {
                Some(year) => self.film_by_title_and_year(&film.title, year, imdb_id)?,
                None => None,
            },
        };
        let (pk, id, outcome) = match existing {
            None => {
                let pk = FilmFields::from_record(film).insert(self.conn, &film.id, imdb_id)?;
                (pk, film.id.clone(), Outcome::New)
            }
            Some((pk, id)) => {
                let before = FilmFields::load(self.conn, pk)?;
                let after = before.merged_with(film);
                if imdb_id.is_some() {
                    self.conn.execute(
                        "UPDATE films SET imdb_id = COALESCE(imdb_id, ?2) WHERE pk = ?1",
                        params![pk, imdb_id],
                    )?;
                }
                if after == before {
                    (pk, id, Outcome::Unchanged)
                } else {
                    if normalize::key(&before.title) != normalize::key(&after.title) {
                        // The old title stays findable.
                        self.insert_alias(EntityKind::Film, pk, &before.title, &film.source)?;
                    }
                    after.store(self.conn, pk)?;
                    (pk, id, Outcome::Updated)
                }
            }
        };
        let given = [
            ("title", true),
            ("original_title", film.original_title.is_some()),
            ("year", film.year.is_some()),
            ("runtime_minutes", film.runtime_minutes.is_some()),
            ("genres", !film.genres.is_empty()),
            ("synopsis", film.synopsis.is_some()),
            ("tmdb_id", film.tmdb_id.is_some()),
            ("title_type", film.title_type.is_some()),
            ("end_year", film.end_year.is_some()),
            ("is_adult", film.is_adult.is_some()),
        ];
        for (field, _) in given.iter().filter(|(_, given)| *given) {
            self.put_source("film", pk, field, &film.source)?;
        }
        if let Some(budget) = &film.budget {
            self.put_source("film", pk, "budget", &budget.source)?;
        }
        if outcome != Outcome::Unchanged {
            self.changed(EntityKind::Film, pk)?;
        }
        Ok(Put { id, outcome })
    }

    fn put_person(&mut self, person: &PersonRecord) -> Result<Put> {
        let imdb_id = is_imdb_name_id(&person.id).then_some(person.id.as_str());
        let fields = (
            person.name.clone(),
            person.birth_year,
            person.death_year,
            to_json_list(&person.professions),
        );
        let (pk, id, outcome) = match self.lookup(EntityKind::Person, &person.id)? {
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO people (id, imdb_id, name, name_key, birth_year, death_year, professions)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![person.id, imdb_id, fields.0, normalize::key(&fields.0), fields.1, fields.2, fields.3])?;
                (
                    self.conn.last_insert_rowid(),
                    person.id.clone(),
                    Outcome::New,
                )
            }
            Some((pk, id)) => {
                let before: (String, Option<i32>, Option<i32>, String) = self.conn.query_row(
                    "SELECT name, birth_year, death_year, professions FROM people WHERE pk = ?1",
                    [pk],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )?;
                let after = (
                    fields.0.clone(),
                    fields.1.or(before.1),
                    fields.2.or(before.2),
                    if person.professions.is_empty() {
                        before.3.clone()
                    } else {
                        fields.3.clone()
                    },
                );
                if after == before {
                    (pk, id, Outcome::Unchanged)
                } else {
                    if normalize::key(&before.0) != normalize::key(&after.0) {
                        self.insert_alias(EntityKind::Person, pk, &before.0, &person.source)?;
                    }
                    self.conn.execute(
                        "UPDATE people SET name = ?2, name_key = ?3, birth_year = ?4, death_year = ?5, professions = ?6,
                                           name_is_shared_credit = 0
                         WHERE pk = ?1",
                        params![pk, after.0, normalize::key(&after.0), after.1, after.2, after.3],
                    )?;
                    (pk, id, Outcome::Updated)
                }
            }
        };
        self.put_source("person", pk, "name", &person.source)?;
        for (field, given) in [
            ("birth_year", person.birth_year.is_some()),
            ("death_year", person.death_year.is_some()),
            ("professions", !person.professions.is_empty()),
        ] {
            if given {
                self.put_source("person", pk, field, &person.source)?;
            }
        }
        if outcome != Outcome::Unchanged {
            self.person_renamed(pk)?;
        }
        Ok(Put { id, outcome })
    }

    fn put_company(&mut self, company: &CompanyRecord) -> Result<Put> {
        let imdb_id = is_imdb_company_id(&company.id).then_some(company.id.as_str());
        let (pk, id, outcome) =
            match self.lookup(EntityKind::Company, &company.id)? {
                None => {
                    self.conn.execute(
                    "INSERT INTO companies (id, imdb_id, name, name_key) VALUES (?1, ?2, ?3, ?4)",
                    params![company.id, imdb_id, company.name, normalize::key(&company.name)],
                )?;
                    (
                        self.conn.last_insert_rowid(),
                        company.id.clone(),
                        Outcome::New,
                    )
                }
                Some((pk, id)) => {
                    let before: String = self.conn.query_row(
                        "SELECT name FROM companies WHERE pk = ?1",
                        [pk],
                        |row| row.get(0),
                    )?;
                    if before == company.name {
                        (pk, id, Outcome::Unchanged)
                    } else {
                        self.insert_alias(EntityKind::Company, pk, &before, &company.source)?;
                        self.conn.execute(
                            "UPDATE companies SET name = ?2, name_key = ?3 WHERE pk = ?1",
                            params![pk, company.name, normalize::key(&company.name)],
                        )?;
                        (pk, id, Outcome::Updated)
                    }
                }
            };
        self.put_source("company", pk, "name", &company.source)?;
        Ok(Put { id, outcome })
    }

    fn put_alias(
        &mut self,
        kind: EntityKind,
        id: &str,
        alias: &str,
        source: &Provenance,
    ) -> Result<Outcome> {
        let pk = self.require(kind, id)?;
        let own = match kind {
            EntityKind::Film => "SELECT title_key FROM films WHERE pk = ?1",
            EntityKind::Person => "SELECT name_key FROM people WHERE pk = ?1",
            EntityKind::Company => "SELECT name_key FROM companies WHERE pk = ?1",
            EntityKind::Essay => return Ok(Outcome::Unchanged),
        };
        let own: String = self
            .conn
            .prepare_cached(own)?
            .query_row([pk], |row| row.get(0))?;
        if own == normalize::key(alias) {
            return Ok(Outcome::Unchanged);
        }
        self.insert_alias(kind, pk, alias, source)
    }

    fn put_credits(&mut self, credits: &[CreditRecord]) -> Result<Vec<Result<Outcome>>> {
        self.write_credits(credits)
    }

    fn put_aliases(
        &mut self,
        kind: EntityKind,
        aliases: &[(String, String, Provenance)],
    ) -> Result<Vec<Result<Outcome>>> {
        self.write_aliases(kind, aliases)
    }

    fn put_credit(&mut self, credit: &CreditRecord) -> Result<Outcome> {
        // One write is a batch of one: a single implementation of the credit rules.
        self.write_credits(std::slice::from_ref(credit))?
            .pop()
            .unwrap_or(Ok(Outcome::Unchanged))
    }

    fn put_film_rating(
        &mut self,
        film: &str,
        average: f64,
        votes: u64,
        source: &Provenance,
    ) -> Result<Outcome> {
        let pk = self.require(EntityKind::Film, film)?;
        // One decimal, as IMDb gives it: the same figure twice compares equal.
        let average = (average * 10.0).round() / 10.0;
        let votes = i64::try_from(votes).unwrap_or(i64::MAX);
        let before: (Option<f64>, Option<i64>) = self
            .conn
            .prepare_cached("SELECT imdb_rating, imdb_votes FROM films WHERE pk = ?1")?
            .query_row([pk], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let outcome = match before {
            (None, None) => Outcome::New,
            (Some(a), Some(v)) if a == average && v == votes => Outcome::Unchanged,
            _ => Outcome::Updated,
        };
        if outcome != Outcome::Unchanged {
            self.conn
                .prepare_cached("UPDATE films SET imdb_rating = ?2, imdb_votes = ?3 WHERE pk = ?1")?
                .execute(params![pk, average, votes])?;
            // Votes weigh in the search prior of the film and of the people in it.
            self.changed(EntityKind::Film, pk)?;
            if self.logging.get() == ChangeLogging::EachChange {
                self.conn
                    .prepare_cached(
                        "INSERT INTO search_changes (entity_kind, entity_pk)
                         SELECT DISTINCT 'person', person_pk FROM credits WHERE film_pk = ?1",
                    )?
                    .execute([pk])?;
            }
        }
        self.put_source("film", pk, "imdb_rating", source)?;
        Ok(outcome)
    }

    fn put_film_company(&mut self, link: &FilmCompany) -> Result<Outcome> {
        let film_pk = self.require(EntityKind::Film, &link.film)?;
        let company_pk = self.require(EntityKind::Company, &link.company)?;
        let source = &link.source;
        let inserted = self.conn.execute(
            "INSERT INTO film_companies (film_pk, company_pk, role, dataset, locator, citation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![
                film_pk,
                company_pk,
                link.role.as_str(),
                source.dataset,
                source.locator,
                source.citation
            ],
        )?;
        Ok(if inserted == 1 {
            Outcome::New
        } else {
            Outcome::Unchanged
        })
    }

    fn put_film_theme(&mut self, film: &str, theme: &str, source: &Provenance) -> Result<Outcome> {
        let film_pk = self.require(EntityKind::Film, film)?;
        self.conn.execute(
            "INSERT INTO themes (name, name_key) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
            params![theme, normalize::key(theme)],
        )?;
        let theme_pk: i64 =
            self.conn
                .query_row("SELECT pk FROM themes WHERE name = ?1", [theme], |row| {
                    row.get(0)
                })?;
        let inserted = self.conn.execute(
            "INSERT INTO film_themes (film_pk, theme_pk, dataset, locator, citation)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![
                film_pk,
                theme_pk,
                source.dataset,
                source.locator,
                source.citation
            ],
        )?;
        Ok(if inserted == 1 {
            Outcome::New
        } else {
            Outcome::Unchanged
        })
    }

    fn put_film_fact(&mut self, film: &str, fact: &str, source: &Provenance) -> Result<Outcome> {
        let film_pk = self.require(EntityKind::Film, film)?;
        let inserted = self.conn.execute(
            "INSERT INTO film_facts (film_pk, fact, dataset, locator, citation)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![
                film_pk,
                fact,
                source.dataset,
                source.locator,
                source.citation
            ],
        )?;
        Ok(if inserted == 1 {
            Outcome::New
        } else {
            Outcome::Unchanged
        })
    }

    fn put_award_body(&mut self, id: &str, name: &str) -> Result<Outcome> {
        let existing: Option<String> = self
            .conn
            .query_row("SELECT name FROM award_bodies WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?;
        match existing {
            None => {
                self.conn.execute(
                    "INSERT INTO award_bodies (id, name) VALUES (?1, ?2)",
                    params![id, name],
                )?;
                Ok(Outcome::New)
            }
            Some(old) if old == name => Ok(Outcome::Unchanged),
            Some(_) => {
                self.conn.execute(
                    "UPDATE award_bodies SET name = ?2 WHERE id = ?1",
                    params![id, name],
                )?;
                Ok(Outcome::Updated)
            }
        }
    }

    fn put_ceremony_date(
        &mut self,
        body: &str,
        ordinal: u32,
        years: Option<CeremonyYears>,
        date: NaiveDate,
        source: &Provenance,
    ) -> Result<Outcome> {
        let body_pk = self.body_pk(body)?;
        let (pk, created) = self.ensure_ceremony(body_pk, body, ordinal, years)?;
        let date = date.format("%Y-%m-%d").to_string();
        let old: Option<String> = self.conn.query_row(
            "SELECT held_on FROM ceremonies WHERE pk = ?1",
            [pk],
            |row| row.get(0),
        )?;
        self.put_source("ceremony", pk, "date", source)?;
        if old.as_deref() == Some(date.as_str()) {
            return Ok(Outcome::Unchanged);
        }
        self.conn.execute(
            "UPDATE ceremonies SET held_on = ?2 WHERE pk = ?1",
            params![pk, date],
        )?;
        Ok(if created {
            Outcome::New
        } else {
            Outcome::Updated
        })
    }

    fn put_nomination(&mut self, nomination: &Nomination) -> Result<Outcome> {
        let n = nomination;
        let body_pk = self.body_pk(&n.body)?;
        let (ceremony_pk, _) = self.ensure_ceremony(body_pk, &n.body, n.ceremony, Some(n.years))?;
        self.conn
            .prepare_cached(
                "INSERT INTO award_categories (body_pk, canonical, name, class) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (body_pk, canonical, name) DO UPDATE SET class = excluded.class",
            )?
            .execute(params![body_pk, n.category.canonical, n.category.name, n.category.class.as_str()])?;
        let category_pk: i64 = self
            .conn
            .prepare_cached("SELECT pk FROM award_categories WHERE body_pk = ?1 AND canonical = ?2 AND name = ?3")?
            .query_row(params![body_pk, n.category.canonical, n.category.name], |row| row.get(0))?;

        let key = n.natural_key();
        let counting = n.counting();
        let existing: Option<(i64, i64, bool, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT pk, category_pk, winner, note FROM nominations WHERE natural_key = ?1",
            )?
            .query_row([&key], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .optional()?;
        if let Some((pk, old_category, old_winner, old_note)) = existing {
            if (old_category, old_winner, old_note.as_deref())
                == (category_pk, n.winner, n.note.as_deref())
            {
                return Ok(Outcome::Unchanged);
            }
            self.conn.execute(
                "UPDATE nominations SET category_pk = ?2, winner = ?3, note = ?4,
                        counts_as_nomination = ?5, counts_as_win = ?6, dataset = ?7, locator = ?8
                 WHERE pk = ?1",
                params![
                    pk,
                    category_pk,
                    n.winner,
                    n.note,
                    counting.counts_as_nomination,
                    counting.counts_as_win,
                    n.source.dataset,
                    n.source.locator
                ],
            )?;
            self.nomination_changed(pk)?;
            return Ok(Outcome::Updated);
        }

        self.conn
            .prepare_cached(
                "INSERT INTO nominations (ceremony_pk, category_pk, natural_key, credit, winner, detail, note,
                                          citation_text, counts_as_nomination, counts_as_win, dataset, locator)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                ceremony_pk,
                category_pk,
                key,
                n.credit,
                n.winner,
                to_json_list(&n.detail),
                n.note,
                n.citation,
                counting.counts_as_nomination,
                counting.counts_as_win,
                n.source.dataset,
                n.source.locator
            ])?;
        let nomination_pk = self.conn.last_insert_rowid();
        let award_year = n.years.single();
        for (position, film) in (0_i64..).zip(&n.films) {
            let film_pk = match &film.imdb_id {
                Some(imdb_id) => {
                    Some(self.ensure_nominated_film(imdb_id, &film.title, award_year, &n.source)?)
                }
                None => None,
            };
            self.conn
                .prepare_cached("INSERT INTO nomination_films (nomination_pk, position, film_pk, title) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![nomination_pk, position, film_pk, film.title])?;
        }
        for (position, nominee) in (0_i64..).zip(&n.nominees) {
            let (person_pk, company_pk) = match &nominee.id {
                NomineeRef::Person(id) => (
                    Some(self.ensure_person(id, &nominee.name, nominee.shared, &n.source)?),
                    None,
                ),
                NomineeRef::Company(id) => (
                    None,
                    Some(self.ensure_company(id, &nominee.name, &n.source)?),
                ),
                NomineeRef::Unknown => (None, None),
            };
            self.conn
                .prepare_cached(
                    "INSERT INTO nomination_nominees (nomination_pk, position, person_pk, company_pk, name)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![nomination_pk, position, person_pk, company_pk, nominee.name])?;
        }
        self.nomination_changed(nomination_pk)?;
        Ok(Outcome::New)
    }
}
