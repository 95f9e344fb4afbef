//! `/feeds/{scope}/{key}/{atom|rss}`: the published essays of a publication, a writer, a tag,
//! or those naming a film or a person; or a member's public diary (`/feeds/member/{name}/…`);
//! as Atom 1.0 or RSS 2.0.
//!
//! Feeds are public: a member's feed is read as an anonymous visitor would read the diary, so a
//! private entry is never in it, whoever asks.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kinograph_diary::{Viewing, ViewingQuery};
use kinograph_publishing::{EditorialFilter, EssayState};
use kinograph_store::{CatalogRead, DiaryRead, EditorialRead};

use crate::AppState;
use crate::error::{Failure, PageError};
use crate::feeds::{self, FeedInfo, FeedItem};
use crate::state::Site;

/// Items in a feed: readers poll often; fifty is weeks of a magazine.
const FEED_ITEMS: u32 = 50;

pub async fn feed(
    State(state): State<AppState>,
    Path((scope, key, format)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    if format != "atom" && format != "rss" {
        return Err(Failure::NotFound(format!("no feed format {format:?} (atom or rss)")).into());
    }
    let (info, items) = state
        .read(move |state, store| {
            let mut filter = EditorialFilter {
                states: vec![EssayState::Published, EssayState::Corrected],
                limit: FEED_ITEMS,
                ..EditorialFilter::default()
            };
            let missing = || Failure::NotFound(format!("no {scope} {key:?}"));
            // A member's diary: their public entries, newest first.
            let mut diary_of = None;
            let (title, description, page) = match scope.as_str() {
                "publication" => {
                    let (publication, _) = store.publication(&key)?.ok_or_else(missing)?;
                    filter.publication = Some(key.clone());
                    (
                        publication.name,
                        publication.description,
                        format!("/publications/{key}"),
                    )
                }
                "writer" => {
                    let writer = store.user(&key)?.ok_or_else(missing)?;
                    filter.author = Some(key.clone());
                    (
                        format!("Essays by {}", writer.display_name),
                        format!("Film essays by {}.", writer.display_name),
                        format!("/writers/{key}"),
                    )
                }
                "tag" => {
                    filter.tag = Some(key.to_lowercase());
                    (
                        format!("Essays tagged “{key}”"),
                        format!("Film essays tagged “{key}”."),
                        format!("/essays?tag={}", key.replace(' ', "+")),
                    )
                }
                "film" => {
                    let film = store.film(&key)?.ok_or_else(missing)?;
                    filter.mentioning = Some(film.film.id.clone());
                    (
                        format!("Essays on {}", film.film.title),
                        format!("Essays that discuss {}.", film.film.title),
                        format!("/films/{}", film.film.id),
                    )
                }
                "person" => {
                    let person = store.person(&key)?.ok_or_else(missing)?;
                    filter.mentioning = Some(person.id.clone());
                    (
                        format!("Essays on {}", person.name),
                        format!("Essays that discuss {}.", person.name),
                        format!("/people/{}", person.id),
                    )
                }
                "member" => {
                    let member = store.user(&key)?.ok_or_else(missing)?;
                    diary_of = Some(member.clone());
                    (
                        format!("{}’s diary", member.display_name),
                        format!(
                            "The films {} has logged on Kinograph, with their ratings and reviews.",
                            member.display_name
                        ),
                        format!("/u/{}", member.name),
                    )
                }
                other => {
                    return Err(Failure::NotFound(format!(
                        "no feeds of {other:?} (publication, writer, tag, film, person or member)"
                    )));
                }
            };
            let site = state.site();
            let base = format!("/feeds/{scope}/{key}");
            let info = FeedInfo {
                title,
                description,
                page_url: site.url(&page),
                atom_url: site.url(&format!("{base}/atom")),
                rss_url: site.url(&format!("{base}/rss")),
            };
            if let Some(member) = diary_of {
                // Anonymous on purpose (`viewer: None`): feeds are public, so only public
                // entries, even when the owner is the one reading the feed.
                let items = store
                    .viewings(&ViewingQuery {
                        viewer: None,
                        owner: Some(member.name.clone()),
                        limit: FEED_ITEMS,
                        ..ViewingQuery::default()
                    })?
                    .iter()
                    .filter(|v| !v.private)
                    .map(|v| diary_item(v, &member.display_name, site))
                    .collect::<Vec<_>>();
                return Ok((info, items));
            }
            let items = store
                .essay_heads(&filter)?
                .into_iter()
                .filter_map(|head| {
                    Some(FeedItem {
                        url: site.url(&format!("/essays/{}", head.slug)),
                        published: head.published?,
                        title: head.title,
                        author: head.author_name,
                        updated: head.updated,
                        summary: head.subtitle.unwrap_or_default(),
                        content_html: None,
                        categories: head.tags,
                    })
                })
                .collect::<Vec<_>>();
            Ok((info, items))
        })
        .await?;
    Ok(if format == "atom" {
        (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            feeds::atom(&info, &items),
        )
            .into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
            feeds::rss(&info, &items),
        )
            .into_response()
    })
}

/// A diary entry as a feed item: "Anora (2024) ★★★★½", its review as HTML (a warning instead
/// when the review gives the plot away), linking to the entry's page.
fn diary_item(v: &Viewing, author: &str, site: &Site) -> FeedItem {
    let film = match v.film.year {
        Some(year) => format!("{} ({year})", v.film.title),
        None => v.film.title.clone(),
    };
    let mut title = film.clone();
    if let Some(rating) = v.rating {
        title.push(' ');
        title.push_str(&rating.glyphs());
    }
    let url = site.url(&format!("/u/{}/reviews/{}", v.user, v.id));
    let day = v.day();
    let seen = match v.watched {
        Some(watched) => format!(
            "{author} {} {film} on {watched}",
            if v.rewatch { "rewatched" } else { "watched" }
        ),
        None => format!("{author} logged {film} on {}", v.logged),
    };
    let rated = v
        .rating
        .map(|r| format!(" and rated it {r} out of 5"))
        .unwrap_or_default();
    let review = v.review.as_deref().filter(|r| !r.trim().is_empty());
    let (summary, content_html) = match review {
        None => (format!("{seen}{rated}."), None),
        Some(_) if v.spoilers => (
            format!("{seen}{rated}. The review gives the plot away: read it on Kinograph."),
            Some(format!(
                "<p><strong>This review contains spoilers.</strong> <a href=\"{}\">Read it on Kinograph</a>.</p>",
                crate::annotate::escape(&url)
            )),
        ),
        Some(text) => (
            format!("{seen}{rated}."),
            Some(crate::diary::review_html(text)),
        ),
    };
    FeedItem {
        title,
        url,
        author: author.to_string(),
        published: day,
        updated: None,
        summary,
        content_html,
        categories: v.tags.clone(),
    }
}
