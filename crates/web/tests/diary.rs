//! The reader's diary over HTTP, as browsers drive it: logging, rewatches, the watchlist,
//! lists, follows and the activity feed, stats, the award lists' progress — and privacy: a
//! private entry or list never reaches another member or a visitor.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use axum::Router;
use axum::http::StatusCode;
use common::Browser;
use kinograph_web::{AppState, Site, app};

const PASSWORD: &str = "a-reader-password-42";
const ANORA: &str = "tt28607951";
const FLORIDA: &str = "tt5649144";
const BRUTALIST: &str = "tt8999762";

fn site(dir: &Path) -> Router {
    common::blocking(|| {
        let database = common::catalog(dir).0;
        let state = AppState::open_on(
            dir,
            &database,
            Site {
                name: "Kinograph".into(),
                base_url: "http://localhost".into(),
            },
        )
        .unwrap();
        app(state)
    })
}

async fn member(app: &Router, name: &str) -> Browser {
    let mut browser = Browser::new(app);
    let answer = browser
        .post(
            "/signup",
            &[
                ("name", name),
                ("display_name", name),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    browser
}

/// Logs a viewing through the film page's form; returns the new entry's id.
async fn log(browser: &mut Browser, fields: &[(&str, &str)]) -> i64 {
    let answer = browser.post("/diary", fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let location = answer.location.unwrap();
    location.rsplit('/').next().unwrap().parse().unwrap()
}

/// The number in "N of M seen".
fn progress(body: &str) -> (usize, usize) {
    let start = body.find("<strong>").unwrap() + 8;
    let end = start + body[start..].find(" seen").unwrap();
    let text = body[start..end].replace("</strong>", "");
    let (seen, total) = text.split_once(" of ").unwrap();
    (seen.trim().parse().unwrap(), total.trim().parse().unwrap())
}

/// The films nominated in competitive categories at ceremony 97 of our Oscar fixture,
/// counted from the file itself.
fn fixture_nominees_97() -> BTreeSet<String> {
    let rows = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oscars-97.tsv"),
    )
    .unwrap();
    rows.lines()
        .skip(1)
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|f| f[0] == "97" && f[2] != "Special" && f[2] != "SciTech")
        .flat_map(|f| f[6].split('|').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[tokio::test]
async fn a_diary_with_rewatches_lists_follows_stats_and_privacy() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path());
    let mut ann = member(&app, "ann").await;
    let mut bob = member(&app, "bob").await;
    let mut visitor = Browser::new(&app);

    // Ann logs Anora privately, then publicly twice (a rewatch), and The Florida Project.
    let secret = log(
        &mut ann,
        &[
            ("film", ANORA),
            ("watched", "2024-11-02"),
            ("rating", "4"),
            ("review", "Only for me: marmalade-oyster."),
            ("private", "on"),
        ],
    )
    .await;
    let first = log(
        &mut ann,
        &[
            ("film", ANORA),
            ("watched", "2025-01-10"),
            ("rating", "4.5"),
            ("liked", "on"),
            (
                "review",
                "The wedding chase is *glorious*. <script>alert(1)</script>",
            ),
            ("tags", "cinema, brighton beach"),
        ],
    )
    .await;
    let rewatch = log(
        &mut ann,
        &[
            ("film", ANORA),
            ("watched", "2025-03-02"),
            ("rating", "5"),
            ("rewatch", "on"),
            ("review", "Igor is the film's heart."),
            ("spoilers", "on"),
        ],
    )
    .await;
    log(
        &mut ann,
        &[
            ("film", FLORIDA),
            ("watched", "2025-03-20"),
            ("rating", "4"),
        ],
    )
    .await;
    assert!(secret != first && first != rewatch);

    // A bad rating, a future date or an unknown film is refused and logs nothing.
    for (field, value, status) in [
        ("rating", "4.3", StatusCode::BAD_REQUEST),
        ("rating", "11", StatusCode::BAD_REQUEST),
        ("watched", "2999-01-01", StatusCode::BAD_REQUEST),
        ("film", "tt0000000", StatusCode::NOT_FOUND),
    ] {
        let mut fields = vec![("film", ANORA), ("watched", "2025-01-01")];
        fields.retain(|(f, _)| *f != field);
        fields.push((field, value));
        let answer = ann.post("/diary", &fields).await;
        assert_eq!(answer.status, status, "{field}={value}: {}", answer.body);
    }

    // Ann's diary: every entry, each its own row, the private one marked.
    let own = ann.get("/u/ann/diary").await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body.matches("href=\"/films/tt28607951\"").count(), 3);
    assert!(own.body.contains("private"));
    assert!(own.body.contains("rewatch"));
    assert!(own.body.contains("#brighton beach"));
    let review = ann.get(&format!("/u/ann/reviews/{first}")).await;
    assert!(review.body.contains("<em>glorious</em>"));
    assert!(!review.body.contains("<script>alert(1)"));
    assert!(review.body.contains("\"@type\":\"Review\""));
    let spoiler = visitor.get(&format!("/u/ann/reviews/{rewatch}")).await;
    assert!(spoiler.body.contains("This review contains spoilers"));

    // Nobody else sees the private entry: not in the diary, the profile, the film page, the
    // entry's own address, the stats or the search.
    for (who, browser) in [("bob", &mut bob), ("a visitor", &mut visitor)] {
        for page in [
            "/u/ann",
            "/u/ann/diary",
            "/u/ann/diary?year=2024",
            "/films/tt28607951",
        ] {
            let answer = browser.get(page).await;
            assert_eq!(answer.status, StatusCode::OK, "{who} {page}");
            assert!(
                !answer.body.contains("marmalade"),
                "{who} sees the private review on {page}"
            );
        }
        let diary = browser.get("/u/ann/diary").await;
        assert_eq!(
            diary.body.matches("href=\"/films/tt28607951\"").count(),
            2,
            "{who}"
        );
        let hidden = browser.get(&format!("/u/ann/reviews/{secret}")).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{who}");
        let edit = browser.get(&format!("/diary/{secret}/edit")).await;
        assert_ne!(edit.status, StatusCode::OK, "{who}");
        let stats = browser.get("/u/ann/stats").await;
        assert!(
            stats.body.contains("<dt>Films</dt><dd>3</dd>"),
            "{who}: {}",
            stats.body
        );
        let search = browser.get("/api/search?q=marmalade").await;
        assert!(
            search.body.contains("\"total\":0"),
            "{who}: {}",
            search.body
        );
    }
    let mine = ann.get("/u/ann/stats").await;
    assert!(mine.body.contains("<dt>Films</dt><dd>4</dd>"));

    // Bob cannot change or delete Ann's entries.
    let answer = bob.post(&format!("/diary/{first}/delete"), &[]).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = bob
        .post(&format!("/diary/{first}/edit"), &[("rating", "1")])
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);

    // The watchlist: Bob adds a film, logging it takes it off.
    bob.post(&format!("/films/{BRUTALIST}/watchlist"), &[("on", "1")])
        .await;
    assert!(
        visitor
            .get("/u/bob/watchlist")
            .await
            .body
            .contains("The Brutalist")
    );
    log(
        &mut bob,
        &[
            ("film", BRUTALIST),
            ("watched", "2025-02-01"),
            ("rating", "3"),
        ],
    )
    .await;
    assert!(
        !visitor
            .get("/u/bob/watchlist")
            .await
            .body
            .contains("The Brutalist")
    );

    // Bob follows Ann: her public entries are in his activity feed, the private one is not;
    // her review shows on the film page among people he follows.
    let followed = bob.post("/u/ann/follow", &[("on", "1")]).await;
    assert_eq!(followed.status, StatusCode::SEE_OTHER);
    let activity = bob.get("/activity").await;
    assert!(activity.body.contains("Igor is the film"));
    assert!(activity.body.contains("The Florida Project"));
    assert!(!activity.body.contains("marmalade"));
    let film = bob.get("/films/tt28607951").await;
    assert!(film.body.contains("From people you follow"));
    // The instance's ratings: Ann's current (5) only; her private 4 was replaced.
    assert!(film.body.contains("average from 1 rating"), "{}", film.body);
    assert!(film.body.contains("<svg"));
    assert_eq!(visitor.get("/activity").await.status, StatusCode::SEE_OTHER);

    // Likes: Bob likes Ann's review.
    bob.post(&format!("/u/ann/reviews/{first}/like"), &[("on", "1")])
        .await;
    assert!(
        visitor
            .get(&format!("/u/ann/reviews/{first}"))
            .await
            .body
            .contains("1 like")
    );
    let answer = bob
        .post(&format!("/u/ann/reviews/{secret}/like"), &[("on", "1")])
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);

    // Lists: a ranked public one with notes, a private one.
    let made = ann
        .post(
            "/lists/new",
            &[
                ("name", "Sean Baker, ranked"),
                ("description", "Best first."),
                ("ranked", "on"),
                ("films", &format!("{FLORIDA} | Moonee and Halley\n{ANORA}")),
            ],
        )
        .await;
    assert_eq!(
        made.location.as_deref(),
        Some("/u/ann/lists/sean-baker-ranked")
    );
    ann.post(
        "/lists/new",
        &[
            ("name", "Guilty pleasures"),
            ("private", "on"),
            ("films", BRUTALIST),
        ],
    )
    .await;
    let list = bob.get("/u/ann/lists/sean-baker-ranked").await;
    assert!(list.body.contains("Moonee and Halley"));
    assert!(list.body.find("The Florida Project").unwrap() < list.body.find("Anora").unwrap());
    assert_eq!(progress(&list.body), (0, 2));
    for browser in [&mut bob, &mut visitor] {
        assert_eq!(
            browser.get("/u/ann/lists/guilty-pleasures").await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            !browser
                .get("/u/ann/lists")
                .await
                .body
                .contains("Guilty pleasures")
        );
        assert!(
            !browser
                .get("/lists")
                .await
                .body
                .contains("Guilty pleasures")
        );
    }
    assert!(
        ann.get("/u/ann/lists")
            .await
            .body
            .contains("Guilty pleasures")
    );
    let added = ann
        .post(
            "/lists/add",
            &[("list", "sean-baker-ranked"), ("film", BRUTALIST)],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let taken = bob
        .post(
            "/lists/add",
            &[("list", "sean-baker-ranked"), ("film", BRUTALIST)],
        )
        .await;
    assert_eq!(taken.status, StatusCode::NOT_FOUND, "Bob has no such list");

    // The award lists: each reader's progress, counted against the catalog.
    let nominees = fixture_nominees_97();
    let ann_ceremony = ann.get("/awards/oscars/97/films").await;
    assert_eq!(ann_ceremony.status, StatusCode::OK);
    assert_eq!(progress(&ann_ceremony.body), (1, nominees.len()));
    let bob_ceremony = bob.get("/awards/oscars/97/films").await;
    assert_eq!(progress(&bob_ceremony.body), (1, nominees.len()));
    let winners = ann
        .get("/awards/oscars/categories/best-picture/winners")
        .await;
    assert_eq!(winners.status, StatusCode::OK, "{}", winners.body);
    assert_eq!(progress(&winners.body), (1, 1));
    assert!(
        visitor
            .get("/awards/oscars/97/films")
            .await
            .body
            .contains("Log in")
    );
    let ceremony = visitor.get("/awards/oscars/97").await;
    assert!(ceremony.body.contains("href=\"/awards/oscars/97/films\""));
    let category = visitor.get("/awards/oscars/categories/best-picture").await;
    assert!(
        category
            .body
            .contains("href=\"/awards/oscars/categories/best-picture/winners\"")
    );

    // Stats for a year: a chart per question, readable without JavaScript.
    let year = ann.get("/u/ann/stats?year=2025").await;
    assert_eq!(year.status, StatusCode::OK);
    assert!(year.body.matches("<svg").count() >= 5);
    assert!(year.body.contains("Films per month in 2025"));
    assert!(year.body.contains("<dt>Rewatches</dt><dd>1</dd>"));

    // Ann edits and deletes her own entries.
    let edited = ann
        .post(
            &format!("/diary/{first}/edit"),
            &[
                ("watched", "2025-01-10"),
                ("rating", "3.5"),
                ("review", "Changed my mind."),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    assert!(
        visitor
            .get(&format!("/u/ann/reviews/{first}"))
            .await
            .body
            .contains("Changed my mind.")
    );
    let deleted = ann.post(&format!("/diary/{secret}/delete"), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ann.get(&format!("/u/ann/reviews/{secret}")).await.status,
        StatusCode::NOT_FOUND
    );
}

/// A multipart form with one file, as a browser sends an upload.
fn multipart(field: &str, file_name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "kinograph-test-boundary-7MA4YWxk";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    browser: &mut Browser,
    uri: &str,
    field: &str,
    file_name: &str,
    content: &[u8],
) -> common::Answer {
    let (content_type, body) = multipart(field, file_name, content);
    browser
        .send(
            axum::http::Request::post(uri)
                .header(axum::http::header::CONTENT_TYPE, content_type)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await
}

const DIARY_CSV: &str = "\u{feff}Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date
2025-01-02,Anora,2024,https://boxd.it/kgA1,4.5,,\"cinema, paris\",2025-01-01
2025-01-03,Anora,2024,https://boxd.it/kgA2,5,Yes,,2025-01-03
2025-01-04,A Film Nobody Made,1999,https://boxd.it/kgA3,,,,2025-01-04
2025-01-05,The Florida Project,2018,https://boxd.it/kgA4,3,,,2025-01-05
";

#[tokio::test]
async fn letterboxd_uploads_downloads_and_the_archive_between_members() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path());
    let mut ann = member(&app, "ann").await;
    let mut bob = member(&app, "bob").await;
    let csrf = ann.cookies["kg_csrf"].clone();
    let with_token = format!("/account/diary/letterboxd?csrf={csrf}");

    // An upload without the form's token is refused, and imports nothing.
    let forged = upload(
        &mut ann,
        "/account/diary/letterboxd",
        "export",
        "diary.csv",
        DIARY_CSV.as_bytes(),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        ann.get("/u/ann/diary")
            .await
            .body
            .contains("No diary entries")
    );

    let first = upload(
        &mut ann,
        &with_token,
        "export",
        "diary.csv",
        DIARY_CSV.as_bytes(),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(
        first
            .body
            .contains("diary.csv: 4 read, 3 added, 0 already here, 1 not in the catalog"),
        "{}",
        first.body
    );
    assert!(first.body.contains("a year apart"), "{}", first.body);
    assert!(
        first
            .body
            .contains("diary.csv:4: A Film Nobody Made (1999) is not in the catalog"),
        "{}",
        first.body
    );
    let again = upload(
        &mut ann,
        &with_token,
        "export",
        "diary.csv",
        DIARY_CSV.as_bytes(),
    )
    .await;
    assert!(
        again
            .body
            .contains("diary.csv: 4 read, 0 added, 3 already here"),
        "{}",
        again.body
    );
    let diary = ann.get("/u/ann/diary").await;
    assert_eq!(diary.body.matches("href=\"/films/tt28607951\"").count(), 2);
    assert!(diary.body.contains("#paris"));

    // A file that is not an export is refused with a reason, and changes nothing.
    let bad = upload(
        &mut ann,
        &with_token,
        "export",
        "diary.csv",
        b"Date,Name\n1,2\n",
    )
    .await;
    assert!(bad.body.contains("Nothing was imported"), "{}", bad.body);
    assert_eq!(
        ann.get("/u/ann/diary")
            .await
            .body
            .matches("href=\"/films/")
            .count(),
        3
    );

    // Downloads: Letterboxd's import CSV, and the archive; both only for their owner.
    let csv = ann.get("/account/diary/letterboxd-import.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some(
            "LetterboxdURI,tmdbID,imdbID,Title,Year,Directors,WatchedDate,Rating,Rating10,Tags,Review"
        )
    );
    assert_eq!(lines.count(), 3);
    let visitor = Browser::new(&app).get("/account/diary/archive.json").await;
    assert_ne!(visitor.status, StatusCode::OK);
    let archive = ann.get("/account/diary/archive.json").await;
    assert_eq!(archive.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&archive.body).unwrap();
    assert_eq!(json["viewings"].as_array().unwrap().len(), 3);

    // Bob imports Ann's archive: the same diary, twice imported once.
    let bob_csrf = bob.cookies["kg_csrf"].clone();
    let to_bob = format!("/account/diary/archive?csrf={bob_csrf}");
    let moved = upload(
        &mut bob,
        &to_bob,
        "archive",
        "kinograph-ann.json",
        archive.body.as_bytes(),
    )
    .await;
    assert!(
        moved.body.contains("Diary entries: 3 new"),
        "{}",
        moved.body
    );
    let moved = upload(
        &mut bob,
        &to_bob,
        "archive",
        "kinograph-ann.json",
        archive.body.as_bytes(),
    )
    .await;
    assert!(
        moved
            .body
            .contains("Diary entries: 0 new, 0 updated, 3 already here"),
        "{}",
        moved.body
    );
    assert_eq!(
        bob.get("/u/bob/diary")
            .await
            .body
            .matches("href=\"/films/")
            .count(),
        3
    );

    // The watchlist setting.
    let saved = bob.post("/account/diary/settings", &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(
        !bob.get("/account/diary")
            .await
            .body
            .contains("name=\"autoremove\" checked")
    );
}
