//! The diary under a realistic multi-user load: the MovieLens "small" data set (610 readers,
//! 100,836 ratings) imported as reader accounts over a catalog of the real Academy Awards data
//! plus every MovieLens film, each reader following 50 others. Times the import, then the
//! diary's reads in-process (`DiaryRead`) and the pages and API routes that use them over HTTP
//! (the real router on a loopback socket, one keep-alive connection, one request at a time),
//! and reports peak RSS.
//!
//! Run: `cargo bench -p kinograph-web --bench diary_load`. Needs `../shared/data/movielens-small`
//! and `../shared/data/oscars/oscars.csv` (skipped, with a message, without them).
//! `KINOGRAPH_BENCH_MOVIELENS=DIR`: another copy of the data set; `KINOGRAPH_BENCH_DATA=DIR`:
//! build the catalog in `DIR` (new or empty) and keep it, to study its queries with `sqlite3`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use kinograph_catalog::{FilmRecord, Provenance};
use kinograph_diary::{ViewingQuery, stats};
use kinograph_import::diary::{import_movielens, movielens_user};
use kinograph_import::{NoProgress, movielens, oscars};
use kinograph_store::{CatalogRead, DiaryRead, EditorialRead, OpenMode, Store};
use kinograph_web::{AppState, Site};

/// How many others each reader follows (the next ids, wrapping).
const FOLLOWS: usize = 50;
/// Films of each kind whose ratings are read: the most rated, and as many rarely rated.
const FILMS_PER_GROUP: usize = 100;
/// The readers with the most ratings, for the stats and the heavy-user rows.
const HEAVY_USERS: usize = 20;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// A table row: label, count, p50, p99, max, mean (and an extra column when given).
fn row(label: &str, mut latencies: Vec<Duration>, extra: Option<String>) -> String {
    latencies.sort();
    let mean = latencies.iter().sum::<Duration>() / latencies.len().max(1) as u32;
    let extra = extra.map(|e| format!(" {e} |")).unwrap_or_default();
    format!(
        "| {label} | {} | {} | {} | {} | {} |{extra}",
        latencies.len(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap()),
        ms(mean),
    )
}

/// Runs `f` over `items` once unmeasured, then `rounds` times measured.
fn measure<T>(items: &[T], rounds: usize, mut f: impl FnMut(&T)) -> Vec<Duration> {
    for item in items {
        f(item);
    }
    let mut out = Vec::with_capacity(items.len() * rounds);
    for _ in 0..rounds {
        for item in items {
            let started = Instant::now();
            f(item);
            out.push(started.elapsed());
        }
    }
    out
}

/// A field of `/proc/self/status` in kB (`VmHWM`: peak RSS; `VmRSS`: current).
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or("?".into(), |kb| format!("{} MB", kb / 1024))
}

/// A MovieLens film of `movies.csv`: `(movieId, title, year, genres, line)`.
type Movie = (u32, String, Option<i32>, Vec<String>, u64);

/// Reads `movies.csv` (`movieId,title,genres`; a title with a comma is quoted, `""` inside).
/// "Toy Story (1995)" is the title "Toy Story" of 1995; "American President, The (1995)" is
/// "The American President".
fn read_movies(path: &Path) -> Vec<Movie> {
    let file = std::fs::File::open(path).unwrap();
    let mut movies = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate().skip(1) {
        let line = line.unwrap();
        let (id, rest) = line.split_once(',').unwrap();
        let (title, genres) = match rest.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.rfind("\",").unwrap();
                (quoted[..end].replace("\"\"", "\""), &quoted[end + 2..])
            }
            None => {
                let (title, genres) = rest.rsplit_once(',').unwrap();
                (title.to_string(), genres)
            }
        };
        let title = title.trim();
        let (title, year) = match title.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
            Some((name, year)) if year.len() == 4 && year.parse::<i32>().is_ok() => {
                (name.trim(), year.parse().ok())
            }
            _ => (title, None),
        };
        let mut title = title.to_string();
        for article in [
            "The", "A", "An", "Les", "La", "Le", "L'", "Il", "Das", "Die", "Der", "El",
        ] {
            if let Some(name) = title.strip_suffix(&format!(", {article}")) {
                let space = if article.ends_with('\'') { "" } else { " " };
                title = format!("{article}{space}{name}");
                break;
            }
        }
        let genres = genres
            .split('|')
            .filter(|g| !g.is_empty() && !g.starts_with('('))
            .map(str::to_string)
            .collect();
        movies.push((id.parse().unwrap(), title, year, genres, i as u64 + 1));
    }
    movies
}

fn main() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let ml_dir: PathBuf = std::env::var_os("KINOGRAPH_BENCH_MOVIELENS")
        .map_or_else(|| shared.join("movielens-small"), PathBuf::from);
    let oscars_csv = shared.join("oscars/oscars.csv");
    let needed = [
        ml_dir.join("movies.csv"),
        ml_dir.join("links.csv"),
        ml_dir.join("ratings.csv"),
        oscars_csv.clone(),
    ];
    if let Some(missing) = needed.iter().find(|p| !p.is_file()) {
        println!(
            "diary_load skipped: {} is missing (needs the MovieLens small data set and the \
             Academy Awards data under ../shared/data)",
            missing.display()
        );
        return;
    }

    // ------------------------------------------------------------------------------------
    // The catalog: the Academy Awards, then every MovieLens film the Oscars lack.
    // `KINOGRAPH_BENCH_DATA=DIR` builds the catalog there and keeps it (to study its queries).
    let temp = tempfile::tempdir().unwrap();
    let data: PathBuf = std::env::var_os("KINOGRAPH_BENCH_DATA")
        .map_or_else(|| temp.path().to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&data).unwrap();
    assert!(
        !data.join(kinograph_store::SQLITE_FILE).exists(),
        "{} holds a catalog already",
        data.display()
    );
    let mut store = Store::open_sqlite(&data, OpenMode::CreateIfMissing).unwrap();
    let started = Instant::now();
    let file = std::fs::File::open(&oscars_csv).unwrap();
    let reader = oscars::Reader::new(BufReader::new(file), "oscars.csv").unwrap();
    oscars::import(&mut store, reader, &mut NoProgress, None).unwrap();
    let oscars_time = started.elapsed();

    let started = Instant::now();
    let links = movielens::read_links(&ml_dir.join("links.csv")).unwrap();
    let movies = read_movies(&ml_dir.join("movies.csv"));
    let mut records = Vec::new();
    let mut in_oscars = 0;
    for (movie, title, year, genres, line) in &movies {
        let Some(imdb) = links.imdb_id(*movie) else {
            continue;
        };
        // A film the Oscars data has keeps its title from there.
        if store.film(imdb).unwrap().is_some() {
            in_oscars += 1;
            continue;
        }
        let mut film = FilmRecord::new(
            imdb,
            title.as_str(),
            Provenance::line("movielens-small/movies.csv", *line),
        );
        film.year = *year;
        film.genres = genres.clone();
        records.push(film);
    }
    let put = records.len();
    store
        .write(|w| {
            for film in &records {
                w.put_film(film)?;
            }
            Ok(())
        })
        .unwrap();
    drop(records);
    let films_time = started.elapsed();

    // ------------------------------------------------------------------------------------
    // The ratings, timed.
    let started = Instant::now();
    let report = import_movielens(&mut store, &ml_dir, &mut NoProgress).unwrap();
    let import_time = started.elapsed();
    assert_eq!(report.ratings_not_in_catalog, 0, "{report:?}");

    // Who rated what, for picking films and users.
    let mut per_film: HashMap<u32, u32> = HashMap::new();
    let mut per_user: HashMap<u32, u32> = HashMap::new();
    movielens::read_ratings(&ml_dir.join("ratings.csv"), &mut |r| {
        *per_film.entry(r.movie).or_default() += 1;
        *per_user.entry(r.user).or_default() += 1;
        Ok(())
    })
    .unwrap();
    let mut films_by_count: Vec<(u32, u32)> = per_film.into_iter().collect();
    films_by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let film_id = |movie: u32| -> String {
        let imdb = links.imdb_id(movie).unwrap();
        store.film(imdb).unwrap().unwrap().film.id
    };
    let most_rated: Vec<String> = films_by_count
        .iter()
        .take(FILMS_PER_GROUP)
        .map(|&(m, _)| film_id(m))
        .collect();
    let mut rare_pool: Vec<u32> = films_by_count
        .iter()
        .filter(|&&(_, n)| n <= 2)
        .map(|&(m, _)| m)
        .collect();
    fastrand::Rng::with_seed(610).shuffle(&mut rare_pool);
    let rarely_rated: Vec<String> = rare_pool
        .iter()
        .take(FILMS_PER_GROUP)
        .map(|&m| film_id(m))
        .collect();
    let top_count = films_by_count[0].1;
    // Every rating of the most-rated film is public and counted once.
    assert_eq!(store.film_ratings(&most_rated[0]).unwrap().count, top_count);

    let mut users: Vec<(u32, u32)> = per_user.into_iter().collect();
    users.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let heavy: Vec<u32> = users.iter().take(HEAVY_USERS).map(|&(u, _)| u).collect();
    let heaviest = users[0];
    users.sort();
    let account: HashMap<u32, i64> = users
        .iter()
        .map(|&(n, _)| (n, store.user(&movielens_user(n)).unwrap().unwrap().id))
        .collect();
    let all_users: Vec<u32> = users.iter().map(|&(n, _)| n).collect();

    // ------------------------------------------------------------------------------------
    // Follows: each reader the next 50 ids, wrapping.
    let started = Instant::now();
    let ids: Vec<i64> = all_users.iter().map(|n| account[n]).collect();
    store
        .diary(|w| {
            for (i, &me) in ids.iter().enumerate() {
                for k in 1..=FOLLOWS {
                    w.follow(me, ids[(i + k) % ids.len()], true)?;
                }
            }
            Ok(())
        })
        .unwrap();
    let follows_time = started.elapsed();
    let build_hwm = status_kb("VmHWM");

    // ------------------------------------------------------------------------------------
    // In-process reads.
    let mut in_process = Vec::new();
    let t = measure(&most_rated, 5, |f| {
        store.film_ratings(f).unwrap();
    });
    in_process.push(row(
        &format!(
            "`film_ratings`, {FILMS_PER_GROUP} most-rated films ({top_count} ratings at most)"
        ),
        t,
        None,
    ));
    let t = measure(&rarely_rated, 5, |f| {
        store.film_ratings(f).unwrap();
    });
    in_process.push(row(
        &format!("`film_ratings`, {FILMS_PER_GROUP} rarely rated films (1–2 ratings)"),
        t,
        None,
    ));
    let feed = |n: &u32| {
        let me = account[n];
        let rows = store
            .viewings(&ViewingQuery {
                viewer: Some(me),
                followed_by: Some(me),
                limit: 50,
                ..ViewingQuery::default()
            })
            .unwrap();
        assert_eq!(rows.len(), 50);
    };
    in_process.push(row(
        "activity feed (`viewings`, followed_by, limit 50), every reader",
        measure(&all_users, 2, feed),
        None,
    ));
    let diary_page = |n: &u32| {
        store
            .viewings(&ViewingQuery {
                viewer: None,
                owner: Some(movielens_user(*n)),
                limit: 101,
                ..ViewingQuery::default()
            })
            .unwrap();
    };
    in_process.push(row(
        "diary page (`viewings`, owner, limit 101), every reader",
        measure(&all_users, 2, diary_page),
        None,
    ));
    in_process.push(row(
        &format!("diary page, the {HEAVY_USERS} heaviest readers"),
        measure(&heavy, 5, diary_page),
        None,
    ));
    let stats_of = |n: &u32| {
        let viewings = store.stats_viewings(account[n], None).unwrap();
        stats(&viewings, None);
    };
    in_process.push(row(
        &format!("`stats_viewings` + `stats`, the {HEAVY_USERS} heaviest readers"),
        measure(&heavy, 5, stats_of),
        None,
    ));
    in_process.push(row(
        "`stats_viewings` + `stats`, every reader",
        measure(&all_users, 1, stats_of),
        None,
    ));
    let heaviest_stats = {
        let started = Instant::now();
        let viewings = store.stats_viewings(account[&heaviest.0], None).unwrap();
        let read = started.elapsed();
        stats(&viewings, None);
        (read, started.elapsed() - read)
    };
    drop(store);

    // ------------------------------------------------------------------------------------
    // Over HTTP: the real router, without the background checker build and change follower
    // `serve` starts (they would compete for the two cores; no route here needs them).
    let state = AppState::open(
        &data,
        Site {
            name: "Kinograph".into(),
            base_url: "http://127.0.0.1".into(),
        },
    )
    .unwrap();
    let films: Vec<String> = most_rated.iter().chain(&rarely_rated).cloned().collect();
    let name = |n: &u32| movielens_user(*n);
    let groups: Vec<(String, Vec<String>, usize)> = vec![
        (
            format!(
                "`GET /api/films/{{id}}/ratings`, {} films (both kinds)",
                films.len()
            ),
            films
                .iter()
                .map(|f| format!("/api/films/{f}/ratings"))
                .collect(),
            3,
        ),
        (
            format!(
                "`GET /films/{{id}}` (film page, ratings histogram), {} films",
                films.len()
            ),
            films.iter().map(|f| format!("/films/{f}")).collect(),
            2,
        ),
        (
            "`GET /feeds/member/{name}/atom`, every reader".into(),
            all_users
                .iter()
                .map(|n| format!("/feeds/member/{}/atom", name(n)))
                .collect(),
            1,
        ),
        (
            "`GET /u/{name}/diary`, every reader".into(),
            all_users
                .iter()
                .map(|n| format!("/u/{}/diary", name(n)))
                .collect(),
            1,
        ),
        (
            format!("`GET /u/{{name}}/diary`, the {HEAVY_USERS} heaviest readers"),
            heavy
                .iter()
                .map(|n| format!("/u/{}/diary", name(n)))
                .collect(),
            5,
        ),
        (
            "`GET /u/{name}/stats`, every reader".into(),
            all_users
                .iter()
                .map(|n| format!("/u/{}/stats", name(n)))
                .collect(),
            1,
        ),
        (
            format!("`GET /u/{{name}}/stats`, the {HEAVY_USERS} heaviest readers"),
            heavy
                .iter()
                .map(|n| format!("/u/{}/stats", name(n)))
                .collect(),
            5,
        ),
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let over_http: Vec<String> = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, kinograph_web::app(state))
                .await
                .unwrap();
        });
        let client = Client::builder(TokioExecutor::new()).build_http::<Empty<bytes::Bytes>>();
        let mut rows = Vec::new();
        for (label, paths, rounds) in groups {
            let mut latencies = Vec::with_capacity(paths.len() * rounds);
            let mut bytes = 0usize;
            for round in 0..=rounds {
                for path in &paths {
                    let uri: hyper::Uri = format!("http://{addr}{path}").parse().unwrap();
                    let started = Instant::now();
                    let response = client.get(uri).await.unwrap();
                    let status = response.status();
                    let body = response.into_body().collect().await.unwrap().to_bytes();
                    let elapsed = started.elapsed();
                    assert!(status.is_success(), "{path}: {status}");
                    if round > 0 {
                        latencies.push(elapsed);
                        bytes += body.len();
                    }
                }
            }
            let kb = bytes as f64 / latencies.len().max(1) as f64 / 1024.0;
            rows.push(row(&label, latencies, Some(format!("{kb:.1}"))));
        }
        rows
    });

    println!(
        "Diary at MovieLens scale: {} ratings by {} readers; catalog: Academy Awards + {} MovieLens \
         films ({} of {} already there from the Oscars data); each reader follows {FOLLOWS} others.\n",
        report.ratings,
        all_users.len(),
        put,
        in_oscars,
        movies.len(),
    );
    println!("| build step | time |");
    println!("|---|---|");
    println!(
        "| `oscars::import` (the Academy Awards data) | {:.2} s |",
        oscars_time.as_secs_f64()
    );
    println!(
        "| {put} MovieLens films put (one `Store::write` batch) | {:.2} s |",
        films_time.as_secs_f64()
    );
    println!(
        "| `import_movielens`: {} ratings, {} accounts, {} viewings ({} films matched) | {:.2} s = {:.0} ratings/s |",
        report.ratings,
        report.users.new,
        report.viewings.new,
        report.films_matched,
        import_time.as_secs_f64(),
        report.ratings as f64 / import_time.as_secs_f64()
    );
    println!(
        "| {} follows (one `Store::diary` batch) | {:.2} s |",
        all_users.len() * FOLLOWS,
        follows_time.as_secs_f64()
    );
    println!("\nIn-process (`DiaryRead` on one store connection):\n");
    println!("| read | calls | p50 ms | p99 ms | max ms | mean ms |");
    println!("|---|---|---|---|---|---|");
    for line in in_process {
        println!("{line}");
    }
    println!(
        "\nHeaviest reader (ml-{}, {} ratings): `stats_viewings` {} ms, `stats` {} ms.",
        heaviest.0,
        heaviest.1,
        ms(heaviest_stats.0),
        ms(heaviest_stats.1)
    );
    println!(
        "\nOver HTTP (`kinograph_web::app`, loopback, one keep-alive connection, anonymous):\n"
    );
    println!("| route | requests | p50 ms | p99 ms | max ms | mean ms | mean KB |");
    println!("|---|---|---|---|---|---|---|");
    for line in over_http {
        println!("{line}");
    }
    println!(
        "\nPeak RSS (VmHWM): {} after the build, {} at the end (VmRSS now {}).",
        mb(build_hwm),
        mb(status_kb("VmHWM")),
        mb(status_kb("VmRSS"))
    );
}
