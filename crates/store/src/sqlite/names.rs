//! The bulk read behind the checker's name automaton: every name with its year, prior and ties,
//! from one pass per table rather than one query per entity (the catalog may hold millions).

use std::collections::{BTreeMap, HashMap, HashSet};

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

/// Primary keys handed to one query as a list.
pub(crate) const PKS_PER_QUERY: usize = 10_000;

/// Which credits' characters a name read looks at.
pub(crate) enum CharacterScope {
    /// Every credit's (a whole-catalog read).
    All,
    /// Only those of these films and of these people (a check's admitted few).
    Of { films: Vec<i64>, people: Vec<i64> },
}

/// How [`SqliteBackend::pairs_of`] looks up who worked on what.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pairs {
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

/// Each (film, player, character key): the name as first written, and the best billing.
pub(crate) type Characters = HashMap<(i64, i64, String), (String, Option<u32>)>;

/// What a name read gathers, the rows of each table handed in as either backend reads them;
/// the backends run the queries, this holds the rules.
#[derive(Default)]
pub(crate) struct Names {
    films: HashMap<i64, Entity>,
    people: HashMap<i64, Entity>,
    companies: HashMap<i64, Entity>,
    film_companies: HashMap<i64, Vec<i64>>,
    /// Each canonical category once, with the other names it had at some ceremonies.
    categories: BTreeMap<(String, String), Vec<String>>,
}

impl Names {
    /// A row of `films`: pk, id, title, original title, year.
    pub(crate) fn add_film(
        &mut self,
        pk: i64,
        id: String,
        title: String,
        original: Option<String>,
        year: Option<i32>,
    ) {
        let mut film = Entity::new(id, title, year);
        if let Some(original) = original {
            film.variants.push(original);
        }
        self.films.insert(pk, film);
    }

    /// A row of `people`.
    pub(crate) fn add_person(&mut self, pk: i64, id: String, name: String, shared: bool) {
        // A name several people share is nobody's name: the person is still there to be
        // related to, but prose naming the pseudonym does not name them.
        let name = if shared { String::new() } else { name };
        self.people.insert(pk, Entity::new(id, name, None));
    }

    /// A row of `companies`.
    pub(crate) fn add_company(&mut self, pk: i64, id: String, name: String) {
        self.companies.insert(pk, Entity::new(id, name, None));
    }

    /// An alias (`kind` its entity kind), in the order they are read.
    pub(crate) fn add_alias(&mut self, kind: &str, pk: i64, name: String) {
        let map = match kind {
            "film" => &mut self.films,
            "person" => &mut self.people,
            "company" => &mut self.companies,
            _ => return,
        };
        if let Some(entity) = map.get_mut(&pk) {
            entity.variants.push(name);
        }
    }

    /// Asks the caller's filter which films, people and companies to give.
    pub(crate) fn admit(&mut self, admit: &dyn Fn(NamedKind, &str, &[String]) -> bool) {
        for (kind, map) in [
            (NamedKind::Film, &mut self.films),
            (NamedKind::Person, &mut self.people),
            (NamedKind::Company, &mut self.companies),
        ] {
            for entity in map.values_mut() {
                // A person known only by a shared pseudonym is given to no one (see above).
                let nameless = kind == NamedKind::Person && entity.name.is_empty();
                entity.admitted = !nameless && admit(kind, &entity.name, &entity.variants);
            }
        }
    }

    /// A film's (`of` Film) or person's counted nominations and wins.
    pub(crate) fn add_awards(&mut self, of: NamedKind, pk: i64, nominations: u32, wins: u32) {
        let map = match of {
            NamedKind::Film => &mut self.films,
            _ => &mut self.people,
        };
        if let Some(entity) = map.get_mut(&pk) {
            entity.nominations = nominations;
            entity.wins = wins;
        }
    }

    /// The admitted films' primary keys, in order.
    pub(crate) fn admitted_films(&self) -> Vec<i64> {
        admitted_pks(&self.films)
    }

    /// The admitted people's primary keys, in order.
    pub(crate) fn admitted_people(&self) -> Vec<i64> {
        admitted_pks(&self.people)
    }

    /// Whether a check admits few enough to read their ties by index: it admits a few
    /// thousand entities of millions, while a whole-catalog read scans once.
    pub(crate) fn few(&self, admitted_films: &[i64], admitted_people: &[i64]) -> bool {
        (admitted_films.len() + admitted_people.len()) * 8 < self.films.len() + self.people.len()
    }

    /// A pair read by [`Pairs`] for the admitted few: tied and counted for the side looked up.
    pub(crate) fn relate_pair(&mut self, by: Pairs, film: i64, person: i64) {
        let (entity, other) = match by {
            Pairs::ByFilm => (self.films.get_mut(&film), person),
            Pairs::ByPerson => (self.people.get_mut(&person), film),
        };
        if let Some(entity) = entity {
            entity.related.push(other);
            entity.credits += 1;
        }
    }

    /// A pair of a whole-catalog read (`FILM_PEOPLE`).
    pub(crate) fn relate(&mut self, film: i64, person: i64) {
        // Counted for every entity (a character's prior is its film's), tied only for the
        // admitted: the ties of millions are most of the memory of a whole read.
        if let Some(entity) = self.films.get_mut(&film) {
            if entity.admitted {
                entity.related.push(person);
            }
            entity.credits += 1;
        }
        if let Some(entity) = self.people.get_mut(&person) {
            if entity.admitted {
                entity.related.push(film);
            }
            entity.credits += 1;
        }
    }

    /// A row of `SELECT DISTINCT film_pk, company_pk FROM film_companies`.
    pub(crate) fn add_film_company(&mut self, film: i64, company: i64) {
        self.film_companies.entry(film).or_default().push(company);
        if let Some(entity) = self.companies.get_mut(&company) {
            if entity.admitted {
                entity.related.push(film);
            }
            entity.credits += 1;
        }
    }

    /// The films of admitted people.
    pub(crate) fn films_of_admitted(&self) -> HashSet<i64> {
        self.people
            .values()
            .filter(|p| p.admitted)
            .flat_map(|p| p.related.iter().copied())
            .collect()
    }

    /// Which credits' characters to read: a few's films, their people's films and their
    /// people's own; else all.
    pub(crate) fn character_scope(
        few: bool,
        admitted_films: &[i64],
        admitted_people: Vec<i64>,
        films_of_admitted: &HashSet<i64>,
    ) -> CharacterScope {
        if few {
            let mut of_films: Vec<i64> = admitted_films.to_vec();
            of_films.extend(films_of_admitted.iter().copied());
            of_films.sort_unstable();
            of_films.dedup();
            CharacterScope::Of {
                films: of_films,
                people: admitted_people,
            }
        } else {
            CharacterScope::All
        }
    }

    /// Whether a character of `film` played by `person` can be linked: only where the text
    /// names its film, its player or a person in its film (the checker's rule); the others are
    /// not read into entries.
    pub(crate) fn tied(&self, films_of_admitted: &HashSet<i64>, film: i64, person: i64) -> bool {
        self.films.get(&film).is_some_and(|f| f.admitted)
            || self.people.get(&person).is_some_and(|p| p.admitted)
            || films_of_admitted.contains(&film)
    }

    /// The films of `characters` whose credits were not counted (not among `admitted_films`),
    /// in order: a character's prior is its film's.
    pub(crate) fn uncounted(characters: &Characters, admitted_films: &[i64]) -> Vec<i64> {
        let counted: HashSet<i64> = admitted_films.iter().copied().collect();
        let mut uncounted: Vec<i64> = characters
            .keys()
            .map(|(film, _, _)| *film)
            .filter(|film| !counted.contains(film))
            .collect();
        uncounted.sort_unstable();
        uncounted.dedup();
        uncounted
    }

    /// Counts one more credit of `film`.
    pub(crate) fn count_credit(&mut self, film: i64) {
        if let Some(entity) = self.films.get_mut(&film) {
            entity.credits += 1;
        }
    }

    /// Gives the admitted films, people and companies, and `characters`.
    pub(crate) fn visit_entities(&self, characters: Characters, visit: &mut dyn FnMut(NameEntry)) {
        let id_of = |map: &HashMap<i64, Entity>, pk: &i64| map.get(pk).map(|e| e.id.clone());
        for (pk, film) in self.films.iter().filter(|(_, f)| f.admitted) {
            let mut related: Vec<String> = film
                .related
                .iter()
                .filter_map(|p| id_of(&self.people, p))
                .collect();
            related.extend(
                self.film_companies
                    .get(pk)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| id_of(&self.companies, c)),
            );
            visit(entry(NamedKind::Film, film, related));
        }
        for person in self.people.values().filter(|p| p.admitted) {
            let related = person
                .related
                .iter()
                .filter_map(|f| id_of(&self.films, f))
                .collect();
            visit(entry(NamedKind::Person, person, related));
        }
        for company in self.companies.values().filter(|c| c.admitted) {
            let related = company
                .related
                .iter()
                .filter_map(|f| id_of(&self.films, f))
                .collect();
            visit(entry(NamedKind::Company, company, related));
        }
        for ((film_pk, person_pk, _), (name, billing)) in characters {
            let (Some(film), Some(person)) =
                (self.films.get(&film_pk), self.people.get(&person_pk))
            else {
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
    }

    /// A row of `award_bodies`, given at once.
    pub(crate) fn visit_award_body(id: String, name: String, visit: &mut dyn FnMut(NameEntry)) {
        visit(NameEntry {
            kind: NamedKind::AwardBody,
            id,
            name,
            variants: Vec::new(),
            year: None,
            popularity: 0.0,
            related: Vec::new(),
        });
    }

    /// A category's name at some ceremony (body id, canonical name, name), in the order read.
    pub(crate) fn add_category(&mut self, body: String, canonical: String, name: String) {
        let variants = self
            .categories
            .entry((body, canonical.clone()))
            .or_default();
        if name != canonical {
            variants.push(name);
        }
    }

    /// Gives each canonical category once, with its other names.
    pub(crate) fn visit_categories(self, visit: &mut dyn FnMut(NameEntry)) {
        for ((body, canonical), variants) in self.categories {
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
    }
}

/// Gathers each (film, player, character key) once, with the name as first written and the
/// best billing, from the rows of credits and acting nominations as they are read.
pub(crate) struct CharacterNames<'a> {
    tied: &'a dyn Fn(i64, i64) -> bool,
    admit: &'a dyn Fn(NamedKind, &str, &[String]) -> bool,
    found: Characters,
}

impl<'a> CharacterNames<'a> {
    pub(crate) fn new(
        tied: &'a dyn Fn(i64, i64) -> bool,
        admit: &'a dyn Fn(NamedKind, &str, &[String]) -> bool,
    ) -> Self {
        CharacterNames {
            tied,
            admit,
            found: HashMap::new(),
        }
    }

    fn add(&mut self, film: i64, person: i64, name: String, billing: Option<u32>) {
        if !(self.admit)(NamedKind::Character, &name, &[]) {
            return;
        }
        let key = normalize::key(&name);
        if key.is_empty() {
            return;
        }
        let slot = self
            .found
            .entry((film, person, key))
            .or_insert((name, billing));
        slot.1 = match (slot.1, billing) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// A row of `CREDITED_CHARACTERS`: `characters` a JSON list.
    pub(crate) fn add_credited(
        &mut self,
        film: i64,
        person: i64,
        characters: &str,
        billing: Option<u32>,
    ) -> Result<()> {
        if (self.tied)(film, person) {
            for name in json_list(characters)? {
                self.add(film, person, name, billing);
            }
        }
        Ok(())
    }

    /// A row of `NOMINATED_CHARACTERS`: the `position`th detail of a nomination of `films`
    /// films.
    pub(crate) fn add_nominated(
        &mut self,
        film: i64,
        person: i64,
        detail: &str,
        position: i64,
        films: i64,
    ) -> Result<()> {
        let details = json_list(detail)?;
        // One detail per film of the row; otherwise which film is whose cannot be told.
        if details.len() as i64 != films {
            return Ok(());
        }
        if let Some(name) = usize::try_from(position)
            .ok()
            .and_then(|p| details.get(p).cloned())
            && (self.tied)(film, person)
        {
            self.add(film, person, name, Some(1));
        }
        Ok(())
    }

    pub(crate) fn into_found(self) -> Characters {
        self.found
    }
}

impl SqliteBackend {
    pub(super) fn read_name_entries(
        &self,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
        visit: &mut dyn FnMut(NameEntry),
    ) -> Result<()> {
        let mut names = Names::default();
        let mut stmt = self.conn.prepare(
            "SELECT pk, id, title, original_title, COALESCE(year, award_year) FROM films",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_film(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT pk, id, name, name_is_shared_credit FROM people")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_person(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        }
        let mut stmt = self.conn.prepare("SELECT pk, id, name FROM companies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_company(r.get(0)?, r.get(1)?, r.get(2)?);
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
            names.add_alias(&r.get::<_, String>(0)?, r.get(1)?, r.get(2)?);
        }

        names.admit(admit);

        for (sql, of) in [
            (FILM_AWARDS, NamedKind::Film),
            (PERSON_AWARDS, NamedKind::Person),
        ] {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                names.add_awards(of, r.get(0)?, r.get(1)?, r.get(2)?);
            }
        }
        let admitted_films = names.admitted_films();
        let admitted_people = names.admitted_people();
        let few = names.few(&admitted_films, &admitted_people);
        if few {
            for (film, person) in self.pairs_of(Pairs::ByFilm, &admitted_films)? {
                names.relate_pair(Pairs::ByFilm, film, person);
            }
            for (film, person) in self.pairs_of(Pairs::ByPerson, &admitted_people)? {
                names.relate_pair(Pairs::ByPerson, film, person);
            }
        } else {
            let mut stmt = self.conn.prepare(FILM_PEOPLE)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                names.relate(r.get(0)?, r.get(1)?);
            }
        }
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT film_pk, company_pk FROM film_companies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_film_company(r.get(0)?, r.get(1)?);
        }

        let films_of_admitted = names.films_of_admitted();
        let scope =
            Names::character_scope(few, &admitted_films, admitted_people, &films_of_admitted);
        let tied = |film: i64, person: i64| names.tied(&films_of_admitted, film, person);
        let characters = self.characters_by_film_and_person(&scope, &tied, admit)?;
        if few {
            let uncounted = Names::uncounted(&characters, &admitted_films);
            for (film, _) in self.pairs_of(Pairs::ByFilm, &uncounted)? {
                names.count_credit(film);
            }
        }
        names.visit_entities(characters, visit);

        let mut stmt = self.conn.prepare("SELECT id, name FROM award_bodies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            Names::visit_award_body(r.get(0)?, r.get(1)?, visit);
        }
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT b.id, ac.canonical, ac.name FROM award_categories ac
             JOIN award_bodies b ON b.pk = ac.body_pk",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_category(r.get(0)?, r.get(1)?, r.get(2)?);
        }
        names.visit_categories(visit);
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
    fn characters_by_film_and_person(
        &self,
        scope: &CharacterScope,
        tied: &dyn Fn(i64, i64) -> bool,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
    ) -> Result<Characters> {
        let mut found = CharacterNames::new(tied, admit);
        let mut credited = |r: &rusqlite::Row<'_>| -> Result<()> {
            found.add_credited(r.get(0)?, r.get(1)?, &r.get::<_, String>(2)?, r.get(3)?)
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
            found.add_nominated(
                r.get(0)?,
                r.get(1)?,
                &r.get::<_, String>(2)?,
                r.get(3)?,
                r.get(4)?,
            )?;
        }
        Ok(found.into_found())
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
