//! A bounded load test of a real `kinograph serve` on loopback: many connections at once mixing
//! page, API, search and feed reads with authenticated diary writes, for a fixed time. (Essay
//! checks are left out: in a debug build one takes seconds and holds a store connection while
//! it does, so 64 connections would measure the checker, not the server.) No answer
//! may be a server error, and every write the server acknowledged must be readable afterwards.
//! Throughput and latency are printed, never asserted.
//!
//! Longer or wider runs: `KINOGRAPH_LOAD_SECONDS` (10), `KINOGRAPH_LOAD_CONNECTIONS` (64),
//! `KINOGRAPH_LOAD_TITLES` (generated IMDb titles imported beside the demo world, 1,000),
//! `KINOGRAPH_LOAD_SEED`.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod harness;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use harness::{Rng, Server, encode, env_u64};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

const PASSWORD: &str = "load-test-password";
const READERS: usize = 4;

type Http = Client<HttpConnector, Full<Bytes>>;

/// What the load asks for, by kind, with its weight in the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    FilmPage,
    PersonPage,
    FilmApi,
    SearchApi,
    SearchPage,
    Feed,
    Home,
    DiaryApi,
    Ratings,
    Write,
}

const MIX: &[(Kind, u64)] = &[
    (Kind::FilmPage, 18),
    (Kind::PersonPage, 10),
    (Kind::FilmApi, 10),
    (Kind::SearchApi, 16),
    (Kind::SearchPage, 5),
    (Kind::Feed, 8),
    (Kind::Home, 4),
    (Kind::DiaryApi, 6),
    (Kind::Ratings, 5),
    (Kind::Write, 16),
];

/// What the load draws its requests from.
struct World {
    base: String,
    films: Vec<String>,
    people: Vec<String>,
    words: Vec<String>,
    feeds: Vec<String>,
    /// Each reader's name and token.
    readers: Vec<(String, String)>,
}

/// What one connection saw.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<Kind, Vec<Duration>>,
    statuses: BTreeMap<u16, u64>,
    /// Requests that got no answer (a connection error or a 30-second timeout).
    failures: Vec<String>,
    /// Answers that are neither success nor a rate limit, with what was asked.
    wrong: Vec<String>,
    /// Acknowledged writes: the reader's index, the entry id and its review.
    acked: Vec<(usize, i64, String)>,
    rate_limited_writes: u64,
}

fn request(
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: String,
) -> http::Request<Full<Bytes>> {
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Full::new(Bytes::from(body))).unwrap()
}

async fn send(client: &Http, req: http::Request<Full<Bytes>>) -> Result<(u16, Bytes), String> {
    let call = async {
        let response = client.request(req).await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, body))
    };
    tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .map_err(|_| "no answer in 30 s".to_string())?
}

/// One connection's loop: a request drawn from the mix, then the next, until `deadline`.
async fn connection(client: Http, world: Arc<World>, seed: u64, deadline: Instant) -> Tally {
    let mut rng = Rng::new(seed);
    let mut tally = Tally::default();
    let total: u64 = MIX.iter().map(|(_, w)| w).sum();
    let mut n = 0u64;
    while Instant::now() < deadline {
        n += 1;
        let mut pick = rng.below(total);
        let kind = MIX
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .unwrap()
            .0;
        let w = &world;
        let film = &w.films[rng.below(w.films.len() as u64) as usize];
        let person = &w.people[rng.below(w.people.len() as u64) as usize];
        let word = &w.words[rng.below(w.words.len() as u64) as usize];
        let reader = rng.below(w.readers.len() as u64) as usize;
        let (name, token) = &w.readers[reader];
        let auth = format!("Bearer {token}");
        let base = &w.base;
        let mut review = String::new();
        let req = match kind {
            Kind::FilmPage => request("GET", &format!("{base}/films/{film}"), &[], String::new()),
            Kind::PersonPage => request(
                "GET",
                &format!("{base}/people/{person}"),
                &[],
                String::new(),
            ),
            Kind::FilmApi => request(
                "GET",
                &format!("{base}/api/films/{film}"),
                &[],
                String::new(),
            ),
            Kind::SearchApi => {
                // Half of them as typed in a search box: a word cut short, as a prefix.
                let q = if rng.below(2) == 0 {
                    {
                        let start: String = word.chars().take(4).collect();
                        format!("{}&prefix=true", encode(&start))
                    }
                } else {
                    encode(word)
                };
                request(
                    "GET",
                    &format!("{base}/api/search?q={q}"),
                    &[],
                    String::new(),
                )
            }
            Kind::SearchPage => request(
                "GET",
                &format!("{base}/search?q={}", encode(word)),
                &[],
                String::new(),
            ),
            Kind::Feed => {
                let feed = &w.feeds[rng.below(w.feeds.len() as u64) as usize];
                request("GET", &format!("{base}{feed}"), &[], String::new())
            }
            Kind::Home => request("GET", &format!("{base}/"), &[], String::new()),
            Kind::DiaryApi => request(
                "GET",
                &format!("{base}/api/users/{name}/diary?limit=20"),
                &[("Authorization", &auth)],
                String::new(),
            ),
            Kind::Ratings => request(
                "GET",
                &format!("{base}/api/films/{film}/ratings"),
                &[],
                String::new(),
            ),
            Kind::Write => {
                review = format!("Load test entry {seed:x}-{n}.");
                let rating = f64::from(u8::try_from(rng.below(10)).unwrap() + 1) / 2.0;
                request(
                    "POST",
                    &format!("{base}/api/diary"),
                    &[
                        ("Authorization", &auth),
                        ("Content-Type", "application/json"),
                    ],
                    json!({
                        "film": film,
                        "rating": rating,
                        "liked": rng.below(4) == 0,
                        "review": review,
                        "tags": ["load-test"],
                        "private": rng.below(5) == 0,
                    })
                    .to_string(),
                )
            }
        };
        let what = format!("{} {}", req.method(), req.uri());
        let started = Instant::now();
        let answer = send(&client, req).await;
        let took = started.elapsed();
        match answer {
            Err(error) => tally.failures.push(format!("{what}: {error}")),
            Ok((status, body)) => {
                tally.latencies.entry(kind).or_default().push(took);
                *tally.statuses.entry(status).or_default() += 1;
                let expected = if kind == Kind::Write { 201 } else { 200 };
                if status == 429 {
                    if kind == Kind::Write {
                        tally.rate_limited_writes += 1;
                    }
                } else if status != expected {
                    let body = String::from_utf8_lossy(&body);
                    tally
                        .wrong
                        .push(format!("{what}: {status} {}", &body[..body.len().min(300)]));
                } else if kind == Kind::Write {
                    let entry: Value = serde_json::from_slice(&body).unwrap();
                    tally
                        .acked
                        .push((reader, entry["id"].as_i64().unwrap(), review));
                }
            }
        }
    }
    tally
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[test]
fn many_connections_mixing_reads_and_writes_get_no_server_error_and_lose_no_write() {
    let seconds = env_u64("KINOGRAPH_LOAD_SECONDS", 10);
    let connections = env_u64("KINOGRAPH_LOAD_CONNECTIONS", 64);
    let titles = env_u64("KINOGRAPH_LOAD_TITLES", 1_000);
    let seed = env_u64("KINOGRAPH_LOAD_SEED", 1_895);
    let kg = common::Kg::new();
    kg.ok(&["demo"]);
    let imdb = kg.path("imdb");
    let mut films: Vec<String> = common::strings(
        &kg.json(&["films", "--person", "Sean Baker", "--json"])["films"],
        "/id",
    )
    .into_iter()
    .map(String::from)
    .collect();
    let mut people = vec!["nm0048918".to_string()];
    let mut words = vec![
        "tangerine".to_string(),
        "anora".to_string(),
        "sean baker".to_string(),
        "florida project".to_string(),
    ];
    if titles > 0 {
        let titles = titles.to_string();
        kg.ok(&[
            "gen",
            "imdb",
            "--titles",
            &titles,
            "--out",
            &common::arg(&imdb),
        ]);
        kg.ok(&["import", "imdb", &common::arg(&imdb)]);
        let column = |file: &str, col: usize| -> Vec<String> {
            std::fs::read_to_string(imdb.join(file))
                .unwrap()
                .lines()
                .skip(1)
                .filter_map(|l| l.split('\t').nth(col).map(String::from))
                .collect()
        };
        films.extend(column("title.basics.tsv", 0));
        people.extend(column("name.basics.tsv", 0));
        words.extend(
            column("title.basics.tsv", 2)
                .into_iter()
                .chain(column("name.basics.tsv", 1))
                .filter(|w| w != "\\N")
                .take(300),
        );
    }
    for i in 0..READERS {
        harness::add_user(kg.command(), &format!("load-{i}"), "reader", PASSWORD);
    }
    // Writes are not rate limited here: every write should be answered and kept, and the
    // limiter would turn all but the first 120 a minute from one address into 429s.
    let server = Server::start_with(
        kg.command(),
        &["--writes-per-minute", "0"],
        &kg.path("serve.log"),
    );
    let readers: Vec<(String, String)> = (0..READERS)
        .map(|i| {
            let name = format!("load-{i}");
            let token = harness::api_token(server.port, &name, PASSWORD);
            (name, token)
        })
        .collect();
    let feeds: Vec<String> = [
        "/feeds/member/margot/atom",
        "/feeds/member/teo/rss",
        "/feeds/member/load-0/atom",
        "/feeds/person/nm0048918/rss",
        "/feeds/publication/kinograph-review/atom",
        "/feeds/writer/kinograph-editors/rss",
        "/feeds/tag/parasite/atom",
    ]
    .into_iter()
    .map(String::from)
    .chain([format!("/feeds/film/{}/atom", films[0])])
    .collect();
    // Every request kind answers before the load starts, so a wrong address is not mistaken
    // for a failure under load.
    for feed in &feeds {
        let answer = harness::http(server.port, "GET", feed, &[], "").unwrap();
        assert_eq!(answer.status, 200, "{feed}: {}", answer.body);
    }
    eprintln!(
        "load: {connections} connections for {seconds} s against {} films, {} people \
         (seed {seed})",
        films.len(),
        people.len()
    );
    let world = Arc::new(World {
        base: format!("http://127.0.0.1:{}", server.port),
        films,
        people,
        words,
        feeds,
        readers,
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (tallies, elapsed, lost, unchecked) = runtime.block_on(async {
        let client: Http = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(usize::try_from(connections).unwrap())
            .build_http();
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..connections)
            .map(|c| {
                tokio::spawn(connection(
                    client.clone(),
                    world.clone(),
                    seed.wrapping_mul(1_000).wrapping_add(c),
                    deadline,
                ))
            })
            .collect();
        let mut tallies = Vec::new();
        for task in tasks {
            tallies.push(task.await.unwrap());
        }
        let elapsed = started.elapsed();
        // Every acknowledged write, read back by its owner.
        let mut lost = Vec::new();
        let mut unchecked = 0;
        for tally in &tallies {
            for (reader, id, review) in &tally.acked {
                let auth = format!("Bearer {}", world.readers[*reader].1);
                let uri = format!("{}/api/diary/{id}", world.base);
                match send(
                    &client,
                    request("GET", &uri, &[("Authorization", &auth)], String::new()),
                )
                .await
                {
                    Ok((200, body)) => {
                        let entry: Value = serde_json::from_slice(&body).unwrap();
                        if entry["review"].as_str() != Some(review.as_str()) {
                            lost.push(format!("{id}: {entry}"));
                        }
                    }
                    Ok((status, _)) => lost.push(format!("{id}: {status}")),
                    Err(_) => unchecked += 1,
                }
            }
        }
        (tallies, elapsed, lost, unchecked)
    });

    let mut all = Vec::new();
    let mut by_kind: BTreeMap<Kind, Vec<Duration>> = BTreeMap::new();
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let (mut failures, mut wrong, mut acked, mut limited) = (Vec::new(), Vec::new(), 0, 0);
    for tally in tallies {
        for (kind, latencies) in tally.latencies {
            all.extend(&latencies);
            by_kind.entry(kind).or_default().extend(latencies);
        }
        for (status, n) in tally.statuses {
            *statuses.entry(status).or_default() += n;
        }
        failures.extend(tally.failures);
        wrong.extend(tally.wrong);
        acked += tally.acked.len();
        limited += tally.rate_limited_writes;
    }
    all.sort();
    let answered = all.len();
    eprintln!(
        "load: {answered} answers in {elapsed:.1?} = {:.0} requests/s; p50 {:.1?}, p90 {:.1?}, \
         p99 {:.1?}, max {:.1?}; statuses {statuses:?}; {acked} writes acknowledged, \
         {limited} writes rate limited (429), {} without an answer",
        answered as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.50),
        percentile(&all, 0.90),
        percentile(&all, 0.99),
        all.last().copied().unwrap_or_default(),
        failures.len(),
    );
    for (kind, mut latencies) in by_kind {
        latencies.sort();
        eprintln!(
            "  {kind:?}: {} answers, p50 {:.1?}, p99 {:.1?}",
            latencies.len(),
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99)
        );
    }
    let server_errors: u64 = statuses
        .iter()
        .filter(|(s, _)| **s >= 500)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        server_errors,
        0,
        "server errors under load: {:?}\n{}",
        &wrong[..wrong.len().min(10)],
        server.log_tail()
    );
    assert!(
        wrong.is_empty(),
        "{} unexpected answers, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
    assert!(
        failures.is_empty(),
        "{} requests got no answer, e.g. {:?}\n{}",
        failures.len(),
        &failures[..failures.len().min(10)],
        server.log_tail()
    );
    assert!(acked > 0, "no write was acknowledged");
    assert_eq!(unchecked, 0, "some writes could not be read back");
    assert!(
        lost.is_empty(),
        "{} of {acked} acknowledged writes lost, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(10)]
    );
}
