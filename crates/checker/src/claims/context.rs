//! What every recogniser needs: the essay, its sentences and linked mentions, the catalog,
//! and the rules for finding whose fact a value is.

use std::ops::Range;

use kinograph_catalog::{NominationView, ordinal};

use super::patterns::Patterns;
use super::{Claim, ClaimKind, Evidence, Verdict};
use crate::facts::Lookup;
use crate::mentions::Mention;
use crate::names::MentionKind;

/// Words that point back to a person or a film named before.
const PERSON_PRONOUNS: &[&str] = &[
    "he",
    "she",
    "his",
    "her",
    "them",
    "him",
    "they",
    "their",
    "director",
    "filmmaker",
    "actor",
    "actress",
];
const FILM_PRONOUNS: &[&str] = &[
    "it",
    "its",
    "film",
    "movie",
    "picture",
    "feature",
    "screenplay",
    "script",
    "epic",
    "drama",
    "musical",
    "comedy",
    "thriller",
    "romance",
    "western",
    "documentary",
    "biopic",
];

/// Words whose object is not the sentence's subject.
const PREPOSITIONS: &[&str] = &[
    "with",
    "by",
    "from",
    "against",
    "to",
    "of",
    "alongside",
    "beside",
    "over",
    "than",
    "like",
    "about",
    "after",
    "before",
    "behind",
    "opposite",
    "starring",
    "featuring",
    "for",
    "in",
    "at",
    "on",
    "into",
    "under",
    "as",
];

/// Capitalised words that are not a clause's subject (nor are the months).
const NOT_SUBJECTS: &[&str] = &[
    "I",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Oscar",
    "Oscars",
    "Academy",
    "Awards",
    "Award",
    "Best",
];

/// How far back (bytes) counts as lately named, for what a pronoun stands for.
const ANAPHORA_REACH: usize = 1200;

pub(crate) struct Context<'a> {
    pub essay: &'a str,
    pub mentions: &'a [Mention],
    pub sentences: Vec<Range<usize>>,
    pub lookup: Lookup<'a>,
    pub patterns: &'a Patterns,
    /// Byte ranges of heading lines: titles make no claims.
    pub headings: Vec<Range<usize>>,
    /// Where the record patterns match: the counts inside a record ("the first person to win
    /// four Oscars for a single film") are the record's, not claims of their own.
    pub record_phrases: Vec<Range<usize>>,
    /// How often each entity is named in the essay.
    times_named: std::collections::HashMap<&'a str, usize>,
}

/// A linked mention: its place and entity id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Named<'m> {
    pub mention: &'m Mention,
    pub id: &'m str,
    pub name: &'m str,
}

impl<'a> Context<'a> {
    pub fn new(
        essay: &'a str,
        mentions: &'a [Mention],
        lookup: Lookup<'a>,
        patterns: &'a Patterns,
        headings: Vec<Range<usize>>,
    ) -> Self {
        let record_phrases = patterns
            .first_to_win_for_one_film
            .find_iter(essay)
            .chain(patterns.record_count.find_iter(essay))
            .map(|m| m.range())
            .collect();
        let mut times_named = std::collections::HashMap::new();
        for m in mentions {
            if let Some(entity) = &m.entity {
                *times_named.entry(entity.id.as_str()).or_insert(0) += 1;
            }
        }
        Context {
            essay,
            mentions,
            sentences: super::sentences::sentences(essay),
            lookup,
            patterns,
            headings,
            record_phrases,
            times_named,
        }
    }

    fn times_named(&self, id: &str) -> usize {
        self.times_named.get(id).copied().unwrap_or(0)
    }

    /// Whether `at` lies in a heading.
    pub fn in_heading(&self, at: usize) -> bool {
        self.headings.iter().any(|h| h.start <= at && at < h.end)
    }

    pub fn text(&self, range: Range<usize>) -> &'a str {
        self.essay.get(range).unwrap_or("")
    }

    /// Linked mentions of `kinds` inside `range`, in text order.
    pub fn named_in(&self, range: Range<usize>, kinds: &[MentionKind]) -> Vec<Named<'a>> {
        self.mentions
            .iter()
            .filter(|m| m.start >= range.start && m.end <= range.end && kinds.contains(&m.kind))
            .filter_map(|m| {
                let entity = m.entity.as_ref()?;
                Some(Named {
                    mention: m,
                    id: entity.id.as_str(),
                    name: entity.name.as_str(),
                })
            })
            .collect()
    }

    /// The linked mention of `kinds` that starts exactly at `at` (after spaces, quotes and
    /// emphasis marks).
    pub fn named_at(&self, at: usize, kinds: &[MentionKind]) -> Option<Named<'a>> {
        let rest = self.essay.get(at..)?;
        let skipped = rest.len()
            - rest
                .trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '\'' | '*' | '_')
                })
                .len();
        let start = at + skipped;
        self.named_in(start..self.essay.len(), kinds)
            .into_iter()
            .find(|n| n.mention.start == start)
    }

    /// The linked mention of `kinds` that ends exactly at `at` (before closing quotes and
    /// emphasis marks, and a possessive).
    pub fn named_ending_at(&self, at: usize, kinds: &[MentionKind]) -> Option<Named<'a>> {
        let before = self.essay.get(..at)?;
        let trimmed = before.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | '*' | '_')
        });
        let end = trimmed.len();
        self.named_in(0..at, kinds)
            .into_iter()
            .rfind(|n| n.mention.end == end)
    }

    /// The sentence holding byte `at`.
    pub fn sentence_at(&self, at: usize) -> Range<usize> {
        self.sentences
            .iter()
            .find(|s| s.start <= at && at < s.end.max(s.start + 1))
            .cloned()
            .unwrap_or(at..at)
    }

    /// Whose fact a value at `at` states: the nearest linked mention of `kinds` before it in
    /// its clause, else in its sentence; failing that, when the words before it point back
    /// ("he", "the film"), the nearest such mention in the sentences before. A clause that
    /// names someone the catalog does not know ("and Kaminski's photography earned …") has
    /// that subject, so no other is looked for.
    pub fn subject(
        &self,
        sentence: &Range<usize>,
        at: usize,
        kinds: &[MentionKind],
    ) -> Option<Named<'a>> {
        // A possessive is not the subject: in "La La Land, Damien Chazelle's musical, had
        // fourteen nominations" the count is the film's.
        let possessive = |n: &Named<'_>| {
            let after = self.text(n.mention.end..at);
            after.starts_with("’s") || after.starts_with("'s")
        };
        // Nor is the object of a preposition: in "Fargo, with Holly Hunter as Marge, had won
        // them Best Original Screenplay" the award is the film's.
        let governed = |n: &Named<'_>| self.governed(n);
        let clause = self.clause_start(sentence, at);
        let mut in_clause = self.named_in(clause..at, kinds);
        if in_clause.len() > 1 {
            in_clause.retain(|n| !possessive(n));
        }
        // Nor a name inside an apposition ("Rebecca (1941), another Selznick production, won").
        let appositive = |n: &Named<'_>| {
            let before = self.text(sentence.start..n.mention.start).to_lowercase();
            [
                ", another ",
                ", a ",
                ", an ",
                ", the ",
                ", his ",
                ", her ",
                ", their ",
            ]
            .iter()
            .any(|lead| before.ends_with(lead))
        };
        if in_clause.len() > 1 {
            in_clause.retain(|n| !appositive(n));
        }
        let objects = in_clause.clone();
        in_clause.retain(|n| !governed(n));
        if let Some(nearest) = in_clause.pop() {
            return Some(nearest);
        }
        // A clause that names only objects ("\"Into the West\", which he wrote with Fran Walsh
        // and Annie Lennox, was crowned …"): they are what it is about.
        if let Some(object) = objects.last() {
            return Some(*object);
        }
        if clause > sentence.start && self.names_unknown_subject(clause..at) {
            return None;
        }
        let mut before = self.named_in(sentence.start..at, kinds);
        if before.len() > 1 {
            before.retain(|n| !possessive(n));
        }
        before.retain(|n| !governed(n));
        if let Some(nearest) = before.pop() {
            return Some(nearest);
        }
        self.antecedent(sentence, at, kinds)
    }

    /// Whether a mention is the object of a preposition, itself or as one of a list ("alongside
    /// Ben-Hur (1959) and Titanic (1997)"): then it is not what the sentence is about.
    pub fn governed(&self, n: &Named<'_>) -> bool {
        let sentence = self.sentence_at(n.mention.start);
        let mut at = n.mention.start;
        loop {
            let before = self.text(sentence.start..at);
            let trimmed = before.trim_end_matches(|c: char| {
                c.is_whitespace()
                    || matches!(c, ',' | '(' | ')' | '*' | '_' | '"' | '“' | '”')
                    || c.is_ascii_digit()
            });
            // Step over a mention of the list.
            if let Some(previous) = self
                .mentions
                .iter()
                .rfind(|m| m.end == sentence.start + trimmed.len() && m.entity.is_some())
            {
                at = previous.start;
                continue;
            }
            let word = trimmed
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            if matches!(word.as_str(), "and" | "or") {
                at = sentence.start + trimmed.len() - word.len();
                continue;
            }
            return PREPOSITIONS.contains(&word.as_str());
        }
    }

    /// Where the clause holding `at` starts: after the last "; ", ", and ", ", but ", " — "
    /// before it in its sentence.
    pub fn clause_start(&self, sentence: &Range<usize>, at: usize) -> usize {
        let before = self.text(sentence.start..at);
        [
            ";",
            ", and ",
            ", but ",
            ", while ",
            " — ",
            " – ",
            ", whereas ",
        ]
        .iter()
        .filter_map(|sep| before.rfind(sep).map(|i| i + sep.len()))
        .max()
        .map_or(sentence.start, |i| sentence.start + i)
    }

    /// Whether a clause opens with a capitalised name that is not linked (a subject the
    /// catalog does not know).
    fn names_unknown_subject(&self, clause: Range<usize>) -> bool {
        let text = self.text(clause.clone());
        let mut offset = clause.start;
        for word in text.split(' ') {
            let start = offset;
            offset += word.len() + 1;
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if bare.is_empty()
                || !bare.chars().next().is_some_and(char::is_uppercase)
                || NOT_SUBJECTS.contains(&bare)
                || super::numbers::month_number(bare).is_some()
            {
                continue;
            }
            let linked = self
                .mentions
                .iter()
                .any(|m| m.start < start + word.len() && start < m.end);
            if !linked {
                return true;
            }
        }
        false
    }

    /// The essay's main film or person before `sentence` (named most, named first), for a
    /// value with no subject in its sentence ("Those thirteen nominations were the most …").
    pub fn main_subject(
        &self,
        sentence: &Range<usize>,
        kinds: &[MentionKind],
    ) -> Option<Named<'a>> {
        let before = self.named_in(0..sentence.start, kinds);
        let first = before.first().map(|n| n.id);
        before
            .iter()
            .max_by_key(|n| self.times_named(n.id) + if Some(n.id) == first { 2 } else { 0 })
            .copied()
    }

    /// The essay's main film, for a value whose clause names no subject at all ("Two
    /// nominations is a small haul", "Those thirteen nominations were the most …"); not when
    /// some other noun may be the subject ("each brother took home three").
    pub fn bare_subject(&self, sentence: &Range<usize>, at: usize) -> Option<Named<'a>> {
        const BARE: &[&str] = &[
            "those",
            "these",
            "the",
            "its",
            "it",
            "this",
            "that",
            "and",
            "but",
            "with",
            "all",
            "only",
            "a",
            "an",
            "then",
            "also",
            "still",
            "in",
            "total",
            "so",
            "yet",
            "were",
            "was",
            "is",
            "are",
            "had",
            "has",
            "nominations",
            "nods",
            "wins",
            "oscars",
            "awards",
            "statuettes",
        ];
        let clause = self.clause_start(sentence, at);
        let bare = self
            .text(clause..at)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| {
                BARE.contains(&w.to_lowercase().as_str()) || super::numbers::count(w).is_some()
            });
        if !bare {
            return None;
        }
        self.main_subject(sentence, &[MentionKind::Film])
    }

    /// What a pronoun before `at` in `sentence` points back to.
    pub fn antecedent(
        &self,
        sentence: &Range<usize>,
        at: usize,
        kinds: &[MentionKind],
    ) -> Option<Named<'a>> {
        let before = self.text(sentence.start..at).to_lowercase();
        let words: Vec<&str> = before
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let wants_person = kinds.contains(&MentionKind::Person)
            && words.iter().any(|w| PERSON_PRONOUNS.contains(w));
        // "the film" points back; "a film" does not.
        let wants_film = kinds.contains(&MentionKind::Film)
            && words.iter().enumerate().any(|(i, w)| {
                FILM_PRONOUNS.contains(w)
                    && !(i > 0
                        && matches!(
                            words[i - 1],
                            "a" | "an" | "another" | "any" | "every" | "one"
                        ))
            });
        let wanted: Vec<MentionKind> = kinds
            .iter()
            .copied()
            .filter(|k| {
                (*k == MentionKind::Person && wants_person)
                    || (*k == MentionKind::Film && wants_film)
            })
            .collect();
        if wanted.is_empty() {
            return None;
        }
        // The essay's main subject is likelier than a passing mention: named more often,
        // named first; what was named lately (within reach) comes next, the nearest first.
        let reach = sentence.start.saturating_sub(ANAPHORA_REACH);
        let before = self.named_in(0..sentence.start, &wanted);
        let previous_sentence = self
            .sentences
            .iter()
            .rfind(|s| s.end <= sentence.start)
            .map_or(sentence.start, |s| s.start);
        let paragraph = self.essay[..sentence.start]
            .trim_end()
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let first_named: Vec<&str> = wanted
            .iter()
            .filter_map(|k| {
                self.named_in(0..self.essay.len(), &[*k])
                    .first()
                    .map(|n| n.id)
            })
            .collect();
        let weight = |n: &Named<'_>| {
            let times = self.times_named(n.id);
            let first = if first_named.contains(&n.id) { 2 } else { 0 };
            // Named in the sentence before, or earlier in the paragraph: what the writer is
            // on about now ("Shot on three iPhones for about $100,000, it follows …").
            let recent = if self.governed(n) {
                0
            } else if n.mention.start >= previous_sentence {
                4
            } else if n.mention.start >= paragraph {
                3
            } else if n.mention.start >= reach {
                1
            } else {
                0
            };
            times + first + recent
        };
        // `max_by_key` keeps the last of equals: the nearest.
        before.iter().max_by_key(|n| weight(n)).copied()
    }

    /// Whether words `range` are already claimed by a claim of one of `kinds`.
    pub fn claimed(found: &[Claim], range: &Range<usize>, kinds: &[ClaimKind]) -> bool {
        found.iter().any(|c| {
            kinds.contains(&c.kind) && c.value.start < range.end && range.start < c.value.end
        })
    }

    /// A claim over `range`, widened to take in its subject when the subject sits before it
    /// in the same sentence.
    pub fn claim(
        &self,
        range: Range<usize>,
        subject: Option<&Named<'_>>,
        kind: ClaimKind,
        verdict: Verdict,
        evidence: Vec<Evidence>,
    ) -> Claim {
        let sentence = self.sentence_at(range.start);
        let start = match subject {
            Some(s) if s.mention.start >= sentence.start && s.mention.start < range.start => {
                s.mention.start
            }
            _ => range.start,
        };
        let end = range.end.max(subject.map_or(0, |s| {
            if s.mention.end <= sentence.end {
                s.mention.end
            } else {
                0
            }
        }));
        // Not the punctuation a pattern read to find where the value ends (a closing bracket
        // only when it closes nothing in the claim).
        let mut text = self.text(start..end);
        loop {
            let trimmed = text.trim_end_matches([',', ';', '.', ':', '–', '—', ' ']);
            let unbalanced = trimmed.ends_with(')')
                && trimmed.matches('(').count() < trimmed.matches(')').count();
            text = if unbalanced {
                &trimmed[..trimmed.len() - 1]
            } else {
                trimmed
            };
            if text.len() == trimmed.len() {
                break;
            }
        }
        // …but never into a name ("Robert Downey Jr.").
        let named_end = self
            .mentions
            .iter()
            .filter(|m| m.start >= start && m.end <= end)
            .map(|m| m.end)
            .max()
            .unwrap_or(start);
        let end = (start + text.len()).max(named_end);
        Claim {
            text: self.text(start..end).to_string(),
            start,
            end,
            kind,
            verdict,
            evidence,
            value: range,
        }
    }
}

/// One nomination row as evidence: ceremony, category, films, nominees, outcome, and the row
/// it was read from.
pub(crate) fn nomination_evidence(n: &NominationView) -> Evidence {
    let films: Vec<&str> = n.films.iter().map(|f| f.name.as_str()).collect();
    let outcome = if n.winner { "won" } else { "nominated" };
    let counted = if !n.counting.counts_as_nomination {
        " (not counted: not a competitive nomination)"
    } else {
        ""
    };
    let mut fact = format!(
        "{} ceremony ({}), {}: {}",
        ordinal(n.ceremony),
        n.ceremony_years,
        n.category,
        films.join(", ")
    );
    if !n.credit.is_empty() {
        fact.push_str(&format!(" — {}", n.credit));
    }
    fact.push_str(&format!(" — {outcome}{counted}"));
    Evidence::new(fact, n.source.to_string())
}
