//! An import that dies part-way leaves the store consistent, and running it again completes it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, BufReader, Read};

use kinograph_import::{Error, NoProgress, oscars};
use kinograph_store::{CatalogRead, Store};

const HEADER: &str = "Ceremony\tYear\tClass\tCanonicalCategory\tCategory\tFilm\tFilmId\tName\tNominees\tNomineeIds\tWinner\tDetail\tNote\tCitation\n";

/// Several batches' worth of invented nominations: 5,000 rows over 50 ceremonies.
fn big_file() -> String {
    let mut text = String::from(HEADER);
    for i in 0..5_000_u32 {
        let ceremony = 1 + i / 100;
        let year = 1950 + ceremony;
        let winner = if i % 5 == 0 { "True" } else { "" };
        text.push_str(&format!(
            "{ceremony}\t{year}\tActing\tACTING\tACTING\tFilm {i}\ttt{:07}\tPerson {i}\tPerson {i}\tnm{:07}\t{winner}\n",
            8_000_000 + i,
            8_000_000 + i % 700,
        ));
    }
    text
}

/// Reads `limit` bytes of the input, then fails like a disk or a pipe that went away.
struct FailsAfter<R> {
    inner: R,
    limit: usize,
}

impl<R: Read> Read for FailsAfter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.limit == 0 {
            return Err(io::Error::other("simulated failure"));
        }
        let n = buf.len().min(self.limit);
        let read = self.inner.read(&mut buf[..n])?;
        self.limit -= read;
        Ok(read)
    }
}

fn import(store: &mut Store, input: impl Read) -> Result<kinograph_import::Summary, Error> {
    let reader = oscars::Reader::new(BufReader::with_capacity(4096, input), "big.tsv")?;
    oscars::import(store, reader, &mut NoProgress, None)
}

#[test]
fn an_interrupted_import_keeps_whole_batches_and_a_rerun_completes_it() {
    let text = big_file();
    let mut store = kinograph_store::testing::fresh_store().unwrap();

    let failing = FailsAfter {
        inner: text.as_bytes(),
        limit: text.len() * 3 / 5,
    };
    let error = import(&mut store, failing).unwrap_err();
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    assert_eq!(cause.as_deref(), Some("simulated failure"), "{error}");
    let partial = store.counts().unwrap().nominations;
    assert!(
        partial > 0 && partial < 5_000,
        "whole batches only: {partial}"
    );
    assert_eq!(partial % 2_000, 0, "a batch is all or nothing: {partial}");

    let summary = import(&mut store, text.as_bytes()).unwrap();
    assert_eq!(summary.tally("nominations").unchanged, partial);
    assert_eq!(summary.tally("nominations").new, 5_000 - partial);
    assert_eq!(store.counts().unwrap().nominations, 5_000);

    let mut fresh = kinograph_store::testing::fresh_store().unwrap();
    import(&mut fresh, text.as_bytes()).unwrap();
    assert_eq!(
        store.counts().unwrap(),
        fresh.counts().unwrap(),
        "same end state as one clean run"
    );
}
