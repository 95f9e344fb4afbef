//! The diary's JSON API and member feeds, in-process: a private entry or list is its owner's
//! only, whoever else asks and however (anonymous, another member's token, a feed); logging
//! refuses what the site's form refuses, in our error shape; a film's ratings count public
//! ratings only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Browser, token_of};

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kinograph_publishing::{NewUser, Role, hash_password};
use kinograph_web::{AppState, Site, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "reader-secret-pass-42";
const ANORA: &str = "tt28607951";
const TANGERINE: &str = "tt3824458";
const FLORIDA: &str = "tt5649144";

/// A catalog (the demo world, our Academy Awards rows) and three readers.
fn site(dir: &Path) -> Router {
    common::blocking(|| {
        let (database, mut store) = common::catalog(dir);
        let hash = hash_password(PASSWORD).unwrap();
        store
            .edit(|w| {
                for name in ["rosa", "otto", "pia"] {
                    w.create_user(&NewUser {
                        name: name.into(),
                        display_name: format!("{}{}", name[..1].to_uppercase(), &name[1..]),
                        role: Role::Reader,
                        password_hash: Some(hash.clone()),
                    })?;
                }
                Ok(())
            })
            .unwrap();
        drop(store);
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

struct Reply {
    status: StatusCode,
    location: Option<String>,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The error body's code and message, checking it is our shape.
    fn error(&self) -> (String, String) {
        let value = self.json();
        let code = value["error"]["code"].as_str().unwrap_or_default();
        let message = value["error"]["message"].as_str().unwrap_or_default();
        assert!(!code.is_empty(), "not our error shape: {}", self.body);
        (code.to_string(), message.to_string())
    }
}

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<(&str, String)>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some((content_type, body)) => request
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body)),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
    };
    let location = header_text(header::LOCATION);
    let content_type = header_text(header::CONTENT_TYPE).unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        location,
        content_type,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &Router, uri: &str, token: Option<&str>) -> Reply {
    call(app, "GET", uri, token, None).await
}

async fn log(app: &Router, token: Option<&str>, entry: Value) -> Reply {
    call(
        app,
        "POST",
        "/api/diary",
        token,
        Some(("application/json", entry.to_string())),
    )
    .await
}

/// Logs an entry that must be accepted; its id.
async fn logged(app: &Router, token: &str, entry: Value) -> i64 {
    let reply = log(app, Some(token), entry).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["id"].as_i64().unwrap()
}

/// Signs a reader in and makes them an API token.
async fn reader(app: &Router, name: &str) -> (Browser, String) {
    let mut browser = Browser::new(app);
    browser.log_in(name, PASSWORD).await;
    let token = token_of(&mut browser).await;
    (browser, token)
}

fn ids(entries: &Value) -> Vec<i64> {
    entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect()
}

fn slugs(lists: &Value) -> Vec<String> {
    lists["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["slug"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn private_entries_and_lists_are_their_owners_only() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path());
    let (mut rosa_browser, rosa) = reader(&app, "rosa").await;
    let (_, otto) = reader(&app, "otto").await;

    // Rosa logs a public review, a private one and a public one with spoilers.
    let reply = log(
        &app,
        Some(&rosa),
        json!({
            "film": ANORA, "watched": "2025-01-10", "rating": 4.5, "liked": true,
            "review": "A Brighton Beach **fairy tale** <script>alert(1)</script>",
            "tags": ["cinema", " 2025 ", "cinema"],
        }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(reply.content_type.starts_with("application/json"));
    let entry = reply.json();
    let public = entry["id"].as_i64().unwrap();
    assert_eq!(
        reply.location.as_deref(),
        Some(format!("/api/diary/{public}").as_str())
    );
    assert_eq!(entry["user"], "rosa");
    assert_eq!(entry["film"]["title"], "Anora");
    assert_eq!(entry["film"]["year"], 2024);
    assert_eq!(entry["film"]["imdb_id"], ANORA);
    assert!(entry["film"]["id"].is_string());
    assert_eq!(entry["watched"], "2025-01-10");
    assert!(entry["logged"].is_string());
    assert_eq!(entry["rating"], 4.5);
    assert_eq!(entry["liked"], true);
    assert_eq!(entry["rewatch"], false);
    assert_eq!(entry["spoilers"], false);
    assert_eq!(entry["private"], false);
    assert_eq!(entry["likes"], 0);
    assert_eq!(entry["tags"], json!(["cinema", "2025"]));
    assert_eq!(
        entry["url"],
        format!("http://localhost/u/rosa/reviews/{public}")
    );

    let private = logged(
        &app,
        &rosa,
        json!({
            "film": TANGERINE, "watched": "2025-02-01", "rating": 1,
            "review": "SECRET-REVIEW-TEXT", "private": true,
        }),
    )
    .await;
    let spoiler = logged(
        &app,
        &rosa,
        json!({
            "film": FLORIDA, "watched": "2025-01-20", "rewatch": true,
            "review": "SPOILER-TEXT: the ending at Disney World", "spoilers": true,
        }),
    )
    .await;
    let unrated = logged(&app, &rosa, json!({"film": ANORA})).await;
    let unrated_entry = get(&app, &format!("/api/diary/{unrated}"), None)
        .await
        .json();
    assert_eq!(unrated_entry["rating"], Value::Null);
    assert_eq!(unrated_entry["review"], Value::Null);

    // The diary: everyone sees the public entries, only Rosa's token the private one.
    for token in [None, Some(otto.as_str())] {
        let reply = get(&app, "/api/users/rosa/diary", token).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let seen = ids(&reply.json());
        assert!(
            seen.contains(&public) && seen.contains(&spoiler),
            "{seen:?}"
        );
        assert!(!seen.contains(&private), "{token:?} sees a private entry");
        assert!(!reply.body.contains("SECRET-REVIEW-TEXT"));
        assert!(!reply.body.contains("\"private\":true"));
    }
    let own = get(&app, "/api/users/rosa/diary", Some(&rosa)).await.json();
    assert_eq!(own["user"], "rosa");
    // Newest viewing first (one logged without a date was watched today).
    assert_eq!(ids(&own), [unrated, private, spoiler, public]);
    assert_eq!(own["entries"][1]["private"], true);
    assert_eq!(own["more"], false);

    // Paging, years and tags.
    let page = get(&app, "/api/users/rosa/diary?limit=1&offset=1", Some(&rosa))
        .await
        .json();
    assert_eq!(ids(&page), [private]);
    assert_eq!(page["more"], true);
    let year = get(&app, "/api/users/rosa/diary?year=2025", None)
        .await
        .json();
    assert!(ids(&year).contains(&public));
    let tagged = get(&app, "/api/users/rosa/diary?tag=cinema", None)
        .await
        .json();
    assert_eq!(ids(&tagged), [public]);
    for bad in ["limit=0", "limit=101", "limit=x", "year=soon"] {
        let reply = get(&app, &format!("/api/users/rosa/diary?{bad}"), None).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.body
        );
        assert_eq!(reply.error().0, "bad_request");
    }
    let nobody = get(&app, "/api/users/nobody/diary", None).await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    assert_eq!(nobody.error().0, "not_found");

    // One entry: a private one is as missing as one that never was.
    let missing = get(&app, "/api/diary/999999", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for token in [None, Some(otto.as_str())] {
        let reply = get(&app, &format!("/api/diary/{private}"), token).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert_eq!(reply.error().0, "not_found");
        assert!(!reply.body.contains("SECRET"));
        let public_reply = get(&app, &format!("/api/diary/{public}"), token).await;
        assert_eq!(public_reply.status, StatusCode::OK);
    }
    let mine = get(&app, &format!("/api/diary/{private}"), Some(&rosa)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.json()["review"], "SECRET-REVIEW-TEXT");
    assert_eq!(
        get(&app, "/api/diary/not-a-number", None).await.status,
        StatusCode::NOT_FOUND
    );

    // Lists, made on the site: one public, one private.
    for (name, private) in [("Baker favourites", false), ("Secret list", true)] {
        let mut fields = vec![
            ("name", name),
            ("description", "Films."),
            ("films", "tt28607951 | the best\ntt3824458"),
            ("ranked", "on"),
        ];
        if private {
            fields.push(("private", "on"));
        }
        let made = rosa_browser.post("/lists/new", &fields).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    }
    for token in [None, Some(otto.as_str())] {
        let reply = get(&app, "/api/users/rosa/lists", token).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(slugs(&reply.json()), ["baker-favourites"]);
        let secret = get(&app, "/api/users/rosa/lists/secret-list", token).await;
        assert_eq!(secret.status, StatusCode::NOT_FOUND, "{}", secret.body);
        assert_eq!(secret.error().0, "not_found");
    }
    let own_lists = get(&app, "/api/users/rosa/lists", Some(&rosa)).await.json();
    assert_eq!(slugs(&own_lists), ["secret-list", "baker-favourites"]);
    assert_eq!(own_lists["lists"][0]["private"], true);
    let list = get(&app, "/api/users/rosa/lists/baker-favourites", None)
        .await
        .json();
    assert_eq!(list["list"]["name"], "Baker favourites");
    assert_eq!(list["list"]["films"], 2);
    assert_eq!(list["list"]["ranked"], true);
    assert_eq!(
        list["list"]["url"],
        "http://localhost/u/rosa/lists/baker-favourites"
    );
    assert_eq!(list["items"][0]["position"], 1);
    assert_eq!(list["items"][0]["film"]["imdb_id"], ANORA);
    assert_eq!(list["items"][0]["note"], "the best");
    assert_eq!(list["items"][1]["note"], Value::Null);
    let secret = get(&app, "/api/users/rosa/lists/secret-list", Some(&rosa)).await;
    assert_eq!(secret.status, StatusCode::OK);
    assert_eq!(secret.json()["list"]["private"], true);

    // Feeds are public: never the private entry, not even for Rosa's own browser.
    for format in ["rss", "atom"] {
        let uri = format!("/feeds/member/rosa/{format}");
        let feed = rosa_browser.get(&uri).await;
        assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
        let body = &feed.body;
        assert!(body.contains("Rosa’s diary"), "{body}");
        assert!(body.contains("Anora (2024) ★★★★½"), "{body}");
        assert!(
            body.contains(&format!("http://localhost/u/rosa/reviews/{public}")),
            "{body}"
        );
        assert!(body.contains("fairy tale"), "{body}");
        assert!(!body.contains("<script>alert"), "{body}");
        assert!(body.contains("The Florida Project (2017)"), "{body}");
        assert!(body.contains("contains spoilers"), "{body}");
        assert!(!body.contains("SPOILER-TEXT"), "{body}");
        assert!(!body.contains("SECRET-REVIEW-TEXT"), "{body}");
        assert!(!body.contains("Tangerine"), "{body}");
        assert!(
            !body.contains(&format!("/u/rosa/reviews/{private}")),
            "{body}"
        );
        // Newest first.
        let florida = body.find("The Florida Project (2017)").unwrap();
        let anora = body.find("Anora (2024) ★★★★½").unwrap();
        assert!(florida < anora, "{body}");
        let anonymous = get(&app, &uri, None).await;
        assert_eq!(anonymous.status, StatusCode::OK);
        assert!(!anonymous.body.contains("SECRET-REVIEW-TEXT"));
    }
    let rss = get(&app, "/feeds/member/rosa/rss", None).await;
    assert!(rss.content_type.starts_with("application/rss+xml"));
    let atom = get(&app, "/feeds/member/rosa/atom", None).await;
    assert!(atom.content_type.starts_with("application/atom+xml"));
    assert_eq!(
        get(&app, "/feeds/member/nobody/rss", None).await.status,
        StatusCode::NOT_FOUND
    );

    // The archive is the owner's, private things included.
    let archive = get(&app, "/api/me/archive", Some(&rosa)).await;
    assert_eq!(archive.status, StatusCode::OK, "{}", archive.body);
    let archive = archive.json();
    assert_eq!(archive["format"], "kinograph-user-archive");
    assert_eq!(archive["user"], "rosa");
    assert_eq!(archive["viewings"].as_array().unwrap().len(), 4);
    assert!(archive.to_string().contains("SECRET-REVIEW-TEXT"));
    assert_eq!(archive["lists"].as_array().unwrap().len(), 2);
    let anonymous = get(&app, "/api/me/archive", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.error().0, "unauthorized");

    // Deleting: the owner only; to anyone else the entry is not there.
    let uri = format!("/api/diary/{private}");
    let anonymous = call(&app, "DELETE", &uri, None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    for id in [private, public] {
        let reply = call(
            &app,
            "DELETE",
            &format!("/api/diary/{id}"),
            Some(&otto),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert_eq!(reply.error().0, "not_found");
    }
    let deleted = call(&app, "DELETE", &uri, Some(&rosa), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    assert_eq!(
        get(&app, &uri, Some(&rosa)).await.status,
        StatusCode::NOT_FOUND
    );
    let again = call(&app, "DELETE", &uri, Some(&rosa), None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, &format!("/api/diary/{public}"), None)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn logging_refuses_what_the_form_refuses_in_our_error_shape() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path());
    let (_, rosa) = reader(&app, "rosa").await;

    let anonymous = log(&app, None, json!({"film": ANORA})).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.error().0, "unauthorized");
    let bad_token = log(&app, Some("kgt_not-a-token"), json!({"film": ANORA})).await;
    assert_eq!(bad_token.status, StatusCode::UNAUTHORIZED);

    for rating in [json!(4.3), json!(11), json!(0), json!(-1), json!(5.5)] {
        let reply = log(&app, Some(&rosa), json!({"film": ANORA, "rating": rating})).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{rating}: {}",
            reply.body
        );
        let (code, message) = reply.error();
        assert_eq!(code, "bad_request");
        assert!(
            message.contains(&format!("rating {rating} is not allowed")),
            "{message}"
        );
        assert!(message.contains("0.5 to 5 in half steps"), "{message}");
        assert!(!message.contains("Failed to deserialize"), "{message}");
    }

    let unknown = log(&app, Some(&rosa), json!({"film": "tt0000000"})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    let (code, message) = unknown.error();
    assert_eq!(code, "not_found");
    assert!(message.contains("tt0000000"), "{message}");

    for (entry, wanted) in [
        (json!({"film": ""}), "film"),
        (json!({"rating": 4}), "film"),
        (json!({"film": ANORA, "watched": "2999-01-01"}), "future"),
        (json!({"film": ANORA, "watched": "yesterday"}), "not a date"),
        (json!({"film": ANORA, "tags": ["a, b"]}), "comma"),
        (json!({"film": ANORA, "tags": [""]}), "tag"),
        (json!({"film": ANORA, "stars": 4}), "stars"),
        (json!({"film": ANORA, "liked": "yes"}), "liked"),
    ] {
        let reply = log(&app, Some(&rosa), entry.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{entry}: {}",
            reply.body
        );
        let (code, message) = reply.error();
        assert_eq!(code, "bad_request");
        assert!(message.contains(wanted), "{entry}: {message}");
    }
    let malformed = call(
        &app,
        "POST",
        "/api/diary",
        Some(&rosa),
        Some(("application/json", "{\"film\": ".into())),
    )
    .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.error().0, "bad_request");
    let form = call(
        &app,
        "POST",
        "/api/diary",
        Some(&rosa),
        Some(("application/x-www-form-urlencoded", format!("film={ANORA}"))),
    )
    .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.error().0, "unsupported_media_type");

    // Nothing refused was logged.
    let diary = get(&app, "/api/users/rosa/diary", Some(&rosa)).await.json();
    assert_eq!(ids(&diary), Vec::<i64>::new());
    // Whole and half stars are fine, as numbers.
    let whole = logged(&app, &rosa, json!({"film": ANORA, "rating": 4.0})).await;
    let reply = get(&app, &format!("/api/diary/{whole}"), Some(&rosa)).await;
    assert_eq!(reply.json()["rating"], 4.0);
}

#[tokio::test]
async fn film_ratings_count_each_members_public_rating() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path());
    let (_, rosa) = reader(&app, "rosa").await;
    let (_, otto) = reader(&app, "otto").await;
    let (_, pia) = reader(&app, "pia").await;

    let empty = get(&app, &format!("/api/films/{ANORA}/ratings"), None).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    let empty = empty.json();
    assert_eq!(empty["count"], 0);
    assert_eq!(empty["average"], Value::Null);
    assert_eq!(empty["histogram"], json!([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));

    // Rosa's first rating is replaced by her newer one; Pia's is private.
    logged(
        &app,
        &rosa,
        json!({"film": ANORA, "watched": "2024-11-01", "rating": 2}),
    )
    .await;
    logged(
        &app,
        &rosa,
        json!({"film": ANORA, "watched": "2025-01-10", "rating": 4.5}),
    )
    .await;
    logged(&app, &otto, json!({"film": ANORA, "rating": 3})).await;
    logged(
        &app,
        &pia,
        json!({"film": ANORA, "rating": 0.5, "private": true}),
    )
    .await;

    // Pia's own token does not make her private rating count.
    let ratings = get(&app, &format!("/api/films/{ANORA}/ratings"), Some(&pia))
        .await
        .json();
    assert!(ratings["film"].is_string());
    assert_eq!(ratings["count"], 2, "{ratings}");
    assert_eq!(ratings["average"], 3.75);
    assert_eq!(ratings["histogram"], json!([0, 0, 0, 0, 0, 1, 0, 0, 1, 0]));
    let unknown = get(&app, "/api/films/tt0000000/ratings", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error().0, "not_found");
}

#[tokio::test]
async fn the_diary_api_is_documented() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path());
    let reply = get(&app, "/api/openapi.json", None).await;
    let doc = reply.json();
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/users/{name}/diary", "get"),
        ("/api/diary", "post"),
        ("/api/diary/{id}", "get"),
        ("/api/diary/{id}", "delete"),
        ("/api/films/{id}/ratings", "get"),
        ("/api/users/{name}/lists", "get"),
        ("/api/users/{name}/lists/{slug}", "get"),
        ("/api/me/archive", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} is not documented"
        );
    }
    let schemas = &doc["components"]["schemas"];
    for schema in [
        "DiaryEntry",
        "DiaryEntries",
        "NewDiaryEntry",
        "FilmRatingsBody",
        "Lists",
        "ListBody",
    ] {
        assert!(schemas[schema].is_object(), "{schema} is not defined");
    }
}
