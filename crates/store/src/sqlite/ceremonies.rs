//! Award listings in SQLite: a body's ceremonies and categories, and one category's history.

use std::collections::HashMap;

use kinograph_catalog::{AwardClass, Category, CategoryHistory, Ceremony};
use rusqlite::{OptionalExtension, params};

use super::SqliteBackend;
use super::read::text_column;
use crate::Result;

/// Of the rows (a category as named, the newest ceremony it was named so at), one per canonical
/// category, the newest name: competitive categories first, then by canonical name.
pub(crate) fn newest_categories(rows: Vec<(Category, u32)>) -> Vec<Category> {
    let mut newest: HashMap<String, (Category, u32)> = HashMap::new();
    for (category, latest) in rows {
        match newest.get(&category.canonical) {
            Some((_, seen)) if *seen >= latest => {}
            _ => {
                newest.insert(category.canonical.clone(), (category, latest));
            }
        }
    }
    let mut categories: Vec<Category> = newest.into_values().map(|(c, _)| c).collect();
    categories.sort_by(|a, b| {
        (!a.class.is_competitive(), &a.canonical).cmp(&(!b.class.is_competitive(), &b.canonical))
    });
    categories
}

impl SqliteBackend {
    pub(super) fn read_ceremonies(&self, body: &str) -> Result<Vec<Ceremony>> {
        let ordinals = self
            .conn
            .prepare_cached(
                "SELECT ce.ordinal FROM ceremonies ce JOIN award_bodies b ON b.pk = ce.body_pk
                 WHERE b.id = ?1 ORDER BY ce.ordinal DESC",
            )?
            .query_map([body], |r| r.get::<_, u32>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut ceremonies = Vec::with_capacity(ordinals.len());
        for ordinal in ordinals {
            if let Some((_, _, ceremony)) = self.ceremony_row(body, ordinal)? {
                ceremonies.push(ceremony);
            }
        }
        Ok(ceremonies)
    }

    /// Each canonical category with the name (and class) of its newest nomination.
    pub(super) fn read_categories(&self, body: &str) -> Result<Vec<Category>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT ac.canonical, ac.name, ac.class, MAX(ce.ordinal)
                 FROM award_categories ac
                 JOIN award_bodies b ON b.pk = ac.body_pk
                 JOIN nominations n ON n.category_pk = ac.pk
                 JOIN ceremonies ce ON ce.pk = n.ceremony_pk
                 WHERE b.id = ?1 GROUP BY ac.pk",
            )?
            .query_map([body], |r| {
                let class: AwardClass = text_column(r, 2)?;
                let category = Category {
                    canonical: r.get(0)?,
                    name: r.get(1)?,
                    class,
                };
                Ok((category, r.get::<_, u32>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(newest_categories(rows))
    }

    pub(super) fn read_category_history(
        &self,
        body: &str,
        slug: &str,
    ) -> Result<Option<CategoryHistory>> {
        let Some(category) = self
            .read_categories(body)?
            .into_iter()
            .find(|c| Category::slug(&c.canonical) == slug)
        else {
            return Ok(None);
        };
        let body_name: Option<String> = self
            .conn
            .query_row("SELECT name FROM award_bodies WHERE id = ?1", [body], |r| {
                r.get(0)
            })
            .optional()?;
        let pks = self
            .conn
            .prepare_cached(
                "SELECT n.pk FROM nominations n
                 JOIN award_categories ac ON ac.pk = n.category_pk
                 JOIN award_bodies b ON b.pk = ac.body_pk
                 JOIN ceremonies ce ON ce.pk = n.ceremony_pk
                 WHERE b.id = ?1 AND ac.canonical = ?2
                 ORDER BY ce.ordinal DESC, n.winner DESC, n.pk",
            )?
            .query_map(params![body, category.canonical], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let nominations = pks
            .into_iter()
            .map(|pk| self.nomination(pk))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(CategoryHistory {
            body_name: body_name.unwrap_or_else(|| body.to_string()),
            category,
            nominations,
        }))
    }
}
