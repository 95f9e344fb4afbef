//! The reads that feed the search index: the change log, and each film's or person's search
//! document. The documents are built as SQLite builds them ([`Documents`]); only the SQL differs.

use kinograph_catalog::{EntityKind, EntityRef, SearchChanges, SearchEntry, SearchEntryPage};
use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::Sql;

use super::PgBackend;
use crate::columns::json_list;
use crate::sqlite::search::{Documents, entry_page, essay_entry, search_changes};
use crate::{Error, Result};

/// Parameters of a query.
type Params<'a> = [&'a (dyn ToSql + Sync)];

/// A film's own columns for its search document, before a condition on `pk`. Years are read as
/// INTEGER (Rust's `i32`), as SQLite converts them; out of range is an error in both.
const FILM_ENTRY: &str =
    "SELECT pk, id, title, COALESCE(year, award_year)::INTEGER, genres, original_title,
            imdb_votes
     FROM films";

/// A person's, in the same columns: PostgreSQL must be told the type of a bare NULL.
const PERSON_ENTRY: &str =
    "SELECT pk, id, name, birth_year::INTEGER, '[]'::TEXT, NULL::TEXT, NULL::BIGINT FROM people";

// Every query below reads a batch of films or people at once: `$1` is the array of their
// primary keys, and the first column says whose row it is.

/// Acting nominations' details are the characters played (one per film of the row). A
/// nomination's nominees in their order, as SQLite reads them.
const ACTING_CHARACTERS: &str = "
    SELECT {owner}, n.detail, nf.position,
           (SELECT COUNT(*) FROM nomination_films x WHERE x.nomination_pk = n.pk),
           f.id, f.title, COALESCE(f.year, f.award_year)::INTEGER, p.id, p.name
    FROM nominations n
    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Acting'
    JOIN nomination_films nf ON nf.nomination_pk = n.pk
    JOIN films f ON f.pk = nf.film_pk
    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
    LEFT JOIN people p ON p.pk = nn.person_pk
    WHERE {owner} = ANY($1)
    ORDER BY n.pk, nf.position, nn.position";

/// Counted nominations and wins.
const AWARD_COUNTS: &str = "
    SELECT {owner}, COUNT(DISTINCT CASE WHEN n.counts_as_nomination THEN n.pk END),
           COUNT(DISTINCT CASE WHEN n.counts_as_win THEN n.pk END)
    FROM {table} JOIN nominations n ON n.pk = {table_alias}.nomination_pk
    WHERE {owner} = ANY($1) GROUP BY {owner}";

/// A film's credits, once: counted, their characters, its directors. In the order SQLite reads
/// them (by its unique index), which is the order of the film's characters.
const FILM_CREDITS: &str = "
    SELECT c.film_pk, c.characters, c.category, p.id, p.name
    FROM credits c JOIN people p ON p.pk = c.person_pk
    WHERE c.film_pk = ANY($1)
    ORDER BY c.film_pk, c.person_pk, c.category, c.job";

/// The directors of Directing nominations, for films without director credits.
const NOMINATED_DIRECTORS: &str = "
    SELECT DISTINCT nf.film_pk, nn.name FROM nomination_films nf
    JOIN nominations n ON n.pk = nf.nomination_pk
    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Directing'
    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
    WHERE nf.film_pk = ANY($1)";

/// A person's credits, once: counted, their characters, the most votes of their films, their
/// latest film. In the order SQLite reads them (by `credits_person`), the order of the
/// person's characters.
const PERSON_CREDITS: &str = "
    SELECT c.person_pk, c.characters, f.id, f.title, COALESCE(f.year, f.award_year)::INTEGER,
           f.imdb_votes, f.pk
    FROM credits c JOIN films f ON f.pk = c.film_pk
    WHERE c.person_pk = ANY($1)
    ORDER BY c.person_pk, c.pk";

/// The films a person was nominated for, with counted wins and nominations (flags are
/// BOOLEAN: counted rather than summed). Grouping by `f.pk` allows `f`'s other columns.
const NOMINATED_FILMS: &str = "
    SELECT nn.person_pk, f.title, COALESCE(f.year, f.award_year)::INTEGER, f.pk,
           COUNT(*) FILTER (WHERE n.counts_as_win),
           COUNT(*) FILTER (WHERE n.counts_as_nomination)
    FROM nomination_nominees nn
    JOIN nominations n ON n.pk = nn.nomination_pk
    JOIN nomination_films nf ON nf.nomination_pk = n.pk
    JOIN films f ON f.pk = nf.film_pk
    WHERE nn.person_pk = ANY($1) AND n.counts_as_nomination
    GROUP BY nn.person_pk, f.pk";

/// Fills a query template: the owner column, and a table for award counts.
fn fill(template: &str, owner: &str) -> String {
    let (table, alias) = if owner.starts_with("nf.") {
        ("nomination_films nf", "nf")
    } else {
        ("nomination_nominees nn", "nn")
    };
    template
        .replace("{owner}", owner)
        .replace("{table_alias}", alias)
        .replace("{table}", table)
}

/// A BIGINT column read as `u32`, as rusqlite reads an INTEGER one: out of range is an error.
pub(super) fn u32_column(row: &Row, idx: usize) -> Result<u32> {
    let value: i64 = row.try_get(idx)?;
    u32::try_from(value).map_err(|_| out_of_range(idx, value))
}

/// A nullable BIGINT column read as `Option<u32>` (see [`u32_column`]).
pub(super) fn opt_u32_column(row: &Row, idx: usize) -> Result<Option<u32>> {
    let value: Option<i64> = row.try_get(idx)?;
    value
        .map(|v| u32::try_from(v).map_err(|_| out_of_range(idx, v)))
        .transpose()
}

fn out_of_range(idx: usize, value: i64) -> Error {
    Error::Corrupt {
        what: "integer column",
        detail: format!("column {idx} holds {value}, out of range"),
    }
}

fn film_ref(row: &Row, first: usize) -> Result<EntityRef> {
    Ok(EntityRef::new(
        row.try_get::<_, String>(first)?,
        row.try_get::<_, String>(first + 1)?,
    ))
}

fn person_ref(row: &Row, first: usize) -> Result<Option<EntityRef>> {
    let id: Option<String> = row.try_get(first)?;
    let name: Option<String> = row.try_get(first + 1)?;
    Ok(id.zip(name).map(|(id, name)| EntityRef::new(id, name)))
}

impl PgBackend {
    pub(super) fn read_search_changes(&self, after: u64, limit: u32) -> Result<SearchChanges> {
        let after_seq = i64::try_from(after).unwrap_or(i64::MAX);
        let mut client = self.client();
        let rows = client
            .query(
                "SELECT s.seq, s.entity_kind,
                        CASE s.entity_kind
                            WHEN 'film' THEN (SELECT id FROM films WHERE pk = s.entity_pk)
                            WHEN 'person' THEN (SELECT id FROM people WHERE pk = s.entity_pk)
                            WHEN 'essay' THEN (SELECT slug FROM essays WHERE pk = s.entity_pk)
                        END
                 FROM (SELECT seq, entity_kind, entity_pk FROM search_changes
                       WHERE seq > $1 ORDER BY seq LIMIT $2) s
                 ORDER BY s.seq",
                &[&after_seq, &i64::from(limit)],
            )?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<_, i64>(0)?,
                    r.try_get::<_, String>(1)?,
                    r.try_get::<_, Option<String>>(2)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(search_changes(after, rows))
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
        let mut client = self.client();
        let client = &mut *client;
        let sql = match kind {
            EntityKind::Essay => {
                let mut entries = Vec::new();
                for slug in ids {
                    entries.extend(essay_search_entry(client, slug)?);
                }
                return Ok(entries);
            }
            EntityKind::Company => return Ok(Vec::new()),
            EntityKind::Film => format!(
                "{FILM_ENTRY} WHERE pk IN (SELECT pk FROM films WHERE id = ANY($1)
                                   UNION SELECT pk FROM films WHERE imdb_id = ANY($1))"
            ),
            EntityKind::Person => format!(
                "{PERSON_ENTRY} WHERE pk IN (SELECT pk FROM people WHERE id = ANY($1)
                                     UNION SELECT pk FROM people WHERE imdb_id = ANY($1))"
            ),
        };
        Ok(read_entries(client, kind, &sql, &[&ids])?.0)
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
        let limit_rows = i64::from(limit);
        let mut client = self.client();
        let client = &mut *client;
        // (entries, the last primary key read, how many rows were read)
        let (entries, last, read) = match kind {
            EntityKind::Essay => {
                let rows: Vec<(i64, String)> = client
                    .query(
                        "SELECT pk, slug FROM essays WHERE state IN ('published', 'corrected')
                           AND pk > $1 ORDER BY pk LIMIT $2",
                        &[&after, &limit_rows],
                    )?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect::<Result<_>>()?;
                let mut entries = Vec::new();
                for (_, slug) in &rows {
                    entries.extend(essay_search_entry(client, slug)?);
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
                let (entries, last) = read_entries(
                    client,
                    kind,
                    &format!("{table} WHERE pk > $1 ORDER BY pk LIMIT $2"),
                    &[&after, &limit_rows],
                )?;
                let read = entries.len();
                (entries, last, read)
            }
        };
        Ok(entry_page(entries, last, read, limit))
    }
}

/// A published essay as search sees it ([`essay_entry`]); a draft has none (and a re-index
/// removes it).
fn essay_search_entry(client: &mut impl Sql, slug: &str) -> Result<Option<SearchEntry>> {
    let Some(row) = client.query_opt(
        "SELECT title, author, tags, published FROM essays
         WHERE slug = $1 AND state IN ('published', 'corrected')",
        &[&slug],
    )?
    else {
        return Ok(None);
    };
    let tags: String = row.try_get(2)?;
    essay_entry(
        slug,
        row.try_get(0)?,
        row.try_get(1)?,
        &tags,
        row.try_get(3)?,
    )
    .map(Some)
}

/// The search documents of the films or people `sql` selects (a [`FILM_ENTRY`] or
/// [`PERSON_ENTRY`] with a condition), with their aliases, credits and awards; and the
/// greatest primary key among them.
fn read_entries(
    client: &mut impl Sql,
    kind: EntityKind,
    sql: &str,
    params: &Params<'_>,
) -> Result<(Vec<SearchEntry>, Option<i64>)> {
    let alias_kind = if kind == EntityKind::Film {
        "film"
    } else {
        "person"
    };
    let mut docs = Documents::new(kind);
    let mut rows = client.query_raw(sql, params.iter().copied())?;
    while let Some(r) = rows.next()? {
        let genres: String = r.try_get(4)?;
        docs.add_entity(
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            json_list(&genres)?,
            r.try_get(5)?,
            r.try_get(6)?,
        );
    }
    drop(rows);
    let pks = docs.pks();
    if pks.is_empty() {
        return Ok((Vec::new(), None));
    }
    let owner_nf = match kind {
        EntityKind::Film => "nf.film_pk",
        _ => "nn.person_pk",
    };

    each_row(
        client,
        &format!(
            "SELECT entity_pk, name FROM aliases WHERE entity_kind = '{alias_kind}'
             AND entity_pk = ANY($1) ORDER BY entity_pk, name"
        ),
        &pks,
        |r| {
            docs.add_alias(r.try_get(0)?, r.try_get(1)?);
            Ok(())
        },
    )?;
    each_row(client, &fill(AWARD_COUNTS, owner_nf), &pks, |r| {
        docs.add_awards(r.try_get(0)?, u32_column(r, 1)?, u32_column(r, 2)?);
        Ok(())
    })?;
    match kind {
        EntityKind::Film => film_credits(client, &mut docs, &pks)?,
        _ => person_credits(client, &mut docs, &pks)?,
    }
    acting_characters(client, &pks, owner_nf, &mut docs)?;
    docs.finish()
}

/// Runs a batch query (`$1` the array of pks), handing each row to `visit` as it comes.
fn each_row(
    client: &mut impl Sql,
    sql: &str,
    pks: &[i64],
    mut visit: impl FnMut(&Row) -> Result<()>,
) -> Result<()> {
    let mut rows = client.query_raw(sql, [pks])?;
    while let Some(row) = rows.next()? {
        visit(&row)?;
    }
    Ok(())
}

/// A batch of films' credits, with their characters and directors (from credits, else from
/// Directing nominations).
fn film_credits(client: &mut impl Sql, docs: &mut Documents, pks: &[i64]) -> Result<()> {
    each_row(client, &fill(FILM_CREDITS, "c.film_pk"), pks, |r| {
        docs.add_film_credit(
            r.try_get(0)?,
            r.try_get::<_, &str>(1)?,
            r.try_get::<_, &str>(2)?,
            person_ref(r, 3)?,
        );
        Ok(())
    })?;
    each_row(client, &fill(NOMINATED_DIRECTORS, "nf.film_pk"), pks, |r| {
        docs.add_nominated_director(r.try_get(0)?, r.try_get(1)?);
        Ok(())
    })
}

/// A batch of people's credits, with the characters they played, the most votes of their
/// films, and the films they are known for.
fn person_credits(client: &mut impl Sql, docs: &mut Documents, pks: &[i64]) -> Result<()> {
    each_row(client, &fill(PERSON_CREDITS, "c.person_pk"), pks, |r| {
        docs.add_person_credit(
            r.try_get(0)?,
            r.try_get::<_, &str>(1)?,
            film_ref(r, 2)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
        );
        Ok(())
    })?;
    each_row(client, &fill(NOMINATED_FILMS, "nn.person_pk"), pks, |r| {
        docs.add_nominated_film(
            r.try_get(0)?,
            r.try_get::<_, &str>(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
        );
        Ok(())
    })
}

/// Characters from acting nominations (one detail per film of the row).
fn acting_characters(
    client: &mut impl Sql,
    pks: &[i64],
    owner: &str,
    docs: &mut Documents,
) -> Result<()> {
    each_row(client, &fill(ACTING_CHARACTERS, owner), pks, |r| {
        docs.add_acting_character(
            r.try_get(0)?,
            r.try_get::<_, &str>(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            film_ref(r, 4)?,
            r.try_get(6)?,
            person_ref(r, 7)?,
        );
        Ok(())
    })
}
