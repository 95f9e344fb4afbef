//! The cap on request headers: too many or too long is a 431 in the request's error shape,
//! in-process and over a socket, and far beyond the cap hyper refuses the request itself —
//! never a 5xx, never a dead server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kinograph_web::{AppState, MAX_HEADER_BYTES, MAX_HEADER_COUNT, Site, app};
use serde_json::Value;
use tower::ServiceExt;

fn state(dir: &Path) -> AppState {
    common::blocking(|| {
        let database = common::catalog(dir).0;
        AppState::open_on(
            dir,
            &database,
            Site {
                name: "Kinograph".into(),
                base_url: "http://localhost".into(),
            },
        )
        .unwrap()
    })
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, csp, String::from_utf8(body.to_vec()).unwrap())
}

fn with_header(uri: &str, name: &str, value: &str) -> Request<Body> {
    Request::get(uri)
        .header(name, value)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn too_many_or_too_long_headers_are_a_431_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(state(dir.path()));

    // A long header, within the cap, is fine (cookies of a few KiB are ordinary).
    let fine = "a".repeat(MAX_HEADER_BYTES / 2);
    let (status, _, _) = send(&app, with_header("/healthz", "x-long", &fine)).await;
    assert_eq!(status, StatusCode::OK);

    // Over the cap: JSON under /api/, a page elsewhere, hardened like every answer.
    let long = "a".repeat(MAX_HEADER_BYTES + 1);
    let (status, csp, body) = send(&app, with_header("/api/records", "x-long", &long)).await;
    assert_eq!(
        status,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "{body}"
    );
    assert!(!csp.is_empty());
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"]["code"], "request_header_fields_too_large");
    let (status, _, body) = send(&app, with_header("/", header::COOKIE.as_str(), &long)).await;
    assert_eq!(status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    assert!(body.contains("<title>"), "{body}");

    // Many small headers: the count is capped too.
    let mut request = Request::get("/healthz");
    for n in 0..=MAX_HEADER_COUNT {
        request = request.header(format!("x-field-{n}"), "1");
    }
    let (status, _, _) = send(&app, request.body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
}

/// Writes `head` to a fresh connection and reads what comes back until the server closes it
/// or stops talking. A write cut short by the server closing is a clean refusal too.
async fn raw(addr: std::net::SocketAddr, head: Vec<u8>) -> String {
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(&head);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap()
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_headers_over_a_socket_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(kinograph_web::serve(listener, state(dir.path()), async {
        let _ = stopped.await;
    }));

    let request = |headers: &str| {
        format!("GET /api/records HTTP/1.1\r\nhost: test\r\nconnection: close\r\n{headers}\r\n")
            .into_bytes()
    };

    // Over our cap, within hyper's buffer: our 431, as JSON.
    let long = format!("x-long: {}\r\n", "a".repeat(MAX_HEADER_BYTES + 1));
    let answer = raw(addr, request(&long)).await;
    assert!(status_line(&answer).contains(" 431 "), "{answer}");
    assert!(
        answer.contains("request_header_fields_too_large"),
        "{answer}"
    );

    // Far over it (a megabyte), and more fields than hyper parses: hyper answers 431 itself or
    // closes the connection; never a 5xx.
    let huge = format!("x-huge: {}\r\n", "a".repeat(1024 * 1024));
    let many: String = (0..200).map(|n| format!("x-field-{n}: 1\r\n")).collect();
    for headers in [huge, many] {
        let answer = raw(addr, request(&headers)).await;
        let line = status_line(&answer);
        assert!(
            line.is_empty() || line.contains(" 431 "),
            "expected a 431 or a closed connection, got {line:?}"
        );
    }

    // And the server still serves.
    let answer = raw(addr, request("")).await;
    assert!(status_line(&answer).contains(" 200 "), "{answer}");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
