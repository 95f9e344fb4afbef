//! The diary's JSON API: a member's diary, one entry, logging and deleting an entry, a film's
//! ratings, a member's lists, and the caller's own archive.
//!
//! Every read is made on behalf of the caller (a visitor, or the bearer token's user), and the
//! store applies the privacy rule itself: a private entry or list is its owner's only. To anyone
//! else it is exactly as missing as one that never existed (404, never 403), so its existence is
//! not given away either.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kinograph_diary::{ListSummary, Rating, UserArchive, Viewing, ViewingQuery, check_tag};
use kinograph_publishing::User;
use kinograph_store::{CatalogRead, DiaryRead, EditorialRead, Store};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::rejection;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ErrorBody, Failure};
use crate::state::Site;
use kinograph_wire::diary::{DiaryEntries, DiaryEntry, FilmRatingsBody, ListBody, ListInfo, Lists};

type ApiResult<T> = Result<Json<T>, ApiError>;

/// The most entries one diary request returns.
const MAX_ENTRIES: u32 = 100;
/// The most lists one request returns.
const MAX_LISTS: u32 = 500;

fn caller_id(caller: &ApiCaller) -> Option<i64> {
    caller.0.as_ref().map(|u| u.id)
}

fn member(store: &Store, name: &str) -> Result<User, Failure> {
    store
        .user(name)?
        .ok_or_else(|| Failure::NotFound(format!("no member called {name:?}")))
}

fn query_rejection(e: QueryRejection) -> ApiError {
    ApiError(rejection(e.status(), e.body_text()))
}

/// A diary entry's id from the path: anything but a number names no entry.
fn entry_id(id: &str) -> Result<i64, Failure> {
    id.parse()
        .map_err(|_| Failure::NotFound(format!("no diary entry {id:?}")))
}

// ------------------------------------------------------------------------------------------
// Shapes

fn entry_of(v: &Viewing, site: &Site) -> DiaryEntry {
    DiaryEntry::of(v, site.url(&format!("/u/{}/reviews/{}", v.user, v.id)))
}

fn list_url(list: &ListSummary, site: &Site) -> String {
    site.url(&format!("/u/{}/lists/{}", list.owner, list.slug))
}

// ------------------------------------------------------------------------------------------
// A member's diary and one entry

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiaryParams {
    /// Only viewings of this year (watched, or logged when undated).
    year: Option<i32>,
    /// Only viewings with this tag.
    tag: Option<String>,
    /// 1–100; 50 by default.
    limit: Option<u32>,
    /// How many entries to skip; 0 by default.
    offset: Option<u32>,
}

#[utoipa::path(
    get, path = "/api/users/{name}/diary", tag = "diary",
    params(
        ("name" = String, Path, description = "The member's account name"),
        DiaryParams,
    ),
    security((), ("token" = [])),
    responses(
        (status = 200, description = "The member's viewings the caller may see, newest first: public ones, and private ones only for the owner's token", body = DiaryEntries),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
    )
)]
pub async fn member_diary(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    params: Result<Query<DiaryParams>, QueryRejection>,
) -> ApiResult<DiaryEntries> {
    let Query(params) = params.map_err(query_rejection)?;
    let limit = params.limit.unwrap_or(50);
    if !(1..=MAX_ENTRIES).contains(&limit) {
        return Err(Failure::BadRequest(format!("limit: between 1 and {MAX_ENTRIES}")).into());
    }
    let offset = params.offset.unwrap_or(0);
    let viewer = caller_id(&caller);
    let answer = state
        .read(move |state, store| {
            let member = member(store, &name)?;
            let mut rows = store.viewings(&ViewingQuery {
                viewer,
                owner: Some(member.name.clone()),
                year: params.year,
                tag: params.tag,
                limit: limit + 1,
                offset,
                ..ViewingQuery::default()
            })?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            Ok(DiaryEntries {
                user: member.name,
                entries: rows.iter().map(|v| entry_of(v, state.site())).collect(),
                limit,
                offset,
                more,
            })
        })
        .await?;
    Ok(Json(answer))
}

#[utoipa::path(
    get, path = "/api/diary/{id}", tag = "diary",
    params(("id" = i64, Path, description = "The diary entry's id")),
    security((), ("token" = [])),
    responses(
        (status = 200, description = "The entry", body = DiaryEntry),
        (status = 404, description = "No such entry the caller may see (a private entry is its owner's only)", body = ErrorBody),
    )
)]
pub async fn entry(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<DiaryEntry> {
    let id = entry_id(&id)?;
    let viewer = caller_id(&caller);
    let entry = state
        .read(move |state, store| {
            store
                .viewing(id, viewer)?
                .map(|v| entry_of(&v, state.site()))
                .ok_or_else(|| Failure::NotFound(format!("no diary entry {id}")))
        })
        .await?;
    Ok(Json(entry))
}

// ------------------------------------------------------------------------------------------
// Logging and deleting

/// A viewing to log. Only `film` is required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDiaryEntry {
    /// The film's catalog id or IMDb id (`tt…`).
    pub film: String,
    /// When it was seen, `YYYY-MM-DD`, not in the future; today by default.
    #[schema(format = Date)]
    pub watched: Option<String>,
    /// Stars: 0.5 to 5 in half steps.
    #[schema(value_type = Option<f32>, minimum = 0.5, maximum = 5, multiple_of = 0.5)]
    pub rating: Option<Rating>,
    #[serde(default)]
    pub liked: bool,
    #[serde(default)]
    pub rewatch: bool,
    /// Markdown, at most 100,000 bytes.
    pub review: Option<String>,
    /// The review gives the plot away.
    #[serde(default)]
    pub spoilers: bool,
    /// Short labels, each on one line and without commas.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Seen by the owner only: not on pages, feeds, the API or averages for anyone else.
    #[serde(default)]
    pub private: bool,
}

impl NewDiaryEntry {
    /// The viewing to log, checked by the same rules as the log form on the site.
    fn viewing(self, key: String) -> Result<kinograph_diary::NewViewing, Failure> {
        if self.film.trim().is_empty() {
            return Err(Failure::BadRequest(
                "film: which film? Its catalog id or IMDb id".into(),
            ));
        }
        let tags = tags(&self.tags)?;
        let on = |flag: bool| flag.then(|| "on".to_string());
        let form = crate::diary::LogForm {
            film: self.film,
            watched: self.watched.unwrap_or_default(),
            rating: self.rating.map(|r| r.to_string()).unwrap_or_default(),
            liked: on(self.liked),
            rewatch: on(self.rewatch),
            review: self.review.unwrap_or_default(),
            spoilers: on(self.spoilers),
            tags: String::new(),
            private: on(self.private),
            next: None,
        };
        let mut viewing = form.viewing(key)?;
        viewing.tags = tags;
        Ok(viewing)
    }
}

/// Tags as sent, trimmed, each once. A comma would split a tag in two in a Letterboxd export,
/// so none may hold one (the site's form separates tags with commas anyway).
fn tags(sent: &[String]) -> Result<Vec<String>, Failure> {
    let mut tags: Vec<String> = Vec::new();
    for tag in sent {
        let tag = tag.trim();
        check_tag(tag).map_err(|e| Failure::BadRequest(format!("tags: {e}")))?;
        if tag.contains(',') {
            return Err(Failure::BadRequest(format!(
                "tags: tag {tag:?} holds a comma; send each tag on its own"
            )));
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    Ok(tags)
}

/// What is wrong with a JSON body, in our words: serde's own message with the field it is about
/// ("rating: rating 4.3 is not allowed: …"), not axum's "Failed to deserialize…" wrapping, and
/// 400 whether the JSON is malformed or only its values are wrong.
fn json_failure(refused: JsonRejection) -> Failure {
    let detail = std::error::Error::source(&refused)
        .map(ToString::to_string)
        .unwrap_or_else(|| refused.body_text());
    match refused {
        JsonRejection::JsonDataError(_) | JsonRejection::JsonSyntaxError(_) => {
            Failure::BadRequest(format!("body: {detail}"))
        }
        other => rejection(other.status(), detail),
    }
}

#[utoipa::path(
    post, path = "/api/diary", tag = "diary",
    security(("token" = [])),
    request_body(content = NewDiaryEntry, content_type = "application/json"),
    responses(
        (status = 201, description = "The entry, logged (its address in `Location`)", body = DiaryEntry),
        (status = 400, description = "Malformed JSON, a rating other than 0.5–5 in half steps, a date in the future, a bad tag", body = ErrorBody),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 404, description = "No such film", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    )
)]
pub async fn log_entry(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let user = caller.required()?.clone();
    let body = body.map_err(|e| ApiError(rejection(e.status(), e.body_text())))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !content_type.starts_with("application/json") {
        return Err(Failure::Unsupported(format!(
            "content type {content_type:?}: send application/json"
        ))
        .into());
    }
    let Json(new) = Json::<NewDiaryEntry>::from_bytes(&body).map_err(json_failure)?;
    let viewing = new.viewing(kinograph_store::diary::new_key()?)?;
    let entry = state
        .write(move |state, store| {
            let (id, _) = kinograph_store::diary::log(store, user.id, &viewing)?;
            store
                .viewing(id, Some(user.id))?
                .map(|v| entry_of(&v, state.site()))
                .ok_or_else(|| Failure::Internal(format!("viewing {id} logged but not found")))
        })
        .await?;
    let location = format!("/api/diary/{}", entry.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(entry),
    )
        .into_response())
}

#[utoipa::path(
    delete, path = "/api/diary/{id}", tag = "diary",
    params(("id" = i64, Path, description = "The diary entry's id")),
    security(("token" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 404, description = "No such entry of the caller's (someone else's is not theirs to delete)", body = ErrorBody),
    )
)]
pub async fn delete_entry(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let user = caller.required()?.clone();
    let id = entry_id(&id)?;
    state
        .write(move |_, store| {
            store
                .viewing(id, Some(user.id))?
                .filter(|v| v.user_id == user.id)
                .ok_or_else(|| Failure::NotFound(format!("no diary entry {id} of yours")))?;
            Ok(store.diary(|w| w.delete_viewing(user.id, id))?)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------------------------------
// Ratings, lists, the archive

#[utoipa::path(
    get, path = "/api/films/{id}/ratings", tag = "diary",
    params(("id" = String, Path, description = "The film's catalog id or IMDb id (tt…)")),
    responses(
        (status = 200, description = "The site's public ratings of the film (private ones are not counted)", body = FilmRatingsBody),
        (status = 404, description = "No such film", body = ErrorBody),
    )
)]
pub async fn film_ratings(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<FilmRatingsBody> {
    let answer = state
        .read(move |_, store| {
            let film = store
                .film(&id)?
                .ok_or_else(|| Failure::NotFound(format!("no film with id {id:?}")))?;
            let ratings = store.film_ratings(&film.film.id)?;
            Ok(FilmRatingsBody {
                average: ratings
                    .average()
                    .map(|a| (f64::from(a) * 100.0).round() / 100.0),
                count: ratings.count,
                histogram: ratings.histogram.to_vec(),
                film: film.film.id,
            })
        })
        .await?;
    Ok(Json(answer))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListsParams {
    /// 1–500; 100 by default.
    limit: Option<u32>,
}

#[utoipa::path(
    get, path = "/api/users/{name}/lists", tag = "diary",
    params(
        ("name" = String, Path, description = "The member's account name"),
        ListsParams,
    ),
    security((), ("token" = [])),
    responses(
        (status = 200, description = "The member's lists the caller may see, newest first", body = Lists),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
    )
)]
pub async fn member_lists(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    params: Result<Query<ListsParams>, QueryRejection>,
) -> ApiResult<Lists> {
    let Query(params) = params.map_err(query_rejection)?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=MAX_LISTS).contains(&limit) {
        return Err(Failure::BadRequest(format!("limit: between 1 and {MAX_LISTS}")).into());
    }
    let viewer = caller_id(&caller);
    let answer = state
        .read(move |state, store| {
            let member = member(store, &name)?;
            let lists = store.lists(Some(&member.name), viewer, limit)?;
            Ok(Lists {
                lists: lists
                    .iter()
                    .map(|l| ListInfo::of(l, list_url(l, state.site())))
                    .collect(),
                user: member.name,
            })
        })
        .await?;
    Ok(Json(answer))
}

#[utoipa::path(
    get, path = "/api/users/{name}/lists/{slug}", tag = "diary",
    params(
        ("name" = String, Path, description = "The member's account name"),
        ("slug" = String, Path, description = "The list's slug"),
    ),
    security((), ("token" = [])),
    responses(
        (status = 200, description = "The list and its films, in order", body = ListBody),
        (status = 404, description = "No such list the caller may see (a private list is its owner's only)", body = ErrorBody),
    )
)]
pub async fn member_list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((name, slug)): Path<(String, String)>,
) -> ApiResult<ListBody> {
    let viewer = caller_id(&caller);
    let answer = state
        .read(move |state, store| {
            let member = member(store, &name)?;
            store
                .list(&member.name, &slug, viewer)?
                .map(|list| ListBody::of(&list, list_url(&list.summary, state.site())))
                .ok_or_else(|| Failure::NotFound(format!("no list {slug:?} of {name}")))
        })
        .await?;
    Ok(Json(answer))
}

#[utoipa::path(
    get, path = "/api/me/archive", tag = "diary",
    security(("token" = [])),
    responses(
        (status = 200, description = "Everything the token's user owns — viewings, film states, lists, follows — as a `kinograph-user-archive` (version 1) to carry to another instance", body = Object, content_type = "application/json"),
        (status = 401, description = "No token", body = ErrorBody),
    )
)]
pub async fn archive(State(state): State<AppState>, caller: ApiCaller) -> ApiResult<UserArchive> {
    let user = caller.required()?.clone();
    let archive = state
        .read(move |_, store| {
            Ok(kinograph_store::diary::archive(
                store,
                &user,
                crate::diary::today(),
            )?)
        })
        .await?;
    Ok(Json(archive))
}
