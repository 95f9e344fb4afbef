//! Search (`kinograph search`, `/search`, `/api/search`) over the demo world indexed in memory.
//! The first byte sets the options (prefix, kinds, limit), the rest is `text`, then
//! optionally a NUL and a year range as people type it (`2017`, `2010..`), then a NUL and a
//! genre. Any query gives hits or an error, at most `limit` of them — never a panic.
#![no_main]

use kinograph_search::{Kind, SearchQuery, parse_years};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let rest = String::from_utf8_lossy(rest);
    let mut parts = rest.split('\0');
    let text = parts.next().unwrap_or_default().to_string();
    let years = parts.next().and_then(|y| parse_years(y).ok());
    let genre = parts.next().map(str::to_string);
    let kinds = Kind::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| options >> (i + 1) & 1 == 1)
        .map(|(_, kind)| kind)
        .collect();
    // The CLI takes any `--limit`; the web 1 to 100.
    const LIMITS: [usize; 8] = [0, 1, 10, 20, 100, 1_000, 1 << 40, usize::MAX];
    let limit = LIMITS[usize::from(options >> 5)];
    let query = SearchQuery {
        text,
        kinds,
        years,
        genre,
        limit,
        prefix: options & 1 == 1,
    };
    kinograph_fuzz::with_search(|_, index| {
        if let Ok(results) = index.search(&query) {
            assert!(
                results.hits.len() <= query.limit,
                "{} hits",
                results.hits.len()
            );
        }
    });
});
