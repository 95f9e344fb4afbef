//! The site in a real browser: `kinograph serve --demo` on a free loopback port, driven by
//! headless Chromium through chromedriver (Debian's `chromium` and `chromium-driver`).
//! Screenshots of each page are saved under `target/tmp/screenshots/`.
//!
//! Skipped, saying so, where Chromium or chromedriver is missing, except in CI (`CI` set),
//! where a missing browser is a failure: CI installs them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until `GET path` on `port` answers 200.
fn wait_for(port: u16, path: &str, what: &str, limit: Duration, log: &Path) {
    let started = Instant::now();
    loop {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let request = format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            );
            // The status line is all we need, and comes first.
            let mut head = [0u8; 16];
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_exact(&mut head).is_ok()
                && head.starts_with(b"HTTP/1.1 200")
            {
                return;
            }
        }
        if started.elapsed() > limit {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{what} did not come up within {limit:?}\n{log}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    let path = screenshots_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

/// Opens `url`. Headless Chromium on a loaded 2-core machine now and then loses a tab ("tab
/// crashed", a renderer killed, not our page): then it opens a fresh tab, with the same
/// cookies, and tries once more, saying so. Any other failure fails the test.
async fn open(client: &Client, url: &str) {
    match client.goto(url).await {
        Ok(()) => {}
        Err(error) if error.to_string().contains("tab crashed") => {
            eprintln!("the browser lost its tab opening {url}; retrying in a new tab");
            let tab = client.new_window(true).await.unwrap();
            client.switch_to_window(tab.handle).await.unwrap();
            client.goto(url).await.unwrap();
        }
        Err(error) => panic!("cannot open {url}: {error}"),
    }
}

/// The element `css`, once the page has it.
async fn element(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
}

async fn text_of(client: &Client, css: &str) -> String {
    element(client, css).await.text().await.unwrap()
}

#[tokio::test]
async fn the_site_in_a_real_browser() {
    let (Some(driver), Some(browser)) = (
        on_path(&["chromedriver"]),
        on_path(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install chromium and chromium-driver"
        );
        eprintln!("skipping: chromium and chromedriver are not installed");
        return;
    };

    // Off the runtime: making a PostgreSQL schema for it blocks.
    let kg = tokio::task::spawn_blocking(common::Kg::new).await.unwrap();
    // An editor account, made the way an operator makes one.
    let mut add = kg
        .command()
        .args([
            "user",
            "add",
            "edna",
            "--role",
            "editor",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{EDITOR_PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(add.wait().unwrap().success(), "kinograph user add failed");
    let oscars =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/oscars/oscars.csv");
    let site_port = free_port();
    let mut serve = kg.command();
    serve
        .args([
            "serve",
            "--demo",
            "--addr",
            &format!("127.0.0.1:{site_port}"),
        ])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(kg.path("serve.log")).unwrap());
    if oscars.is_file() {
        serve.arg("--oscars").arg(&oscars);
    } else {
        eprintln!("../shared not found: serving the demo world without the Academy Awards data");
    }
    let _server = Running(serve.spawn().unwrap());
    wait_for(
        site_port,
        "/healthz",
        "kinograph serve",
        Duration::from_secs(180),
        &kg.path("serve.log"),
    );

    let driver_port = free_port();
    let _driver = Running(
        Command::new(driver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(
        driver_port,
        "/status",
        "chromedriver",
        Duration::from_secs(30),
        Path::new(""),
    );

    let profile = kg.path("chromium-profile");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": browser,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,1600",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let client = ClientBuilder::rustls()
        .unwrap()
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a browser session");
    let site = format!("http://127.0.0.1:{site_port}");

    // The film page: cast, budget and awards are there to see.
    open(&client, &format!("{site}/films/tt28607951")).await;
    assert_eq!(text_of(&client, "h1").await, "Anora (2024)");
    let cast = text_of(&client, "#cast").await;
    assert!(cast.contains("Mikey Madison"), "{cast}");
    assert!(cast.contains("Ani"), "{cast}");
    let facts = text_of(&client, "#facts").await;
    assert!(facts.contains("$6,000,000"), "{facts}");
    let awards = text_of(&client, "#awards").await;
    assert!(
        awards.contains("Best Picture") && awards.contains("WON"),
        "{awards}"
    );
    screenshot(&client, "film").await;

    // The search box on the front page.
    open(&client, &site).await;
    let query = client.find(Locator::Css("#hero-q")).await.unwrap();
    query.send_keys("florida projekt").await.unwrap();
    client
        .find(Locator::Css(".hero-search button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let first = text_of(&client, ".hits .hit a").await;
    assert_eq!(first, "The Florida Project");
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("/search?q=florida+projekt")
    );
    screenshot(&client, "search").await;

    // Search as you type in the header: suggestions appear under the box.
    let header_box = client.find(Locator::Css("#site-search-q")).await.unwrap();
    header_box.clear().await.unwrap();
    header_box.send_keys("tanger").await.unwrap();
    let suggestion = text_of(&client, ".suggestions a").await;
    assert!(suggestion.starts_with("Tangerine"), "{suggestion}");

    // The checked essay: mentions are links, claims carry verdict badges.
    open(
        &client,
        &format!("{site}/essays/sean-baker-the-long-road-to-anora"),
    )
    .await;
    assert_eq!(text_of(&client, "h1").await, "The Long Road to Anora");
    let summary = text_of(&client, ".verdict-summary").await;
    assert!(summary.to_lowercase().contains("supported"), "{summary}");
    let badges = client
        .find_all(Locator::Css(".claims .verdict-supported"))
        .await
        .unwrap();
    assert!(badges.len() >= 8, "{} supported badges", badges.len());
    assert!(
        client
            .find_all(Locator::Css(".claims .verdict-contradicted"))
            .await
            .unwrap()
            .is_empty(),
        "the demo essay has no contradicted claim"
    );
    let film_link = client
        .find(Locator::Css(
            ".essay-body a.mention-film[href='/films/tt28607951']",
        ))
        .await
        .unwrap();
    assert_eq!(film_link.text().await.unwrap(), "Anora");
    screenshot(&client, "essay").await;

    // Pasting an essay with a wrong year gets it marked contradicted.
    open(&client, &format!("{site}/check")).await;
    let text = client.find(Locator::Css("#check-text")).await.unwrap();
    text.send_keys("Sean Baker directed Anora (2019).")
        .await
        .unwrap();
    client
        .find(Locator::Css(".check-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let verdicts = text_of(&client, ".claims").await;
    assert!(
        verdicts.to_lowercase().contains("contradicted"),
        "{verdicts}"
    );
    screenshot(&client, "check").await;

    open(&client, &format!("{site}/people/nm0048918")).await;
    assert_eq!(text_of(&client, "h1").await, "Sean Baker");
    screenshot(&client, "person").await;

    // On a phone.
    client.set_window_size(390, 844).await.unwrap();
    open(&client, &format!("{site}/films/tt28607951")).await;
    let width: i64 = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(
        width <= 390,
        "the film page scrolls sideways on a phone ({width}px)"
    );
    screenshot(&client, "film-phone").await;

    publish_through_the_pages(&client, &site).await;
    keep_a_diary_through_the_pages(&client, &site).await;
    client.close().await.unwrap();
}

const EDITOR_PASSWORD: &str = "an editor's long password";

async fn fill(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(client: &Client, css: &str) {
    element(client, css).await.click().await.unwrap();
}

/// Waits until the element `css` (of the page a click led to) holds `needle`.
async fn wait_for_text(client: &Client, css: &str, needle: &str) {
    let started = Instant::now();
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && text.to_lowercase().contains(&needle.to_lowercase())
        {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{css} never showed {needle:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A writer signs up and submits an essay; the editor logs in, reviews, approves and
/// publishes it — all through the pages, as people would.
async fn publish_through_the_pages(client: &Client, site: &str) {
    client.set_window_size(1280, 1600).await.unwrap();
    open(client, &format!("{site}/signup")).await;
    fill(client, "#signup-name", "wren").await;
    fill(client, "#signup-display", "Wren Writer").await;
    fill(client, "#signup-password", "a writer's long password").await;
    fill(client, "#signup-again", "a writer's long password").await;
    click(client, "#signup-writer").await;
    click(client, ".stacked-form button").await;
    wait_for_text(client, "h1", "Your essays").await;

    fill(client, "#new-title-input", "Tangerine on Three Phones").await;
    fill(
        client,
        "#new-subtitle",
        "How Sean Baker shot a feature on iPhones.",
    )
    .await;
    fill(
        client,
        "#new-body",
        "Sean Baker directed Tangerine (2015). Kitana Kiki Rodriguez plays Sin-Dee Rella.",
    )
    .await;
    click(client, ".stacked-form button").await;
    wait_for_text(client, "h1", "Tangerine on Three Phones").await;
    screenshot(client, "edit").await;
    click(client, "button[data-action='submit']").await;
    wait_for_text(client, ".page-header .kicker", "submitted").await;
    click(client, ".account-nav .link-button").await;
    wait_for_text(client, ".account-nav", "log in").await;

    open(client, &format!("{site}/login?next=/editor")).await;
    fill(client, "#login-name", "edna").await;
    fill(client, "#login-password", EDITOR_PASSWORD).await;
    click(client, ".stacked-form button").await;
    wait_for_text(client, "h1", "Editor queue").await;
    screenshot(client, "queue").await;
    click(client, ".queue a[href='/write/tangerine-on-three-phones']").await;
    click(client, "button[data-action='review']").await;
    wait_for_text(client, ".page-header .kicker", "in review").await;
    click(client, "button[data-action='approve']").await;
    wait_for_text(client, ".page-header .kicker", "approved").await;
    screenshot(client, "approved").await;
    click(client, "button[data-action='publish']").await;
    wait_for_text(client, ".essay-header .byline", "Wren Writer").await;
    assert_eq!(text_of(client, "h1").await, "Tangerine on Three Phones");
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("/essays/tangerine-on-three-phones")
    );
    let verdicts = text_of(client, ".verdict-summary").await;
    assert!(verdicts.to_lowercase().contains("supported"), "{verdicts}");
    screenshot(client, "published").await;
}

/// The signed-in editor logs two films from their pages, then reads their stats: the charts
/// are drawn by the server, so they show with or without JavaScript.
async fn keep_a_diary_through_the_pages(client: &Client, site: &str) {
    for (film, rating) in [("tt28607951", "4.5"), ("tt5649144", "4")] {
        open(client, &format!("{site}/films/{film}")).await;
        element(client, "#log-rating")
            .await
            .select_by_value(rating)
            .await
            .unwrap();
        click(client, ".log-form input[name='liked']").await;
        fill(client, "#log-review", "Seen in a real browser.").await;
        click(client, ".log-form button").await;
        wait_for_text(client, ".my-status", "You have seen it").await;
    }
    screenshot(client, "film-logged").await;
    open(client, &format!("{site}/u/edna/diary")).await;
    let diary = text_of(client, ".diary-table").await;
    assert!(
        diary.contains("Anora") && diary.contains("The Florida Project"),
        "{diary}"
    );

    open(client, &format!("{site}/u/edna/stats")).await;
    let films = text_of(client, ".stat-figures").await;
    assert!(films.contains("2"), "{films}");
    let charts = client
        .execute(
            "return Array.from(document.querySelectorAll('.stat-charts svg')).map(svg => \
             [svg.getBoundingClientRect().width, svg.getBoundingClientRect().height, \
              svg.querySelectorAll('rect.chart-bar').length])",
            vec![],
        )
        .await
        .unwrap();
    let charts = charts.as_array().unwrap();
    assert_eq!(charts.len(), 5, "five charts: {charts:?}");
    for chart in charts {
        let [width, height, bars] = [0, 1, 2].map(|i| chart[i].as_f64().unwrap());
        assert!(
            width > 200.0 && height > 50.0,
            "a chart drawn too small: {chart:?}"
        );
        assert!(bars >= 1.0, "a chart without bars: {chart:?}");
    }
    screenshot(client, "stats").await;
}
