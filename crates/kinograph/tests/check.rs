//! `kinograph check`: the model essay and essays of our own, against the demo world and the
//! real Academy Awards data in `../shared/data` (skipped, saying so, where it is missing), and
//! against our own fixtures everywhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{Kg, arg, fixture};
use serde_json::Value;

fn shared() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if shared.join("data/oscars/oscars.csv").is_file()
        && shared.join("fixtures/anora-essay.txt").is_file()
    {
        Some(shared)
    } else {
        let _ = writeln!(
            std::io::stderr(),
            "skipping: ../shared (data and fixtures) not found beside the checkout"
        );
        None
    }
}

/// One catalog for every test of this file: the demo world and the real Oscars data.
fn real_catalog(shared: &Path) -> &'static Kg {
    static CATALOG: OnceLock<Kg> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let kg = Kg::new();
        kg.ok(&["demo"]);
        kg.ok(&[
            "import",
            "oscars",
            &arg(&shared.join("data/oscars/oscars.csv")),
        ]);
        kg
    })
}

fn check(kg: &Kg, essay: &str) -> (Option<i32>, Value) {
    let path = kg.write(&format!("essay-{}.txt", essay.len()), essay.as_bytes());
    let run = kg.run(&["check", &path, "--format", "json"]);
    assert!(matches!(run.code, Some(0) | Some(1)), "check failed: {run}");
    (run.code, run.json())
}

fn claims(report: &Value) -> &Vec<Value> {
    report["claims"].as_array().unwrap()
}

fn describe(report: &Value) -> String {
    claims(report)
        .iter()
        .map(|c| format!("{} {} {:?}", c["verdict"], c["kind"], c["text"]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Linked entity names by mention kind.
fn linked(report: &Value) -> BTreeSet<(String, String)> {
    report["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| !m["entity"].is_null())
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_string(),
                m["entity"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_model_essay_is_linked_and_every_claim_supported() {
    let Some(shared) = shared() else { return };
    let kg = real_catalog(&shared);
    let essay = std::fs::read_to_string(shared.join("fixtures/anora-essay.txt")).unwrap();
    let (code, report) = check(kg, &essay);
    assert_eq!(code, Some(0), "{}", describe(&report));

    let sections = report["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 5);
    let lines: Vec<&str> = essay.lines().map(str::trim).collect();
    for section in sections {
        let title = section["title"].as_str().unwrap();
        assert!(lines.contains(&title), "{title:?} is a line of the essay");
        let (start, end) = (
            section["start"].as_u64().unwrap() as usize,
            section["end"].as_u64().unwrap() as usize,
        );
        assert!(essay[start..end].contains(title));
    }

    // Exactly these entities, and no others: a common word linked by accident would add one.
    let expected: BTreeSet<(String, String)> = [
        ("film", "Anora"),
        ("film", "Starlet"),
        ("film", "Tangerine"),
        ("film", "The Florida Project"),
        ("person", "Sean Baker"),
        ("person", "Mikey Madison"),
        ("character", "Anora \"Ani\" Mikheeva"),
        ("character", "Igor"),
        ("character", "Moonee"),
        ("character", "Halley"),
        ("company", "NEON"),
        ("award", "Academy Awards"),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n.to_string()))
    .collect();
    assert_eq!(linked(&report), expected);
    for mention in report["mentions"].as_array().unwrap() {
        let (start, end) = (
            mention["start"].as_u64().unwrap() as usize,
            mention["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&essay[start..end], mention["text"].as_str().unwrap());
    }
    let surname_links = report["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["text"] == "Baker" && m["entity"]["name"] == "Sean Baker")
        .count();
    assert!(surname_links >= 10, "\"Baker\" alone links to Sean Baker");

    let kinds: Vec<&str> = claims(&report)
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "record",
        "budget",
        "year",
        "cast",
        "filmography_count",
        "date",
    ] {
        assert!(
            kinds.contains(&kind),
            "a {kind} claim:\n{}",
            describe(&report)
        );
    }
    assert_eq!(kinds.iter().filter(|k| **k == "budget").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "year").count(), 2);
    for claim in claims(&report) {
        assert_eq!(claim["verdict"], "supported", "{}", describe(&report));
        assert!(!claim["evidence"].as_array().unwrap().is_empty());
    }
    let record = claims(&report)
        .iter()
        .find(|c| c["kind"] == "record")
        .unwrap();
    let facts: Vec<&str> = record["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fact"].as_str().unwrap())
        .collect();
    assert_eq!(
        facts.iter().filter(|f| f.contains("— won")).count(),
        4,
        "the four counted rows: {facts:#?}"
    );
}

#[test]
fn a_changed_fact_is_contradicted_with_the_catalogs_value() {
    let Some(shared) = shared() else { return };
    let kg = real_catalog(&shared);
    let essay = std::fs::read_to_string(shared.join("fixtures/anora-essay.txt")).unwrap();
    // (what the essay says, what we make it say, the claim kind, what the data says)
    let changes = [
        ("(2012)", "(2014)", "year", "2012"),
        ("$6 million", "$9 million", "budget", "$6,000,000"),
        ("$100,000", "$250,000", "budget", "$100,000"),
        ("2017 film", "2015 film", "year", "2017"),
        (
            "played by Mikey Madison",
            "played by Lily-Rose Depp",
            "cast",
            "Mikey Madison",
        ),
        (
            "made five films",
            "made seven films",
            "filmography_count",
            "5 films",
        ),
        (
            "win four Oscars",
            "win three Oscars",
            "record",
            "won 4 for Anora",
        ),
        ("On March 2", "On March 9", "date", "March 2, 2025"),
    ];
    for (from, to, kind, data_says) in changes {
        assert!(essay.contains(from), "{from}");
        let changed = essay.replacen(from, to, 1);
        let (code, report) = check(kg, &changed);
        assert_eq!(code, Some(1), "{to}: exit status 1\n{}", describe(&report));
        let contradicted: Vec<&Value> = claims(&report)
            .iter()
            .filter(|c| c["verdict"] == "contradicted")
            .collect();
        assert_eq!(contradicted.len(), 1, "{to}:\n{}", describe(&report));
        let claim = contradicted[0];
        assert_eq!(claim["kind"], kind, "{to}");
        let start = claim["start"].as_u64().unwrap() as usize;
        let end = claim["end"].as_u64().unwrap() as usize;
        assert!(
            changed[start..end].contains(to.split(' ').nth(1).unwrap_or(to))
                || changed[start..end].contains(to),
            "{to} in {:?}",
            &changed[start..end]
        );
        let evidence = claim["evidence"].to_string();
        assert!(evidence.contains(data_says), "{to}: {evidence}");
    }
}

/// One line of an `.expect` file beside an essay of ours.
#[derive(Debug)]
enum Expectation {
    Claim {
        verdict: String,
        kind: String,
        snippet: String,
    },
    Mention {
        kind: String,
        entity: String,
        text: String,
    },
    NoMention {
        text: String,
    },
}

fn expectations(text: &str) -> Vec<Expectation> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (head, tail) = line.split_once(" | ").unwrap_or_else(|| panic!("{line}"));
            let words: Vec<&str> = head.split_whitespace().collect();
            match words.as_slice() {
                ["claim", verdict, kind] => Expectation::Claim {
                    verdict: verdict.to_string(),
                    kind: kind.to_string(),
                    snippet: tail.to_string(),
                },
                ["mention", kind, entity @ ..] => Expectation::Mention {
                    kind: kind.to_string(),
                    entity: entity.join(" "),
                    text: tail.to_string(),
                },
                ["nomention"] => Expectation::NoMention {
                    text: tail.to_string(),
                },
                _ => panic!("bad expectation: {line}"),
            }
        })
        .collect()
}

/// Our own essays on other films: every expectation must hold.
#[test]
fn essays_of_our_own_on_other_films() {
    let Some(shared) = shared() else { return };
    let kg = real_catalog(&shared);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/essays");
    let mut failures = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    assert!(names.len() >= 3);
    for essay_path in names {
        let essay = std::fs::read_to_string(&essay_path).unwrap();
        let expect = std::fs::read_to_string(essay_path.with_extension("expect")).unwrap();
        let (code, report) = check(kg, &essay);
        let name = essay_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let mentions = report["mentions"].as_array().unwrap();
        let mut contradictions = 0;
        for expectation in expectations(&expect) {
            let ok = match &expectation {
                Expectation::Claim {
                    verdict,
                    kind,
                    snippet,
                } => {
                    if verdict == "contradicted" {
                        contradictions += 1;
                    }
                    claims(&report).iter().any(|c| {
                        c["verdict"] == verdict.as_str()
                            && c["kind"] == kind.as_str()
                            && c["text"].as_str().unwrap().contains(snippet.as_str())
                    })
                }
                Expectation::Mention { kind, entity, text } => mentions.iter().any(|m| {
                    m["text"] == text.as_str()
                        && m["kind"] == kind.as_str()
                        && m["entity"]["name"] == entity.as_str()
                }),
                Expectation::NoMention { text } => !mentions
                    .iter()
                    .any(|m| m["text"] == text.as_str() && !m["entity"].is_null()),
            };
            if !ok {
                failures.push(format!("{name}: {expectation:?}"));
            }
        }
        let expected_code = if contradictions > 0 { 1 } else { 0 };
        if code != Some(expected_code) {
            failures.push(format!("{name}: exit status {code:?}"));
        }
        if !failures.is_empty() {
            failures.push(format!("{name} claims:\n{}", describe(&report)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without ../shared: the demo world and a few Oscars rows of our own.
#[test]
fn an_essay_of_our_own_against_our_fixtures() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    kg.ok(&["import", "oscars", &fixture("oscars-anora.tsv")]);
    let essay = "Red Rocket\n\nSean Baker’s Red Rocket (2021) follows Mikey, played by Simon Rex. \
Baker later made Anora, which won two Oscars on March 2, 2025. Anora (2019) is not its year.\n";
    let (code, report) = check(&kg, essay);
    assert_eq!(code, Some(1), "{}", describe(&report));
    let verdicts: Vec<(String, String)> = claims(&report)
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().into(),
                c["verdict"].as_str().unwrap().into(),
            )
        })
        .collect();
    for expected in [
        ("year", "supported"),
        ("cast", "supported"),
        ("award_count", "supported"),
        ("date", "supported"),
        ("year", "contradicted"),
    ] {
        assert!(
            verdicts.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?}:\n{}",
            describe(&report)
        );
    }
    // The first line is the essay's title, not a section.
    assert!(report["sections"].as_array().unwrap().is_empty());
}

/// A catalog without award results cannot rank anyone: a record is unverifiable there, not
/// contradicted (the demo world alone has films and people but no nominations).
#[test]
fn a_record_is_unverifiable_without_award_results() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let essay = "Sean Baker became the first person to win four Oscars for a single film.\n";
    let (code, report) = check(&kg, essay);
    assert_eq!(code, Some(0), "{}", describe(&report));
    let records: Vec<&Value> = claims(&report)
        .iter()
        .filter(|c| c["kind"] == "record")
        .collect();
    assert_eq!(records.len(), 1, "{}", describe(&report));
    assert_eq!(records[0]["verdict"], "unverifiable");
}

#[test]
fn check_reads_stdin_and_reports_bad_input() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let text = kg.run(&["check", &fixture("oscars-anora.tsv")]);
    assert!(matches!(text.code, Some(0) | Some(1)), "{text}");
    let missing = kg.fails(&["check", "no-such-essay.md"], 2);
    assert!(missing.stderr.contains("no-such-essay.md"), "{missing}");
    let binary = kg.write("binary.txt", b"Anora\n\xff\xfe");
    let bad = kg.fails(&["check", &binary], 2);
    assert!(bad.stderr.contains(":2: the essay is not UTF-8"), "{bad}");
    let nothing = Kg::new();
    let no_catalog = nothing.fails(&["check", &binary], 2);
    assert!(no_catalog.stderr.contains("error"), "{no_catalog}");
}

/// A check builds its automaton over only the names its essay admits (`checker_for`, what the
/// command line and a large catalog's server use); the server of a small catalog shares one over
/// every name (`checker`). Both must find the same, on every essay we have.
#[test]
fn a_checker_over_the_names_an_essay_admits_finds_what_one_over_every_name_does() {
    let Some(shared) = shared() else { return };
    let kg = real_catalog(&shared);
    let store = kinograph_store::Database::new(&kg.data(), kg.database_url())
        .open(kinograph_store::OpenMode::ExistingOnly)
        .unwrap();
    let whole = kinograph_store::checker(&store).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/essays");
    let mut essays: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    essays.push(shared.join("fixtures/anora-essay.txt"));
    for path in essays {
        let essay = std::fs::read_to_string(&path).unwrap();
        let for_essay = kinograph_store::checker_for(&store, &essay).unwrap();
        let expected = whole.check(&store, &essay).unwrap();
        assert!(!expected.mentions.is_empty(), "{}", path.display());
        assert_eq!(
            for_essay.check(&store, &essay).unwrap(),
            expected,
            "{}",
            path.display()
        );
    }
}
