//! Claims: the statements in an essay the catalog can decide, each with a verdict and the
//! facts behind it.
//!
//! Recognition works on sentences: patterns over the words (a count and "Oscars", a sum of
//! money and "budget", "played by", a date) find the value, and the linked mentions around
//! it say whose value it is (the nearest film or person before it in the sentence, else
//! what a pronoun or "the film" points back to). Verification reads the catalog through
//! [`crate::facts::Catalog`] and never guesses: a fact the catalog lacks makes the claim
//! `unverifiable`, not `supported`.

mod awards;
mod context;
mod films;
pub mod numbers;
mod patterns;
mod people;
pub mod sentences;

use std::fmt;

pub(crate) use context::Context;
pub use patterns::Patterns;

use crate::facts::CatalogError;

/// What a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimKind {
    /// A film's release year: "Starlet (2012)", "his 2017 film …", "released in 2017".
    Year,
    /// A film's budget: "a budget of only $6 million".
    Budget,
    /// Who plays a character: "Ani, played by Mikey Madison".
    Cast,
    /// Who made a film: "directed by …".
    Credit,
    /// How many awards or nominations: "won four Oscars".
    AwardCount,
    /// A win or nomination in a category: "won Best Picture".
    Award,
    /// A record: "the first person to win four Oscars for a single film".
    Record,
    /// How many films of a kind a person made: "five films centered on sex workers".
    FilmographyCount,
    /// When an award was won: "On March 2, … won" (the ceremony's date).
    Date,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Year => "year",
            ClaimKind::Budget => "budget",
            ClaimKind::Cast => "cast",
            ClaimKind::Credit => "credit",
            ClaimKind::AwardCount => "award_count",
            ClaimKind::Award => "award",
            ClaimKind::Record => "record",
            ClaimKind::FilmographyCount => "filmography_count",
            ClaimKind::Date => "date",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Supported,
    Contradicted,
    /// The claim is recognised, but the catalog lacks the fact that would decide it.
    Unverifiable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A catalog fact that bears on a claim, and where the catalog has it from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub fact: String,
    pub source: String,
}

impl Evidence {
    pub fn new(fact: impl Into<String>, source: impl Into<String>) -> Self {
        Evidence {
            fact: fact.into(),
            source: source.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: ClaimKind,
    pub verdict: Verdict,
    pub evidence: Vec<Evidence>,
    /// The words that state the value, before widening to take in the subject: what
    /// recognisers compare to avoid claiming the same words twice.
    pub(crate) value: std::ops::Range<usize>,
}

/// Every claim of the essay, in text order. Where two recognisers claim the same words, the
/// more specific one (a record over the count inside it) keeps them.
pub(crate) fn claims(cx: &Context<'_>) -> Result<Vec<Claim>, CatalogError> {
    let mut found: Vec<Claim> = Vec::new();
    // Most specific first: later recognisers skip words already claimed by the same kind
    // family (see `Context::push`).
    awards::records(cx, &mut found)?;
    awards::counts(cx, &mut found)?;
    awards::categories(cx, &mut found)?;
    awards::dates(cx, &mut found)?;
    films::years(cx, &mut found)?;
    films::budgets(cx, &mut found)?;
    people::cast(cx, &mut found)?;
    people::credits(cx, &mut found)?;
    people::filmography_counts(cx, &mut found)?;
    found.retain(|c| !cx.in_heading(c.start));
    found.sort_by_key(|c| (c.start, c.end));
    found.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.kind == b.kind);
    Ok(found)
}
