//! The bulk read behind the checker's name automaton: every name with its year, prior and ties,
//! from one pass per table rather than one query per entity (the catalog may hold millions).
//! The rules are SQLite's ([`Names`], [`CharacterNames`]); only the SQL differs. The large
//! tables are streamed (`query_raw`), row by row, as SQLite steps through them.

use kinograph_catalog::{NameEntry, NamedKind};
use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::Sql;

use super::PgBackend;
use super::search::{opt_u32_column, u32_column};
use crate::Result;
use crate::sqlite::names::{
    CharacterNames, CharacterScope, Characters, Names, PKS_PER_QUERY, Pairs,
};

/// Counted nominations and wins per film or person (flags are BOOLEAN: counted rather than
/// summed; a group always has a row, so neither count is NULL, as SQLite's sums are not).
const FILM_AWARDS: &str = "
    SELECT nf.film_pk, COUNT(*) FILTER (WHERE n.counts_as_nomination),
           COUNT(*) FILTER (WHERE n.counts_as_win)
    FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
    WHERE nf.film_pk IS NOT NULL GROUP BY nf.film_pk";
const PERSON_AWARDS: &str = "
    SELECT nn.person_pk, COUNT(*) FILTER (WHERE n.counts_as_nomination),
           COUNT(*) FILTER (WHERE n.counts_as_win)
    FROM nomination_nominees nn JOIN nominations n ON n.pk = nn.nomination_pk
    WHERE nn.person_pk IS NOT NULL GROUP BY nn.person_pk";

/// Who worked on what: credits, and nominations naming a person and a film together.
const FILM_PEOPLE: &str = "
    SELECT c.film_pk, c.person_pk FROM credits c
    UNION
    SELECT nf.film_pk, nn.person_pk FROM nomination_films nf
    JOIN nomination_nominees nn ON nn.nomination_pk = nf.nomination_pk
    WHERE nf.film_pk IS NOT NULL AND nn.person_pk IS NOT NULL";

/// Characters from credits, with billing.
const CREDITED_CHARACTERS: &str = "
    SELECT c.film_pk, c.person_pk, c.characters, c.billing FROM credits c
    WHERE c.characters <> '[]'";

/// Characters from acting nominations: one detail per film of the row. In the order SQLite
/// reads them (by `nomination_films_film`, then the nominees' key): the first spelling of a
/// character is the one kept.
const NOMINATED_CHARACTERS: &str = "
    SELECT nf.film_pk, nn.person_pk, n.detail, nf.position,
           (SELECT COUNT(*) FROM nomination_films x WHERE x.nomination_pk = n.pk)
    FROM nominations n
    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Acting'
    JOIN nomination_films nf ON nf.nomination_pk = n.pk
    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
    WHERE nf.film_pk IS NOT NULL AND nn.person_pk IS NOT NULL AND n.detail <> '[]'
    ORDER BY nf.film_pk, nf.nomination_pk, nf.position, nn.position";

/// Runs `sql` (no parameters), handing each row to `visit` as it comes: the rows are streamed,
/// not collected.
fn scan(client: &mut impl Sql, sql: &str, mut visit: impl FnMut(&Row) -> Result<()>) -> Result<()> {
    let mut rows = client.query_raw(sql, std::iter::empty::<&(dyn ToSql + Sync)>())?;
    while let Some(row) = rows.next()? {
        visit(&row)?;
    }
    Ok(())
}

impl PgBackend {
    pub(super) fn read_name_entries(
        &self,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
        visit: &mut dyn FnMut(NameEntry),
    ) -> Result<()> {
        let mut client = self.client();
        let client = &mut *client;
        let mut names = Names::default();
        scan(
            client,
            "SELECT pk, id, title, original_title, COALESCE(year, award_year)::INTEGER
             FROM films",
            |r| {
                names.add_film(
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                );
                Ok(())
            },
        )?;
        scan(
            client,
            "SELECT pk, id, name, name_is_shared_credit FROM people",
            |r| {
                names.add_person(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
                Ok(())
            },
        )?;
        scan(client, "SELECT pk, id, name FROM companies", |r| {
            names.add_company(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            Ok(())
        })?;

        // A variant several people go by ("Roderick Jaynes", the pseudonym the Coens edit under)
        // is nobody's own name: it names none of them. In the order SQLite reads them (by
        // `aliases_name_key`): an entity's variants are given in that order, and the first of
        // one key is the one kept.
        scan(
            client,
            "SELECT entity_kind, entity_pk, name FROM aliases a
             WHERE entity_kind <> 'person'
                OR (SELECT COUNT(*) FROM aliases b
                    WHERE b.entity_kind = 'person' AND b.name_key = a.name_key) = 1
             ORDER BY name_key, entity_kind, entity_pk, name",
            |r| {
                names.add_alias(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                Ok(())
            },
        )?;

        names.admit(admit);

        for (sql, of) in [
            (FILM_AWARDS, NamedKind::Film),
            (PERSON_AWARDS, NamedKind::Person),
        ] {
            scan(client, sql, |r| {
                names.add_awards(of, r.try_get(0)?, u32_column(r, 1)?, u32_column(r, 2)?);
                Ok(())
            })?;
        }
        let admitted_films = names.admitted_films();
        let admitted_people = names.admitted_people();
        let few = names.few(&admitted_films, &admitted_people);
        if few {
            for (film, person) in pairs_of(client, Pairs::ByFilm, &admitted_films)? {
                names.relate_pair(Pairs::ByFilm, film, person);
            }
            for (film, person) in pairs_of(client, Pairs::ByPerson, &admitted_people)? {
                names.relate_pair(Pairs::ByPerson, film, person);
            }
        } else {
            scan(client, FILM_PEOPLE, |r| {
                names.relate(r.try_get(0)?, r.try_get(1)?);
                Ok(())
            })?;
        }
        scan(
            client,
            "SELECT DISTINCT film_pk, company_pk FROM film_companies",
            |r| {
                names.add_film_company(r.try_get(0)?, r.try_get(1)?);
                Ok(())
            },
        )?;

        let films_of_admitted = names.films_of_admitted();
        let scope =
            Names::character_scope(few, &admitted_films, admitted_people, &films_of_admitted);
        let tied = |film: i64, person: i64| names.tied(&films_of_admitted, film, person);
        let characters = characters_by_film_and_person(client, &scope, &tied, admit)?;
        if few {
            let uncounted = Names::uncounted(&characters, &admitted_films);
            for (film, _) in pairs_of(client, Pairs::ByFilm, &uncounted)? {
                names.count_credit(film);
            }
        }
        names.visit_entities(characters, visit);

        // In the order SQLite reads them (its table's).
        scan(
            client,
            "SELECT id, name FROM award_bodies ORDER BY pk",
            |r| {
                Names::visit_award_body(r.try_get(0)?, r.try_get(1)?, visit);
                Ok(())
            },
        )?;
        // In the order SQLite reads them (by its indexes): a category's other names in order.
        scan(
            client,
            "SELECT DISTINCT b.id, ac.canonical, ac.name FROM award_categories ac
             JOIN award_bodies b ON b.pk = ac.body_pk
             ORDER BY b.id, ac.canonical, ac.name",
            |r| {
                names.add_category(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                Ok(())
            },
        )?;
        names.visit_categories(visit);
        Ok(())
    }

    pub(super) fn read_themes(&self) -> Result<Vec<String>> {
        Ok(self
            .client()
            .query("SELECT name FROM themes ORDER BY name", &[])?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?)
    }
}

/// [`FILM_PEOPLE`]'s (film, person) pairs of the given films or people only, by index.
fn pairs_of(client: &mut impl Sql, by: Pairs, pks: &[i64]) -> Result<Vec<(i64, i64)>> {
    let (credit, film_or_person) = match by {
        Pairs::ByFilm => ("c.film_pk", "nf.film_pk"),
        Pairs::ByPerson => ("c.person_pk", "nn.person_pk"),
    };
    let sql = format!(
        "SELECT c.film_pk, c.person_pk FROM credits c
         WHERE {credit} = ANY($1)
         UNION
         SELECT nf.film_pk, nn.person_pk FROM nomination_films nf
         JOIN nomination_nominees nn ON nn.nomination_pk = nf.nomination_pk
         WHERE {film_or_person} = ANY($1)
           AND nf.film_pk IS NOT NULL AND nn.person_pk IS NOT NULL"
    );
    let mut pairs = Vec::new();
    for chunk in pks.chunks(PKS_PER_QUERY) {
        let mut rows = client.query_raw(sql.as_str(), [chunk])?;
        while let Some(r) = rows.next()? {
            pairs.push((r.try_get(0)?, r.try_get(1)?));
        }
    }
    Ok(pairs)
}

/// Each (film, player, character key) once, with the name as first written and the best
/// billing.
fn characters_by_film_and_person(
    client: &mut impl Sql,
    scope: &CharacterScope,
    tied: &dyn Fn(i64, i64) -> bool,
    admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
) -> Result<Characters> {
    let mut found = CharacterNames::new(tied, admit);
    let mut credited = |r: &Row| -> Result<()> {
        found.add_credited(
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get::<_, &str>(2)?,
            opt_u32_column(r, 3)?,
        )
    };
    match scope {
        CharacterScope::All => {
            // In credit order, as SQLite scans its table: the first spelling of a character
            // is the one kept.
            scan(
                client,
                &format!("{CREDITED_CHARACTERS} ORDER BY c.pk"),
                &mut credited,
            )?;
        }
        CharacterScope::Of { films, people } => {
            // In the order SQLite reads them: by its unique index for films, by
            // `credits_person` for people.
            for (column, order, pks) in [
                (
                    "film_pk",
                    "c.film_pk, c.person_pk, c.category, c.job",
                    films,
                ),
                ("person_pk", "c.person_pk, c.pk", people),
            ] {
                let sql =
                    format!("{CREDITED_CHARACTERS} AND c.{column} = ANY($1) ORDER BY {order}");
                for chunk in pks.chunks(PKS_PER_QUERY) {
                    let mut rows = client.query_raw(sql.as_str(), [chunk])?;
                    while let Some(r) = rows.next()? {
                        credited(&r)?;
                    }
                }
            }
        }
    }
    scan(client, NOMINATED_CHARACTERS, |r| {
        found.add_nominated(
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get::<_, &str>(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
        )?;
        Ok(())
    })?;
    Ok(found.into_found())
}
