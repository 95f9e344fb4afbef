//! Essays in PostgreSQL, as the catalog reads them: by slug, or the published ones newest first
//! (`crate::sqlite::essays` statement by statement; the editorial workflow writes them).

use kinograph_catalog::{EssayMention, EssayRecord, EssaySummary, Provenance};
use postgres::Row;

use super::Sql;

use super::PgBackend;
use crate::sqlite::essays::{SUMMARY_COLUMNS, SummaryRow, summary};
use crate::{Error, EssayFilter, Result};

/// The summary columns that start at `first` (see [`SUMMARY_COLUMNS`]).
fn summary_row(r: &Row, first: usize) -> Result<SummaryRow> {
    Ok((
        r.try_get(first)?,
        r.try_get(first + 1)?,
        r.try_get(first + 2)?,
        r.try_get(first + 3)?,
        r.try_get(first + 4)?,
        r.try_get(first + 5)?,
    ))
}

pub(super) fn essay_in(client: &mut impl Sql, slug: &str) -> Result<Option<EssayRecord>> {
    let Some(r) = client.query_opt(
        &format!(
            "SELECT e.pk, e.body, e.dataset, e.locator, e.citation, {SUMMARY_COLUMNS}
             FROM essays e WHERE e.slug = $1"
        ),
        &[&slug],
    )?
    else {
        return Ok(None);
    };
    let pk: i64 = r.try_get(0)?;
    let body: String = r.try_get(1)?;
    let source = Provenance {
        dataset: r.try_get(2)?,
        locator: r.try_get(3)?,
        citation: r.try_get(4)?,
    };
    let summary = summary(summary_row(&r, 5)?)?;
    let mentions = client
        .query(
            "SELECT entity_kind, entity_id FROM essay_mentions WHERE essay_pk = $1
             ORDER BY entity_kind, entity_id",
            &[&pk],
        )?
        .iter()
        .map(|r| {
            let kind: String = r.try_get(0)?;
            let id: String = r.try_get(1)?;
            let kind = kind.parse().map_err(|detail| Error::Corrupt {
                what: "essay mention kind",
                detail,
            })?;
            Ok(EssayMention { kind, id })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(EssayRecord {
        slug: summary.slug,
        title: summary.title,
        subtitle: summary.subtitle,
        author: summary.author,
        tags: summary.tags,
        published: summary.published,
        body,
        mentions,
        source,
    }))
}

impl PgBackend {
    pub(super) fn read_essay(&self, slug: &str) -> Result<Option<EssayRecord>> {
        essay_in(&mut *self.client(), slug)
    }

    /// Newest first; an essay without a date sorts last, where SQLite puts NULL in a
    /// descending order.
    pub(super) fn read_essays(&self, filter: &EssayFilter) -> Result<Vec<EssaySummary>> {
        let limit = i64::from(filter.limit.max(1));
        let mut client = self.client();
        let rows = match &filter.mentioning {
            None => client.query(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM essays e WHERE e.state IN ('published', 'corrected')
                     ORDER BY e.published DESC NULLS LAST, e.slug LIMIT $1"
                ),
                &[&limit],
            )?,
            Some(id) => client.query(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM essays e
                     WHERE e.state IN ('published', 'corrected')
                       AND e.pk IN (SELECT essay_pk FROM essay_mentions WHERE entity_id = $1)
                     ORDER BY e.published DESC NULLS LAST, e.slug LIMIT $2"
                ),
                &[id, &limit],
            )?,
        };
        rows.iter().map(|r| summary(summary_row(r, 0)?)).collect()
    }
}
