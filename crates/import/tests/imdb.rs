//! The IMDb reader on the real samples (every id joins) and on the bad inputs the data set's
//! copies in the wild have: a cut-short last line, a wrong header, a column count that changes,
//! bytes that are not UTF-8, an empty file, a damaged `.gz`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use kinograph_import::imdb::{
    self, FileRead, ImdbFile, ImdbRow, NameBasics, TitleBasics, TitleCrew, TitlePrincipal,
    TitleRating,
};
use kinograph_import::{Error, NoProgress};

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/imdb-sample");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is not here", dir.display());
        None
    }
}

fn all<T: ImdbRow>(path: &Path) -> (Vec<T>, FileRead) {
    let mut rows = Vec::new();
    let read = imdb::read::<T>(path, &mut NoProgress, &mut |row| {
        rows.push(row);
        Ok(())
    })
    .unwrap();
    (rows, read)
}

#[test]
fn the_real_samples_read_whole_and_every_id_joins() {
    let Some(samples) = samples() else { return };
    for set in ["joined-2000", "with-crew-200"] {
        let dir = samples.join(set);
        let files = imdb::find_files(&dir).unwrap();
        let has = |file: ImdbFile| files.iter().find(|(f, _)| *f == file).map(|(_, p)| p);

        let (people, read) = all::<NameBasics>(has(ImdbFile::NameBasics).unwrap());
        assert!(read.rejected.is_empty(), "{set}: {:?}", read.rejected);
        let (titles, read) = all::<TitleBasics>(has(ImdbFile::TitleBasics).unwrap());
        assert!(read.rejected.is_empty(), "{set}: {:?}", read.rejected);
        let (principals, read) = all::<TitlePrincipal>(has(ImdbFile::TitlePrincipals).unwrap());
        assert!(read.rejected.is_empty(), "{set}: {:?}", read.rejected);

        let title_ids: HashSet<&str> = titles.iter().map(|t| t.tconst.as_str()).collect();
        let person_ids: HashSet<&str> = people.iter().map(|p| p.nconst.as_str()).collect();
        assert_eq!(title_ids.len(), titles.len(), "{set}: tconst unique");
        assert_eq!(person_ids.len(), people.len(), "{set}: nconst unique");
        // Every credit's title is there; a handful of people are not (the sample's
        // name.basics lacks them), which an import reports rather than invents.
        let mut missing_people = HashSet::new();
        for p in &principals {
            assert!(title_ids.contains(p.tconst.as_str()), "{set}: {p:?}");
            if !person_ids.contains(p.nconst.as_str()) {
                missing_people.insert(p.nconst.as_str());
            }
        }
        assert!(
            missing_people.len() * 1000 < principals.len(),
            "{set}: {} people missing: {missing_people:?}",
            missing_people.len()
        );
        if let Some(crew) = has(ImdbFile::TitleCrew) {
            let (crew, read) = all::<TitleCrew>(crew);
            assert!(read.rejected.is_empty(), "{set}: {:?}", read.rejected);
            assert!(!crew.is_empty());
            for c in &crew {
                assert!(title_ids.contains(c.tconst.as_str()), "{set}: {c:?}");
            }
        }
        // Characters come as lists, from IMDb's JSON.
        assert!(principals.iter().any(|p| !p.characters.is_empty()), "{set}");
        eprintln!(
            "{set}: {} titles, {} people, {} principals ({} people credited but not listed)",
            titles.len(),
            people.len(),
            principals.len(),
            missing_people.len()
        );
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const RATINGS_HEADER: &str = "tconst\taverageRating\tnumVotes\n";

#[test]
fn bad_rows_are_reported_with_their_lines_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(RATINGS_HEADER.as_bytes());
    bytes.extend_from_slice(b"tt0000001\t5.7\t2100\n"); // 2
    bytes.extend_from_slice(b"tt0000002\t5.6\n"); // 3: a field short
    bytes.extend_from_slice(b"tt0000003\t6.5\t2100\textra\n"); // 4: one too many
    bytes.extend_from_slice(b"tt0000004\t\xff\xfe\t12\n"); // 5: not UTF-8
    bytes.extend_from_slice(b"tt0000005\t11.0\t12\n"); // 6: not a rating
    bytes.extend_from_slice(b"tt000006\t6.0\t12\n"); // 7: not an id
    bytes.extend_from_slice(b"tt0000007\t6.0\t1"); // 8: the last line, complete but unended
    let path = write(dir.path(), "title.ratings.tsv", &bytes);
    let (rows, read) = all::<TitleRating>(&path);
    assert_eq!(
        rows.iter().map(|r| r.tconst.as_str()).collect::<Vec<_>>(),
        ["tt0000001", "tt0000007"]
    );
    assert_eq!(read.rows, 7);
    let lines: Vec<u64> = read.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7]);
    let messages: Vec<&str> = read.rejected.iter().map(|r| r.message.as_str()).collect();
    assert!(messages[0].starts_with("title.ratings.tsv:3: the row has 2 fields, the header 3"));
    assert!(messages[2].contains("not UTF-8"), "{messages:?}");
    assert!(messages[3].contains("not a rating"), "{messages:?}");
    assert!(messages[4].contains("not an IMDb id"), "{messages:?}");
}

#[test]
fn a_cut_short_last_line_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let text = "tconst\tdirectors\twriters\ntt0000001\tnm0005690\t\\N\ntt0000002\tnm07";
    let path = write(dir.path(), "title.crew.tsv", text.as_bytes());
    let (rows, read) = all::<TitleCrew>(&path);
    assert_eq!(rows.len(), 1);
    assert_eq!(read.rejected.len(), 1);
    assert_eq!(read.rejected[0].line, 3);
    assert!(
        read.rejected[0]
            .message
            .contains("cut short (2 of 3 fields)")
    );
}

#[test]
fn a_wrong_header_or_an_empty_file_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = write(
        dir.path(),
        "title.ratings.tsv",
        b"tconst,averageRating,numVotes\ntt0000001,5.7,2100\n",
    );
    let error = imdb::read::<TitleRating>(&wrong, &mut NoProgress, &mut |_| Ok(())).unwrap_err();
    assert!(matches!(error, Error::WrongFormat { .. }), "{error}");
    assert!(error.to_string().contains("line 1"), "{error}");
    // The header of another file is wrong too.
    let other = write(dir.path(), "x.tsv", b"tconst\tdirectors\twriters\n");
    assert!(imdb::read::<TitleRating>(&other, &mut NoProgress, &mut |_| Ok(())).is_err());
    let empty = write(dir.path(), "empty.tsv", b"");
    let error = imdb::read::<TitleRating>(&empty, &mut NoProgress, &mut |_| Ok(())).unwrap_err();
    assert!(error.to_string().contains("empty"), "{error}");
    // A byte-order mark before the header is fine (a real sample has one).
    let bom = write(
        dir.path(),
        "bom.tsv",
        format!("\u{feff}{RATINGS_HEADER}tt0000001\t5.7\t2100\n").as_bytes(),
    );
    assert_eq!(all::<TitleRating>(&bom).0.len(), 1);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn gzipped_files_read_like_plain_ones_and_a_damaged_one_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(RATINGS_HEADER);
    for i in 0..5000 {
        text.push_str(&format!(
            "tt{:07}\t{}.{}\t{}\n",
            i,
            1 + i % 9,
            i % 10,
            i * 3
        ));
    }
    let plain = write(dir.path(), "title.ratings.tsv", text.as_bytes());
    let packed = gzip(text.as_bytes());
    let gz = write(dir.path(), "copy.tsv.gz", &packed);
    assert_eq!(all::<TitleRating>(&plain).0, all::<TitleRating>(&gz).0);

    let mut damaged = packed.clone();
    let middle = damaged.len() / 2;
    for byte in &mut damaged[middle..middle + 64] {
        *byte ^= 0x5a;
    }
    let broken = write(dir.path(), "broken.tsv.gz", &damaged);
    let error = imdb::read::<TitleRating>(&broken, &mut NoProgress, &mut |_| Ok(())).unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    let chain = format!("{:?}", error);
    assert!(chain.contains("after line"), "{chain}");
    let cut = write(dir.path(), "cut.tsv.gz", &packed[..packed.len() / 2]);
    assert!(imdb::read::<TitleRating>(&cut, &mut NoProgress, &mut |_| Ok(())).is_err());
}

#[test]
fn a_folder_is_searched_for_the_files_plain_or_gzipped() {
    let dir = tempfile::tempdir().unwrap();
    assert!(imdb::find_files(dir.path()).is_err(), "no file is an error");
    write(
        dir.path(),
        "title.ratings.tsv.gz",
        &gzip(RATINGS_HEADER.as_bytes()),
    );
    write(dir.path(), "name.basics.tsv", b"");
    let found: Vec<ImdbFile> = imdb::find_files(dir.path())
        .unwrap()
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(found, [ImdbFile::NameBasics, ImdbFile::TitleRatings]);
    write(dir.path(), "title.ratings.tsv", RATINGS_HEADER.as_bytes());
    assert!(
        imdb::find_files(dir.path()).is_err(),
        "plain and gzipped both: which?"
    );
}

/// The generator (`kinograph gen imdb`) and this reader agree: every row it writes, quirks and
/// all, reads back, gzipped or not, and its ids join.
#[test]
fn generated_files_read_back_without_a_rejection() {
    for gzip in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let spec = kinograph_datagen::ImdbSpec {
            gzip,
            ..kinograph_datagen::ImdbSpec::new(3000)
        };
        kinograph_datagen::write_imdb(&spec, dir.path(), &mut |_, _| {}).unwrap();
        let files = imdb::find_files(dir.path()).unwrap();
        assert_eq!(files.len(), 6);
        let path = |file: ImdbFile| files.iter().find(|(f, _)| *f == file).unwrap().1.clone();
        let (titles, read) = all::<TitleBasics>(&path(ImdbFile::TitleBasics));
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        assert_eq!(titles.len(), 3000);
        assert!(titles.iter().any(|t| t.primary_title.starts_with('"')));
        let (people, read) = all::<NameBasics>(&path(ImdbFile::NameBasics));
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let person_ids: HashSet<&str> = people.iter().map(|p| p.nconst.as_str()).collect();
        let title_ids: HashSet<&str> = titles.iter().map(|t| t.tconst.as_str()).collect();
        let (principals, read) = all::<TitlePrincipal>(&path(ImdbFile::TitlePrincipals));
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        for p in &principals {
            assert!(
                title_ids.contains(p.tconst.as_str()) && person_ids.contains(p.nconst.as_str())
            );
        }
        let (_, read) = all::<imdb::TitleAka>(&path(ImdbFile::TitleAkas));
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let (_, read) = all::<TitleCrew>(&path(ImdbFile::TitleCrew));
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let (ratings, read) = all::<TitleRating>(&path(ImdbFile::TitleRatings));
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        assert!(!ratings.is_empty());
    }
}
