//! What the web tests share: a catalog of the demo world and our own Academy Awards rows, and
//! a browser that keeps cookies and sends forms with their CSRF token.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use kinograph_import::{DEMO_CATALOG, DEMO_DATASET, NoProgress, curated, oscars};
use kinograph_store::{Database, OpenMode, Store};

/// Creates the store of the instance whose data folder is `dir`, on the test run's backend
/// (`kinograph_store::testing::fresh_database`), with the demo world and
/// `tests/fixtures/oscars-97.tsv` (the 97th ceremony's rows for Anora and a few rivals, and The
/// Florida Project's nomination). Returns where the store is, for `AppState::open_on`, and the
/// store itself.
pub fn catalog(dir: &Path) -> (Database, Store) {
    let database = kinograph_store::testing::fresh_database(dir).expect("a test database");
    let mut store = database.open(OpenMode::CreateIfMissing).expect("a store");
    curated::parse(DEMO_CATALOG, DEMO_DATASET)
        .and_then(|catalog| catalog.import(&mut store))
        .expect("the demo world");
    let rows = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oscars-97.tsv");
    let file = std::fs::File::open(rows).expect("the Oscars fixture");
    let reader =
        oscars::Reader::new(std::io::BufReader::new(file), "oscars-97.tsv").expect("its header");
    oscars::import(&mut store, reader, &mut NoProgress, None).expect("its rows");
    (database, store)
}

/// Runs `work` on a thread of its own, as the server runs store work off its async threads:
/// the PostgreSQL client blocks on a runtime of its own, which it cannot do on an async test's.
pub fn blocking<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(work).join())
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// A browser: keeps cookies, sends the CSRF token with forms, does not follow redirects.
pub struct Browser {
    pub app: Router,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(app: &Router) -> Browser {
        Browser {
            app: app.clone(),
            cookies: BTreeMap::new(),
        }
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> Answer {
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let response = self.app.clone().oneshot(request).await.unwrap();
        for set in response.headers().get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.into(), value.into());
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            location,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    pub async fn get(&mut self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// Posts a form as our pages do, with the CSRF token.
    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        if !self.cookies.contains_key("kg_csrf") {
            self.get("/").await;
        }
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.cookies["kg_csrf"].clone();
        fields.push(("csrf", &csrf));
        self.post_raw(uri, &fields).await
    }

    pub async fn post_raw(&mut self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn log_in(&mut self, name: &str, password: &str) {
        let answer = self
            .post(
                "/login",
                &[("name", name), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "log in {name}: {}",
            answer.body
        );
    }

    pub async fn act(&mut self, slug: &str, action: &str) -> Answer {
        self.post(&format!("/write/{slug}/act"), &[("action", action)])
            .await
    }
}

pub async fn api(app: &Router, method: &str, uri: &str, token: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// Makes an API token on /account and reads it off the page.
pub async fn token_of(browser: &mut Browser) -> String {
    let page = browser
        .post("/account/tokens", &[("name", "test script")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page.body.find("id=\"new-token\">").unwrap() + 15;
    let end = start + page.body[start..].find('<').unwrap();
    page.body[start..end].to_string()
}
