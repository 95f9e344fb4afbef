//! The reads that feed the search index: the change log, and each film's or person's search
//! document.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use kinograph_catalog::{
    CharacterEntry, EntityKind, EntityRef, SearchChanges, SearchEntry, SearchEntryPage, normalize,
};
use rusqlite::{OptionalExtension, Row, params};

use super::read::json_column;
use super::{SqliteBackend, json_list};
use crate::Result;

/// The change-log entry of a bulk load: everything is to be re-indexed.
pub(crate) const REBUILD_MARKER: &str = "all";

/// Every query below reads a batch of films or people at once: `?1` is a JSON array of their
/// primary keys, and the first column says whose row it is. A re-index of thousands of entities
/// is then a dozen statements, not a dozen per entity.
const BATCH: &str = "(SELECT value FROM json_each(?1))";

/// A film's own columns for its search document, before a condition on `pk`.
const FILM_ENTRY: &str =
    "SELECT pk, id, title, COALESCE(year, award_year), genres, original_title, imdb_votes
     FROM films";

/// A person's, in the same columns.
const PERSON_ENTRY: &str = "SELECT pk, id, name, birth_year, '[]', NULL, NULL FROM people";

/// Acting nominations' details are the characters played (one per film of the row).
const ACTING_CHARACTERS: &str = "
    SELECT {owner}, n.detail, nf.position,
           (SELECT COUNT(*) FROM nomination_films x WHERE x.nomination_pk = n.pk),
           f.id, f.title, COALESCE(f.year, f.award_year), p.id, p.name
    FROM nominations n
    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Acting'
    JOIN nomination_films nf ON nf.nomination_pk = n.pk
    JOIN films f ON f.pk = nf.film_pk
    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
    LEFT JOIN people p ON p.pk = nn.person_pk
    WHERE {owner} IN {batch}
    ORDER BY n.pk, nf.position";

/// Counted nominations and wins.
const AWARD_COUNTS: &str = "
    SELECT {owner}, COUNT(DISTINCT CASE WHEN n.counts_as_nomination = 1 THEN n.pk END),
           COUNT(DISTINCT CASE WHEN n.counts_as_win = 1 THEN n.pk END)
    FROM {table} JOIN nominations n ON n.pk = {table_alias}.nomination_pk
    WHERE {owner} IN {batch} GROUP BY {owner}";

/// A film's credits, once: counted, their characters, its directors.
const FILM_CREDITS: &str = "
    SELECT c.film_pk, c.characters, c.category, p.id, p.name
    FROM credits c JOIN people p ON p.pk = c.person_pk
    WHERE c.film_pk IN {batch}";

/// The directors of Directing nominations, for films without director credits.
const NOMINATED_DIRECTORS: &str = "
    SELECT DISTINCT nf.film_pk, nn.name FROM nomination_films nf
    JOIN nominations n ON n.pk = nf.nomination_pk
    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Directing'
    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
    WHERE nf.film_pk IN {batch}";

/// A person's credits, once: counted, their characters, the most votes of their films, their
/// latest film.
const PERSON_CREDITS: &str = "
    SELECT c.person_pk, c.characters, f.id, f.title, COALESCE(f.year, f.award_year),
           f.imdb_votes, f.pk
    FROM credits c JOIN films f ON f.pk = c.film_pk
    WHERE c.person_pk IN {batch}";

/// The films a person was nominated for, with counted wins and nominations.
const NOMINATED_FILMS: &str = "
    SELECT nn.person_pk, f.title, COALESCE(f.year, f.award_year), f.pk,
           SUM(n.counts_as_win), SUM(n.counts_as_nomination)
    FROM nomination_nominees nn
    JOIN nominations n ON n.pk = nn.nomination_pk
    JOIN nomination_films nf ON nf.nomination_pk = n.pk
    JOIN films f ON f.pk = nf.film_pk
    WHERE nn.person_pk IN {batch} AND n.counts_as_nomination = 1
    GROUP BY nn.person_pk, f.pk";

/// The prior: a win weighs two nominations, a credit half of one.
pub(crate) fn popularity(nominations: u32, wins: u32, credits: u32) -> f64 {
    f64::from(nominations) + 2.0 * f64::from(wins) + 0.5 * f64::from(credits)
}

/// What IMDb's votes add to the prior: a point per tenfold (a title with a million votes gains
/// six, as much as three Oscar wins), so that among the millions of titles without an award the
/// ones people watch come first, and an award still counts.
pub(crate) fn votes_popularity(votes: Option<i64>) -> f64 {
    votes.map_or(0.0, |v| (1.0 + v.max(0) as f64).log10())
}

/// Fills a query template: the owner column, the batch list, and a table for award counts.
fn fill(template: &str, owner: &str) -> String {
    let (table, alias) = if owner.starts_with("nf.") {
        ("nomination_films nf", "nf")
    } else {
        ("nomination_nominees nn", "nn")
    };
    template
        .replace("{owner}", owner)
        .replace("{batch}", BATCH)
        .replace("{table_alias}", alias)
        .replace("{table}", table)
}

/// The change log's rows since `after` (position, entity kind, the entity's id, none once it is
/// deleted), in position order, as the changes to index: each entity once.
pub(crate) fn search_changes(
    after: u64,
    rows: impl IntoIterator<Item = (i64, String, Option<String>)>,
) -> SearchChanges {
    let mut changes = SearchChanges {
        upto: after,
        entities: Vec::new(),
        rebuild: false,
    };
    let mut seen = HashSet::new();
    for (seq, kind, id) in rows {
        changes.upto = u64::try_from(seq).unwrap_or(changes.upto);
        let kind = match kind.as_str() {
            "film" => EntityKind::Film,
            "person" => EntityKind::Person,
            "essay" => EntityKind::Essay,
            REBUILD_MARKER => {
                changes.rebuild = true;
                continue;
            }
            _ => continue,
        };
        // A deleted entity has no id any more: nothing of it is left to index.
        if let Some(id) = id
            && seen.insert((kind, id.clone()))
        {
            changes.entities.push((kind, id));
        }
    }
    changes
}

/// A published essay's search document: its title, with its tags (`tags`, a JSON list) and
/// author as other names.
pub(crate) fn essay_entry(
    slug: &str,
    title: String,
    author: String,
    tags: &str,
    published: Option<String>,
) -> Result<SearchEntry> {
    let mut other_names = json_list(tags)?;
    other_names.push(author.clone());
    Ok(SearchEntry {
        kind: EntityKind::Essay,
        id: slug.to_string(),
        name: title,
        other_names,
        year: published.and_then(|d| d.get(..4)?.parse().ok()),
        genres: Vec::new(),
        characters: Vec::new(),
        popularity: 1.0,
        known_for: Some(format!("an essay by {author}")),
    })
}

/// A page of search documents from `read` rows of at most `limit`, `last` the greatest primary
/// key among them.
pub(crate) fn entry_page(
    entries: Vec<SearchEntry>,
    last: Option<i64>,
    read: usize,
    limit: u32,
) -> SearchEntryPage {
    // A short page is the last.
    let full = u32::try_from(read).is_ok_and(|read| read >= limit);
    SearchEntryPage {
        entries,
        next: last.filter(|_| full).and_then(|pk| u64::try_from(pk).ok()),
    }
}

/// What a batch read gathers of one film's or person's credits and nominations.
#[derive(Debug, Default)]
struct Credits {
    count: u32,
    /// A film's IMDb votes; a person's, the most of any of their films.
    votes: Option<i64>,
    characters: Vec<CharacterEntry>,
    known_for: Option<String>,
    nominated_directors: Vec<String>,
    bad_json: bool,
}

impl Credits {
    fn add_characters(
        &mut self,
        names: &str,
        film: &EntityRef,
        year: Option<i32>,
        person: &Option<EntityRef>,
    ) {
        if names == "[]" {
            return;
        }
        let Ok(names) = json_list(names) else {
            self.bad_json = true;
            return;
        };
        for name in names {
            self.characters.push(CharacterEntry {
                name,
                film: film.clone(),
                year,
                person: person.clone(),
            });
        }
    }
}

/// "Anora (2024)".
fn titled(title: &str, year: Option<i32>) -> String {
    match year {
        Some(year) => format!("{title} ({year})"),
        None => title.to_string(),
    }
}

/// (wins, nominations, year, film pk) of a person's nominated film: the best is the greatest.
type Best = (i64, i64, Option<i32>, Reverse<i64>);

/// The search documents of a batch of films or people, built from the rows of the batch
/// queries (each backend's own SQL, the same columns) handed in as they are read.
#[derive(Debug)]
pub(crate) struct Documents {
    kind: EntityKind,
    entries: HashMap<i64, SearchEntry>,
    credits: HashMap<i64, Credits>,
    /// (nominations, wins), counted.
    awards: HashMap<i64, (u32, u32)>,
    /// The directors of each film's credits.
    directors: HashMap<i64, Vec<String>>,
    /// (year, film pk, "Title (year)") of each person's latest credit.
    latest: HashMap<i64, (Option<i32>, Reverse<i64>, String)>,
    /// Each person's best nominated film, "Title (year)".
    nominated: HashMap<i64, (Best, String)>,
}

impl Documents {
    pub(crate) fn new(kind: EntityKind) -> Self {
        Documents {
            kind,
            entries: HashMap::new(),
            credits: HashMap::new(),
            awards: HashMap::new(),
            directors: HashMap::new(),
            latest: HashMap::new(),
            nominated: HashMap::new(),
        }
    }

    /// A row of `FILM_ENTRY` or `PERSON_ENTRY`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_entity(
        &mut self,
        pk: i64,
        id: String,
        name: String,
        year: Option<i32>,
        genres: Vec<String>,
        original: Option<String>,
        votes: Option<i64>,
    ) {
        self.credits.insert(
            pk,
            Credits {
                votes,
                ..Credits::default()
            },
        );
        self.entries.insert(
            pk,
            SearchEntry {
                kind: self.kind,
                id,
                name,
                other_names: original.into_iter().collect(),
                year,
                genres,
                characters: Vec::new(),
                popularity: 0.0,
                known_for: None,
            },
        );
    }

    /// The primary keys of the entities read, in order: the batch the other queries read.
    pub(crate) fn pks(&self) -> Vec<i64> {
        let mut pks: Vec<i64> = self.entries.keys().copied().collect();
        pks.sort_unstable();
        pks
    }

    /// An alias (aliases are read in name order).
    pub(crate) fn add_alias(&mut self, pk: i64, name: String) {
        if let Some(entry) = self.entries.get_mut(&pk) {
            entry.other_names.push(name);
        }
    }

    /// A row of `AWARD_COUNTS`.
    pub(crate) fn add_awards(&mut self, pk: i64, nominations: u32, wins: u32) {
        self.awards.insert(pk, (nominations, wins));
    }

    /// A row of `FILM_CREDITS`: counted, its characters, its director.
    pub(crate) fn add_film_credit(
        &mut self,
        pk: i64,
        characters: &str,
        category: &str,
        person: Option<EntityRef>,
    ) {
        let (Some(entry), Some(found)) = (self.entries.get(&pk), self.credits.get_mut(&pk)) else {
            return;
        };
        found.count += 1;
        let film = EntityRef::new(entry.id.clone(), entry.name.clone());
        found.add_characters(characters, &film, entry.year, &person);
        if category == "director"
            && let Some(person) = person
        {
            self.directors.entry(pk).or_default().push(person.name);
        }
    }

    /// A row of `NOMINATED_DIRECTORS`: used only for films whose credits name no director.
    pub(crate) fn add_nominated_director(&mut self, pk: i64, name: String) {
        if let Some(found) = self.credits.get_mut(&pk) {
            found.nominated_directors.push(name);
        }
    }

    /// A row of `PERSON_CREDITS`: counted, the character played, the film's votes, and
    /// whether it is the person's latest.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_person_credit(
        &mut self,
        pk: i64,
        characters: &str,
        film: EntityRef,
        year: Option<i32>,
        votes: Option<i64>,
        film_pk: i64,
    ) {
        let (Some(entry), Some(found)) = (self.entries.get(&pk), self.credits.get_mut(&pk)) else {
            return;
        };
        found.count += 1;
        found.votes = found.votes.max(votes);
        let person = Some(EntityRef::new(entry.id.clone(), entry.name.clone()));
        found.add_characters(characters, &film, year, &person);
        let candidate = (year, Reverse(film_pk), titled(&film.name, year));
        let newer = self
            .latest
            .get(&pk)
            .is_none_or(|best| (candidate.0, candidate.1) > (best.0, best.1));
        if newer {
            self.latest.insert(pk, candidate);
        }
    }

    /// A row of `NOMINATED_FILMS`: a film a person was nominated for, with counted wins and
    /// nominations.
    pub(crate) fn add_nominated_film(
        &mut self,
        pk: i64,
        title: &str,
        year: Option<i32>,
        film_pk: i64,
        wins: i64,
        nominations: i64,
    ) {
        let rank: Best = (wins, nominations, year, Reverse(film_pk));
        if self.nominated.get(&pk).is_none_or(|(best, _)| rank > *best) {
            self.nominated.insert(pk, (rank, titled(title, year)));
        }
    }

    /// A row of `ACTING_CHARACTERS`: the `position`th detail of a nomination of `films` films.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_acting_character(
        &mut self,
        owner: i64,
        detail: &str,
        position: i64,
        films: i64,
        film: EntityRef,
        year: Option<i32>,
        person: Option<EntityRef>,
    ) {
        let Some(found) = self.credits.get_mut(&owner) else {
            return;
        };
        let Ok(details) = json_list(detail) else {
            found.bad_json = true;
            return;
        };
        // A lone detail belongs to a lone film.
        if details.len() as i64 == films
            && let Some(name) = usize::try_from(position)
                .ok()
                .and_then(|p| details.get(p).cloned())
        {
            found.characters.push(CharacterEntry {
                name,
                film,
                year,
                person,
            });
        }
    }

    /// What a film is known for: its directors (from credits, else from Directing
    /// nominations); a person: the film with the most counted wins and nominations, else
    /// their latest credit.
    fn settle_known_for(&mut self) {
        match self.kind {
            EntityKind::Film => {
                for (pk, found) in self.credits.iter_mut() {
                    let mut names = self.directors.remove(pk).unwrap_or_default();
                    if names.is_empty() {
                        names = std::mem::take(&mut found.nominated_directors);
                    }
                    names.sort();
                    names.dedup();
                    if !names.is_empty() {
                        found.known_for = Some(names.join(", "));
                    }
                }
            }
            _ => {
                for (pk, found) in self.credits.iter_mut() {
                    found.known_for = self
                        .nominated
                        .remove(pk)
                        .map(|(_, film)| film)
                        .or_else(|| self.latest.remove(pk).map(|(_, _, film)| film));
                }
            }
        }
    }

    /// The documents, in no particular order, and the greatest primary key among them.
    pub(crate) fn finish(mut self) -> Result<(Vec<SearchEntry>, Option<i64>)> {
        let last = self.entries.keys().max().copied();
        self.settle_known_for();
        for (pk, entry) in &mut self.entries {
            let (nominations, wins) = self.awards.get(pk).copied().unwrap_or_default();
            let key = normalize::key(&entry.name);
            entry.other_names.retain(|n| normalize::key(n) != key);
            let found = self.credits.remove(pk).unwrap_or_default();
            if found.bad_json {
                return Err(crate::Error::Corrupt {
                    what: "JSON list column",
                    detail: format!("characters of {}", entry.id),
                });
            }
            entry.popularity =
                popularity(nominations, wins, found.count) + votes_popularity(found.votes);
            let mut seen = HashSet::new();
            entry.characters = found
                .characters
                .into_iter()
                .filter(|c| {
                    let person = c.person.as_ref().and_then(|p| p.id.clone());
                    seen.insert((normalize::key(&c.name), c.film.id.clone(), person))
                })
                .collect();
            entry.known_for = found.known_for;
        }
        Ok((self.entries.into_values().collect(), last))
    }
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
                "SELECT s.seq, s.entity_kind,
                        CASE s.entity_kind
                            WHEN 'film' THEN (SELECT id FROM films WHERE pk = s.entity_pk)
                            WHEN 'person' THEN (SELECT id FROM people WHERE pk = s.entity_pk)
                            WHEN 'essay' THEN (SELECT slug FROM essays WHERE pk = s.entity_pk)
                        END
                 FROM (SELECT seq, entity_kind, entity_pk FROM search_changes
                       WHERE seq > ?1 ORDER BY seq LIMIT ?2) s
                 ORDER BY s.seq",
            )?
            .query_map(params![after_seq, limit], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(search_changes(after, rows))
    }

    /// A published essay as search sees it ([`essay_entry`]); a draft has none (and a re-index
    /// removes it).
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
        essay_entry(slug, title, author, &tags, published).map(Some)
    }

    pub(super) fn read_search_entry(
        &self,
        kind: EntityKind,
        id: &str,
    ) -> Result<Option<SearchEntry>> {
        Ok(self
            .read_search_entries(kind, &[id.to_string()])?
            .into_iter()
            .next())
    }

    /// The search documents of the films or people given by public or IMDb id (essays by
    /// slug), in no particular order; ids the catalog lacks are left out.
    pub(super) fn read_search_entries(
        &self,
        kind: EntityKind,
        ids: &[String],
    ) -> Result<Vec<SearchEntry>> {
        let sql = match kind {
            EntityKind::Essay => {
                let mut entries = Vec::new();
                for slug in ids {
                    entries.extend(self.essay_search_entry(slug)?);
                }
                return Ok(entries);
            }
            EntityKind::Company => return Ok(Vec::new()),
            EntityKind::Film => format!(
                "{FILM_ENTRY} WHERE pk IN (SELECT pk FROM films WHERE id IN {BATCH}
                                   UNION SELECT pk FROM films WHERE imdb_id IN {BATCH})"
            ),
            EntityKind::Person => format!(
                "{PERSON_ENTRY} WHERE pk IN (SELECT pk FROM people WHERE id IN {BATCH}
                                     UNION SELECT pk FROM people WHERE imdb_id IN {BATCH})"
            ),
        };
        let ids = serde_json::Value::from(ids.to_vec()).to_string();
        Ok(self.read_entries(kind, &sql, [ids])?.0)
    }

    /// A page of every film's, person's or published essay's search documents, in primary key
    /// order: the rows a bulk load wrote together are read together, and nothing is looked up
    /// by id.
    pub(super) fn read_search_entry_page(
        &self,
        kind: EntityKind,
        after: u64,
        limit: u32,
    ) -> Result<SearchEntryPage> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        // (entries, the last primary key read, how many rows were read)
        let (entries, last, read) = match kind {
            EntityKind::Essay => {
                let rows: Vec<(i64, String)> = self
                    .conn
                    .prepare_cached(
                        "SELECT pk, slug FROM essays WHERE state IN ('published', 'corrected')
                           AND pk > ?1 ORDER BY pk LIMIT ?2",
                    )?
                    .query_map(params![after, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                let mut entries = Vec::new();
                for (_, slug) in &rows {
                    entries.extend(self.essay_search_entry(slug)?);
                }
                (entries, rows.last().map(|(pk, _)| *pk), rows.len())
            }
            EntityKind::Company => (Vec::new(), None, 0),
            EntityKind::Film | EntityKind::Person => {
                let table = if kind == EntityKind::Film {
                    FILM_ENTRY
                } else {
                    PERSON_ENTRY
                };
                let (entries, last) = self.read_entries(
                    kind,
                    &format!("{table} WHERE pk > ?1 ORDER BY pk LIMIT ?2"),
                    params![after, limit],
                )?;
                let read = entries.len();
                (entries, last, read)
            }
        };
        Ok(entry_page(entries, last, read, limit))
    }

    /// The search documents of the films or people `sql` selects (a [`FILM_ENTRY`] or
    /// [`PERSON_ENTRY`] with a condition), with their aliases, credits and awards; and the
    /// greatest primary key among them.
    fn read_entries(
        &self,
        kind: EntityKind,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<(Vec<SearchEntry>, Option<i64>)> {
        let alias_kind = if kind == EntityKind::Film {
            "film"
        } else {
            "person"
        };
        let mut docs = Documents::new(kind);
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            docs.add_entity(
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                json_column(r, 4)?,
                r.get(5)?,
                r.get(6)?,
            );
        }
        drop(rows);
        drop(stmt);
        let pks = docs.pks();
        if pks.is_empty() {
            return Ok((Vec::new(), None));
        }
        let pks = serde_json::Value::from(pks).to_string();
        let owner_nf = match kind {
            EntityKind::Film => "nf.film_pk",
            _ => "nn.person_pk",
        };

        self.each_row(
            &format!(
                "SELECT entity_pk, name FROM aliases WHERE entity_kind = '{alias_kind}'
                 AND entity_pk IN {BATCH} ORDER BY entity_pk, name"
            ),
            &pks,
            |r| {
                docs.add_alias(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )?;
        self.each_row(&fill(AWARD_COUNTS, owner_nf), &pks, |r| {
            docs.add_awards(r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(())
        })?;
        match kind {
            EntityKind::Film => self.film_credits(&mut docs, &pks)?,
            _ => self.person_credits(&mut docs, &pks)?,
        }
        self.acting_characters(&pks, owner_nf, &mut docs)?;
        docs.finish()
    }

    /// Runs a batch query (`?1` the JSON array of pks), handing each row to `visit`.
    fn each_row(
        &self,
        sql: &str,
        pks: &str,
        mut visit: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([pks])?;
        while let Some(row) = rows.next()? {
            visit(row)?;
        }
        Ok(())
    }

    /// A batch of films' credits, with their characters and directors (from credits, else
    /// from Directing nominations).
    fn film_credits(&self, docs: &mut Documents, pks: &str) -> Result<()> {
        self.each_row(&fill(FILM_CREDITS, "c.film_pk"), pks, |r| {
            docs.add_film_credit(
                r.get(0)?,
                &r.get::<_, String>(1)?,
                &r.get::<_, String>(2)?,
                person_ref(r, 3)?,
            );
            Ok(())
        })?;
        self.each_row(&fill(NOMINATED_DIRECTORS, "nf.film_pk"), pks, |r| {
            docs.add_nominated_director(r.get(0)?, r.get(1)?);
            Ok(())
        })
    }

    /// A batch of people's credits, with the characters they played, the most votes of their
    /// films, and the films they are known for.
    fn person_credits(&self, docs: &mut Documents, pks: &str) -> Result<()> {
        self.each_row(&fill(PERSON_CREDITS, "c.person_pk"), pks, |r| {
            docs.add_person_credit(
                r.get(0)?,
                &r.get::<_, String>(1)?,
                film_ref(r, 2)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            );
            Ok(())
        })?;
        self.each_row(&fill(NOMINATED_FILMS, "nn.person_pk"), pks, |r| {
            docs.add_nominated_film(
                r.get(0)?,
                &r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            );
            Ok(())
        })
    }

    /// Characters from acting nominations (one detail per film of the row).
    fn acting_characters(&self, pks: &str, owner: &str, docs: &mut Documents) -> Result<()> {
        self.each_row(&fill(ACTING_CHARACTERS, owner), pks, |r| {
            docs.add_acting_character(
                r.get(0)?,
                &r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                film_ref(r, 4)?,
                r.get(6)?,
                person_ref(r, 7)?,
            );
            Ok(())
        })
    }
}
