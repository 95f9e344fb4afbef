//! Limits and hardening over HTTP, in-process: the security headers on every kind of answer
//! (and pages that keep to the Content-Security-Policy), the rate limits on log-in and on
//! writes (429 with `Retry-After`, in the request's error shape), and reads never limited.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Browser;

use std::net::SocketAddr;
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use kinograph_publishing::{NewUser, Role, hash_password};
use kinograph_web::{AppState, CONTENT_SECURITY_POLICY, Limits, Rate, Site, app};
use serde_json::Value;
use tower::ServiceExt;

const PASSWORD: &str = "reader-secret-pass-42";
const ANORA: &str = "tt28607951";

/// A catalog (the demo world, our Academy Awards rows) and a reader, `edna`, served with
/// `limits`.
fn site(dir: &Path, limits: Limits) -> Router {
    common::blocking(|| {
        let (database, mut store) = common::catalog(dir);
        store
            .edit(|w| {
                w.create_user(&NewUser {
                    name: "edna".into(),
                    display_name: "Edna".into(),
                    role: Role::Reader,
                    password_hash: Some(hash_password(PASSWORD).unwrap()),
                })?;
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
        .unwrap()
        .with_limits(limits);
        app(state)
    })
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn assert_hardened(reply: &Reply, what: &str) {
    let h = &reply.headers;
    assert_eq!(
        h[header::CONTENT_SECURITY_POLICY],
        CONTENT_SECURITY_POLICY,
        "{what}"
    );
    assert!(
        CONTENT_SECURITY_POLICY.contains("script-src 'self';")
            && CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'")
            && !CONTENT_SECURITY_POLICY.contains("unsafe-inline")
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{what}");
    assert_eq!(
        h[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin",
        "{what}"
    );
    assert!(h.contains_key("permissions-policy"), "{what}");
    // The site is served over plain http: no HSTS.
    assert!(!h.contains_key(header::STRICT_TRANSPORT_SECURITY), "{what}");
}

/// What the Content-Security-Policy would block in a page: a script that is neither loaded
/// from a file nor a JSON-LD data block, an inline `style` (attribute or element), an `on…`
/// event handler, a `javascript:` address.
fn csp_violations(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let name = tag.split_whitespace().next().unwrap_or("").to_lowercase();
        let attributes: Vec<&str> = tag.split_whitespace().skip(1).collect();
        if name == "script"
            && !attributes.iter().any(|a| a.starts_with("src="))
            && !attributes.contains(&"type=\"application/ld+json\"")
        {
            found.push(format!("inline script: <{tag}>"));
        }
        if name == "style" {
            found.push("a <style> element".to_string());
        }
        for attribute in &attributes {
            let key = attribute.split('=').next().unwrap_or("").to_lowercase();
            let handler = key.len() > 2
                && key.starts_with("on")
                && key.chars().all(|c| c.is_ascii_lowercase())
                && attribute.contains('=');
            if key == "style" || handler {
                found.push(format!("attribute {attribute} in <{name}>"));
            }
        }
        if tag.to_lowercase().contains("javascript:") {
            found.push(format!("javascript: address in <{tag}>"));
        }
    }
    found
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_pages_keep_to_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path(), Limits::default());

    // A page, an API answer, the assets, the 404s, a 405 and a 403 (the 500 of a panic is
    // tested beside `hardened`).
    let page = get(&app, &format!("/films/{ANORA}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_hardened(&page, "a page");
    assert!(page.body.contains("<script type=\"application/ld+json\">"));
    let api = get(&app, &format!("/api/films/{ANORA}")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_hardened(&api, "an API answer");
    for asset in [
        "/static/kinograph.js",
        "/static/kinograph.css",
        "/favicon.svg",
    ] {
        let reply = get(&app, asset).await;
        assert_eq!(reply.status, StatusCode::OK, "{asset}");
        assert_hardened(&reply, asset);
    }
    for missing in ["/no-such-page", "/api/no-such-thing"] {
        let reply = get(&app, missing).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
        assert_hardened(&reply, missing);
    }
    let wrong_method = send(
        &app,
        Request::delete("/api/search?q=anora")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_hardened(&wrong_method, "a 405");
    let forged = send(
        &app,
        Request::post("/logout")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_hardened(&forged, "a refused form");

    // The pages' only script is our file; they carry no inline script, style or handler.
    let mut browser = Browser::new(&app);
    browser.log_in("edna", PASSWORD).await;
    for uri in [
        "/".to_string(),
        format!("/films/{ANORA}"),
        "/people/nm0048918".to_string(),
        "/awards/oscars".to_string(),
        "/records".to_string(),
        "/search?q=anora".to_string(),
        "/essays".to_string(),
        "/check".to_string(),
        "/login".to_string(),
        "/signup".to_string(),
        "/account".to_string(),
        "/account/diary".to_string(),
        "/lists".to_string(),
        "/u/edna".to_string(),
        "/u/edna/stats".to_string(),
        "/no-such-page".to_string(),
    ] {
        let page = browser.get(&uri).await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::NOT_FOUND,
            "{uri}: {}",
            page.status
        );
        assert!(
            page.body
                .contains("<script src=\"/static/kinograph.js\" defer></script>"),
            "{uri}"
        );
        let violations = csp_violations(&page.body);
        assert!(violations.is_empty(), "{uri}: {violations:#?}");
    }
}

/// A log-in form as our pages send it, from `peer` (`None`: no address, as in-process).
fn login_request(
    browser: &Browser,
    peer: Option<[u8; 4]>,
    name: &str,
    password: &str,
) -> Request<Body> {
    let csrf = browser.cookies["kg_csrf"].clone();
    let body = serde_urlencoded::to_string([
        ("name", name),
        ("password", password),
        ("next", "/"),
        ("csrf", &csrf),
    ])
    .unwrap();
    let mut request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    if let Some(ip) = peer {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    }
    request
}

fn retry_after(headers: &HeaderMap) -> u64 {
    headers
        .get(header::RETRY_AFTER)
        .expect("a Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_eleventh_log_in_within_a_minute_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = site(dir.path(), Limits::default());
    let mut browser = Browser::new(&app);
    browser.get("/login").await;
    for attempt in 1..=10 {
        let request = login_request(&browser, None, "edna", "wrong password!");
        let answer = browser.send(request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // The eleventh is refused before its password is looked at, even the right one.
    let request = login_request(&browser, None, "edna", PASSWORD);
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(response.headers());
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(!response.headers().contains_key(header::SET_COOKIE));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8(body.to_vec()).unwrap();
    assert!(body.contains("too many log-in attempts"), "{body}");
    assert!(body.contains(&format!("{wait} seconds")), "{body}");
    assert!(!browser.cookies.contains_key("kg_session"));
    // Sign-up counts as a log-in attempt.
    let signup = browser
        .post(
            "/signup",
            &[
                ("name", "newcomer"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signup.status, StatusCode::TOO_MANY_REQUESTS);
    // Pages still load.
    assert_eq!(browser.get("/login").await.status, StatusCode::OK);

    // The account is limited whatever the address: another one gets no further with edna,
    // but may try another name.
    let elsewhere = browser
        .send(login_request(
            &browser,
            Some([192, 0, 2, 8]),
            "EDNA ",
            PASSWORD,
        ))
        .await;
    assert_eq!(elsewhere.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        elsewhere.body.contains("for this account"),
        "{}",
        elsewhere.body
    );
    let other_name = browser
        .send(login_request(
            &browser,
            Some([192, 0, 2, 8]),
            "nobody",
            PASSWORD,
        ))
        .await;
    assert_eq!(other_name.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn writes_over_the_limit_are_refused_and_reads_never_are() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        writes: Some(Rate::per_minute(3)),
        ..Limits::default()
    };
    let app = site(dir.path(), limits);
    let mut browser = Browser::new(&app);
    browser.get("/").await;
    for _ in 0..3 {
        let out = browser.post("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.body);
    }
    // The fourth write: a page answers with an error page, the API with its JSON error.
    let page = browser.post("/logout", &[]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("<title>"), "{}", page.body);
    assert!(page.body.contains("too many requests"), "{}", page.body);
    let api = send(
        &app,
        Request::post("/api/diary")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!("{{\"film\":\"{ANORA}\"}}")))
            .unwrap(),
    )
    .await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert_hardened(&api, "a 429");
    let wait = retry_after(&api.headers);
    assert!((1..=20).contains(&wait), "{wait}");
    let error: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(error["error"]["code"], "too_many_requests");
    let deleted = send(
        &app,
        Request::delete("/api/diary/1").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::TOO_MANY_REQUESTS);

    // Reads are not limited.
    for _ in 0..50 {
        assert_eq!(browser.get("/").await.status, StatusCode::OK);
        assert_eq!(
            get(&app, "/api/search?q=anora").await.status,
            StatusCode::OK
        );
    }
    // Another client has its own allowance.
    let mut request = Request::post("/api/diary")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{{\"film\":\"{ANORA}\"}}")))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([198, 51, 100, 4], 5000))));
    let other = send(&app, request).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED, "{}", other.body);
}

#[tokio::test]
async fn a_catalog_above_the_shared_checker_limit_checks_each_text_with_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::blocking(|| {
        let database = common::catalog(dir.path()).0;
        AppState::open_on(
            dir.path(),
            &database,
            Site {
                name: "Kinograph".into(),
                base_url: "http://localhost".into(),
            },
        )
        .unwrap()
        .with_limits(Limits {
            shared_checker_max_entities: 10,
            ..Limits::default()
        })
    });
    common::blocking(|| state.build_checker()).unwrap();
    assert!(!state.checker_ready(), "no whole-catalog checker in memory");
    assert!(state.checker_per_check());
    let app = app(state);
    let ready = get(&app, "/readyz").await;
    assert!(
        ready.body.contains("checker: one per check"),
        "{}",
        ready.body
    );
    let checked = send(
        &app,
        Request::post("/api/check")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("Sean Baker directed Anora (2024)."))
            .unwrap(),
    )
    .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    let report: Value = serde_json::from_str(&checked.body).unwrap();
    assert_eq!(
        report["mentions"][0]["entity"]["id"], "nm0048918",
        "{report}"
    );
}
