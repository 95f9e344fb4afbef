//! Search latency over HTTP: the same synthetic catalog and mixed query set as
//! `kinograph-search`'s `search_latency` bench, asked of `GET /api/search` on a real loopback
//! socket (one keep-alive connection, one query at a time), beside the same queries in-process
//! in the same run, so the table shows what HTTP, routing and JSON add.
//!
//! Run: `cargo bench -p kinograph-web --bench http_search` (`KINOGRAPH_BENCH_TITLES=N`:
//! 1,000,000 titles by default, plus half as many people).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use kinograph_search::{SearchIndex, SearchQuery, add_entries};
use kinograph_store::{OpenMode, Store};
use kinograph_web::{AppState, Site};

// This bench times answers; it does not grade them (`Probe::target` is the search bench's).
#[allow(dead_code)]
#[path = "../../search/benches/support/synthetic.rs"]
mod synthetic;

use synthetic::{Probe, catalog, ms, percentile, queries};

fn query_of(probe: &Probe) -> SearchQuery {
    let mut query = SearchQuery::new(probe.text.as_str());
    // Prefix probes are what a search box sends as the reader types.
    query.prefix = probe.kind == "prefix";
    query
}

fn summary(label: &str, mut latencies: Vec<Duration>) -> String {
    latencies.sort();
    let mean = latencies.iter().sum::<Duration>() / latencies.len().max(1) as u32;
    format!(
        "| {label} | {} | {} | {} | {} |",
        latencies.len(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(mean)
    )
}

fn main() {
    let titles: usize = std::env::var("KINOGRAPH_BENCH_TITLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let entries = catalog(titles);
    let set = queries(&entries, 2_000);
    drop(Store::open_sqlite(dir.path(), OpenMode::CreateIfMissing).unwrap());
    let started = Instant::now();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        add_entries(&index, &entries).unwrap();
    }
    eprintln!("indexed {} names in {:?}", entries.len(), started.elapsed());
    drop(entries);

    // In-process, in this run: the baseline HTTP adds to.
    let index = SearchIndex::open(dir.path()).unwrap();
    for probe in set.iter().take(200) {
        index.search(&query_of(probe)).unwrap();
    }
    let in_process: Vec<Duration> = set
        .iter()
        .map(|probe| {
            let started = Instant::now();
            index.search(&query_of(probe)).unwrap();
            started.elapsed()
        })
        .collect();
    drop(index);

    let state = AppState::open(
        dir.path(),
        Site {
            name: "Kinograph".into(),
            base_url: "http://127.0.0.1".into(),
        },
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let query_count = set.len();
    let over_http = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(kinograph_web::serve(
            listener,
            state,
            std::future::pending(),
        ));
        let client = Client::builder(TokioExecutor::new()).build_http::<Empty<bytes::Bytes>>();
        let uri = |probe: &Probe| {
            let q: String = url_encode(&probe.text);
            let prefix = if probe.kind == "prefix" {
                "&prefix=true"
            } else {
                ""
            };
            format!("http://{addr}/api/search?q={q}{prefix}&limit=10")
                .parse::<hyper::Uri>()
                .unwrap()
        };
        for probe in set.iter().take(200) {
            let response = client.get(uri(probe)).await.unwrap();
            response.into_body().collect().await.unwrap();
        }
        let mut latencies = Vec::with_capacity(set.len());
        for probe in &set {
            let started = Instant::now();
            let response = client.get(uri(probe)).await.unwrap();
            assert!(response.status().is_success());
            response.into_body().collect().await.unwrap();
            latencies.push(started.elapsed());
        }
        latencies
    });

    println!(
        "Search latency, {titles} titles + {} people, {} mixed queries, one at a time:\n",
        titles / 2,
        query_count
    );
    println!("| path | queries | p50 ms | p99 ms | mean ms |");
    println!("|---|---|---|---|---|");
    println!(
        "{}",
        summary("in-process (`SearchIndex::search`)", in_process)
    );
    println!(
        "{}",
        summary("HTTP (`GET /api/search`, keep-alive, loopback)", over_http)
    );
}

/// Percent-encodes a query string value.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
