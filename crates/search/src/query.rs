//! Queries: words in any order, each matched exactly, with typos, or as a prefix, across names,
//! other names and characters; ranked by relevance, then popularity, exact names first.

use std::ops::Bound;
use std::str::FromStr;

use kinograph_catalog::normalize;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Score, TantivyDocument, Term};

use crate::popular::{Found, Ranked, SCAN_LIMIT};
use crate::sum::{MatchThenScore, SumQuery};
use crate::{Error, Result, SearchIndex, WORD_START_CHARS, analyzer};

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Film,
    Person,
    Character,
    Essay,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Film, Kind::Person, Kind::Character, Kind::Essay];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Film => "film",
            Kind::Person => "person",
            Kind::Character => "character",
            Kind::Essay => "essay",
        }
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!("unknown kind {s:?} (expected film, person, character or essay)")
            })
    }
}

/// A year range as people write it: `2017`, `2010..2020`, `2010..` or `..1999` (both ends
/// included), for [`SearchQuery::years`].
pub fn parse_years(text: &str) -> Result<(i32, i32), String> {
    let year = |s: &str, default: i32| -> Result<i32, String> {
        if s.is_empty() {
            Ok(default)
        } else {
            s.trim().parse().map_err(|_| format!("{s:?} is not a year"))
        }
    };
    let (from, to) = match text.split_once("..") {
        Some((from, to)) => (year(from, i32::MIN)?, year(to, i32::MAX)?),
        None => {
            let single = year(text, 0)?;
            (single, single)
        }
    };
    if text.is_empty() || text == ".." || from > to {
        return Err(format!(
            "{text:?} is not a year range (expected 2017, 2010..2020, 2010.. or ..1999)"
        ));
    }
    Ok((from, to))
}

/// A search as a reader or a program asks it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub text: String,
    /// Only these kinds; empty for all.
    pub kinds: Vec<Kind>,
    /// Only films (and characters) of these years, both ends included.
    pub years: Option<(i32, i32)>,
    /// Only films of this genre.
    pub genre: Option<String>,
    pub limit: usize,
    /// Search-as-you-type: the last word may be the start of a longer one, however short.
    pub prefix: bool,
}

impl SearchQuery {
    pub fn new(text: impl Into<String>) -> Self {
        SearchQuery {
            text: text.into(),
            kinds: Vec::new(),
            years: None,
            genre: None,
            limit: 10,
            prefix: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub year: Option<i32>,
    pub score: f32,
    /// What tells this hit apart: "Brooklynn Prince in The Florida Project (2017)".
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// How many documents matched in all: counted, or past a few thousand matches estimated
    /// (see `total_estimated`).
    pub total: usize,
    pub total_estimated: bool,
}

/// Which words of a query a pass forgives typos in.
#[derive(Debug, Clone, Copy)]
enum Typos {
    None,
    /// Words that are no word of any name in the index.
    InUnknownWords,
    Everywhere,
}

/// Typos allowed in a word: none in very short words, one in short ones, two in longer ones.
fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

/// Articles and particles: in a title they help rank, but a query need not match them ("the
/// parasite" still finds Parasite).
fn is_little_word(word: &str) -> bool {
    const LITTLE: [&str; 16] = [
        "the", "a", "an", "of", "and", "in", "on", "to", "de", "la", "le", "el", "les", "los",
        "der", "die",
    ];
    LITTLE.contains(&word)
}

/// How many words of a normalised name count for coverage (little words do not).
fn significant_words(key: &str) -> usize {
    key.split(' ')
        .filter(|w| !w.is_empty() && !is_little_word(w))
        .count()
        .max(1)
}

/// A four-digit year among other words ("godfather 1974") narrows rather than matches.
fn as_year(word: &str) -> Option<i64> {
    let year: i64 = word.parse().ok()?;
    (word.len() == 4 && (1870..=2100).contains(&year)).then_some(year)
}

impl SearchIndex {
    fn words(&self, text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        words
    }

    /// One word, matched in any text field: exactly, with typos, or (the last word, or any in
    /// prefix mode) as the start of a longer word.
    fn word_query(&self, word: &str, as_prefix: bool, typos: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let boosted = |query: Box<dyn Query>, weight: f32| -> Box<dyn Query> {
            Box::new(BoostQuery::new(query, weight))
        };
        // What matches: the word in any of the names (one posting list), or, with typos or
        // unfinished, a word close to it or starting with it; these score a constant.
        let term = Term::from_field_text(f.all_names, word);
        let mut matchers: Vec<Box<dyn Query>> = Vec::new();
        let distance = if typos { typo_distance(word) } else { 0 };
        if distance > 0 {
            matchers.push(boosted(
                Box::new(FuzzyTermQuery::new(term.clone(), distance, true)),
                1.2,
            ));
        }
        if as_prefix {
            let prefix: Box<dyn Query> = if word.chars().count() <= WORD_START_CHARS {
                let start = Term::from_field_text(f.word_starts, word);
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(start, IndexRecordOption::Basic)),
                    1.0,
                ))
            } else {
                Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, false))
            };
            matchers.push(boosted(prefix, 1.5));
        }
        // Both automata hold the word itself; alone, the word is matched exactly.
        let matcher: Box<dyn Query> = match matchers.len() {
            0 => Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                0.0,
            )),
            1 => matchers.remove(0),
            _ => Box::new(SumQuery::new(matchers)),
        };
        // Exact words score by BM25, a name weighing more than an other name or a character:
        // looked up only for the documents that match every word.
        let scorers = [(f.name, 3.0), (f.other_names, 2.0), (f.characters, 1.5)]
            .into_iter()
            .map(|(field, weight)| {
                let term = Term::from_field_text(field, word);
                boosted(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    weight,
                )
            })
            .collect();
        Box::new(MatchThenScore::new(matcher, scorers))
    }

    /// Filters narrow without scoring: a kind or genre term would otherwise add its own weight
    /// (more for a rarer kind) to every hit.
    fn filters(&self, query: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !query.kinds.is_empty() {
            let kinds: Vec<(Occur, Box<dyn Query>)> = query
                .kinds
                .iter()
                .map(|k| {
                    let term = Term::from_field_text(f.kind, k.as_str());
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            filters.push(filter(BooleanQuery::new(kinds)));
        }
        if let Some((from, to)) = query.years {
            let range = RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.year, i64::from(from))),
                Bound::Included(Term::from_field_i64(f.year, i64::from(to))),
            );
            filters.push(filter(range));
        }
        if let Some(genre) = &query.genre {
            let term = Term::from_field_text(f.genres, &genre.to_lowercase());
            filters.push(filter(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        filters
    }

    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        if query.limit == 0 {
            return Err(Error::BadQuery("the limit must be at least 1".into()));
        }
        if let Some((from, to)) = query.years
            && from > to
        {
            return Err(Error::BadQuery(format!(
                "the year range {from}..{to} is empty"
            )));
        }
        let all_words = self.words(&query.text);
        let years: Vec<i64> = all_words.iter().filter_map(|w| as_year(w)).collect();
        let words: Vec<&String> = if years.len() < all_words.len() {
            all_words.iter().filter(|w| as_year(w).is_none()).collect()
        } else {
            all_words.iter().collect()
        };
        let years = if words.len() < all_words.len() {
            years
        } else {
            Vec::new()
        };
        if words.is_empty() {
            return Ok(SearchResults::default());
        }
        // Every word must match (but for little words such as "the", which only help rank):
        // first as typed, then with the last word unfinished, then with typos forgiven in the
        // words the index does not know, then in every word; failing that, the most words that
        // can. Each step runs only when the one before found nothing: prefix and typo automata
        // are the dear part of a query, most queries need neither, and a typo automaton for a
        // common word gathers hundreds of thousands of documents.
        // Search-as-you-type starts with the last word unfinished.
        let all_little = words.iter().all(|w| is_little_word(w));
        let passes: &[(Occur, bool, Typos)] = if query.prefix {
            &[
                (Occur::Must, true, Typos::None),
                (Occur::Must, true, Typos::InUnknownWords),
                (Occur::Must, true, Typos::Everywhere),
                (Occur::Should, true, Typos::Everywhere),
            ]
        } else {
            &[
                (Occur::Must, false, Typos::None),
                (Occur::Must, true, Typos::None),
                (Occur::Must, true, Typos::InUnknownWords),
                (Occur::Must, true, Typos::Everywhere),
                (Occur::Should, true, Typos::Everywhere),
            ]
        };
        let searcher = self.reader.searcher();
        let known: Vec<bool> = words
            .iter()
            .map(|w| {
                let term = Term::from_field_text(self.fields.all_names, w);
                searcher.doc_freq(&term).is_ok_and(|n| n > 0)
            })
            .collect();
        let mut done: Vec<(bool, bool, Vec<bool>)> = Vec::new();
        for &(occur, unfinished, typos) in passes {
            let forgiven: Vec<bool> = known
                .iter()
                .map(|&known| match typos {
                    Typos::None => false,
                    Typos::InUnknownWords => !known,
                    Typos::Everywhere => true,
                })
                .collect();
            // A pass that would ask what an earlier one asked is skipped (with one word, any
            // word is every word).
            let pass = (
                occur == Occur::Must || words.len() == 1,
                unfinished,
                forgiven.clone(),
            );
            if done.contains(&pass) {
                continue;
            }
            done.push(pass);
            let typos = forgiven.iter().any(|&f| f);
            let last = words.len() - 1;
            let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut optional: Vec<Box<dyn Query>> = Vec::new();
            for (i, w) in words.iter().enumerate() {
                // Words before the last are complete; the last may be unfinished (always in
                // prefix mode, from three letters otherwise).
                let as_prefix = unfinished && i == last && (query.prefix || w.chars().count() >= 3);
                let word = self.word_query(w, as_prefix, forgiven[i]);
                if occur == Occur::Must && (all_little || !is_little_word(w)) {
                    required.push((Occur::Must, word));
                } else {
                    optional.push(word);
                }
            }
            // A name equal to the whole query outscores any partial match, so it is among the
            // fetched hits however common its words are.
            optional.push(Box::new(BoostQuery::new(self.exact_name(query), 100.0)));
            // The optional clauses are one sum, so that a document matching several is
            // scored without tantivy's buffered union. With no word required (the last pass),
            // a document must match one of them.
            let optional: Box<dyn Query> = Box::new(SumQuery::new(optional));
            let mut clauses = required;
            clauses.push((
                if occur == Occur::Must {
                    Occur::Should
                } else {
                    Occur::Must
                },
                optional,
            ));
            clauses.extend(self.filters(query));
            // One whole word scores alike in every name that has it (names carry no length
            // norms): popularity alone orders those hits, which is much cheaper to collect.
            let by_popularity = words.len() == 1 && years.is_empty() && !unfinished && !typos;
            let results = self.run(&BooleanQuery::new(clauses), query, &years, by_popularity)?;
            if results.total > 0 {
                return Ok(results);
            }
        }
        Ok(SearchResults::default())
    }

    /// Documents named exactly the query (year words left out).
    fn exact_name(&self, query: &SearchQuery) -> Box<dyn Query> {
        let term = Term::from_field_text(self.fields.name_keys, &strip_years(&query.text));
        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
    }

    /// The best matches of `query` (see [`Ranked`]), and names equal to the query however far
    /// down the popularity order they are.
    fn run(
        &self,
        query: &dyn Query,
        request: &SearchQuery,
        years: &[i64],
        by_popularity: bool,
    ) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        // No more hits than documents, however large the limit asked (the CLI's `--limit` takes
        // any number): the collectors size their buffers by it.
        let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let limit = request.limit.min(documents).max(1);
        let ranked = |fetch, by_popularity| Ranked {
            fetch,
            scan: SCAN_LIMIT,
            boosts: self.boosts.clone(),
            years: years.to_vec(),
            by_popularity,
        };
        // Fetch more than asked: exact names move up after scoring.
        let fetch = limit.saturating_mul(2).max(20);
        let mut found = searcher.search(query, &ranked(fetch, by_popularity))?;
        let exact = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, self.exact_name(request)),
        ]);
        // Among themselves, names equal to the query rank by popularity.
        let exact = searcher.search(&exact, &ranked(limit, true))?;
        for (score, address) in exact.top {
            if !found.top.iter().any(|(_, a)| *a == address) {
                found.top.push((score, address));
            }
        }
        self.rank(&searcher, request, found)
    }

    /// Turns the fetched documents into hits, in the order a reader expects.
    fn rank(
        &self,
        searcher: &tantivy::Searcher,
        request: &SearchQuery,
        found: Found,
    ) -> Result<SearchResults> {
        let Found { top, total, exact } = found;
        let wanted = strip_years(&request.text);
        let wanted_words = significant_words(&wanted);
        let mut hits: Vec<(bool, Hit)> = Vec::with_capacity(top.len());
        for (score, address) in top {
            let (mut hit, names) = self.hit(searcher, address, score)?;
            let exact = names.iter().any(|n| normalize::key(n) == wanted);
            // Of two names that match, the one the query covers more of is the likelier: "tyde"
            // means "Tide" before "The Tide Keepers".
            // Gently: BM25 already favours short names where the words match exactly.
            let name = normalize::key(&hit.name);
            let coverage = (wanted_words as f32 / significant_words(&name) as f32).min(1.0);
            hit.score *= 0.75 + 0.25 * coverage;
            // The words in the order typed: a name that starts with them is what a reader
            // typing it is after ("corzed sha" → "Corzed Shapraost").
            if name.starts_with(&wanted) {
                hit.score *= 1.6;
            } else if name.contains(&wanted) {
                hit.score *= 1.25;
            }
            hits.push((exact, hit));
        }
        // Exact names first: their scores are lifted above every other hit's, so the scores
        // programs see agree with the order.
        let best = hits.iter().map(|(_, h)| h.score).fold(0.0_f32, f32::max);
        for (exact, hit) in &mut hits {
            if *exact {
                hit.score += best;
            }
        }
        hits.sort_by(|(_, a), (_, b)| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.name.cmp(&b.name))
        });
        hits.truncate(request.limit);
        Ok(SearchResults {
            hits: hits.into_iter().map(|(_, hit)| hit).collect(),
            total,
            total_estimated: !exact,
        })
    }

    /// The hit at `address`, and the names it goes by.
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: Score,
    ) -> Result<(Hit, Vec<String>)> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let kind = text(f.kind)
            .and_then(|k| k.parse().ok())
            .unwrap_or(Kind::Film);
        let name = text(f.name).unwrap_or_default();
        let mut names = vec![name.clone()];
        names.extend(
            doc.get_all(f.other_names)
                .filter_map(|v| v.as_str())
                .map(str::to_string),
        );
        let year = doc
            .get_first(f.year)
            .and_then(|v| v.as_i64())
            .and_then(|y| i32::try_from(y).ok());
        let hit = Hit {
            kind,
            id: text(f.id).unwrap_or_default(),
            name,
            year,
            score,
            detail: text(f.detail),
        };
        Ok((hit, names))
    }
}

/// A filter: required, and adding nothing to the score.
fn filter(query: impl Query) -> (Occur, Box<dyn Query>) {
    (
        Occur::Must,
        Box::new(ConstScoreQuery::new(Box::new(query), 0.0)),
    )
}

/// The query's normalised key without its year words: what an exact name would equal.
fn strip_years(text: &str) -> String {
    let key = normalize::key(text);
    let words: Vec<&str> = key.split(' ').collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| as_year(w).is_none())
        .collect();
    if kept.is_empty() { key } else { kept.join(" ") }
}

#[cfg(test)]
mod tests {

    #[test]
    fn year_ranges_as_people_write_them() {
        assert_eq!(parse_years("2017"), Ok((2017, 2017)));
        assert_eq!(parse_years("2010..2020"), Ok((2010, 2020)));
        assert_eq!(parse_years("2010.."), Ok((2010, i32::MAX)));
        assert_eq!(parse_years("..1999"), Ok((i32::MIN, 1999)));
        for bad in ["", "..", "soon", "2020..2010"] {
            assert!(parse_years(bad).is_err(), "{bad:?}");
        }
    }
    use super::*;

    #[test]
    fn typo_distance_grows_with_the_word() {
        assert_eq!(typo_distance("up"), 0);
        assert_eq!(typo_distance("baker"), 1);
        assert_eq!(typo_distance("projekt"), 2);
    }

    #[test]
    fn years_are_recognised_among_words() {
        assert_eq!(as_year("1974"), Some(1974));
        assert_eq!(as_year("300"), None);
        assert_eq!(as_year("9999"), None);
        assert_eq!(
            strip_years("The Godfather Part II 1974"),
            "the godfather part ii"
        );
        assert_eq!(strip_years("1917"), "1917");
    }
}
