//! `kinograph serve` as an operator runs it: a real process on a loopback port, following
//! what other commands write, and stopping cleanly on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Kg, fixture};
use serde_json::Value;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `GET path`: the status and the body, or `None` while nothing listens.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    request(port, "GET", path, "")
}

fn request(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.get(9..12)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

fn start(kg: &Kg) -> (Running, u16) {
    let port = free_port();
    let child = kg
        .command()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while get(port, "/healthz").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (Running(child), port)
}

fn search_total(port: u16, query: &str) -> u64 {
    let (status, body) = get(port, &format!("/api/search?q={query}")).unwrap();
    assert_eq!(status, 200, "{body}");
    let results: Value = serde_json::from_str(&body).unwrap();
    results["total"].as_u64().unwrap()
}

#[test]
fn what_another_command_imports_is_soon_searchable_on_the_site() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let (_server, port) = start(&kg);
    assert_eq!(search_total(port, "valdmaa"), 0);

    kg.ok(&["import", "catalog", &fixture("search-catalog.toml")]);
    let imported = Instant::now();
    // The server looks for changes every second; allow for a slow machine.
    while search_total(port, "valdmaa") == 0 {
        assert!(
            imported.elapsed() < Duration::from_secs(10),
            "the import never became searchable on the site"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "searchable on the site {:?} after the import returned",
        imported.elapsed()
    );
    let (status, page) = get(port, "/people/nm9400002").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("Ines Valdmaa"));

    // The checker, built over the names the catalog had at start, is rebuilt with the new ones.
    let linked = || {
        let (status, body) = request(port, "POST", "/api/check", "We met Ines Valdmaa.").unwrap();
        assert_eq!(status, 200, "{body}");
        let report: Value = serde_json::from_str(&body).unwrap();
        report["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["entity"]["id"] == "nm9400002")
    };
    while !linked() {
        assert!(
            imported.elapsed() < Duration::from_secs(20),
            "the checker never learned the imported names"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let (mut server, port) = start(&kg);
    assert_eq!(get(port, "/readyz").unwrap().0, 200);
    let killed = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    assert!(
        get(port, "/healthz").is_none(),
        "still listening after shutdown"
    );
}

#[test]
fn serve_without_a_catalog_says_what_to_do() {
    // Only the embedded database can be missing: PostgreSQL's is always there (its tables made
    // at the first connection).
    let kg = Kg::sqlite();
    let run = kg.run(&["serve", "--addr", "127.0.0.1:0"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("kinograph demo"), "{run}");
}
