//! The bulk read behind the checker's name automaton: every name with its year, prior and ties,
//! from one pass per table rather than one query per entity (the catalog may hold millions).

use std::collections::{HashMap, HashSet};

use kinograph_catalog::{NameEntry, NamedKind, character_id, normalize};
use rusqlite::params;

use super::search::popularity;
use super::{SqliteBackend, json_list};
use crate::Result;

/// Counted nominations and wins per film or person.
const FILM_AWARDS: &str = "
    SELECT nf.film_pk, SUM(n.counts_as_nomination), SUM(n.counts_as_win)
    FROM nomination_films nf JOIN nominations n ON n.pk = nf.nomination_pk
    WHERE nf.film_pk IS NOT NULL GROUP BY nf.film_pk";
const PERSON_AWARDS: &str = "
    SELECT nn.person_pk, SUM(n.counts_as_nomination), SUM(n.counts_as_win)
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

/// Characters from acting nominations: one detail per film of the row.
const NOMINATED_CHARACTERS: &str = "
    SELECT nf.film_pk, nn.person_pk, n.detail, nf.position,
           (SELECT COUNT(*) FROM nomination_films x WHERE x.nomination_pk = n.pk)
    FROM nominations n
    JOIN award_categories ac ON ac.pk = n.category_pk AND ac.class = 'Acting'
    JOIN nomination_films nf ON nf.nomination_pk = n.pk
    JOIN nomination_nominees nn ON nn.nomination_pk = n.pk
    WHERE nf.film_pk IS NOT NULL AND nn.person_pk IS NOT NULL AND n.detail <> '[]'";

/// Primary keys handed to one query as a JSON array.
const PKS_PER_QUERY: usize = 10_000;

/// Which credits' characters a name read looks at.
enum CharacterScope {
    /// Every credit's (a whole-catalog read).
    All,
    /// Only those of these films and of these people (a check's admitted few).
    Of { films: Vec<i64>, people: Vec<i64> },
}

/// How [`SqliteBackend::pairs_of`] looks up who worked on what.
#[derive(Debug, Clone, Copy)]
enum Pairs {
    ByFilm,
    ByPerson,
}

fn admitted_pks(map: &HashMap<i64, Entity>) -> Vec<i64> {
    let mut pks: Vec<i64> = map
        .iter()
        .filter(|(_, e)| e.admitted)
        .map(|(pk, _)| *pk)
        .collect();
    pks.sort_unstable();
    pks
}

struct Entity {
    id: String,
    name: String,
    year: Option<i32>,
    variants: Vec<String>,
    /// Whether the caller's filter admits it: only then is it given, with its ties.
    admitted: bool,
    related: Vec<i64>,
    nominations: u32,
    wins: u32,
    credits: u32,
}

impl Entity {
    fn new(id: String, name: String, year: Option<i32>) -> Self {
        Entity {
            id,
            name,
            year,
            variants: Vec::new(),
            admitted: true,
            related: Vec::new(),
            nominations: 0,
            wins: 0,
            credits: 0,
        }
    }
}

impl SqliteBackend {
    pub(super) fn read_name_entries(
        &self,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
        visit: &mut dyn FnMut(NameEntry),
    ) -> Result<()> {
        let mut films: HashMap<i64, Entity> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT pk, id, title, original_title, COALESCE(year, award_year) FROM films",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut film = Entity::new(r.get(1)?, r.get(2)?, r.get(4)?);
            if let Some(original) = r.get::<_, Option<String>>(3)? {
                film.variants.push(original);
            }
            films.insert(r.get(0)?, film);
        }
        let mut people: HashMap<i64, Entity> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT pk, id, name, name_is_shared_credit FROM people")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            // A name several people share is nobody's name: the person is still there to be
            // related to, but prose naming the pseudonym does not name them.
            let shared: bool = r.get(3)?;
            let name = if shared { String::new() } else { r.get(2)? };
            people.insert(r.get(0)?, Entity::new(r.get(1)?, name, None));
        }
        let mut companies: HashMap<i64, Entity> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT pk, id, name FROM companies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            companies.insert(r.get(0)?, Entity::new(r.get(1)?, r.get(2)?, None));
        }

        // A variant several people go by ("Roderick Jaynes", the pseudonym the Coens edit under)
        // is nobody's own name: it names none of them.
        let mut stmt = self.conn.prepare(
            "SELECT entity_kind, entity_pk, name FROM aliases a
             WHERE entity_kind <> 'person'
                OR (SELECT COUNT(*) FROM aliases b
                    WHERE b.entity_kind = 'person' AND b.name_key = a.name_key) = 1",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(0)?;
            let map = match kind.as_str() {
                "film" => &mut films,
                "person" => &mut people,
                "company" => &mut companies,
                _ => continue,
            };
            if let Some(entity) = map.get_mut(&r.get::<_, i64>(1)?) {
                entity.variants.push(r.get(2)?);
            }
        }

        for (kind, map) in [
            (NamedKind::Film, &mut films),
            (NamedKind::Person, &mut people),
            (NamedKind::Company, &mut companies),
        ] {
            for entity in map.values_mut() {
                // A person known only by a shared pseudonym is given to no one (see above).
                let nameless = kind == NamedKind::Person && entity.name.is_empty();
                entity.admitted = !nameless && admit(kind, &entity.name, &entity.variants);
            }
        }

        for (sql, map) in [(FILM_AWARDS, &mut films), (PERSON_AWARDS, &mut people)] {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(entity) = map.get_mut(&r.get::<_, i64>(0)?) {
                    entity.nominations = r.get(1)?;
                    entity.wins = r.get(2)?;
                }
            }
        }
        // A check admits a few thousand entities of millions: theirs are read by index. A
        // whole-catalog read scans once.
        let admitted_films: Vec<i64> = admitted_pks(&films);
        let admitted_people: Vec<i64> = admitted_pks(&people);
        let few = (admitted_films.len() + admitted_people.len()) * 8 < films.len() + people.len();
        if few {
            for (film, person) in self.pairs_of(Pairs::ByFilm, &admitted_films)? {
                if let Some(entity) = films.get_mut(&film) {
                    entity.related.push(person);
                    entity.credits += 1;
                }
            }
            for (film, person) in self.pairs_of(Pairs::ByPerson, &admitted_people)? {
                if let Some(entity) = people.get_mut(&person) {
                    entity.related.push(film);
                    entity.credits += 1;
                }
            }
        } else {
            let mut stmt = self.conn.prepare(FILM_PEOPLE)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (film, person): (i64, i64) = (r.get(0)?, r.get(1)?);
                // Counted for every entity (a character's prior is its film's), tied only for
                // the admitted: the ties of millions are most of the memory of a whole read.
                if let Some(entity) = films.get_mut(&film) {
                    if entity.admitted {
                        entity.related.push(person);
                    }
                    entity.credits += 1;
                }
                if let Some(entity) = people.get_mut(&person) {
                    if entity.admitted {
                        entity.related.push(film);
                    }
                    entity.credits += 1;
                }
            }
        }
        let mut film_companies: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT film_pk, company_pk FROM film_companies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (film, company): (i64, i64) = (r.get(0)?, r.get(1)?);
            film_companies.entry(film).or_default().push(company);
            if let Some(entity) = companies.get_mut(&company) {
                if entity.admitted {
                    entity.related.push(film);
                }
                entity.credits += 1;
            }
        }

        // A character can only be linked where the text names its film, its player or a
        // person in its film (the checker's rule): the others are not read into entries.
        let films_of_admitted: HashSet<i64> = people
            .values()
            .filter(|p| p.admitted)
            .flat_map(|p| p.related.iter().copied())
            .collect();
        let tied = |film: i64, person: i64| {
            films.get(&film).is_some_and(|f| f.admitted)
                || people.get(&person).is_some_and(|p| p.admitted)
                || films_of_admitted.contains(&film)
        };
        let scope = if few {
            let mut of_films: Vec<i64> = admitted_films.clone();
            of_films.extend(films_of_admitted.iter().copied());
            of_films.sort_unstable();
            of_films.dedup();
            CharacterScope::Of {
                films: of_films,
                people: admitted_people,
            }
        } else {
            CharacterScope::All
        };
        let characters = self.characters_by_film_and_person(&scope, &tied, admit)?;
        if few {
            // A character's prior is its film's: count the credits of those films not counted.
            let counted: HashSet<i64> = admitted_films.iter().copied().collect();
            let mut uncounted: Vec<i64> = characters
                .keys()
                .map(|(film, _, _)| *film)
                .filter(|film| !counted.contains(film))
                .collect();
            uncounted.sort_unstable();
            uncounted.dedup();
            for (film, _) in self.pairs_of(Pairs::ByFilm, &uncounted)? {
                if let Some(entity) = films.get_mut(&film) {
                    entity.credits += 1;
                }
            }
        }

        let id_of = |map: &HashMap<i64, Entity>, pk: &i64| map.get(pk).map(|e| e.id.clone());
        for (pk, film) in films.iter().filter(|(_, f)| f.admitted) {
            let mut related: Vec<String> = film
                .related
                .iter()
                .filter_map(|p| id_of(&people, p))
                .collect();
            related.extend(
                film_companies
                    .get(pk)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| id_of(&companies, c)),
            );
            visit(entry(NamedKind::Film, film, related));
        }
        for person in people.values().filter(|p| p.admitted) {
            let related = person
                .related
                .iter()
                .filter_map(|f| id_of(&films, f))
                .collect();
            visit(entry(NamedKind::Person, person, related));
        }
        for company in companies.values().filter(|c| c.admitted) {
            let related = company
                .related
                .iter()
                .filter_map(|f| id_of(&films, f))
                .collect();
            visit(entry(NamedKind::Company, company, related));
        }
        for ((film_pk, person_pk, _), (name, billing)) in characters {
            let (Some(film), Some(person)) = (films.get(&film_pk), people.get(&person_pk)) else {
                continue;
            };
            // Leads before bit parts: the prior for a character shared by several films.
            let prior = popularity(film.nominations, film.wins, film.credits)
                / f64::from(billing.unwrap_or(10).max(1));
            visit(NameEntry {
                kind: NamedKind::Character,
                id: character_id(&film.id, &name),
                name,
                variants: Vec::new(),
                year: film.year,
                popularity: prior,
                related: vec![film.id.clone(), person.id.clone()],
            });
        }

        let mut stmt = self.conn.prepare("SELECT id, name FROM award_bodies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            visit(NameEntry {
                kind: NamedKind::AwardBody,
                id: r.get(0)?,
                name: r.get(1)?,
                variants: Vec::new(),
                year: None,
                popularity: 0.0,
                related: Vec::new(),
            });
        }
        // Each canonical category once, with the other names it had at some ceremonies.
        let mut categories: std::collections::BTreeMap<(String, String), Vec<String>> =
            std::collections::BTreeMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT b.id, ac.canonical, ac.name FROM award_categories ac
             JOIN award_bodies b ON b.pk = ac.body_pk",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (body, canonical, name): (String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?);
            let variants = categories.entry((body, canonical.clone())).or_default();
            if name != canonical {
                variants.push(name);
            }
        }
        for ((body, canonical), variants) in categories {
            visit(NameEntry {
                kind: NamedKind::AwardCategory,
                id: format!("{body}/{canonical}"),
                name: canonical,
                variants,
                year: None,
                popularity: 0.0,
                related: vec![body],
            });
        }
        Ok(())
    }

    /// [`FILM_PEOPLE`]'s (film, person) pairs of the given films or people only, by index.
    fn pairs_of(&self, by: Pairs, pks: &[i64]) -> Result<Vec<(i64, i64)>> {
        let (credit, film_or_person) = match by {
            Pairs::ByFilm => ("c.film_pk", "nf.film_pk"),
            Pairs::ByPerson => ("c.person_pk", "nn.person_pk"),
        };
        let sql = format!(
            "SELECT c.film_pk, c.person_pk FROM credits c
             WHERE {credit} IN (SELECT value FROM json_each(?1))
             UNION
             SELECT nf.film_pk, nn.person_pk FROM nomination_films nf
             JOIN nomination_nominees nn ON nn.nomination_pk = nf.nomination_pk
             WHERE {film_or_person} IN (SELECT value FROM json_each(?1))
               AND nf.film_pk IS NOT NULL AND nn.person_pk IS NOT NULL"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut pairs = Vec::new();
        for chunk in pks.chunks(PKS_PER_QUERY) {
            let list = serde_json::Value::from(chunk.to_vec()).to_string();
            let mut rows = stmt.query([list])?;
            while let Some(r) = rows.next()? {
                pairs.push((r.get(0)?, r.get(1)?));
            }
        }
        Ok(pairs)
    }

    /// Each (film, player, character key) once, with the name as first written and the best
    /// billing.
    #[allow(clippy::type_complexity)]
    fn characters_by_film_and_person(
        &self,
        scope: &CharacterScope,
        tied: &dyn Fn(i64, i64) -> bool,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
    ) -> Result<HashMap<(i64, i64, String), (String, Option<u32>)>> {
        let mut found: HashMap<(i64, i64, String), (String, Option<u32>)> = HashMap::new();
        let mut add = |film: i64, person: i64, name: String, billing: Option<u32>| {
            if !admit(NamedKind::Character, &name, &[]) {
                return;
            }
            let key = normalize::key(&name);
            if key.is_empty() {
                return;
            }
            let slot = found.entry((film, person, key)).or_insert((name, billing));
            slot.1 = match (slot.1, billing) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        };
        let mut credited = |r: &rusqlite::Row<'_>| -> Result<()> {
            let (film, person) = (r.get(0)?, r.get(1)?);
            if tied(film, person) {
                for name in json_list(&r.get::<_, String>(2)?)? {
                    add(film, person, name, r.get(3)?);
                }
            }
            Ok(())
        };
        match scope {
            CharacterScope::All => {
                let mut stmt = self.conn.prepare(CREDITED_CHARACTERS)?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    credited(r)?;
                }
            }
            CharacterScope::Of { films, people } => {
                for (column, pks) in [("film_pk", films), ("person_pk", people)] {
                    let sql = format!(
                        "{CREDITED_CHARACTERS} AND c.{column} IN (SELECT value FROM json_each(?1))"
                    );
                    let mut stmt = self.conn.prepare_cached(&sql)?;
                    for chunk in pks.chunks(PKS_PER_QUERY) {
                        let list = serde_json::Value::from(chunk.to_vec()).to_string();
                        let mut rows = stmt.query([list])?;
                        while let Some(r) = rows.next()? {
                            credited(r)?;
                        }
                    }
                }
            }
        }
        let mut stmt = self.conn.prepare(NOMINATED_CHARACTERS)?;
        let mut rows = stmt.query(params![])?;
        while let Some(r) = rows.next()? {
            let details = json_list(&r.get::<_, String>(2)?)?;
            let (position, films): (i64, i64) = (r.get(3)?, r.get(4)?);
            // One detail per film of the row; otherwise which film is whose cannot be told.
            if details.len() as i64 != films {
                continue;
            }
            let (film, person) = (r.get(0)?, r.get(1)?);
            if let Some(name) = usize::try_from(position)
                .ok()
                .and_then(|p| details.get(p).cloned())
                && tied(film, person)
            {
                add(film, person, name, Some(1));
            }
        }
        Ok(found)
    }

    pub(super) fn read_themes(&self) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT name FROM themes ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
}

fn entry(kind: NamedKind, entity: &Entity, mut related: Vec<String>) -> NameEntry {
    related.sort_unstable();
    related.dedup();
    let own = normalize::key(&entity.name);
    let mut seen = HashSet::new();
    let variants = entity
        .variants
        .iter()
        .filter(|v| {
            let key = normalize::key(v);
            key != own && seen.insert(key)
        })
        .cloned()
        .collect();
    NameEntry {
        kind,
        id: entity.id.clone(),
        name: entity.name.clone(),
        variants,
        year: entity.year,
        popularity: popularity(entity.nominations, entity.wins, entity.credits),
        related,
    }
}
