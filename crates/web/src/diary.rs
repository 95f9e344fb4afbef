//! The readers' side of the site: the diary (log, edit, delete a viewing), a film's ratings and
//! reviews, profiles, watchlists, lists, follows, the activity feed, stats with charts, and the
//! award lists with each reader's progress.
//!
//! Every read asks the store on behalf of the viewer, which applies the privacy rule itself;
//! every write changes only the signed-in user's own things.

use std::collections::HashSet;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use kinograph_catalog::{FilmDetails, NominationView};
use kinograph_diary::{
    DiaryList, FilmRatings, FilmRef, FilmState, ListSummary, NewList, NewListItem, NewViewing,
    Rating, Stats, Viewing, ViewingQuery, check_list_name, check_tag, stats,
};
use kinograph_publishing::{User, slugify};
use kinograph_store::{CatalogRead, DiaryRead, EditorialRead, FilmStateFilter, Store};
use serde::Deserialize;

use crate::AppState;
use crate::charts::{Bar, bar_list, column_chart};
use crate::error::{Failure, PageError};
use crate::pages::{Ctx, local_path_or, render, see_other};
use crate::views::{Meta, category_label, ceremony_title, long_date};

type PageResult = Result<Html<String>, PageError>;

pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn viewer_id(ctx: &Ctx) -> Option<i64> {
    ctx.viewer.user().map(|u| u.id)
}

fn owner(store: &Store, name: &str) -> Result<User, Failure> {
    store
        .user(name)?
        .ok_or_else(|| Failure::NotFound(format!("no member called {name:?}")))
}

fn year_nav(years: &[i32], shown: Option<i32>) -> Vec<(i32, bool)> {
    years.iter().map(|&y| (y, Some(y) == shown)).collect()
}

/// A review as HTML: Markdown, sanitised.
pub(crate) fn review_html(text: &str) -> String {
    let parser =
        pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    crate::annotate::sanitize(&html)
}

// ------------------------------------------------------------------------------------------
// View models

/// A viewing as a diary row or a review card.
#[derive(Debug, Clone)]
pub struct EntryView {
    pub id: i64,
    pub href: String,
    pub user: String,
    pub film_href: String,
    pub film_title: String,
    pub film_year: Option<i32>,
    pub day: String,
    pub day_iso: String,
    pub day_number: u32,
    /// "March 2025": diary rows are grouped by it.
    pub month: String,
    pub rating: Option<String>,
    pub rating_label: String,
    pub liked: bool,
    pub rewatch: bool,
    pub review_html: Option<String>,
    pub spoilers: bool,
    pub tags: Vec<String>,
    pub private: bool,
    pub likes: u32,
    pub mine: bool,
}

impl EntryView {
    pub fn of(v: &Viewing, viewer: Option<i64>) -> EntryView {
        let day = v.day();
        EntryView {
            id: v.id,
            href: format!("/u/{}/reviews/{}", v.user, v.id),
            user: v.user.clone(),
            film_href: format!("/films/{}", v.film.id),
            film_title: v.film.title.clone(),
            film_year: v.film.year,
            day: long_date(Some(day)),
            day_iso: day.to_string(),
            day_number: day.day(),
            month: day.format("%B %Y").to_string(),
            rating: v.rating.map(Rating::glyphs),
            rating_label: v
                .rating
                .map(|r| format!("rated {r} out of 5"))
                .unwrap_or_default(),
            liked: v.liked,
            rewatch: v.rewatch,
            review_html: v
                .review
                .as_deref()
                .filter(|r| !r.trim().is_empty())
                .map(review_html),
            spoilers: v.spoilers,
            tags: v.tags.clone(),
            private: v.private,
            likes: v.likes,
            mine: viewer == Some(v.user_id),
        }
    }
}

/// Diary rows under their month headings.
#[derive(Debug, Clone)]
pub struct MonthGroup {
    pub month: String,
    pub entries: Vec<EntryView>,
}

fn by_month(entries: Vec<EntryView>) -> Vec<MonthGroup> {
    let mut groups: Vec<MonthGroup> = Vec::new();
    for entry in entries {
        match groups.last_mut() {
            Some(group) if group.month == entry.month => group.entries.push(entry),
            _ => groups.push(MonthGroup {
                month: entry.month.clone(),
                entries: vec![entry],
            }),
        }
    }
    groups
}

#[derive(Debug, Clone)]
pub struct FilmTile {
    pub href: String,
    pub title: String,
    pub year: Option<i32>,
    pub note: Option<String>,
    pub position: Option<u32>,
    pub rating: Option<String>,
    pub liked: bool,
    pub seen: bool,
}

impl FilmTile {
    fn of(film: &FilmRef) -> FilmTile {
        FilmTile {
            href: format!("/films/{}", film.id),
            title: film.title.clone(),
            year: film.year,
            note: None,
            position: None,
            rating: None,
            liked: false,
            seen: false,
        }
    }

    fn of_state(state: &FilmState) -> FilmTile {
        FilmTile {
            rating: state.rating.map(Rating::glyphs),
            liked: state.liked(),
            seen: state.watched,
            ..FilmTile::of(&state.film)
        }
    }
}

#[derive(Debug, Clone)]
pub struct ListCard {
    pub href: String,
    pub name: String,
    pub owner: String,
    pub description: Option<String>,
    pub films: u32,
    pub likes: u32,
    pub ranked: bool,
    pub private: bool,
    pub created: String,
}

impl ListCard {
    fn of(list: &ListSummary) -> ListCard {
        ListCard {
            href: format!("/u/{}/lists/{}", list.owner, list.slug),
            name: list.name.clone(),
            owner: list.owner.clone(),
            description: list.description.clone(),
            films: list.films,
            likes: list.likes,
            ranked: list.ranked,
            private: list.private,
            created: long_date(Some(list.created)),
        }
    }
}

/// The instance's ratings of a film, for the film page's histogram.
#[derive(Debug, Clone)]
pub struct RatingsView {
    pub count: u32,
    pub average: Option<String>,
    pub chart: String,
}

impl RatingsView {
    fn of(ratings: &FilmRatings) -> RatingsView {
        RatingsView {
            count: ratings.count,
            average: ratings.average().map(|a| format!("{a:.1}")),
            chart: column_chart("Ratings on this site", &rating_bars(&ratings.histogram)),
        }
    }
}

fn rating_bars(histogram: &[u32; 10]) -> Vec<Bar> {
    histogram
        .iter()
        .zip(1u8..)
        .map(|(count, half)| Bar {
            label: Rating::from_half_stars(half)
                .map(|r| format!("{r}★"))
                .unwrap_or_default(),
            value: *count,
            href: None,
        })
        .collect()
}

/// The signed-in reader's own dealings with a film, for the film page's panel.
#[derive(Debug, Clone, Default)]
pub struct MyFilm {
    pub watched: bool,
    pub rating: Option<String>,
    pub liked: bool,
    pub watchlisted: bool,
    pub viewings: u32,
    pub today: String,
    pub lists: Vec<(String, String)>,
}

/// What the film page shows of the diary.
#[derive(Debug, Clone)]
pub struct FilmDiary {
    pub ratings: RatingsView,
    pub mine: Option<MyFilm>,
    /// Reviews by the people the viewer follows.
    pub friends: Vec<EntryView>,
    /// Recent public reviews by anyone.
    pub reviews: Vec<EntryView>,
}

/// The diary side of a film page, read on behalf of the viewer.
pub fn film_diary(
    store: &Store,
    details: &FilmDetails,
    viewer: Option<&User>,
) -> Result<FilmDiary, Failure> {
    let film = details.film.id.clone();
    let viewer_id = viewer.map(|u| u.id);
    let ratings = RatingsView::of(&store.film_ratings(&film)?);
    let reviews = store.viewings(&ViewingQuery {
        viewer: viewer_id,
        film: Some(film.clone()),
        reviews_only: true,
        limit: 10,
        ..ViewingQuery::default()
    })?;
    let (mine, friends) = match viewer {
        None => (None, Vec::new()),
        Some(user) => {
            let state = store.film_state(user.id, &film)?;
            let viewings = store.viewings(&ViewingQuery {
                viewer: Some(user.id),
                owner: Some(user.name.clone()),
                film: Some(film.clone()),
                limit: 1000,
                ..ViewingQuery::default()
            })?;
            let lists = store
                .lists(Some(&user.name), Some(user.id), 200)?
                .into_iter()
                .map(|l| (l.slug, l.name))
                .collect();
            let mine = MyFilm {
                watched: state.as_ref().is_some_and(|s| s.watched),
                rating: state.as_ref().and_then(|s| s.rating).map(Rating::glyphs),
                liked: state.as_ref().is_some_and(FilmState::liked),
                watchlisted: state.as_ref().is_some_and(FilmState::watchlisted),
                viewings: u32::try_from(viewings.len()).unwrap_or(u32::MAX),
                today: today().to_string(),
                lists,
            };
            let friends = store.viewings(&ViewingQuery {
                viewer: Some(user.id),
                film: Some(film),
                followed_by: Some(user.id),
                limit: 20,
                ..ViewingQuery::default()
            })?;
            (
                Some(mine),
                friends
                    .iter()
                    .map(|v| EntryView::of(v, viewer_id))
                    .collect(),
            )
        }
    };
    Ok(FilmDiary {
        ratings,
        mine,
        friends,
        reviews: reviews
            .iter()
            .map(|v| EntryView::of(v, viewer_id))
            .collect(),
    })
}

// ------------------------------------------------------------------------------------------
// Logging and editing viewings

/// The log form's fields. Checkboxes are present when ticked.
#[derive(Debug, Default, Deserialize)]
pub struct LogForm {
    #[serde(default)]
    pub film: String,
    #[serde(default)]
    pub watched: String,
    #[serde(default)]
    pub rating: String,
    pub liked: Option<String>,
    pub rewatch: Option<String>,
    #[serde(default)]
    pub review: String,
    pub spoilers: Option<String>,
    /// Comma-separated.
    #[serde(default)]
    pub tags: String,
    pub private: Option<String>,
    pub next: Option<String>,
}

impl LogForm {
    /// The viewing the form describes, or what is wrong with it.
    pub fn viewing(&self, key: String) -> Result<NewViewing, Failure> {
        let bad = Failure::BadRequest;
        let watched = match self.watched.trim() {
            "" => today(),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| bad(format!("watched date {text:?} is not a date (YYYY-MM-DD)")))?,
        };
        if watched > today() {
            return Err(bad(format!("watched date {watched} is in the future")));
        }
        let rating = match self.rating.trim() {
            "" => None,
            text => Some(Rating::parse(text).map_err(bad)?),
        };
        let tags = parse_tags(&self.tags)?;
        let review = Some(self.review.trim().to_string()).filter(|r| !r.is_empty());
        if review.as_ref().is_some_and(|r| r.len() > 100_000) {
            return Err(bad("a review is at most 100,000 bytes".into()));
        }
        Ok(NewViewing {
            film: self.film.trim().to_string(),
            watched: Some(watched),
            logged: today(),
            rating,
            liked: self.liked.is_some(),
            rewatch: self.rewatch.is_some(),
            review,
            spoilers: self.spoilers.is_some(),
            tags,
            private: self.private.is_some(),
            letterboxd_uri: None,
            key,
        })
    }
}

fn parse_tags(text: &str) -> Result<Vec<String>, Failure> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        check_tag(tag).map_err(Failure::BadRequest)?;
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    Ok(tags)
}

fn signed_in(ctx: &Ctx) -> Result<User, Failure> {
    Ok(ctx.viewer.required()?.clone())
}

pub async fn log(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LogForm>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let viewing = form.viewing(kinograph_store::diary::new_key()?)?;
    let (id, _) = state
        .write(move |_, store| Ok(kinograph_store::diary::log(store, user.id, &viewing)?))
        .await?;
    let fallback = format!("/u/{}/reviews/{id}", ctx.viewer.required()?.name);
    Ok(see_other(&local_path_or(form.next.as_deref(), &fallback)))
}

#[derive(Template)]
#[template(path = "diary_edit.html")]
struct EditPage {
    meta: Meta,
    entry: EntryView,
    form: EditFields,
}

/// The edit form's values as they stand.
#[derive(Debug, Clone)]
struct EditFields {
    film: String,
    watched: String,
    rating: String,
    liked: bool,
    rewatch: bool,
    review: String,
    spoilers: bool,
    tags: String,
    private: bool,
}

/// The signed-in user's own viewing `id`; someone else's is a 404, like one that is not there.
fn own_viewing(store: &Store, user: &User, id: i64) -> Result<Viewing, Failure> {
    store
        .viewing(id, Some(user.id))?
        .filter(|v| v.user_id == user.id)
        .ok_or_else(|| Failure::NotFound(format!("no diary entry {id} of yours")))
}

pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let user = signed_in(&ctx)?;
    let mut page = state
        .read(move |state, store| {
            let v = own_viewing(store, &user, id)?;
            Ok(EditPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/diary/{id}/edit"),
                    format!("Edit your entry for {}", v.film.title),
                    "Change a diary entry.",
                ),
                form: EditFields {
                    film: v.film.id.clone(),
                    watched: v.watched.map(|d| d.to_string()).unwrap_or_default(),
                    rating: v.rating.map(|r| r.to_string()).unwrap_or_default(),
                    liked: v.liked,
                    rewatch: v.rewatch,
                    review: v.review.clone().unwrap_or_default(),
                    spoilers: v.spoilers,
                    tags: v.tags.join(", "),
                    private: v.private,
                },
                entry: EntryView::of(&v, Some(user.id)),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<LogForm>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let name = user.name.clone();
    state
        .write(move |_, store| {
            let current = own_viewing(store, &user, id)?;
            let mut changed = form.viewing(current.key.clone())?;
            changed.film = current.film.id.clone();
            changed.logged = current.logged;
            store.diary(|w| {
                w.update_viewing(user.id, id, &changed)?;
                if let Some(rating) = changed.rating {
                    w.set_rating(
                        user.id,
                        &changed.film,
                        Some(rating),
                        changed.watched.unwrap_or(changed.logged),
                        changed.private,
                    )?;
                }
                Ok(())
            })?;
            Ok(())
        })
        .await?;
    Ok(see_other(&format!("/u/{name}/reviews/{id}")))
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let name = user.name.clone();
    state
        .write(move |_, store| {
            own_viewing(store, &user, id)?;
            Ok(store.diary(|w| w.delete_viewing(user.id, id))?)
        })
        .await?;
    Ok(see_other(&format!("/u/{name}/diary")))
}

/// A switch on a film: watchlist, like, watched.
#[derive(Debug, Default, Deserialize)]
pub struct Switch {
    /// `1` to turn on, anything else to turn off.
    #[serde(default)]
    pub on: String,
    pub next: Option<String>,
}

impl Switch {
    fn on(&self) -> bool {
        self.on == "1" || self.on == "on" || self.on == "true"
    }
}

pub async fn film_switch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, what)): Path<(String, String)>,
    Form(switch): Form<Switch>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let on = switch.on();
    let film = id.clone();
    state
        .write(move |_, store| {
            let day = on.then(today);
            Ok(store.diary(|w| match what.as_str() {
                "watchlist" => w.set_watchlisted(user.id, &film, day),
                "like" => w.set_liked(user.id, &film, day),
                "watched" if on => w.mark_watched(user.id, &film, day),
                "watched" => w.unmark_watched(user.id, &film),
                other => Err(kinograph_store::Error::UnknownEntity {
                    kind: "film switch",
                    id: other.to_string(),
                }),
            })?)
        })
        .await?;
    Ok(see_other(&local_path_or(
        switch.next.as_deref(),
        &format!("/films/{id}"),
    )))
}

pub async fn like_review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((name, id)): Path<(String, i64)>,
    Form(switch): Form<Switch>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let on = switch.on();
    state
        .write(move |_, store| {
            // What the user cannot see, they cannot like.
            store
                .viewing(id, Some(user.id))?
                .ok_or_else(|| Failure::NotFound(format!("no diary entry {id}")))?;
            Ok(store.diary(|w| w.like_viewing(user.id, id, on))?)
        })
        .await?;
    Ok(see_other(&format!("/u/{name}/reviews/{id}")))
}

// ------------------------------------------------------------------------------------------
// Profiles, diaries, reviews, watchlists

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    meta: Meta,
    member: User,
    mine: bool,
    following: bool,
    signed_in: bool,
    films: u32,
    this_year: u32,
    year: i32,
    lists: Vec<ListCard>,
    recent: Vec<EntryView>,
    reviews: Vec<EntryView>,
    follows: Vec<String>,
    followers: Vec<String>,
}

pub async fn profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let member = owner(store, &name)?;
            let all = store.stats_viewings(member.id, viewer)?;
            let year = today().year();
            let recent = store.viewings(&ViewingQuery {
                viewer,
                owner: Some(member.name.clone()),
                limit: 8,
                ..ViewingQuery::default()
            })?;
            let reviews = store.viewings(&ViewingQuery {
                viewer,
                owner: Some(member.name.clone()),
                reviews_only: true,
                limit: 5,
                ..ViewingQuery::default()
            })?;
            let lists = store.lists(Some(&member.name), viewer, 6)?;
            let everything = stats(&all, None);
            let mut meta = Meta::new(
                state.site(),
                &format!("/u/{}", member.name),
                format!("{}’s diary", member.display_name),
                format!(
                    "{} on Kinograph: {} films logged, reviews and lists.",
                    member.display_name, everything.distinct_films
                ),
            );
            meta.og_type = "profile";
            Ok(ProfilePage {
                meta,
                mine: viewer == Some(member.id),
                following: match viewer {
                    Some(v) if v != member.id => store.is_following(v, member.id)?,
                    _ => false,
                },
                signed_in: viewer.is_some(),
                films: everything.distinct_films,
                this_year: stats(&all, Some(year)).viewings,
                year,
                lists: lists.iter().map(ListCard::of).collect(),
                recent: recent.iter().map(|v| EntryView::of(v, viewer)).collect(),
                reviews: reviews.iter().map(|v| EntryView::of(v, viewer)).collect(),
                follows: store
                    .following(member.id)?
                    .into_iter()
                    .map(|u| u.name)
                    .collect(),
                followers: store
                    .followers(member.id)?
                    .into_iter()
                    .map(|u| u.name)
                    .collect(),
                member,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Debug, Default, Deserialize)]
pub struct DiaryQuery {
    pub year: Option<i32>,
    pub tag: Option<String>,
    pub page: Option<u32>,
}

#[derive(Template)]
#[template(path = "diary.html")]
struct DiaryPage {
    meta: Meta,
    member: User,
    mine: bool,
    months: Vec<MonthGroup>,
    /// Each year with an entry, and whether it is the one shown.
    years: Vec<(i32, bool)>,
    year: Option<i32>,
    tag: Option<String>,
    page: u32,
    more: bool,
}

const DIARY_PAGE: u32 = 100;

pub async fn diary(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Query(query): Query<DiaryQuery>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let member = owner(store, &name)?;
            let page = query.page.unwrap_or(1).max(1);
            let rows = store.viewings(&ViewingQuery {
                viewer,
                owner: Some(member.name.clone()),
                year: query.year,
                tag: query.tag.clone(),
                limit: DIARY_PAGE + 1,
                offset: (page - 1).saturating_mul(DIARY_PAGE),
                ..ViewingQuery::default()
            })?;
            let more = rows.len() > DIARY_PAGE as usize;
            let years = year_nav(&store.viewing_years(member.id, viewer)?, query.year);
            let entries = rows
                .iter()
                .take(DIARY_PAGE as usize)
                .map(|v| EntryView::of(v, viewer))
                .collect();
            Ok(DiaryPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/u/{}/diary", member.name),
                    format!("{}’s diary", member.display_name),
                    format!(
                        "Every film {} has logged, newest first.",
                        member.display_name
                    ),
                ),
                mine: viewer == Some(member.id),
                months: by_month(entries),
                years,
                year: query.year,
                tag: query.tag,
                page,
                more,
                member,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    meta: Meta,
    entry: EntryView,
    liked_by_me: bool,
    signed_in: bool,
}

pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((name, id)): Path<(String, i64)>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let v = store
                .viewing(id, viewer)?
                .filter(|v| v.user == name)
                .ok_or_else(|| Failure::NotFound(format!("no diary entry {id} of {name}")))?;
            let title = match v.film.year {
                Some(year) => format!("{} ({year})", v.film.title),
                None => v.film.title.clone(),
            };
            let entry = EntryView::of(&v, viewer);
            let mut meta = Meta::new(
                state.site(),
                &entry.href,
                format!("{} on {title}", v.user),
                match &v.review {
                    Some(review) => summary(review),
                    None => format!("{} watched {title} on {}.", v.user, entry.day),
                },
            );
            meta.og_type = "article";
            if v.review.is_some() {
                let mut ld = serde_json::json!({
                    "@context": "https://schema.org",
                    "@type": "Review",
                    "author": {"@type": "Person", "name": v.user},
                    "datePublished": v.logged.to_string(),
                    "itemReviewed": {"@type": "Movie", "name": v.film.title, "url": state.site().url(&entry.film_href)},
                });
                if let Some(rating) = v.rating {
                    ld["reviewRating"] = serde_json::json!({
                        "@type": "Rating", "ratingValue": rating.stars(), "bestRating": 5, "worstRating": 0.5
                    });
                }
                meta = meta.with_json_ld(&ld);
            }
            Ok(ReviewPage {
                meta,
                liked_by_me: match viewer {
                    Some(me) => store.likes_viewing(me, id)?,
                    None => false,
                },
                signed_in: viewer.is_some(),
                entry,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

/// The first words of a review, for a description.
fn summary(review: &str) -> String {
    let flat: String = review.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 160 {
        flat
    } else {
        let cut: String = flat.chars().take(157).collect();
        format!("{cut}…")
    }
}

#[derive(Template)]
#[template(path = "member_films.html")]
struct MemberFilmsPage {
    meta: Meta,
    member: User,
    heading: String,
    empty: String,
    films: Vec<FilmTile>,
}

pub async fn watchlist(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    member_films(state, ctx, name, FilmStateFilter::Watchlist).await
}

pub async fn films(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    member_films(state, ctx, name, FilmStateFilter::Watched).await
}

pub async fn likes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    member_films(state, ctx, name, FilmStateFilter::Liked).await
}

async fn member_films(
    state: AppState,
    ctx: Ctx,
    name: String,
    which: FilmStateFilter,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let member = owner(store, &name)?;
            let (path, heading, empty) = match which {
                FilmStateFilter::Watchlist => {
                    ("watchlist", "Watchlist", "Nothing on the watchlist.")
                }
                FilmStateFilter::Liked => ("likes", "Liked films", "No liked films."),
                _ => ("films", "Films watched", "No films watched yet."),
            };
            let films = store.film_states(member.id, viewer, which)?;
            Ok(MemberFilmsPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/u/{}/{path}", member.name),
                    format!("{} · {heading}", member.display_name),
                    format!("{heading} of {} on Kinograph.", member.display_name),
                ),
                heading: heading.to_string(),
                empty: empty.to_string(),
                films: films.iter().map(FilmTile::of_state).collect(),
                member,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Form(switch): Form<Switch>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let on = switch.on();
    let target = name.clone();
    state
        .write(move |_, store| {
            let followed = owner(store, &target)?;
            Ok(store.diary(|w| w.follow(user.id, followed.id, on))?)
        })
        .await?;
    Ok(see_other(&local_path_or(
        switch.next.as_deref(),
        &format!("/u/{name}"),
    )))
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    meta: Meta,
    entries: Vec<EntryView>,
    following: usize,
}

pub async fn activity(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let Some(user) = ctx.viewer.user().cloned() else {
        return Ok(see_other("/login?next=/activity"));
    };
    let mut page = state
        .read(move |state, store| {
            let entries = store.viewings(&ViewingQuery {
                viewer: Some(user.id),
                followed_by: Some(user.id),
                limit: 100,
                ..ViewingQuery::default()
            })?;
            Ok(ActivityPage {
                meta: Meta::new(
                    state.site(),
                    "/activity",
                    "Activity",
                    "What the people you follow have watched.",
                ),
                entries: entries
                    .iter()
                    .map(|v| EntryView::of(v, Some(user.id)))
                    .collect(),
                following: store.following(user.id)?.len(),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    Ok(render(&page)?.into_response())
}

// ------------------------------------------------------------------------------------------
// Stats

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    meta: Meta,
    member: User,
    stats: Stats,
    years: Vec<(i32, bool)>,
    hours: u64,
    average: Option<String>,
    timeline_title: String,
    timeline: String,
    ratings: String,
    decades: String,
    directors: String,
    actors: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

pub async fn stats_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Query(query): Query<YearQuery>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let member = owner(store, &name)?;
            let stats = stats(&store.stats_viewings(member.id, viewer)?, query.year);
            let (path, title, timeline_title) = match stats.year {
                Some(year) => (
                    format!("/u/{}/stats?year={year}", member.name),
                    format!("{}’s {year} in film", member.display_name),
                    format!("Films per month in {year}"),
                ),
                None => (
                    format!("/u/{}/stats", member.name),
                    format!("{}’s stats", member.display_name),
                    "Films per year".to_string(),
                ),
            };
            let bars = |counts: &[kinograph_diary::Count], href: &dyn Fn(&str) -> Option<String>| -> Vec<Bar> {
                counts
                    .iter()
                    .map(|c| Bar {
                        label: c.label.clone(),
                        value: c.count,
                        href: href(&c.key),
                    })
                    .collect()
            };
            let person = |id: &str| Some(format!("/people/{id}"));
            let none = |_: &str| None;
            let member_name = member.name.clone();
            let year_link = move |key: &str| Some(format!("/u/{member_name}/stats?year={key}"));
            let timeline_href: &dyn Fn(&str) -> Option<String> = if stats.year.is_some() { &none } else { &year_link };
            Ok(StatsPage {
                meta: Meta::new(
                    state.site(),
                    &path,
                    title,
                    format!(
                        "{} films, {} hours: what {} watched, by month, rating, decade, director and actor.",
                        stats.viewings,
                        stats.minutes / 60,
                        member.display_name
                    ),
                ),
                years: year_nav(&stats.years, stats.year),
                hours: stats.minutes / 60,
                average: stats.average_rating().map(|a| format!("{a:.2}")),
                timeline: column_chart(&timeline_title, &bars(&stats.timeline, timeline_href)),
                timeline_title,
                ratings: column_chart("Ratings given", &rating_bars(&stats.ratings)),
                decades: column_chart("Films by decade of release", &bars(&stats.decades, &none)),
                directors: bar_list("Most-watched directors", &bars(&stats.directors, &person)),
                actors: bar_list("Most-watched actors", &bars(&stats.actors, &person)),
                stats,
                member,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

// ------------------------------------------------------------------------------------------
// Lists

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    meta: Meta,
    heading: String,
    member: Option<User>,
    mine: bool,
    lists: Vec<ListCard>,
    award_lists: Vec<(String, String)>,
}

pub async fn all_lists(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let lists = store.lists(None, viewer, 60)?;
            let mut award_lists = vec![(
                "/awards/oscars/categories/best-picture/winners".to_string(),
                "Best Picture winners".to_string(),
            )];
            if let Some(latest) = store.ceremonies("oscars")?.first() {
                award_lists.push((
                    format!("/awards/oscars/{}/films", latest.ordinal),
                    format!("{} nominees", ceremony_title("oscars", latest.ordinal)),
                ));
            }
            Ok(ListsPage {
                meta: Meta::new(
                    state.site(),
                    "/lists",
                    "Lists",
                    "Lists of films by readers, and the award lists.",
                ),
                heading: "Lists".into(),
                member: None,
                mine: false,
                lists: lists.iter().map(ListCard::of).collect(),
                award_lists,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

pub async fn member_lists(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let member = owner(store, &name)?;
            let lists = store.lists(Some(&member.name), viewer, 500)?;
            Ok(ListsPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/u/{}/lists", member.name),
                    format!("{}’s lists", member.display_name),
                    format!("Lists of films by {}.", member.display_name),
                ),
                heading: format!("{}’s lists", member.display_name),
                mine: viewer == Some(member.id),
                member: Some(member),
                lists: lists.iter().map(ListCard::of).collect(),
                award_lists: Vec::new(),
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    meta: Meta,
    list: ListCard,
    slug: String,
    tags: Vec<String>,
    films: Vec<FilmTile>,
    mine: bool,
    signed_in: bool,
    liked_by_me: bool,
    /// "12 of 97 seen" for the signed-in reader.
    progress: Option<(usize, usize)>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((name, slug)): Path<(String, String)>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let DiaryList { summary, items } = store
                .list(&name, &slug, viewer)?
                .ok_or_else(|| Failure::NotFound(format!("no list {slug:?} of {name}")))?;
            let ids: Vec<String> = items.iter().map(|i| i.film.id.clone()).collect();
            let seen = match viewer {
                Some(me) => store.seen_films(me, &ids)?,
                None => HashSet::new(),
            };
            let films = items
                .iter()
                .map(|item| FilmTile {
                    note: item.note.clone(),
                    position: summary.ranked.then_some(item.position),
                    seen: seen.contains(&item.film.id),
                    ..FilmTile::of(&item.film)
                })
                .collect();
            let card = ListCard::of(&summary);
            Ok(ListPage {
                meta: Meta::new(
                    state.site(),
                    &card.href,
                    format!("{} · a list by {}", summary.name, summary.owner),
                    summary.description.clone().unwrap_or_else(|| {
                        format!("{} films listed by {}.", summary.films, summary.owner)
                    }),
                ),
                mine: viewer == Some(summary.owner_id),
                signed_in: viewer.is_some(),
                liked_by_me: match viewer {
                    Some(me) => store.likes_list(me, summary.id)?,
                    None => false,
                },
                progress: viewer.map(|_| (seen.len(), ids.len())),
                slug: summary.slug.clone(),
                tags: summary.tags.clone(),
                list: card,
                films,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

#[derive(Template)]
#[template(path = "list_edit.html")]
struct ListEditPage {
    meta: Meta,
    action: String,
    name: String,
    description: String,
    tags: String,
    ranked: bool,
    private: bool,
    films: String,
    error: Option<String>,
    existing: bool,
}

/// The list form. `films` holds one film per line: its id (or IMDb id), then optionally
/// ` | ` and a note.
#[derive(Debug, Default, Deserialize)]
pub struct ListForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: String,
    pub ranked: Option<String>,
    pub private: Option<String>,
    #[serde(default)]
    pub films: String,
}

impl ListForm {
    fn list(&self, created: NaiveDate) -> Result<NewList, Failure> {
        check_list_name(&self.name).map_err(Failure::BadRequest)?;
        let items = self
            .films
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| {
                let (film, note) = match line.split_once('|') {
                    Some((film, note)) => (
                        film.trim(),
                        Some(note.trim().to_string()).filter(|n| !n.is_empty()),
                    ),
                    None => (line, None),
                };
                NewListItem {
                    film: film.to_string(),
                    note,
                }
            })
            .collect();
        Ok(NewList {
            name: self.name.trim().to_string(),
            description: Some(self.description.trim().to_string()).filter(|d| !d.is_empty()),
            ranked: self.ranked.is_some(),
            private: self.private.is_some(),
            tags: parse_tags(&self.tags)?,
            created,
            items,
        })
    }
}

pub async fn new_list_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if ctx.viewer.user().is_none() {
        return Ok(see_other("/login?next=/lists/new"));
    }
    let page = ListEditPage {
        meta: Meta::new(
            state.site(),
            "/lists/new",
            "New list",
            "Make a list of films.",
        )
        .with(&ctx),
        action: "/lists/new".into(),
        name: String::new(),
        description: String::new(),
        tags: String::new(),
        ranked: false,
        private: false,
        films: String::new(),
        error: None,
        existing: false,
    };
    Ok(render(&page)?.into_response())
}

pub async fn create_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ListForm>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let list = form.list(today())?;
    let name = user.name.clone();
    let slug = state
        .write(move |_, store| {
            let base = slugify(&list.name);
            let base = if base.is_empty() {
                "list".to_string()
            } else {
                base
            };
            let mut slug = base.clone();
            let mut n = 2;
            while store.list(&user.name, &slug, Some(user.id))?.is_some() {
                slug = format!("{base}-{n}");
                n += 1;
            }
            store.diary(|w| w.put_list(user.id, &slug, &list))?;
            Ok(slug)
        })
        .await?;
    Ok(see_other(&format!("/u/{name}/lists/{slug}")))
}

pub async fn edit_list_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((name, slug)): Path<(String, String)>,
) -> PageResult {
    let user = signed_in(&ctx)?;
    let mut page = state
        .read(move |state, store| {
            let list = own_list(store, &user, &name, &slug)?;
            let s = &list.summary;
            Ok(ListEditPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/u/{name}/lists/{slug}/edit"),
                    format!("Edit {}", s.name),
                    "Change a list.",
                ),
                action: format!("/u/{name}/lists/{slug}/edit"),
                name: s.name.clone(),
                description: s.description.clone().unwrap_or_default(),
                tags: s.tags.join(", "),
                ranked: s.ranked,
                private: s.private,
                films: list
                    .items
                    .iter()
                    .map(|i| match &i.note {
                        Some(note) => format!("{} | {note}", i.film.id),
                        None => i.film.id.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                error: None,
                existing: true,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

fn own_list(store: &Store, user: &User, name: &str, slug: &str) -> Result<DiaryList, Failure> {
    store
        .list(name, slug, Some(user.id))?
        .filter(|l| l.summary.owner_id == user.id)
        .ok_or_else(|| Failure::NotFound(format!("no list {slug:?} of yours")))
}

pub async fn edit_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((name, slug)): Path<(String, String)>,
    Form(form): Form<ListForm>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let to = format!("/u/{name}/lists/{slug}");
    state
        .write(move |_, store| {
            let current = own_list(store, &user, &name, &slug)?;
            let list = form.list(current.summary.created)?;
            store.diary(|w| w.put_list(user.id, &slug, &list))?;
            Ok(())
        })
        .await?;
    Ok(see_other(&to))
}

#[derive(Debug, Default, Deserialize)]
pub struct AddToList {
    /// The slug of one of the signed-in user's lists.
    #[serde(default)]
    pub list: String,
    #[serde(default)]
    pub film: String,
    #[serde(default)]
    pub note: String,
}

pub async fn add_to_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<AddToList>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let name = user.name.clone();
    let slug = form.list.clone();
    let to = format!("/u/{name}/lists/{slug}");
    state
        .write(move |_, store| {
            let current = own_list(store, &user, &name, &slug)?;
            let s = current.summary;
            let mut items: Vec<NewListItem> = current
                .items
                .into_iter()
                .map(|i| NewListItem {
                    film: i.film.id,
                    note: i.note,
                })
                .collect();
            let film = store
                .film(form.film.trim())?
                .ok_or_else(|| Failure::NotFound(format!("no film {:?}", form.film.trim())))?;
            if !items.iter().any(|i| i.film == film.film.id) {
                items.push(NewListItem {
                    film: film.film.id,
                    note: Some(form.note.trim().to_string()).filter(|n| !n.is_empty()),
                });
            }
            let list = NewList {
                name: s.name,
                description: s.description,
                ranked: s.ranked,
                private: s.private,
                tags: s.tags,
                created: s.created,
                items,
            };
            store.diary(|w| w.put_list(user.id, &slug, &list))?;
            Ok(())
        })
        .await?;
    Ok(see_other(&to))
}

pub async fn delete_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((name, slug)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let to = format!("/u/{name}/lists");
    state
        .write(move |_, store| {
            own_list(store, &user, &name, &slug)?;
            Ok(store.diary(|w| w.delete_list(user.id, &slug))?)
        })
        .await?;
    Ok(see_other(&to))
}

pub async fn like_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((name, slug)): Path<(String, String)>,
    Form(switch): Form<Switch>,
) -> Result<Response, PageError> {
    let user = signed_in(&ctx)?;
    let on = switch.on();
    let to = format!("/u/{name}/lists/{slug}");
    state
        .write(move |_, store| {
            let list = store
                .list(&name, &slug, Some(user.id))?
                .ok_or_else(|| Failure::NotFound(format!("no list {slug:?} of {name}")))?;
            Ok(store.diary(|w| w.like_list(user.id, list.summary.id, on))?)
        })
        .await?;
    Ok(see_other(&to))
}

// ------------------------------------------------------------------------------------------
// Award lists, computed from the catalog

#[derive(Template)]
#[template(path = "award_list.html")]
struct AwardListPage {
    meta: Meta,
    heading: String,
    about: String,
    films: Vec<AwardFilm>,
    progress: Option<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct AwardFilm {
    pub href: Option<String>,
    pub title: String,
    pub label: String,
    pub winner: bool,
    pub seen: bool,
}

/// How many of a list's films the reader has seen, of how many: `None` for a visitor.
type Progress = Option<(usize, usize)>;

/// The films of `nominations`, each once, in order, with what it was nominated for.
fn award_films(
    nominations: &[NominationView],
    label: impl Fn(&NominationView) -> String,
) -> Vec<(Option<String>, AwardFilm)> {
    let mut out: Vec<(Option<String>, AwardFilm)> = Vec::new();
    for n in nominations
        .iter()
        .filter(|n| n.counting.counts_as_nomination)
    {
        for film in &n.films {
            let key = film.id.clone().unwrap_or_else(|| film.name.clone());
            if let Some((_, known)) = out
                .iter_mut()
                .find(|(id, f)| id.as_deref().unwrap_or(&f.title) == key)
            {
                known.winner |= n.winner;
                continue;
            }
            out.push((
                film.id.clone(),
                AwardFilm {
                    href: film.id.as_ref().map(|id| format!("/films/{id}")),
                    title: film.name.clone(),
                    label: label(n),
                    winner: n.winner,
                    seen: false,
                },
            ));
        }
    }
    out
}

fn with_progress(
    store: &Store,
    viewer: Option<i64>,
    films: Vec<(Option<String>, AwardFilm)>,
) -> Result<(Vec<AwardFilm>, Progress), Failure> {
    let ids: Vec<String> = films.iter().filter_map(|(id, _)| id.clone()).collect();
    let Some(me) = viewer else {
        return Ok((films.into_iter().map(|(_, f)| f).collect(), None));
    };
    let seen = store.seen_films(me, &ids)?;
    let total = films.len();
    let films: Vec<AwardFilm> = films
        .into_iter()
        .map(|(id, mut f)| {
            f.seen = id.is_some_and(|id| seen.contains(&id));
            f
        })
        .collect();
    let count = films.iter().filter(|f| f.seen).count();
    Ok((films, Some((count, total))))
}

/// Every winner of a category: "Best Picture winners".
pub async fn category_winners(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((body, slug)): Path<(String, String)>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let history = store
                .category_history(&body, &slug)?
                .ok_or_else(|| Failure::NotFound(format!("no category {slug:?}")))?;
            let winners: Vec<NominationView> = history
                .nominations
                .iter()
                .filter(|n| n.winner)
                .cloned()
                .collect();
            let mut films = award_films(&winners, |n| {
                format!(
                    "{} ({})",
                    ceremony_title(&n.body, n.ceremony),
                    n.ceremony_years
                )
            });
            films.reverse();
            let (films, progress) = with_progress(store, viewer, films)?;
            let heading = format!("{} winners", category_label(&history.category.name));
            Ok(AwardListPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/awards/{body}/categories/{slug}/winners"),
                    heading.clone(),
                    format!(
                        "Every {} winner, oldest first, and how many you have seen.",
                        category_label(&history.category.name)
                    ),
                ),
                about: format!(
                    "{} films, from the {} data.",
                    films.len(),
                    history.body_name
                ),
                heading,
                films,
                progress,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}

/// Every film nominated at one ceremony: "97th Academy Awards nominees".
pub async fn ceremony_films(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((body, ordinal)): Path<(String, u32)>,
) -> PageResult {
    let viewer = viewer_id(&ctx);
    let mut page = state
        .read(move |state, store| {
            let results = store
                .ceremony(&body, ordinal)?
                .ok_or_else(|| Failure::NotFound(format!("no ceremony {ordinal} of {body:?}")))?;
            let nominations: Vec<NominationView> = results
                .categories
                .iter()
                .flat_map(|c| c.nominations.iter().cloned())
                .collect();
            let films = award_films(&nominations, |n| category_label(&n.category));
            let (films, progress) = with_progress(store, viewer, films)?;
            let heading = format!("{} nominees", ceremony_title(&body, ordinal));
            Ok(AwardListPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/awards/{body}/{ordinal}/films"),
                    heading.clone(),
                    format!(
                        "Every film nominated at the {}, and how many you have seen.",
                        ceremony_title(&body, ordinal)
                    ),
                ),
                about: format!("{} films nominated in competitive categories.", films.len()),
                heading,
                films,
                progress,
            })
        })
        .await?;
    page.meta = page.meta.with(&ctx);
    render(&page)
}
