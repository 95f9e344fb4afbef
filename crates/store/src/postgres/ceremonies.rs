//! Award listings in PostgreSQL: a body's ceremonies and categories, and one category's history
//! (`crate::sqlite::ceremonies` statement by statement).

use super::Sql;
use kinograph_catalog::{AwardClass, Category, CategoryHistory, Ceremony};

use super::PgBackend;
use super::read::{ceremony_row, int_column, nomination, text_column};
use crate::Result;
use crate::sqlite::ceremonies::newest_categories;

/// Each canonical category with the name (and class) of its newest nomination.
fn categories_in(client: &mut impl Sql, body: &str) -> Result<Vec<Category>> {
    // Grouped by the primary key, so the other columns of `ac` may be selected; ordered by it
    // as SQLite's GROUP BY returns them, since of two names at the same newest ceremony
    // `newest_categories` keeps the first.
    let rows = client
        .query(
            "SELECT ac.canonical, ac.name, ac.class, MAX(ce.ordinal)
             FROM award_categories ac
             JOIN award_bodies b ON b.pk = ac.body_pk
             JOIN nominations n ON n.category_pk = ac.pk
             JOIN ceremonies ce ON ce.pk = n.ceremony_pk
             WHERE b.id = $1 GROUP BY ac.pk ORDER BY ac.pk",
            &[&body],
        )?
        .iter()
        .map(|r| {
            let class: AwardClass = text_column(r, 2)?;
            let category = Category {
                canonical: r.try_get(0)?,
                name: r.try_get(1)?,
                class,
            };
            Ok((category, int_column::<u32>(r, 3)?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(newest_categories(rows))
}

impl PgBackend {
    pub(super) fn read_ceremonies(&self, body: &str) -> Result<Vec<Ceremony>> {
        let mut client = self.client();
        let ordinals = client
            .query(
                "SELECT ce.ordinal FROM ceremonies ce JOIN award_bodies b ON b.pk = ce.body_pk
                 WHERE b.id = $1 ORDER BY ce.ordinal DESC",
                &[&body],
            )?
            .iter()
            .map(|r| int_column::<u32>(r, 0))
            .collect::<Result<Vec<_>>>()?;
        let mut ceremonies = Vec::with_capacity(ordinals.len());
        for ordinal in ordinals {
            if let Some((_, _, ceremony)) = ceremony_row(&mut *client, body, ordinal)? {
                ceremonies.push(ceremony);
            }
        }
        Ok(ceremonies)
    }

    pub(super) fn read_categories(&self, body: &str) -> Result<Vec<Category>> {
        categories_in(&mut *self.client(), body)
    }

    pub(super) fn read_category_history(
        &self,
        body: &str,
        slug: &str,
    ) -> Result<Option<CategoryHistory>> {
        let mut client = self.client();
        let Some(category) = categories_in(&mut *client, body)?
            .into_iter()
            .find(|c| Category::slug(&c.canonical) == slug)
        else {
            return Ok(None);
        };
        let body_name: Option<String> = client
            .query_opt("SELECT name FROM award_bodies WHERE id = $1", &[&body])?
            .map(|r| r.try_get(0))
            .transpose()?;
        // `winner` is BOOLEAN: DESC puts winners first, as 1 before 0 did.
        let pks = client
            .query(
                "SELECT n.pk FROM nominations n
                 JOIN award_categories ac ON ac.pk = n.category_pk
                 JOIN award_bodies b ON b.pk = ac.body_pk
                 JOIN ceremonies ce ON ce.pk = n.ceremony_pk
                 WHERE b.id = $1 AND ac.canonical = $2
                 ORDER BY ce.ordinal DESC, n.winner DESC, n.pk",
                &[&body, &category.canonical],
            )?
            .iter()
            .map(|r| r.try_get::<_, i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        let nominations = pks
            .into_iter()
            .map(|pk| nomination(&mut *client, pk))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(CategoryHistory {
            body_name: body_name.unwrap_or_else(|| body.to_string()),
            category,
            nominations,
        }))
    }
}
