//! Search latency at IMDb scale, Kinograph's engine beside SQLite FTS5 on the same names.
//!
//! Run: `cargo bench -p kinograph-search --bench search_latency`
//! (`KINOGRAPH_BENCH_TITLES=N` sets the number of titles; 1,000,000 by default, plus half as
//! many people). It generates a synthetic catalog (seeded, so every run sees the same data) with
//! Zipf-distributed popularity, indexes it both ways in a temporary folder, then times a mixed
//! query set one query at a time and prints a Markdown table for BENCHMARKS.md.
//! `KINOGRAPH_BENCH_DEBUG=1` also lists the prefix queries whose target was not answered first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use kinograph_search::{SearchIndex, SearchQuery, add_entries};

#[path = "support/synthetic.rs"]
mod synthetic;

use synthetic::{Probe, catalog, ms, percentile, queries};

fn folder_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| {
                    let meta = e.metadata().ok();
                    match meta {
                        Some(m) if m.is_dir() => folder_size(&e.path()),
                        Some(m) => m.len(),
                        None => 0,
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// FTS5 syntax for the same words: each quoted, the last one a prefix.
fn fts5_query(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {last}*", rest.join(" ")),
        Some((last, _)) => format!("{last}*"),
        None => String::new(),
    }
}

struct Timing {
    engine: &'static str,
    build: Duration,
    bytes: u64,
    latencies: Vec<Duration>,
    /// (query kind, queries with a target, answered with the target first)
    right_first: Vec<(&'static str, usize, usize)>,
}

impl Timing {
    fn record(&mut self, probe: &Probe, took: Duration, first: Option<&str>) {
        self.latencies.push(took);
        let Some(target) = &probe.target else { return };
        let right = first.is_some_and(|name| name.to_lowercase() == *target);
        match self
            .right_first
            .iter_mut()
            .find(|(kind, _, _)| *kind == probe.kind)
        {
            Some((_, total, hits)) => {
                *total += 1;
                *hits += usize::from(right);
            }
            None => self.right_first.push((probe.kind, 1, usize::from(right))),
        }
    }
}

fn main() {
    let titles: usize = std::env::var("KINOGRAPH_BENCH_TITLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let query_count = 2_000;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let entries = catalog(titles);
    eprintln!(
        "generated {} entries in {:?}",
        entries.len(),
        started.elapsed()
    );
    let set = queries(&entries, query_count);

    // Kinograph's engine.
    let started = Instant::now();
    let index = SearchIndex::open(dir.path()).unwrap();
    add_entries(&index, &entries).unwrap();
    let kinograph_build = started.elapsed();
    eprintln!(
        "kinograph index: {:?}, {} documents",
        kinograph_build,
        index.len()
    );
    for probe in set.iter().take(200) {
        index
            .search(&SearchQuery::new(probe.text.as_str()))
            .unwrap();
    }
    let mut kinograph = Timing {
        engine: "Kinograph (tantivy, typo-tolerant)",
        build: kinograph_build,
        bytes: folder_size(&dir.path().join(kinograph_search::INDEX_DIR)),
        latencies: Vec::with_capacity(set.len()),
        right_first: Vec::new(),
    };
    let mut per_kind: Vec<(&str, Vec<Duration>)> = Vec::new();
    for probe in &set {
        let started = Instant::now();
        let mut query = SearchQuery::new(probe.text.as_str());
        // Prefix probes are what a search box sends as the reader types.
        query.prefix = probe.kind == "prefix";
        let results = index.search(&query).unwrap();
        let took = started.elapsed();
        kinograph.record(probe, took, results.hits.first().map(|h| h.name.as_str()));
        if std::env::var_os("KINOGRAPH_BENCH_DEBUG").is_some() && probe.kind == "prefix" {
            let first = results.hits.first().map(|h| h.name.to_lowercase());
            if first.as_ref() != probe.target.as_ref() {
                eprintln!(
                    "MISS {:?} want {:?} got {:?}",
                    probe.text, probe.target, first
                );
            }
        }
        match per_kind.iter_mut().find(|(k, _)| *k == probe.kind) {
            Some((_, list)) => list.push(took),
            None => per_kind.push((probe.kind, vec![took])),
        }
    }

    // SQLite FTS5 on the same names.
    let db_path = dir.path().join("fts5.sqlite");
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(&db_path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE names USING fts5(name, id UNINDEXED, log_popularity UNINDEXED,
                                               tokenize = 'unicode61 remove_diacritics 2');",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO names (name, id, log_popularity) VALUES (?1, ?2, ?3)")
            .unwrap();
        for e in &entries {
            insert
                .execute(rusqlite::params![e.name, e.id, (1.0 + e.popularity).ln()])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("INSERT INTO names(names) VALUES ('optimize');")
        .unwrap();
    let fts_build = started.elapsed();
    eprintln!("fts5 index: {:?}", fts_build);
    let mut stmt = conn
        .prepare("SELECT name FROM names WHERE names MATCH ?1 ORDER BY bm25(names) - log_popularity LIMIT 10")
        .unwrap();
    let mut fts = Timing {
        engine: "SQLite FTS5 (bm25 + popularity, prefix on the last word)",
        build: fts_build,
        bytes: std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0),
        latencies: Vec::with_capacity(set.len()),
        right_first: Vec::new(),
    };
    let mut fts_search = |text: &str| -> Vec<String> {
        stmt.query_map([fts5_query(text)], |r| r.get(0))
            .unwrap()
            .filter_map(|r| r.ok())
            .collect()
    };
    for probe in set.iter().take(200) {
        fts_search(&probe.text);
    }
    for probe in &set {
        let started = Instant::now();
        let names = fts_search(&probe.text);
        fts.record(probe, started.elapsed(), names.first().map(String::as_str));
    }

    println!(
        "Catalog: {titles} titles + {} people (synthetic, Zipf popularity); {} queries, one at a time, after 200 warm-up queries.\n",
        titles / 2,
        set.len()
    );
    println!("| engine | build | size | p50 ms | p99 ms | mean ms |");
    println!("|---|---|---|---|---|---|");
    for t in [&mut kinograph, &mut fts] {
        t.latencies.sort();
        let mean = t.latencies.iter().sum::<Duration>() / t.latencies.len() as u32;
        println!(
            "| {} | {:.1} s | {} MB | {} | {} | {} |",
            t.engine,
            t.build.as_secs_f64(),
            t.bytes / 1_000_000,
            ms(percentile(&t.latencies, 0.5)),
            ms(percentile(&t.latencies, 0.99)),
            ms(mean),
        );
    }
    println!(
        "\nThe name looked for, answered first:\n\n| query kind | Kinograph | SQLite FTS5 |\n|---|---|---|"
    );
    for ((kind, total, k), (_, _, f)) in kinograph.right_first.iter().zip(&fts.right_first) {
        println!("| {kind} | {k} of {total} | {f} of {total} |");
    }
    println!(
        "\nKinograph by query kind:\n\n| kind | queries | p50 ms | p99 ms |\n|---|---|---|---|"
    );
    for (kind, mut list) in per_kind {
        list.sort();
        println!(
            "| {kind} | {} | {} | {} |",
            list.len(),
            ms(percentile(&list, 0.5)),
            ms(percentile(&list, 0.99))
        );
    }
}
