//! The read half of the PostgreSQL backend (`crate::sqlite::read` statement by statement).

use chrono::NaiveDate;
use kinograph_catalog::{
    AwardClass, AwardRecord, Budget, CatalogCounts, Category, CategoryHistory, Ceremony,
    CeremonyResults, CeremonyYears, EntityKind, EntityRef, EssayRecord, EssaySummary, Film,
    FilmCredit, FilmDetails, FilmSummary, ImdbRating, NameEntry, NamedKind, NominationCounting,
    NominationView, PersonCredit, PersonDetails, PersonSummary, Provenance, RecordKind,
    RoleCategory, SearchChanges, SearchEntry, SearchEntryPage, Sourced, normalize,
};
use postgres::Row;
use postgres::types::ToSql;

use super::Sql;

use super::PgBackend;
use crate::columns::json_list;
use crate::sqlite::read::{Dialect, RecordQuery, attach_sources, group_by_category, sort_credits};
use crate::{CatalogRead, Error, EssayFilter, FilmFilter, Result};

/// A parameter list.
type Params<'a> = [&'a (dyn ToSql + Sync)];

pub(super) fn provenance(row: &Row, first: usize) -> Result<Provenance> {
    Ok(Provenance {
        dataset: row.try_get(first)?,
        locator: row.try_get(first + 1)?,
        citation: row.try_get(first + 2)?,
    })
}

/// A text column holding a value of one of the catalog's enums; a value it does not name is
/// [`Error::Corrupt`], named after the enum.
pub(super) fn text_column<T: std::str::FromStr<Err = String>>(row: &Row, idx: usize) -> Result<T> {
    let what = std::any::type_name::<T>()
        .rsplit("::")
        .next()
        .unwrap_or("enum column");
    row.try_get::<_, String>(idx)?
        .parse()
        .map_err(|detail| Error::Corrupt { what, detail })
}

/// A text column holding a JSON list of strings.
pub(super) fn json_column(row: &Row, idx: usize) -> Result<Vec<String>> {
    json_list(&row.try_get::<_, String>(idx)?)
}

/// An optional non-negative integer column.
fn id_column(row: &Row, idx: usize) -> Result<Option<u64>> {
    Ok(row
        .try_get::<_, Option<i64>>(idx)?
        .and_then(|v| u64::try_from(v).ok()))
}

/// A BIGINT column read into a narrower integer; a value out of its range is corrupt (SQLite's
/// reader refuses it too).
pub(super) fn int_column<T: TryFrom<i64>>(row: &Row, idx: usize) -> Result<T> {
    narrow(row, idx, row.try_get::<_, i64>(idx)?)
}

/// [`int_column`] for a column that may be NULL.
pub(super) fn opt_int_column<T: TryFrom<i64>>(row: &Row, idx: usize) -> Result<Option<T>> {
    row.try_get::<_, Option<i64>>(idx)?
        .map(|value| narrow(row, idx, value))
        .transpose()
}

fn narrow<T: TryFrom<i64>>(row: &Row, idx: usize, value: i64) -> Result<T> {
    T::try_from(value).map_err(|_| Error::Corrupt {
        what: "integer column",
        detail: format!(
            "{value} is out of range in column {}",
            row.columns().get(idx).map_or("?", |c| c.name())
        ),
    })
}

pub(super) fn nomination(client: &mut impl Sql, pk: i64) -> Result<NominationView> {
    let r = client.query_one(
        "SELECT b.id, ce.ordinal, ce.first_year, ce.last_year, ac.name, ac.canonical, ac.class,
                n.credit, n.winner, n.detail, n.note, n.dataset, n.locator
         FROM nominations n
         JOIN ceremonies ce ON ce.pk = n.ceremony_pk
         JOIN award_bodies b ON b.pk = ce.body_pk
         JOIN award_categories ac ON ac.pk = n.category_pk
         WHERE n.pk = $1",
        &[&pk],
    )?;
    let years = opt_int_column::<i32>(&r, 2)?
        .zip(opt_int_column::<i32>(&r, 3)?)
        .map(|(first, last)| CeremonyYears { first, last });
    let class: AwardClass = text_column(&r, 6)?;
    let winner: bool = r.try_get(8)?;
    let note: Option<String> = r.try_get(10)?;
    let mut view = NominationView {
        body: r.try_get(0)?,
        ceremony: int_column(&r, 1)?,
        ceremony_years: years.map(|y| y.to_string()).unwrap_or_default(),
        category: r.try_get(4)?,
        canonical_category: r.try_get(5)?,
        class,
        films: Vec::new(),
        credit: r.try_get(7)?,
        nominees: Vec::new(),
        winner,
        detail: json_column(&r, 9)?,
        counting: NominationCounting::of(class, winner, note.as_deref()),
        note,
        source: Provenance {
            dataset: r.try_get(11)?,
            locator: r.try_get(12)?,
            citation: None,
        },
    };
    view.films = client
        .query(
            "SELECT f.id, nf.title FROM nomination_films nf LEFT JOIN films f ON f.pk = nf.film_pk
             WHERE nf.nomination_pk = $1 ORDER BY nf.position",
            &[&pk],
        )?
        .iter()
        .map(|r| {
            Ok(EntityRef {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    view.nominees = client
        .query(
            "SELECT COALESCE(p.id, co.id), nn.name FROM nomination_nominees nn
             LEFT JOIN people p ON p.pk = nn.person_pk
             LEFT JOIN companies co ON co.pk = nn.company_pk
             WHERE nn.nomination_pk = $1 ORDER BY nn.position",
            &[&pk],
        )?
        .iter()
        .map(|r| {
            Ok(EntityRef {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(view)
}

fn nominations_where(client: &mut impl Sql, sql: &str, key: i64) -> Result<Vec<NominationView>> {
    let pks = client
        .query(sql, &[&key])?
        .iter()
        .map(|r| r.try_get::<_, i64>(0))
        .collect::<Result<Vec<_>, _>>()?;
    pks.into_iter().map(|pk| nomination(client, pk)).collect()
}

fn sources(client: &mut impl Sql, kind: &str, pk: i64) -> Result<Vec<(String, Provenance)>> {
    client
        .query(
            "SELECT field, dataset, locator, citation FROM fact_sources
             WHERE entity_kind = $1 AND entity_pk = $2 ORDER BY field",
            &[&kind, &pk],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, provenance(r, 1)?)))
        .collect()
}

pub(super) fn aliases(client: &mut impl Sql, kind: &str, pk: i64) -> Result<Vec<String>> {
    Ok(client
        .query(
            "SELECT name FROM aliases WHERE entity_kind = $1 AND entity_pk = $2 ORDER BY name",
            &[&kind, &pk],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?)
}

fn sourced_strings(client: &mut impl Sql, sql: &str, pk: i64) -> Result<Vec<Sourced<String>>> {
    client
        .query(sql, &[&pk])?
        .iter()
        .map(|r| Ok(Sourced::new(r.try_get(0)?, provenance(r, 1)?)))
        .collect()
}

pub(super) fn ceremony_row(
    client: &mut impl Sql,
    body: &str,
    ordinal: u32,
) -> Result<Option<(i64, String, Ceremony)>> {
    let Some(r) = client.query_opt(
        "SELECT ce.pk, b.name, ce.first_year, ce.last_year, ce.held_on
         FROM ceremonies ce JOIN award_bodies b ON b.pk = ce.body_pk
         WHERE b.id = $1 AND ce.ordinal = $2",
        &[&body, &i64::from(ordinal)],
    )?
    else {
        return Ok(None);
    };
    let years = opt_int_column::<i32>(&r, 2)?
        .zip(opt_int_column::<i32>(&r, 3)?)
        .map(|(first, last)| CeremonyYears { first, last });
    let date = r
        .try_get::<_, Option<String>>(4)?
        .map(|d| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|e| Error::Corrupt {
                what: "ceremony date",
                detail: format!("{d}: {e}"),
            })
        })
        .transpose()?;
    let pk: i64 = r.try_get(0)?;
    let body_name: String = r.try_get(1)?;
    let mut ceremony = Ceremony {
        body: body.to_string(),
        ordinal,
        years,
        date,
        date_source: None,
    };
    ceremony.date_source = sources(client, "ceremony", pk)?
        .into_iter()
        .find(|(field, _)| field == "date")
        .map(|(_, p)| p);
    Ok(Some((pk, body_name, ceremony)))
}

/// The rows of the first of `tiers` that finds any.
fn summaries<T>(
    client: &mut impl Sql,
    tiers: [&str; 3],
    params: &Params<'_>,
    map: fn(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    for sql in tiers {
        let found = client
            .query(sql, params)?
            .iter()
            .map(map)
            .collect::<Result<Vec<T>>>()?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Ok(Vec::new())
}

fn entity_ref(client: &mut impl Sql, table: &str, name_column: &str, pk: i64) -> Result<EntityRef> {
    let r = client.query_one(
        &format!("SELECT id, {name_column} FROM {table} WHERE pk = $1"),
        &[&pk],
    )?;
    Ok(EntityRef::new(
        r.try_get::<_, String>(0)?,
        r.try_get::<_, String>(1)?,
    ))
}

// Parameters: $1 the key or filter, $2 the year (BIGINT, NULL for any), $3 the limit. A year
// compared with NULL needs its type spelled out. The year sorts NULLS LAST, where SQLite puts
// NULL in a descending order.
const FILM_SUMMARY: &str = "
    SELECT f.id, f.title, COALESCE(f.year, f.award_year),
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
        WHERE nf.film_pk = f.pk AND n.counts_as_nomination) AS noms,
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
        WHERE nf.film_pk = f.pk AND n.counts_as_win) AS wins
    FROM films f
    WHERE ($2::BIGINT IS NULL OR f.year = $2::BIGINT
           OR (f.year IS NULL AND f.award_year BETWEEN $2::BIGINT AND $2::BIGINT + 1)) AND ";
const FILM_ORDER: &str = " ORDER BY noms DESC, wins DESC, COALESCE(f.year, f.award_year) DESC NULLS LAST, f.title LIMIT $3";

// Parameters: $1 the key, $2 the limit (SQLite's takes an unused year as ?2, which PostgreSQL
// could not type).
const PERSON_SUMMARY: &str = "
    SELECT p.id, p.name, p.birth_year,
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_nominees nn JOIN nominations n ON n.pk = nn.nomination_pk
        WHERE nn.person_pk = p.pk AND n.counts_as_nomination) AS noms,
      (SELECT COUNT(DISTINCT n.pk) FROM nomination_nominees nn JOIN nominations n ON n.pk = nn.nomination_pk
        WHERE nn.person_pk = p.pk AND n.counts_as_win) AS wins
    FROM people p WHERE ";
const PERSON_ORDER: &str = " ORDER BY noms DESC, wins DESC, p.name LIMIT $2";

fn film_summary(r: &Row) -> Result<FilmSummary> {
    Ok(FilmSummary {
        id: r.try_get(0)?,
        title: r.try_get(1)?,
        year: opt_int_column(r, 2)?,
        nominations: int_column(r, 3)?,
        wins: int_column(r, 4)?,
    })
}

fn person_summary(r: &Row) -> Result<PersonSummary> {
    Ok(PersonSummary {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        birth_year: opt_int_column(r, 2)?,
        nominations: int_column(r, 3)?,
        wins: int_column(r, 4)?,
    })
}

fn count(client: &mut impl Sql, table: &str) -> Result<u64> {
    let n: i64 = client
        .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])?
        .try_get(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn film_row(r: &Row) -> Result<(i64, Film, Option<Budget>)> {
    let budget = r
        .try_get::<_, Option<i64>>(11)?
        .zip(r.try_get::<_, Option<String>>(12)?)
        .map(|(amount, currency)| -> Result<Budget> {
            Ok(Budget {
                amount,
                currency,
                note: r.try_get(13)?,
            })
        })
        .transpose()?;
    let film = Film {
        id: r.try_get(1)?,
        imdb_id: r.try_get(2)?,
        title: r.try_get(3)?,
        original_title: r.try_get(4)?,
        year: opt_int_column(r, 5)?,
        award_year: opt_int_column(r, 6)?,
        runtime_minutes: opt_int_column(r, 7)?,
        genres: json_column(r, 8)?,
        synopsis: r.try_get(9)?,
        tmdb_id: id_column(r, 10)?,
        budget: None,
        title_type: r.try_get(14)?,
        end_year: opt_int_column(r, 15)?,
        is_adult: r.try_get(16)?,
        imdb_rating: r
            .try_get::<_, Option<f64>>(17)?
            .zip(r.try_get::<_, Option<i64>>(18)?)
            .map(|(average, votes)| ImdbRating {
                average,
                votes: u64::try_from(votes).unwrap_or(0),
            }),
        sources: Vec::new(),
    };
    Ok((r.try_get(0)?, film, budget))
}

fn film_in(client: &mut impl Sql, id: &str) -> Result<Option<FilmDetails>> {
    // `query_opt` would fail if `id` were one film's id and another's IMDb id; SQLite's
    // `query_row` takes the first row, which its OR-by-index plan finds by `id` first.
    let found = client
        .query_opt(
            "SELECT pk, id, imdb_id, title, original_title, year, award_year, runtime_minutes, genres,
                    synopsis, tmdb_id, budget_amount, budget_currency, budget_note,
                    title_type, end_year, is_adult, imdb_rating, imdb_votes
             FROM films WHERE id = $1 OR imdb_id = $1
             ORDER BY id = $1 DESC LIMIT 1",
            &[&id],
        )?
        .map(|r| film_row(&r))
        .transpose()?;
    let Some((pk, mut film, budget)) = found else {
        return Ok(None);
    };
    attach_sources(&mut film, budget, sources(client, "film", pk)?);
    // Ordered as SQLite reads them (through the unique index on (film, person, category,
    // job)), so credits that tie in `sort_credits` stay in the same order.
    let mut credits = client
        .query(
            "SELECT p.id, p.name, c.category, c.job, c.characters, c.billing, c.dataset, c.locator, c.citation
             FROM credits c JOIN people p ON p.pk = c.person_pk WHERE c.film_pk = $1
             ORDER BY c.person_pk, c.category, c.job",
            &[&pk],
        )?
        .iter()
        .map(|r| {
            let job: String = r.try_get(3)?;
            Ok(FilmCredit {
                person: EntityRef::new(r.try_get::<_, String>(0)?, r.try_get::<_, String>(1)?),
                category: text_column(r, 2)?,
                job: (!job.is_empty()).then_some(job),
                characters: json_column(r, 4)?,
                order: opt_int_column(r, 5)?,
                source: provenance(r, 6)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    sort_credits(&mut credits);
    let companies = client
        .query(
            "SELECT co.id, co.name, fc.role, fc.dataset, fc.locator, fc.citation
             FROM film_companies fc JOIN companies co ON co.pk = fc.company_pk
             WHERE fc.film_pk = $1 ORDER BY fc.role DESC, co.name",
            &[&pk],
        )?
        .iter()
        .map(|r| {
            let company = EntityRef::new(r.try_get::<_, String>(0)?, r.try_get::<_, String>(1)?);
            Ok((company, text_column(r, 2)?, provenance(r, 3)?))
        })
        .collect::<Result<Vec<_>>>()?;
    let themes = sourced_strings(
        client,
        "SELECT t.name, ft.dataset, ft.locator, ft.citation FROM film_themes ft
         JOIN themes t ON t.pk = ft.theme_pk WHERE ft.film_pk = $1 ORDER BY t.name",
        pk,
    )?;
    let facts = sourced_strings(
        client,
        "SELECT fact, dataset, locator, citation FROM film_facts WHERE film_pk = $1 ORDER BY pk",
        pk,
    )?;
    // PostgreSQL's SELECT DISTINCT cannot order by a column it does not select: the same
    // nominations, each once, through IN.
    let nominations = nominations_where(
        client,
        "SELECT n.pk FROM nominations n
         WHERE n.pk IN (SELECT nomination_pk FROM nomination_films WHERE film_pk = $1)
         ORDER BY n.ceremony_pk, n.pk",
        pk,
    )?;
    Ok(Some(FilmDetails {
        film,
        aliases: aliases(client, "film", pk)?,
        credits,
        companies,
        themes,
        facts,
        nominations,
    }))
}

fn person_in(client: &mut impl Sql, id: &str) -> Result<Option<PersonDetails>> {
    // One row even if `id` is one person's id and another's IMDb id (see `film_in`).
    let found = client
        .query_opt(
            "SELECT pk, id, imdb_id, name, birth_year, death_year, professions FROM people
             WHERE id = $1 OR imdb_id = $1
             ORDER BY id = $1 DESC LIMIT 1",
            &[&id],
        )?
        .map(|r| -> Result<(i64, PersonDetails)> {
            let person = PersonDetails {
                id: r.try_get(1)?,
                imdb_id: r.try_get(2)?,
                name: r.try_get(3)?,
                birth_year: opt_int_column(&r, 4)?,
                death_year: opt_int_column(&r, 5)?,
                professions: json_column(&r, 6)?,
                sources: Vec::new(),
                aliases: Vec::new(),
                credits: Vec::new(),
                nominations: Vec::new(),
            };
            Ok((r.try_get(0)?, person))
        })
        .transpose()?;
    let Some((pk, mut person)) = found else {
        return Ok(None);
    };
    // A film without a year sorts first, as in SQLite.
    person.credits = client
        .query(
            "SELECT f.id, f.title, COALESCE(f.year, f.award_year), c.category, c.job, c.characters,
                    c.dataset, c.locator, c.citation
             FROM credits c JOIN films f ON f.pk = c.film_pk WHERE c.person_pk = $1
             ORDER BY COALESCE(f.year, f.award_year) NULLS FIRST, f.title, c.category",
            &[&pk],
        )?
        .iter()
        .map(|r| {
            let job: String = r.try_get(4)?;
            Ok(PersonCredit {
                film: EntityRef::new(r.try_get::<_, String>(0)?, r.try_get::<_, String>(1)?),
                year: opt_int_column(r, 2)?,
                category: text_column(r, 3)?,
                job: (!job.is_empty()).then_some(job),
                characters: json_column(r, 5)?,
                source: provenance(r, 6)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // As in `film_in`: DISTINCT through IN.
    person.nominations = nominations_where(
        client,
        "SELECT n.pk FROM nominations n
         WHERE n.pk IN (SELECT nomination_pk FROM nomination_nominees WHERE person_pk = $1)
         ORDER BY n.ceremony_pk, n.pk",
        pk,
    )?;
    person.sources = sources(client, "person", pk)?;
    person.aliases = aliases(client, "person", pk)?;
    Ok(Some(person))
}

fn award_record_in(
    client: &mut impl Sql,
    body: &str,
    kind: RecordKind,
    depth: u32,
) -> Result<Vec<AwardRecord>> {
    let body_pk: Option<i64> = client
        .query_opt("SELECT pk FROM award_bodies WHERE id = $1", &[&body])?
        .map(|r| r.try_get(0))
        .transpose()?;
    let Some(body_pk) = body_pk else {
        return Ok(Vec::new());
    };
    let mut records = Vec::new();
    let query = RecordQuery::of(kind, Dialect::Postgres);
    let ranked = client
        .query(&query.ranking_sql(), &[&body_pk, &i64::from(depth)])?
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<_, Option<i64>>(0)?,
                r.try_get::<_, Option<i64>>(1)?,
                int_column::<u32>(r, 2)?,
                int_column::<u32>(r, 3)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let evidence_sql = query.evidence_sql();
    for (person_pk, film_pk, count, rank) in ranked {
        let person = person_pk
            .map(|pk| entity_ref(client, "people", "name", pk))
            .transpose()?;
        let film = film_pk
            .map(|pk| entity_ref(client, "films", "title", pk))
            .transpose()?;
        let keys = query.evidence_keys(body_pk, person_pk, film_pk);
        let params: Vec<&(dyn ToSql + Sync)> =
            keys.iter().map(|key| key as &(dyn ToSql + Sync)).collect();
        let evidence_pks = client
            .query(&evidence_sql, &params)?
            .iter()
            .map(|r| r.try_get::<_, i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        let evidence = evidence_pks
            .into_iter()
            .map(|pk| nomination(client, pk))
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
    Ok(records)
}

impl CatalogRead for PgBackend {
    fn film(&self, id: &str) -> Result<Option<FilmDetails>> {
        film_in(&mut *self.client(), id)
    }

    fn find_films(&self, title: &str, year: Option<i32>, limit: u32) -> Result<Vec<FilmSummary>> {
        let key = normalize::key(title);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let exact = format!(
            "{FILM_SUMMARY} (f.title_key = $1 OR f.pk IN
                (SELECT entity_pk FROM aliases WHERE entity_kind = 'film' AND name_key = $1)) {FILM_ORDER}"
        );
        let prefix =
            format!("{FILM_SUMMARY} f.title_key >= $1 AND f.title_key < ($1 || '~') {FILM_ORDER}");
        let contains = format!("{FILM_SUMMARY} strpos(f.title_key, $1) > 0 {FILM_ORDER}");
        let year = year.map(i64::from);
        let limit = i64::from(limit);
        summaries(
            &mut *self.client(),
            [&exact, &prefix, &contains],
            &[&key, &year, &limit],
            film_summary,
        )
    }

    fn person(&self, id: &str) -> Result<Option<PersonDetails>> {
        person_in(&mut *self.client(), id)
    }

    fn find_people(&self, name: &str, limit: u32) -> Result<Vec<PersonSummary>> {
        let key = normalize::key(name);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let exact = format!(
            "{PERSON_SUMMARY} (p.name_key = $1 OR p.pk IN
                (SELECT entity_pk FROM aliases WHERE entity_kind = 'person' AND name_key = $1)) {PERSON_ORDER}"
        );
        let prefix = format!(
            "{PERSON_SUMMARY} p.name_key >= $1 AND p.name_key < ($1 || '~') {PERSON_ORDER}"
        );
        let contains = format!("{PERSON_SUMMARY} strpos(p.name_key, $1) > 0 {PERSON_ORDER}");
        let limit = i64::from(limit);
        summaries(
            &mut *self.client(),
            [&exact, &prefix, &contains],
            &[&key, &limit],
            person_summary,
        )
    }

    fn ceremony(&self, body: &str, ordinal: u32) -> Result<Option<CeremonyResults>> {
        let mut client = self.client();
        let Some((pk, body_name, ceremony)) = ceremony_row(&mut *client, body, ordinal)? else {
            return Ok(None);
        };
        let nominations = nominations_where(
            &mut *client,
            "SELECT pk FROM nominations WHERE ceremony_pk = $1 ORDER BY pk",
            pk,
        )?;
        Ok(Some(CeremonyResults {
            body_name,
            ceremony,
            categories: group_by_category(nominations),
        }))
    }

    fn ceremony_info(&self, body: &str, ordinal: u32) -> Result<Option<Ceremony>> {
        Ok(ceremony_row(&mut *self.client(), body, ordinal)?.map(|(_, _, ceremony)| ceremony))
    }

    fn award_records(&self, body: &str, depth: u32) -> Result<Vec<AwardRecord>> {
        let mut client = self.client();
        let mut records = Vec::new();
        for kind in RecordKind::ALL {
            records.extend(award_record_in(&mut *client, body, kind, depth)?);
        }
        Ok(records)
    }

    fn award_record(&self, body: &str, kind: RecordKind, depth: u32) -> Result<Vec<AwardRecord>> {
        award_record_in(&mut *self.client(), body, kind, depth)
    }

    fn films(&self, filter: &FilmFilter) -> Result<Vec<FilmSummary>> {
        // Every filter may be NULL ("any"), so each parameter's type is spelled out; films
        // without a year sort first, as in SQLite.
        let sql = format!(
            "{FILM_SUMMARY}
               ($1::TEXT IS NULL OR f.pk IN (
                  SELECT c.film_pk FROM credits c
                  WHERE c.person_pk IN (SELECT pk FROM people WHERE id = $1 OR imdb_id = $1)
                    AND ($4::TEXT IS NULL OR c.category = $4)))
               AND ($5::TEXT IS NULL OR f.pk IN (
                  SELECT ft.film_pk FROM film_themes ft JOIN themes t ON t.pk = ft.theme_pk
                  WHERE t.name_key = $5))
             ORDER BY COALESCE(f.year, f.award_year) NULLS FIRST, f.title LIMIT $3"
        );
        let theme = filter.theme.as_deref().map(normalize::key);
        let role = filter.role.map(RoleCategory::as_str);
        let limit = i64::from(u32::MAX);
        self.client()
            .query(&sql, &[&filter.person, &None::<i64>, &limit, &role, &theme])?
            .iter()
            .map(film_summary)
            .collect()
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
        let head: i64 = self
            .client()
            .query_one("SELECT COALESCE(MAX(seq), 0) FROM search_changes", &[])?
            .try_get(0)?;
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
        let mut client = self.client();
        let c = &mut *client;
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
