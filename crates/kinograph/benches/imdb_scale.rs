//! The IMDb-scale suite: at each size (100k → 1M → 3M titles by default) it generates the six
//! IMDb files (`kinograph-datagen`, gzipped as IMDb ships them) and measures, in one run:
//! - `kinograph import imdb` end to end to a searchable catalog (rows/s, wall time, peak RSS and
//!   peak `RssAnon`), beside the peers a user would pick instead, on the same files:
//!   `imdb-sqlite` and DuckDB's `read_csv` (PyPI), installed into a throw-away virtualenv in the
//!   work folder;
//! - search latency p50/p99 on the imported catalog, in-process and over HTTP;
//! - `kinograph check` on the model essay against the catalog (wall time, peak RSS);
//! - film page throughput under concurrent load (a loopback load generator) and the server's
//!   peak RSS.
//!
//! Then it prints the tables and draws the growth chart (`docs/bench/imdb-scale.svg`).
//!
//! Run: `cargo bench -p kinograph --bench imdb_scale`. Settings (environment):
//! `KINOGRAPH_BENCH_SIZES=100000,1000000` (titles per size), `KINOGRAPH_BENCH_DIR` (the work
//! folder, default a temporary one; 3M titles need about 15 GB), `KINOGRAPH_BENCH_PEERS=0` (skip
//! the peers), `KINOGRAPH_BENCH_SECONDS` (load test length, default 15). Needs `/usr/bin/time`
//! (Debian's `time`) for peak RSS, and `python3` with `venv` for the peers.
//! `KINOGRAPH_BENCH_REUSE=1` with a work folder of an earlier run skips generating and loading
//! and measures search, check and pages again on the catalog found there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use kinograph_datagen::{ImdbFile, ImdbSpec, write_imdb};
use kinograph_search::{SearchIndex, SearchQuery};

const KINOGRAPH: &str = env!("CARGO_BIN_EXE_kinograph");
const QUERIES: usize = 2_000;
const WARM_UP: usize = 200;
const LOAD_CONNECTIONS: usize = 32;

/// One tool's load of one size's files.
struct Load {
    tool: &'static str,
    rows: u64,
    run: Timed,
}

impl Load {
    fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.run.seconds.max(1e-9)
    }
}

/// Everything measured at one size.
struct Size {
    titles: u64,
    loads: Vec<Load>,
    reimport: Option<Load>,
    search_in_process: (f64, f64),
    search_http: (f64, f64),
    check: Option<(f64, f64)>,
    pages_per_second: f64,
    page_latency: (f64, f64),
    page_errors: u64,
    serve_rss_mb: f64,
    serve_anon_mb: f64,
}

/// What `timed` measured of one run.
struct Timed {
    seconds: f64,
    /// Peak resident set (`/usr/bin/time`'s `%M`: mapped files included).
    rss_mb: f64,
    /// Peak `RssAnon` (the tool's own heap and stacks, not the mapped files the kernel can
    /// drop), sampled every 200 ms.
    anon_mb: f64,
}

/// Runs `command` under `/usr/bin/time`, sampling the tool's own memory while it runs.
fn timed(command: Command, log: &Path) -> Timed {
    let time_file = log.with_extension("time");
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&time_file)
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    let out = std::fs::File::create(log).unwrap();
    let mut child = wrapped
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("/usr/bin/time (Debian package `time`) runs the tools");
    let mut anon_mb = f64::NAN;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        // The tool is `time`'s only child.
        let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", child.id()))
            .unwrap_or_default();
        if let Some(pid) = children
            .split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
        {
            // `f64::max` ignores a NaN on either side (no sample yet, or the tool just ended).
            anon_mb = anon_mb.max(status_mb(pid, "RssAnon:"));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let text = std::fs::read_to_string(&time_file).unwrap_or_default();
    let last = text.lines().last().unwrap_or_default();
    let mut fields = last.split_whitespace();
    let seconds: f64 = fields
        .next()
        .and_then(|f| f.parse().ok())
        .unwrap_or(f64::NAN);
    let rss_kb: f64 = fields
        .next()
        .and_then(|f| f.parse().ok())
        .unwrap_or(f64::NAN);
    if !status.success() {
        eprintln!("  (exit {status}; see {})", log.display());
    }
    Timed {
        seconds,
        rss_mb: rss_kb / 1024.0,
        anon_mb,
    }
}

/// A virtualenv with the peers, made once in the work folder; `None` when it cannot be made
/// (no `python3`, no registry), and the peers are left out.
fn peers(work: &Path) -> Option<PathBuf> {
    if std::env::var("KINOGRAPH_BENCH_PEERS").is_ok_and(|v| v == "0") {
        return None;
    }
    let venv = work.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!("installing imdb-sqlite and duckdb into {}", venv.display());
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success())
            && Command::new(venv.join("bin/pip"))
                .args(["install", "-q", "imdb-sqlite", "duckdb"])
                .status()
                .is_ok_and(|s| s.success());
        if !made {
            eprintln!("peers left out: could not make the virtualenv");
            return None;
        }
    }
    // The DuckDB load: each file into its own table with DuckDB's own CSV reader, told the
    // files' dialect (tabs, no quoting, `\N` null) as a user would.
    std::fs::write(
        work.join("duckdb_load.py"),
        "import duckdb, os, sys\n\
         src, db = sys.argv[1], sys.argv[2]\n\
         con = duckdb.connect(db)\n\
         for name in sorted(os.listdir(src)):\n\
         \x20   table = name.split('.tsv')[0].replace('.', '_')\n\
         \x20   con.execute(f\"CREATE TABLE {table} AS SELECT * FROM read_csv('{src}/{name}', \
         delim='\\t', quote='', escape='', header=true, nullstr='\\\\N')\")\n\
         con.close()\n",
    )
    .unwrap();
    Some(venv)
}

/// Names to look for, sampled evenly from the generated title.basics and name.basics:
/// (kind of probe, query text, prefix?).
fn probes(data: &Path, count: usize) -> Vec<(&'static str, String, bool)> {
    let titles = sample_column(&data.join("title.basics.tsv.gz"), 2, Some(5), count * 3 / 5);
    let people = sample_column(&data.join("name.basics.tsv.gz"), 1, None, count * 2 / 5);
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    for (i, pair) in titles.into_iter().enumerate() {
        names.push(pair);
        if let Some(person) = people.get(i * 2 / 3) {
            names.push(person.clone());
        }
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, (name, year))| match i % 10 {
            0..=3 => ("exact name", name, false),
            4 | 5 => ("typo", drop_a_letter(&name), false),
            6 | 7 => {
                let cut: String = name
                    .chars()
                    .take(name.chars().count() * 2 / 3 + 1)
                    .collect();
                ("prefix", cut, true)
            }
            8 => match year {
                Some(year) => ("name + year", format!("{name} {year}"), false),
                None => ("exact name", name, false),
            },
            _ => {
                let word = name.split_whitespace().last().unwrap_or(&name).to_string();
                ("one word", word, false)
            }
        })
        .take(count)
        .collect()
}

fn drop_a_letter(name: &str) -> String {
    let longest = name
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap_or(name);
    if longest.chars().count() < 5 {
        return name.to_string();
    }
    let mut typo: String = longest.chars().take(2).collect();
    typo.extend(longest.chars().skip(3));
    name.replacen(longest, &typo, 1)
}

/// Every n-th row's `column` (and `year_column`) of a gzipped IMDb file, about `count` rows.
fn sample_column(
    path: &Path,
    column: usize,
    year_column: Option<usize>,
    count: usize,
) -> Vec<(String, Option<String>)> {
    let rows = kinograph_datagen::count_rows(path).unwrap_or(0) as usize;
    let every = (rows / count.max(1)).max(1);
    let file = std::fs::File::open(path).unwrap();
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    reader
        .lines()
        .skip(1)
        .step_by(every)
        .map_while(Result::ok)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let name = fields.get(column)?.to_string();
            let year = year_column
                .and_then(|c| fields.get(c))
                .filter(|y| **y != "\\N")
                .map(|y| y.to_string());
            Some((name, year))
        })
        .take(count)
        .collect()
}

/// The film ids to ask for: every n-th tconst.
fn film_ids(data: &Path, count: usize) -> Vec<String> {
    sample_column(&data.join("title.basics.tsv.gz"), 0, None, count)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

fn percentiles(mut latencies: Vec<Duration>) -> (f64, f64) {
    latencies.sort();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies
            .get(i)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    (at(0.5), at(0.99))
}

fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            out.push(byte as char);
        } else {
            write!(out, "%{byte:02X}").unwrap();
        }
    }
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A memory figure of a running process from `/proc/PID/status` (`VmHWM`: peak resident,
/// mapped files included; `RssAnon`: its own heap and stacks now), in MB.
fn status_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Generates the files and loads them with Kinograph (twice) and the peers: the import table.
fn import_all(
    work: &Path,
    titles: u64,
    venv: Option<&Path>,
    data: &Path,
    catalog: &Path,
) -> (Vec<Load>, Option<Load>) {
    let spec = ImdbSpec {
        gzip: true,
        ..ImdbSpec::new(titles)
    };
    eprintln!("{titles} titles: generating {}", data.display());
    let written = write_imdb(&spec, data, &mut |_, _| {}).unwrap();
    let rows = written.total_rows();
    let mut loads = Vec::new();

    // Kinograph, end to end: every file into the catalog, and the search index built.
    let _ = std::fs::remove_dir_all(catalog);
    let mut import = Command::new(KINOGRAPH);
    import
        .arg("--data")
        .arg(catalog)
        .args(["import", "imdb"])
        .arg(data);
    eprintln!("  kinograph import imdb");
    let run = timed(import, &work.join(format!("kinograph-{titles}.log")));
    loads.push(Load {
        tool: "Kinograph (`import imdb`, to a searchable catalog)",
        rows,
        run,
    });
    // The same files again: every row unchanged.
    let mut again = Command::new(KINOGRAPH);
    again
        .arg("--data")
        .arg(catalog)
        .args(["import", "imdb"])
        .arg(data);
    eprintln!("  kinograph import imdb, again");
    let run = timed(again, &work.join(format!("kinograph-again-{titles}.log")));
    let reimport = Some(Load {
        tool: "Kinograph, the same files again (all unchanged)",
        rows,
        run,
    });

    if let Some(venv) = venv {
        // imdb-sqlite reads five of the six files (not title.crew), each into its own table,
        // then builds its indexes.
        let sqlite_rows = rows - written.rows(ImdbFile::TitleCrew);
        let db = work.join(format!("imdb-sqlite-{titles}.db"));
        let _ = std::fs::remove_file(&db);
        let mut peer = Command::new(venv.join("bin/imdb-sqlite"));
        peer.arg("--db")
            .arg(&db)
            .arg("--cache-dir")
            .arg(data)
            .args(["--only", "people,titles,akas,crew,ratings"]);
        eprintln!("  imdb-sqlite");
        let run = timed(peer, &work.join(format!("imdb-sqlite-{titles}.log")));
        loads.push(Load {
            tool: "imdb-sqlite (5 files: no title.crew)",
            rows: sqlite_rows,
            run,
        });
        let _ = std::fs::remove_file(&db);

        let db = work.join(format!("duckdb-{titles}.db"));
        let _ = std::fs::remove_file(&db);
        let mut peer = Command::new(venv.join("bin/python"));
        peer.arg(work.join("duckdb_load.py")).arg(data).arg(&db);
        eprintln!("  duckdb read_csv");
        let run = timed(peer, &work.join(format!("duckdb-{titles}.log")));
        loads.push(Load {
            tool: "DuckDB `read_csv` (plain load, no index)",
            rows,
            run,
        });
        let _ = std::fs::remove_file(&db);
    }
    (loads, reimport)
}

fn measure(work: &Path, titles: u64, venv: Option<&Path>) -> Size {
    let data = work.join(format!("imdb-{titles}"));
    let catalog = work.join(format!("kinograph-{titles}"));
    // With KINOGRAPH_BENCH_REUSE=1, the files and catalog an earlier run left in the work
    // folder are used as they are, and only the serving figures are measured again.
    let reuse = std::env::var_os("KINOGRAPH_BENCH_REUSE").is_some()
        && data.exists()
        && catalog.join("kinograph.sqlite").exists();
    let (loads, reimport) = if reuse {
        eprintln!(
            "{titles} titles: reusing {} and {}",
            data.display(),
            catalog.display()
        );
        (Vec::new(), None)
    } else {
        import_all(work, titles, venv, &data, &catalog)
    };

    // Search, in-process, on the index the import built.
    let probes = probes(&data, QUERIES + WARM_UP);
    let index = SearchIndex::open(&catalog).unwrap();
    let query = |(_, text, prefix): &(&str, String, bool)| {
        let mut query = SearchQuery::new(text.as_str());
        query.prefix = *prefix;
        query
    };
    // One unmeasured pass over every query first: the figures are of a warm index, not of the
    // disk reading its pages in for the first time.
    for probe in &probes {
        index.search(&query(probe)).unwrap();
    }
    let in_process: Vec<Duration> = probes
        .iter()
        .skip(WARM_UP)
        .map(|probe| {
            let started = Instant::now();
            index.search(&query(probe)).unwrap();
            started.elapsed()
        })
        .collect();
    drop(index);

    // The checker on the model essay, when the shared fixtures are there.
    let essay =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/anora-essay.txt");
    let check = essay.exists().then(|| {
        let mut check = Command::new(KINOGRAPH);
        check
            .arg("--data")
            .arg(&catalog)
            .arg("check")
            .arg(&essay)
            .args(["--format", "json"]);
        let run = timed(check, &work.join(format!("check-{titles}.log")));
        (run.seconds, run.rss_mb)
    });

    // The server: search over HTTP, then film pages under load.
    let port = free_port();
    let mut server = Command::new(KINOGRAPH)
        .arg("--data")
        .arg(&catalog)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ids = film_ids(&data, 5_000);
    let seconds: u64 = std::env::var("KINOGRAPH_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (search_http, pages, page_latencies, page_errors) = runtime.block_on(async {
        let client = Client::builder(TokioExecutor::new()).build_http::<Empty<bytes::Bytes>>();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = client
                .get(format!("{base}/healthz").parse().unwrap())
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut http = Vec::new();
        // Every query twice, the first pass unmeasured (as in-process).
        let passes = probes.iter().chain(probes.iter().skip(WARM_UP));
        for (i, (_, text, prefix)) in passes.enumerate() {
            let uri = format!(
                "{base}/api/search?q={}{}&limit=10",
                url_encode(text),
                if *prefix { "&prefix=true" } else { "" }
            );
            let t = Instant::now();
            let response = client.get(uri.parse().unwrap()).await.unwrap();
            response.into_body().collect().await.unwrap();
            if i >= probes.len() {
                http.push(t.elapsed());
            }
        }
        // Film pages: connections asking one after another for random films, for a while.
        let stop = Arc::new(AtomicBool::new(false));
        let ids = Arc::new(ids);
        let mut tasks = Vec::new();
        for connection in 0..LOAD_CONNECTIONS {
            let client = client.clone();
            let stop = stop.clone();
            let ids = ids.clone();
            let base = base.clone();
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut i = connection * 7919;
                while !stop.load(Ordering::Relaxed) {
                    i = (i + 104_729) % ids.len().max(1);
                    let uri = format!("{base}/films/{}", ids[i]);
                    let t = Instant::now();
                    match client.get(uri.parse().unwrap()).await {
                        Ok(response) => {
                            let ok = response.status().is_success();
                            let body = response.into_body().collect().await;
                            if !ok || body.is_err() {
                                errors += 1;
                            }
                        }
                        Err(_) => errors += 1,
                    }
                    latencies.push(t.elapsed());
                }
                (latencies, errors)
            }));
        }
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        let mut latencies = Vec::new();
        let mut errors = 0;
        for task in tasks {
            let (l, e) = task.await.unwrap();
            latencies.extend(l);
            errors += e;
        }
        let count = latencies.len() as f64;
        (http, count / seconds as f64, latencies, errors)
    });
    let serve_rss_mb = status_mb(server.id(), "VmHWM:");
    let serve_anon_mb = status_mb(server.id(), "RssAnon:");
    let _ = server.kill();
    let _ = server.wait();

    Size {
        titles,
        loads,
        reimport,
        search_in_process: percentiles(in_process),
        search_http: percentiles(search_http),
        check,
        pages_per_second: pages,
        page_latency: percentiles(page_latencies),
        page_errors,
        serve_rss_mb,
        serve_anon_mb,
    }
}

fn report(sizes: &[Size]) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "### Import: rows/s on the same files (gzipped), one run\n"
    )
    .unwrap();
    writeln!(
        out,
        "| titles | rows | tool | wall s | rows/s | peak RSS MB | peak anon MB |"
    )
    .unwrap();
    writeln!(out, "|---|---|---|---|---|---|---|").unwrap();
    for size in sizes {
        for load in size.loads.iter().chain(&size.reimport) {
            writeln!(
                out,
                "| {} | {} | {} | {:.1} | {:.0} | {:.0} | {:.0} |",
                size.titles,
                load.rows,
                load.tool,
                load.run.seconds,
                load.rows_per_second(),
                load.run.rss_mb,
                load.run.anon_mb
            )
            .unwrap();
        }
    }
    writeln!(out, "\n### Serving the imported catalog\n").unwrap();
    writeln!(
        out,
        "| titles | search p50/p99 ms in-process | search p50/p99 ms HTTP | check s (RSS MB) | film pages/s ({LOAD_CONNECTIONS} connections) | page p50/p99 ms | errors | serve peak RSS MB (anon MB after) |"
    )
    .unwrap();
    writeln!(out, "|---|---|---|---|---|---|---|---|").unwrap();
    for size in sizes {
        let check = size
            .check
            .map_or("—".to_string(), |(s, rss)| format!("{s:.2} ({rss:.0})"));
        writeln!(
            out,
            "| {} | {:.2} / {:.2} | {:.2} / {:.2} | {} | {:.0} | {:.1} / {:.1} | {} | {:.0} ({:.0}) |",
            size.titles,
            size.search_in_process.0,
            size.search_in_process.1,
            size.search_http.0,
            size.search_http.1,
            check,
            size.pages_per_second,
            size.page_latency.0,
            size.page_latency.1,
            size.page_errors,
            size.serve_rss_mb,
            size.serve_anon_mb
        )
        .unwrap();
    }
    out
}

/// Two panels: rows/s of each tool by size, and peak RSS of each by size.
fn chart(sizes: &[Size]) -> String {
    let tools: Vec<&str> = sizes
        .first()
        .map(|s| s.loads.iter().map(|l| l.tool).collect())
        .unwrap_or_default();
    let colours = ["#c0392b", "#2471a3", "#7d3c98", "#1e8449"];
    let (width, height, pad) = (360.0, 240.0, 50.0);
    let mut svg = String::new();
    write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" font-family="sans-serif" font-size="11">"#,
        // Room on the right for the last size's label.
        2.0 * width + 80.0,
        height + 90.0
    )
    .unwrap();
    type Figure = fn(&Load) -> f64;
    let panels: [(&str, Figure); 2] = [
        ("import rows/s", Load::rows_per_second),
        ("peak RSS (MB)", |l: &Load| l.run.rss_mb),
    ];
    for (p, (title, value)) in panels.iter().enumerate() {
        let left = p as f64 * (width + 40.0) + pad;
        let max = sizes
            .iter()
            .flat_map(|s| s.loads.iter().map(value))
            .filter(|v| v.is_finite())
            .fold(1.0_f64, f64::max);
        let x = |i: usize| left + (width - pad) * i as f64 / (sizes.len().max(2) - 1) as f64;
        let y = |v: f64| 20.0 + (height - 20.0) * (1.0 - v / max);
        write!(
            svg,
            r#"<text x="{left}" y="12" font-weight="bold">{title}</text><line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="dimgray"/><line x1="{left}" y1="20" x2="{left}" y2="{}" stroke="dimgray"/><text x="{}" y="24" text-anchor="end">{max:.0}</text><text x="{}" y="{}" text-anchor="end">0</text>"#,
            height,
            left + width - pad,
            height,
            height,
            left - 4.0,
            left - 4.0,
            height
        )
        .unwrap();
        for (i, size) in sizes.iter().enumerate() {
            write!(
                svg,
                r#"<text x="{}" y="{}" text-anchor="middle">{}k titles</text>"#,
                x(i),
                height + 15.0,
                size.titles / 1000
            )
            .unwrap();
        }
        for (t, tool) in tools.iter().enumerate() {
            let points: Vec<String> = sizes
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let load = s.loads.iter().find(|l| l.tool == *tool)?;
                    let v = value(load);
                    v.is_finite().then(|| format!("{:.1},{:.1}", x(i), y(v)))
                })
                .collect();
            let colour = colours[t % colours.len()];
            write!(
                svg,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
                points.join(" ")
            )
            .unwrap();
            for point in &points {
                let (px, py) = point.split_once(',').unwrap_or(("0", "0"));
                write!(
                    svg,
                    r#"<circle cx="{px}" cy="{py}" r="3" fill="{colour}"/>"#
                )
                .unwrap();
            }
        }
    }
    for (t, tool) in tools.iter().enumerate() {
        let colour = colours[t % colours.len()];
        let y = height + 35.0 + 15.0 * t as f64;
        let name = tool
            .replace('`', "")
            .replace('&', "&amp;")
            .replace('<', "&lt;");
        write!(
            svg,
            r#"<rect x="{pad}" y="{}" width="12" height="4" fill="{colour}"/><text x="{}" y="{y}">{name}</text>"#,
            y - 4.0,
            pad + 18.0
        )
        .unwrap();
    }
    svg.push_str("</svg>\n");
    svg
}

fn main() {
    let sizes: Vec<u64> = std::env::var("KINOGRAPH_BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000,3000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let temporary = tempfile::tempdir().unwrap();
    let work = std::env::var_os("KINOGRAPH_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| temporary.path().to_path_buf());
    std::fs::create_dir_all(&work).unwrap();
    let venv = peers(&work);
    let mut measured = Vec::new();
    for titles in sizes {
        measured.push(measure(&work, titles, venv.as_deref()));
        // Each size's report as soon as it is there: the largest takes a while.
        println!("{}", report(&measured));
    }
    if std::env::var_os("KINOGRAPH_BENCH_REUSE").is_some() {
        // No import figures to draw.
        return;
    }
    let chart_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/bench/imdb-scale.svg");
    std::fs::create_dir_all(chart_path.parent().unwrap()).unwrap();
    std::fs::write(&chart_path, chart(&measured)).unwrap();
    eprintln!("chart: {}", chart_path.display());
}
