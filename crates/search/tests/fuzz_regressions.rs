//! Inputs the fuzz targets (`fuzz/fuzz_targets/search_query.rs`) found to crash search, kept
//! as tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kinograph_catalog::{FilmRecord, PersonRecord, Provenance};
use kinograph_search::{SearchIndex, SearchQuery, sync};
use kinograph_store::CatalogWrite;

fn index() -> SearchIndex {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w: &mut dyn CatalogWrite| {
            let source = Provenance::line("test", 1);
            w.put_film(&FilmRecord::new("tt9000001", "Anora", source.clone()))?;
            w.put_film(&FilmRecord::new("tt9000002", "Tangerine", source.clone()))?;
            w.put_person(&PersonRecord::new("nm9000001", "Sean Baker", source))?;
            Ok(())
        })
        .unwrap();
    let index = SearchIndex::in_memory().unwrap();
    sync(&store, &index).unwrap();
    index
}

/// `kinograph search a --limit 18446744073709551615` (fuzz input `ff 61`): the limit was
/// doubled (an overflow) and sized the collectors' buffers (an allocation of the limit).
#[test]
fn search_limit_usize_max_overflowed_and_sized_buffers() {
    let index = index();
    for limit in [usize::MAX, usize::MAX / 2 + 1, 1 << 40, 1_000_000_000] {
        let query = SearchQuery {
            limit,
            ..SearchQuery::new("a")
        };
        let results = index.search(&query).unwrap();
        assert!(results.hits.len() as u64 <= index.len(), "limit {limit}");
        let all = SearchQuery {
            limit,
            ..SearchQuery::new("anora")
        };
        assert_eq!(index.search(&all).unwrap().hits.len(), 1, "limit {limit}");
    }
}
