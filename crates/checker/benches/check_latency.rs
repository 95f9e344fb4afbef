//! How long a check takes against a catalog of millions of names, and how long the name
//! automaton takes to build.
//!
//! Run: `cargo bench -p kinograph-checker --bench check_latency`
//! (`KINOGRAPH_BENCH_NAMES=N` sets the number of synthetic titles; 1,000,000 by default, plus
//! half as many people and a quarter as many characters). The catalog is the demo world and,
//! when `../shared` is beside the checkout, the real Academy Awards data, in an in-memory
//! store; the synthetic names are added to the automaton only (they make it big, and the
//! essay's own names must still win). The essay is `../shared/fixtures/anora-essay.txt`, or an
//! essay of our own when it is missing. Prints a Markdown table for BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::BufReader;
use std::path::Path;
use std::time::{Duration, Instant};

use kinograph_catalog::{NameEntry, NamedKind};
use kinograph_checker::{Checker, NameIndex};
use kinograph_import::{DEMO_CATALOG, DEMO_DATASET, NoProgress, curated, oscars};
use kinograph_store::{CatalogRead, Store};

const SYLLABLES: [&str; 40] = [
    "ka", "lo", "mi", "ra", "ten", "vo", "sha", "dri", "el", "nor", "bel", "ca", "dus", "fen",
    "gra", "hol", "ix", "jor", "kel", "lun", "mar", "nel", "ost", "pra", "quin", "rho", "sel",
    "tor", "ul", "ver", "wen", "yar", "zed", "an", "bri", "cor", "dé", "fjø", "gü", "ñe",
];

const OWN_ESSAY: &str = "Sean Baker’s Red Rocket (2021) follows Mikey, played by Simon Rex. \
Baker later made Anora, which won five Oscars on March 2, 2025, on a budget of $6 million.\n";

fn word(rng: &mut fastrand::Rng) -> String {
    let syllables = rng.usize(2..=4);
    let w: String = (0..syllables)
        .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
        .collect();
    let mut chars = w.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn synthetic(titles: usize) -> Vec<NameEntry> {
    let mut rng = fastrand::Rng::with_seed(1927);
    let mut entries = Vec::with_capacity(titles * 2);
    let mut push = |kind: NamedKind, id: String, name: String, year: Option<i32>, rank: usize| {
        entries.push(NameEntry {
            kind,
            id,
            name,
            variants: Vec::new(),
            year,
            popularity: 10_000.0 / (rank as f64 + 1.0),
            related: Vec::new(),
        });
    };
    for i in 0..titles {
        let words = rng.usize(1..=4);
        let name = (0..words)
            .map(|_| word(&mut rng))
            .collect::<Vec<_>>()
            .join(" ");
        push(
            NamedKind::Film,
            format!("tt{i:08}"),
            name,
            Some(rng.i32(1900..=2025)),
            i,
        );
    }
    for i in 0..titles / 2 {
        let name = format!("{} {}", word(&mut rng), word(&mut rng));
        push(NamedKind::Person, format!("nm{i:08}"), name, None, i);
    }
    for i in 0..titles / 4 {
        let name = word(&mut rng);
        push(
            NamedKind::Character,
            format!("tt{:08}/c{i}", i % titles.max(1)),
            name,
            None,
            i,
        );
    }
    entries
}

/// The store, with the time spent in each kind of lookup added up.
struct Timed<'a> {
    store: &'a Store,
    spent: std::cell::RefCell<std::collections::BTreeMap<&'static str, (u32, Duration)>>,
}

impl Timed<'_> {
    fn time<T>(&self, what: &'static str, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = f();
        let mut spent = self.spent.borrow_mut();
        let entry = spent.entry(what).or_default();
        entry.0 += 1;
        entry.1 += started.elapsed();
        out
    }
}

impl kinograph_checker::Catalog for Timed<'_> {
    fn film(
        &self,
        id: &str,
    ) -> Result<Option<kinograph_catalog::FilmDetails>, kinograph_checker::CatalogError> {
        self.time("film", || kinograph_checker::Catalog::film(self.store, id))
    }
    fn person(
        &self,
        id: &str,
    ) -> Result<Option<kinograph_catalog::PersonDetails>, kinograph_checker::CatalogError> {
        self.time("person", || {
            kinograph_checker::Catalog::person(self.store, id)
        })
    }
    fn ceremony(
        &self,
        body: &str,
        ordinal: u32,
    ) -> Result<Option<kinograph_catalog::Ceremony>, kinograph_checker::CatalogError> {
        self.time("ceremony", || {
            kinograph_checker::Catalog::ceremony(self.store, body, ordinal)
        })
    }
    fn award_records(
        &self,
        body: &str,
        kind: kinograph_catalog::RecordKind,
        depth: u32,
    ) -> Result<Vec<kinograph_catalog::AwardRecord>, kinograph_checker::CatalogError> {
        self.time("award_records", || {
            kinograph_checker::Catalog::award_records(self.store, body, kind, depth)
        })
    }
    fn films_of(
        &self,
        person: &str,
        role: Option<kinograph_catalog::RoleCategory>,
        theme: Option<&str>,
    ) -> Result<Vec<kinograph_catalog::FilmSummary>, kinograph_checker::CatalogError> {
        self.time("films_of", || {
            kinograph_checker::Catalog::films_of(self.store, person, role, theme)
        })
    }
    fn themes(&self) -> Result<Vec<String>, kinograph_checker::CatalogError> {
        self.time("themes", || kinograph_checker::Catalog::themes(self.store))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let titles: usize = std::env::var("KINOGRAPH_BENCH_NAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let oscars_csv = shared.join("data/oscars/oscars.csv");
    let essay_path = shared.join("fixtures/anora-essay.txt");

    let mut store = Store::open_in_memory().unwrap();
    curated::parse(DEMO_CATALOG, DEMO_DATASET)
        .unwrap()
        .import(&mut store)
        .unwrap();
    let with_oscars = oscars_csv.is_file();
    if with_oscars {
        let file = std::fs::File::open(&oscars_csv).unwrap();
        let reader = oscars::Reader::new(BufReader::new(file), "oscars.csv").unwrap();
        oscars::import(&mut store, reader, &mut NoProgress, None).unwrap();
    }
    let essay = std::fs::read_to_string(&essay_path).unwrap_or_else(|_| OWN_ESSAY.to_string());

    let started = Instant::now();
    let mut entries = Vec::new();
    store.name_entries(&mut |e| entries.push(e)).unwrap();
    let catalog_names = entries.len();
    let read_names = started.elapsed();
    entries.extend(synthetic(titles));
    let total_entries = entries.len();
    let started = Instant::now();
    let for_text = NameIndex::for_text(entries.clone(), &essay).unwrap();
    let build_for_text = started.elapsed();
    let for_text_names = for_text.len();
    let started = Instant::now();
    let index = NameIndex::from_catalog(entries).unwrap();
    let build = started.elapsed();
    let patterns = index.len();
    let checker = Checker::new(index).unwrap();

    let warmup = 20;
    let runs = 300;
    let mut link_times = Vec::with_capacity(runs);
    let mut check_times = Vec::with_capacity(runs);
    let mut report = None;
    for i in 0..warmup + runs {
        let started = Instant::now();
        let mentions = kinograph_checker::mentions::link(checker.names(), &essay);
        let linked = started.elapsed();
        let started = Instant::now();
        let checked = checker.check(&store, &essay).unwrap();
        let whole = started.elapsed();
        assert!(mentions.len() <= checked.mentions.len() + 1);
        if i >= warmup {
            link_times.push(linked);
            check_times.push(whole);
        }
        report = Some(checked);
    }
    let timed = Timed {
        store: &store,
        spent: Default::default(),
    };
    for _ in 0..runs {
        checker.check(&timed, &essay).unwrap();
    }
    link_times.sort();
    check_times.sort();
    let report = report.unwrap();

    println!(
        "Catalog: demo world{} ({catalog_names} names) + {} synthetic names ({titles} titles, {} people, {} characters) = {total_entries} entities, {patterns} distinct names in the automaton.",
        if with_oscars {
            " + real Academy Awards data"
        } else {
            ""
        },
        total_entries - catalog_names,
        titles / 2,
        titles / 4,
    );
    println!(
        "Essay: {} ({} bytes): {} sections, {} mentions, {} claims ({} supported). {runs} checks after {warmup} warm-up checks.\n",
        if essay_path.is_file() {
            "anora-essay.txt"
        } else {
            "our own"
        },
        essay.len(),
        report.sections.len(),
        report.mentions.len(),
        report.claims.len(),
        report
            .claims
            .iter()
            .filter(|c| c.verdict == kinograph_checker::Verdict::Supported)
            .count(),
    );
    println!("| step | p50 ms | p99 ms | mean ms |");
    println!("|---|---|---|---|");
    for (label, times) in [
        ("link names (automaton + disambiguation)", &link_times),
        (
            "whole check (sections, mentions, claims with SQLite lookups)",
            &check_times,
        ),
    ] {
        let mean = times.iter().map(Duration::as_secs_f64).sum::<f64>() / times.len() as f64;
        println!(
            "| {label} | {:.3} | {:.3} | {:.3} |",
            percentile(times, 0.5),
            percentile(times, 0.99),
            mean * 1000.0
        );
    }
    println!("\nCatalog lookups per check (SQLite, in-memory):\n");
    println!("| lookup | calls | mean ms per check |");
    println!("|---|---|---|");
    for (what, (calls, spent)) in timed.spent.borrow().iter() {
        println!(
            "| {what} | {} | {:.3} |",
            calls / runs as u32,
            spent.as_secs_f64() * 1000.0 / runs as f64
        );
    }
    println!(
        "\nBuild: reading the catalog's names {:.2} s; building the automaton over {total_entries} entities {:.2} s; for this essay only (names whose words all occur in it: {for_text_names}) {:.2} s.",
        read_names.as_secs_f64(),
        build.as_secs_f64(),
        build_for_text.as_secs_f64()
    );
}
