//! The whole site in-process: every page and API route driven through `app(state)` with
//! `oneshot`, over the demo world, our own Academy Awards rows and the demo essays.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kinograph_import::essay;
use kinograph_store::Database;
use kinograph_web::{AppState, Site, app};
use serde_json::Value;

/// A data folder and its store holding the demo world, our fixture's Academy Awards rows and
/// the demo essays, made once for the whole test binary.
fn instance() -> &'static (tempfile::TempDir, Database) {
    static INSTANCE: OnceLock<(tempfile::TempDir, Database)> = OnceLock::new();
    INSTANCE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let (database, mut store) = common::catalog(dir.path());
        essay::load_demo(&mut store).unwrap();
        (dir, database)
    })
}

/// One state for every test, as one server would have.
fn site() -> Router {
    static STATE: OnceLock<AppState> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        common::blocking(|| {
            let (dir, database) = instance();
            AppState::open_on(
                dir.path(),
                database,
                Site {
                    name: "Kinograph".into(),
                    base_url: "https://films.example.org".into(),
                },
            )
            .unwrap()
        })
    });
    app(state.clone())
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: String,
    request_id: Option<String>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn send(request: Request<Body>) -> Answer {
    use tower::ServiceExt;
    let response = site().oneshot(request).await.unwrap();
    let status = response.status();
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_string())
    };
    let content_type = header_text(header::CONTENT_TYPE).unwrap_or_default();
    let request_id = header_text(header::HeaderName::from_static("x-request-id"));
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
        request_id,
    }
}

async fn get(uri: &str) -> Answer {
    send(Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(uri: &str, content_type: &str, body: impl Into<Body>) -> Answer {
    send(
        Request::post(uri)
            .header(header::CONTENT_TYPE, content_type)
            .body(body.into())
            .unwrap(),
    )
    .await
}

/// A page that answers 200 as HTML.
async fn page(uri: &str) -> String {
    let answer = get(uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    assert!(answer.content_type.starts_with("text/html"), "{uri}");
    answer.body
}

fn assert_contains(haystack: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            haystack.contains(needle),
            "missing {needle:?} in:\n{haystack}"
        );
    }
}

/// The JSON-LD block of a page.
fn json_ld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn the_film_page_shows_cast_budget_awards_and_essays() {
    let html = page("/films/tt28607951").await;
    assert_contains(
        &html,
        &[
            "<title>Anora (2024) · Kinograph</title>",
            "Mikey Madison",
            "id=\"character-anora-ani-mikheeva\"",
            "$6,000,000",
            "Best Picture",
            "badge-won",
            "5</span> wins from <span class=\"tally-number\">6</span>",
            "href=\"/essays/sean-baker-the-long-road-to-anora\"",
            "href=\"/people/nm0048918\"",
        ],
    );
    let movie = json_ld(&html);
    assert_eq!(movie["@type"], "Movie");
    assert_eq!(movie["sameAs"], "https://www.imdb.com/title/tt28607951/");
    assert_eq!(movie["director"][0]["name"], "Sean Baker");
}

#[tokio::test]
async fn every_page_carries_share_metadata_and_a_canonical_url() {
    for (uri, canonical) in [
        ("/", "https://films.example.org/"),
        (
            "/films/tt28607951",
            "https://films.example.org/films/tt28607951",
        ),
        (
            "/people/nm0048918",
            "https://films.example.org/people/nm0048918",
        ),
        ("/awards/oscars", "https://films.example.org/awards/oscars"),
        (
            "/awards/oscars/97",
            "https://films.example.org/awards/oscars/97",
        ),
        (
            "/awards/oscars/categories/best-picture",
            "https://films.example.org/awards/oscars/categories/best-picture",
        ),
        ("/records", "https://films.example.org/records"),
        ("/search?q=anora", "https://films.example.org/search"),
        ("/essays", "https://films.example.org/essays"),
        (
            "/essays/sean-baker-the-long-road-to-anora",
            "https://films.example.org/essays/sean-baker-the-long-road-to-anora",
        ),
        ("/check", "https://films.example.org/check"),
    ] {
        let html = page(uri).await;
        assert_contains(
            &html,
            &[
                "<title>",
                "<meta name=\"description\" content=\"",
                &format!("<link rel=\"canonical\" href=\"{canonical}\">"),
                "<meta property=\"og:title\"",
                "<meta property=\"og:description\"",
                "<meta name=\"twitter:card\" content=\"summary\">",
                "<main id=\"main\"",
                "role=\"search\"",
                "<html lang=\"en\">",
            ],
        );
        assert_accessible(uri, &html);
    }
}

/// What an automated check can see of accessibility: one `h1`, a label for every form
/// control, the landmarks, a way to skip to the content.
fn assert_accessible(uri: &str, html: &str) {
    assert_eq!(html.matches("<h1").count(), 1, "{uri}: one h1");
    for landmark in [
        "<header",
        "<nav",
        "<main",
        "<footer",
        "class=\"skip-link\" href=\"#main\"",
    ] {
        assert!(html.contains(landmark), "{uri}: no {landmark}");
    }
    for control in ["<input", "<select", "<textarea"] {
        for tag in html.split(control).skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            if tag.contains("type=\"hidden\"") {
                continue;
            }
            let id = tag
                .split("id=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{uri}: a {control} without an id: {tag}"));
            assert!(
                html.contains(&format!("<label for=\"{id}\"")),
                "{uri}: {control} #{id} has no label"
            );
        }
    }
}

#[tokio::test]
async fn the_person_page_has_a_filmography_and_awards() {
    let html = page("/people/nm0048918").await;
    assert_contains(
        &html,
        &[
            "<h1>Sean Baker</h1>",
            "Tangerine",
            "The Florida Project",
            "Directing",
            "4</span> wins",
        ],
    );
    assert_eq!(json_ld(&html)["@type"], "Person");
}

#[tokio::test]
async fn ceremony_category_and_records_pages() {
    let ceremony = page("/awards/oscars/97").await;
    assert_contains(
        &ceremony,
        &[
            "97th Academy Awards",
            "Best Picture",
            "Adrien Brody",
            "Held on 2 March 2025",
        ],
    );
    let category = page("/awards/oscars/categories/actor-in-a-leading-role").await;
    assert_contains(&category, &["Actor in a Leading Role", "Ralph Fiennes"]);
    let records = page("/records").await;
    assert_contains(
        &records,
        &[
            "Most wins by one person for a single film",
            "Sean Baker",
            "<strong>4</strong>",
        ],
    );
    assert_eq!(
        get("/awards/oscars/999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/awards/oscars/ninety").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get("/awards/nobody").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_essay_page_links_mentions_and_shows_verdicts() {
    let html = page("/essays/sean-baker-the-long-road-to-anora").await;
    assert_contains(
        &html,
        &[
            "<h1>The Long Road to Anora</h1>",
            "class=\"mention mention-film\" href=\"/films/tt28607951\"",
            "class=\"mention mention-person\" href=\"/people/nm0048918\"",
            "class=\"claim claim-supported\"",
            "badge verdict verdict-supported",
            "id=\"verdict-1\"",
        ],
    );
    let review = json_ld(&html);
    assert_eq!(review["@type"], "Review");
    assert_eq!(review["itemReviewed"]["@type"], "Movie");
    assert!(
        review["itemReviewed"]["sameAs"]
            .as_str()
            .unwrap()
            .starts_with("https://www.imdb.com/title/tt")
    );
    assert_eq!(
        get("/essays/no-such-essay").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Posts a form the way the page does: with the CSRF cookie and the same token in the form.
async fn post_form(uri: &str, form: &str) -> Answer {
    let token = "test-csrf-token-0123456789abcdef0123456789";
    send(
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("kg_csrf={token}"))
            .body(Body::from(format!("{form}&csrf={token}")))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_check_page_annotates_pasted_text() {
    let form = "text=Sean+Baker+directed+Anora+%282024%29.+Anora+%282019%29+is+wrong.";
    // Without the form's token it is refused.
    let forged = post("/check", "application/x-www-form-urlencoded", form).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let answer = post_form("/check", form).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_contains(
        &answer.body,
        &[
            "verdict-contradicted",
            "verdict-supported",
            "href=\"/films/tt28607951\"",
            "Sean Baker directed Anora (2024).",
        ],
    );
    // An empty form goes back to the empty page.
    let empty = post_form("/check", "text=").await;
    assert_eq!(empty.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn search_page_and_api() {
    let html = page("/search?q=florida+projekt").await;
    let first = html.find("class=\"hit ").expect("a hit");
    assert!(html[first..].contains("The Florida Project"), "{html}");
    let api = get("/api/search?q=moonee").await;
    assert_eq!(api.status, StatusCode::OK);
    let hits = api.json();
    assert!(
        hits["hits"].as_array().unwrap().iter().any(|h| h["detail"]
            .as_str()
            .unwrap_or("")
            .contains("Florida Project")),
        "{hits}"
    );
    let prefix = get("/api/search?q=tanger&prefix=true").await.json();
    assert_eq!(prefix["hits"][0]["name"], "Tangerine");
    // Bad parameters say which and why.
    for (uri, field) in [
        ("/api/search?q=", "q:"),
        ("/api/search?q=x&kind=planet", "kind:"),
        ("/api/search?q=x&year=soon", "year:"),
        ("/api/search?q=x&limit=0", "limit:"),
        ("/api/search?q=x&limit=abc", "limit"),
        ("/api/search?q=x&prefix=perhaps", "prefix"),
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        let error = answer.json();
        assert_eq!(error["error"]["code"], "bad_request", "{uri}");
        assert!(
            error["error"]["message"].as_str().unwrap().contains(field),
            "{uri}: {error}"
        );
    }
    // The page shows the problem instead of failing.
    let bad = page("/search?q=x&year=soon").await;
    assert_contains(&bad, &["role=\"alert\"", "year:"]);
}

#[tokio::test]
async fn api_resources_and_errors() {
    let film = get("/api/films/tt28607951").await;
    assert_eq!(film.status, StatusCode::OK);
    assert!(film.content_type.starts_with("application/json"));
    assert_eq!(film.json()["title"], "Anora");
    assert_eq!(
        get("/api/people/nm0048918").await.json()["name"],
        "Sean Baker"
    );
    let records = get("/api/records?depth=1").await.json();
    assert!(!records["records"].as_array().unwrap().is_empty());
    let ceremony = get("/api/awards/oscars/97").await.json();
    assert_eq!(ceremony["ceremony"], 97);
    let body = get("/api/awards/oscars").await.json();
    let ordinals: Vec<u64> = body["ceremonies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ceremony"].as_u64().unwrap())
        .collect();
    assert!(ordinals.contains(&97), "{body}");
    assert!(
        ordinals.windows(2).all(|w| w[0] > w[1]),
        "newest first: {ordinals:?}"
    );
    let category = get("/api/awards/oscars/categories/best-picture")
        .await
        .json();
    assert_eq!(category["canonical"], "BEST PICTURE");
    let essays = get("/api/essays?mentioning=tt28607951").await.json();
    assert!(!essays["essays"].as_array().unwrap().is_empty());
    let essay = get("/api/essays/sean-baker-the-long-road-to-anora")
        .await
        .json();
    assert!(essay["check"]["summary"]["supported"].as_u64().unwrap() > 5);

    for uri in [
        "/api/films/tt0000000",
        "/api/people/nobody",
        "/api/awards/oscars/3000",
        "/api/awards/oscars/categories/nothing",
        "/api/essays/nothing",
        "/api/no-such-route",
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(answer.content_type.starts_with("application/json"), "{uri}");
        assert_eq!(answer.json()["error"]["code"], "not_found", "{uri}");
        assert!(answer.request_id.is_some(), "{uri}");
    }
    assert_eq!(
        get("/api/records?depth=99").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/api/awards/oscars/ninety").await.status,
        StatusCode::BAD_REQUEST
    );
    // What the framework refuses by itself has the same shape.
    let bad_path = get("/api/films/%FF").await;
    assert_eq!(bad_path.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_path.json()["error"]["code"], "bad_request");
    let wrong_method = send(
        Request::delete("/api/films/tt28607951")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["error"]["code"], "method_not_allowed");
    let bad_page_query = get("/search?q=x&limit=abc").await;
    assert_eq!(bad_page_query.status, StatusCode::BAD_REQUEST);
    assert!(bad_page_query.content_type.starts_with("text/html"));
    assert_contains(&bad_page_query.body, &["Error 400", "limit"]);
    let bad_page_path = get("/people/%FF").await;
    assert_eq!(bad_page_path.status, StatusCode::BAD_REQUEST);
    assert!(bad_page_path.content_type.starts_with("text/html"));

    // Unknown pages are HTML 404s.
    let missing = get("/films/tt0000000").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_contains(&missing.body, &["Error 404", "no film with id"]);
}

#[tokio::test]
async fn the_check_api_takes_json_or_text_and_refuses_bad_bodies() {
    let essay = "Sean Baker directed Anora (2024). It was made for about $6 million.";
    let json = post(
        "/api/check",
        "application/json",
        serde_json::json!({ "text": essay }).to_string(),
    )
    .await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let report = json.json();
    assert_eq!(report["summary"]["supported"], 3, "{report}");
    assert_eq!(report["mentions"][0]["entity"]["id"], "nm0048918");
    let text = post("/api/check", "text/plain; charset=utf-8", essay)
        .await
        .json();
    assert_eq!(text["claims"], report["claims"]);

    let too_big = post("/api/check", "text/plain", "a".repeat(2 * 1024 * 1024)).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_big.json()["error"]["code"], "payload_too_large");
    let malformed = post("/api/check", "application/json", "{\"text\": ").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(
        malformed.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("body:")
    );
    let not_utf8 = post("/api/check", "text/plain", vec![0x41, 0xff, 0x42]).await;
    assert_eq!(not_utf8.status, StatusCode::BAD_REQUEST);
    let empty = post("/api/check", "application/json", "{\"text\": \"  \"}").await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let wrong_type = post("/api/check", "image/png", "x").await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(wrong_type.json()["error"]["code"], "unsupported_media_type");
}

#[tokio::test]
async fn the_openapi_document_validates_and_lists_every_api_route() {
    let answer = get("/api/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let spec: oas3::Spec = oas3::from_json(&answer.body).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3.1"));
    let paths = spec.paths.clone().unwrap_or_default();
    for path in [
        "/api/films/{id}",
        "/api/people/{id}",
        "/api/search",
        "/api/records",
        "/api/awards/{body}",
        "/api/awards/{body}/{ceremony}",
        "/api/awards/{body}/categories/{slug}",
        "/api/essays",
        "/api/essays/{slug}",
        "/api/check",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    // Every documented path answers (is routed), with example parameters filled in.
    for path in paths.keys() {
        let uri = path
            .replace("{id}", "tt28607951")
            .replace("{body}", "oscars")
            .replace("{ceremony}", "97")
            .replace("{slug}", "best-picture");
        let answer = if path == "/api/check" {
            post(&uri, "text/plain", "Anora (2024).").await
        } else {
            get(&uri).await
        };
        assert!(
            !answer.body.contains("no API resource at this path"),
            "{path} is documented but not routed"
        );
    }
    // Every schema a response refers to is defined.
    let text = &answer.body;
    let defined = spec
        .components
        .as_ref()
        .map(|c| c.schemas.clone())
        .unwrap_or_default();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(
            defined.contains_key(name),
            "{name} is referred to but not defined"
        );
    }
}

#[tokio::test]
async fn health_readiness_metrics_and_assets() {
    assert_eq!(get("/healthz").await.body, "ok\n");
    let ready = get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert!(ready.body.starts_with("ready"));
    get("/films/tt28607951").await;
    let metrics = get("/metrics").await.body;
    assert!(
        metrics.contains("kinograph_http_requests_total"),
        "{metrics}"
    );
    assert!(
        metrics.contains("kinograph_http_request_duration_seconds"),
        "{metrics}"
    );
    let css = get("/static/kinograph.css").await;
    assert!(css.content_type.starts_with("text/css"));
    let js = get("/static/kinograph.js").await;
    assert!(js.content_type.starts_with("text/javascript"));
}
