//! Crash safety: `kinograph` killed with SIGKILL at arbitrary points — an import part-way
//! through, a server with writes in flight — leaves a database SQLite finds sound, loses nothing
//! it acknowledged, and finishes the job when run again.
//!
//! The kill points come from a seed (`KINOGRAPH_CRASH_SEED`), printed with every delay, so a
//! failure can be replayed. Each import trial kills a run, then the run that resumes it, then
//! lets a third finish. Longer runs: `KINOGRAPH_CRASH_TRIALS` (trials of the IMDb import, 7; the
//! other imports get a third as many, at least 2), `KINOGRAPH_CRASH_TITLES` (size of the
//! generated IMDb data set, 600), `KINOGRAPH_CRASH_ROUNDS` (server kill rounds, 4).
//!
//! These are tests of the SQLite file in the data folder (its integrity checks, its row counts,
//! copies of the folder). The PostgreSQL pass (`KINOGRAPH_TEST_DATABASE_URL` set, see
//! `scripts/test-postgres`) would only run them again on the same file, so they skip there.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod harness;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::copy_folder;
use harness::{KINOGRAPH, Rng, Server, env_u64, http, integrity, sigkill, table_counts};
use serde_json::{Value, json};

const DEFAULT_SEED: u64 = 20_240_917;

/// Tables whose row counts may differ between a run that was interrupted and one that was not,
/// without anything being lost: the search change log (a resumed bulk import may log entity by
/// entity what an uninterrupted one logged as one rebuild).
const LOGS: &[&str] = &["search_changes"];

/// Whether this is the PostgreSQL pass, which leaves these SQLite tests to the SQLite pass.
fn postgres_pass(test: &str) -> bool {
    let set = kinograph_store::testing::postgres_url().is_some();
    if set {
        eprintln!("{test}: skipped in the PostgreSQL pass; it tests the SQLite file");
    }
    set
}

fn kinograph(data: &Path, args: &[String]) -> Command {
    let mut command = Command::new(KINOGRAPH);
    command
        .env_remove("KINOGRAPH_DATA")
        .env_remove("KINOGRAPH_OSCARS")
        .env_remove("KINOGRAPH_DATABASE_URL")
        .arg("--data")
        .arg(data)
        .args(args)
        // Not the checkout: `demo` looks for the Academy Awards data beside the working folder.
        .current_dir(data.parent().unwrap())
        .stdin(Stdio::null());
    command
}

/// Runs a command to completion; it must succeed.
fn complete(data: &Path, args: &[String]) -> Duration {
    let started = Instant::now();
    let output = kinograph(data, args).output().unwrap();
    assert!(
        output.status.success(),
        "`kinograph {}` failed: {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    started.elapsed()
}

/// What a finished import left: `status --json`'s counts, every table's row count, and the
/// search hits for a few names.
#[derive(Debug, PartialEq, Eq)]
struct Fingerprint {
    status: BTreeMap<String, Value>,
    tables: BTreeMap<String, u64>,
    searches: BTreeMap<String, BTreeSet<String>>,
}

fn fingerprint(data: &Path, queries: &[String]) -> Fingerprint {
    let output = kinograph(data, &["status".into(), "--json".into()])
        .output()
        .unwrap();
    assert!(output.status.success(), "status failed");
    let mut status: BTreeMap<String, Value> = serde_json::from_slice(&output.stdout).unwrap();
    // Where the data folder is differs from copy to copy.
    status.remove("data");
    status.remove("database");
    let searches = queries
        .iter()
        .map(|q| (q.clone(), search_ids(data, q)))
        .collect();
    Fingerprint {
        status,
        tables: table_counts(data, LOGS),
        searches,
    }
}

/// The ids `kinograph search QUERY` finds (it brings the index up to date first).
fn search_ids(data: &Path, query: &str) -> BTreeSet<String> {
    let args = ["search", query, "--limit", "50", "--json"].map(String::from);
    let output = kinograph(data, &args).output().unwrap();
    // 1: nothing found, which is an answer too.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "search {query:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.code() == Some(1) {
        return BTreeSet::new();
    }
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{}:{}",
                h["kind"].as_str().unwrap(),
                h["id"].as_str().unwrap()
            )
        })
        .collect()
}

/// An Academy Awards file in the DLu layout, made up from `seed`: `ceremonies` ceremonies of
/// seven categories with ten nominees each, so that the import takes several transactions.
fn synthetic_oscars(path: &Path, ceremonies: u32, seed: u64) {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "dri", "mo", "quel", "ost",
    ];
    let mut rng = Rng::new(seed);
    let word = |rng: &mut Rng| -> String {
        let n = 2 + rng.below(2);
        let w: String = (0..n)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
            .collect();
        let mut chars = w.chars();
        let first = chars.next().unwrap().to_ascii_uppercase();
        std::iter::once(first).chain(chars).collect()
    };
    let categories = [
        ("Title", "BEST PICTURE", "BEST PICTURE", true),
        ("Directing", "DIRECTING", "DIRECTING", false),
        (
            "Acting",
            "ACTOR IN A LEADING ROLE",
            "ACTOR IN A LEADING ROLE",
            false,
        ),
        (
            "Acting",
            "ACTRESS IN A LEADING ROLE",
            "ACTRESS IN A LEADING ROLE",
            false,
        ),
        ("Writing", "WRITING", "WRITING (Screenplay)", false),
        ("Production", "FILM EDITING", "FILM EDITING", false),
        (
            "Music",
            "MUSIC (Original Score)",
            "MUSIC (Original Score)",
            false,
        ),
    ];
    let mut out = String::from(
        "Ceremony\tYear\tClass\tCanonicalCategory\tCategory\tFilm\tFilmId\tName\tNominees\t\
         NomineeIds\tWinner\tDetail\tNote\tCitation\n",
    );
    for ceremony in 1..=ceremonies {
        let year = 1928 + ceremony;
        for (class, canonical, category, company) in categories {
            for slot in 0..10u64 {
                // Films and people recur across categories and years, as they do.
                let film = 1 + rng.below(u64::from(ceremonies) * 12);
                let person = 1 + rng.below(u64::from(ceremonies) * 20);
                let title = format!("{} {}", word(&mut rng), word(&mut rng));
                let title = format!("{title} {film}");
                let (name, id) = if company {
                    (
                        format!("{} Pictures", word(&mut rng)),
                        format!("co88{film:05}"),
                    )
                } else {
                    (
                        format!("{} {} {person}", word(&mut rng), word(&mut rng)),
                        format!("nm88{person:05}"),
                    )
                };
                let winner = if slot == 0 { "True" } else { "" };
                out.push_str(&format!(
                    "{ceremony}\t{year}\t{class}\t{canonical}\t{category}\t{title}\ttt88{film:05}\t\
                     {name}\t{name}\t{id}\t{winner}\n"
                ));
            }
        }
    }
    std::fs::write(path, out).unwrap();
}

/// One command whose runs are killed: its arguments and how many trials it gets.
struct Step {
    name: &'static str,
    args: Vec<String>,
    trials: u64,
}

/// Kills each import at seeded points of its measured duration; after every kill the database
/// must pass SQLite's checks and the commands that read it must work; the import run again to
/// the end must leave exactly what an uninterrupted run left.
#[test]
fn imports_killed_at_random_points_leave_a_sound_database_and_finish_when_rerun() {
    if postgres_pass("imports_killed_at_random_points") {
        return;
    }
    let seed = env_u64("KINOGRAPH_CRASH_SEED", DEFAULT_SEED);
    let titles = env_u64("KINOGRAPH_CRASH_TITLES", 600);
    let imdb_trials = env_u64("KINOGRAPH_CRASH_TRIALS", 7);
    let small_trials = imdb_trials.div_ceil(3).max(2);
    eprintln!(
        "crash seed {seed} (KINOGRAPH_CRASH_SEED), {titles} titles, {imdb_trials} IMDb trials"
    );
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();

    let imdb = root.join("imdb");
    let gen_args: Vec<String> = [
        "gen",
        "imdb",
        "--titles",
        &titles.to_string(),
        "--out",
        imdb.to_str().unwrap(),
    ]
    .map(String::from)
    .into();
    complete(&root.join("unused"), &gen_args);
    let oscars = root.join("oscars.tsv");
    synthetic_oscars(&oscars, 90, seed);

    let steps = [
        Step {
            name: "demo",
            args: vec!["demo".into()],
            trials: small_trials,
        },
        Step {
            name: "oscars",
            args: ["import", "oscars", oscars.to_str().unwrap()]
                .map(String::from)
                .into(),
            trials: small_trials,
        },
        Step {
            name: "imdb",
            args: ["import", "imdb", imdb.to_str().unwrap()]
                .map(String::from)
                .into(),
            trials: imdb_trials,
        },
    ];
    let queries = search_queries(&imdb);

    // The uninterrupted run: each step's duration, and a snapshot of the data folder and a
    // fingerprint after each.
    let mut before = root.join("empty");
    std::fs::create_dir_all(&before).unwrap();
    let mut baselines = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let after = root.join(format!("after-{i}-{}", step.name));
        copy_folder(&before, &after);
        let took = complete(&after, &step.args);
        integrity(&after).unwrap();
        let print = fingerprint(&after, &queries);
        eprintln!(
            "uninterrupted {}: {took:.2?}; {:?}",
            step.name, print.status
        );
        baselines.push((before.clone(), took, print));
        before = after;
    }
    let imdb_print = &baselines[2].2;
    assert!(
        imdb_print.status["films"].as_u64().unwrap() >= titles / 2,
        "{imdb_print:?}"
    );
    for (query, ids) in &imdb_print.searches {
        assert!(!ids.is_empty(), "search {query:?} found nothing");
    }

    let mut rng = Rng::new(seed);
    let mut planned = 0;
    let mut landed = 0;
    for (step, (before, took, expected)) in steps.iter().zip(&baselines) {
        for trial in 0..step.trials {
            let data = root.join(format!("trial-{}-{trial}", step.name));
            copy_folder(before, &data);
            // A run is killed, then the run that resumes it, then one is let finish.
            let mut delays = Vec::new();
            let mut first = Duration::ZERO;
            for kill in 0..2 {
                // The resuming run goes quickly over what the first committed: it is killed
                // within what the first had left to do.
                let span = if kill == 0 {
                    *took
                } else {
                    took.saturating_sub(first)
                };
                let fraction = rng.between(0.02, 0.9);
                let delay = span.mul_f64(fraction);
                if kill == 0 {
                    first = delay;
                }
                let mut child = kinograph(&data, &step.args)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                std::thread::sleep(delay);
                let killed = sigkill(&mut child);
                planned += 1;
                landed += u64::from(killed);
                delays.push(format!(
                    "{:.0}% = {delay:.2?}{}",
                    fraction * 100.0,
                    if killed { "" } else { " (had finished)" }
                ));
                if let Err(damage) = integrity(&data) {
                    panic!(
                        "{} trial {trial} (seed {seed}, kills at {delays:?}): {damage}",
                        step.name
                    );
                }
                // What reads the catalog works on whatever the kill left.
                if harness::database(&data).exists() {
                    let status = kinograph(&data, &["status".into(), "--json".into()])
                        .output()
                        .unwrap();
                    assert!(
                        status.status.success(),
                        "{} trial {trial} (seed {seed}, kills at {delays:?}): status: {}",
                        step.name,
                        String::from_utf8_lossy(&status.stderr)
                    );
                    search_ids(&data, &queries[0]);
                }
            }
            eprintln!(
                "{} trial {trial}: killed at {}",
                step.name,
                delays.join(", ")
            );
            complete(&data, &step.args);
            integrity(&data).unwrap();
            let print = fingerprint(&data, &queries);
            assert_eq!(
                &print, expected,
                "{} trial {trial} (seed {seed}, kills at {delays:?}) differs from the \
                 uninterrupted run",
                step.name
            );
            std::fs::remove_dir_all(&data).unwrap();
        }
    }
    eprintln!(
        "import kills: {landed} of {planned} landed mid-run (the rest found the import \
         finished), every one survived; {:.1?} in all",
        started.elapsed()
    );
}

/// Names to search for: the generated data set's first titles and people, and a demo film.
fn search_queries(imdb: &Path) -> Vec<String> {
    let column = |file: &str, col: usize, rows: usize| -> Vec<String> {
        let text = std::fs::read_to_string(imdb.join(file)).unwrap();
        text.lines()
            .skip(1)
            .filter_map(|l| l.split('\t').nth(col))
            .filter(|v| *v != "\\N" && v.is_ascii() && v.len() > 3)
            .take(rows)
            .map(String::from)
            .collect()
    };
    let mut queries = vec!["Tangerine".to_string(), "Sean Baker".to_string()];
    queries.extend(column("title.basics.tsv", 2, 1));
    queries.extend(column("name.basics.tsv", 1, 1));
    queries
}

// ------------------------------------------------------------------------------------------
// The server

const PASSWORD: &str = "crash-safety-password";

/// One write the server acknowledged.
#[derive(Debug, Clone)]
enum Acked {
    /// A diary entry: its id and the review that marks it.
    Entry { id: i64, review: String },
    /// An essay draft: its slug and title.
    Essay { slug: String, title: String },
}

/// Writers post diary entries and essay drafts as fast as the server takes them; the server is
/// SIGKILLed at a seeded moment with requests in flight, then restarted on the same data folder:
/// every write it acknowledged must be there, and the database must pass SQLite's checks.
#[test]
fn a_server_killed_mid_write_keeps_every_write_it_acknowledged() {
    if postgres_pass("a_server_killed_mid_write") {
        return;
    }
    let seed = env_u64("KINOGRAPH_CRASH_SEED", DEFAULT_SEED);
    let rounds = env_u64("KINOGRAPH_CRASH_ROUNDS", 4);
    eprintln!("crash seed {seed} (KINOGRAPH_CRASH_SEED), {rounds} server rounds");
    let kg = common::Kg::sqlite();
    kg.ok(&["demo"]);
    let data = kg.data();
    harness::add_user(kg.command(), "crash-reader", "reader", PASSWORD);
    harness::add_user(kg.command(), "crash-writer", "writer", PASSWORD);
    let films: Vec<String> = common::strings(
        &kg.json(&["films", "--person", "Sean Baker", "--json"])["films"],
        "/id",
    )
    .into_iter()
    .map(String::from)
    .collect();
    assert!(films.len() >= 3, "{films:?}");

    let serve_args = ["--writes-per-minute", "0"];
    let mut server = Server::start(&data, &serve_args, &kg.path("serve-0.log"));
    let reader = harness::api_token(server.port, "crash-reader", PASSWORD);
    let writer = harness::api_token(server.port, "crash-writer", PASSWORD);

    let mut rng = Rng::new(seed ^ 0x5E5E);
    let mut acked: Vec<Acked> = Vec::new();
    let mut in_flight_at_kills = Vec::new();
    for round in 0..rounds {
        let stop = Arc::new(AtomicBool::new(false));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let round_acks = Arc::new(Mutex::new(Vec::new()));
        let mut threads = Vec::new();
        for worker in 0..8u64 {
            let (stop, in_flight, round_acks) =
                (stop.clone(), in_flight.clone(), round_acks.clone());
            let (films, port) = (films.clone(), server.port);
            let token = if worker < 6 {
                reader.clone()
            } else {
                writer.clone()
            };
            threads.push(std::thread::spawn(move || {
                let auth = format!("Bearer {token}");
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let tag = format!("r{round}w{worker}n{n}");
                    let (path, body) = if worker < 6 {
                        let film = &films[usize::try_from(n).unwrap() % films.len()];
                        let rating = f64::from(u8::try_from(n % 10).unwrap() + 1) / 2.0;
                        let body = json!({
                            "film": film,
                            "rating": rating,
                            "review": format!("Crash-safety entry {tag}."),
                            "tags": ["crash-safety"],
                        });
                        ("/api/diary", body)
                    } else {
                        let body = json!({
                            "title": format!("Crash safety draft {tag}"),
                            "body": format!("Sean Baker directed Tangerine. Draft {tag}."),
                        });
                        ("/api/essays", body)
                    };
                    in_flight.fetch_add(1, Ordering::SeqCst);
                    let answer = http(
                        port,
                        "POST",
                        path,
                        &[
                            ("Authorization", &auth),
                            ("Content-Type", "application/json"),
                        ],
                        &body.to_string(),
                    );
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let Ok(answer) = answer else {
                        // The server is gone: what was not answered was not acknowledged.
                        continue;
                    };
                    assert_eq!(answer.status, 201, "{path}: {}", answer.body);
                    let reply = answer.json();
                    let ack = if worker < 6 {
                        Acked::Entry {
                            id: reply["id"].as_i64().unwrap(),
                            review: format!("Crash-safety entry {tag}."),
                        }
                    } else {
                        Acked::Essay {
                            slug: reply["slug"].as_str().unwrap().to_string(),
                            title: format!("Crash safety draft {tag}"),
                        }
                    };
                    round_acks.lock().unwrap().push(ack);
                }
            }));
        }
        let delay = Duration::from_millis(300 + rng.below(1_500));
        std::thread::sleep(delay);
        let flying = in_flight.load(Ordering::SeqCst);
        assert!(
            server.kill(),
            "the server had exited: {}",
            server.log_tail()
        );
        stop.store(true, Ordering::Relaxed);
        for thread in threads {
            thread.join().unwrap();
        }
        let this_round = std::mem::take(&mut *round_acks.lock().unwrap());
        eprintln!(
            "round {round}: killed after {delay:?} with {flying} requests in flight; \
             {} writes acknowledged",
            this_round.len()
        );
        in_flight_at_kills.push(flying);
        acked.extend(this_round);

        integrity(&data).unwrap_or_else(|damage| panic!("round {round} (seed {seed}): {damage}"));
        server = Server::start(
            &data,
            &serve_args,
            &kg.path(&format!("serve-{}.log", round + 1)),
        );
        let missing = missing(server.port, &reader, &writer, &acked);
        assert!(
            missing.is_empty(),
            "round {round} (seed {seed}): {} of {} acknowledged writes lost after the restart, \
             e.g. {:?}",
            missing.len(),
            acked.len(),
            &missing[..missing.len().min(5)]
        );
    }
    eprintln!(
        "server kills: {rounds}, requests in flight at each {in_flight_at_kills:?}; \
         {} acknowledged writes all found after restarts",
        acked.len()
    );
}

/// The acknowledged writes the server does not have.
fn missing(port: u16, reader: &str, writer: &str, acked: &[Acked]) -> Vec<Acked> {
    let (reader, writer) = (format!("Bearer {reader}"), format!("Bearer {writer}"));
    acked
        .iter()
        .filter(|ack| {
            let (path, auth) = match ack {
                Acked::Entry { id, .. } => (format!("/api/diary/{id}"), &reader),
                Acked::Essay { slug, .. } => (format!("/api/essays/{slug}"), &writer),
            };
            let answer = http(port, "GET", &path, &[("Authorization", auth)], "").unwrap();
            if answer.status == 404 {
                return true;
            }
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            let body = answer.json();
            match ack {
                Acked::Entry { review, .. } => body["review"].as_str() != Some(review.as_str()),
                Acked::Essay { title, .. } => !body.to_string().contains(title.as_str()),
            }
        })
        .cloned()
        .collect()
}
