//! Kinograph's web server: server-rendered pages and a JSON API over the catalog, the search
//! index and the checker. The only crate that knows HTTP, HTML and the API's error bodies.
//!
//! [`app`] builds the whole router over an [`AppState`]; tests drive it in-process and
//! [`serve`] runs it on a socket until shutdown.

mod annotate;
mod api;
mod api_diary;
mod auth;
pub mod charts;
mod diary;
mod diary_data;
mod editorial;
mod error;
mod feeds;
mod limits;
mod metrics;
mod pages;
mod routes;
mod state;
mod syndication;
mod views;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::{Json, Router};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use api::ApiDoc;
pub use error::{ErrorBody, Failure};
pub use limits::{CONTENT_SECURITY_POLICY, Limits, MAX_HEADER_BYTES, MAX_HEADER_COUNT, Rate};
pub use routes::{Access, RouteSpec, routes};
pub use state::{AppState, Site, StartError};

/// The longest a request may take before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole site: pages, `/api/`, health, metrics and static assets, every route from the
/// table in `routes.rs`.
pub fn app(state: AppState) -> Router {
    let (api, _) = api::router();
    let router = routes::routes()
        .iter()
        .filter_map(|spec| Some((spec.path, spec.page_handler()?)))
        .fold(Router::new(), |router, (path, handler)| {
            router.route(path, handler)
        })
        .merge(api)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::csrf))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(DefaultBodyLimit::max(pages::MAX_CHECK_BYTES + 64 * 1024));
    let guard = limits::Guard::new(&state.limits(), state.site().is_https());
    hardened(router.with_state(state), &guard)
}

/// What every request goes through: security headers on every response, a request id (set,
/// logged, returned), a log line, our own 500 body for any failure or panic, a timeout, and
/// the limits (header size, requests in flight, rate limits: see `limits.rs`).
fn hardened(router: Router, guard: &limits::Guard) -> Router {
    router.layer(
        ServiceBuilder::new()
            .layer(middleware::from_fn_with_state(
                guard.clone(),
                limits::security_headers,
            ))
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
            )
            .layer(middleware::from_fn(internal_errors_name_the_request))
            .layer(middleware::from_fn(framework_errors_in_our_shape))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                REQUEST_TIMEOUT,
            ))
            .layer(middleware::from_fn(limits::header_limits))
            .layer(middleware::from_fn_with_state(guard.clone(), limits::guard)),
    )
}

fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = id)
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// A 500 goes out as our own error body naming the request id, whatever produced it (an
/// internal failure, a panic): the client can quote the id, the log has the details.
async fn internal_errors_name_the_request(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .to_string();
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    tracing::error!(request_id = %id, "answered 500");
    let message = format!("something went wrong on our side; it has been logged as request {id}");
    let mut fresh = if api {
        let failure = Failure::Internal(String::new());
        let mut body = ErrorBody::of(&failure);
        body.error.message = message;
        (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
    } else {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(pages::error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &message,
            )),
        )
            .into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        fresh.headers_mut().insert("x-request-id", value);
    }
    fresh
}

/// Unknown paths: a JSON 404 under `/api/`, a 404 page elsewhere.
async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        api::not_found().await
    } else {
        pages::not_found().await
    }
}

/// Client errors axum answers itself (an unparsable path or query, a method a route lacks, a
/// timeout) come as plain text or nothing: give them the same shape as ours — the JSON error
/// body under `/api/`, an error page elsewhere. Ours already carry a content type we set.
async fn framework_errors_in_our_shape(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/html"));
    if !status.is_client_error() || ours {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let message = match axum::body::to_bytes(response.into_body(), 16 * 1024).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    };
    let failure = Failure::from_status(status, message);
    let mut fresh = if api {
        error::ApiError(failure).into_response()
    } else {
        error::PageError(failure).into_response()
    };
    if let Some(allow) = allow {
        fresh.headers_mut().insert(header::ALLOW, allow);
    }
    fresh
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready when the catalog answers; says whether the whole-catalog checker is built yet.
async fn readyz(State(state): State<AppState>) -> Response {
    let check = state.clone();
    let answers = tokio::task::spawn_blocking(move || check.catalog_answers()).await;
    match answers {
        Ok(Ok(())) => {
            let checker = if state.checker_ready() {
                "ready"
            } else if state.checker_per_check() {
                "one per check (the catalog is too large to keep one)"
            } else {
                "building"
            };
            format!("ready\ncatalog: ok\nchecker: {checker}\n").into_response()
        }
        Ok(Err(failure)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {}\n", failure.public_message()),
        )
            .into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response(),
    }
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    match state.metrics().render() {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../assets/kinograph.css"),
    )
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../assets/kinograph.js"),
    )
}

async fn favicon() -> Response {
    asset("image/svg+xml", include_str!("../assets/favicon.svg"))
}

/// How often a node looks for catalog changes other processes made (other nodes on a shared
/// PostgreSQL, an import beside the server): a write on one node is searchable on the others
/// within a second. A look that finds nothing new is one indexed read of the log's head.
const FOLLOW_INTERVAL: Duration = Duration::from_millis(250);

/// Starts the background work: building the whole-catalog checker, and keeping the search
/// index in step with writes made by other processes. Call inside a tokio runtime.
pub fn start_background(state: &AppState) {
    let builder = state.clone();
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        match builder.build_checker() {
            Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), "checker ready"),
            Err(failure) => {
                tracing::error!(%failure, "cannot build the checker; checks build their own")
            }
        }
    });
    let follower = state.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(FOLLOW_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let state = follower.clone();
            match tokio::task::spawn_blocking(move || state.follow_changes()).await {
                Ok(Ok(())) => {}
                Ok(Err(failure)) => tracing::warn!(%failure, "cannot follow catalog changes"),
                Err(error) => tracing::warn!(%error, "change follower task failed"),
            }
        }
    });
}

/// Serves `app(state)` on `listener` until `shutdown` resolves, then finishes the requests
/// in flight. Each request knows its peer's address, for the rate limits.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    start_background(&state);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use axum::body::Body;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    async fn boom() -> &'static str {
        panic!("a bug");
    }

    /// A panic reaches the client as a 500 naming the request id, never as a dropped
    /// connection or a stack trace.
    #[tokio::test]
    async fn a_panic_is_a_500_with_the_request_id() {
        let router = hardened(
            Router::new()
                .route("/api/boom", get(boom))
                .route("/boom", get(boom)),
            &limits::Guard::new(&Limits::default(), false),
        );
        for (uri, json) in [("/api/boom", true), ("/boom", false)] {
            let response = router
                .clone()
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let id = response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_string();
            assert!(!id.is_empty());
            let headers = response.headers();
            assert_eq!(
                headers[header::CONTENT_SECURITY_POLICY],
                CONTENT_SECURITY_POLICY
            );
            assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let body = String::from_utf8(body.to_vec()).unwrap();
            assert!(body.contains(&id), "{body}");
            assert!(!body.contains("a bug"), "{body}");
            if json {
                let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(value["error"]["code"], "internal");
            } else {
                assert!(body.contains("<title>"), "{body}");
            }
        }
    }
}
