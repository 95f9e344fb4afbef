//! What the crash-safety and load tests share: a `kinograph serve` process of their own on a
//! loopback port, a small blocking HTTP client, an API token got the way a member gets one, the
//! database's own integrity checks, and a seeded pseudo-random sequence (so a failing run can be
//! repeated exactly).

// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The binary under test (a debug build under `cargo test`).
pub const KINOGRAPH: &str = env!("CARGO_BIN_EXE_kinograph");

/// The database file in a data folder.
pub fn database(data: &Path) -> PathBuf {
    data.join("kinograph.sqlite")
}

/// A seed from `name` in the environment, else `default`.
pub fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a whole number")),
        Err(_) => default,
    }
}

/// SplitMix64: a tiny, well-mixed pseudo-random sequence that is the same for the same seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A fraction in `[lo, hi)`.
    pub fn between(&mut self, lo: f64, hi: f64) -> f64 {
        // 53 random bits make an evenly spread f64 in [0, 1).
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * unit
    }
}

/// SQLite's own checks of the database file: `integrity_check` must say `ok` and
/// `foreign_key_check` must find no row pointing at nothing. `Err` says what they found. A data
/// folder without a database (a command killed before it made one) passes.
pub fn integrity(data: &Path) -> Result<(), String> {
    let path = database(data);
    if !path.exists() {
        return Ok(());
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE;
    let conn = rusqlite::Connection::open_with_flags(&path, flags)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(|e| e.to_string())?;
    let mut statement = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| e.to_string())?;
    let verdicts: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .and_then(Iterator::collect)
        .map_err(|e| format!("integrity_check: {e}"))?;
    if verdicts != ["ok"] {
        return Err(format!("integrity_check: {verdicts:?}"));
    }
    let mut statement = conn
        .prepare("PRAGMA foreign_key_check")
        .map_err(|e| e.to_string())?;
    let orphans: Vec<String> = statement
        .query_map([], |row| {
            let table: String = row.get(0)?;
            let rowid: Option<i64> = row.get(1)?;
            let parent: String = row.get(2)?;
            Ok(format!("{table} row {rowid:?} -> {parent}"))
        })
        .and_then(Iterator::collect)
        .map_err(|e| format!("foreign_key_check: {e}"))?;
    if !orphans.is_empty() {
        return Err(format!(
            "foreign_key_check: {} dangling rows, e.g. {:?}",
            orphans.len(),
            &orphans[..orphans.len().min(5)]
        ));
    }
    Ok(())
}

/// The number of rows of every table of the database but those in `except`.
pub fn table_counts(data: &Path, except: &[&str]) -> BTreeMap<String, u64> {
    let conn = rusqlite::Connection::open(database(data)).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .and_then(Iterator::collect)
        .unwrap();
    tables
        .into_iter()
        .filter(|t| !except.contains(&t.as_str()))
        .map(|table| {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |row| {
                    row.get(0)
                })
                .unwrap();
            (table, u64::try_from(n).unwrap())
        })
        .collect()
}

/// Kills `child` with SIGKILL (what `Child::kill` sends on Unix) and reaps it. `false` when it
/// had already exited on its own, so nothing was cut short.
#[cfg(unix)]
pub fn sigkill(child: &mut Child) -> bool {
    let finished = child.try_wait().unwrap().is_some();
    if !finished {
        child.kill().unwrap();
    }
    let status = child.wait().unwrap();
    if finished {
        return false;
    }
    use std::os::unix::process::ExitStatusExt;
    // It may have exited between the look and the kill.
    status.signal() == Some(9)
}

/// A `kinograph serve` of the test's own, listening on a port the system chose; SIGKILLed
/// when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Server {
    /// Starts `kinograph --data DATA serve --addr 127.0.0.1:0 EXTRA…`, logging to `log`, and
    /// waits until it answers `/healthz`. Its store is the data folder's SQLite file unless
    /// `EXTRA` names a `--database-url`.
    pub fn start(data: &Path, extra: &[&str], log: &Path) -> Server {
        let mut kinograph = Command::new(KINOGRAPH);
        kinograph
            .env_remove("KINOGRAPH_DATA")
            .env_remove("KINOGRAPH_OSCARS")
            .env_remove("KINOGRAPH_DATABASE_URL")
            .arg("--data")
            .arg(data);
        Server::start_with(kinograph, extra, log)
    }

    /// [`Server::start`] with `kinograph`, a `kinograph --data DATA` command with its
    /// environment (e.g. `common::Kg::command`, which names the test's database).
    pub fn start_with(mut kinograph: Command, extra: &[&str], log: &Path) -> Server {
        let log_file = std::fs::File::create(log).unwrap();
        let mut child = kinograph
            .env("KINOGRAPH_LOG", "warn")
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .unwrap();
        // The one line it prints names the port; the rest of its output is drained so that it
        // never writes to a closed pipe.
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = sender.send(line);
            }
        });
        let started = Instant::now();
        let port = loop {
            match receiver.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                        let digits: String =
                            rest.chars().take_while(char::is_ascii_digit).collect();
                        break digits.parse::<u16>().unwrap();
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child.wait().unwrap();
                    panic!("serve exited ({status}): {}", tail(log));
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "serve did not start: {}",
                tail(log)
            );
        };
        let server = Server {
            child,
            port,
            log: log.to_path_buf(),
        };
        while http(port, "GET", "/healthz", &[], "").is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "serve does not answer: {}",
                tail(log)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, as a crash or an out-of-memory kill would stop it; `false` if it had exited.
    #[cfg(unix)]
    pub fn kill(&mut self) -> bool {
        sigkill(&mut self.child)
    }

    /// Whether it is still running.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().unwrap()
    }

    /// The end of its log, to show beside a failure.
    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last lines of a log file.
pub fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(30);
    format!("--- {}\n{}", path.display(), lines[from..].join("\n"))
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    /// The value of cookie `name` among those the answer sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .find_map(|(_, v)| {
                let pair = v.split(';').next()?;
                let (key, value) = pair.split_once('=')?;
                (key.trim() == name).then(|| value.trim().to_string())
            })
    }
}

/// One request on a connection of its own (`Connection: close`), blocking, with a 30-second
/// read timeout. `headers` are extra lines ("Authorization", "Cookie", "Content-Type"…).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_nodelay(true)?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    parse_answer(&bytes)
}

fn broken(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string())
}

fn parse_answer(bytes: &[u8]) -> std::io::Result<Answer> {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| broken("no end of headers"))?;
    let head = std::str::from_utf8(&bytes[..split]).map_err(|_| broken("headers not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.get(9..12))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| broken("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let raw = &bytes[split + 4..];
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked { dechunk(raw)? } else { raw.to_vec() };
    if let Some(length) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        && length != body.len()
    {
        return Err(broken("body cut short"));
    }
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| broken("chunk size cut short"))?;
        let size = std::str::from_utf8(&raw[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .ok_or_else(|| broken("bad chunk size"))?;
        raw = &raw[end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if raw.len() < size + 2 {
            return Err(broken("chunk cut short"));
        }
        body.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// `%`-encodes a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Makes account `name` with `role` through the command line (its password given on standard
/// input), as an operator would. `kinograph` is `kinograph --data DATA` with its environment
/// (e.g. `common::Kg::command`).
pub fn add_user(mut kinograph: Command, name: &str, role: &str, password: &str) {
    let mut child = kinograph
        .args(["user", "add", name, "--role", role, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "user add {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// An API token for `name`, got as a member gets one: log in on the site, then make a token on
/// the account page (both forms carrying the CSRF cookie's value).
pub fn api_token(port: u16, name: &str, password: &str) -> String {
    let csrf = "crashsafetycsrftokenxxxxxxxxxxxxxxxxxxxx";
    let cookie = format!("kg_csrf={csrf}");
    let form = format!(
        "name={}&password={}&csrf={csrf}",
        encode(name),
        encode(password)
    );
    let login = http(
        port,
        "POST",
        "/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &form,
    )
    .unwrap();
    let session = login
        .cookie("kg_session")
        .unwrap_or_else(|| panic!("log-in of {name} failed: {} {}", login.status, login.body));
    let cookies = format!("kg_csrf={csrf}; kg_session={session}");
    let page = http(
        port,
        "POST",
        "/account/tokens",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookies),
        ],
        &format!("name=tests&csrf={csrf}"),
    )
    .unwrap();
    assert_eq!(page.status, 200, "token for {name}: {}", page.body);
    let start = page
        .body
        .find("id=\"new-token\">")
        .unwrap_or_else(|| panic!("no new token on the page: {}", page.body))
        + "id=\"new-token\">".len();
    let token: String = page.body[start..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    assert!(token.starts_with("kgt_"), "{token}");
    token
}
