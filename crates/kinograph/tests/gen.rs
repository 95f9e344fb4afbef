//! `kinograph gen imdb`, run for real: the files it writes are read back as an importer would
//! (tab-separated, `\N` for null, no quoting) and checked against IMDb's shapes.

// A failing check in a helper is a failing test: helpers may unwrap and panic too (clippy's
// allow-*-in-tests settings cover only `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use common::{Kg, Run, arg};

const TITLES: u64 = 3000;

const HEADERS: [(&str, &str); 6] = [
    (
        "title.basics.tsv",
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
    ),
    (
        "title.akas.tsv",
        "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle",
    ),
    ("title.crew.tsv", "tconst\tdirectors\twriters"),
    (
        "title.principals.tsv",
        "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
    ),
    ("title.ratings.tsv", "tconst\taverageRating\tnumVotes"),
    (
        "name.basics.tsv",
        "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
    ),
];

/// Runs `gen imdb --titles N --out DIR ARGS…`, which must succeed.
fn generate(kg: &Kg, out: &Path, titles: u64, args: &[&str]) -> Run {
    let titles = titles.to_string();
    let out = arg(out);
    let mut all = vec!["gen", "imdb", "--titles", &titles, "--out", &out];
    all.extend_from_slice(args);
    kg.ok(&all)
}

/// The rows `gen` reported for each file.
fn reported(run: &Run) -> HashMap<String, u64> {
    run.stdout
        .lines()
        .filter_map(|line| line.trim().split_once(": "))
        .filter_map(|(name, rows)| {
            Some((name.to_string(), rows.strip_suffix(" rows")?.parse().ok()?))
        })
        .collect()
}

/// A file's rows, each split on tabs, after checking its header.
fn rows(dir: &Path, name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let expected = HEADERS.iter().find(|(n, _)| *n == name).unwrap().1;
    assert_eq!(header, expected, "{name}");
    lines
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

#[test]
fn gen_imdb_writes_the_six_files_with_their_headers_and_columns() {
    let kg = Kg::new();
    let out = kg.path("imdb");
    let run = generate(&kg, &out, TITLES, &[]);
    let reported = reported(&run);
    assert_eq!(reported.len(), 6, "{run}");
    for (name, header) in HEADERS {
        let rows = rows(&out, name);
        assert_eq!(reported[name], rows.len() as u64, "{name}: {run}");
        let columns = header.split('\t').count();
        for row in &rows {
            assert_eq!(row.len(), columns, "{name}: {row:?}");
        }
    }
    assert_eq!(reported["title.basics.tsv"], TITLES);
    assert_eq!(reported["name.basics.tsv"], TITLES * 13 / 10);
    let principals = reported["title.principals.tsv"] as f64 / TITLES as f64;
    assert!(
        (7.0..9.0).contains(&principals),
        "{principals} principals per title"
    );
    let akas = reported["title.akas.tsv"] as f64 / TITLES as f64;
    assert!((2.5..3.5).contains(&akas), "{akas} akas per title");
}

#[test]
fn every_id_the_files_mention_is_in_basics() {
    let kg = Kg::new();
    let out = kg.path("imdb");
    generate(&kg, &out, TITLES, &[]);
    let first = |name| -> HashSet<String> {
        rows(&out, name)
            .into_iter()
            .map(|row| row[0].clone())
            .collect()
    };
    let titles = first("title.basics.tsv");
    let people = first("name.basics.tsv");
    let ids = |field: &str| -> Vec<String> {
        match field {
            "\\N" => Vec::new(),
            _ => field.split(',').map(str::to_string).collect(),
        }
    };
    for name in [
        "title.akas.tsv",
        "title.crew.tsv",
        "title.principals.tsv",
        "title.ratings.tsv",
    ] {
        for row in rows(&out, name) {
            assert!(titles.contains(&row[0]), "{name}: {row:?}");
        }
    }
    for row in rows(&out, "title.principals.tsv") {
        assert!(people.contains(&row[2]), "{row:?}");
    }
    for row in rows(&out, "title.crew.tsv") {
        for id in ids(&row[1]).into_iter().chain(ids(&row[2])) {
            assert!(people.contains(&id), "{row:?}");
        }
    }
    for row in rows(&out, "name.basics.tsv") {
        for id in ids(&row[5]) {
            assert!(titles.contains(&id), "{row:?}");
        }
    }
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_others() {
    let kg = Kg::new();
    let (a, b, c) = (kg.path("a"), kg.path("b"), kg.path("c"));
    generate(&kg, &a, 500, &["--seed", "42"]);
    generate(&kg, &b, 500, &["--seed", "42"]);
    generate(&kg, &c, 500, &["--seed", "43"]);
    for (name, _) in HEADERS {
        let read = |dir: &Path| std::fs::read(dir.join(name)).unwrap();
        assert_eq!(read(&a), read(&b), "{name}");
        assert_ne!(read(&a), read(&c), "{name}");
    }
}

#[test]
fn gzip_files_hold_the_plain_files_bytes() {
    let kg = Kg::new();
    let (plain, gzipped) = (kg.path("plain"), kg.path("gz"));
    generate(&kg, &plain, 500, &[]);
    let run = generate(&kg, &gzipped, 500, &["--gzip"]);
    for (name, _) in HEADERS {
        let gz = format!("{name}.gz");
        assert!(run.stdout.contains(&gz), "{run}");
        assert!(!gzipped.join(name).exists(), "{name}");
        let bytes = std::fs::read(plain.join(name)).unwrap();
        assert_eq!(gunzip(&gzipped.join(&gz)), bytes, "{name}");
    }
}

#[test]
fn the_files_have_imdbs_quirks() {
    let kg = Kg::new();
    let out = kg.path("imdb");
    generate(&kg, &out, TITLES, &[]);
    let basics = rows(&out, "title.basics.tsv");
    let primary = || basics.iter().map(|row| row[2].as_str());
    assert!(
        primary().any(|title| title.starts_with('"') && title[1..].contains("\" ")),
        "a title opening with a bare quote, as `\"Swing it\" magistern`"
    );
    let cjk = |title: &str| {
        title
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    };
    assert!(primary().any(cjk), "a CJK title");
    assert!(
        basics.iter().any(|row| row.contains(&"\\N".to_string())),
        "\\N"
    );
    let principals = rows(&out, "title.principals.tsv");
    let escaped = principals
        .iter()
        .find(|row| row[5].starts_with("[\"") && row[5].contains("\\\""))
        .expect("a characters value with an escaped quote");
    let names: Vec<String> = serde_json::from_str(&escaped[5]).unwrap();
    assert!(names.iter().any(|name| name.contains('"')), "{escaped:?}");
}

#[test]
fn a_few_titles_hold_most_votes() {
    let kg = Kg::new();
    let out = kg.path("imdb");
    generate(&kg, &out, TITLES, &[]);
    let mut votes: Vec<u64> = rows(&out, "title.ratings.tsv")
        .iter()
        .map(|row| row[2].parse().unwrap())
        .collect();
    votes.sort_unstable_by(|a, b| b.cmp(a));
    let total: u64 = votes.iter().sum();
    let top: u64 = votes[..votes.len().div_ceil(100)].iter().sum();
    assert!(
        top * 10 > total * 3,
        "the top 1% hold {top} of {total} votes"
    );
}

#[test]
fn an_unwritable_folder_is_an_error_naming_it() {
    let kg = Kg::new();
    let file = kg.write("a-file", b"");
    let out = Path::new(&file).join("imdb");
    let run = kg.fails(&["gen", "imdb", "--titles", "10", "--out", &arg(&out)], 2);
    assert!(run.stderr.contains(&arg(&out)), "{run}");
    assert!(run.stdout.is_empty(), "{run}");
}

#[test]
fn titles_are_required() {
    let kg = Kg::new();
    let out = arg(&kg.path("imdb"));
    let run = kg.fails(&["gen", "imdb", "--out", &out], 2);
    assert!(run.stderr.contains("--titles"), "{run}");
}
