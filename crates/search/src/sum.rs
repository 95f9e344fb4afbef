//! A union of queries that sums the scores of those that match, without tantivy's buffered
//! union.
//!
//! tantivy's `BooleanQuery` of `Should` clauses reads ahead a window of 4,096 documents and,
//! whenever an intersection seeks past that window, clears and refills it: with millions of
//! documents and a rare word beside a common one, nearly every candidate costs a full window.
//! A word's clauses are few (one per name field, plus a typo and a prefix automaton), so
//! following each of them and taking the smallest document is cheaper, and seeking costs one
//! seek per clause.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError};

/// Matches what any of its clauses matches; scores the sum of the matching clauses' scores.
#[derive(Debug)]
pub(crate) struct SumQuery {
    clauses: Vec<Box<dyn Query>>,
}

impl SumQuery {
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>) -> SumQuery {
        SumQuery { clauses }
    }
}

impl Clone for SumQuery {
    fn clone(&self) -> Self {
        SumQuery {
            clauses: self.clauses.iter().map(|c| c.box_clone()).collect(),
        }
    }
}

impl Query for SumQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|clause| clause.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SumWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct SumWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut clauses = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                clauses.push(scorer);
            }
        }
        Ok(Box::new(SumScorer::new(clauses)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "sum of the matching clauses",
            scorer.score(),
        ))
    }
}

/// Follows every clause; the current document is the smallest any clause is on.
struct SumScorer {
    clauses: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SumScorer {
    fn new(clauses: Vec<Box<dyn Scorer>>) -> SumScorer {
        let mut scorer = SumScorer {
            clauses,
            doc: TERMINATED,
        };
        scorer.doc = scorer.smallest();
        scorer
    }

    fn smallest(&self) -> DocId {
        self.clauses
            .iter()
            .map(|c| c.doc())
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for SumScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let current = self.doc;
        for clause in &mut self.clauses {
            if clause.doc() == current {
                clause.advance();
            }
        }
        self.doc = self.smallest();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for clause in &mut self.clauses {
            if clause.doc() < target {
                clause.seek(target);
            }
        }
        self.doc = self.smallest();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.clauses
            .iter()
            .map(|c| c.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.clauses.iter().map(|c| c.cost()).sum()
    }
}

impl Scorer for SumScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.clauses
            .iter_mut()
            .filter(|c| c.doc() == doc)
            .map(|c| c.score())
            .sum()
    }
}

/// Matches what `matcher` matches; scores the matcher's score plus that of each of `scorers`
/// the document is in. The scorers are only sought on documents that matched everything else:
/// an intersection seeks one posting list per word to find its candidates, not one per field.
#[derive(Debug)]
pub(crate) struct MatchThenScore {
    matcher: Box<dyn Query>,
    scorers: Vec<Box<dyn Query>>,
}

impl MatchThenScore {
    /// Every document a scorer matches must be one `matcher` matches.
    pub(crate) fn new(matcher: Box<dyn Query>, scorers: Vec<Box<dyn Query>>) -> MatchThenScore {
        MatchThenScore { matcher, scorers }
    }
}

impl Clone for MatchThenScore {
    fn clone(&self) -> Self {
        MatchThenScore {
            matcher: self.matcher.box_clone(),
            scorers: self.scorers.iter().map(|c| c.box_clone()).collect(),
        }
    }
}

impl Query for MatchThenScore {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let matcher = self.matcher.weight(enable_scoring)?;
        let scorers = if enable_scoring.is_scoring_enabled() {
            self.scorers
                .iter()
                .map(|clause| clause.weight(enable_scoring))
                .collect::<tantivy::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Ok(Box::new(MatchThenScoreWeight { matcher, scorers }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.matcher.query_terms(visitor);
        for clause in &self.scorers {
            clause.query_terms(visitor);
        }
    }
}

struct MatchThenScoreWeight {
    matcher: Box<dyn Weight>,
    scorers: Vec<Box<dyn Weight>>,
}

impl Weight for MatchThenScoreWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let matcher = self.matcher.scorer(reader, boost)?;
        let mut scorers = Vec::with_capacity(self.scorers.len());
        for weight in &self.scorers {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(Box::new(MatchThenScoreScorer { matcher, scorers }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("match, then score", scorer.score()))
    }
}

struct MatchThenScoreScorer {
    matcher: Box<dyn Scorer>,
    scorers: Vec<Box<dyn Scorer>>,
}

impl DocSet for MatchThenScoreScorer {
    fn advance(&mut self) -> DocId {
        self.matcher.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.matcher.seek(target)
    }

    fn doc(&self) -> DocId {
        self.matcher.doc()
    }

    fn size_hint(&self) -> u32 {
        self.matcher.size_hint()
    }

    fn cost(&self) -> u64 {
        self.matcher.cost()
    }
}

impl Scorer for MatchThenScoreScorer {
    fn score(&mut self) -> Score {
        let doc = self.matcher.doc();
        let mut score = self.matcher.score();
        for scorer in &mut self.scorers {
            if scorer.doc() < doc {
                scorer.seek(doc);
            }
            if scorer.doc() == doc {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument, Term, doc};

    /// The same documents, with the same scores, as a `BooleanQuery` of `Should` clauses.
    #[test]
    fn matches_and_scores_like_a_boolean_union() {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", STRING);
        let b = schema.add_text_field("b", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        for i in 0..10_000u32 {
            let mut document = TantivyDocument::default();
            if i % 3 == 0 {
                document.add_text(a, "x");
            }
            if i % 5 == 0 {
                document.add_text(b, "x");
            }
            if i % 7 == 0 {
                document.add_text(a, "y");
            }
            writer.add_document(document).unwrap();
        }
        writer.add_document(doc!(a => "z")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let clauses = || -> Vec<Box<dyn Query>> {
            vec![
                Box::new(TermQuery::new(
                    Term::from_field_text(a, "x"),
                    IndexRecordOption::Basic,
                )),
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(b, "x"),
                        IndexRecordOption::Basic,
                    )),
                    2.0,
                )),
            ]
        };
        let union = BooleanQuery::new(clauses().into_iter().map(|c| (Occur::Should, c)).collect());
        let sum = SumQuery::new(clauses());
        let top = || TopDocs::with_limit(20_000).order_by_score();
        let (mut expected, expected_count) = searcher.search(&union, &(top(), Count)).unwrap();
        let (mut found, count) = searcher.search(&sum, &(top(), Count)).unwrap();
        assert_eq!(count, expected_count);
        assert_eq!(
            count,
            (0..10_000u32).filter(|i| i % 3 == 0 || i % 5 == 0).count()
        );
        expected.sort_by_key(|(_, address)| *address);
        found.sort_by_key(|(_, address)| *address);
        for ((s1, d1), (s2, d2)) in expected.iter().zip(&found) {
            assert_eq!(d1, d2);
            assert!((s1 - s2).abs() < 1e-5, "{s1} vs {s2}");
        }
        // Inside an intersection: seeking works.
        let both = BooleanQuery::new(vec![
            (Occur::Must, Box::new(sum) as Box<dyn Query>),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(a, "y"),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let count = searcher.search(&both, &Count).unwrap();
        let expected = (0..10_000u32)
            .filter(|i| i % 7 == 0 && (i % 3 == 0 || i % 5 == 0))
            .count();
        assert_eq!(count, expected);
    }
}
