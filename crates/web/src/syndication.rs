//! `/feeds/{scope}/{key}/{atom|rss}`: the published essays of a publication, a writer, a tag,
//! or those naming a film or a person, as Atom 1.0 or RSS 2.0.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kinograph_publishing::{EditorialFilter, EssayState};
use kinograph_store::{CatalogRead, EditorialRead};

use crate::AppState;
use crate::error::{Failure, PageError};
use crate::feeds::{self, FeedInfo, FeedItem};

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
                other => {
                    return Err(Failure::NotFound(format!(
                        "no feeds of {other:?} (publication, writer, tag, film or person)"
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
