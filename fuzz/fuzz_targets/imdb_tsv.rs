//! The six IMDb files (`kinograph import imdb`), plain or gzipped: the first byte picks the file
//! and whether it is gzipped, the rest is the file. Whatever the bytes, the reader answers rows,
//! rejections or an error — never a panic.
#![no_main]

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use kinograph_import::NoProgress;
use kinograph_import::imdb::{
    self, FileRead, ImdbFile, ImdbRow, NameBasics, TitleAka, TitleBasics, TitleCrew,
    TitlePrincipal, TitleRating,
};
use libfuzzer_sys::fuzz_target;

fn read<T: ImdbRow>(path: &std::path::Path) {
    let mut read = FileRead::default();
    let mut accepted = 0u64;
    let result = imdb::read_into::<T>(path, &mut NoProgress, &mut read, &mut |line, _row| {
        assert!(line >= 2, "a row on line {line} (the header is line 1)");
        accepted += 1;
        Ok(())
    });
    if result.is_ok() {
        assert_eq!(read.accepted, accepted);
        assert_eq!(read.rows, read.accepted + read.rejected.len() as u64);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((choice, rest)) = kinograph_fuzz::choose(data, 24) else {
        return;
    };
    let file = ImdbFile::ALL[choice % 6];
    let with_header = choice / 6 % 2 == 1;
    let gzip = choice / 12 == 1;
    let mut bytes = Vec::new();
    if with_header {
        bytes.extend_from_slice(file.header().join("\t").as_bytes());
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(rest);
    let name = if gzip {
        // Half the gzipped inputs are real gzip of the bytes, half the bytes as they are.
        if rest.first().is_some_and(|b| b & 1 == 1) {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
            encoder.write_all(&bytes).expect("gzip in memory");
            bytes = encoder.finish().expect("gzip in memory");
        }
        format!("{}.gz", file.file_name())
    } else {
        file.file_name().to_string()
    };
    let path = kinograph_fuzz::write_scratch(&name, &bytes);
    match file {
        ImdbFile::NameBasics => read::<NameBasics>(&path),
        ImdbFile::TitleBasics => read::<TitleBasics>(&path),
        ImdbFile::TitleAkas => read::<TitleAka>(&path),
        ImdbFile::TitleRatings => read::<TitleRating>(&path),
        ImdbFile::TitleCrew => read::<TitleCrew>(&path),
        ImdbFile::TitlePrincipals => read::<TitlePrincipal>(&path),
    }
});
