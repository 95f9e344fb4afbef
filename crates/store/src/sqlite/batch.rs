//! Writes of many credits or aliases at once, for bulk imports: the same outcome, row by row, as
//! calling `put_credit` or `put_alias` for each, but with the lookups done for the whole batch
//! in a few statements (ids to keys, the credits already there), so that a new row costs one
//! `INSERT` and an unchanged one nothing.

use std::collections::{HashMap, HashSet};

use kinograph_catalog::{CreditRecord, EntityKind, Outcome, Provenance, normalize};
use rusqlite::params;

use super::to_json_list;
use super::write::SqliteWriter;
use crate::{Error, Result};

/// A credit's key: film, person, category, job.
type CreditKey = (i64, i64, String, String);

impl SqliteWriter<'_> {
    /// The primary keys of the given public or IMDb ids (public ids first, as `lookup` does).
    fn pks_of(&self, kind: EntityKind, ids: &[&str]) -> Result<HashMap<String, i64>> {
        let sql = match kind {
            EntityKind::Film => {
                "SELECT j.value, COALESCE((SELECT pk FROM films WHERE id = j.value),
                                          (SELECT pk FROM films WHERE imdb_id = j.value))
                 FROM json_each(?1) j"
            }
            EntityKind::Person => {
                "SELECT j.value, COALESCE((SELECT pk FROM people WHERE id = j.value),
                                          (SELECT pk FROM people WHERE imdb_id = j.value))
                 FROM json_each(?1) j"
            }
            EntityKind::Company => {
                "SELECT j.value, COALESCE((SELECT pk FROM companies WHERE id = j.value),
                                          (SELECT pk FROM companies WHERE imdb_id = j.value))
                 FROM json_each(?1) j"
            }
            EntityKind::Essay => return Ok(HashMap::new()),
        };
        let list = serde_json::Value::from(ids.to_vec()).to_string();
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([list])?;
        let mut found = HashMap::with_capacity(ids.len());
        while let Some(row) = rows.next()? {
            if let Some(pk) = row.get::<_, Option<i64>>(1)? {
                found.insert(row.get(0)?, pk);
            }
        }
        Ok(found)
    }

    fn unknown(kind: EntityKind, id: &str) -> Error {
        Error::UnknownEntity {
            kind: kind.as_str(),
            id: id.to_string(),
        }
    }

    /// Logs each entity once for the batch (not once per row that changed it).
    fn changed_once(
        &self,
        logged: &mut HashSet<(EntityKind, i64)>,
        kind: EntityKind,
        pk: i64,
    ) -> Result<()> {
        if logged.insert((kind, pk)) {
            self.changed(kind, pk)?;
        }
        Ok(())
    }

    pub(super) fn write_credits(&self, credits: &[CreditRecord]) -> Result<Vec<Result<Outcome>>> {
        let film_ids: Vec<&str> = unique(credits.iter().map(|c| c.film.as_str()));
        let person_ids: Vec<&str> = unique(credits.iter().map(|c| c.person.as_str()));
        let films = self.pks_of(EntityKind::Film, &film_ids)?;
        let people = self.pks_of(EntityKind::Person, &person_ids)?;

        // The credits the catalog has for these films: (key) -> (pk, characters, billing).
        let film_pks: Vec<i64> = unique(films.values().copied());
        let mut existing: HashMap<CreditKey, (i64, String, Option<u32>)> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT film_pk, person_pk, category, job, pk, characters, billing FROM credits
                 WHERE film_pk IN (SELECT value FROM json_each(?1))",
            )?;
            let mut rows = stmt.query([serde_json::Value::from(film_pks).to_string()])?;
            while let Some(r) = rows.next()? {
                existing.insert(
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                    (r.get(4)?, r.get(5)?, r.get(6)?),
                );
            }
        }

        let mut logged = HashSet::new();
        let mut outcomes = Vec::with_capacity(credits.len());
        for credit in credits {
            let Some(&film_pk) = films.get(&credit.film) else {
                outcomes.push(Err(Self::unknown(EntityKind::Film, &credit.film)));
                continue;
            };
            let Some(&person_pk) = people.get(&credit.person) else {
                outcomes.push(Err(Self::unknown(EntityKind::Person, &credit.person)));
                continue;
            };
            let key = (
                film_pk,
                person_pk,
                credit.category.as_str().to_string(),
                credit.job.clone().unwrap_or_default(),
            );
            let characters = to_json_list(&credit.characters);
            let source = &credit.source;
            let outcome = match existing.get_mut(&key) {
                None => {
                    self.conn
                        .prepare_cached(
                            "INSERT INTO credits (film_pk, person_pk, category, job, characters, billing, dataset, locator, citation)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        )?
                        .execute(params![
                            film_pk,
                            person_pk,
                            key.2,
                            key.3,
                            characters,
                            credit.order,
                            source.dataset,
                            source.locator,
                            source.citation
                        ])?;
                    let pk = self.conn.last_insert_rowid();
                    existing.insert(key, (pk, characters, credit.order));
                    Outcome::New
                }
                Some((pk, old_characters, old_billing)) => {
                    // A credit without a billing order keeps the one the catalog knows.
                    let billing = credit.order.or(*old_billing);
                    if *old_characters == characters && *old_billing == billing {
                        Outcome::Unchanged
                    } else {
                        self.conn
                            .prepare_cached(
                                "UPDATE credits SET characters = ?2, billing = ?3, dataset = ?4, locator = ?5, citation = ?6
                                 WHERE pk = ?1",
                            )?
                            .execute(params![
                                *pk,
                                characters,
                                billing,
                                source.dataset,
                                source.locator,
                                source.citation
                            ])?;
                        *old_characters = characters;
                        *old_billing = billing;
                        Outcome::Updated
                    }
                }
            };
            if outcome != Outcome::Unchanged {
                // The film's cast and the person's roles are part of their search documents.
                self.changed_once(&mut logged, EntityKind::Film, film_pk)?;
                self.changed_once(&mut logged, EntityKind::Person, person_pk)?;
            }
            outcomes.push(Ok(outcome));
        }
        Ok(outcomes)
    }

    pub(super) fn write_aliases(
        &self,
        kind: EntityKind,
        aliases: &[(String, String, Provenance)],
    ) -> Result<Vec<Result<Outcome>>> {
        let (table, own_key) = match kind {
            EntityKind::Film => ("films", "title_key"),
            EntityKind::Person => ("people", "name_key"),
            EntityKind::Company => ("companies", "name_key"),
            EntityKind::Essay => {
                return Ok(aliases.iter().map(|_| Ok(Outcome::Unchanged)).collect());
            }
        };
        let ids: Vec<&str> = unique(aliases.iter().map(|(id, _, _)| id.as_str()));
        let pks = self.pks_of(kind, &ids)?;
        let pk_list = serde_json::Value::from(unique(pks.values().copied())).to_string();
        // Each entity's own name key, and the aliases it has.
        let mut own: HashMap<i64, String> = HashMap::new();
        {
            let sql = format!(
                "SELECT pk, {own_key} FROM {table} WHERE pk IN (SELECT value FROM json_each(?1))"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([&pk_list])?;
            while let Some(r) = rows.next()? {
                own.insert(r.get(0)?, r.get(1)?);
            }
        }
        let mut known: HashSet<(i64, String)> = HashSet::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT entity_pk, name FROM aliases
                 WHERE entity_kind = ?1 AND entity_pk IN (SELECT value FROM json_each(?2))",
            )?;
            let mut rows = stmt.query(params![kind.as_str(), pk_list])?;
            while let Some(r) = rows.next()? {
                known.insert((r.get(0)?, r.get(1)?));
            }
        }
        let mut logged = HashSet::new();
        let mut outcomes = Vec::with_capacity(aliases.len());
        for (id, name, source) in aliases {
            let Some(&pk) = pks.get(id) else {
                outcomes.push(Err(Self::unknown(kind, id)));
                continue;
            };
            let key = normalize::key(name);
            if own.get(&pk) == Some(&key) || !known.insert((pk, name.clone())) {
                outcomes.push(Ok(Outcome::Unchanged));
                continue;
            }
            self.conn
                .prepare_cached(
                    "INSERT INTO aliases (entity_kind, entity_pk, name, name_key, dataset, locator, citation)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    kind.as_str(),
                    pk,
                    name,
                    key,
                    source.dataset,
                    source.locator,
                    source.citation
                ])?;
            self.changed_once(&mut logged, kind, pk)?;
            outcomes.push(Ok(Outcome::New));
        }
        Ok(outcomes)
    }
}

/// The distinct items, in first-seen order.
pub(crate) fn unique<T: Eq + std::hash::Hash + Copy>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(*item))
        .collect()
}
