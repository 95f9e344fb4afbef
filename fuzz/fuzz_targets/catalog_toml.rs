//! Kinograph's curated catalog format (`kinograph import catalog FILE.toml`): any text is a
//! catalog or an `Invalid` error with its line — never a panic. A catalog that validates is
//! imported into an empty store in memory, twice: the second import adds nothing (the
//! importers' invariant).
#![no_main]

use kinograph_import::curated;
use kinograph_store::Store;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The binary reads the file as UTF-8 text first; other bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = match curated::parse(text, "fuzz.toml") {
        Ok(catalog) => catalog,
        Err(kinograph_import::Error::Invalid { line, .. }) => {
            assert!(
                line >= 1 && line <= text.lines().count().max(1),
                "line {line}"
            );
            return;
        }
        Err(_) => return,
    };
    let mut store = Store::open_in_memory().expect("an in-memory store");
    if catalog.import(&mut store).is_ok() {
        let again = catalog
            .import(&mut store)
            .expect("a catalog that imported once imports again");
        let added: u64 = again.tallies.iter().map(|(_, tally)| tally.new).sum();
        assert_eq!(added, 0, "a second import added records: {again:?}");
    }
});
