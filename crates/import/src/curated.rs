//! Kinograph's own curated catalog format, `kinograph-catalog/1` (TOML; documented in
//! docs/catalog-format.md). The whole file is parsed and validated first, then written in one
//! transaction: a file with a mistake imports nothing.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use chrono::NaiveDate;
use kinograph_catalog::{
    Budget, CeremonyYears, CompanyRecord, CompanyRole, CreditRecord, EntityKind, FilmCompany,
    FilmRecord, PersonRecord, Provenance, RoleCategory, Sourced, is_imdb_company_id,
    is_imdb_name_id, is_imdb_title_id, is_slug,
};
use kinograph_store::{CatalogWrite, Store};
use serde::Deserialize;
use toml::Spanned;

use crate::{Error, Result, Summary};

pub const FORMAT: &str = "kinograph-catalog/1";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    format: Spanned<String>,
    #[serde(default)]
    sources: BTreeMap<String, SourceDef>,
    #[serde(default)]
    companies: Vec<Spanned<CompanyDef>>,
    #[serde(default)]
    people: Vec<Spanned<PersonDef>>,
    #[serde(default)]
    films: Vec<Spanned<FilmDef>>,
    #[serde(default)]
    award_bodies: Vec<Spanned<AwardBodyDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceDef {
    title: String,
    publisher: String,
    date: Option<String>,
    url: Option<String>,
}

impl SourceDef {
    fn citation(&self) -> String {
        let mut text = format!("{}, \u{201c}{}\u{201d}", self.publisher, self.title);
        for part in [&self.date, &self.url].into_iter().flatten() {
            text.push_str(", ");
            text.push_str(part);
        }
        text
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanyDef {
    id: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonDef {
    id: String,
    name: String,
    birth_year: Option<i32>,
    death_year: Option<i32>,
    #[serde(default)]
    professions: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilmDef {
    id: String,
    title: String,
    original_title: Option<String>,
    year: i32,
    runtime_minutes: Option<u32>,
    #[serde(default)]
    genres: Vec<String>,
    synopsis: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    tmdb_id: Option<u64>,
    source: String,
    budget: Option<Spanned<BudgetDef>>,
    #[serde(default)]
    companies: Vec<Spanned<FilmCompanyDef>>,
    #[serde(default)]
    themes: Vec<Spanned<ThemeDef>>,
    #[serde(default)]
    facts: Vec<Spanned<FactDef>>,
    #[serde(default)]
    credits: Vec<Spanned<CreditDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetDef {
    amount: i64,
    currency: String,
    source: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilmCompanyDef {
    company: String,
    role: String,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ThemeDef {
    Name(String),
    Sourced { name: String, source: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactDef {
    fact: String,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreditDef {
    person: String,
    category: String,
    job: Option<String>,
    #[serde(default)]
    characters: Vec<String>,
    order: Option<u32>,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AwardBodyDef {
    id: String,
    name: String,
    source: String,
    #[serde(default)]
    ceremonies: Vec<Spanned<CeremonyDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CeremonyDef {
    ordinal: u32,
    date: String,
    year: Option<String>,
    source: Option<String>,
}

/// A curated catalog, validated and turned into catalog records, ready to write.
#[derive(Debug, Default)]
pub struct Catalog {
    dataset: String,
    companies: Vec<(CompanyRecord, Vec<String>)>,
    people: Vec<(PersonRecord, Vec<String>)>,
    films: Vec<FilmEntry>,
    award_bodies: Vec<(String, String)>,
    ceremonies: Vec<CeremonyEntry>,
}

#[derive(Debug)]
struct FilmEntry {
    record: FilmRecord,
    line: usize,
    aliases: Vec<String>,
    companies: Vec<(String, CompanyRole, Provenance)>,
    themes: Vec<Sourced<String>>,
    facts: Vec<Sourced<String>>,
    credits: Vec<CreditRecord>,
}

#[derive(Debug)]
struct CeremonyEntry {
    body: String,
    ordinal: u32,
    years: Option<CeremonyYears>,
    date: NaiveDate,
    source: Provenance,
}

/// Turns byte offsets into 1-based line numbers.
struct Lines<'a> {
    text: &'a str,
}

impl Lines<'_> {
    fn of(&self, span: Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        let line = self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        // The end of a file that ends with a newline (where an unterminated string is found)
        // is on its last line, not on the empty one after it.
        if end == self.text.len() && self.text.ends_with('\n') {
            line - 1
        } else {
            line
        }
    }
}

/// Validation state: the sources and ids seen, and where each entry starts.
struct Validator<'a> {
    dataset: &'a str,
    sources: &'a BTreeMap<String, SourceDef>,
    lines: Lines<'a>,
}

impl Validator<'_> {
    fn invalid(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Invalid {
            dataset: self.dataset.to_string(),
            line,
            message: message.into(),
        }
    }

    fn provenance(&self, line: usize, what: &str, key: &str) -> Result<Provenance> {
        let source = self.sources.get(key).ok_or_else(|| {
            self.invalid(
                line,
                format!("{what}: source {key:?} is not defined in [sources]"),
            )
        })?;
        Ok(Provenance {
            dataset: self.dataset.to_string(),
            locator: Some(format!("line {line}")),
            citation: Some(source.citation()),
        })
    }

    fn check_id(
        &self,
        line: usize,
        what: &str,
        id: &str,
        imdb: fn(&str) -> bool,
        prefix: &str,
    ) -> Result<()> {
        if imdb(id) || (is_slug(id) && !id.starts_with(prefix)) {
            Ok(())
        } else {
            Err(self.invalid(
                line,
                format!("{what}: id {id:?} is neither an IMDb id ({prefix}…) nor a slug (lowercase letters, digits, hyphens)"),
            ))
        }
    }
}

/// Parses and validates a curated catalog. `dataset` names the file in messages and provenance.
pub fn parse(text: &str, dataset: &str) -> Result<Catalog> {
    let file: CatalogFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| Lines { text }.of(s)).unwrap_or(1);
        Error::Invalid {
            dataset: dataset.to_string(),
            line,
            message: e.message().trim().to_string(),
        }
    })?;
    let v = Validator {
        dataset,
        sources: &file.sources,
        lines: Lines { text },
    };
    if file.format.get_ref() != FORMAT {
        return Err(v.invalid(
            v.lines.of(file.format.span()),
            format!(
                "format {:?} is not supported (expected {FORMAT:?})",
                file.format.get_ref()
            ),
        ));
    }
    let mut catalog = Catalog {
        dataset: dataset.to_string(),
        ..Catalog::default()
    };
    let mut ids = HashSet::new();
    let mut duplicate = |line: usize, kind: &str, id: &str| -> Result<()> {
        if ids.insert((kind.to_string(), id.to_string())) {
            Ok(())
        } else {
            Err(v.invalid(line, format!("{kind} {id:?} is defined twice")))
        }
    };

    for company in &file.companies {
        let line = v.lines.of(company.span());
        let c = company.get_ref();
        let what = format!("company {:?}", c.name);
        v.check_id(line, &what, &c.id, is_imdb_company_id, "co")?;
        duplicate(line, "company", &c.id)?;
        let source = v.provenance(line, &what, &c.source)?;
        catalog.companies.push((
            CompanyRecord {
                id: c.id.clone(),
                name: c.name.clone(),
                source,
            },
            c.aliases.clone(),
        ));
    }
    for person in &file.people {
        let line = v.lines.of(person.span());
        let p = person.get_ref();
        let what = format!("person {:?}", p.name);
        v.check_id(line, &what, &p.id, is_imdb_name_id, "nm")?;
        duplicate(line, "person", &p.id)?;
        let source = v.provenance(line, &what, &p.source)?;
        let record = PersonRecord {
            id: p.id.clone(),
            name: p.name.clone(),
            birth_year: p.birth_year,
            death_year: p.death_year,
            professions: p.professions.clone(),
            source,
        };
        catalog.people.push((record, p.aliases.clone()));
    }
    for film in &file.films {
        let line = v.lines.of(film.span());
        let entry = film_entry(&v, line, film.get_ref())?;
        duplicate(line, "film", &entry.record.id)?;
        catalog.films.push(entry);
    }
    for body in &file.award_bodies {
        let line = v.lines.of(body.span());
        let b = body.get_ref();
        let what = format!("award body {:?}", b.id);
        if !is_slug(&b.id) {
            return Err(v.invalid(line, format!("{what}: id must be a slug")));
        }
        v.provenance(line, &what, &b.source)?;
        catalog.award_bodies.push((b.id.clone(), b.name.clone()));
        for spanned in &b.ceremonies {
            let ceremony = spanned.get_ref();
            let line = v.lines.of(spanned.span());
            let what = format!("{what}, ceremony {}", ceremony.ordinal);
            let date = NaiveDate::parse_from_str(&ceremony.date, "%Y-%m-%d").map_err(|e| {
                v.invalid(
                    line,
                    format!(
                        "{what}: date {:?}: {e} (expected YYYY-MM-DD)",
                        ceremony.date
                    ),
                )
            })?;
            let years = ceremony
                .year
                .as_deref()
                .map(|y| {
                    y.parse::<CeremonyYears>()
                        .map_err(|e| v.invalid(line, format!("{what}: {e}")))
                })
                .transpose()?;
            let source =
                v.provenance(line, &what, ceremony.source.as_deref().unwrap_or(&b.source))?;
            catalog.ceremonies.push(CeremonyEntry {
                body: b.id.clone(),
                ordinal: ceremony.ordinal,
                years,
                date,
                source,
            });
        }
    }
    Ok(catalog)
}

fn film_entry(v: &Validator<'_>, line: usize, f: &FilmDef) -> Result<FilmEntry> {
    let what = format!("film {:?}", f.title);
    v.check_id(line, &what, &f.id, is_imdb_title_id, "tt")?;
    if !(1870..=2200).contains(&f.year) {
        return Err(v.invalid(line, format!("{what}: year {} is out of range", f.year)));
    }
    let source = v.provenance(line, &what, &f.source)?;
    // Each fact is credited to the line it is written on, and to its own source or the film's.
    let sourced = |key: &Option<String>, part: &str, span: Range<usize>| -> Result<Provenance> {
        let key = key.as_deref().unwrap_or(&f.source);
        v.provenance(v.lines.of(span), &format!("{what} {part}"), key)
    };
    let budget = match &f.budget {
        None => None,
        Some(spanned) => {
            let b = spanned.get_ref();
            if b.amount <= 0
                || b.currency.len() != 3
                || !b.currency.bytes().all(|c| c.is_ascii_uppercase())
            {
                let message = format!(
                    "{what}: budget needs a positive amount and an ISO 4217 currency such as USD"
                );
                return Err(v.invalid(v.lines.of(spanned.span()), message));
            }
            let budget = Budget {
                amount: b.amount,
                currency: b.currency.clone(),
                note: b.note.clone(),
            };
            Some(Sourced::new(
                budget,
                sourced(&b.source, "budget", spanned.span())?,
            ))
        }
    };
    let companies = f
        .companies
        .iter()
        .map(|spanned| {
            let c = spanned.get_ref();
            let role = c.role.parse().map_err(|e: String| {
                v.invalid(v.lines.of(spanned.span()), format!("{what}: {e}"))
            })?;
            Ok((
                c.company.clone(),
                role,
                sourced(&c.source, "company", spanned.span())?,
            ))
        })
        .collect::<Result<_>>()?;
    let themes = f
        .themes
        .iter()
        .map(|spanned| {
            let (name, key) = match spanned.get_ref() {
                ThemeDef::Name(name) => (name, None),
                ThemeDef::Sourced { name, source } => (name, Some(source.clone())),
            };
            Ok(Sourced::new(
                name.clone(),
                sourced(&key, "theme", spanned.span())?,
            ))
        })
        .collect::<Result<_>>()?;
    let facts = f
        .facts
        .iter()
        .map(|spanned| {
            let fact = spanned.get_ref();
            Ok(Sourced::new(
                fact.fact.clone(),
                sourced(&fact.source, "fact", spanned.span())?,
            ))
        })
        .collect::<Result<_>>()?;
    let credits = f
        .credits
        .iter()
        .map(|spanned| {
            let c = spanned.get_ref();
            let category: RoleCategory = c.category.parse().map_err(|e: String| {
                let message = format!("{what}, credit of {:?}: {e}", c.person);
                v.invalid(v.lines.of(spanned.span()), message)
            })?;
            Ok(CreditRecord {
                film: f.id.clone(),
                person: c.person.clone(),
                category,
                job: c.job.clone(),
                characters: c.characters.clone(),
                order: c.order,
                source: sourced(&c.source, "credit", spanned.span())?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(FilmEntry {
        record: FilmRecord {
            id: f.id.clone(),
            title: f.title.clone(),
            original_title: f.original_title.clone(),
            year: Some(f.year),
            runtime_minutes: f.runtime_minutes,
            genres: f.genres.clone(),
            synopsis: f.synopsis.clone(),
            tmdb_id: f.tmdb_id,
            budget,
            source,
            title_type: None,
            end_year: None,
            is_adult: None,
        },
        line,
        aliases: f.aliases.clone(),
        companies,
        themes,
        facts,
        credits,
    })
}

impl Catalog {
    /// Writes the catalog in one transaction. A reference the catalog cannot resolve (a credit
    /// naming a person neither in this file nor in the store) rolls everything back.
    pub fn import(&self, store: &mut Store) -> Result<Summary> {
        let mut summary = Summary::new(self.dataset.clone());
        let mut failure: Option<Error> = None;
        let written = store.write(|w| self.write(w, &mut summary, &mut failure));
        match (written, failure) {
            (_, Some(error)) => Err(error),
            (Err(e), None) => Err(e.into()),
            (Ok(()), None) => Ok(summary),
        }
    }

    fn write(
        &self,
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        failure: &mut Option<Error>,
    ) -> kinograph_store::Result<()> {
        for (id, name) in &self.award_bodies {
            summary.record("award bodies", w.put_award_body(id, name)?);
        }
        for c in &self.ceremonies {
            summary.record(
                "ceremony dates",
                w.put_ceremony_date(&c.body, c.ordinal, c.years, c.date, &c.source)?,
            );
        }
        for (company, aliases) in &self.companies {
            let put = w.put_company(company)?;
            summary.record("companies", put.outcome);
            for alias in aliases {
                summary.record(
                    "aliases",
                    w.put_alias(EntityKind::Company, &put.id, alias, &company.source)?,
                );
            }
        }
        for (person, aliases) in &self.people {
            let put = w.put_person(person)?;
            summary.record("people", put.outcome);
            for alias in aliases {
                summary.record(
                    "aliases",
                    w.put_alias(EntityKind::Person, &put.id, alias, &person.source)?,
                );
            }
        }
        for film in &self.films {
            if let Err(e) = self.write_film(w, film, summary) {
                let message = match e {
                    kinograph_store::Error::UnknownEntity { kind, id } => {
                        format!(
                            "film {:?} refers to {kind} {id:?}, which is neither in this file nor in the catalog",
                            film.record.title
                        )
                    }
                    other => other.to_string(),
                };
                *failure = Some(Error::Invalid {
                    dataset: self.dataset.clone(),
                    line: film.line,
                    message,
                });
                return Err(kinograph_store::Error::Rejected(
                    "curated catalog refused".into(),
                ));
            }
        }
        Ok(())
    }

    fn write_film(
        &self,
        w: &mut dyn CatalogWrite,
        film: &FilmEntry,
        summary: &mut Summary,
    ) -> kinograph_store::Result<()> {
        let put = w.put_film(&film.record)?;
        summary.record("films", put.outcome);
        let source = &film.record.source;
        for alias in &film.aliases {
            summary.record(
                "aliases",
                w.put_alias(EntityKind::Film, &put.id, alias, source)?,
            );
        }
        for (company, role, source) in &film.companies {
            let link = FilmCompany {
                film: put.id.clone(),
                company: company.clone(),
                role: *role,
                source: source.clone(),
            };
            summary.record("film companies", w.put_film_company(&link)?);
        }
        for theme in &film.themes {
            summary.record(
                "themes",
                w.put_film_theme(&put.id, &theme.value, &theme.source)?,
            );
        }
        for fact in &film.facts {
            summary.record(
                "facts",
                w.put_film_fact(&put.id, &fact.value, &fact.source)?,
            );
        }
        for credit in &film.credits {
            let credit = CreditRecord {
                film: put.id.clone(),
                ..credit.clone()
            };
            summary.record("credits", w.put_credit(&credit)?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
format = "kinograph-catalog/1"

[sources]
paper = { title = "A review", publisher = "A Paper", date = "2020-01-01" }

[[people]]
id = "nm0000001"
name = "Jane Example"
source = "paper"

[[films]]
id = "tt0000001"
title = "Example"
year = 2020
source = "paper"
budget = { amount = 1000000, currency = "USD" }
themes = ["grief"]

  [[films.credits]]
  person = "nm0000001"
  category = "director"
"#;

    /// Found by the `catalog_toml` fuzz target: `'''` and a newline (an unterminated string)
    /// was reported on line 2 of a one-line file.
    #[test]
    fn an_error_at_the_end_of_the_file_is_on_its_last_line() {
        for (text, last) in [
            ("'''\n", 1),
            ("'''", 1),
            ("a = 1\n'''\n", 2),
            ("a = 1\n\n'''", 3),
        ] {
            match parse(text, "end.toml") {
                Err(Error::Invalid { line, .. }) => assert_eq!(line, last, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn parses_a_small_catalog_with_lines_and_citations() {
        let catalog = parse(SMALL, "small.toml").unwrap();
        assert_eq!(catalog.films.len(), 1);
        let film = &catalog.films[0];
        assert_eq!(film.record.source.dataset, "small.toml");
        assert_eq!(film.line, 12, "the line of the [[films]] header");
        assert_eq!(
            film.record.source.citation.as_deref(),
            Some("A Paper, \u{201c}A review\u{201d}, 2020-01-01")
        );
        assert_eq!(film.credits[0].category, RoleCategory::Director);
    }

    fn invalid(text: &str) -> (usize, String) {
        match parse(text, "bad.toml") {
            Err(Error::Invalid { line, message, .. }) => (line, message),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn reports_mistakes_with_line_and_field() {
        let (_, m) =
            invalid(&SMALL.replace("source = \"paper\"\nbudget", "source = \"nope\"\nbudget"));
        assert!(m.contains("\"nope\" is not defined"), "{m}");
        let (line, m) = invalid(&SMALL.replace("year = 2020", "year = \"2020\""));
        assert_eq!(line, 15, "the line of the bad year");
        assert!(m.contains("invalid type"), "{m}");
        let (_, m) = invalid(&SMALL.replace("category = \"director\"", "category = \"boss\""));
        assert!(m.contains("unknown role category"), "{m}");
        let (_, m) = invalid(&SMALL.replace("kinograph-catalog/1", "kinograph-catalog/9"));
        assert!(m.contains("not supported"), "{m}");
        let (_, m) =
            invalid(&SMALL.replace("title = \"Example\"", "title = \"Example\"\nrating = 5"));
        assert!(m.contains("unknown field"), "{m}");
        let (_, m) = invalid(&SMALL.replace("id = \"tt0000001\"", "id = \"Not An Id\""));
        assert!(m.contains("neither an IMDb id"), "{m}");
        let (_, m) = invalid(&SMALL.replace("currency = \"USD\"", "currency = \"dollars\""));
        assert!(m.contains("ISO 4217"), "{m}");
    }
}
