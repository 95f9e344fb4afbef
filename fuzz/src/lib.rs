//! What the fuzz targets share: the demo world in an in-memory store (the small catalog the
//! checker and the search index read), a scratch folder for entry points that take a path, and
//! the invariants of a checker's report.
//!
//! Setup failures panic on purpose: a harness that cannot build its catalog must stop loudly.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kinograph_checker::{Checker, NameIndex, Report};
use kinograph_import::{DEMO_CATALOG, DEMO_DATASET, curated};
use kinograph_search::SearchIndex;
use kinograph_store::{CatalogRead, Store};

/// The demo world (Sean Baker's films, their people and awards), imported the way
/// `kinograph demo` does it, into a store in memory.
pub fn demo_store() -> Store {
    let mut store = Store::open_in_memory().expect("an in-memory store");
    curated::parse(DEMO_CATALOG, DEMO_DATASET)
        .expect("the demo catalog parses")
        .import(&mut store)
        .expect("the demo catalog imports");
    store
}

/// A checker over every name of `store`, as `kinograph check` builds it.
pub fn checker_over(store: &Store) -> Checker {
    let mut entries = Vec::new();
    store
        .name_entries(&mut |e| entries.push(e))
        .expect("the store's names");
    Checker::new(NameIndex::from_catalog(entries).expect("a name index")).expect("a checker")
}

/// The demo world with its checker, built once per thread (the store is not `Sync`).
pub struct Demo {
    pub store: Store,
    pub checker: Checker,
}

thread_local! {
    static DEMO: Demo = {
        let store = demo_store();
        let checker = checker_over(&store);
        Demo { store, checker }
    };
}

pub fn with_demo<R>(f: impl FnOnce(&Demo) -> R) -> R {
    DEMO.with(f)
}

/// The demo world indexed for search (a store and an index in memory), built once per thread.
pub fn with_search<R>(f: impl FnOnce(&Store, &SearchIndex) -> R) -> R {
    thread_local! {
        static SEARCH: (Store, SearchIndex) = {
            let store = demo_store();
            let index = SearchIndex::in_memory().expect("an index in memory");
            kinograph_search::rebuild(&store, &index).expect("the demo world indexed");
            (store, index)
        };
    }
    SEARCH.with(|(store, index)| f(store, index))
}

/// A folder of this process's own for entry points that read a path. Left behind when the
/// fuzzer exits (libFuzzer ends with `exit`), under the system's temporary folder as
/// `kinograph-fuzz-*`.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        tempfile::Builder::new()
            .prefix("kinograph-fuzz-")
            .tempdir()
            .expect("a scratch folder")
            .keep()
    })
}

/// Writes `bytes` to `name` in the scratch folder (replacing what was there) and answers its
/// path.
pub fn write_scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).expect("a scratch file");
    path
}

/// The first byte as a choice among `n`, and the rest.
pub fn choose(data: &[u8], n: usize) -> Option<(usize, &[u8])> {
    let (&first, rest) = data.split_first()?;
    Some((usize::from(first) % n, rest))
}

/// What a report must hold for any text: every mention, claim and section lies inside the
/// text on character boundaries, and a mention's or claim's text is the text it points at.
pub fn assert_report_inside(text: &str, report: &Report) {
    for m in &report.mentions {
        assert!(m.start <= m.end, "mention {m:?} ends before it starts");
        assert_eq!(
            text.get(m.start..m.end),
            Some(m.text.as_str()),
            "mention {m:?}"
        );
    }
    for c in &report.claims {
        assert!(c.start <= c.end, "claim {c:?} ends before it starts");
        assert_eq!(
            text.get(c.start..c.end),
            Some(c.text.as_str()),
            "claim {c:?}"
        );
    }
    for s in &report.sections {
        assert!(text.get(s.start..s.end).is_some(), "section {s:?}");
    }
}
