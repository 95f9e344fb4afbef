//! What the web tests share: a catalog of the demo world and our own Academy Awards rows.

use std::path::Path;

use kinograph_import::{DEMO_CATALOG, DEMO_DATASET, NoProgress, curated, oscars};
use kinograph_store::{OpenMode, Store};

/// Creates the store in `dir` with the demo world and `tests/fixtures/oscars-97.tsv` (the 97th
/// ceremony's rows for Anora and a few rivals, and The Florida Project's nomination).
pub fn catalog(dir: &Path) -> Store {
    let mut store = Store::open_sqlite(dir, OpenMode::CreateIfMissing).expect("a store");
    curated::parse(DEMO_CATALOG, DEMO_DATASET)
        .and_then(|catalog| catalog.import(&mut store))
        .expect("the demo world");
    let rows = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oscars-97.tsv");
    let file = std::fs::File::open(rows).expect("the Oscars fixture");
    let reader =
        oscars::Reader::new(std::io::BufReader::new(file), "oscars-97.tsv").expect("its header");
    oscars::import(&mut store, reader, &mut NoProgress, None).expect("its rows");
    store
}
