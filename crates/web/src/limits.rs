//! Limits and hardening: security headers on every response, a cap on the requests served at
//! once, rate limits on log-in attempts and on writes, and a cap on request headers.
//!
//! - Every response (pages, API, assets, errors) carries a Content-Security-Policy that allows
//!   only our own scripts, styles and images (no inline script or style), `nosniff`, no
//!   framing, a strict referrer policy, and HSTS when the site is served over https.
//! - More than [`Limits::max_in_flight`] requests at once: the rest are answered 503 at once,
//!   with `Retry-After`, rather than queued.
//! - Rate limits, in memory and per client address (the connection's peer; an IPv6 address
//!   counts by its /64): log-in and sign-up attempts also per account name, and every
//!   state-changing request (any method but GET, HEAD and OPTIONS). Over a limit: 429 with
//!   `Retry-After`, as JSON under `/api/` and an error page elsewhere. Each limit is a GCRA
//!   (a token bucket kept as one instant per key): `requests` at once, then one more every
//!   `per / requests`. Keys whose allowance is full again are dropped, so memory follows the
//!   clients of the last `per` and never exceeds [`Limits::max_tracked`] keys per limit.
//!
//! - Headers: more than [`MAX_HEADER_COUNT`] fields or [`MAX_HEADER_BYTES`] bytes is a 431
//!   (request bodies are capped by `DefaultBodyLimit` where the router is built).
//!
//! Without a peer address (the app driven in-process, or served without connect info) every
//! request counts as one client. `X-Forwarded-For` is ignored unless
//! [`Limits::trust_forwarded_for`] is set.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, Failure, PageError};

/// Our pages load only our own stylesheet, script and icon; JSON-LD blocks are data, which CSP
/// does not govern.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
/// A year, sent only when the site's base URL is https.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// The largest log-in or sign-up form read to find the account name.
const MAX_LOGIN_FORM_BYTES: usize = 64 * 1024;
/// What an overloaded server asks clients to wait, in seconds.
const OVERLOADED_RETRY_SECONDS: u64 = 1;

/// How many requests a key may make: `requests` at once, then one every `per / requests`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    requests: u32,
    per: Duration,
}

impl Rate {
    /// `requests` (at least one) per `per` (at least a millisecond).
    pub fn new(requests: u32, per: Duration) -> Rate {
        Rate {
            requests: requests.max(1),
            per: per.max(Duration::from_millis(1)),
        }
    }

    pub fn per_minute(requests: u32) -> Rate {
        Rate::new(requests, Duration::from_secs(60))
    }

    pub fn requests(&self) -> u32 {
        self.requests
    }

    pub fn per(&self) -> Duration {
        self.per
    }

    /// The time one request's allowance takes to come back.
    fn interval(&self) -> Duration {
        self.per / self.requests
    }
}

/// The server's limits; [`Limits::default`] suits a public site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Log-in and sign-up attempts (`POST /login`, `POST /signup`), per client address and,
    /// separately, per account name. `None`: unlimited. Default: 10 a minute.
    pub login: Option<Rate>,
    /// State-changing requests (pages and API; every method but GET, HEAD and OPTIONS), per
    /// client address. `None`: unlimited. Default: 120 a minute.
    pub writes: Option<Rate>,
    /// Requests served at once; the rest are answered 503 straight away. Default: 512.
    pub max_in_flight: usize,
    /// Most keys (clients or names) each rate limit remembers; past it, a new key is refused
    /// until old ones expire. Default: 100,000 (a few MiB).
    pub max_tracked: usize,
    /// Take the client's address from the last `X-Forwarded-For` entry instead of the
    /// connection's peer. Only behind a reverse proxy you run that sets it: otherwise anyone
    /// can claim any address. Default: off.
    pub trust_forwarded_for: bool,
    /// Most films and people for which the server keeps one checker over every catalog name in
    /// memory (built at start, about 8 KB a film or person with its characters and variants);
    /// above it, each check builds one over the names its text can contain, which is slower but
    /// keeps memory flat at IMDb scale. Default: 150,000.
    pub shared_checker_max_entities: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            login: Some(Rate::per_minute(10)),
            writes: Some(Rate::per_minute(120)),
            max_in_flight: 512,
            max_tracked: 100_000,
            trust_forwarded_for: false,
            shared_checker_max_entities: 150_000,
        }
    }
}

/// A client, as rate limits count them: its address (an IPv6 one by its /64, which one
/// subscriber usually holds whole), or `None` when the request has none.
type Client = Option<IpAddr>;

/// One GCRA per key: the instant at which the key's allowance is full again ("theoretical
/// arrival time"); a key is allowed while that lies less than `per - interval` ahead.
#[derive(Debug)]
struct Buckets<K> {
    rate: Rate,
    max_keys: usize,
    inner: Mutex<Inner<K>>,
}

#[derive(Debug)]
struct Inner<K> {
    full_at: HashMap<K, Instant>,
    swept: Instant,
}

impl<K: Hash + Eq + Clone> Buckets<K> {
    fn new(rate: Rate, max_keys: usize, now: Instant) -> Self {
        Buckets {
            rate,
            max_keys: max_keys.max(1),
            inner: Mutex::new(Inner {
                full_at: HashMap::new(),
                swept: now,
            }),
        }
    }

    /// Spends one request of `key`'s allowance, or says how long until one is back.
    fn take(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let interval = self.rate.interval();
        let tolerance = self.rate.per.saturating_sub(interval);
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let since_sweep = now.saturating_duration_since(inner.swept);
        let full = inner.full_at.len() >= self.max_keys;
        // Sweep once a period, or (at most once a second) when full.
        if since_sweep >= self.rate.per || (full && since_sweep >= Duration::from_secs(1)) {
            inner.full_at.retain(|_, at| *at > now);
            inner.swept = now;
            if inner.full_at.len() >= self.max_keys {
                tracing::warn!(
                    keys = self.max_keys,
                    "rate limit table full: refusing new keys"
                );
            }
        }
        let ahead = match inner.full_at.get(key) {
            Some(at) => at.saturating_duration_since(now),
            None if inner.full_at.len() >= self.max_keys => return Err(self.rate.per),
            None => Duration::ZERO,
        };
        if ahead > tolerance {
            return Err(ahead - tolerance);
        }
        let next = now.checked_add(ahead + interval).unwrap_or(now);
        inner.full_at.insert(key.clone(), next);
        Ok(())
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .full_at
            .len()
    }
}

/// The limits' state, shared by every route of one [`crate::app`].
#[derive(Debug, Clone)]
pub(crate) struct Guard(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    https: bool,
    max_in_flight: usize,
    trust_forwarded_for: bool,
    in_flight: AtomicUsize,
    login_clients: Option<Buckets<Client>>,
    login_names: Option<Buckets<String>>,
    writes: Option<Buckets<Client>>,
}

/// A request counted in flight until it is dropped.
#[derive(Debug)]
struct Ticket(Arc<Shared>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Guard {
    pub(crate) fn new(limits: &Limits, https: bool) -> Guard {
        let now = Instant::now();
        let max = limits.max_tracked;
        Guard(Arc::new(Shared {
            https,
            max_in_flight: limits.max_in_flight.max(1),
            trust_forwarded_for: limits.trust_forwarded_for,
            in_flight: AtomicUsize::new(0),
            login_clients: limits.login.map(|rate| Buckets::new(rate, max, now)),
            login_names: limits.login.map(|rate| Buckets::new(rate, max, now)),
            writes: limits.writes.map(|rate| Buckets::new(rate, max, now)),
        }))
    }

    fn enter(&self) -> Option<Ticket> {
        let before = self.0.in_flight.fetch_add(1, Ordering::AcqRel);
        let ticket = Ticket(Arc::clone(&self.0));
        (before < self.0.max_in_flight).then_some(ticket)
    }

    #[cfg(test)]
    fn in_flight(&self) -> usize {
        self.0.in_flight.load(Ordering::Acquire)
    }

    /// Who is asking, for the rate limits.
    fn client(&self, request: &Request) -> Client {
        let forwarded = self
            .0
            .trust_forwarded_for
            .then(|| forwarded_for(request.headers()))
            .flatten();
        let peer = || {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip())
        };
        forwarded.or_else(peer).map(client_key)
    }
}

/// The last `X-Forwarded-For` entry: the address the proxy in front of us saw.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?
        .rsplit(',')
        .next()?
        .trim();
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// An IPv4 address as is (also when mapped into IPv6), an IPv6 one by its /64.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_login(request: &Request) -> bool {
    request.method() == Method::POST && matches!(request.uri().path(), "/login" | "/signup")
}

/// A failure in the request's shape (JSON under `/api/`, a page elsewhere), asking the client
/// to come back in `retry_after` seconds.
fn refuse(api: bool, failure: Failure, retry_after: u64) -> Response {
    let mut response = if api {
        ApiError(failure).into_response()
    } else {
        PageError(failure).into_response()
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

fn too_many(api: bool, what: &str, wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    tracing::info!(limit = what, retry_after = seconds, "rate limited");
    let unit = if seconds == 1 { "second" } else { "seconds" };
    refuse(
        api,
        Failure::TooManyRequests(format!("too many {what}: try again in {seconds} {unit}")),
        seconds,
    )
}

/// Middleware: the cap on requests in flight, then the rate limits.
pub(crate) async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let Some(_ticket) = guard.enter() else {
        tracing::warn!(max = guard.0.max_in_flight, "too many requests in flight");
        return refuse(
            api,
            Failure::Overloaded("the server is busy: try again in a moment".into()),
            OVERLOADED_RETRY_SECONDS,
        );
    };
    if !changes_state(request.method()) {
        return next.run(request).await;
    }
    let now = Instant::now();
    let client = guard.client(&request);
    let mut request = request;
    if is_login(&request) {
        if let Some(buckets) = &guard.0.login_clients
            && let Err(wait) = buckets.take(&client, now)
        {
            return too_many(api, "log-in attempts", wait);
        }
        if let Some(buckets) = &guard.0.login_names {
            let (parts, body) = request.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, MAX_LOGIN_FORM_BYTES).await else {
                return PageError(Failure::TooLarge("the form is too large".into()))
                    .into_response();
            };
            let name = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|fields| fields.into_iter().find(|(key, _)| key == "name"))
                .map(|(_, name)| name.trim().to_lowercase())
                .unwrap_or_default();
            request = Request::from_parts(parts, Body::from(bytes));
            if let Err(wait) = buckets.take(&name, now) {
                return too_many(api, "log-in attempts for this account", wait);
            }
        }
    }
    if let Some(buckets) = &guard.0.writes
        && let Err(wait) = buckets.take(&client, now)
    {
        return too_many(api, "requests", wait);
    }
    next.run(request).await
}

/// The most bytes of header names and values a request may carry. Browsers send a few KiB
/// (cookies included) and ours are small; nginx's default allows 4 lines of 8 KiB.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The most header fields a request may carry (a repeated name counts each time). hyper
/// refuses more than 100 on a connection before we see them; this also holds in-process.
pub const MAX_HEADER_COUNT: usize = 64;

/// Middleware: requests with more or longer headers than anyone needs are refused 431 before
/// any work is done for them. hyper has already cut off anything over its buffer (about
/// 400 KiB) or 100 fields, also with a 431.
pub(crate) async fn header_limits(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    let too_large = if headers.len() > MAX_HEADER_COUNT {
        Some(format!(
            "too many header fields: {} (at most {MAX_HEADER_COUNT})",
            headers.len()
        ))
    } else if bytes > MAX_HEADER_BYTES {
        Some(format!(
            "the headers are too large: {bytes} bytes (at most {MAX_HEADER_BYTES})"
        ))
    } else {
        None
    };
    let Some(message) = too_large else {
        return next.run(request).await;
    };
    tracing::info!(bytes, fields = headers.len(), "headers too large");
    let failure = Failure::HeadersTooLarge(message);
    if request.uri().path().starts_with("/api/") {
        ApiError(failure).into_response()
    } else {
        PageError(failure).into_response()
    }
}

/// Middleware: the security headers, on every response.
pub(crate) async fn security_headers(
    State(guard): State<Guard>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    if guard.0.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use std::net::{Ipv4Addr, Ipv6Addr};
    use std::sync::atomic::AtomicBool;

    use axum::Router;
    use axum::http::StatusCode;
    use axum::middleware;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_bucket_allows_a_burst_then_one_per_interval() {
        let start = Instant::now();
        let buckets = Buckets::new(Rate::new(3, MINUTE), 10, start);
        for _ in 0..3 {
            assert_eq!(buckets.take(&"a", start), Ok(()));
        }
        // The fourth waits for one request's allowance: 20 seconds.
        assert_eq!(buckets.take(&"a", start), Err(Duration::from_secs(20)));
        assert_eq!(
            buckets.take(&"a", start + Duration::from_secs(5)),
            Err(Duration::from_secs(15))
        );
        // Others are counted apart.
        assert_eq!(buckets.take(&"b", start), Ok(()));
        let later = start + Duration::from_secs(20);
        assert_eq!(buckets.take(&"a", later), Ok(()));
        assert!(buckets.take(&"a", later).is_err());
        // A full minute later the whole burst is back.
        let much_later = later + MINUTE;
        for _ in 0..3 {
            assert_eq!(buckets.take(&"a", much_later), Ok(()));
        }
    }

    #[test]
    fn memory_stays_bounded() {
        let start = Instant::now();
        let buckets = Buckets::new(Rate::new(2, MINUTE), 100, start);
        for key in 0..100 {
            assert_eq!(buckets.take(&key, start), Ok(()));
        }
        // Full: a new key is refused, one already known still counts.
        assert_eq!(buckets.take(&1000, start), Err(MINUTE));
        assert_eq!(buckets.take(&7, start), Ok(()));
        // Once their allowances are whole again, the old keys are dropped.
        let later = start + 2 * MINUTE;
        assert_eq!(buckets.take(&1000, later), Ok(()));
        assert_eq!(buckets.tracked(), 1);
    }

    #[test]
    fn clients_are_addresses_and_ipv6_counts_by_its_64() {
        let v4 = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));
        assert_eq!(client_key(v4), v4);
        let mapped = IpAddr::V6(Ipv4Addr::new(192, 0, 2, 7).to_ipv6_mapped());
        assert_eq!(client_key(mapped), v4);
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        assert_eq!(
            client_key(a),
            IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0, 0, 0, 0))
        );
    }

    #[test]
    fn x_forwarded_for_is_read_only_when_trusted() {
        let request = |forwarded: &str| {
            let mut request = Request::post("/diary")
                .header("x-forwarded-for", forwarded)
                .body(Body::empty())
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
            request
        };
        let peer = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let plain = Guard::new(&Limits::default(), false);
        assert_eq!(plain.client(&request("203.0.113.9")), Some(peer));
        let behind_proxy = Guard::new(
            &Limits {
                trust_forwarded_for: true,
                ..Limits::default()
            },
            false,
        );
        // The last entry is the one our proxy added; earlier ones the client wrote itself.
        assert_eq!(
            behind_proxy.client(&request("6.6.6.6, 203.0.113.9")),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(
            behind_proxy.client(&request("203.0.113.9:5555")),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(behind_proxy.client(&request("garbage")), Some(peer));
        let no_peer = Request::post("/diary").body(Body::empty()).unwrap();
        assert_eq!(plain.client(&no_peer), None);
    }

    #[tokio::test]
    async fn hsts_only_over_https() {
        for https in [false, true] {
            let guard = Guard::new(&Limits::default(), https);
            let router = Router::new()
                .route("/", get(|| async { "hi" }))
                .layer(middleware::from_fn_with_state(guard, security_headers));
            let response = router
                .oneshot(Request::get("/").body(Body::empty()).unwrap())
                .await
                .unwrap();
            let headers = response.headers();
            assert_eq!(
                headers[header::CONTENT_SECURITY_POLICY],
                CONTENT_SECURITY_POLICY
            );
            assert_eq!(
                headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
                https
            );
        }
    }

    /// Past `max_in_flight`, a request is answered 503 with `Retry-After` straight away, in
    /// the API's shape under `/api/`; once the first finishes, requests go through again.
    #[tokio::test]
    async fn requests_past_the_cap_are_shed() {
        let release = Arc::new(AtomicBool::new(false));
        let held = Arc::clone(&release);
        let slow = move || {
            let held = Arc::clone(&held);
            async move {
                while !held.load(Ordering::Acquire) {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                "done"
            }
        };
        let guard = Guard::new(
            &Limits {
                max_in_flight: 1,
                ..Limits::default()
            },
            false,
        );
        let router = Router::new()
            .route("/api/slow", get(slow))
            .route("/fast", get(|| async { "fast" }))
            .layer(middleware::from_fn_with_state(guard.clone(), self::guard));
        let first = tokio::spawn(
            router
                .clone()
                .oneshot(Request::get("/api/slow").body(Body::empty()).unwrap()),
        );
        while guard.in_flight() == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        for (uri, json) in [("/api/slow", true), ("/fast", false)] {
            let shed = router
                .clone()
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(shed.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(shed.headers()[header::RETRY_AFTER], "1");
            let content_type = shed.headers()[header::CONTENT_TYPE].to_str().unwrap();
            assert_eq!(content_type.starts_with("application/json"), json, "{uri}");
        }
        release.store(true, Ordering::Release);
        assert_eq!(first.await.unwrap().unwrap().status(), StatusCode::OK);
        assert_eq!(guard.in_flight(), 0);
        let after = router
            .oneshot(Request::get("/fast").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(after.status(), StatusCode::OK);
    }
}
