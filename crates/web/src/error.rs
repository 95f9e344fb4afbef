//! Failures and how they reach clients: one [`Failure`] enum whose variants are stable error
//! codes, shown as `{"error":{"code":…,"message":…}}` by the API and as an error page by the
//! site. Internal details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::pages::error_page;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooLarge(String),
    /// The request's headers are too many or too long.
    #[error("{0}")]
    HeadersTooLarge(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    /// Not logged in (or an unknown token).
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// Not in this state, or taken.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Timeout(String),
    /// Over a rate limit (the response says when to come back in `Retry-After`).
    #[error("{0}")]
    TooManyRequests(String),
    /// More requests at once than the server takes.
    #[error("{0}")]
    Overloaded(String),
    /// The catalog cannot be reached right now.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or a broken data folder: the message is logged, the client gets a generic one.
    #[error("{0}")]
    Internal(String),
}

impl Failure {
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Failure::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Failure::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Failure::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::Conflict(_) => StatusCode::CONFLICT,
            Failure::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
            Failure::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Failure::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::NotFound(_) => "not_found",
            Failure::BadRequest(_) => "bad_request",
            Failure::TooLarge(_) => "payload_too_large",
            Failure::HeadersTooLarge(_) => "request_header_fields_too_large",
            Failure::Unsupported(_) => "unsupported_media_type",
            Failure::MethodNotAllowed(_) => "method_not_allowed",
            Failure::Unauthorized(_) => "unauthorized",
            Failure::Forbidden(_) => "forbidden",
            Failure::Conflict(_) => "conflict",
            Failure::Timeout(_) => "timeout",
            Failure::TooManyRequests(_) => "too_many_requests",
            Failure::Overloaded(_) => "overloaded",
            Failure::Unavailable(_) => "unavailable",
            Failure::Internal(_) => "internal",
        }
    }

    /// What the client is told: the message, except for internal failures.
    pub fn public_message(&self) -> String {
        match self {
            Failure::Internal(_) => {
                "something went wrong on our side; it has been logged".to_string()
            }
            Failure::Unavailable(_) => "the catalog is not available right now".to_string(),
            other => other.to_string(),
        }
    }

    fn log(&self) {
        match self {
            Failure::Internal(detail) | Failure::Unavailable(detail) => {
                tracing::error!(code = self.code(), %detail, "request failed");
            }
            _ => {}
        }
    }
}

impl Failure {
    /// A client error the framework answered itself (a path or query it could not parse, a
    /// method the route lacks, a body too large), from its status and plain-text message.
    pub fn from_status(status: StatusCode, message: String) -> Failure {
        let message = if message.trim().is_empty() {
            status
                .canonical_reason()
                .unwrap_or("bad request")
                .to_lowercase()
        } else {
            message
        };
        match status {
            StatusCode::NOT_FOUND => Failure::NotFound(message),
            StatusCode::PAYLOAD_TOO_LARGE => Failure::TooLarge(message),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => Failure::HeadersTooLarge(message),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Failure::Unsupported(message),
            StatusCode::METHOD_NOT_ALLOWED => Failure::MethodNotAllowed(message),
            StatusCode::UNAUTHORIZED => Failure::Unauthorized(message),
            StatusCode::FORBIDDEN => Failure::Forbidden(message),
            StatusCode::CONFLICT => Failure::Conflict(message),
            StatusCode::REQUEST_TIMEOUT => Failure::Timeout(message),
            StatusCode::TOO_MANY_REQUESTS => Failure::TooManyRequests(message),
            _ => Failure::BadRequest(message),
        }
    }
}

impl From<kinograph_store::Error> for Failure {
    fn from(error: kinograph_store::Error) -> Self {
        use kinograph_store::Error as E;
        match error {
            E::UnknownEntity { kind, id } => Failure::NotFound(format!("no {kind} {id:?}")),
            E::Forbidden(m) => Failure::Forbidden(m),
            E::Conflict(m) | E::Taken(m) => Failure::Conflict(m),
            E::Rejected(m) => Failure::BadRequest(m),
            other => Failure::Internal(format!("store: {other}")),
        }
    }
}

impl From<kinograph_search::Error> for Failure {
    fn from(error: kinograph_search::Error) -> Self {
        Failure::Internal(format!("search: {error}"))
    }
}

impl From<kinograph_checker::CatalogError> for Failure {
    fn from(error: kinograph_checker::CatalogError) -> Self {
        Failure::Internal(format!("checker: {error}"))
    }
}

impl From<askama::Error> for Failure {
    fn from(error: askama::Error) -> Self {
        Failure::Internal(format!("template: {error}"))
    }
}

/// The API's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: `not_found`, `bad_request`, `payload_too_large`,
    /// `request_header_fields_too_large`, `unsupported_media_type`, `method_not_allowed`,
    /// `timeout`, `unauthorized`, `forbidden`, `conflict`, `too_many_requests`, `overloaded`,
    /// `unavailable`, `internal`.
    pub code: String,
    pub message: String,
}

impl ErrorBody {
    pub fn of(failure: &Failure) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code: failure.code().to_string(),
                message: failure.public_message(),
            },
        }
    }
}

/// A failure answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub Failure);

impl<F: Into<Failure>> From<F> for ApiError {
    fn from(failure: F) -> Self {
        ApiError(failure.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        (self.0.status(), Json(ErrorBody::of(&self.0))).into_response()
    }
}

/// A failure answered as an HTML page.
#[derive(Debug)]
pub struct PageError(pub Failure);

impl<F: Into<Failure>> From<F> for PageError {
    fn from(failure: F) -> Self {
        PageError(failure.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let body = error_page(status, &self.0.public_message());
        (status, Html(body)).into_response()
    }
}
