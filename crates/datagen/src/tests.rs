//! The files as a reader sees them: generated in memory (or on disk for gzip), parsed back, and
//! checked against the real files' shapes.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use super::*;

/// Enough titles for every quirk to show up, few enough to run in a blink.
const TITLES: u64 = 4000;

/// One generated file: its header and rows, split on tabs.
struct Parsed {
    header: String,
    rows: Vec<Vec<String>>,
}

fn generate(spec: &ImdbSpec, file: ImdbFile) -> Vec<u8> {
    let mut bytes = Vec::new();
    let rows = write_table(spec, file, &mut bytes, &mut |_| {}).unwrap();
    assert_eq!(rows as usize + 1, bytes.split(|b| *b == b'\n').count() - 1);
    bytes
}

fn parse(bytes: &[u8]) -> Parsed {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.ends_with('\n'), "a file ends with a newline");
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let rows = lines
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect();
    Parsed { header, rows }
}

fn all(spec: &ImdbSpec) -> HashMap<ImdbFile, Parsed> {
    ImdbFile::ALL
        .iter()
        .map(|file| (*file, parse(&generate(spec, *file))))
        .collect()
}

fn spec() -> ImdbSpec {
    ImdbSpec::new(TITLES)
}

#[test]
fn headers_are_imdbs_and_every_row_has_their_columns() {
    let files = all(&spec());
    let expected = [
        (
            ImdbFile::TitleBasics,
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
        ),
        (
            ImdbFile::TitleAkas,
            "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle",
        ),
        (ImdbFile::TitleCrew, "tconst\tdirectors\twriters"),
        (
            ImdbFile::TitlePrincipals,
            "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
        ),
        (ImdbFile::TitleRatings, "tconst\taverageRating\tnumVotes"),
        (
            ImdbFile::NameBasics,
            "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
        ),
    ];
    for (file, header) in expected {
        let parsed = &files[&file];
        assert_eq!(parsed.header, header, "{file:?}");
        let columns = header.split('\t').count();
        for row in &parsed.rows {
            assert_eq!(row.len(), columns, "{file:?}: {row:?}");
            assert!(row.iter().all(|field| !field.contains('\r')), "{row:?}");
        }
    }
}

#[test]
fn sizes_follow_the_ratios() {
    let files = all(&spec());
    let rows = |file| files[&file].rows.len() as u64;
    assert_eq!(rows(ImdbFile::TitleBasics), TITLES);
    assert_eq!(rows(ImdbFile::TitleCrew), TITLES);
    assert_eq!(rows(ImdbFile::NameBasics), TITLES * 13 / 10);
    let per_title = |file| rows(file) as f64 / TITLES as f64;
    let principals = per_title(ImdbFile::TitlePrincipals);
    assert!((7.6..8.4).contains(&principals), "{principals}");
    let akas = per_title(ImdbFile::TitleAkas);
    assert!((2.8..3.2).contains(&akas), "{akas}");
    let rated = per_title(ImdbFile::TitleRatings);
    assert!((0.2..0.8).contains(&rated), "{rated}");
    assert_eq!(ImdbSpec::new(0).people(), 0);
    assert_eq!(ImdbSpec::new(1).people(), 2);
}

#[test]
fn ids_are_imdb_shaped_and_every_join_holds() {
    let files = all(&spec());
    let titles: HashSet<&str> = files[&ImdbFile::TitleBasics]
        .rows
        .iter()
        .map(|row| row[0].as_str())
        .collect();
    let people: HashSet<&str> = files[&ImdbFile::NameBasics]
        .rows
        .iter()
        .map(|row| row[0].as_str())
        .collect();
    assert_eq!(titles.len() as u64, TITLES, "tconsts are unique");
    assert!(titles.contains("tt0000001") && titles.contains("tt0004000"));
    assert!(people.contains("nm0000001") && people.contains("nm0005200"));
    let id_shaped = |id: &str, prefix: &str| {
        id.strip_prefix(prefix)
            .is_some_and(|digits| digits.len() >= 7 && digits.bytes().all(|b| b.is_ascii_digit()))
    };
    assert!(titles.iter().all(|id| id_shaped(id, "tt")));
    assert!(people.iter().all(|id| id_shaped(id, "nm")));
    let list = |field: &str| -> Vec<String> {
        if field == "\\N" {
            Vec::new()
        } else {
            field.split(',').map(str::to_string).collect()
        }
    };
    for file in [
        ImdbFile::TitleAkas,
        ImdbFile::TitleCrew,
        ImdbFile::TitlePrincipals,
        ImdbFile::TitleRatings,
    ] {
        for row in &files[&file].rows {
            assert!(titles.contains(row[0].as_str()), "{file:?}: {row:?}");
        }
    }
    for row in &files[&ImdbFile::TitlePrincipals].rows {
        assert!(people.contains(row[2].as_str()), "{row:?}");
    }
    for row in &files[&ImdbFile::TitleCrew].rows {
        for id in list(&row[1]).iter().chain(&list(&row[2])) {
            assert!(people.contains(id.as_str()), "{row:?}");
        }
    }
    for row in &files[&ImdbFile::NameBasics].rows {
        for id in list(&row[5]) {
            assert!(titles.contains(id.as_str()), "{row:?}");
        }
    }
}

#[test]
fn crew_lists_the_billed_directors_and_writers() {
    let files = all(&spec());
    let crew: HashMap<&str, (&str, &str)> = files[&ImdbFile::TitleCrew]
        .rows
        .iter()
        .map(|row| (row[0].as_str(), (row[1].as_str(), row[2].as_str())))
        .collect();
    for row in &files[&ImdbFile::TitlePrincipals].rows {
        let (directors, writers) = crew[row[0].as_str()];
        let listed = match row[3].as_str() {
            "director" => directors,
            "writer" => writers,
            _ => continue,
        };
        assert!(listed.split(',').any(|id| id == row[2]), "{row:?}");
    }
}

#[test]
fn people_are_credited_in_their_profession() {
    let files = all(&spec());
    let professions: HashMap<&str, &str> = files[&ImdbFile::NameBasics]
        .rows
        .iter()
        .map(|row| (row[0].as_str(), row[4].as_str()))
        .collect();
    for row in &files[&ImdbFile::TitlePrincipals].rows {
        let main = professions[row[2].as_str()].split(',').next().unwrap_or("");
        let expected: &[&str] = match row[3].as_str() {
            "self" | "archive_footage" => &["actor", "actress"],
            "production_designer" => &["producer"],
            category => &[category][..],
        };
        assert!(
            main.is_empty() || expected.contains(&main),
            "{row:?}: {main}"
        );
    }
}

#[test]
fn orderings_count_from_one_per_title() {
    for file in [ImdbFile::TitleAkas, ImdbFile::TitlePrincipals] {
        let mut expected: HashMap<String, u64> = HashMap::new();
        for row in &parse(&generate(&spec(), file)).rows {
            let next = expected.entry(row[0].clone()).or_insert(1);
            assert_eq!(row[1], next.to_string(), "{file:?}: {row:?}");
            *next += 1;
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let other = ImdbSpec { seed: 7, ..spec() };
    for file in ImdbFile::ALL {
        assert_eq!(generate(&spec(), file), generate(&spec(), file), "{file:?}");
        assert_ne!(generate(&spec(), file), generate(&other, file), "{file:?}");
    }
}

#[test]
fn a_smaller_spec_is_a_prefix_of_a_larger_one_for_titles() {
    // Rows are derived from their index: title 17 is the same whatever the scale.
    let small = generate(&ImdbSpec::new(100), ImdbFile::TitleBasics);
    let large = generate(&ImdbSpec::new(1000), ImdbFile::TitleBasics);
    assert!(large.starts_with(&small));
}

#[test]
fn titles_have_the_real_files_quirks() {
    let files = all(&spec());
    let basics = &files[&ImdbFile::TitleBasics].rows;
    let primary = || basics.iter().map(|row| row[2].as_str());
    assert!(
        primary().any(|t| t.starts_with('"') && t[1..].contains("\" ")),
        "`\"Swing it\" magistern`"
    );
    assert!(primary().any(|t| t.contains('\'')), "an apostrophe");
    assert!(
        primary().any(|t| t.contains(['é', 'ñ', 'ö', 'ô', 'ł', 'ç'])),
        "accents"
    );
    let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    assert!(primary().any(cjk), "CJK");
    assert!(
        primary().any(|t| t.contains(['[', '{', '\\'])),
        "JSON's characters"
    );
    assert!(
        primary().any(|t| t.chars().count() > 200),
        "a very long title"
    );
    assert!(
        primary().any(|t| t.starts_with("Episode #")),
        "IMDb's episode titles"
    );
    assert!(
        basics.iter().any(|row| row[2] != row[3]),
        "a translated title"
    );
    for column in 5..9 {
        assert!(basics.iter().any(|row| row[column] == "\\N"), "{column}");
    }
    assert!(basics.iter().any(|row| row[4] == "1"), "an adult title");
    assert!(basics.iter().all(|row| row[4] == "0" || row[4] == "1"));
    assert!(basics.iter().any(|row| row[6] != "\\N"), "an end year");
    let akas = &files[&ImdbFile::TitleAkas].rows;
    assert!(
        akas.iter().any(|row| row[5].contains('\u{2}')),
        "types joined by 0x02"
    );
    assert!(
        akas.iter().any(|row| row[6].contains('\u{2}')),
        "attributes joined by 0x02"
    );
    assert!(
        akas.iter().any(|row| row[2]
            .chars()
            .any(|c| ('\u{ac00}'..='\u{d7af}').contains(&c))),
        "Hangul"
    );
    assert!(
        akas.iter().any(|row| row[2]
            .chars()
            .any(|c| ('\u{0400}'..='\u{04ff}').contains(&c))),
        "Cyrillic"
    );
}

#[test]
fn genres_are_imdbs_sorted_and_at_most_three() {
    for row in parse(&generate(&spec(), ImdbFile::TitleBasics)).rows {
        if row[8] == "\\N" {
            continue;
        }
        let genres: Vec<&str> = row[8].split(',').collect();
        assert!((1..=3).contains(&genres.len()), "{row:?}");
        assert!(genres.is_sorted(), "{row:?}");
        assert_eq!(row[4] == "1", genres.contains(&"Adult"), "{row:?}");
    }
}

#[test]
fn title_types_are_mixed_as_on_imdb() {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for row in parse(&generate(&spec(), ImdbFile::TitleBasics)).rows {
        *counts.entry(row[1].clone()).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let order: Vec<&str> = ranked
        .iter()
        .take(3)
        .map(|(kind, _)| kind.as_str())
        .collect();
    assert_eq!(order, ["tvEpisode", "short", "movie"], "{ranked:?}");
    assert!(ranked.len() >= 8, "{ranked:?}");
}

#[test]
fn characters_are_json_arrays_some_with_escaped_quotes() {
    let principals = parse(&generate(&spec(), ImdbFile::TitlePrincipals)).rows;
    let mut escaped = false;
    for row in &principals {
        let characters = &row[5];
        if characters == "\\N" {
            continue;
        }
        assert!(
            matches!(
                row[3].as_str(),
                "actor" | "actress" | "self" | "archive_footage"
            ),
            "{row:?}"
        );
        let names: Vec<String> = serde_json::from_str(characters)
            .unwrap_or_else(|e| panic!("{characters} is not a JSON array of strings: {e}"));
        assert!(!names.is_empty());
        escaped |= characters.contains("\\\"");
    }
    assert!(escaped, "a character name with an escaped quote");
    assert!(principals.iter().any(|row| row[4] != "\\N"), "a job");
    assert!(principals.iter().any(|row| row[3] == "self"));
}

#[test]
fn people_have_the_real_files_quirks() {
    let names = parse(&generate(&spec(), ImdbFile::NameBasics)).rows;
    assert!(
        names.iter().any(|row| row[1].contains('"')),
        "a quoted nickname"
    );
    assert!(
        names.iter().any(|row| row[1].contains('\'')),
        "an apostrophe"
    );
    assert!(
        names.iter().any(|row| row[4].is_empty()),
        "an empty primaryProfession"
    );
    assert!(
        names.iter().any(|row| row[2] != "\\N" && row[3] != "\\N"),
        "a life span"
    );
    assert!(names.iter().filter(|row| row[2] == "\\N").count() > names.len() / 2);
    for row in &names {
        for column in [2, 3] {
            assert!(
                row[column] == "\\N" || row[column].parse::<u16>().is_ok(),
                "{row:?}"
            );
        }
    }
}

#[test]
fn votes_are_skewed_as_on_imdb() {
    for seed in [DEFAULT_SEED, 1, 2, 3] {
        let ratings = parse(&generate(
            &ImdbSpec { seed, ..spec() },
            ImdbFile::TitleRatings,
        ))
        .rows;
        let mut votes: Vec<u64> = ratings.iter().map(|row| row[2].parse().unwrap()).collect();
        votes.sort_unstable_by(|a, b| b.cmp(a));
        let total: u64 = votes.iter().sum();
        let top: u64 = votes[..votes.len().div_ceil(100)].iter().sum();
        assert!(
            top * 10 > total * 3,
            "seed {seed}: top 1% hold {top} of {total}"
        );
        assert!(votes.iter().all(|v| *v >= 5));
        assert!(
            votes[votes.len() / 2] < 100,
            "a long tail: median {}",
            votes[votes.len() / 2]
        );
        for row in &ratings {
            let rating: f64 = row[1].parse().unwrap();
            assert!((1.0..=10.0).contains(&rating) && row[1].len() <= 4 && row[1].contains('.'));
        }
    }
}

#[test]
fn a_million_titles_reach_a_million_votes() {
    // Sampled, not written: the rating of every 10th title of a million.
    let most = (0..1_000_000)
        .step_by(10)
        .filter_map(|index| imdb::rating_of(DEFAULT_SEED, index))
        .map(|(_, votes)| votes)
        .max()
        .unwrap();
    assert!(most > 1_000_000, "{most}");
}

#[test]
fn files_on_disk_plain_and_gzipped_hold_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let plain_dir = dir.path().join("plain");
    let gz_dir = dir.path().join("gz");
    let spec = ImdbSpec::new(500);
    let mut reported = HashMap::new();
    let plain = write_imdb(&spec, &plain_dir, &mut |name, rows| {
        reported.insert(name.to_string(), rows);
    })
    .unwrap();
    let gzipped = write_imdb(&ImdbSpec { gzip: true, ..spec }, &gz_dir, &mut |_, _| {}).unwrap();
    for (plain, gzipped) in plain.files.iter().zip(&gzipped.files) {
        assert_eq!(plain.file, gzipped.file);
        assert_eq!(plain.rows, gzipped.rows);
        assert!(gzipped.path.to_string_lossy().ends_with(".tsv.gz"));
        let bytes = std::fs::read(&plain.path).unwrap();
        assert_eq!(bytes.len() as u64, plain.bytes);
        assert_eq!(bytes, generate(&spec, plain.file));
        let mut unzipped = Vec::new();
        GzDecoder::new(File::open(&gzipped.path).unwrap())
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(bytes, unzipped, "{:?}", plain.file);
        assert_eq!(count_rows(&plain.path).unwrap(), plain.rows);
        assert_eq!(count_rows(&gzipped.path).unwrap(), plain.rows);
        let name = plain.file.file_name(false);
        assert_eq!(reported[&name], plain.rows, "the last report is the total");
    }
    assert_eq!(plain.rows(ImdbFile::TitleBasics), 500);
    assert_eq!(
        plain.total_rows(),
        plain.files.iter().map(|f| f.rows).sum::<u64>()
    );
}

#[test]
fn an_unwritable_folder_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = file.join("out");
    let error = write_imdb(&ImdbSpec::new(10), &out, &mut |_, _| {}).unwrap_err();
    assert!(
        error.to_string().contains(&*out.to_string_lossy()),
        "{error}"
    );
}

#[test]
fn no_titles_gives_headers_only() {
    for file in ImdbFile::ALL {
        let parsed = parse(&generate(&ImdbSpec::new(0), file));
        assert!(parsed.rows.is_empty(), "{file:?}");
    }
    let one = all(&ImdbSpec::new(1));
    assert_eq!(one[&ImdbFile::TitleBasics].rows.len(), 1);
}
