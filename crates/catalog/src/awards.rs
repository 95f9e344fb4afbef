//! Awards: award body → ceremony → category → nomination, and the counting rules that turn
//! nomination rows into the numbers people quote ("won 11 Oscars", "13 nominations").

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::Provenance;

/// The broad grouping of an award category (the DLu data set's `Class`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwardClass {
    Title,
    Acting,
    Directing,
    Writing,
    Music,
    Production,
    SciTech,
    Special,
}

impl AwardClass {
    pub const ALL: [AwardClass; 8] = [
        AwardClass::Title,
        AwardClass::Acting,
        AwardClass::Directing,
        AwardClass::Writing,
        AwardClass::Music,
        AwardClass::Production,
        AwardClass::SciTech,
        AwardClass::Special,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AwardClass::Title => "Title",
            AwardClass::Acting => "Acting",
            AwardClass::Directing => "Directing",
            AwardClass::Writing => "Writing",
            AwardClass::Music => "Music",
            AwardClass::Production => "Production",
            AwardClass::SciTech => "SciTech",
            AwardClass::Special => "Special",
        }
    }

    /// Competitive categories are the ones people count: honorary (`Special`) and
    /// scientific/technical (`SciTech`) awards are not nominations in that sense.
    pub fn is_competitive(self) -> bool {
        !matches!(self, AwardClass::SciTech | AwardClass::Special)
    }
}

impl FromStr for AwardClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        AwardClass::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<_> = AwardClass::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown award class {s:?} (expected one of {})",
                    known.join(", ")
                )
            })
    }
}

/// The film years a ceremony honours: `2024`, or `1927/28` for the early split seasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CeremonyYears {
    pub first: i32,
    pub last: i32,
}

impl CeremonyYears {
    /// The single year of a one-year ceremony; `None` for a split season.
    pub fn single(self) -> Option<i32> {
        (self.first == self.last).then_some(self.first)
    }
}

impl fmt::Display for CeremonyYears {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}/{:02}", self.first, self.last.rem_euclid(100))
        }
    }
}

impl FromStr for CeremonyYears {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("bad year {s:?} (expected YYYY or YYYY/YY)");
        let parse_year = |y: &str| -> Result<i32, String> {
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) {
                y.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let years = match s.split_once('/') {
            None => {
                let year = parse_year(s)?;
                CeremonyYears {
                    first: year,
                    last: year,
                }
            }
            Some((first, tail)) => {
                let first = parse_year(first)?;
                if tail.len() != 2 || !tail.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                let last = first + 1;
                if tail.parse::<i32>().map_err(|_| bad())? != last % 100 {
                    return Err(bad());
                }
                CeremonyYears { first, last }
            }
        };
        if !(1880..=2200).contains(&years.first) {
            return Err(bad());
        }
        Ok(years)
    }
}

/// A ceremony of an award body.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceremony {
    pub body: String,
    pub ordinal: u32,
    pub years: Option<CeremonyYears>,
    pub date: Option<NaiveDate>,
    pub date_source: Option<Provenance>,
}

/// An award category as named at one ceremony, with the name it has across the years.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Category {
    pub canonical: String,
    pub name: String,
    pub class: AwardClass,
}

impl Category {
    /// A canonical category name as a URL segment: "WRITING (Original Screenplay)" →
    /// `writing-original-screenplay`.
    pub fn slug(canonical: &str) -> String {
        crate::normalize::key(canonical).replace(' ', "-")
    }
}

/// Who a nomination names: a person, a company, or a name without a known id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NomineeRef {
    Person(String),
    Company(String),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nominee {
    pub name: String,
    pub id: NomineeRef,
    /// The name is credited to several people jointly (a shared pseudonym such as the one the
    /// Coen brothers edit under), so it is not any one of them's own name.
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NominatedFilm {
    pub title: String,
    /// The IMDb title id, when the data set knows it.
    pub imdb_id: Option<String>,
}

/// One nomination row: a category at a ceremony, the films and nominees it names, and whether
/// it won.
#[derive(Debug, Clone, PartialEq)]
pub struct Nomination {
    pub body: String,
    pub ceremony: u32,
    pub years: CeremonyYears,
    pub category: Category,
    pub films: Vec<NominatedFilm>,
    /// The credit as printed ("Written by Sean Baker").
    pub credit: String,
    pub nominees: Vec<Nominee>,
    pub winner: bool,
    /// Per-film or per-nominee detail, such as the character played.
    pub detail: Vec<String>,
    pub note: Option<String>,
    pub citation: Option<String>,
    pub source: Provenance,
}

impl Nomination {
    /// What makes this nomination itself, whatever its outcome: re-importing a row with the
    /// same identity updates it rather than adding another.
    pub fn natural_key(&self) -> String {
        const SEP: char = '\u{1f}';
        let mut key = format!(
            "{}{SEP}{}{SEP}{}",
            self.body, self.ceremony, self.category.name
        );
        for film in &self.films {
            key.push(SEP);
            key.push_str(&film.title);
            key.push('=');
            key.push_str(film.imdb_id.as_deref().unwrap_or("?"));
        }
        key.push(SEP);
        key.push_str(&self.credit);
        for nominee in &self.nominees {
            key.push(SEP);
            key.push_str(&nominee.name);
            key.push('=');
            match &nominee.id {
                NomineeRef::Person(id) | NomineeRef::Company(id) => key.push_str(id),
                NomineeRef::Unknown => key.push('?'),
            }
        }
        for detail in &self.detail {
            key.push(SEP);
            key.push_str(detail);
        }
        if let Some(citation) = &self.citation {
            key.push(SEP);
            key.push_str(citation);
        }
        key
    }

    pub fn counting(&self) -> NominationCounting {
        NominationCounting::of(self.category.class, self.winner, self.note.as_deref())
    }
}

/// The counting rules, stated once: a nomination counts when its category is competitive, and
/// a row marked "NOT AN OFFICIAL NOMINATION" (the first ceremonies' lists of films under
/// consideration) counts only if it won. A win is a counted row that won.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NominationCounting {
    pub counts_as_nomination: bool,
    pub counts_as_win: bool,
}

impl NominationCounting {
    pub const RULE: &'static str = "competitive categories only (Special and SciTech rows left out); \
rows noted NOT AN OFFICIAL NOMINATION count only if they won; a win is one nomination row won";

    pub fn of(class: AwardClass, winner: bool, note: Option<&str>) -> Self {
        let unofficial = note.is_some_and(|n| {
            n.to_ascii_uppercase()
                .contains("NOT AN OFFICIAL NOMINATION")
        });
        let competitive = class.is_competitive();
        NominationCounting {
            counts_as_nomination: competitive && (winner || !unofficial),
            counts_as_win: competitive && winner,
        }
    }
}

/// A ceremony's ordinal as English writes it: "1st", "2nd", "97th", "111th".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceremony_years_parse_and_display() {
        let split: CeremonyYears = "1927/28".parse().unwrap();
        assert_eq!(
            split,
            CeremonyYears {
                first: 1927,
                last: 1928
            }
        );
        assert_eq!(split.to_string(), "1927/28");
        assert_eq!(split.single(), None);
        let year: CeremonyYears = "2024".parse().unwrap();
        assert_eq!(year.single(), Some(2024));
        assert_eq!("1999/00".parse::<CeremonyYears>().unwrap().last, 2000);
        for bad in ["", "24", "2024/26", "1927/8", "abcd", "20245", "0100"] {
            assert!(
                bad.parse::<CeremonyYears>().is_err(),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn counting_rules() {
        let c = NominationCounting::of;
        let unofficial = Some("NOTE: THIS IS NOT AN OFFICIAL NOMINATION. …");
        let both = |n: NominationCounting| (n.counts_as_nomination, n.counts_as_win);
        assert_eq!(both(c(AwardClass::Title, true, None)), (true, true));
        assert_eq!(both(c(AwardClass::Title, false, None)), (true, false));
        assert_eq!(both(c(AwardClass::Special, true, None)), (false, false));
        assert_eq!(both(c(AwardClass::SciTech, false, None)), (false, false));
        assert_eq!(
            both(c(AwardClass::Acting, false, unofficial)),
            (false, false)
        );
        assert_eq!(both(c(AwardClass::Acting, true, unofficial)), (true, true));
        assert_eq!(
            both(c(AwardClass::Acting, false, Some("came in 3rd"))),
            (true, false)
        );
    }
}
