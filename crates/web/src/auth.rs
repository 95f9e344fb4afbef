//! Who is asking, and whether a form really comes from our pages.
//!
//! - Pages authenticate by a session cookie (`kg_session`: HttpOnly, SameSite=Lax, Secure when
//!   the site is served over https); the store keeps only the token's hash.
//! - The API authenticates by `Authorization: Bearer kgt_…` only. Cookies are ignored there, so
//!   no other site can make a visitor's browser call it with their session.
//! - Every form POST carries a CSRF token equal to the `kg_csrf` cookie (double submit); the
//!   cookie is SameSite=Strict, so another site can neither read nor send it.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use kinograph_publishing::{User, new_token, same_secret, token_hash};
use kinograph_store::EditorialRead;

use crate::AppState;
use crate::error::{ApiError, Failure, PageError};

pub const SESSION_COOKIE: &str = "kg_session";
pub const CSRF_COOKIE: &str = "kg_csrf";
/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// How long a log-in lasts.
pub const SESSION_DAYS: u32 = 30;

/// The value of cookie `name` in a request.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` value.
pub fn set_cookie(
    name: &str,
    value: &str,
    secure: bool,
    strict: bool,
    max_age_days: i64,
) -> HeaderValue {
    let cookie = Cookie::build((name.to_string(), value.to_string()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(if strict {
            SameSite::Strict
        } else {
            SameSite::Lax
        })
        .max_age(cookie::time::Duration::days(max_age_days))
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The signed-in user of a page request (`None`: a visitor), from the session cookie.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<User>);

impl Viewer {
    pub fn user(&self) -> Option<&User> {
        self.0.as_ref()
    }

    /// The user, or a 401 asking them to log in.
    pub fn required(&self) -> Result<&User, Failure> {
        self.0
            .as_ref()
            .ok_or_else(|| Failure::Unauthorized("log in first".into()))
    }
}

async fn user_by_token(state: &AppState, hash: String, api: bool) -> Result<Option<User>, Failure> {
    state
        .read(move |_, store| {
            Ok(if api {
                store.api_token_user(&hash)?
            } else {
                store.session_user(&hash)?
            })
        })
        .await
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Ok(Viewer(None));
        };
        Ok(Viewer(
            user_by_token(state, token_hash(&token), false).await?,
        ))
    }
}

/// The caller of an API request, from its bearer token.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Option<User>);

impl ApiCaller {
    pub fn required(&self) -> Result<&User, Failure> {
        self.0.as_ref().ok_or_else(|| {
            Failure::Unauthorized(
                "send `Authorization: Bearer <token>` (make one on /account)".into(),
            )
        })
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(ApiCaller(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                Failure::Unauthorized("Authorization: expected `Bearer <token>`".into())
            })?;
        match user_by_token(state, token_hash(token), true).await? {
            Some(user) => Ok(ApiCaller(Some(user))),
            None => Err(Failure::Unauthorized("unknown or revoked API token".into()).into()),
        }
    }
}

/// The CSRF token of this request, for the forms a page renders.
#[derive(Debug, Clone)]
pub struct Csrf(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Csrf {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        parts
            .extensions
            .get::<Csrf>()
            .cloned()
            .ok_or_else(|| Failure::Internal("no CSRF token on the request".into()).into())
    }
}

/// Largest form body the CSRF check reads (an essay is at most 1 MiB).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware: gives every request a CSRF token (from its cookie, or a new one set on the
/// response), and refuses a state-changing page request whose form does not carry it.
pub async fn csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let secure = state.site().is_https();
    let existing = cookie_value(request.headers(), CSRF_COOKIE);
    let (token, fresh) = match existing.clone() {
        Some(token) if token.len() >= 32 => (token, false),
        _ => match new_token("") {
            Ok(token) => (token, true),
            Err(e) => return PageError(Failure::Internal(e)).into_response(),
        },
    };
    let api = request.uri().path().starts_with("/api/");
    let mut request = request;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if changes_state(request.method()) && !api && multipart {
        // An upload is not read here (it may be large): its form carries the token in its
        // address instead. The token is only good with the SameSite=Strict cookie beside it.
        let sent = request
            .uri()
            .query()
            .and_then(|q| form_field(&Bytes::copy_from_slice(q.as_bytes()), CSRF_FIELD));
        let valid = match (&existing, &sent) {
            (Some(cookie), Some(sent)) => same_secret(cookie, sent),
            _ => false,
        };
        if !valid {
            return PageError(Failure::Forbidden(
                "this form expired or did not come from this site: reload the page and try again"
                    .into(),
            ))
            .into_response();
        }
    } else if changes_state(request.method()) && !api {
        let (parts, body) = request.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return PageError(Failure::TooLarge("the form is too large".into()))
                    .into_response();
            }
        };
        let sent = form_field(&bytes, CSRF_FIELD);
        let valid = match (&existing, &sent) {
            (Some(cookie), Some(sent)) => same_secret(cookie, sent),
            _ => false,
        };
        if !valid {
            return PageError(Failure::Forbidden(
                "this form expired or did not come from this site: reload the page and try again"
                    .into(),
            ))
            .into_response();
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    request.extensions_mut().insert(Csrf(token.clone()));
    let mut response = next.run(request).await;
    if fresh {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &token, secure, true, 365),
        );
    }
    response
}

fn form_field(body: &Bytes, name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_over_tls() {
        let plain = set_cookie(SESSION_COOKIE, "t", false, false, 30);
        let plain = plain.to_str().unwrap_or_default();
        assert!(
            plain.contains("HttpOnly") && plain.contains("SameSite=Lax"),
            "{plain}"
        );
        assert!(!plain.contains("Secure"), "{plain}");
        let tls = set_cookie(SESSION_COOKIE, "t", true, false, 30);
        assert!(tls.to_str().unwrap_or_default().contains("Secure"));
        let csrf = set_cookie(CSRF_COOKIE, "t", false, true, 365);
        assert!(
            csrf.to_str()
                .unwrap_or_default()
                .contains("SameSite=Strict")
        );
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; kg_session=abc; b=2"),
        );
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("abc")
        );
        assert_eq!(cookie_value(&headers, CSRF_COOKIE), None);
    }
}
