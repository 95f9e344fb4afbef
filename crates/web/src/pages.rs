//! The HTML pages: one handler per page, each reading what it needs in one blocking task and
//! rendering a compile-time template.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kinograph_catalog::{EssayRecord, RecordKind};
use kinograph_search::{Kind, SearchQuery};
use kinograph_store::{CatalogRead, DiaryRead, EditorialRead, EssayFilter};
use serde::Deserialize;
use serde_json::json;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::AppState;
use crate::auth::{Csrf, Viewer};
use crate::error::{Failure, PageError};
use crate::views::{
    AwardRow, CeremonyBlock, CeremonyItem, CheckView, EssayCard, FilmView, Link, Meta, PersonView,
    RecordTable, SourceView, by_ceremony, category_href, category_label, ceremony_title, long_date,
    record_tables, thousands,
};

type PageResult = Result<Html<String>, PageError>;

/// What every page needs of the request: who is signed in, and the forms' CSRF token.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub viewer: Viewer,
    pub csrf: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let Csrf(csrf) = Csrf::from_request_parts(parts, state).await?;
        Ok(Ctx { viewer, csrf })
    }
}

pub(crate) fn render(template: &impl Template) -> PageResult {
    Ok(Html(template.render().map_err(Failure::from)?))
}

/// The 303 a form's success answers with.
pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Where a form's `next` field says to go, if it is a path on this site (no `//host`, no
/// `https://`: no open redirects), else `fallback`.
pub(crate) fn local_path_or(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => fallback.to_string(),
    }
}

/// The body of an error page (used by [`PageError`]).
pub fn error_page(status: StatusCode, message: &str) -> String {
    let page = ErrorPage {
        meta: Meta {
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            description: message.to_string(),
            canonical: None,
            og_type: "website",
            json_ld: None,
            query: String::new(),
            viewer: None,
            csrf: String::new(),
        },
        status: status.as_u16(),
        message: message.to_string(),
    };
    page.render().unwrap_or_else(|_| message.to_string())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    meta: Meta,
    status: u16,
    message: String,
}

/// Anything else: a 404 page.
pub async fn not_found() -> Response {
    PageError(Failure::NotFound(
        "there is no page at this address".to_string(),
    ))
    .into_response()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    meta: Meta,
    essays: Vec<EssayCard>,
    reviews: Vec<crate::diary::EntryView>,
    records: Vec<RecordTable>,
    ceremonies: Vec<CeremonyItem>,
    films: String,
    people: String,
    nominations: String,
}

pub async fn home(ctx: Ctx, State(state): State<AppState>) -> PageResult {
    let viewer = ctx.viewer.user().map(|u| u.id);
    let mut page = state
        .read(move |state, store| {
            let reviews = store.viewings(&kinograph_diary::ViewingQuery {
                viewer,
                reviews_only: true,
                limit: 4,
                ..kinograph_diary::ViewingQuery::default()
            })?;
            let essays = store.essays(&EssayFilter {
                mentioning: None,
                limit: 6,
            })?;
            let mut records = Vec::new();
            for kind in [
                RecordKind::PersonWinsForOneFilm,
                RecordKind::FilmWins,
                RecordKind::FilmNominations,
            ] {
                records.extend(store.award_record("oscars", kind, 1)?);
            }
            let ceremonies = store.ceremonies("oscars")?;
            let counts = store.counts()?;
            Ok(HomePage {
                meta: Meta::new(
                    state.site(),
                    "/",
                    "Film knowledge and film criticism",
                    "Kinograph: films, people, the Academy Awards and essays about them, every claim checked against the catalog.",
                ),
                essays: essays.iter().map(EssayCard::of).collect(),
                reviews: reviews
                    .iter()
                    .map(|v| crate::diary::EntryView::of(v, viewer))
                    .collect(),
                records: record_tables(&records),
                ceremonies: ceremonies.iter().take(4).map(CeremonyItem::of).collect(),
                films: thousands(counts.films),
                people: thousands(counts.people),
                nominations: thousands(counts.nominations),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "film.html")]
struct FilmPage {
    meta: Meta,
    film: FilmView,
    essays: Vec<EssayCard>,
    diary: crate::diary::FilmDiary,
}

pub async fn film(ctx: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let viewer = ctx.viewer.user().cloned();
    let mut page = state
        .read(move |state, store| {
            let details = store
                .film(&id)?
                .ok_or_else(|| Failure::NotFound(format!("no film with id {id:?}")))?;
            let essays = store.essays(&EssayFilter {
                mentioning: Some(details.film.id.clone()),
                limit: 20,
            })?;
            let film = FilmView::of(&details);
            let title = match film.year {
                Some(year) => format!("{} ({year})", film.title),
                None => film.title.clone(),
            };
            let mut meta = Meta::new(
                state.site(),
                &format!("/films/{}", film.id),
                title,
                film.description(),
            )
            .with_json_ld(&film.json_ld(state.site()));
            meta.og_type = "video.movie";
            Ok(FilmPage {
                diary: crate::diary::film_diary(store, &details, viewer.as_ref())?,
                meta,
                film,
                essays: essays.iter().map(EssayCard::of).collect(),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    meta: Meta,
    person: PersonView,
    essays: Vec<EssayCard>,
}

pub async fn person(ctx: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let mut page = state
        .read(move |state, store| {
            let details = store
                .person(&id)?
                .ok_or_else(|| Failure::NotFound(format!("no person with id {id:?}")))?;
            let essays = store.essays(&EssayFilter {
                mentioning: Some(details.id.clone()),
                limit: 20,
            })?;
            let person = PersonView::of(&details);
            let mut meta = Meta::new(
                state.site(),
                &format!("/people/{}", person.id),
                person.name.clone(),
                person.description(),
            )
            .with_json_ld(&person.json_ld(state.site()));
            meta.og_type = "profile";
            Ok(PersonPage {
                meta,
                person,
                essays: essays.iter().map(EssayCard::of).collect(),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "awards.html")]
struct AwardsPage {
    meta: Meta,
    body_name: String,
    ceremonies: Vec<CeremonyItem>,
    competitive: Vec<Link>,
    other: Vec<Link>,
}

pub async fn awards(
    ctx: Ctx,
    State(state): State<AppState>,
    Path(body): Path<String>,
) -> PageResult {
    let mut page = state
        .read(move |state, store| {
            let ceremonies = store.ceremonies(&body)?;
            if ceremonies.is_empty() {
                return Err(Failure::NotFound(format!("no ceremonies of {body:?} in the catalog")));
            }
            let categories = store.categories(&body)?;
            let link = |c: &kinograph_catalog::Category| {
                Link::to(category_href(&body, &c.canonical), category_label(&c.name))
            };
            let body_name = crate::views::body_name(&body).to_string();
            Ok(AwardsPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/awards/{body}"),
                    body_name.clone(),
                    format!(
                        "Every ceremony and category of the {body_name} in the catalog: {} ceremonies.",
                        ceremonies.len()
                    ),
                ),
                competitive: categories
                    .iter()
                    .filter(|c| c.class.is_competitive())
                    .map(link)
                    .collect(),
                other: categories
                    .iter()
                    .filter(|c| !c.class.is_competitive())
                    .map(link)
                    .collect(),
                ceremonies: ceremonies.iter().map(CeremonyItem::of).collect(),
                body_name,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

/// A category's nominations at one ceremony.
struct CategoryRows {
    name: Link,
    rows: Vec<AwardRow>,
}

#[derive(Template)]
#[template(path = "ceremony.html")]
struct CeremonyPage {
    meta: Meta,
    /// The ceremony page's own path, which its nominees' list extends.
    canonical_path: String,
    title: String,
    years: String,
    date: String,
    date_source: Option<SourceView>,
    categories: Vec<CategoryRows>,
    previous: Option<Link>,
    next: Option<Link>,
    awards_href: String,
}

pub async fn ceremony(
    ctx: Ctx,
    State(state): State<AppState>,
    Path((body, number)): Path<(String, String)>,
) -> PageResult {
    let ordinal: u32 = number
        .parse()
        .map_err(|_| Failure::NotFound(format!("{number:?} is not a ceremony number")))?;
    let mut page = state
        .read(move |state, store| {
            let results = store.ceremony(&body, ordinal)?.ok_or_else(|| {
                Failure::NotFound(format!("no ceremony {ordinal} of {body:?} in the catalog"))
            })?;
            let title = ceremony_title(&body, ordinal);
            let neighbour = |n: u32| -> Result<Option<Link>, Failure> {
                Ok(store.ceremony_info(&body, n)?.map(|c| {
                    Link::to(
                        crate::views::ceremony_href(&body, c.ordinal),
                        ceremony_title(&body, c.ordinal),
                    )
                }))
            };
            let previous = match ordinal.checked_sub(1) {
                Some(n) if n > 0 => neighbour(n)?,
                _ => None,
            };
            let next = neighbour(ordinal + 1)?;
            let c = &results.ceremony;
            let years = c.years.map(|y| y.to_string()).unwrap_or_default();
            let date = long_date(c.date);
            let categories: Vec<CategoryRows> = results
                .categories
                .iter()
                .map(|cat| {
                    let mut rows: Vec<AwardRow> =
                        cat.nominations.iter().map(AwardRow::of).collect();
                    rows.sort_by_key(|r| !r.won);
                    CategoryRows {
                        name: Link::to(
                            category_href(&body, &cat.category.canonical),
                            category_label(&cat.category.name),
                        ),
                        rows,
                    }
                })
                .collect();
            let winners: Vec<String> = categories
                .iter()
                .take(3)
                .filter_map(|c| {
                    let won = c.rows.iter().find(|r| r.won)?;
                    let who = won
                        .films
                        .first()
                        .or(won.nominees.first())
                        .map(|l| l.text.clone())?;
                    Some(format!("{}: {who}", c.name.text))
                })
                .collect();
            let mut description = format!("Every nominee and winner of the {title}");
            if !years.is_empty() {
                description.push_str(&format!(", honouring the films of {years}"));
            }
            if !date.is_empty() {
                description.push_str(&format!(", held on {date}"));
            }
            description.push('.');
            if !winners.is_empty() {
                description.push_str(&format!(" {}.", winners.join("; ")));
            }
            Ok(CeremonyPage {
                canonical_path: crate::views::ceremony_href(&body, ordinal),
                meta: Meta::new(
                    state.site(),
                    &crate::views::ceremony_href(&body, ordinal),
                    title.clone(),
                    description,
                ),
                title,
                years,
                date,
                date_source: c.date_source.as_ref().map(SourceView::of),
                categories,
                previous,
                next,
                awards_href: format!("/awards/{body}"),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryPage {
    meta: Meta,
    /// The category page's own path, which its winners' list extends.
    canonical_path: String,
    title: String,
    body_name: String,
    awards_href: String,
    ceremonies: Vec<CeremonyBlock>,
    winners: usize,
}

pub async fn category(
    ctx: Ctx,
    State(state): State<AppState>,
    Path((body, slug)): Path<(String, String)>,
) -> PageResult {
    let mut page = state
        .read(move |state, store| {
            let history = store.category_history(&body, &slug)?.ok_or_else(|| {
                Failure::NotFound(format!("no category {slug:?} of {body:?} in the catalog"))
            })?;
            let title = category_label(&history.category.name);
            let ceremonies = by_ceremony(&history.nominations);
            let winners = history.nominations.iter().filter(|n| n.winner).count();
            Ok(CategoryPage {
                canonical_path: category_href(&body, &history.category.canonical),
                meta: Meta::new(
                    state.site(),
                    &category_href(&body, &history.category.canonical),
                    format!("{title} — {}", history.body_name),
                    format!(
                        "Every nominee and winner of {title} at the {}, over {} ceremonies.",
                        history.body_name,
                        ceremonies.len()
                    ),
                ),
                title,
                body_name: history.body_name.clone(),
                awards_href: format!("/awards/{body}"),
                ceremonies,
                winners,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage {
    meta: Meta,
    tables: Vec<RecordTable>,
    counting_rule: &'static str,
}

pub async fn records(ctx: Ctx, State(state): State<AppState>) -> PageResult {
    let mut page = state
        .read(|state, store| {
            let records = store.award_records("oscars", 3)?;
            Ok(RecordsPage {
                meta: Meta::new(
                    state.site(),
                    "/records",
                    "Academy Awards records",
                    "Most Oscars won by one person for a single film, most wins and nominations by a film and by a person, computed from every nomination row.",
                ),
                tables: record_tables(&records),
                counting_rule: kinograph_catalog::NominationCounting::RULE,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

/// The query string of `/search` (and `/api/search`).
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    /// `film`, `person`, `character` or `essay`; comma-separated for several.
    pub kind: Option<String>,
    /// `2017`, `2010..2020`, `2010..`, `..1999`.
    pub year: Option<String>,
    pub genre: Option<String>,
    pub limit: Option<usize>,
    /// Search-as-you-type.
    pub prefix: Option<bool>,
}

/// Longest query accepted: names are short, and each word costs an automaton.
const MAX_QUERY_CHARS: usize = 200;
const MAX_LIMIT: usize = 100;

impl SearchParams {
    pub fn to_query(&self) -> Result<SearchQuery, Failure> {
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err(Failure::BadRequest(format!(
                "q: a query is at most {MAX_QUERY_CHARS} characters"
            )));
        }
        let kinds = match self.kind.as_deref().filter(|k| !k.is_empty()) {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|k| k.trim().parse::<Kind>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Failure::BadRequest(format!("kind: {e}")))?,
        };
        let years = match self.year.as_deref().filter(|y| !y.is_empty()) {
            None => None,
            Some(text) => Some(
                kinograph_search::parse_years(text)
                    .map_err(|e| Failure::BadRequest(format!("year: {e}")))?,
            ),
        };
        let limit = self.limit.unwrap_or(20);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Failure::BadRequest(format!(
                "limit: between 1 and {MAX_LIMIT}"
            )));
        }
        Ok(SearchQuery {
            text: self.q.trim().to_string(),
            kinds,
            years,
            genre: self.genre.clone().filter(|g| !g.is_empty()),
            limit,
            prefix: self.prefix.unwrap_or(false),
        })
    }
}

/// A search hit as a row of the results page.
struct HitRow {
    kind: &'static str,
    link: Link,
    year: Option<i32>,
    detail: String,
}

fn hit_href(kind: Kind, id: &str) -> Option<String> {
    match kind {
        Kind::Film => Some(format!("/films/{id}")),
        Kind::Person => Some(format!("/people/{id}")),
        Kind::Character => {
            crate::annotate::entity_href(kinograph_checker::MentionKind::Character, id)
        }
        Kind::Essay => Some(format!("/essays/{id}")),
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    meta: Meta,
    query: String,
    kind: String,
    year: String,
    genre: String,
    hits: Vec<HitRow>,
    total: usize,
    /// "about 120,000 matches": too many to count them all.
    about: bool,
    error: Option<String>,
}

pub async fn search(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> PageResult {
    let query = params.to_query();
    let kind = params.kind.clone().unwrap_or_default();
    let year = params.year.clone().unwrap_or_default();
    let genre = params.genre.clone().unwrap_or_default();
    let text = params.q.trim().to_string();
    let mut meta = Meta::new(
        state.site(),
        "/search",
        if text.is_empty() {
            "Search".to_string()
        } else {
            format!("{text} — search")
        },
        "Search films, people and characters in the Kinograph catalog.",
    );
    meta.query = text.clone();
    let meta = meta.with(&ctx);
    let (hits, total, about, error) = match query {
        Err(failure) => (Vec::new(), 0, false, Some(failure.public_message())),
        Ok(query) if query.text.is_empty() => (Vec::new(), 0, false, None),
        Ok(query) => {
            let index_state = state.clone();
            let results =
                tokio::task::spawn_blocking(move || index_state.search_index().search(&query))
                    .await
                    .map_err(|e| Failure::Internal(format!("search task: {e}")))?
                    .map_err(Failure::from)?;
            let hits = results
                .hits
                .iter()
                .map(|h| HitRow {
                    kind: h.kind.as_str(),
                    link: Link {
                        href: hit_href(h.kind, &h.id),
                        text: h.name.clone(),
                    },
                    year: h.year,
                    detail: h.detail.clone().unwrap_or_default(),
                })
                .collect();
            (hits, results.total, results.total_estimated, None)
        }
    };
    let status_page = SearchPage {
        meta,
        query: text,
        kind,
        year,
        genre,
        hits,
        total,
        about,
        error,
    };
    render(&status_page)
}

#[derive(Template)]
#[template(path = "essays.html")]
struct EssaysPage {
    meta: Meta,
    title: String,
    essays: Vec<EssayCard>,
}

#[derive(Debug, Default, Deserialize)]
pub struct EssaysQuery {
    tag: Option<String>,
}

pub async fn essays(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(query): Query<EssaysQuery>,
) -> PageResult {
    let tag = query
        .tag
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    let mut page = state
        .read(move |state, store| {
            let heads = store.essay_heads(&kinograph_publishing::EditorialFilter {
                states: vec![
                    kinograph_publishing::EssayState::Published,
                    kinograph_publishing::EssayState::Corrected,
                ],
                tag: tag.clone(),
                limit: 100,
                ..Default::default()
            })?;
            let title = match &tag {
                Some(tag) => format!("Essays tagged “{tag}”"),
                None => "Essays".to_string(),
            };
            Ok(EssaysPage {
                meta: Meta::new(
                    state.site(),
                    "/essays",
                    title.clone(),
                    "Film criticism, every claim checked against the catalog.",
                ),
                title,
                essays: heads.iter().map(crate::editorial::card).collect(),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "essay.html")]
struct EssayPage {
    meta: Meta,
    essay: EssayCard,
    check: CheckView,
    state: kinograph_publishing::EssayState,
    spoilers: bool,
    corrections: Vec<kinograph_publishing::Correction>,
    publication: Option<(String, String)>,
    /// The author's account name, for the byline's link.
    author: Option<String>,
    /// Whether the viewer may open it on the writing desk.
    editable: bool,
}

/// schema.org for an essay: a `Review` of the film it names most (with `sameAs` IMDb), else
/// an `Article`; either way `about` every film it names.
fn essay_json_ld(
    state: &AppState,
    store: &kinograph_store::Store,
    essay: &EssayRecord,
    films: &[(String, usize)],
) -> Result<serde_json::Value, Failure> {
    let site = state.site();
    let mut movies = Vec::new();
    for (id, _) in films.iter().take(10) {
        if let Some(details) = store.film(id)? {
            let mut movie = json!({
                "@type": "Movie",
                "name": details.film.title,
                "url": site.url(&format!("/films/{}", details.film.id)),
            });
            if let Some(imdb) = &details.film.imdb_id {
                movie["sameAs"] = json!(format!("https://www.imdb.com/title/{imdb}/"));
            }
            if let Some(year) = details.film.year {
                movie["datePublished"] = json!(year.to_string());
            }
            movies.push(movie);
        }
    }
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": if movies.is_empty() { "Article" } else { "Review" },
        "headline": essay.title,
        "name": essay.title,
        "author": {"@type": "Person", "name": essay.author},
        "url": site.url(&format!("/essays/{}", essay.slug)),
        "publisher": {"@type": "Organization", "name": site.name},
        "keywords": essay.tags.join(", "),
    });
    if let Some(subtitle) = &essay.subtitle {
        ld["description"] = json!(subtitle);
    }
    if let Some(date) = essay.published {
        ld["datePublished"] = json!(date.format("%Y-%m-%d").to_string());
    }
    if let Some(first) = movies.first() {
        ld["itemReviewed"] = first.clone();
        ld["about"] = json!(movies);
    }
    Ok(ld)
}

pub async fn essay(
    ctx: Ctx,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let viewer = ctx.viewer.user().cloned();
    let mut page = state
        .read(move |state, store| {
            // A draft is its author's and the editors' only: to anyone else it does not exist.
            let head = kinograph_store::editorial::visible_head(store, &slug, viewer.as_ref())
                .map_err(|_| Failure::NotFound(format!("no published essay {slug:?}")))?;
            let essay = store
                .essay(&slug)?
                .ok_or_else(|| Failure::NotFound(format!("no published essay {slug:?}")))?;
            let corrections = store.corrections(&slug)?;
            let checker = state.checker_for(store, &essay.body)?;
            let report = checker.check(store, &essay.body)?;
            // Films by how often the essay names them: the most named is the one reviewed.
            let mut films: Vec<(String, usize)> = Vec::new();
            for m in &report.mentions {
                if m.kind != kinograph_checker::MentionKind::Film {
                    continue;
                }
                let Some(entity) = &m.entity else { continue };
                match films.iter_mut().find(|(id, _)| *id == entity.id) {
                    Some((_, n)) => *n += 1,
                    None => films.push((entity.id.clone(), 1)),
                }
            }
            films.sort_by_key(|f| std::cmp::Reverse(f.1));
            let ld = essay_json_ld(state, store, &essay, &films)?;
            let card = EssayCard::of(&essay.summary());
            let description = essay
                .subtitle
                .clone()
                .unwrap_or_else(|| format!("An essay by {}", essay.author));
            let mut meta = Meta::new(state.site(), &card.href, essay.title.clone(), description)
                .with_json_ld(&ld);
            meta.og_type = "article";
            Ok(EssayPage {
                meta,
                essay: card,
                check: CheckView::of(&essay.body, &report),
                state: head.state,
                spoilers: head.spoilers,
                corrections,
                publication: head.publication.clone(),
                author: head.author.clone(),
                editable: viewer.is_some_and(|u| {
                    u.role.can_edit() || head.author.as_deref() == Some(u.name.as_str())
                }),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

/// Longest text `/check` and `/api/check` take.
pub const MAX_CHECK_BYTES: usize = 1024 * 1024;

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    meta: Meta,
    text: String,
    check: Option<CheckView>,
}

fn check_meta(state: &AppState) -> Meta {
    Meta::new(
        state.site(),
        "/check",
        "Check an essay",
        "Paste an essay about films: Kinograph links every film, person and character it names and checks its claims against the catalog.",
    )
}

pub async fn check_form(ctx: Ctx, State(state): State<AppState>) -> PageResult {
    render(&CheckPage {
        meta: check_meta(&state).with(&ctx),
        text: String::new(),
        check: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    text: String,
}

pub async fn check_submit(
    ctx: Ctx,
    State(state): State<AppState>,
    form: Result<Form<CheckForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form.map_err(|e| crate::api::rejection(e.status(), e.body_text()))?;
    if form.text.trim().is_empty() {
        return Ok(Redirect::to("/check").into_response());
    }
    let text = form.text;
    let mut page = state
        .read(move |state, store| {
            let checker = state.checker_for(store, &text)?;
            let report = checker.check(store, &text)?;
            let check = CheckView::of(&text, &report);
            Ok(CheckPage {
                meta: check_meta(state),
                text,
                check: Some(check),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    Ok(render(&page)?.into_response())
}
