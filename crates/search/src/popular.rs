//! Ranking by popularity, fast: the boost column of each segment kept open, and a collector
//! that, the index being sorted most popular first, scores a query's most popular matches and
//! estimates how many the rest are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// Each segment's boosts, read once from its `boost` column and kept, by segment. Opening the
/// column decodes its block table, and reading it costs a cache miss per document, which for a
/// segment of millions of documents cost more than the rest of a typical query; two bytes a
/// document stay in cache.
#[derive(Clone, Default)]
pub(crate) struct BoostColumns {
    open: Arc<Mutex<HashMap<SegmentId, Boosts>>>,
}

/// One segment's boosts, by document, in steps of 1/4096 above 1.0 (boosts run from 1.0 to
/// about 3.5: the steps are far finer than any difference that should change an order).
#[derive(Clone)]
pub(crate) struct Boosts(Arc<Vec<u16>>);

const BOOST_STEPS: f64 = 4096.0;

impl Boosts {
    fn read(column: &dyn ColumnValues<f64>, documents: u32) -> Boosts {
        let mut steps = Vec::with_capacity(documents as usize);
        let mut chunk = vec![0.0; 65_536];
        let mut start = 0u32;
        while start < documents {
            let len = chunk.len().min((documents - start) as usize);
            column.get_range(u64::from(start), &mut chunk[..len]);
            steps.extend(chunk[..len].iter().map(|&boost| {
                ((boost - 1.0) * BOOST_STEPS)
                    .round()
                    .clamp(0.0, f64::from(u16::MAX)) as u16
            }));
            start += len as u32;
        }
        Boosts(Arc::new(steps))
    }

    pub(crate) fn get(&self, doc: DocId) -> f32 {
        let step = self.0.get(doc as usize).copied().unwrap_or(0);
        (1.0 + f64::from(step) / BOOST_STEPS) as f32
    }
}

/// Segments come and go with merges; past this many, the cache starts again.
const MAX_CACHED_SEGMENTS: usize = 256;

impl BoostColumns {
    /// The boost of each document of `segment` (1.0 where it has none).
    pub(crate) fn of(&self, segment: &SegmentReader) -> Option<Boosts> {
        let id = segment.segment_id();
        if let Some(column) = self.open.lock().ok()?.get(&id) {
            return Some(column.clone());
        }
        let column = segment
            .fast_fields()
            .f64("boost")
            .ok()?
            .first_or_default_col(1.0);
        let column = Boosts::read(column.as_ref(), segment.max_doc());
        let mut open = self.open.lock().ok()?;
        if open.len() >= MAX_CACHED_SEGMENTS {
            open.clear();
        }
        open.insert(id, column.clone());
        Some(column)
    }
}

/// How many matches a query scores in each segment before it stops. Segments are sorted most
/// popular first, so past this many matches a query has seen its most popular ones: the rest
/// are counted by estimate rather than scored. A name equal to the query is found however far
/// down it is (`SearchIndex::run` looks for those apart).
pub(crate) const SCAN_LIMIT: usize = 5_000;

/// The best `fetch` of the first `scan` matches of each segment, ranked by relevance ×
/// popularity (× a year the query names), or by popularity alone; and how many matched.
pub(crate) struct Ranked {
    pub(crate) fetch: usize,
    pub(crate) scan: usize,
    pub(crate) boosts: BoostColumns,
    /// Years the query names: a film of one of them ranks higher, and of a year next to one.
    pub(crate) years: Vec<i64>,
    /// Popularity alone orders the hits (the text scores of every match are alike).
    pub(crate) by_popularity: bool,
}

/// What a [`Ranked`] search found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) top: Vec<(Score, DocAddress)>,
    pub(crate) total: usize,
    /// Whether `total` was counted rather than estimated.
    pub(crate) exact: bool,
}

impl Ranked {
    fn segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
        weight: &dyn Weight,
    ) -> tantivy::Result<Found> {
        let boost = self.boosts.of(reader);
        let year = if self.years.is_empty() {
            None
        } else {
            reader
                .fast_fields()
                .i64("year")
                .ok()
                .map(|c| c.first_or_default_col(i64::MIN))
        };
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        // Kept to twice `fetch` between trims (`fetch` may be as large as the index).
        let keep = self.fetch.saturating_mul(2);
        let mut top: Vec<(Score, DocId)> = Vec::with_capacity(keep.min(4_096));
        let mut seen = 0usize;
        let mut doc = scorer.doc();
        while doc != TERMINATED && seen < self.scan {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                seen += 1;
                let popularity = boost.as_ref().map_or(1.0, |b| b.get(doc));
                let mut score = if self.by_popularity {
                    popularity
                } else {
                    scorer.score() * popularity
                };
                // A film without a year reads as i64::MIN: `abs_diff`, as a subtraction would
                // overflow.
                if let Some(year) = year.as_ref().map(|c| c.get_val(doc)) {
                    if self.years.contains(&year) {
                        score *= 3.0;
                    } else if self.years.iter().any(|y| y.abs_diff(year) == 1) {
                        score *= 1.5;
                    }
                }
                top.push((score, doc));
                if top.len() >= keep {
                    keep_best(&mut top, self.fetch);
                }
            }
            doc = scorer.advance();
        }
        keep_best(&mut top, self.fetch);
        let (total, exact) = if doc == TERMINATED {
            (seen, true)
        } else {
            // Matches are spread over the documents about as the ones scanned were.
            let scanned = f64::from(doc.max(1));
            let estimate = seen as f64 * f64::from(reader.max_doc()) / scanned;
            (estimate.round() as usize, false)
        };
        Ok(Found {
            top: top
                .into_iter()
                .map(|(score, doc)| (score, DocAddress::new(segment, doc)))
                .collect(),
            total,
            exact,
        })
    }
}

/// Keeps the `n` best of `hits` (highest score, then first document).
fn keep_best(hits: &mut Vec<(Score, DocId)>, n: usize) {
    hits.sort_by(|(a, x), (b, y)| b.total_cmp(a).then_with(|| x.cmp(y)));
    hits.truncate(n);
}

impl Collector for Ranked {
    type Fruit = Found;
    type Child = NoSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(NoSegmentCollector)
    }

    fn requires_scoring(&self) -> bool {
        !self.by_popularity
    }

    /// Walks the matches itself, to stop after the first `scan`.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Found> {
        self.segment(segment, reader, weight)
    }

    fn merge_fruits(&self, fruits: Vec<Found>) -> tantivy::Result<Found> {
        let mut merged = Found {
            exact: true,
            ..Found::default()
        };
        for found in fruits {
            merged.top.extend(found.top);
            merged.total += found.total;
            merged.exact &= found.exact;
        }
        merged
            .top
            .sort_by(|(a, x), (b, y)| b.total_cmp(a).then_with(|| x.cmp(y)));
        merged.top.truncate(self.fetch);
        Ok(merged)
    }
}

/// [`Ranked`] walks each segment in `collect_segment`; tantivy still asks for a segment
/// collector, which is never given a document.
pub(crate) struct NoSegmentCollector;

impl SegmentCollector for NoSegmentCollector {
    type Fruit = Found;

    fn collect(&mut self, _: DocId, _: Score) {}

    fn harvest(self) -> Found {
        Found::default()
    }
}
