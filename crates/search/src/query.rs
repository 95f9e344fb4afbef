//! Queries: words in any order, each matched exactly, with typos, or as a prefix, across names,
//! other names and characters; ranked by relevance, then popularity, exact names first.

use std::ops::Bound;
use std::str::FromStr;

use kinograph_catalog::normalize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Order, Score, SegmentReader, TantivyDocument, Term};

use crate::{Error, Result, SearchIndex, analyzer};

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
    /// How many documents matched in all.
    pub total: usize,
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
        let boosted = |query: Box<dyn Query>, weight: f32| -> (Occur, Box<dyn Query>) {
            (Occur::Should, Box::new(BoostQuery::new(query, weight)))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Exact words score by BM25, a name weighing more than an other name or a character.
        for (field, weight) in [(f.name, 3.0), (f.other_names, 2.0), (f.characters, 1.5)] {
            let term = Term::from_field_text(field, word);
            clauses.push(boosted(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                weight,
            ));
        }
        // Typos and unfinished words score a constant, in any of the names.
        let term = Term::from_field_text(f.all_names, word);
        let distance = if typos { typo_distance(word) } else { 0 };
        if distance > 0 {
            clauses.push(boosted(
                Box::new(FuzzyTermQuery::new(term.clone(), distance, true)),
                1.2,
            ));
        }
        if as_prefix {
            clauses.push(boosted(
                Box::new(FuzzyTermQuery::new_prefix(term, 0, false)),
                1.5,
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

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
            filters.push((Occur::Must, Box::new(BooleanQuery::new(kinds))));
        }
        if let Some((from, to)) = query.years {
            let range = RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.year, i64::from(from))),
                Bound::Included(Term::from_field_i64(f.year, i64::from(to))),
            );
            filters.push((Occur::Must, Box::new(range)));
        }
        if let Some(genre) = &query.genre {
            let term = Term::from_field_text(f.genres, &genre.to_lowercase());
            filters.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
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
        // first as typed, then with the last word unfinished, then with typos forgiven; failing
        // that, the most words that can. Each step runs only when the one before found nothing:
        // prefix and typo automata are the dear part of a query, and most queries need neither.
        // Search-as-you-type starts with the last word unfinished.
        let all_little = words.iter().all(|w| is_little_word(w));
        let passes: &[(Occur, bool, bool)] = if query.prefix {
            &[
                (Occur::Must, true, false),
                (Occur::Must, true, true),
                (Occur::Should, true, true),
            ]
        } else {
            &[
                (Occur::Must, false, false),
                (Occur::Must, true, false),
                (Occur::Must, true, true),
                (Occur::Should, true, true),
            ]
        };
        for &(occur, unfinished, typos) in passes {
            let last = words.len() - 1;
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    // Words before the last are complete; the last may be unfinished (always
                    // in prefix mode, from three letters otherwise).
                    let as_prefix =
                        unfinished && i == last && (query.prefix || w.chars().count() >= 3);
                    let occur = if is_little_word(w) && !all_little {
                        Occur::Should
                    } else {
                        occur
                    };
                    (occur, self.word_query(w, as_prefix, typos))
                })
                .collect();
            // A name equal to the whole query outscores any partial match, so it is among the
            // fetched hits however common its words are.
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(self.exact_name(query), 100.0)),
            ));
            let filters = self.filters(query);
            if occur == Occur::Should && !filters.is_empty() {
                // A disjunction beside filters must still match one word.
                let any = BooleanQuery::new(std::mem::take(&mut clauses));
                clauses.push((Occur::Must, Box::new(any)));
            }
            clauses.extend(filters);
            // One whole word scores alike in every name that has it (names carry no length
            // norms): popularity alone orders those hits, which is much cheaper to collect.
            let by_popularity = words.len() == 1 && years.is_empty() && !unfinished && !typos;
            let results = self.run(&BooleanQuery::new(clauses), query, &years, by_popularity)?;
            if results.total > 0 || (typos && words.len() == 1) {
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

    /// The `fetch` most popular matches of `query`, and how many matched; names equal to the
    /// query are added however unpopular they are.
    fn top_by_popularity(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        request: &SearchQuery,
        fetch: usize,
    ) -> Result<(Vec<(Score, DocAddress)>, usize)> {
        let by_boost =
            |limit| TopDocs::with_limit(limit).order_by_fast_field::<f64>("boost", Order::Desc);
        let (top, total) = searcher.search(query, &(by_boost(fetch), Count))?;
        let mut exact: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.exact_name(request))];
        exact.extend(self.filters(request));
        let exact = searcher.search(&BooleanQuery::new(exact), &by_boost(request.limit))?;
        let mut found: Vec<(Score, DocAddress)> = Vec::with_capacity(top.len() + exact.len());
        for (boost, address) in exact.into_iter().chain(top) {
            if !found.iter().any(|(_, a)| *a == address) {
                found.push((boost.unwrap_or(1.0) as Score, address));
            }
        }
        Ok((found, total))
    }

    fn run(
        &self,
        query: &dyn Query,
        request: &SearchQuery,
        years: &[i64],
        by_popularity: bool,
    ) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        // Fetch more than asked: exact names move up after scoring.
        let fetch = (request.limit * 2).max(20);
        let (top, total) = if by_popularity {
            self.top_by_popularity(&searcher, query, request, fetch)?
        } else {
            self.top_by_relevance(&searcher, query, years, fetch)?
        };
        self.rank(&searcher, request, top, total)
    }

    /// The `fetch` best matches by relevance × popularity (× a year the query names), and how
    /// many matched.
    fn top_by_relevance(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        years: &[i64],
        fetch: usize,
    ) -> Result<(Vec<(Score, DocAddress)>, usize)> {
        let hints = years.to_vec();
        let collector = TopDocs::with_limit(fetch).tweak_score(move |segment: &SegmentReader| {
            let fast = segment.fast_fields();
            let boost = fast.f64("boost").ok().map(|c| c.first_or_default_col(1.0));
            // Years are read only when the query names one.
            let year = if hints.is_empty() {
                None
            } else {
                fast.i64("year")
                    .ok()
                    .map(|c| c.first_or_default_col(i64::MIN))
            };
            let hints = hints.clone();
            move |doc: DocId, score: Score| {
                let mut score = score * boost.as_ref().map_or(1.0, |c| c.get_val(doc)) as f32;
                if let Some(year) = year.as_ref().map(|c| c.get_val(doc)) {
                    if hints.contains(&year) {
                        score *= 3.0;
                    } else if hints.iter().any(|h| (h - year).abs() == 1) {
                        score *= 1.5;
                    }
                }
                score
            }
        });
        Ok(searcher.search(query, &(collector, Count))?)
    }

    /// Turns the fetched documents into hits, in the order a reader expects.
    fn rank(
        &self,
        searcher: &tantivy::Searcher,
        request: &SearchQuery,
        top: Vec<(Score, DocAddress)>,
        total: usize,
    ) -> Result<SearchResults> {
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
