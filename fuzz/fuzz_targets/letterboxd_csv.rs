//! One file of a Letterboxd export, as `kinograph import letterboxd FILE` reads it: the first
//! byte picks the file's name (each of the export's CSVs, a list, or Letterboxd's import
//! format), the rest is the file. Rows, rejections or an error — never a panic.
#![no_main]

use kinograph_import::diary;
use kinograph_import::letterboxd::LIST_VERSION_LINE;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "diary.csv",
    "reviews.csv",
    "ratings.csv",
    "watched.csv",
    "watchlist.csv",
    "films.csv",
    "favourites.csv",
    "import.csv",
];

fuzz_target!(|data: &[u8]| {
    let Some((choice, rest)) = kinograph_fuzz::choose(data, NAMES.len() * 2) else {
        return;
    };
    let name = NAMES[choice % NAMES.len()];
    // A list is known by its first line: give it that line half the time.
    let bytes = if name == "favourites.csv" && choice >= NAMES.len() {
        [LIST_VERSION_LINE.as_bytes(), b"\n", rest].concat()
    } else {
        rest.to_vec()
    };
    let path = kinograph_fuzz::write_scratch(name, &bytes);
    if let Ok(export) = diary::read_export(&path) {
        for rejection in &export.rejected {
            assert!(rejection.line >= 1, "{rejection:?}");
        }
    }
});
