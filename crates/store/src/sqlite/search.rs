//! The reads that feed the search index: the change log, and each film's or person's search
//! document.

use std::collections::HashSet;

use kinograph_catalog::{
    CharacterEntry, EntityKind, EntityRef, SearchChanges, SearchEntry, normalize,
};
use rusqlite::{OptionalExtension, Row, params};

use super::read::json_column;
use super::{SqliteBackend, json_list};
use crate::Result;

/// Acting nominations' details are the characters played (one per film of the row).
const ACTING_CHARACTERS: &str = "
    SELECT n.detail, nf.position,
           (SELECT COUNT(*) FROM nomination_films x WHERE x.nomination_pk = n.pk),
           f.id, f.title, COALESCE(f.year, f.award_year), p.id, p.name
    FROM nominations n
    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Acting'
    JOIN nomination_films nf ON nf.nomination_pk = n.pk
    JOIN films f ON f.pk = nf.film_pk
    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
    LEFT JOIN people p ON p.pk = nn.person_pk
    WHERE ";

const CREDITED_CHARACTERS: &str = "
    SELECT c.characters, f.id, f.title, COALESCE(f.year, f.award_year), p.id, p.name
    FROM credits c
    JOIN people p ON p.pk = c.person_pk
    JOIN films f ON f.pk = c.film_pk
    WHERE c.characters <> '[]' AND ";

/// Counted nominations, wins and credits, for a film (`?1` a film pk) or a person.
const FILM_POPULARITY: &str = "
    SELECT (SELECT COUNT(DISTINCT n.pk) FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
            WHERE nf.film_pk = ?1 AND n.counts_as_nomination = 1),
           (SELECT COUNT(DISTINCT n.pk) FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
            WHERE nf.film_pk = ?1 AND n.counts_as_win = 1),
           (SELECT COUNT(*) FROM credits WHERE film_pk = ?1)";
const PERSON_POPULARITY: &str = "
    SELECT (SELECT COUNT(DISTINCT n.pk) FROM nomination_nominees nn JOIN nominations n ON n.pk = nn.nomination_pk
            WHERE nn.person_pk = ?1 AND n.counts_as_nomination = 1),
           (SELECT COUNT(DISTINCT n.pk) FROM nomination_nominees nn JOIN nominations n ON n.pk = nn.nomination_pk
            WHERE nn.person_pk = ?1 AND n.counts_as_win = 1),
           (SELECT COUNT(*) FROM credits WHERE person_pk = ?1)";

/// The prior: a win weighs two nominations, a credit half of one.
pub(super) fn popularity(nominations: u32, wins: u32, credits: u32) -> f64 {
    f64::from(nominations) + 2.0 * f64::from(wins) + 0.5 * f64::from(credits)
}

fn film_ref(row: &Row<'_>, first: usize) -> rusqlite::Result<EntityRef> {
    Ok(EntityRef::new(
        row.get::<_, String>(first)?,
        row.get::<_, String>(first + 1)?,
    ))
}

fn person_ref(row: &Row<'_>, first: usize) -> rusqlite::Result<Option<EntityRef>> {
    let id: Option<String> = row.get(first)?;
    let name: Option<String> = row.get(first + 1)?;
    Ok(id.zip(name).map(|(id, name)| EntityRef::new(id, name)))
}

impl SqliteBackend {
    pub(super) fn read_search_changes(&self, after: u64, limit: u32) -> Result<SearchChanges> {
        let after_seq = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = self
            .conn
            .prepare_cached(
                "SELECT seq, entity_kind, entity_pk FROM search_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?
            .query_map(params![after_seq, limit], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut changes = SearchChanges {
            upto: after,
            entities: Vec::new(),
        };
        let mut seen = HashSet::new();
        for (seq, kind, pk) in rows {
            changes.upto = u64::try_from(seq).unwrap_or(changes.upto);
            if !seen.insert((kind.clone(), pk)) {
                continue;
            }
            let (kind, sql) = match kind.as_str() {
                "film" => (EntityKind::Film, "SELECT id FROM films WHERE pk = ?1"),
                "person" => (EntityKind::Person, "SELECT id FROM people WHERE pk = ?1"),
                "essay" => (EntityKind::Essay, "SELECT slug FROM essays WHERE pk = ?1"),
                _ => continue,
            };
            let id: Option<String> = self
                .conn
                .prepare_cached(sql)?
                .query_row([pk], |r| r.get(0))
                .optional()?;
            if let Some(id) = id {
                changes.entities.push((kind, id));
            }
        }
        Ok(changes)
    }

    /// A published essay as search sees it: its title, with its tags and author as other
    /// names; a draft has none (and a re-index removes it).
    fn essay_search_entry(&self, slug: &str) -> Result<Option<SearchEntry>> {
        let found: Option<(String, String, String, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT title, author, tags, published FROM essays
                 WHERE slug = ?1 AND state IN ('published', 'corrected')",
            )?
            .query_row([slug], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((title, author, tags, published)) = found else {
            return Ok(None);
        };
        let mut other_names = super::json_list(&tags)?;
        other_names.push(author.clone());
        Ok(Some(SearchEntry {
            kind: EntityKind::Essay,
            id: slug.to_string(),
            name: title,
            other_names,
            year: published.and_then(|d| d.get(..4)?.parse().ok()),
            genres: Vec::new(),
            characters: Vec::new(),
            popularity: 1.0,
            known_for: Some(format!("an essay by {author}")),
        }))
    }

    pub(super) fn read_search_entry(
        &self,
        kind: EntityKind,
        id: &str,
    ) -> Result<Option<SearchEntry>> {
        let (sql, popularity_sql, acting_filter, credit_filter, alias_kind) = match kind {
            EntityKind::Film => (
                "SELECT pk, id, title, COALESCE(year, award_year), genres, original_title
                 FROM films WHERE id = ?1 OR imdb_id = ?1",
                FILM_POPULARITY,
                "nf.film_pk = ?1",
                "c.film_pk = ?1",
                "film",
            ),
            EntityKind::Person => (
                "SELECT pk, id, name, birth_year, '[]', NULL FROM people WHERE id = ?1 OR imdb_id = ?1",
                PERSON_POPULARITY,
                "nn.person_pk = ?1",
                "c.person_pk = ?1",
                "person",
            ),
            EntityKind::Essay => return self.essay_search_entry(id),
            EntityKind::Company => return Ok(None),
        };
        let found = self
            .conn
            .prepare_cached(sql)?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    SearchEntry {
                        kind,
                        id: r.get(1)?,
                        name: r.get(2)?,
                        other_names: r.get::<_, Option<String>>(5)?.into_iter().collect(),
                        year: r.get(3)?,
                        genres: json_column(r, 4)?,
                        characters: Vec::new(),
                        popularity: 0.0,
                        known_for: None,
                    },
                ))
            })
            .optional()?;
        let Some((pk, mut entry)) = found else {
            return Ok(None);
        };
        entry.other_names.extend(self.aliases(alias_kind, pk)?);
        entry
            .other_names
            .retain(|n| normalize::key(n) != normalize::key(&entry.name));
        let (nominations, wins, credits): (u32, u32, u32) = self
            .conn
            .prepare_cached(popularity_sql)?
            .query_row([pk], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        entry.popularity = popularity(nominations, wins, credits);
        entry.characters = self.characters(pk, acting_filter, credit_filter)?;
        entry.known_for = self.known_for(kind, pk)?;
        Ok(Some(entry))
    }

    /// Characters from credits and from acting nominations, each (name, person) once.
    fn characters(
        &self,
        pk: i64,
        acting_filter: &str,
        credit_filter: &str,
    ) -> Result<Vec<CharacterEntry>> {
        let mut found: Vec<CharacterEntry> = Vec::new();
        let credited = format!("{CREDITED_CHARACTERS}{credit_filter}");
        let rows = self
            .conn
            .prepare_cached(&credited)?
            .query_map([pk], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    film_ref(r, 1)?,
                    r.get::<_, Option<i32>>(3)?,
                    person_ref(r, 4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (names, film, year, person) in rows {
            for name in json_list(&names)? {
                found.push(CharacterEntry {
                    name,
                    film: film.clone(),
                    year,
                    person: person.clone(),
                });
            }
        }
        let acting = format!("{ACTING_CHARACTERS}{acting_filter}");
        let rows = self
            .conn
            .prepare_cached(&acting)?
            .query_map([pk], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    film_ref(r, 3)?,
                    r.get::<_, Option<i32>>(5)?,
                    person_ref(r, 6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (detail, position, films, film, year, person) in rows {
            let details = json_list(&detail)?;
            // One detail per film of the row; a lone detail belongs to a lone film.
            let name = if details.len() as i64 == films {
                usize::try_from(position)
                    .ok()
                    .and_then(|p| details.get(p).cloned())
            } else {
                None
            };
            if let Some(name) = name {
                found.push(CharacterEntry {
                    name,
                    film,
                    year,
                    person,
                });
            }
        }
        let mut seen = HashSet::new();
        found.retain(|c| {
            let person = c.person.as_ref().and_then(|p| p.id.clone());
            seen.insert((normalize::key(&c.name), c.film.id.clone(), person))
        });
        Ok(found)
    }

    /// A film's directors ("Sean Baker"), or a person's film with the most counted wins and
    /// nominations, else their latest credit ("Anora (2024)").
    fn known_for(&self, kind: EntityKind, pk: i64) -> Result<Option<String>> {
        let sql = match kind {
            EntityKind::Film => {
                "SELECT group_concat(name, ', ') FROM (
                    SELECT DISTINCT p.name AS name FROM credits c JOIN people p ON p.pk = c.person_pk
                    WHERE c.film_pk = ?1 AND c.category = 'director'
                    UNION
                    SELECT DISTINCT nn.name FROM nomination_films nf
                    JOIN nominations n ON n.pk = nf.nomination_pk
                    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Directing'
                    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
                    WHERE nf.film_pk = ?1 AND NOT EXISTS
                        (SELECT 1 FROM credits c WHERE c.film_pk = ?1 AND c.category = 'director'))"
            }
            EntityKind::Person => {
                "SELECT title || COALESCE(' (' || year || ')', '') FROM (
                    SELECT f.title AS title, COALESCE(f.year, f.award_year) AS year,
                           SUM(n.counts_as_win) AS wins, SUM(n.counts_as_nomination) AS noms, 1 AS nominated
                    FROM nomination_nominees nn
                    JOIN nominations n ON n.pk = nn.nomination_pk
                    JOIN nomination_films nf ON nf.nomination_pk = n.pk
                    JOIN films f ON f.pk = nf.film_pk
                    WHERE nn.person_pk = ?1 AND n.counts_as_nomination = 1
                    GROUP BY f.pk
                    UNION ALL
                    SELECT f.title, COALESCE(f.year, f.award_year), 0, 0, 0
                    FROM credits c JOIN films f ON f.pk = c.film_pk WHERE c.person_pk = ?1
                 ) ORDER BY nominated DESC, wins DESC, noms DESC, year DESC LIMIT 1"
            }
            EntityKind::Company | EntityKind::Essay => return Ok(None),
        };
        let found: Option<Option<String>> = self
            .conn
            .prepare_cached(sql)?
            .query_row([pk], |r| r.get(0))
            .optional()?;
        Ok(found.flatten())
    }

    pub(super) fn read_entity_ids(
        &self,
        kind: EntityKind,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<String>> {
        let sql = match kind {
            EntityKind::Film => {
                "SELECT id FROM films WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2"
            }
            EntityKind::Person => {
                "SELECT id FROM people WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2"
            }
            EntityKind::Company => {
                "SELECT id FROM companies WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2"
            }
            EntityKind::Essay => {
                "SELECT slug FROM essays WHERE state IN ('published', 'corrected')
                   AND (?1 IS NULL OR slug > ?1) ORDER BY slug LIMIT ?2"
            }
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_map(params![after, limit], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
}
