//! Films, people, companies and credits: what importers write ("records") and what queries
//! return ("details" and "summaries").

use std::fmt;
use std::str::FromStr;

use crate::records::{EntityRef, NominationView};
use crate::{Provenance, Sourced};

/// What a write did to the catalog; importers add these up into their summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    New,
    Updated,
    Unchanged,
}

/// A production budget as reported, in whole units of `currency` (ISO 4217).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub amount: i64,
    pub currency: String,
    /// How the figure was reported, e.g. "estimated".
    pub note: Option<String>,
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.amount.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let sign = if self.amount < 0 { "-" } else { "" };
        match self.currency.as_str() {
            "USD" => write!(f, "{sign}${grouped}"),
            other => write!(f, "{sign}{grouped} {other}"),
        }
    }
}

/// A film as an importer states it. `None` fields leave what the catalog already knows alone.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmRecord {
    /// An IMDb id (`tt…`) or a curated slug.
    pub id: String,
    pub title: String,
    pub original_title: Option<String>,
    /// Release year.
    pub year: Option<i32>,
    pub runtime_minutes: Option<u32>,
    pub genres: Vec<String>,
    pub synopsis: Option<String>,
    pub tmdb_id: Option<u64>,
    pub budget: Option<Sourced<Budget>>,
    /// IMDb's kind of title (`movie`, `short`, `tvSeries`, `tvEpisode`, …).
    pub title_type: Option<String>,
    /// A series' last year.
    pub end_year: Option<i32>,
    pub is_adult: Option<bool>,
    /// Provenance of the title, year, runtime, genres and synopsis.
    pub source: Provenance,
}

impl FilmRecord {
    /// A film known by id and title only; set the other fields as the source gives them.
    pub fn new(id: impl Into<String>, title: impl Into<String>, source: Provenance) -> Self {
        FilmRecord {
            id: id.into(),
            title: title.into(),
            original_title: None,
            year: None,
            runtime_minutes: None,
            genres: Vec::new(),
            synopsis: None,
            tmdb_id: None,
            budget: None,
            title_type: None,
            end_year: None,
            is_adult: None,
            source,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    /// An IMDb id (`nm…`) or a curated slug.
    pub id: String,
    pub name: String,
    pub birth_year: Option<i32>,
    pub death_year: Option<i32>,
    pub professions: Vec<String>,
    pub source: Provenance,
}

impl PersonRecord {
    /// A person known by id and name only.
    pub fn new(id: impl Into<String>, name: impl Into<String>, source: Provenance) -> Self {
        PersonRecord {
            id: id.into(),
            name: name.into(),
            birth_year: None,
            death_year: None,
            professions: Vec::new(),
            source,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompanyRecord {
    /// An IMDb id (`co…`) or a curated slug.
    pub id: String,
    pub name: String,
    pub source: Provenance,
}

/// The part a company played in a film.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompanyRole {
    Production,
    Distribution,
}

impl CompanyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CompanyRole::Production => "production",
            CompanyRole::Distribution => "distribution",
        }
    }
}

impl FromStr for CompanyRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "production" => Ok(CompanyRole::Production),
            "distribution" => Ok(CompanyRole::Distribution),
            other => Err(format!(
                "unknown company role {other:?} (expected production or distribution)"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FilmCompany {
    pub film: String,
    pub company: String,
    pub role: CompanyRole,
    pub source: Provenance,
}

/// The role category of a credit, in IMDb's vocabulary (`title.principals.category`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleCategory {
    Director,
    Writer,
    Actor,
    Actress,
    SelfRole,
    Producer,
    Editor,
    Cinematographer,
    Composer,
    ProductionDesigner,
    CastingDirector,
    ArchiveFootage,
    ArchiveSound,
}

impl RoleCategory {
    pub const ALL: [RoleCategory; 13] = [
        RoleCategory::Director,
        RoleCategory::Writer,
        RoleCategory::Actor,
        RoleCategory::Actress,
        RoleCategory::SelfRole,
        RoleCategory::Producer,
        RoleCategory::Editor,
        RoleCategory::Cinematographer,
        RoleCategory::Composer,
        RoleCategory::ProductionDesigner,
        RoleCategory::CastingDirector,
        RoleCategory::ArchiveFootage,
        RoleCategory::ArchiveSound,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoleCategory::Director => "director",
            RoleCategory::Writer => "writer",
            RoleCategory::Actor => "actor",
            RoleCategory::Actress => "actress",
            RoleCategory::SelfRole => "self",
            RoleCategory::Producer => "producer",
            RoleCategory::Editor => "editor",
            RoleCategory::Cinematographer => "cinematographer",
            RoleCategory::Composer => "composer",
            RoleCategory::ProductionDesigner => "production_designer",
            RoleCategory::CastingDirector => "casting_director",
            RoleCategory::ArchiveFootage => "archive_footage",
            RoleCategory::ArchiveSound => "archive_sound",
        }
    }

    /// Whether this credit is a performance (its `characters` are roles played).
    pub fn is_cast(self) -> bool {
        matches!(
            self,
            RoleCategory::Actor | RoleCategory::Actress | RoleCategory::SelfRole
        )
    }
}

impl FromStr for RoleCategory {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RoleCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<_> = RoleCategory::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown role category {s:?} (expected one of {})",
                    known.join(", ")
                )
            })
    }
}

/// One credit as an importer states it; keyed by (film, person, category, job).
#[derive(Debug, Clone, PartialEq)]
pub struct CreditRecord {
    pub film: String,
    pub person: String,
    pub category: RoleCategory,
    pub job: Option<String>,
    pub characters: Vec<String>,
    /// Billing order within the film, 1 first.
    pub order: Option<u32>,
    pub source: Provenance,
}

/// A film as the catalog holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Film {
    pub id: String,
    pub imdb_id: Option<String>,
    pub title: String,
    pub original_title: Option<String>,
    pub year: Option<i32>,
    /// The award-eligibility year (from an awards data set) when the release year is unknown
    /// or differs; never shown as the release year.
    pub award_year: Option<i32>,
    pub runtime_minutes: Option<u32>,
    pub genres: Vec<String>,
    pub synopsis: Option<String>,
    pub tmdb_id: Option<u64>,
    pub budget: Option<Sourced<Budget>>,
    /// IMDb's kind of title (`movie`, `tvEpisode`, …); `None` for films known from elsewhere.
    pub title_type: Option<String>,
    pub end_year: Option<i32>,
    pub is_adult: Option<bool>,
    /// IMDb's user rating, when the catalog has one.
    pub imdb_rating: Option<ImdbRating>,
    /// Provenance of the film's own fields, by field name (`title`, `year`, …).
    pub sources: Vec<(String, Provenance)>,
}

/// IMDb's user rating of a title (`title.ratings`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImdbRating {
    /// The weighted average, 1.0 to 10.0, to one decimal.
    pub average: f64,
    pub votes: u64,
}

/// A credit seen from the film.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmCredit {
    pub person: EntityRef,
    pub category: RoleCategory,
    pub job: Option<String>,
    pub characters: Vec<String>,
    pub order: Option<u32>,
    pub source: Provenance,
}

/// A credit seen from the person.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonCredit {
    pub film: EntityRef,
    pub year: Option<i32>,
    pub category: RoleCategory,
    pub job: Option<String>,
    pub characters: Vec<String>,
    pub source: Provenance,
}

/// Everything the catalog knows about one film.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmDetails {
    pub film: Film,
    pub aliases: Vec<String>,
    pub credits: Vec<FilmCredit>,
    pub companies: Vec<(EntityRef, CompanyRole, Provenance)>,
    pub themes: Vec<Sourced<String>>,
    pub facts: Vec<Sourced<String>>,
    pub nominations: Vec<NominationView>,
}

/// A person as the catalog holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonDetails {
    pub id: String,
    pub imdb_id: Option<String>,
    pub name: String,
    pub birth_year: Option<i32>,
    pub death_year: Option<i32>,
    pub professions: Vec<String>,
    pub sources: Vec<(String, Provenance)>,
    pub aliases: Vec<String>,
    pub credits: Vec<PersonCredit>,
    pub nominations: Vec<NominationView>,
}

/// A line of a film lookup's result list.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmSummary {
    pub id: String,
    pub title: String,
    pub year: Option<i32>,
    /// Counted nominations and wins (see [`crate::NominationCounting`]).
    pub nominations: u32,
    pub wins: u32,
}

/// A line of a person lookup's result list.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSummary {
    pub id: String,
    pub name: String,
    pub birth_year: Option<i32>,
    pub nominations: u32,
    pub wins: u32,
}

/// How much the catalog holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogCounts {
    pub films: u64,
    pub people: u64,
    pub companies: u64,
    pub credits: u64,
    pub ceremonies: u64,
    pub nominations: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_display_like_people_write_them() {
        let b = |amount, currency: &str| Budget {
            amount,
            currency: currency.into(),
            note: None,
        };
        assert_eq!(b(6_000_000, "USD").to_string(), "$6,000,000");
        assert_eq!(b(100_000, "USD").to_string(), "$100,000");
        assert_eq!(b(999, "USD").to_string(), "$999");
        assert_eq!(b(1_500_000, "EUR").to_string(), "1,500,000 EUR");
    }

    #[test]
    fn role_categories_round_trip() {
        for c in RoleCategory::ALL {
            assert_eq!(c.as_str().parse::<RoleCategory>(), Ok(c));
        }
        assert!("stuntman".parse::<RoleCategory>().is_err());
        assert!(RoleCategory::Actress.is_cast());
        assert!(!RoleCategory::Director.is_cast());
    }
}
