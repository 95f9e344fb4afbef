//! Writes of many credits or aliases at once, for bulk imports: the same outcome, row by row, as
//! calling `put_credit` or `put_alias` for each, but with the lookups done for the whole batch
//! in a few statements (ids to keys, the credits already there) and, unlike SQLite (where a
//! statement costs no round trip), the new and changed rows written at the end in one statement
//! each, their columns passed as arrays to `unnest`.

use std::collections::{HashMap, HashSet};

use kinograph_catalog::{CreditRecord, EntityKind, Outcome, Provenance, normalize};

use super::Sql;
use super::write::PgWriter;
use crate::columns::to_json_list;
use crate::sqlite::batch::unique;
use crate::{Error, Result};

/// A credit's key: film, person, category, job.
type CreditKey = (i64, i64, String, String);

/// A credit the batch knows, with what it holds now.
struct KnownCredit {
    row: CreditRow,
    characters: String,
    billing: Option<i64>,
}

/// Where a known credit's current values are to be written.
#[derive(Clone, Copy)]
enum CreditRow {
    /// Stored, and unchanged so far by this batch (its primary key).
    Stored(i64),
    /// New in this batch: row `n` of [`NewCredits`].
    New(usize),
    /// Stored and changed by this batch: row `n` of [`ChangedCredits`].
    Changed(usize),
}

/// The values a put sets on a credit, a column each.
#[derive(Default)]
struct CreditValues<'a> {
    characters: Vec<String>,
    billing: Vec<Option<i64>>,
    dataset: Vec<&'a str>,
    locator: Vec<Option<&'a str>>,
    citation: Vec<Option<&'a str>>,
}

impl<'a> CreditValues<'a> {
    fn push(&mut self, characters: String, billing: Option<i64>, source: &'a Provenance) -> usize {
        self.characters.push(characters);
        self.billing.push(billing);
        self.dataset.push(&source.dataset);
        self.locator.push(source.locator.as_deref());
        self.citation.push(source.citation.as_deref());
        self.characters.len() - 1
    }

    /// A later put of the same credit in the batch: its values win, as SQLite's `UPDATE` of
    /// the row the batch inserted or updated before.
    fn set(&mut self, n: usize, characters: String, billing: Option<i64>, source: &'a Provenance) {
        self.characters[n] = characters;
        self.billing[n] = billing;
        self.dataset[n] = &source.dataset;
        self.locator[n] = source.locator.as_deref();
        self.citation[n] = source.citation.as_deref();
    }
}

/// The credits to insert, in the order SQLite inserts them (their primary keys follow it).
#[derive(Default)]
struct NewCredits<'a> {
    film_pk: Vec<i64>,
    person_pk: Vec<i64>,
    category: Vec<String>,
    job: Vec<String>,
    values: CreditValues<'a>,
}

/// The stored credits to update, by primary key.
#[derive(Default)]
struct ChangedCredits<'a> {
    pk: Vec<i64>,
    values: CreditValues<'a>,
}

fn unknown(kind: EntityKind, id: &str) -> Error {
    Error::UnknownEntity {
        kind: kind.as_str(),
        id: id.to_string(),
    }
}

impl PgWriter<'_, '_> {
    /// The primary keys of the given public or IMDb ids (public ids first, as `lookup` does).
    fn pks_of(&mut self, kind: EntityKind, ids: &[&str]) -> Result<HashMap<String, i64>> {
        let sql = match kind {
            EntityKind::Film => {
                "SELECT j.value, COALESCE((SELECT pk FROM films WHERE id = j.value),
                                          (SELECT pk FROM films WHERE imdb_id = j.value))
                 FROM unnest($1::TEXT[]) AS j(value)"
            }
            EntityKind::Person => {
                "SELECT j.value, COALESCE((SELECT pk FROM people WHERE id = j.value),
                                          (SELECT pk FROM people WHERE imdb_id = j.value))
                 FROM unnest($1::TEXT[]) AS j(value)"
            }
            EntityKind::Company => {
                "SELECT j.value, COALESCE((SELECT pk FROM companies WHERE id = j.value),
                                          (SELECT pk FROM companies WHERE imdb_id = j.value))
                 FROM unnest($1::TEXT[]) AS j(value)"
            }
            EntityKind::Essay => return Ok(HashMap::new()),
        };
        let mut found = HashMap::with_capacity(ids.len());
        for row in self.tx.query(sql, &[&ids])? {
            if let Some(pk) = row.get::<_, Option<i64>>(1) {
                found.insert(row.get(0), pk);
            }
        }
        Ok(found)
    }

    /// Logs each entity once for the batch (not once per row that changed it).
    fn changed_once(
        &mut self,
        logged: &mut HashSet<(EntityKind, i64)>,
        kind: EntityKind,
        pk: i64,
    ) -> Result<()> {
        if logged.insert((kind, pk)) {
            self.changed(kind, pk)?;
        }
        Ok(())
    }

    pub(super) fn write_credits(
        &mut self,
        credits: &[CreditRecord],
    ) -> Result<Vec<Result<Outcome>>> {
        let film_ids: Vec<&str> = unique(credits.iter().map(|c| c.film.as_str()));
        let person_ids: Vec<&str> = unique(credits.iter().map(|c| c.person.as_str()));
        let films = self.pks_of(EntityKind::Film, &film_ids)?;
        let people = self.pks_of(EntityKind::Person, &person_ids)?;

        // The credits the catalog has for these films: (key) -> (row, characters, billing).
        let film_pks: Vec<i64> = unique(films.values().copied());
        let mut existing: HashMap<CreditKey, KnownCredit> = HashMap::new();
        for r in self.tx.query(
            "SELECT film_pk, person_pk, category, job, pk, characters, billing FROM credits
             WHERE film_pk = ANY($1)",
            &[&film_pks],
        )? {
            existing.insert(
                (r.get(0), r.get(1), r.get(2), r.get(3)),
                KnownCredit {
                    row: CreditRow::Stored(r.get(4)),
                    characters: r.get(5),
                    billing: r.get(6),
                },
            );
        }

        let mut new = NewCredits::default();
        let mut changed = ChangedCredits::default();
        let mut logged = HashSet::new();
        let mut outcomes = Vec::with_capacity(credits.len());
        for credit in credits {
            let Some(&film_pk) = films.get(&credit.film) else {
                outcomes.push(Err(unknown(EntityKind::Film, &credit.film)));
                continue;
            };
            let Some(&person_pk) = people.get(&credit.person) else {
                outcomes.push(Err(unknown(EntityKind::Person, &credit.person)));
                continue;
            };
            let key = (
                film_pk,
                person_pk,
                credit.category.as_str().to_string(),
                credit.job.clone().unwrap_or_default(),
            );
            let characters = to_json_list(&credit.characters);
            let order = credit.order.map(i64::from);
            let source = &credit.source;
            let outcome = match existing.get_mut(&key) {
                None => {
                    new.film_pk.push(film_pk);
                    new.person_pk.push(person_pk);
                    new.category.push(key.2.clone());
                    new.job.push(key.3.clone());
                    let n = new.values.push(characters.clone(), order, source);
                    existing.insert(
                        key,
                        KnownCredit {
                            row: CreditRow::New(n),
                            characters,
                            billing: order,
                        },
                    );
                    Outcome::New
                }
                Some(known) => {
                    // A credit without a billing order keeps the one the catalog knows.
                    let billing = order.or(known.billing);
                    if known.characters == characters && known.billing == billing {
                        Outcome::Unchanged
                    } else {
                        match known.row {
                            CreditRow::Stored(pk) => {
                                changed.pk.push(pk);
                                let n = changed.values.push(characters.clone(), billing, source);
                                known.row = CreditRow::Changed(n);
                            }
                            CreditRow::New(n) => {
                                new.values.set(n, characters.clone(), billing, source);
                            }
                            CreditRow::Changed(n) => {
                                changed.values.set(n, characters.clone(), billing, source);
                            }
                        }
                        known.characters = characters;
                        known.billing = billing;
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

        if !new.film_pk.is_empty() {
            // In the batch's order (WITH ORDINALITY), so primary keys follow it as in SQLite.
            let v = &new.values;
            self.tx.execute(
                "INSERT INTO credits (film_pk, person_pk, category, job, characters, billing,
                                      dataset, locator, citation)
                 SELECT film_pk, person_pk, category, job, characters, billing,
                        dataset, locator, citation
                 FROM unnest($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                             $6::BIGINT[], $7::TEXT[], $8::TEXT[], $9::TEXT[])
                      WITH ORDINALITY AS c(film_pk, person_pk, category, job, characters, billing,
                                           dataset, locator, citation, n)
                 ORDER BY n",
                &[
                    &new.film_pk,
                    &new.person_pk,
                    &new.category,
                    &new.job,
                    &v.characters,
                    &v.billing,
                    &v.dataset,
                    &v.locator,
                    &v.citation,
                ],
            )?;
        }
        if !changed.pk.is_empty() {
            let v = &changed.values;
            self.tx.execute(
                "UPDATE credits SET characters = c.characters, billing = c.billing,
                                    dataset = c.dataset, locator = c.locator, citation = c.citation
                 FROM unnest($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[], $5::TEXT[],
                             $6::TEXT[])
                      AS c(pk, characters, billing, dataset, locator, citation)
                 WHERE credits.pk = c.pk",
                &[
                    &changed.pk,
                    &v.characters,
                    &v.billing,
                    &v.dataset,
                    &v.locator,
                    &v.citation,
                ],
            )?;
        }
        Ok(outcomes)
    }

    pub(super) fn write_aliases(
        &mut self,
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
        let pk_list: Vec<i64> = unique(pks.values().copied());
        // Each entity's own name key, and the aliases it has.
        let mut own: HashMap<i64, String> = HashMap::new();
        let sql = format!("SELECT pk, {own_key} FROM {table} WHERE pk = ANY($1)");
        for r in self.tx.query(sql.as_str(), &[&pk_list])? {
            own.insert(r.get(0), r.get(1));
        }
        let mut known: HashSet<(i64, String)> = HashSet::new();
        for r in self.tx.query(
            "SELECT entity_pk, name FROM aliases WHERE entity_kind = $1 AND entity_pk = ANY($2)",
            &[&kind.as_str(), &pk_list],
        )? {
            known.insert((r.get(0), r.get(1)));
        }

        // The new aliases, a column each, inserted in one statement at the end.
        let mut entity_pk: Vec<i64> = Vec::new();
        let mut name_col: Vec<&str> = Vec::new();
        let mut name_key: Vec<String> = Vec::new();
        let mut dataset: Vec<&str> = Vec::new();
        let mut locator: Vec<Option<&str>> = Vec::new();
        let mut citation: Vec<Option<&str>> = Vec::new();
        let mut logged = HashSet::new();
        let mut outcomes = Vec::with_capacity(aliases.len());
        for (id, name, source) in aliases {
            let Some(&pk) = pks.get(id) else {
                outcomes.push(Err(unknown(kind, id)));
                continue;
            };
            let key = normalize::key(name);
            if own.get(&pk) == Some(&key) || !known.insert((pk, name.clone())) {
                outcomes.push(Ok(Outcome::Unchanged));
                continue;
            }
            entity_pk.push(pk);
            name_col.push(name);
            name_key.push(key);
            dataset.push(&source.dataset);
            locator.push(source.locator.as_deref());
            citation.push(source.citation.as_deref());
            self.changed_once(&mut logged, kind, pk)?;
            outcomes.push(Ok(Outcome::New));
        }
        if !entity_pk.is_empty() {
            self.tx.execute(
                "INSERT INTO aliases (entity_kind, entity_pk, name, name_key, dataset, locator, citation)
                 SELECT $1::TEXT, entity_pk, name, name_key, dataset, locator, citation
                 FROM unnest($2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[],
                             $7::TEXT[])
                      AS a(entity_pk, name, name_key, dataset, locator, citation)
                 ON CONFLICT DO NOTHING",
                &[
                    &kind.as_str(),
                    &entity_pk,
                    &name_col,
                    &name_key,
                    &dataset,
                    &locator,
                    &citation,
                ],
            )?;
        }
        Ok(outcomes)
    }
}
