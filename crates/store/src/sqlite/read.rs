//! The read half of the SQLite backend.

use chrono::NaiveDate;
use kinograph_catalog::{
    AwardClass, AwardRecord, Budget, CatalogCounts, Category, CategoryHistory, CategoryResults,
    Ceremony, CeremonyResults, CeremonyYears, EntityKind, EntityRef, EssayRecord, EssaySummary,
    Film, FilmCredit, FilmDetails, FilmSummary, ImdbRating, NameEntry, NamedKind,
    NominationCounting, NominationView, PersonCredit, PersonDetails, PersonSummary, Provenance,
    RecordKind, RoleCategory, SearchChanges, SearchEntry, SearchEntryPage, Sourced, normalize,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::SqliteBackend;
use crate::{CatalogRead, EssayFilter, FilmFilter, Result};

fn provenance(row: &Row<'_>, first: usize) -> rusqlite::Result<Provenance> {
    Ok(Provenance {
        dataset: row.get(first)?,
        locator: row.get(first + 1)?,
        citation: row.get(first + 2)?,
    })
}

fn conversion_error(idx: usize, detail: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, detail.into())
}

/// A text column holding a value of one of the catalog's enums.
pub(super) fn text_column<T: std::str::FromStr<Err = String>>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    row.get::<_, String>(idx)?
        .parse()
        .map_err(|detail| conversion_error(idx, detail))
}

/// A text column holding a JSON list of strings.
pub(super) fn json_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(&row.get::<_, String>(idx)?)
        .map_err(|e| conversion_error(idx, e.to_string()))
}

/// An optional non-negative integer column.
fn id_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<u64>> {
    Ok(row
        .get::<_, Option<i64>>(idx)?
        .and_then(|v| u64::try_from(v).ok()))
}

/// The order credits are listed in on a film page: direction, writing, cast by billing, the rest.
fn credit_rank(category: RoleCategory) -> u8 {
    match category {
        RoleCategory::Director => 0,
        RoleCategory::Writer => 1,
        c if c.is_cast() => 2,
        RoleCategory::Producer => 3,
        _ => 4,
    }
}

/// Puts a film's credits in the order of its page (see [`credit_rank`]).
pub(crate) fn sort_credits(credits: &mut [FilmCredit]) {
    credits.sort_by(|a, b| {
        (
            credit_rank(a.category),
            a.order.unwrap_or(u32::MAX),
            &a.person.name,
        )
            .cmp(&(
                credit_rank(b.category),
                b.order.unwrap_or(u32::MAX),
                &b.person.name,
            ))
    });
}

/// Gives `film` its field sources and its budget, which carries its own source apart.
pub(crate) fn attach_sources(
    film: &mut Film,
    budget: Option<Budget>,
    sources: Vec<(String, Provenance)>,
) {
    let (budget_sources, sources): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .partition(|(field, _)| field == "budget");
    film.sources = sources;
    film.budget = budget.map(|budget| {
        let source = budget_sources
            .into_iter()
            .next()
            .map(|(_, p)| p)
            .unwrap_or_else(|| Provenance {
                dataset: "unknown".into(),
                locator: None,
                citation: None,
            });
        Sourced::new(budget, source)
    });
}

/// A ceremony's nominations grouped by category, in the order each category first appears.
pub(crate) fn group_by_category(nominations: Vec<NominationView>) -> Vec<CategoryResults> {
    let mut categories: Vec<CategoryResults> = Vec::new();
    for nomination in nominations {
        let category = Category {
            canonical: nomination.canonical_category.clone(),
            name: nomination.category.clone(),
            class: nomination.class,
        };
        match categories.iter_mut().find(|c| c.category == category) {
            Some(existing) => existing.nominations.push(nomination),
            None => categories.push(CategoryResults {
                category,
                nominations: vec![nomination],
            }),
        }
    }
    categories
}

/// The SQL a [`RecordQuery`] is written in: the backends differ in parameter markers, in how a
/// flag is tested, and in the type of a bare NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The marker of parameter `n` (1-based).
    fn param(self, n: u8) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// A test that a flag column (0/1 in SQLite, BOOLEAN in PostgreSQL) is set.
    fn is_set(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{column} = 1"),
            Dialect::Postgres => column.to_string(),
        }
    }

    /// A NULL key column: PostgreSQL types a bare NULL in a CTE as text.
    fn null_key(self) -> &'static str {
        match self {
            Dialect::Sqlite => "NULL",
            Dialect::Postgres => "NULL::BIGINT",
        }
    }
}

/// Which rows a record counts, and what it groups them by.
pub(crate) struct RecordQuery {
    by_person: bool,
    by_film: bool,
    wins_only: bool,
    count: &'static str,
    dialect: Dialect,
}

impl RecordQuery {
    pub(crate) fn of(kind: RecordKind, dialect: Dialect) -> Self {
        let rows = "COUNT(DISTINCT n.pk)";
        let (by_person, by_film, count) = match kind {
            RecordKind::PersonWinsForOneFilm => (true, true, rows),
            RecordKind::FilmWins | RecordKind::FilmNominations => (false, true, rows),
            RecordKind::PersonWins | RecordKind::PersonNominations => (true, false, rows),
            RecordKind::PersonCategoriesWon => (true, false, "COUNT(DISTINCT ac.canonical)"),
        };
        RecordQuery {
            by_person,
            by_film,
            wins_only: !kind.counts_nominations(),
            count,
            dialect,
        }
    }

    fn joins_and_filter(&self) -> String {
        let d = self.dialect;
        let mut sql = String::from(
            "FROM nominations n
             JOIN ceremonies ce ON ce.pk = n.ceremony_pk
             JOIN award_categories ac ON ac.pk = n.category_pk ",
        );
        if self.by_person {
            sql.push_str("JOIN nomination_nominees nn ON nn.nomination_pk = n.pk AND nn.person_pk IS NOT NULL ");
        }
        if self.by_film {
            sql.push_str(
                "JOIN nomination_films nf ON nf.nomination_pk = n.pk AND nf.film_pk IS NOT NULL ",
            );
        }
        sql.push_str(&format!("WHERE ce.body_pk = {} ", d.param(1)));
        let flag = if self.wins_only {
            "n.counts_as_win"
        } else {
            "n.counts_as_nomination"
        };
        sql.push_str(&format!("AND {} ", d.is_set(flag)));
        sql
    }

    fn group_columns(&self) -> String {
        let null = self.dialect.null_key();
        match (self.by_person, self.by_film) {
            (true, true) => "nn.person_pk AS person_pk, nf.film_pk AS film_pk".to_string(),
            (true, false) => format!("nn.person_pk AS person_pk, {null} AS film_pk"),
            (false, _) => format!("{null} AS person_pk, nf.film_pk AS film_pk"),
        }
    }

    /// Holders down to rank parameter 2, ties included. A key column is either NULL in every
    /// row or in none, so where NULLs sort does not matter.
    pub(crate) fn ranking_sql(&self) -> String {
        format!(
            "WITH counted AS (
                 SELECT {cols}, {count} AS c {from} GROUP BY 1, 2
             ), ranked AS (
                 SELECT person_pk, film_pk, c, RANK() OVER (ORDER BY c DESC) AS rnk FROM counted
             )
             SELECT person_pk, film_pk, c, rnk FROM ranked WHERE rnk <= {depth} ORDER BY rnk, person_pk, film_pk",
            cols = self.group_columns(),
            count = self.count,
            from = self.joins_and_filter(),
            depth = self.dialect.param(2),
        )
    }

    /// The rows counted for one holder: parameter 2 is the person or the film, parameter 3 the
    /// film when the record is per person and film.
    pub(crate) fn evidence_sql(&self) -> String {
        let d = self.dialect;
        let mut sql = format!("SELECT DISTINCT n.pk {}", self.joins_and_filter());
        match (self.by_person, self.by_film) {
            (true, true) => sql.push_str(&format!(
                "AND nn.person_pk = {} AND nf.film_pk = {} ",
                d.param(2),
                d.param(3)
            )),
            (true, false) => sql.push_str(&format!("AND nn.person_pk = {} ", d.param(2))),
            (false, _) => sql.push_str(&format!("AND nf.film_pk = {} ", d.param(2))),
        }
        sql.push_str("ORDER BY n.pk");
        sql
    }

    pub(crate) fn evidence_keys(
        &self,
        body_pk: i64,
        person_pk: Option<i64>,
        film_pk: Option<i64>,
    ) -> Vec<i64> {
        [Some(body_pk), person_pk, film_pk]
            .into_iter()
            .flatten()
            .collect()
    }
}

impl SqliteBackend {
    pub(super) fn nomination(&self, pk: i64) -> Result<NominationView> {
        let conn = &self.conn;
        let mut view = conn
            .prepare_cached(
                "SELECT b.id, ce.ordinal, ce.first_year, ce.last_year, ac.name, ac.canonical, ac.class,
                        n.credit, n.winner, n.detail, n.note, n.dataset, n.locator
                 FROM nominations n
                 JOIN ceremonies ce ON ce.pk = n.ceremony_pk
                 JOIN award_bodies b ON b.pk = ce.body_pk
                 JOIN award_categories ac ON ac.pk = n.category_pk
                 WHERE n.pk = ?1",
            )?
            .query_row([pk], |r| {
                let years = r
                    .get::<_, Option<i32>>(2)?
                    .zip(r.get::<_, Option<i32>>(3)?)
                    .map(|(first, last)| CeremonyYears { first, last });
                let class: AwardClass = text_column(r, 6)?;
                let winner: bool = r.get(8)?;
                let note: Option<String> = r.get(10)?;
                Ok(NominationView {
                    body: r.get(0)?,
                    ceremony: r.get(1)?,
                    ceremony_years: years.map(|y| y.to_string()).unwrap_or_default(),
                    category: r.get(4)?,
                    canonical_category: r.get(5)?,
                    class,
                    films: Vec::new(),
                    credit: r.get(7)?,
                    nominees: Vec::new(),
                    winner,
                    detail: json_column(r, 9)?,
                    counting: NominationCounting::of(class, winner, note.as_deref()),
                    note,
                    source: Provenance { dataset: r.get(11)?, locator: r.get(12)?, citation: None },
                })
            })?;
        view.films = conn
            .prepare_cached(
                "SELECT f.id, nf.title FROM nomination_films nf LEFT JOIN films f ON f.pk = nf.film_pk
                 WHERE nf.nomination_pk = ?1 ORDER BY nf.position",
            )?
            .query_map([pk], |r| Ok(EntityRef { id: r.get(0)?, name: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        view.nominees = conn
            .prepare_cached(
                "SELECT COALESCE(p.id, co.id), nn.name FROM nomination_nominees nn
                 LEFT JOIN people p ON p.pk = nn.person_pk
                 LEFT JOIN companies co ON co.pk = nn.company_pk
                 WHERE nn.nomination_pk = ?1 ORDER BY nn.position",
            )?
            .query_map([pk], |r| {
                Ok(EntityRef {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(view)
    }

    fn nominations_where(&self, sql: &str, key: i64) -> Result<Vec<NominationView>> {
        let pks = self
            .conn
            .prepare_cached(sql)?
            .query_map([key], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        pks.into_iter().map(|pk| self.nomination(pk)).collect()
    }

    fn sources(&self, kind: &str, pk: i64) -> Result<Vec<(String, Provenance)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT field, dataset, locator, citation FROM fact_sources
                 WHERE entity_kind = ?1 AND entity_pk = ?2 ORDER BY field",
            )?
            .query_map(params![kind, pk], |r| Ok((r.get(0)?, provenance(r, 1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn aliases(&self, kind: &str, pk: i64) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name FROM aliases WHERE entity_kind = ?1 AND entity_pk = ?2 ORDER BY name",
            )?
            .query_map(params![kind, pk], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn sourced_strings(&self, sql: &str, pk: i64) -> Result<Vec<Sourced<String>>> {
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_map([pk], |r| Ok(Sourced::new(r.get(0)?, provenance(r, 1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn ceremony_row(
        &self,
        body: &str,
        ordinal: u32,
    ) -> Result<Option<(i64, String, Ceremony)>> {
        let found = self
            .conn
            .query_row(
                "SELECT ce.pk, b.name, ce.first_year, ce.last_year, ce.held_on
                 FROM ceremonies ce JOIN award_bodies b ON b.pk = ce.body_pk
                 WHERE b.id = ?1 AND ce.ordinal = ?2",
                params![body, ordinal],
                |r| {
                    let years = r
                        .get::<_, Option<i32>>(2)?
                        .zip(r.get::<_, Option<i32>>(3)?)
                        .map(|(first, last)| CeremonyYears { first, last });
                    let date = r
                        .get::<_, Option<String>>(4)?
                        .map(|d| {
                            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                                .map_err(|e| conversion_error(4, format!("{d}: {e}")))
                        })
                        .transpose()?;
                    let ceremony = Ceremony {
                        body: body.to_string(),
                        ordinal,
                        years,
                        date,
                        date_source: None,
                    };
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, ceremony))
                },
            )
            .optional()?;
        let Some((pk, body_name, mut ceremony)) = found else {
            return Ok(None);
        };
        ceremony.date_source = self
            .sources("ceremony", pk)?
            .into_iter()
            .find(|(field, _)| field == "date")
            .map(|(_, p)| p);
        Ok(Some((pk, body_name, ceremony)))
    }

    fn summaries<T>(
        &self,
        tiers: [&str; 3],
        key: &str,
        year: Option<i32>,
        limit: u32,
        map: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        for sql in tiers {
            let found = self
                .conn
                .prepare_cached(sql)?
                .query_map(params![key, year, limit], map)?
                .collect::<rusqlite::Result<Vec<T>>>()?;
            if !found.is_empty() {
                return Ok(found);
            }
        }
        Ok(Vec::new())
    }
}

const FILM_SUMMARY: &str = "
    SELECT f.id, f.title, COALESCE(f.year, f.award_year),
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
        WHERE nf.film_pk = f.pk AND n.counts_as_nomination = 1) AS noms,
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
        WHERE nf.film_pk = f.pk AND n.counts_as_win = 1) AS wins
    FROM films f WHERE (?2 IS NULL OR f.year = ?2 OR (f.year IS NULL AND f.award_year BETWEEN ?2 AND ?2 + 1)) AND ";
const FILM_ORDER: &str =
    " ORDER BY noms DESC, wins DESC, COALESCE(f.year, f.award_year) DESC, f.title LIMIT ?3";

const PERSON_SUMMARY: &str = "
    SELECT p.id, p.name, p.birth_year,
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_nominees nn JOIN nominations n ON n.pk = nn.nomination_pk
        WHERE nn.person_pk = p.pk AND n.counts_as_nomination = 1) AS noms,
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_nominees nn JOIN nominations n ON n.pk = nn.nomination_pk
        WHERE nn.person_pk = p.pk AND n.counts_as_win = 1) AS wins
    FROM people p WHERE ";
const PERSON_ORDER: &str = " ORDER BY noms DESC, wins DESC, p.name LIMIT ?3";

fn film_summary(r: &Row<'_>) -> rusqlite::Result<FilmSummary> {
    Ok(FilmSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        year: r.get(2)?,
        nominations: r.get(3)?,
        wins: r.get(4)?,
    })
}

fn person_summary(r: &Row<'_>) -> rusqlite::Result<PersonSummary> {
    Ok(PersonSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        birth_year: r.get(2)?,
        nominations: r.get(3)?,
        wins: r.get(4)?,
    })
}

fn count(conn: &Connection, table: &str) -> Result<u64> {
    let n: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

impl CatalogRead for SqliteBackend {
    fn film(&self, id: &str) -> Result<Option<FilmDetails>> {
        let found = self
            .conn
            .query_row(
                "SELECT pk, id, imdb_id, title, original_title, year, award_year, runtime_minutes, genres,
                        synopsis, tmdb_id, budget_amount, budget_currency, budget_note,
                        title_type, end_year, is_adult, imdb_rating, imdb_votes
                 FROM films WHERE id = ?1 OR imdb_id = ?1",
                [id],
                |r| {
                    let budget = r
                        .get::<_, Option<i64>>(11)?
                        .zip(r.get::<_, Option<String>>(12)?)
                        .map(|(amount, currency)| -> rusqlite::Result<Budget> {
                            Ok(Budget { amount, currency, note: r.get(13)? })
                        })
                        .transpose()?;
                    let film = Film {
                        id: r.get(1)?,
                        imdb_id: r.get(2)?,
                        title: r.get(3)?,
                        original_title: r.get(4)?,
                        year: r.get(5)?,
                        award_year: r.get(6)?,
                        runtime_minutes: r.get(7)?,
                        genres: json_column(r, 8)?,
                        synopsis: r.get(9)?,
                        tmdb_id: id_column(r, 10)?,
                        budget: None,
                        title_type: r.get(14)?,
                        end_year: r.get(15)?,
                        is_adult: r.get(16)?,
                        imdb_rating: r
                            .get::<_, Option<f64>>(17)?
                            .zip(r.get::<_, Option<i64>>(18)?)
                            .map(|(average, votes)| ImdbRating {
                                average,
                                votes: u64::try_from(votes).unwrap_or(0),
                            }),
                        sources: Vec::new(),
                    };
                    Ok((r.get::<_, i64>(0)?, film, budget))
                },
            )
            .optional()?;
        let Some((pk, mut film, budget)) = found else {
            return Ok(None);
        };
        attach_sources(&mut film, budget, self.sources("film", pk)?);
        let mut credits = self
            .conn
            .prepare_cached(
                "SELECT p.id, p.name, c.category, c.job, c.characters, c.billing, c.dataset, c.locator, c.citation
                 FROM credits c JOIN people p ON p.pk = c.person_pk WHERE c.film_pk = ?1",
            )?
            .query_map([pk], |r| {
                let job: String = r.get(3)?;
                Ok(FilmCredit {
                    person: EntityRef::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    category: text_column(r, 2)?,
                    job: (!job.is_empty()).then_some(job),
                    characters: json_column(r, 4)?,
                    order: r.get(5)?,
                    source: provenance(r, 6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        sort_credits(&mut credits);
        let companies = self
            .conn
            .prepare_cached(
                "SELECT co.id, co.name, fc.role, fc.dataset, fc.locator, fc.citation
                 FROM film_companies fc JOIN companies co ON co.pk = fc.company_pk
                 WHERE fc.film_pk = ?1 ORDER BY fc.role DESC, co.name",
            )?
            .query_map([pk], |r| {
                let company = EntityRef::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?);
                Ok((company, text_column(r, 2)?, provenance(r, 3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let themes = self.sourced_strings(
            "SELECT t.name, ft.dataset, ft.locator, ft.citation FROM film_themes ft
             JOIN themes t ON t.pk = ft.theme_pk WHERE ft.film_pk = ?1 ORDER BY t.name",
            pk,
        )?;
        let facts = self.sourced_strings(
            "SELECT fact, dataset, locator, citation FROM film_facts WHERE film_pk = ?1 ORDER BY pk",
            pk,
        )?;
        let nominations = self.nominations_where(
            "SELECT DISTINCT nf.nomination_pk FROM nomination_films nf
             JOIN nominations n ON n.pk = nf.nomination_pk
             WHERE nf.film_pk = ?1 ORDER BY n.ceremony_pk, n.pk",
            pk,
        )?;
        Ok(Some(FilmDetails {
            film,
            aliases: self.aliases("film", pk)?,
            credits,
            companies,
            themes,
            facts,
            nominations,
        }))
    }

    fn find_films(&self, title: &str, year: Option<i32>, limit: u32) -> Result<Vec<FilmSummary>> {
        let key = normalize::key(title);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let exact = format!(
            "{FILM_SUMMARY} (f.title_key = ?1 OR f.pk IN
                (SELECT entity_pk FROM aliases WHERE entity_kind = 'film' AND name_key = ?1)) {FILM_ORDER}"
        );
        let prefix =
            format!("{FILM_SUMMARY} f.title_key >= ?1 AND f.title_key < ?1 || '~' {FILM_ORDER}");
        let contains = format!("{FILM_SUMMARY} instr(f.title_key, ?1) > 0 {FILM_ORDER}");
        self.summaries(
            [&exact, &prefix, &contains],
            &key,
            year,
            limit,
            film_summary,
        )
    }

    fn person(&self, id: &str) -> Result<Option<PersonDetails>> {
        let found = self
            .conn
            .query_row(
                "SELECT pk, id, imdb_id, name, birth_year, death_year, professions FROM people
                 WHERE id = ?1 OR imdb_id = ?1",
                [id],
                |r| {
                    let person = PersonDetails {
                        id: r.get(1)?,
                        imdb_id: r.get(2)?,
                        name: r.get(3)?,
                        birth_year: r.get(4)?,
                        death_year: r.get(5)?,
                        professions: json_column(r, 6)?,
                        sources: Vec::new(),
                        aliases: Vec::new(),
                        credits: Vec::new(),
                        nominations: Vec::new(),
                    };
                    Ok((r.get::<_, i64>(0)?, person))
                },
            )
            .optional()?;
        let Some((pk, mut person)) = found else {
            return Ok(None);
        };
        person.credits = self
            .conn
            .prepare_cached(
                "SELECT f.id, f.title, COALESCE(f.year, f.award_year), c.category, c.job, c.characters,
                        c.dataset, c.locator, c.citation
                 FROM credits c JOIN films f ON f.pk = c.film_pk WHERE c.person_pk = ?1
                 ORDER BY COALESCE(f.year, f.award_year), f.title, c.category",
            )?
            .query_map([pk], |r| {
                let job: String = r.get(4)?;
                Ok(PersonCredit {
                    film: EntityRef::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    year: r.get(2)?,
                    category: text_column(r, 3)?,
                    job: (!job.is_empty()).then_some(job),
                    characters: json_column(r, 5)?,
                    source: provenance(r, 6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        person.nominations = self.nominations_where(
            "SELECT DISTINCT nn.nomination_pk FROM nomination_nominees nn
             JOIN nominations n ON n.pk = nn.nomination_pk
             WHERE nn.person_pk = ?1 ORDER BY n.ceremony_pk, n.pk",
            pk,
        )?;
        person.sources = self.sources("person", pk)?;
        person.aliases = self.aliases("person", pk)?;
        Ok(Some(person))
    }

    fn find_people(&self, name: &str, limit: u32) -> Result<Vec<PersonSummary>> {
        let key = normalize::key(name);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let exact = format!(
            "{PERSON_SUMMARY} (p.name_key = ?1 OR p.pk IN
                (SELECT entity_pk FROM aliases WHERE entity_kind = 'person' AND name_key = ?1)) {PERSON_ORDER}"
        );
        let prefix =
            format!("{PERSON_SUMMARY} p.name_key >= ?1 AND p.name_key < ?1 || '~' {PERSON_ORDER}");
        let contains = format!("{PERSON_SUMMARY} instr(p.name_key, ?1) > 0 {PERSON_ORDER}");
        self.summaries(
            [&exact, &prefix, &contains],
            &key,
            None,
            limit,
            person_summary,
        )
    }

    fn ceremony(&self, body: &str, ordinal: u32) -> Result<Option<CeremonyResults>> {
        let Some((pk, body_name, ceremony)) = self.ceremony_row(body, ordinal)? else {
            return Ok(None);
        };
        let nominations = self.nominations_where(
            "SELECT pk FROM nominations WHERE ceremony_pk = ?1 ORDER BY pk",
            pk,
        )?;
        Ok(Some(CeremonyResults {
            body_name,
            ceremony,
            categories: group_by_category(nominations),
        }))
    }

    fn ceremony_info(&self, body: &str, ordinal: u32) -> Result<Option<Ceremony>> {
        Ok(self
            .ceremony_row(body, ordinal)?
            .map(|(_, _, ceremony)| ceremony))
    }

    fn award_records(&self, body: &str, depth: u32) -> Result<Vec<AwardRecord>> {
        let mut records = Vec::new();
        for kind in RecordKind::ALL {
            records.extend(self.award_record(body, kind, depth)?);
        }
        Ok(records)
    }

    fn award_record(&self, body: &str, kind: RecordKind, depth: u32) -> Result<Vec<AwardRecord>> {
        let body_pk: Option<i64> = self
            .conn
            .query_row("SELECT pk FROM award_bodies WHERE id = ?1", [body], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(body_pk) = body_pk else {
            return Ok(Vec::new());
        };
        let mut records = Vec::new();
        {
            let query = RecordQuery::of(kind, Dialect::Sqlite);
            let ranked = self
                .conn
                .prepare(&query.ranking_sql())?
                .query_map(params![body_pk, depth], |r| {
                    Ok((
                        r.get::<_, Option<i64>>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, u32>(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let evidence_sql = query.evidence_sql();
            for (person_pk, film_pk, count, rank) in ranked {
                let person = person_pk
                    .map(|pk| self.entity_ref("people", "name", pk))
                    .transpose()?;
                let film = film_pk
                    .map(|pk| self.entity_ref("films", "title", pk))
                    .transpose()?;
                let evidence_pks = self
                    .conn
                    .prepare_cached(&evidence_sql)?
                    .query_map(
                        rusqlite::params_from_iter(
                            query.evidence_keys(body_pk, person_pk, film_pk),
                        ),
                        |r| r.get::<_, i64>(0),
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let evidence = evidence_pks
                    .into_iter()
                    .map(|pk| self.nomination(pk))
                    .collect::<Result<Vec<_>>>()?;
                let holder = match (&person, &film) {
                    (Some(person), _) => person.clone(),
                    (None, Some(film)) => film.clone(),
                    (None, None) => continue,
                };
                records.push(AwardRecord {
                    kind,
                    rank,
                    holder,
                    film,
                    count,
                    evidence,
                });
            }
        }
        Ok(records)
    }

    fn films(&self, filter: &FilmFilter) -> Result<Vec<FilmSummary>> {
        let sql = format!(
            "{FILM_SUMMARY}
               (?1 IS NULL OR f.pk IN (
                  SELECT c.film_pk FROM credits c
                  WHERE c.person_pk IN (SELECT pk FROM people WHERE id = ?1 OR imdb_id = ?1)
                    AND (?4 IS NULL OR c.category = ?4)))
               AND (?5 IS NULL OR f.pk IN (
                  SELECT ft.film_pk FROM film_themes ft JOIN themes t ON t.pk = ft.theme_pk
                  WHERE t.name_key = ?5))
             ORDER BY COALESCE(f.year, f.award_year), f.title LIMIT ?3"
        );
        let theme = filter.theme.as_deref().map(normalize::key);
        let role = filter.role.map(RoleCategory::as_str);
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_map(
                params![filter.person, None::<i32>, u32::MAX, role, theme],
                film_summary,
            )?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn search_changes(&self, after: u64, limit: u32) -> Result<SearchChanges> {
        self.read_search_changes(after, limit)
    }

    fn search_entry(&self, kind: EntityKind, id: &str) -> Result<Option<SearchEntry>> {
        self.read_search_entry(kind, id)
    }

    fn search_entries(&self, kind: EntityKind, ids: &[String]) -> Result<Vec<SearchEntry>> {
        self.read_search_entries(kind, ids)
    }

    fn search_entry_page(
        &self,
        kind: EntityKind,
        after: u64,
        limit: u32,
    ) -> Result<SearchEntryPage> {
        self.read_search_entry_page(kind, after, limit)
    }

    fn search_log_head(&self) -> Result<u64> {
        let head: i64 = self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM search_changes",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(head).unwrap_or(0))
    }

    fn name_entries(&self, visit: &mut dyn FnMut(NameEntry)) -> Result<()> {
        self.read_name_entries(&|_, _, _| true, visit)
    }

    fn name_entries_admitted(
        &self,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
        visit: &mut dyn FnMut(NameEntry),
    ) -> Result<()> {
        self.read_name_entries(admit, visit)
    }

    fn themes(&self) -> Result<Vec<String>> {
        self.read_themes()
    }

    fn ceremonies(&self, body: &str) -> Result<Vec<Ceremony>> {
        self.read_ceremonies(body)
    }

    fn categories(&self, body: &str) -> Result<Vec<Category>> {
        self.read_categories(body)
    }

    fn category_history(&self, body: &str, slug: &str) -> Result<Option<CategoryHistory>> {
        self.read_category_history(body, slug)
    }

    fn essay(&self, slug: &str) -> Result<Option<EssayRecord>> {
        self.read_essay(slug)
    }

    fn essays(&self, filter: &EssayFilter) -> Result<Vec<EssaySummary>> {
        self.read_essays(filter)
    }

    fn counts(&self) -> Result<CatalogCounts> {
        let c = &self.conn;
        Ok(CatalogCounts {
            films: count(c, "films")?,
            people: count(c, "people")?,
            companies: count(c, "companies")?,
            credits: count(c, "credits")?,
            ceremonies: count(c, "ceremonies")?,
            nominations: count(c, "nominations")?,
        })
    }
}

impl SqliteBackend {
    fn entity_ref(&self, table: &str, name_column: &str, pk: i64) -> Result<EntityRef> {
        let (id, name): (String, String) = self.conn.query_row(
            &format!("SELECT id, {name_column} FROM {table} WHERE pk = ?1"),
            [pk],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(EntityRef::new(id, name))
    }
}
