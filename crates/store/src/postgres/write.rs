//! The write half of the PostgreSQL backend: idempotent upserts inside one transaction, as
//! `crate::sqlite::write` does them.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use kinograph_catalog::{
    Budget, Category, CeremonyYears, CompanyRecord, CreditRecord, EntityKind, FilmCompany,
    FilmRecord, Nomination, NomineeRef, Outcome, PersonRecord, Provenance, is_imdb_company_id,
    is_imdb_name_id, is_imdb_title_id, normalize,
};
use postgres::types::ToSql;

use super::{Sql, Tx};

use crate::columns::{json_list, to_json_list};
use crate::sqlite::search::REBUILD_MARKER;
use crate::sqlite::write::{ChangeLogging, FilmFields};
use crate::{CatalogWrite, Error, Put, Result};

pub(super) struct PgWriter<'t, 'c> {
    pub(super) tx: &'t mut Tx<'c>,
    /// How this batch's changes reach the search index's change log. The batch's transaction
    /// already holds the log's advisory lock (`super::lock_change_log`).
    logging: ChangeLogging,
    /// The award bodies, ceremonies and categories this batch has read or written.
    awards: AwardKeys,
    /// Changes logged but not yet written to `search_changes`: written together, in order,
    /// before any statement that logs others and at the end of the batch ([`Self::finish`]),
    /// rather than a round trip each.
    pending_changes: PendingChanges,
    /// Fact sources not yet written, for the same reason.
    pending_sources: PendingSources,
}

#[derive(Default)]
struct PendingChanges {
    kinds: Vec<&'static str>,
    pks: Vec<i64>,
}

/// Fact sources to write, a column each; a field given twice keeps the later source, as the
/// upsert it stands for would.
#[derive(Default)]
struct PendingSources {
    /// (Kind, primary key, field) → row.
    keys: HashMap<(&'static str, i64, &'static str), usize>,
    kinds: Vec<&'static str>,
    pks: Vec<i64>,
    fields: Vec<&'static str>,
    datasets: Vec<String>,
    locators: Vec<Option<String>>,
    citations: Vec<Option<String>>,
}

impl PendingSources {
    /// Rows held before they are written anyway, to bound the memory a large batch takes.
    const FLUSH_AT: usize = 20_000;

    fn put(&mut self, kind: &'static str, pk: i64, field: &'static str, source: &Provenance) {
        let dataset = source.dataset.clone();
        let locator = source.locator.clone();
        let citation = source.citation.clone();
        match self.keys.get(&(kind, pk, field)) {
            Some(&row) => {
                self.datasets[row] = dataset;
                self.locators[row] = locator;
                self.citations[row] = citation;
            }
            None => {
                self.keys.insert((kind, pk, field), self.kinds.len());
                self.kinds.push(kind);
                self.pks.push(pk);
                self.fields.push(field);
                self.datasets.push(dataset);
                self.locators.push(locator);
                self.citations.push(citation);
            }
        }
    }
}

/// A ceremony's primary key and its first and last years, as stored.
type StoredCeremony = (i64, Option<i32>, Option<i32>);

/// Award bodies, ceremonies and categories as this batch's transaction sees them: a file of
/// nominations names the same few thousands of times, and each lookup is a round trip. Only
/// this writer changes them inside the transaction, and it updates these maps as it does.
#[derive(Default)]
struct AwardKeys {
    /// Body id → primary key.
    bodies: HashMap<String, i64>,
    /// (Body, ordinal) → primary key and the years it honours, as stored.
    ceremonies: HashMap<(i64, u32), StoredCeremony>,
    /// (Body, canonical, name) → primary key and class.
    categories: HashMap<(i64, String, String), (i64, String)>,
}

impl<'t, 'c> PgWriter<'t, 'c> {
    pub(super) fn new(tx: &'t mut Tx<'c>) -> Self {
        PgWriter {
            tx,
            logging: ChangeLogging::EachChange,
            awards: AwardKeys::default(),
            pending_changes: PendingChanges::default(),
            pending_sources: PendingSources::default(),
        }
    }

    /// Writes what the batch still holds back; the batch's transaction may then commit.
    pub(super) fn finish(mut self) -> Result<()> {
        self.flush_sources()?;
        self.flush_changes()
    }

    /// Writes the pending changes to the log, in the order they were logged.
    fn flush_changes(&mut self) -> Result<()> {
        if self.pending_changes.pks.is_empty() {
            return Ok(());
        }
        let PendingChanges { kinds, pks } = std::mem::take(&mut self.pending_changes);
        self.tx.execute(
            "INSERT INTO search_changes (entity_kind, entity_pk)
             SELECT kind, pk FROM unnest($1::TEXT[], $2::BIGINT[]) WITH ORDINALITY AS c(kind, pk, n)
             ORDER BY n",
            &[&kinds, &pks],
        )?;
        Ok(())
    }

    fn put_source(
        &mut self,
        kind: &'static str,
        pk: i64,
        field: &'static str,
        source: &Provenance,
    ) -> Result<()> {
        self.put_sources(kind, pk, &[field], source)
    }

    /// Records `source` for fields of one entity. Held back and written with the batch's
    /// others ([`Self::flush_sources`]): nothing in a batch reads them back.
    fn put_sources(
        &mut self,
        kind: &'static str,
        pk: i64,
        fields: &[&'static str],
        source: &Provenance,
    ) -> Result<()> {
        for field in fields {
            self.pending_sources.put(kind, pk, field, source);
        }
        if self.pending_sources.keys.len() >= PendingSources::FLUSH_AT {
            self.flush_sources()?;
        }
        Ok(())
    }

    /// Writes the held-back sources in one statement.
    fn flush_sources(&mut self) -> Result<()> {
        if self.pending_sources.keys.is_empty() {
            return Ok(());
        }
        let PendingSources {
            kinds,
            pks,
            fields,
            datasets,
            locators,
            citations,
            ..
        } = std::mem::take(&mut self.pending_sources);
        self.tx.execute(
            "INSERT INTO fact_sources (entity_kind, entity_pk, field, dataset, locator, citation)
             SELECT * FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                                  $6::TEXT[])
             ON CONFLICT (entity_kind, entity_pk, field) DO UPDATE SET
               dataset = excluded.dataset, locator = excluded.locator, citation = excluded.citation",
            &[&kinds, &pks, &fields, &datasets, &locators, &citations],
        )?;
        Ok(())
    }

    /// An entity given by public id or IMDb id.
    fn lookup(&mut self, kind: EntityKind, id: &str) -> Result<Option<Found>> {
        // Two rows can match (one by id, another by IMDb id): the public id wins, as in SQLite,
        // whose OR plan finds that one first (and `query_opt` refuses two rows).
        let sql = match kind {
            EntityKind::Film => {
                "SELECT pk, id, title_key FROM films WHERE id = $1 OR imdb_id = $1
                 ORDER BY id = $1 DESC LIMIT 1"
            }
            EntityKind::Person => {
                "SELECT pk, id, name_key FROM people WHERE id = $1 OR imdb_id = $1
                 ORDER BY id = $1 DESC LIMIT 1"
            }
            EntityKind::Company => {
                "SELECT pk, id, name_key FROM companies WHERE id = $1 OR imdb_id = $1
                 ORDER BY id = $1 DESC LIMIT 1"
            }
            // Essays are not catalog entities: they have no aliases, credits or sources.
            EntityKind::Essay => return Ok(None),
        };
        Ok(self.tx.query_opt(sql, &[&id])?.map(|row| Found::of(&row)))
    }

    fn require(&mut self, kind: EntityKind, id: &str) -> Result<i64> {
        match self.lookup(kind, id)? {
            Some(found) => Ok(found.pk),
            None => Err(Error::UnknownEntity {
                kind: kind.as_str(),
                id: id.to_string(),
            }),
        }
    }

    /// A film not yet known by this IMDb id may be one a curator entered without it, under the
    /// same title and (nearly) the same year.
    fn film_by_title_and_year(
        &mut self,
        title: &str,
        year: i32,
        imdb_id: Option<&str>,
    ) -> Result<Option<Found>> {
        // With an IMDb id, only films without one are candidates: the partial index on those
        // keeps this one probe even where IMDb has a title hundreds of thousands of times
        // ("Episode #1.1").
        let sql = if imdb_id.is_some() {
            "SELECT pk, id, title_key FROM films
             WHERE title_key = $1 AND imdb_id IS NULL
               AND (year = $2::BIGINT
                    OR (year IS NULL AND award_year BETWEEN $2::BIGINT AND $2::BIGINT + 1)
                    OR year BETWEEN $2::BIGINT - 1 AND $2::BIGINT)
             LIMIT 2"
        } else {
            "SELECT pk, id, title_key FROM films
             WHERE title_key = $1
               AND (year = $2::BIGINT
                    OR (year IS NULL AND award_year BETWEEN $2::BIGINT AND $2::BIGINT + 1))
             LIMIT 2"
        };
        let found = self
            .tx
            .query(sql, &[&normalize::key(title), &i64::from(year)])?;
        // Two candidates means we cannot tell which: better two entries than a wrong merge.
        Ok(match found.as_slice() {
            [row] => Some(Found::of(row)),
            _ => None,
        })
    }

    /// Keeps `name` findable as an alias of `found` when it is not the name it is stored under.
    fn add_alias_if_new_name(
        &mut self,
        kind: EntityKind,
        found: &Found,
        name: &str,
        source: &Provenance,
    ) -> Result<()> {
        if found.key != normalize::key(name) {
            self.insert_alias(kind, found.pk, name, source)?;
        }
        Ok(())
    }

    /// Tells the search index that this film's or person's document must be rebuilt.
    pub(super) fn changed(&mut self, kind: EntityKind, pk: i64) -> Result<()> {
        if kind == EntityKind::Company {
            return Ok(());
        }
        match self.logging {
            ChangeLogging::EachChange => {}
            ChangeLogging::RebuildLogged => return Ok(()),
            ChangeLogging::RebuildOnChange => {
                self.flush_changes()?;
                self.tx.execute(
                    "INSERT INTO search_changes (entity_kind, entity_pk) VALUES ($1, 0)",
                    &[&REBUILD_MARKER],
                )?;
                self.logging = ChangeLogging::RebuildLogged;
                return Ok(());
            }
        }
        self.pending_changes.kinds.push(kind.as_str());
        self.pending_changes.pks.push(pk);
        Ok(())
    }

    /// A person's new name shows in the documents of the characters they play, which belong to
    /// the films: those are logged as changed too.
    fn person_renamed(&mut self, pk: i64) -> Result<()> {
        self.changed(EntityKind::Person, pk)?;
        if self.logging != ChangeLogging::EachChange {
            return Ok(());
        }
        // In film order, the order SQLite's UNION (a sorted temporary index) logs them in.
        self.flush_changes()?;
        self.tx.execute(
            "INSERT INTO search_changes (entity_kind, entity_pk)
             SELECT 'film' AS kind, film_pk AS film FROM credits
             WHERE person_pk = $1 AND characters <> '[]'
             UNION
             SELECT 'film', nf.film_pk FROM nomination_nominees nn
             JOIN nomination_films nf ON nf.nomination_pk = nn.nomination_pk
             JOIN nominations n ON n.pk = nn.nomination_pk
             JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Acting'
             WHERE nn.person_pk = $1 AND nf.film_pk IS NOT NULL
             ORDER BY film",
            &[&pk],
        )?;
        Ok(())
    }

    /// Logs every film and person a nomination names as changed (their award counts moved).
    fn nomination_changed(&mut self, nomination_pk: i64) -> Result<()> {
        if self.logging != ChangeLogging::EachChange {
            // One film stands for all: the rebuild re-indexes every one.
            return self.changed(EntityKind::Film, 0);
        }
        // Films, then people, each in the nomination's order, as SQLite logs them.
        self.flush_changes()?;
        self.tx.execute(
            "INSERT INTO search_changes (entity_kind, entity_pk)
             SELECT kind, entity FROM (
                 SELECT 'film' AS kind, film_pk AS entity, 0 AS part, position
                 FROM nomination_films WHERE nomination_pk = $1 AND film_pk IS NOT NULL
                 UNION ALL
                 SELECT 'person', person_pk, 1, position
                 FROM nomination_nominees WHERE nomination_pk = $1 AND person_pk IS NOT NULL
             ) named
             ORDER BY part, position",
            &[&nomination_pk],
        )?;
        Ok(())
    }

    fn insert_alias(
        &mut self,
        kind: EntityKind,
        pk: i64,
        name: &str,
        source: &Provenance,
    ) -> Result<Outcome> {
        let inserted = self.tx.execute(
            "INSERT INTO aliases (entity_kind, entity_pk, name, name_key, dataset, locator, citation)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            &[
                &kind.as_str(),
                &pk,
                &name,
                &normalize::key(name),
                &source.dataset,
                &source.locator,
                &source.citation,
            ],
        )?;
        if inserted == 1 {
            self.changed(kind, pk)?;
            Ok(Outcome::New)
        } else {
            Ok(Outcome::Unchanged)
        }
    }

    /// The film a nomination names, created from the nomination if the catalog lacks it.
    fn ensure_nominated_film(
        &mut self,
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
        let award_year = award_year.map(i64::from);
        if let Some(found) = existing {
            self.tx.execute(
                "UPDATE films SET imdb_id = COALESCE(imdb_id, $2),
                                  award_year = COALESCE(award_year, $3)
                 WHERE pk = $1",
                &[&found.pk, &imdb_id, &award_year],
            )?;
            self.add_alias_if_new_name(EntityKind::Film, &found, title, source)?;
            return Ok(found.pk);
        }
        let pk: i64 = self
            .tx
            .query_one(
                "INSERT INTO films (id, imdb_id, title, title_key, award_year)
                 VALUES ($1, $1, $2, $3, $4) RETURNING pk",
                &[&imdb_id, &title, &normalize::key(title), &award_year],
            )?
            .get(0);
        if award_year.is_some() {
            self.put_sources("film", pk, &["title", "award_year"], source)?;
        } else {
            self.put_source("film", pk, "title", source)?;
        }
        Ok(pk)
    }

    /// The company a nomination names, created if the catalog lacks it.
    fn ensure_company(&mut self, id: &str, name: &str, source: &Provenance) -> Result<i64> {
        if let Some(found) = self.lookup(EntityKind::Company, id)? {
            self.add_alias_if_new_name(EntityKind::Company, &found, name, source)?;
            return Ok(found.pk);
        }
        let pk: i64 = self
            .tx
            .query_one(
                "INSERT INTO companies (id, imdb_id, name, name_key) VALUES ($1, $1, $2, $3)
                 RETURNING pk",
                &[&id, &name, &normalize::key(name)],
            )?
            .get(0);
        self.put_source("company", pk, "name", source)?;
        Ok(pk)
    }

    /// The person a nomination names, created if the catalog lacks them. A name shared by
    /// several people only stands in until a credit gives the person's own name.
    fn ensure_person(
        &mut self,
        id: &str,
        name: &str,
        shared: bool,
        source: &Provenance,
    ) -> Result<i64> {
        // The public id wins over another row's IMDb id, as in `lookup`.
        let existing: Option<(Found, String, bool)> = self
            .tx
            .query_opt(
                "SELECT pk, id, name_key, name, name_is_shared_credit FROM people
                 WHERE id = $1 OR imdb_id = $1
                 ORDER BY id = $1 DESC LIMIT 1",
                &[&id],
            )?
            .map(|row| (Found::of(&row), row.get(3), row.get(4)));
        match existing {
            Some((found, old_name, true)) if !shared => {
                let pk = found.pk;
                self.tx.execute(
                    "UPDATE people SET name = $2, name_key = $3, name_is_shared_credit = FALSE
                     WHERE pk = $1",
                    &[&pk, &name, &normalize::key(name)],
                )?;
                self.put_source("person", pk, "name", source)?;
                self.insert_alias(EntityKind::Person, pk, &old_name, source)?;
                self.person_renamed(pk)?;
                Ok(pk)
            }
            Some((found, _, _)) => {
                self.add_alias_if_new_name(EntityKind::Person, &found, name, source)?;
                Ok(found.pk)
            }
            None => {
                let pk: i64 = self
                    .tx
                    .query_one(
                        "INSERT INTO people (id, imdb_id, name, name_key, name_is_shared_credit)
                         VALUES ($1, $1, $2, $3, $4) RETURNING pk",
                        &[&id, &name, &normalize::key(name), &shared],
                    )?
                    .get(0);
                self.put_source("person", pk, "name", source)?;
                Ok(pk)
            }
        }
    }

    fn body_pk(&mut self, body: &str) -> Result<i64> {
        if let Some(pk) = self.awards.bodies.get(body) {
            return Ok(*pk);
        }
        let pk = self
            .tx
            .query_opt("SELECT pk FROM award_bodies WHERE id = $1", &[&body])?
            .map(|row| row.get(0))
            .ok_or_else(|| Error::UnknownEntity {
                kind: "award body",
                id: body.to_string(),
            })?;
        self.awards.bodies.insert(body.to_string(), pk);
        Ok(pk)
    }

    /// The ceremony's key, created if missing; refuses years that contradict the catalog.
    fn ensure_ceremony(
        &mut self,
        body_pk: i64,
        body: &str,
        ordinal: u32,
        years: Option<CeremonyYears>,
    ) -> Result<(i64, bool)> {
        let ordinal_value = i64::from(ordinal);
        let existing = match self.awards.ceremonies.get(&(body_pk, ordinal)) {
            Some(known) => Some(*known),
            None => match self
                .tx
                .query_opt(
                    "SELECT pk, first_year, last_year FROM ceremonies
                     WHERE body_pk = $1 AND ordinal = $2",
                    &[&body_pk, &ordinal_value],
                )?
                .map(|row| (row.get::<_, i64>(0), row.get(1), row.get(2)))
            {
                Some((pk, first, last)) => Some((
                    pk,
                    narrow::<i32>(first, "ceremony year")?,
                    narrow::<i32>(last, "ceremony year")?,
                )),
                None => None,
            },
        };
        // What the row holds afterwards, which the batch remembers.
        let (stored, created): (StoredCeremony, bool) = match existing {
            None => {
                let pk: i64 = self
                    .tx
                    .query_one(
                        "INSERT INTO ceremonies (body_pk, ordinal, first_year, last_year)
                         VALUES ($1, $2, $3, $4) RETURNING pk",
                        &[
                            &body_pk,
                            &ordinal_value,
                            &years.map(|y| i64::from(y.first)),
                            &years.map(|y| i64::from(y.last)),
                        ],
                    )?
                    .get(0);
                let (first, last) = years.map(|y| (y.first, y.last)).unzip();
                ((pk, first, last), true)
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
                ((pk, Some(first), Some(last)), false)
            }
            Some((pk, first, last)) => {
                if let Some(years) = years {
                    self.tx.execute(
                        "UPDATE ceremonies SET first_year = $2, last_year = $3 WHERE pk = $1",
                        &[&pk, &i64::from(years.first), &i64::from(years.last)],
                    )?;
                    ((pk, Some(years.first), Some(years.last)), false)
                } else {
                    ((pk, first, last), false)
                }
            }
        };
        self.awards.ceremonies.insert((body_pk, ordinal), stored);
        Ok((stored.0, created))
    }

    /// The category's key, created if missing, with its class as given.
    fn ensure_category(&mut self, body_pk: i64, category: &Category) -> Result<i64> {
        let key = (body_pk, category.canonical.clone(), category.name.clone());
        let class = category.class.as_str();
        if let Some((pk, known_class)) = self.awards.categories.get(&key)
            && known_class == class
        {
            return Ok(*pk);
        }
        let pk: i64 = self
            .tx
            .query_one(
                "INSERT INTO award_categories (body_pk, canonical, name, class) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (body_pk, canonical, name) DO UPDATE SET class = excluded.class
                 RETURNING pk",
                &[&body_pk, &category.canonical, &category.name, &class],
            )?
            .get(0);
        self.awards.categories.insert(key, (pk, class.to_string()));
        Ok(pk)
    }
}

/// A catalog entity found by id, or by title and year.
struct Found {
    pk: i64,
    /// Its public id.
    id: String,
    /// The key of the name or title it is stored under.
    key: String,
}

impl Found {
    /// From a row that starts with pk, id, key.
    fn of(row: &postgres::Row) -> Self {
        Found {
            pk: row.get(0),
            id: row.get(1),
            key: row.get(2),
        }
    }
}

/// A BIGINT column read back as the narrower type the catalog gives it (SQLite's `row.get`
/// converts, and fails the same way on a value out of range).
fn narrow<T: TryFrom<i64>>(value: Option<i64>, what: &'static str) -> Result<Option<T>> {
    value
        .map(|v| {
            T::try_from(v).map_err(|_| Error::Corrupt {
                what,
                detail: format!("{v} is out of range"),
            })
        })
        .transpose()
}

/// [`FilmFields`] as PostgreSQL stores them, in [`FilmFields::COLUMNS`]' order.
struct FilmRow {
    title: String,
    title_key: String,
    original_title: Option<String>,
    year: Option<i64>,
    runtime_minutes: Option<i64>,
    genres: String,
    synopsis: Option<String>,
    tmdb_id: Option<i64>,
    budget_amount: Option<i64>,
    budget_currency: Option<String>,
    budget_note: Option<String>,
    title_type: Option<String>,
    end_year: Option<i64>,
    is_adult: Option<bool>,
}

impl FilmRow {
    fn of(fields: &FilmFields) -> Self {
        FilmRow {
            title: fields.title.clone(),
            title_key: normalize::key(&fields.title),
            original_title: fields.original_title.clone(),
            year: fields.year.map(i64::from),
            runtime_minutes: fields.runtime_minutes.map(i64::from),
            genres: to_json_list(&fields.genres),
            synopsis: fields.synopsis.clone(),
            // As SQLite stores it: an id past i64 is left out.
            tmdb_id: fields.tmdb_id.and_then(|id| i64::try_from(id).ok()),
            budget_amount: fields.budget.as_ref().map(|b| b.amount),
            budget_currency: fields.budget.as_ref().map(|b| b.currency.clone()),
            budget_note: fields.budget.as_ref().and_then(|b| b.note.clone()),
            title_type: fields.title_type.clone(),
            end_year: fields.end_year.map(i64::from),
            is_adult: fields.is_adult,
        }
    }

    fn params(&self) -> [&(dyn ToSql + Sync); 14] {
        [
            &self.title,
            &self.title_key,
            &self.original_title,
            &self.year,
            &self.runtime_minutes,
            &self.genres,
            &self.synopsis,
            &self.tmdb_id,
            &self.budget_amount,
            &self.budget_currency,
            &self.budget_note,
            &self.title_type,
            &self.end_year,
            &self.is_adult,
        ]
    }
}

fn load_film(client: &mut impl Sql, pk: i64) -> Result<FilmFields> {
    let row = client.query_one(
        "SELECT title, original_title, year, runtime_minutes, genres, synopsis, tmdb_id,
                budget_amount, budget_currency, budget_note, title_type, end_year, is_adult
         FROM films WHERE pk = $1",
        &[&pk],
    )?;
    let genres: String = row.get(4);
    let tmdb_id: Option<i64> = row.get(6);
    let amount: Option<i64> = row.get(7);
    let currency: Option<String> = row.get(8);
    let note: Option<String> = row.get(9);
    Ok(FilmFields {
        title: row.get(0),
        original_title: row.get(1),
        year: narrow(row.get(2), "film year")?,
        runtime_minutes: narrow(row.get(3), "film runtime")?,
        genres: json_list(&genres)?,
        synopsis: row.get(5),
        tmdb_id: tmdb_id.and_then(|id| u64::try_from(id).ok()),
        budget: amount.zip(currency).map(|(amount, currency)| Budget {
            amount,
            currency,
            note,
        }),
        title_type: row.get(10),
        end_year: narrow(row.get(11), "film end year")?,
        is_adult: row.get(12),
    })
}

/// A new film with these fields: one row written once (an import writes millions).
fn insert_film(
    client: &mut impl Sql,
    fields: &FilmFields,
    id: &str,
    imdb_id: Option<&str>,
) -> Result<i64> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO films (id, imdb_id, {}) VALUES ($1, $2, {}) RETURNING pk",
            FilmFields::COLUMNS,
            placeholders(3, 14)
        )
    });
    let row = FilmRow::of(fields);
    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(16);
    params.push(&id);
    params.push(&imdb_id);
    params.extend(row.params());
    Ok(client.query_one(SQL.as_str(), &params)?.get(0))
}

fn store_film(client: &mut impl Sql, fields: &FilmFields, pk: i64) -> Result<()> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "UPDATE films SET ({}) = ({}) WHERE pk = $1",
            FilmFields::COLUMNS,
            placeholders(2, 14)
        )
    });
    let row = FilmRow::of(fields);
    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(15);
    params.push(&pk);
    params.extend(row.params());
    client.execute(SQL.as_str(), &params)?;
    Ok(())
}

/// `$first, $first+1, …`, `count` of them.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CatalogWrite for PgWriter<'_, '_> {
    fn log_rebuild(&mut self) -> Result<()> {
        if self.logging == ChangeLogging::EachChange {
            self.logging = ChangeLogging::RebuildOnChange;
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
                let fields = FilmFields::from_record(film);
                let pk = insert_film(&mut *self.tx, &fields, &film.id, imdb_id)?;
                (pk, film.id.clone(), Outcome::New)
            }
            Some(Found { pk, id, .. }) => {
                let before = load_film(&mut *self.tx, pk)?;
                let after = before.merged_with(film);
                if imdb_id.is_some() {
                    self.tx.execute(
                        "UPDATE films SET imdb_id = COALESCE(imdb_id, $2) WHERE pk = $1",
                        &[&pk, &imdb_id],
                    )?;
                }
                if after == before {
                    (pk, id, Outcome::Unchanged)
                } else {
                    if normalize::key(&before.title) != normalize::key(&after.title) {
                        // The old title stays findable.
                        self.insert_alias(EntityKind::Film, pk, &before.title, &film.source)?;
                    }
                    store_film(&mut *self.tx, &after, pk)?;
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
        let fields: Vec<&'static str> = given
            .iter()
            .filter(|(_, given)| *given)
            .map(|(field, _)| *field)
            .collect();
        self.put_sources("film", pk, &fields, &film.source)?;
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
        // Compared as stored: years as BIGINT.
        let fields = (
            person.name.clone(),
            person.birth_year.map(i64::from),
            person.death_year.map(i64::from),
            to_json_list(&person.professions),
        );
        let (pk, id, outcome) = match self.lookup(EntityKind::Person, &person.id)? {
            None => {
                let pk: i64 = self
                    .tx
                    .query_one(
                        "INSERT INTO people (id, imdb_id, name, name_key, birth_year, death_year, professions)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING pk",
                        &[
                            &person.id,
                            &imdb_id,
                            &fields.0,
                            &normalize::key(&fields.0),
                            &fields.1,
                            &fields.2,
                            &fields.3,
                        ],
                    )?
                    .get(0);
                (pk, person.id.clone(), Outcome::New)
            }
            Some(Found { pk, id, .. }) => {
                let row = self.tx.query_one(
                    "SELECT name, birth_year, death_year, professions FROM people WHERE pk = $1",
                    &[&pk],
                )?;
                let before: (String, Option<i64>, Option<i64>, String) =
                    (row.get(0), row.get(1), row.get(2), row.get(3));
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
                    self.tx.execute(
                        "UPDATE people SET name = $2, name_key = $3, birth_year = $4, death_year = $5,
                                           professions = $6, name_is_shared_credit = FALSE
                         WHERE pk = $1",
                        &[
                            &pk,
                            &after.0,
                            &normalize::key(&after.0),
                            &after.1,
                            &after.2,
                            &after.3,
                        ],
                    )?;
                    (pk, id, Outcome::Updated)
                }
            }
        };
        let fields: Vec<&'static str> = [
            ("name", true),
            ("birth_year", person.birth_year.is_some()),
            ("death_year", person.death_year.is_some()),
            ("professions", !person.professions.is_empty()),
        ]
        .into_iter()
        .filter_map(|(field, given)| given.then_some(field))
        .collect();
        self.put_sources("person", pk, &fields, &person.source)?;
        if outcome != Outcome::Unchanged {
            self.person_renamed(pk)?;
        }
        Ok(Put { id, outcome })
    }

    fn put_company(&mut self, company: &CompanyRecord) -> Result<Put> {
        let imdb_id = is_imdb_company_id(&company.id).then_some(company.id.as_str());
        let (pk, id, outcome) = match self.lookup(EntityKind::Company, &company.id)? {
            None => {
                let pk: i64 = self
                    .tx
                    .query_one(
                        "INSERT INTO companies (id, imdb_id, name, name_key) VALUES ($1, $2, $3, $4)
                         RETURNING pk",
                        &[
                            &company.id,
                            &imdb_id,
                            &company.name,
                            &normalize::key(&company.name),
                        ],
                    )?
                    .get(0);
                (pk, company.id.clone(), Outcome::New)
            }
            Some(Found { pk, id, .. }) => {
                let before: String = self
                    .tx
                    .query_one("SELECT name FROM companies WHERE pk = $1", &[&pk])?
                    .get(0);
                if before == company.name {
                    (pk, id, Outcome::Unchanged)
                } else {
                    self.insert_alias(EntityKind::Company, pk, &before, &company.source)?;
                    self.tx.execute(
                        "UPDATE companies SET name = $2, name_key = $3 WHERE pk = $1",
                        &[&pk, &company.name, &normalize::key(&company.name)],
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
            EntityKind::Film => "SELECT title_key FROM films WHERE pk = $1",
            EntityKind::Person => "SELECT name_key FROM people WHERE pk = $1",
            EntityKind::Company => "SELECT name_key FROM companies WHERE pk = $1",
            EntityKind::Essay => return Ok(Outcome::Unchanged),
        };
        let own: String = self.tx.query_one(own, &[&pk])?.get(0);
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
        let row = self.tx.query_one(
            "SELECT imdb_rating, imdb_votes FROM films WHERE pk = $1",
            &[&pk],
        )?;
        let before: (Option<f64>, Option<i64>) = (row.get(0), row.get(1));
        let outcome = match before {
            (None, None) => Outcome::New,
            (Some(a), Some(v)) if a == average && v == votes => Outcome::Unchanged,
            _ => Outcome::Updated,
        };
        if outcome != Outcome::Unchanged {
            self.tx.execute(
                "UPDATE films SET imdb_rating = $2, imdb_votes = $3 WHERE pk = $1",
                &[&pk, &average, &votes],
            )?;
            // Votes weigh in the search prior of the film and of the people in it.
            self.changed(EntityKind::Film, pk)?;
            if self.logging == ChangeLogging::EachChange {
                // In person order, as SQLite's DISTINCT over the credits' key index gives them.
                self.flush_changes()?;
                self.tx.execute(
                    "INSERT INTO search_changes (entity_kind, entity_pk)
                     SELECT DISTINCT 'person'::TEXT, person_pk FROM credits WHERE film_pk = $1
                     ORDER BY person_pk",
                    &[&pk],
                )?;
            }
        }
        self.put_source("film", pk, "imdb_rating", source)?;
        Ok(outcome)
    }

    fn put_film_company(&mut self, link: &FilmCompany) -> Result<Outcome> {
        let film_pk = self.require(EntityKind::Film, &link.film)?;
        let company_pk = self.require(EntityKind::Company, &link.company)?;
        let source = &link.source;
        let inserted = self.tx.execute(
            "INSERT INTO film_companies (film_pk, company_pk, role, dataset, locator, citation)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            &[
                &film_pk,
                &company_pk,
                &link.role.as_str(),
                &source.dataset,
                &source.locator,
                &source.citation,
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
        self.tx.execute(
            "INSERT INTO themes (name, name_key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            &[&theme, &normalize::key(theme)],
        )?;
        let theme_pk: i64 = self
            .tx
            .query_one("SELECT pk FROM themes WHERE name = $1", &[&theme])?
            .get(0);
        let inserted = self.tx.execute(
            "INSERT INTO film_themes (film_pk, theme_pk, dataset, locator, citation)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[
                &film_pk,
                &theme_pk,
                &source.dataset,
                &source.locator,
                &source.citation,
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
        let inserted = self.tx.execute(
            "INSERT INTO film_facts (film_pk, fact, dataset, locator, citation)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[
                &film_pk,
                &fact,
                &source.dataset,
                &source.locator,
                &source.citation,
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
            .tx
            .query_opt("SELECT name FROM award_bodies WHERE id = $1", &[&id])?
            .map(|row| row.get(0));
        match existing {
            None => {
                self.tx.execute(
                    "INSERT INTO award_bodies (id, name) VALUES ($1, $2)",
                    &[&id, &name],
                )?;
                Ok(Outcome::New)
            }
            Some(old) if old == name => Ok(Outcome::Unchanged),
            Some(_) => {
                self.tx.execute(
                    "UPDATE award_bodies SET name = $2 WHERE id = $1",
                    &[&id, &name],
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
        let old: Option<String> = self
            .tx
            .query_one("SELECT held_on FROM ceremonies WHERE pk = $1", &[&pk])?
            .get(0);
        self.put_source("ceremony", pk, "date", source)?;
        if old.as_deref() == Some(date.as_str()) {
            return Ok(Outcome::Unchanged);
        }
        self.tx.execute(
            "UPDATE ceremonies SET held_on = $2 WHERE pk = $1",
            &[&pk, &date],
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
        // Refuses a contradicting nomination before anything of it is written.
        let (ceremony_pk, _) = self.ensure_ceremony(body_pk, &n.body, n.ceremony, Some(n.years))?;
        let category_pk = self.ensure_category(body_pk, &n.category)?;

        let key = n.natural_key();
        let counting = n.counting();
        let existing: Option<(i64, i64, bool, Option<String>)> = self
            .tx
            .query_opt(
                "SELECT pk, category_pk, winner, note FROM nominations WHERE natural_key = $1",
                &[&key],
            )?
            .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)));
        if let Some((pk, old_category, old_winner, old_note)) = existing {
            if (old_category, old_winner, old_note.as_deref())
                == (category_pk, n.winner, n.note.as_deref())
            {
                return Ok(Outcome::Unchanged);
            }
            self.tx.execute(
                "UPDATE nominations SET category_pk = $2, winner = $3, note = $4,
                        counts_as_nomination = $5, counts_as_win = $6, dataset = $7, locator = $8
                 WHERE pk = $1",
                &[
                    &pk,
                    &category_pk,
                    &n.winner,
                    &n.note,
                    &counting.counts_as_nomination,
                    &counting.counts_as_win,
                    &n.source.dataset,
                    &n.source.locator,
                ],
            )?;
            self.nomination_changed(pk)?;
            return Ok(Outcome::Updated);
        }

        // The films and people first, then the nomination with its rows in one statement.
        let award_year = n.years.single();
        let mut film_pks: Vec<Option<i64>> = Vec::with_capacity(n.films.len());
        for film in &n.films {
            film_pks.push(match &film.imdb_id {
                Some(imdb_id) => {
                    Some(self.ensure_nominated_film(imdb_id, &film.title, award_year, &n.source)?)
                }
                None => None,
            });
        }
        let mut person_pks: Vec<Option<i64>> = Vec::with_capacity(n.nominees.len());
        let mut company_pks: Vec<Option<i64>> = Vec::with_capacity(n.nominees.len());
        for nominee in &n.nominees {
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
            person_pks.push(person_pk);
            company_pks.push(company_pk);
        }
        let titles: Vec<&str> = n.films.iter().map(|film| film.title.as_str()).collect();
        let names: Vec<&str> = n
            .nominees
            .iter()
            .map(|nominee| nominee.name.as_str())
            .collect();
        // Statements in WITH run whether or not the main one reads them.
        self.tx.execute(
            "WITH nomination AS (
                     INSERT INTO nominations (ceremony_pk, category_pk, natural_key, credit, winner,
                                              detail, note, citation_text, counts_as_nomination,
                                              counts_as_win, dataset, locator)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     RETURNING pk
                 ), films AS (
                     INSERT INTO nomination_films (nomination_pk, position, film_pk, title)
                     SELECT nomination.pk, f.n - 1, f.film_pk, f.title
                     FROM nomination,
                          unnest($13::BIGINT[], $14::TEXT[]) WITH ORDINALITY AS f(film_pk, title, n)
                 )
                 INSERT INTO nomination_nominees (nomination_pk, position, person_pk, company_pk,
                                                  name)
                 SELECT nomination.pk, p.n - 1, p.person_pk, p.company_pk, p.name
                 FROM nomination,
                      unnest($15::BIGINT[], $16::BIGINT[], $17::TEXT[])
                          WITH ORDINALITY AS p(person_pk, company_pk, name, n)",
            &[
                &ceremony_pk,
                &category_pk,
                &key,
                &n.credit,
                &n.winner,
                &to_json_list(&n.detail),
                &n.note,
                &n.citation,
                &counting.counts_as_nomination,
                &counting.counts_as_win,
                &n.source.dataset,
                &n.source.locator,
                &film_pks,
                &titles,
                &person_pks,
                &company_pks,
                &names,
            ],
        )?;
        // As `nomination_changed` would find them: films, then people, in the nomination's order.
        if self.logging == ChangeLogging::EachChange {
            for pk in film_pks.into_iter().flatten() {
                self.changed(EntityKind::Film, pk)?;
            }
            for pk in person_pks.into_iter().flatten() {
                self.changed(EntityKind::Person, pk)?;
            }
        } else {
            self.changed(EntityKind::Film, 0)?;
        }
        Ok(Outcome::New)
    }
}
