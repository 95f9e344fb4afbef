//! A Letterboxd export as a ZIP (`kinograph import letterboxd export.zip`). The first byte
//! chooses: the rest as the archive's bytes, or as a list of entries (name, compression,
//! content) that are zipped first, so that the reader's own logic (where the export's root
//! is, which files are read, the size and ratio limits) sees well-formed archives. Half the
//! inputs are read with small limits, so the ZIP-bomb refusals run too. Never a panic.
#![no_main]

use std::io::{Cursor, Write};

use kinograph_import::letterboxd::{self, ZipLimits};
use libfuzzer_sys::fuzz_target;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

const NAMES: [&str; 16] = [
    "diary.csv",
    "reviews.csv",
    "ratings.csv",
    "watched.csv",
    "watchlist.csv",
    "likes/films.csv",
    "lists/favourites.csv",
    "lists/deep/nested.csv",
    "export/diary.csv",
    "export/lists/a.csv",
    "deleted/diary.csv",
    "orphaned/lists/b.csv",
    "profile.csv",
    "../diary.csv",
    "lists/",
    "",
];

/// Entries as `[name][method][length: 2 bytes][content]`, repeated, zipped.
fn zipped(mut rest: &[u8]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    while let [name, method, len_lo, len_hi, tail @ ..] = rest {
        let len = usize::from(u16::from_le_bytes([*len_lo, *len_hi])).min(tail.len());
        let (content, next) = tail.split_at(len);
        rest = next;
        let method = if method & 1 == 0 {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        // A name the writer refuses (twice the same) is left out.
        if writer
            .start_file(NAMES[usize::from(*name) % NAMES.len()], options)
            .is_ok()
        {
            writer.write_all(content).expect("zip in memory");
        }
    }
    writer.finish().expect("zip in memory").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((choice, rest)) = kinograph_fuzz::choose(data, 4) else {
        return;
    };
    let bytes = if choice & 1 == 0 {
        rest.to_vec()
    } else {
        zipped(rest)
    };
    let path = kinograph_fuzz::write_scratch("export.zip", &bytes);
    let limits = if choice & 2 == 0 {
        ZipLimits::default()
    } else {
        ZipLimits {
            max_archive_bytes: 1 << 16,
            max_entry_bytes: 4096,
            max_total_bytes: 8192,
            max_ratio: 8,
            ratio_floor_bytes: 512,
        }
    };
    let _ = letterboxd::read_zip_with(&path, limits);
});
