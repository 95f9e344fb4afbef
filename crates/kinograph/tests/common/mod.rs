//! What every test of the binary needs: a data folder of its own, the real `kinograph`
//! executable pointed at it, and the fixtures. The store is the data folder's SQLite file, or a
//! fresh schema of the PostgreSQL database `KINOGRAPH_TEST_DATABASE_URL` names when it is set.

// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The path of a file in `tests/fixtures`, as a command-line argument.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    assert!(path.is_file(), "missing fixture {}", path.display());
    arg(&path)
}

/// A path as a command-line argument (the temporary folders' paths are UTF-8).
pub fn arg(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_string()
}

/// Copies the folder `from` to `to`, with what it holds. SQLite's shared-memory index of a
/// closed database is left out: the first connection to the copy rebuilds it from the log.
pub fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a writable temporary folder");
    for entry in std::fs::read_dir(from).expect("a readable template folder") {
        let entry = entry.expect("a readable template folder");
        let name = entry.file_name();
        if name.to_string_lossy().ends_with("-shm") {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().expect("a file type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy of a template file");
        }
    }
}

/// One test's temporary folder. `data/` in it is the data folder every command is given, and
/// does not exist until a command creates it; files a test writes go beside it. Every command
/// keeps its store in `database` (as `KINOGRAPH_DATABASE_URL`) when it is set.
pub struct Kg {
    dir: TempDir,
    database: Option<String>,
}

impl Kg {
    /// A test's folder, its store on the backend the test run asks for: a fresh schema of the
    /// PostgreSQL test database, else the SQLite file in the data folder.
    pub fn new() -> Self {
        let database = kinograph_store::testing::postgres_url().map(|url| {
            kinograph_store::testing::fresh_schema_url(&url)
                .expect("a fresh schema of the test database")
        });
        Kg {
            database,
            ..Kg::sqlite()
        }
    }

    /// A test's folder whose store is the SQLite file in the data folder whatever the run asks
    /// for: for tests of that file itself.
    pub fn sqlite() -> Self {
        Kg {
            dir: tempfile::tempdir().expect("a temporary folder"),
            database: None,
        }
    }

    /// A test's folder holding a copy of `template`'s store and data folder: for tests that
    /// each change a catalog that is slow to seed, seeded once.
    pub fn copy_of(template: &Kg) -> Self {
        let database = template.database.as_deref().map(|seeded| {
            let url = kinograph_store::testing::postgres_url()
                .expect("a PostgreSQL template comes from a PostgreSQL test run");
            kinograph_store::testing::copy_schema_url(&url, seeded)
                .expect("a copy of the template's schema")
        });
        let copy = Kg {
            database,
            ..Kg::sqlite()
        };
        if template.data().exists() {
            copy_folder(&template.data(), &copy.data());
        }
        copy
    }

    /// The PostgreSQL database the store is in, if it is not the data folder's SQLite file.
    pub fn database_url(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// `kinograph --data DATA` on this test's store, for a process the test drives itself.
    pub fn command(&self) -> std::process::Command {
        self.command_with_data(&self.data())
    }

    fn command_with_data(&self, data: &Path) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kinograph"));
        command
            .env_remove("KINOGRAPH_DATA")
            .env_remove("KINOGRAPH_OSCARS")
            .arg("--data")
            .arg(data);
        match &self.database {
            Some(url) => command.env("KINOGRAPH_DATABASE_URL", url),
            None => command.env_remove("KINOGRAPH_DATABASE_URL"),
        };
        command
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A path in the test's folder, beside the data folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `bytes` to `name` in the test's folder and returns its path as an argument.
    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("a writable temporary folder");
        arg(&path)
    }

    /// Runs `kinograph --data DATA ARGS…`. Whatever it exits with, it must not have panicked.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_data(&self.data(), args)
    }

    /// Runs `kinograph --data DIR ARGS…` with another data folder.
    pub fn run_with_data(&self, data: &Path, args: &[&str]) -> Run {
        self.run_fed(data, args, None)
    }

    /// Runs `kinograph --data DATA ARGS…` with `stdin` as its standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.run_fed(&self.data(), args, Some(stdin))
    }

    fn run_fed(&self, data: &Path, args: &[&str], stdin: Option<&str>) -> Run {
        let mut command = Command::from_std(self.command_with_data(data));
        command.args(args);
        if let Some(stdin) = stdin {
            command.write_stdin(stdin);
        }
        let output = command.output().expect("kinograph runs");
        let run = Run {
            command: format!("kinograph --data {} {}", data.display(), args.join(" ")),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(!run.stderr.contains("panicked"), "{run}");
        run
    }

    /// Runs a command that must succeed.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, Some(0), "expected success: {run}");
        run
    }

    /// Runs a command that must exit with `code` (1: nothing found, 2: error).
    pub fn fails(&self, args: &[&str], code: i32) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, Some(code), "expected exit status {code}: {run}");
        run
    }

    /// Runs a `--json` command that must succeed, and parses what it prints.
    pub fn json(&self, args: &[&str]) -> Value {
        self.ok(args).json()
    }

    pub fn status(&self) -> Value {
        self.json(&["status", "--json"])
    }
}

/// What a command did.
#[derive(Debug)]
pub struct Run {
    pub command: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` exited with {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// One line of an import summary: `  KIND: N new, N updated, N unchanged`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self}"))
    }

    /// The summary's tally of `kind` ("nominations", "films", …).
    pub fn tally(&self, kind: &str) -> Tally {
        self.tallies()
            .into_iter()
            .find(|(k, _)| k == kind)
            .map(|(_, t)| t)
            .unwrap_or_else(|| panic!("no `{kind}:` line in the summary: {self}"))
    }

    /// Every tally of the summary, in the order printed.
    pub fn tallies(&self) -> Vec<(String, Tally)> {
        let number = |word: &str| -> u64 {
            word.trim()
                .split_once(' ')
                .and_then(|(n, _)| n.parse().ok())
                .unwrap_or_else(|| panic!("bad summary line: {self}"))
        };
        self.stdout
            .lines()
            .filter_map(|line| line.strip_prefix("  ")?.split_once(": "))
            .filter(|(_, counts)| counts.ends_with(" unchanged"))
            .map(|(kind, counts)| {
                let parts: Vec<&str> = counts.split(", ").collect();
                assert_eq!(parts.len(), 3, "bad summary line: {self}");
                let tally = Tally {
                    new: number(parts[0]),
                    updated: number(parts[1]),
                    unchanged: number(parts[2]),
                };
                (kind.to_string(), tally)
            })
            .collect()
    }

    /// The summary's count of rejected rows.
    pub fn rejected(&self) -> u64 {
        self.stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix("rejected rows: "))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no `rejected rows:` line in the summary: {self}"))
    }
}

/// The string at JSON pointer `pointer` ("/person/name") in each element of the array `array`.
pub fn strings<'a>(array: &'a Value, pointer: &str) -> Vec<&'a str> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .map(|item| {
            item.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no string at {pointer} in {item}"))
        })
        .collect()
}
