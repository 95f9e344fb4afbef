//! The JSON API under `/api/`: the same resources as the pages, as `kinograph-wire` types,
//! described by the OpenAPI document at `/api/openapi.json`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kinograph_store::{CatalogRead, EssayFilter};
use kinograph_wire as wire;
use serde::Deserialize;
use std::sync::OnceLock;

use axum::Router;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ErrorBody, Failure};
use crate::pages::{MAX_CHECK_BYTES, SearchParams};

type ApiResult<T> = Result<Json<T>, ApiError>;

/// A request the framework refused before a handler ran (a malformed query string, a body
/// too large), as one of our failures.
pub fn rejection(status: StatusCode, message: String) -> Failure {
    Failure::from_status(status, message)
}

fn query_rejection(e: QueryRejection) -> ApiError {
    ApiError(rejection(e.status(), e.body_text()))
}

/// Unknown `/api/` paths.
pub async fn not_found() -> Response {
    ApiError(Failure::NotFound("no API resource at this path".into())).into_response()
}

#[utoipa::path(
    get, path = "/api/films/{id}", tag = "catalog",
    params(("id" = String, Path, description = "The film's catalog id or IMDb id (tt…)")),
    responses(
        (status = 200, description = "The film, its credits, companies, facts and nominations", body = wire::Film),
        (status = 404, description = "No such film", body = ErrorBody),
    )
)]
pub async fn film(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<wire::Film> {
    let film = state
        .read(move |_, store| {
            store
                .film(&id)?
                .ok_or_else(|| Failure::NotFound(format!("no film with id {id:?}")))
        })
        .await?;
    Ok(Json(wire::Film::from(&film)))
}

#[utoipa::path(
    get, path = "/api/people/{id}", tag = "catalog",
    params(("id" = String, Path, description = "The person's catalog id or IMDb id (nm…)")),
    responses(
        (status = 200, description = "The person, their credits and nominations", body = wire::Person),
        (status = 404, description = "No such person", body = ErrorBody),
    )
)]
pub async fn person(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<wire::Person> {
    let person = state
        .read(move |_, store| {
            store
                .person(&id)?
                .ok_or_else(|| Failure::NotFound(format!("no person with id {id:?}")))
        })
        .await?;
    Ok(Json(wire::Person::from(&person)))
}

/// The query string of `/api/search`, as documented.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct SearchParamsDoc {
    /// The query: words in any order, typos forgiven.
    q: String,
    /// `film`, `person`, `character` or `essay`; comma-separated for several.
    kind: Option<String>,
    /// `2017`, `2010..2020`, `2010..` or `..1999`.
    year: Option<String>,
    /// Only films of this genre.
    genre: Option<String>,
    /// 1–100; 20 by default.
    limit: Option<usize>,
    /// Search as you type: the last word may be the start of a longer one.
    prefix: Option<bool>,
}

#[utoipa::path(
    get, path = "/api/search", tag = "search",
    params(SearchParamsDoc),
    responses(
        (status = 200, description = "Hits, best first", body = wire::SearchResults),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<wire::SearchResults> {
    let Query(params) = params.map_err(query_rejection)?;
    let query = params.to_query()?;
    if query.text.is_empty() {
        return Err(Failure::BadRequest("q: the query is empty".into()).into());
    }
    let results = tokio::task::spawn_blocking(move || state.search_index().search(&query))
        .await
        .map_err(|e| Failure::Internal(format!("search task: {e}")))??;
    Ok(Json(wire::SearchResults::from(&results)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordsParams {
    /// How many places of each record (ties included), 1–20; 3 by default.
    depth: Option<u32>,
}

#[utoipa::path(
    get, path = "/api/records", tag = "awards",
    params(RecordsParams),
    responses(
        (status = 200, description = "Each Academy Awards record table, with the nomination rows counted", body = wire::Records),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
    )
)]
pub async fn records(
    State(state): State<AppState>,
    params: Result<Query<RecordsParams>, QueryRejection>,
) -> ApiResult<wire::Records> {
    let Query(params) = params.map_err(query_rejection)?;
    let depth = params.depth.unwrap_or(3);
    if !(1..=20).contains(&depth) {
        return Err(Failure::BadRequest("depth: between 1 and 20".into()).into());
    }
    let records = state
        .read(move |_, store| Ok(store.award_records("oscars", depth)?))
        .await?;
    Ok(Json(wire::Records::from(records.as_slice())))
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct AwardBody {
    pub body: String,
    pub name: String,
    pub ceremonies: Vec<wire::CeremonySummary>,
    pub categories: Vec<CategoryLink>,
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct CategoryLink {
    pub name: String,
    pub canonical: String,
    pub slug: String,
    pub class: &'static str,
}

#[utoipa::path(
    get, path = "/api/awards/{body}", tag = "awards",
    params(("body" = String, Path, description = "The award body's id, e.g. `oscars`")),
    responses(
        (status = 200, description = "The body's ceremonies (newest first) and categories", body = AwardBody),
        (status = 404, description = "No such award body", body = ErrorBody),
    )
)]
pub async fn award_body(
    State(state): State<AppState>,
    Path(body): Path<String>,
) -> ApiResult<AwardBody> {
    let answer = state
        .read(move |_, store| {
            let ceremonies = store.ceremonies(&body)?;
            if ceremonies.is_empty() {
                return Err(Failure::NotFound(format!(
                    "no ceremonies of {body:?} in the catalog"
                )));
            }
            let categories = store.categories(&body)?;
            Ok(AwardBody {
                name: crate::views::body_name(&body).to_string(),
                ceremonies: ceremonies.iter().map(wire::CeremonySummary::from).collect(),
                categories: categories
                    .iter()
                    .map(|c| CategoryLink {
                        name: c.name.clone(),
                        canonical: c.canonical.clone(),
                        slug: kinograph_catalog::Category::slug(&c.canonical),
                        class: c.class.as_str(),
                    })
                    .collect(),
                body,
            })
        })
        .await?;
    Ok(Json(answer))
}

#[utoipa::path(
    get, path = "/api/awards/{body}/{ceremony}", tag = "awards",
    params(
        ("body" = String, Path, description = "The award body's id, e.g. `oscars`"),
        ("ceremony" = u32, Path, description = "The ceremony's ordinal: 97 for the 97th"),
    ),
    responses(
        (status = 200, description = "Every category, nominee and winner of the ceremony", body = wire::Ceremony),
        (status = 404, description = "No such ceremony", body = ErrorBody),
    )
)]
pub async fn ceremony(
    State(state): State<AppState>,
    Path((body, number)): Path<(String, String)>,
) -> ApiResult<wire::Ceremony> {
    let ordinal: u32 = number
        .parse()
        .map_err(|_| Failure::BadRequest(format!("ceremony: {number:?} is not a number")))?;
    let results = state
        .read(move |_, store| {
            store.ceremony(&body, ordinal)?.ok_or_else(|| {
                Failure::NotFound(format!("no ceremony {ordinal} of {body:?} in the catalog"))
            })
        })
        .await?;
    Ok(Json(wire::Ceremony::from(&results)))
}

#[utoipa::path(
    get, path = "/api/awards/{body}/categories/{slug}", tag = "awards",
    params(
        ("body" = String, Path, description = "The award body's id, e.g. `oscars`"),
        ("slug" = String, Path, description = "The category's canonical name as a slug, e.g. `best-picture`"),
    ),
    responses(
        (status = 200, description = "Every nomination of the category, newest ceremony first", body = wire::CategoryHistory),
        (status = 404, description = "No such category", body = ErrorBody),
    )
)]
pub async fn category(
    State(state): State<AppState>,
    Path((body, slug)): Path<(String, String)>,
) -> ApiResult<wire::CategoryHistory> {
    let history = state
        .read(move |_, store| {
            store.category_history(&body, &slug)?.ok_or_else(|| {
                Failure::NotFound(format!("no category {slug:?} of {body:?} in the catalog"))
            })
        })
        .await?;
    Ok(Json(wire::CategoryHistory::from(&history)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EssaysParams {
    /// Only essays that name this film, person or character (its catalog id).
    mentioning: Option<String>,
    /// 1–100; 20 by default.
    limit: Option<u32>,
}

#[utoipa::path(
    get, path = "/api/essays", tag = "essays",
    params(EssaysParams),
    responses(
        (status = 200, description = "Published essays, newest first", body = wire::EssayList),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
    )
)]
pub async fn essays(
    State(state): State<AppState>,
    params: Result<Query<EssaysParams>, QueryRejection>,
) -> ApiResult<wire::EssayList> {
    let Query(params) = params.map_err(query_rejection)?;
    let limit = params.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(Failure::BadRequest("limit: between 1 and 100".into()).into());
    }
    let filter = EssayFilter {
        mentioning: params.mentioning,
        limit,
    };
    let essays = state
        .read(move |_, store| Ok(store.essays(&filter)?))
        .await?;
    Ok(Json(wire::EssayList::from(essays.as_slice())))
}

#[utoipa::path(
    get, path = "/api/essays/{slug}", tag = "essays",
    params(("slug" = String, Path, description = "The essay's slug")),
    security((), ("token" = [])),
    responses(
        (status = 200, description = "The essay, its text and its check (a draft only for its author and editors)", body = wire::Essay),
        (status = 404, description = "No such published essay", body = ErrorBody),
    )
)]
pub async fn essay(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(slug): Path<String>,
) -> ApiResult<wire::Essay> {
    let essay = state
        .read(move |state, store| {
            kinograph_store::editorial::visible_head(store, &slug, caller.0.as_ref())
                .map_err(|_| Failure::NotFound(format!("no published essay {slug:?}")))?;
            let essay = store
                .essay(&slug)?
                .ok_or_else(|| Failure::NotFound(format!("no published essay {slug:?}")))?;
            let report = state
                .checker_for(store, &essay.body)?
                .check(store, &essay.body)?;
            Ok(wire::Essay::of(&essay, &report))
        })
        .await?;
    Ok(Json(essay))
}

/// `POST /api/check` as JSON.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckRequest {
    /// The essay, Markdown or plain text (at most 1 MiB).
    pub text: String,
}

#[utoipa::path(
    post, path = "/api/check", tag = "checker",
    request_body(
        description = "The essay: `{\"text\": …}` as JSON, or the bare text as `text/plain`",
        content(
            (CheckRequest = "application/json"),
            (String = "text/plain"),
        )
    ),
    responses(
        (status = 200, description = "Sections, linked mentions and checked claims", body = wire::CheckReport),
        (status = 400, description = "Not UTF-8, malformed JSON or no text", body = ErrorBody),
        (status = 413, description = "Over 1 MiB", body = ErrorBody),
        (status = 415, description = "Neither JSON nor plain text", body = ErrorBody),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<wire::CheckReport> {
    let body = body.map_err(|e| ApiError(rejection(e.status(), e.body_text())))?;
    if body.len() > MAX_CHECK_BYTES {
        return Err(Failure::TooLarge("the essay is over 1 MiB".into()).into());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    let text = if content_type.starts_with("application/json") {
        serde_json::from_slice::<CheckRequest>(&body)
            .map_err(|e| Failure::BadRequest(format!("body: {e}")))?
            .text
    } else if content_type.starts_with("text/plain") {
        String::from_utf8(body.to_vec()).map_err(|e| {
            Failure::BadRequest(format!(
                "body: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?
    } else {
        return Err(Failure::Unsupported(format!(
            "content type {content_type:?}: send application/json or text/plain"
        ))
        .into());
    };
    if text.trim().is_empty() {
        return Err(Failure::BadRequest("text: the essay is empty".into()).into());
    }
    let report = state
        .read(move |state, store| Ok(state.checker_for(store, &text)?.check(store, &text)?))
        .await?;
    Ok(Json(wire::CheckReport::from(&report)))
}

/// Who a token belongs to.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Me {
    pub name: String,
    pub display_name: String,
    /// `reader`, `writer`, `editor` or `admin`.
    pub role: &'static str,
}

#[utoipa::path(
    get, path = "/api/me", tag = "publishing",
    security(("token" = [])),
    responses(
        (status = 200, description = "The token's user", body = Me),
        (status = 401, description = "No token, or an unknown one", body = ErrorBody),
    )
)]
pub async fn me(caller: ApiCaller) -> ApiResult<Me> {
    let user = caller.required()?;
    Ok(Json(Me {
        name: user.name.clone(),
        display_name: user.display_name.clone(),
        role: user.role.as_str(),
    }))
}

/// A new essay, as a draft.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewEssay {
    pub title: String,
    pub subtitle: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Markdown or plain text.
    pub body: String,
    /// A publication's slug.
    pub publication: Option<String>,
    #[serde(default)]
    pub spoilers: bool,
}

/// An essay's place in the workflow.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct EssayState {
    pub slug: String,
    /// `draft`, `submitted`, `in_review`, `approved`, `published`, `corrected`, `unpublished`.
    pub state: &'static str,
}

#[utoipa::path(
    post, path = "/api/essays", tag = "publishing",
    security(("token" = [])),
    request_body(content = NewEssay, content_type = "application/json"),
    responses(
        (status = 201, description = "The draft, checked and saved as its first revision", body = EssayState),
        (status = 400, description = "No title, or a malformed body", body = ErrorBody),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 403, description = "Readers do not write essays", body = ErrorBody),
    )
)]
pub async fn create_essay(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<Json<NewEssay>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<EssayState>), ApiError> {
    let user = caller.required()?.clone();
    let Json(new) = body.map_err(|e| ApiError(rejection(e.status(), e.body_text())))?;
    let draft = kinograph_store::editorial::Draft {
        title: new.title,
        subtitle: new.subtitle,
        tags: new.tags,
        spoilers: new.spoilers,
        body: new.body,
    };
    let slug = crate::editorial::start_essay(&state, user, new.publication, draft).await?;
    Ok((
        StatusCode::CREATED,
        Json(EssayState {
            slug,
            state: kinograph_publishing::EssayState::Draft.as_str(),
        }),
    ))
}

#[utoipa::path(
    post, path = "/api/essays/{slug}/actions/{action}", tag = "publishing",
    security(("token" = [])),
    params(
        ("slug" = String, Path, description = "The essay's slug"),
        ("action" = String, Path, description = "`submit`, `withdraw`, `review`, `request_changes`, `approve`, `publish`, `unpublish` or `republish`"),
    ),
    responses(
        (status = 200, description = "The essay's new state", body = EssayState),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 403, description = "Not yours to take (a writer publishing, a reader reviewing)", body = ErrorBody),
        (status = 404, description = "No such essay you may see", body = ErrorBody),
        (status = 409, description = "Not from this state, or contradicted claims await sign-off", body = ErrorBody),
    )
)]
pub async fn essay_action(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((slug, action)): Path<(String, String)>,
) -> ApiResult<EssayState> {
    let user = caller.required()?.clone();
    let action: kinograph_publishing::Action = action
        .parse()
        .map_err(|e: String| Failure::NotFound(format!("action: {e}")))?;
    let (slug, next) = state
        .write(move |_, store| {
            let next = kinograph_store::editorial::act(store, &slug, action, &user)?;
            Ok((slug, next))
        })
        .await?;
    Ok(Json(EssayState {
        slug,
        state: next.as_str(),
    }))
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Kinograph API",
        description = "Films, people, awards, essays, the essay checker and readers' diaries, as JSON. Errors are `{\"error\":{\"code\":…,\"message\":…}}`.",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&BearerToken),
    tags(
        (name = "catalog", description = "Films and people"),
        (name = "search", description = "Typo-tolerant search"),
        (name = "awards", description = "Ceremonies, categories and records"),
        (name = "essays", description = "Published essays and their checks"),
        (name = "checker", description = "Check any essay against the catalog"),
        (name = "publishing", description = "Writing and the editorial workflow (bearer token)"),
        (name = "diary", description = "Readers' diaries, ratings and lists: public entries for everyone, private ones for their owner's token only"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// The API's routes and the OpenAPI document describing them, both made from the API rows of
/// the route table, so that no route goes undocumented.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    crate::routes::routes()
        .iter()
        .filter_map(crate::routes::RouteSpec::api_handler)
        .fold(
            OpenApiRouter::with_openapi(ApiDoc::openapi()),
            OpenApiRouter::routes,
        )
        .split_for_parts()
}

/// The `token` security scheme: `Authorization: Bearer kgt_…` (made on /account).
#[derive(Debug)]
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document as JSON, made once.
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        router()
            .1
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    })
}

#[utoipa::path(
    get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "This OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], document()).into_response()
}
