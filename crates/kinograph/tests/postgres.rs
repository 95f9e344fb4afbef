//! Kinograph on PostgreSQL as a magazine runs it: several `kinograph serve` nodes on one
//! database, each with its own search index, and `kinograph migrate` from the embedded SQLite.
//! These run when `KINOGRAPH_TEST_DATABASE_URL` names a PostgreSQL database
//! (`scripts/test-postgres` starts a throw-away cluster); otherwise they say they skip.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use harness::{KINOGRAPH, Server, api_token, encode, http};
use serde_json::{Value, json};

/// A fresh schema of the test database, or `None` (with a note) when the run names none.
fn database(test: &str) -> Option<String> {
    match kinograph_store::testing::postgres_url() {
        Some(url) => Some(kinograph_store::testing::fresh_schema_url(&url).unwrap()),
        None => {
            eprintln!(
                "skipping {test}: set {} to a PostgreSQL database (scripts/test-postgres does)",
                kinograph_store::testing::DATABASE_URL_VAR
            );
            None
        }
    }
}

/// `kinograph --data DATA [--database-url URL] ARGS…`, with `stdin` fed to it.
fn kinograph(data: &Path, url: Option<&str>, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(KINOGRAPH);
    command
        .env_remove("KINOGRAPH_DATA")
        .env_remove("KINOGRAPH_DATABASE_URL")
        .env_remove("KINOGRAPH_OSCARS")
        .arg("--data")
        .arg(data);
    if let Some(url) = url {
        command.args(["--database-url", url]);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(data: &Path, url: Option<&str>, args: &[&str], stdin: &str) -> String {
    let output = kinograph(data, url, args, stdin);
    assert!(
        output.status.success(),
        "kinograph {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn search_total(port: u16, query: &str) -> u64 {
    let answer = http(
        port,
        "GET",
        &format!("/api/search?q={}", encode(query)),
        &[],
        "",
    )
    .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["total"].as_u64().unwrap()
}

fn post_json(port: u16, path: &str, token: &str, body: &Value) -> harness::Answer {
    http(
        port,
        "POST",
        path,
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("Content-Type", "application/json"),
        ],
        &body.to_string(),
    )
    .unwrap()
}

#[test]
fn two_nodes_share_one_database_and_each_serves_without_the_other() {
    let Some(url) = database("two_nodes_share_one_database_and_each_serves_without_the_other")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (a_data, b_data) = (dir.path().join("node-a"), dir.path().join("node-b"));
    ok(&a_data, Some(&url), &["demo"], "");
    ok(
        &a_data,
        Some(&url),
        &["user", "add", "ines", "--role", "admin", "--password-stdin"],
        "a long enough password\n",
    );
    let node_args = ["--database-url", url.as_str()];
    let mut a = Server::start(&a_data, &node_args, &dir.path().join("a.log"));
    // Node B starts with an empty search index of its own: it catches up from the change log.
    let b = Server::start(&b_data, &node_args, &dir.path().join("b.log"));
    assert!(
        search_total(b.port, "Anora") > 0,
        "node B did not catch up: {}",
        b.log_tail()
    );

    // A token made on node A (a session there) works on node B: both live in the database.
    let token = api_token(a.port, "ines", "a long enough password");
    let draft = post_json(
        b.port,
        "/api/essays",
        &token,
        &json!({"title": "Quillfeather notes", "body": "Sean Baker directed Anora."}),
    );
    assert_eq!(draft.status, 201, "{}", draft.body);

    // A write through node A is searchable on node B within a second.
    let created = post_json(
        a.port,
        "/api/essays",
        &token,
        &json!({
            "title": "Zanzibarine weather",
            "body": "Sean Baker directed Anora, which won the Palme d'Or.",
        }),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let slug = created.json()["slug"].as_str().unwrap().to_string();
    assert_eq!(
        search_total(b.port, "Zanzibarine"),
        0,
        "a draft is not public"
    );
    for action in ["submit", "review", "approve"] {
        let answer = post_json(
            a.port,
            &format!("/api/essays/{slug}/actions/{action}"),
            &token,
            &json!({}),
        );
        assert_eq!(answer.status, 200, "{action}: {}", answer.body);
    }
    let published = post_json(
        a.port,
        &format!("/api/essays/{slug}/actions/publish"),
        &token,
        &json!({}),
    );
    assert_eq!(published.status, 200, "{}", published.body);
    let written = Instant::now();
    while search_total(b.port, "Zanzibarine") == 0 {
        assert!(
            written.elapsed() < Duration::from_secs(1),
            "not searchable on node B a second after node A published it: {}",
            b.log_tail()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "published on node A, found on node B {:?} later",
        written.elapsed()
    );

    // Node A dies in the middle of a request; node B goes on reading and writing.
    let essay: String = "Sean Baker directed Tangerine and The Florida Project. ".repeat(400);
    let port = a.port;
    let in_flight = std::thread::spawn(move || http(port, "POST", "/api/check", &[], &essay));
    std::thread::sleep(Duration::from_millis(50));
    assert!(a.kill(), "node A had already stopped: {}", a.log_tail());
    let _cut_short = in_flight.join().unwrap();
    assert!(
        http(a.port, "GET", "/healthz", &[], "").is_err(),
        "node A still answers"
    );
    for path in ["/healthz", "/readyz", "/films/tt28607951", "/essays"] {
        let answer = http(b.port, "GET", path, &[], "").unwrap();
        assert_eq!(answer.status, 200, "{path} on node B: {}", answer.body);
    }
    assert!(search_total(b.port, "Zanzibarine") > 0);
    let after = post_json(
        b.port,
        "/api/essays",
        &token,
        &json!({"title": "After the fall", "body": "Sean Baker directed Tangerine."}),
    );
    assert_eq!(after.status, 201, "{}", after.body);
}

/// Every table's row count in the PostgreSQL schema at `url`.
fn postgres_counts(url: &str) -> BTreeMap<String, u64> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name <> 'kinograph_schema'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    tables
        .into_iter()
        .map(|table| {
            let n: i64 = client
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .unwrap()
                .get(0);
            (table, u64::try_from(n).unwrap())
        })
        .collect()
}

#[test]
fn migrate_copies_the_demo_instance_with_every_count_equal() {
    let Some(url) = database("migrate_copies_the_demo_instance_with_every_count_equal") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("embedded");
    ok(&sqlite, None, &["demo"], "");
    ok(
        &sqlite,
        None,
        &[
            "user",
            "add",
            "ines",
            "--role",
            "editor",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    let before = harness::table_counts(&sqlite, &[]);
    let status_before: Value =
        serde_json::from_str(&ok(&sqlite, None, &["status", "--json"], "")).unwrap();

    let report = ok(&sqlite, None, &["migrate", "--to", &url], "");
    assert!(report.contains("every table's count matches"), "{report}");

    // The copy holds every row of every table, plus the rebuild entry that tells each node's
    // search index to index it whole.
    let mut after = postgres_counts(&url);
    let log = after.get_mut("search_changes").unwrap();
    *log -= 1;
    assert_eq!(after, before);

    // Served from PostgreSQL, with a new node's index built from the copy.
    let node = dir.path().join("node");
    let status_after: Value =
        serde_json::from_str(&ok(&node, Some(&url), &["status", "--json"], "")).unwrap();
    for key in [
        "schema_version",
        "films",
        "people",
        "companies",
        "credits",
        "ceremonies",
        "nominations",
    ] {
        assert_eq!(status_after[key], status_before[key], "{key}");
    }
    let found: Value =
        serde_json::from_str(&ok(&node, Some(&url), &["search", "Anora", "--json"], "")).unwrap();
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");

    // A second migrate into the now full database is refused and changes nothing.
    let again = kinograph(&sqlite, None, &["migrate", "--to", &url], "");
    assert!(!again.status.success());
    let message = String::from_utf8_lossy(&again.stderr);
    assert!(message.contains("empty database only"), "{message}");
    let mut unchanged = postgres_counts(&url);
    *unchanged.get_mut("search_changes").unwrap() -= 1;
    assert_eq!(unchanged, before);
}

/// The import a command ran must not hold up the next command, even one that starts the same
/// instant: the server would let go of the claim only once the connection's backend process
/// has exited, which can come after the next command asks for it. (The race shows on a busy
/// machine: CI's `demo`, whose Oscars import follows its catalog import, was refused so.)
#[test]
fn a_finished_imports_claim_is_free_at_once() {
    let Some(url) = database("a_finished_imports_claim_is_free_at_once") else {
        return;
    };
    let mut next = kinograph_store::Store::open_postgres(&url).unwrap();
    for round in 0..100 {
        let mut finished = kinograph_store::Store::open_postgres(&url).unwrap();
        finished.claim(kinograph_store::Job::Import).unwrap();
        drop(finished);
        next.claim(kinograph_store::Job::Import)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        // Give it back for the next round's store (a new store releases on drop).
        next = kinograph_store::Store::open_postgres(&url).unwrap();
    }
}

#[test]
fn an_import_is_refused_while_another_runs_on_the_same_database() {
    let Some(url) = database("an_import_is_refused_while_another_runs_on_the_same_database") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Another node's import, holding its claim.
    let mut running = kinograph_store::Store::open_postgres(&url).unwrap();
    running.claim(kinograph_store::Job::Import).unwrap();

    let refused = kinograph(&dir.path().join("node"), Some(&url), &["demo"], "");
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("already running"), "{message}");
    let counts = postgres_counts(&url);
    assert_eq!(counts["films"], 0, "the refused import wrote nothing");

    // Its connection gone (the import ended, or its node died), the claim goes with it.
    drop(running);
    ok(&dir.path().join("node"), Some(&url), &["demo"], "");
}
