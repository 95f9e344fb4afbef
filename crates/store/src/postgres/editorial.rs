//! Accounts, publications and the editorial workflow in PostgreSQL.
//!
//! Sessions and API tokens (their hashes) live in the database, so any node can serve a
//! logged-in user. Every edit batch holds the change log's advisory lock from its first
//! statement (`super::lock_change_log`), so edit batches run one at a time across nodes and a
//! check followed by an insert (a taken user name, a free essay slug) cannot race.

use chrono::NaiveDate;
use kinograph_catalog::Outcome;
use kinograph_publishing::{
    AuditEntry, ClaimKey, Correction, EditorialFilter, EssayHead, EssayState, Member, NewRevision,
    NewUser, Override, Publication, Revision, Role, User,
};
use postgres::Row;

use super::{Sql, Tx};

use super::PgBackend;
use crate::columns::to_json_list;
use crate::sqlite::editorial::{
    HeadRow, RevisionRow, claims_json, head, links_from_json, links_json, parsed, revision, user,
};
use crate::{EditorialRead, EditorialWrite, Error, Result};

/// Now, in the ISO form every timestamp column holds (SQLite's `strftime('%Y-%m-%dT%H:%M:%SZ',
/// 'now')`).
const NOW: &str = r#"to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#;

/// A BIGINT column read back as the `u32` the records hold (rusqlite converted on `get`).
fn small(what: &'static str, value: i64) -> Result<u32> {
    u32::try_from(value).map_err(|_| Error::Corrupt {
        what,
        detail: format!("{value} is out of range"),
    })
}

const USER_COLUMNS: &str = "u.pk, u.name, u.display_name, u.role, u.created_at";

fn user_from(r: &Row) -> Result<User> {
    user((
        r.try_get(0)?,
        r.try_get(1)?,
        r.try_get(2)?,
        r.try_get(3)?,
        r.try_get(4)?,
    ))
}

fn one_user(client: &mut impl Sql, sql: &str, key: &str) -> Result<Option<User>> {
    client
        .query_opt(sql, &[&key])?
        .map(|r| user_from(&r))
        .transpose()
}

fn essay_pk(client: &mut impl Sql, slug: &str) -> Result<i64> {
    client
        .query_opt("SELECT pk FROM essays WHERE slug = $1", &[&slug])?
        .map(|r| r.try_get(0))
        .transpose()?
        .ok_or_else(|| Error::UnknownEntity {
            kind: "essay",
            id: slug.to_string(),
        })
}

/// Appends the essay to the search change log (a published one is indexed, an unpublished
/// one removed), in the same transaction as the change. The edit batch already holds the
/// change log's lock.
fn essay_changed(client: &mut impl Sql, pk: i64) -> Result<()> {
    client.execute(
        "INSERT INTO search_changes (entity_kind, entity_pk) VALUES ('essay', $1)",
        &[&pk],
    )?;
    Ok(())
}

pub(super) struct EditorialWriter<'t, 'c> {
    tx: &'t mut Tx<'c>,
}

impl<'t, 'c> EditorialWriter<'t, 'c> {
    pub(super) fn new(tx: &'t mut Tx<'c>) -> Self {
        EditorialWriter { tx }
    }
}

impl EditorialWrite for EditorialWriter<'_, '_> {
    fn create_user(&mut self, new: &NewUser) -> Result<User> {
        // Checked first: a failed INSERT would abort the whole transaction.
        let taken: bool = self
            .tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM users WHERE name = $1)",
                &[&new.name],
            )?
            .try_get(0)?;
        if taken {
            return Err(Error::Taken(format!(
                "the user name {:?} is taken",
                new.name
            )));
        }
        let row = self.tx.query_one(
            &format!(
                "INSERT INTO users AS u (name, display_name, role, password_hash)
                 VALUES ($1, $2, $3, $4)
                 RETURNING {USER_COLUMNS}"
            ),
            &[
                &new.name,
                &new.display_name,
                &new.role.as_str(),
                &new.password_hash,
            ],
        )?;
        user_from(&row)
    }

    fn set_password(&mut self, user: i64, hash: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET password_hash = $2 WHERE pk = $1",
            &[&user, &hash],
        )?;
        Ok(())
    }

    fn set_role(&mut self, user: i64, role: Role) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET role = $2 WHERE pk = $1",
            &[&user, &role.as_str()],
        )?;
        Ok(())
    }

    fn create_session(&mut self, user: i64, token_hash: &str, days: u32) -> Result<()> {
        // make_interval takes an int; more days than that would not fit a timestamp anyway.
        let days = i32::try_from(days)
            .map_err(|_| Error::Rejected(format!("a session of {days} days is too long")))?;
        // The days are added to UTC time (no daylight saving shifts), as SQLite's '+N days'.
        self.tx.execute(
            r#"INSERT INTO sessions (token_hash, user_pk, expires_at)
               VALUES ($1, $2, to_char((now() AT TIME ZONE 'UTC') + make_interval(days => $3::int),
                                       'YYYY-MM-DD"T"HH24:MI:SS"Z"'))"#,
            &[&token_hash, &user, &days],
        )?;
        Ok(())
    }

    fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        self.tx
            .execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])?;
        Ok(())
    }

    fn delete_sessions_of(&mut self, user: i64, keep: Option<&str>) -> Result<()> {
        self.tx.execute(
            "DELETE FROM sessions WHERE user_pk = $1 AND ($2::TEXT IS NULL OR token_hash <> $2)",
            &[&user, &keep],
        )?;
        Ok(())
    }

    fn create_api_token(&mut self, user: i64, name: &str, token_hash: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO api_tokens (user_pk, name, token_hash) VALUES ($1, $2, $3)",
            &[&user, &name, &token_hash],
        )?;
        Ok(())
    }

    fn put_publication(&mut self, p: &Publication) -> Result<Outcome> {
        let links = links_json(&p.links)?;
        let existing: Option<(String, String, String)> = self
            .tx
            .query_opt(
                "SELECT name, description, links FROM publications WHERE slug = $1",
                &[&p.slug],
            )?
            .map(|r| -> Result<_> { Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)) })
            .transpose()?;
        if existing.as_ref() == Some(&(p.name.clone(), p.description.clone(), links.clone())) {
            return Ok(Outcome::Unchanged);
        }
        self.tx.execute(
            "INSERT INTO publications (slug, name, description, links) VALUES ($1, $2, $3, $4)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
               description = excluded.description, links = excluded.links",
            &[&p.slug, &p.name, &p.description, &links],
        )?;
        Ok(if existing.is_some() {
            Outcome::Updated
        } else {
            Outcome::New
        })
    }

    fn add_member(&mut self, publication: &str, user: i64, role: Role) -> Result<()> {
        // The casts: parameters in a SELECT list take no type from the INSERT's columns.
        let changed = self.tx.execute(
            "INSERT INTO publication_members (publication_pk, user_pk, role)
             SELECT pk, $2::BIGINT, $3::TEXT FROM publications WHERE slug = $1
             ON CONFLICT (publication_pk, user_pk) DO UPDATE SET role = excluded.role",
            &[&publication, &user, &role.as_str()],
        )?;
        if changed == 0 {
            return Err(Error::UnknownEntity {
                kind: "publication",
                id: publication.to_string(),
            });
        }
        Ok(())
    }

    fn create_essay(
        &mut self,
        slug: &str,
        author: Option<i64>,
        author_name: &str,
        publication: Option<&str>,
    ) -> Result<String> {
        let publication_pk: Option<i64> = match publication {
            None => None,
            Some(p) => Some(
                self.tx
                    .query_opt("SELECT pk FROM publications WHERE slug = $1", &[&p])?
                    .map(|r| r.try_get(0))
                    .transpose()?
                    .ok_or_else(|| Error::UnknownEntity {
                        kind: "publication",
                        id: p.to_string(),
                    })?,
            ),
        };
        let mut candidate = slug.to_string();
        let mut n = 1;
        loop {
            let taken: bool = self
                .tx
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM essays WHERE slug = $1)",
                    &[&candidate],
                )?
                .try_get(0)?;
            if !taken {
                break;
            }
            n += 1;
            candidate = format!("{slug}-{n}");
        }
        self.tx.execute(
            &format!(
                "INSERT INTO essays (slug, title, author, body, dataset, state, author_pk,
                                     publication_pk, updated_at)
                 VALUES ($1, '', $2, '', 'kinograph', 'draft', $3, $4, {NOW})"
            ),
            &[&candidate, &author_name, &author, &publication_pk],
        )?;
        Ok(candidate)
    }

    fn add_revision(&mut self, slug: &str, r: &NewRevision) -> Result<u32> {
        let pk = essay_pk(self.tx, slug)?;
        let number: i64 = self
            .tx
            .query_one(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM essay_revisions WHERE essay_pk = $1",
                &[&pk],
            )?
            .try_get(0)?;
        let tags = to_json_list(&r.tags);
        self.tx.execute(
            "INSERT INTO essay_revisions (essay_pk, number, title, subtitle, tags, spoilers, body,
                 user_pk, note, supported, contradicted, unverifiable)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &pk,
                &number,
                &r.title,
                &r.subtitle,
                &tags,
                &r.spoilers,
                &r.body,
                &r.by,
                &r.note,
                &i64::from(r.check.supported),
                &claims_json(&r.check.contradicted),
                &i64::from(r.check.unverifiable),
            ],
        )?;
        self.tx.execute(
            &format!(
                "UPDATE essays SET title = $2, subtitle = $3, tags = $4, spoilers = $5, body = $6,
                     revision = $7, updated_at = {NOW}
                 WHERE pk = $1"
            ),
            &[
                &pk,
                &r.title,
                &r.subtitle,
                &tags,
                &r.spoilers,
                &r.body,
                &number,
            ],
        )?;
        self.tx
            .execute("DELETE FROM essay_mentions WHERE essay_pk = $1", &[&pk])?;
        for mention in &r.mentions {
            self.tx.execute(
                "INSERT INTO essay_mentions (essay_pk, entity_kind, entity_id) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                &[&pk, &mention.kind.as_str(), &mention.id],
            )?;
        }
        essay_changed(self.tx, pk)?;
        small("essay revision number", number)
    }

    fn set_state(&mut self, slug: &str, state: EssayState) -> Result<()> {
        let pk = essay_pk(self.tx, slug)?;
        self.tx.execute(
            &format!(
                "UPDATE essays SET state = $2,
                     published = CASE WHEN $2::TEXT IN ('published', 'corrected') AND published IS NULL
                                      THEN to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                                      ELSE published END,
                     updated_at = {NOW}
                 WHERE pk = $1"
            ),
            &[&pk, &state.as_str()],
        )?;
        essay_changed(self.tx, pk)
    }

    fn set_published_date(&mut self, slug: &str, date: NaiveDate) -> Result<()> {
        let pk = essay_pk(self.tx, slug)?;
        self.tx.execute(
            "UPDATE essays SET published = $2 WHERE pk = $1",
            &[&pk, &date.format("%Y-%m-%d").to_string()],
        )?;
        Ok(())
    }

    fn add_override(&mut self, slug: &str, claim: &ClaimKey, reason: &str, by: i64) -> Result<()> {
        let pk = essay_pk(self.tx, slug)?;
        self.tx.execute(
            "INSERT INTO claim_overrides (essay_pk, kind, text, reason, user_pk)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (essay_pk, kind, text) DO UPDATE SET reason = excluded.reason,
               user_pk = excluded.user_pk, created_at = excluded.created_at",
            &[&pk, &claim.kind, &claim.text, &reason, &by],
        )?;
        Ok(())
    }

    fn add_correction(&mut self, slug: &str, revision: u32, note: &str, by: i64) -> Result<()> {
        let pk = essay_pk(self.tx, slug)?;
        self.tx.execute(
            "INSERT INTO corrections (essay_pk, revision, note, user_pk) VALUES ($1, $2, $3, $4)",
            &[&pk, &i64::from(revision), &note, &by],
        )?;
        Ok(())
    }

    fn audit(
        &mut self,
        actor: Option<i64>,
        action: &str,
        object: &str,
        detail: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO audit_log (user_pk, action, object, detail) VALUES ($1, $2, $3, $4)",
            &[&actor, &action, &object, &detail],
        )?;
        Ok(())
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }
}

const HEAD_COLUMNS: &str = "e.slug, e.title, e.subtitle, e.tags, e.state, u.name, e.author,
    p.slug, p.name, e.spoilers, e.published, e.revision, e.updated_at";

const HEAD_FROM: &str = "FROM essays e
    LEFT JOIN users u ON u.pk = e.author_pk
    LEFT JOIN publications p ON p.pk = e.publication_pk";

fn head_from(r: &Row) -> Result<EssayHead> {
    let row: HeadRow = (
        (
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
        ),
        (r.try_get(5)?, r.try_get(6)?, r.try_get(7)?, r.try_get(8)?),
        (
            r.try_get(9)?,
            r.try_get(10)?,
            small("essay revision number", r.try_get(11)?)?,
            r.try_get(12)?,
        ),
    );
    head(row)
}

fn publications(client: &mut impl Sql) -> Result<Vec<Publication>> {
    client
        .query(
            "SELECT slug, name, description, links FROM publications ORDER BY name",
            &[],
        )?
        .iter()
        .map(|r| {
            let links: String = r.try_get(3)?;
            Ok(Publication {
                slug: r.try_get(0)?,
                name: r.try_get(1)?,
                description: r.try_get(2)?,
                links: links_from_json(&links)?,
            })
        })
        .collect()
}

impl EditorialRead for PgBackend {
    fn user(&self, name: &str) -> Result<Option<User>> {
        one_user(
            &mut *self.client(),
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1"),
            name,
        )
    }

    fn password_hash(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .client()
            .query_opt("SELECT password_hash FROM users WHERE name = $1", &[&name])?
            .map(|r| r.try_get::<_, Option<String>>(0))
            .transpose()?
            .flatten())
    }

    fn users(&self) -> Result<Vec<User>> {
        self.client()
            .query(
                &format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"),
                &[],
            )?
            .iter()
            .map(user_from)
            .collect()
    }

    fn session_user(&self, token_hash: &str) -> Result<Option<User>> {
        // Expiry compared as ISO text, as in SQLite, so every node reads the same sessions.
        one_user(
            &mut *self.client(),
            &format!(
                "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.pk = s.user_pk
                 WHERE s.token_hash = $1 AND s.expires_at > {NOW}"
            ),
            token_hash,
        )
    }

    fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        one_user(
            &mut *self.client(),
            &format!(
                "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.pk = t.user_pk
                 WHERE t.token_hash = $1"
            ),
            token_hash,
        )
    }

    fn publication(&self, slug: &str) -> Result<Option<(Publication, Vec<Member>)>> {
        let mut client = self.client();
        let Some(publication) = publications(&mut *client)?
            .into_iter()
            .find(|p| p.slug == slug)
        else {
            return Ok(None);
        };
        let members = client
            .query(
                "SELECT u.name, u.display_name, m.role FROM publication_members m
                 JOIN publications p ON p.pk = m.publication_pk JOIN users u ON u.pk = m.user_pk
                 WHERE p.slug = $1 ORDER BY u.display_name",
                &[&slug],
            )?
            .iter()
            .map(|r| {
                let role: String = r.try_get(2)?;
                Ok(Member {
                    user: r.try_get(0)?,
                    display_name: r.try_get(1)?,
                    role: parsed("member role", &role)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some((publication, members)))
    }

    fn publications(&self) -> Result<Vec<Publication>> {
        publications(&mut *self.client())
    }

    fn essay_head(&self, slug: &str) -> Result<Option<EssayHead>> {
        self.client()
            .query_opt(
                &format!("SELECT {HEAD_COLUMNS} {HEAD_FROM} WHERE e.slug = $1"),
                &[&slug],
            )?
            .map(|r| head_from(&r))
            .transpose()
    }

    fn essay_heads(&self, filter: &EditorialFilter) -> Result<Vec<EssayHead>> {
        // An empty list of states means any state.
        let states: Vec<String> = filter
            .states
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        // updated_at can be NULL: NULLS LAST keeps SQLite's descending order.
        let sql = format!(
            "SELECT {HEAD_COLUMNS} {HEAD_FROM}
             WHERE ($1::TEXT IS NULL OR u.name = $1)
               AND (cardinality($2::TEXT[]) = 0 OR e.state = ANY($2))
               AND ($3::TEXT IS NULL OR p.slug = $3)
               AND ($4::TEXT IS NULL OR EXISTS (
                     SELECT 1 FROM jsonb_array_elements_text(e.tags::jsonb) AS t(value)
                     WHERE t.value = $4))
               AND ($5::TEXT IS NULL
                    OR e.pk IN (SELECT essay_pk FROM essay_mentions WHERE entity_id = $5))
             ORDER BY COALESCE(e.published, '') DESC, e.updated_at DESC NULLS LAST, e.slug
             LIMIT $6"
        );
        self.client()
            .query(
                &sql,
                &[
                    &filter.author,
                    &states,
                    &filter.publication,
                    &filter.tag,
                    &filter.mentioning,
                    &i64::from(filter.limit.max(1)),
                ],
            )?
            .iter()
            .map(head_from)
            .collect()
    }

    fn revisions(&self, slug: &str) -> Result<Vec<Revision>> {
        self.client()
            .query(
                "SELECT r.number, r.title, r.subtitle, r.tags, r.spoilers, r.body, u.name, r.note,
                        r.supported, r.contradicted, r.unverifiable, r.created_at
                 FROM essay_revisions r JOIN essays e ON e.pk = r.essay_pk
                 LEFT JOIN users u ON u.pk = r.user_pk
                 WHERE e.slug = $1 ORDER BY r.number",
                &[&slug],
            )?
            .iter()
            .map(|r| {
                let row: RevisionRow = (
                    (
                        small("essay revision number", r.try_get(0)?)?,
                        r.try_get(1)?,
                        r.try_get(2)?,
                        r.try_get(3)?,
                        r.try_get(4)?,
                        r.try_get(5)?,
                    ),
                    (
                        r.try_get(6)?,
                        r.try_get(7)?,
                        small("supported claims", r.try_get(8)?)?,
                        r.try_get(9)?,
                        small("unverifiable claims", r.try_get(10)?)?,
                        r.try_get(11)?,
                    ),
                );
                revision(row)
            })
            .collect()
    }

    fn overrides(&self, slug: &str) -> Result<Vec<Override>> {
        self.client()
            .query(
                "SELECT o.kind, o.text, o.reason, u.name, o.created_at FROM claim_overrides o
                 JOIN essays e ON e.pk = o.essay_pk LEFT JOIN users u ON u.pk = o.user_pk
                 WHERE e.slug = $1 ORDER BY o.created_at",
                &[&slug],
            )?
            .iter()
            .map(|r| {
                Ok(Override {
                    claim: ClaimKey {
                        kind: r.try_get(0)?,
                        text: r.try_get(1)?,
                    },
                    reason: r.try_get(2)?,
                    by: r.try_get(3)?,
                    created: r.try_get(4)?,
                })
            })
            .collect()
    }

    fn corrections(&self, slug: &str) -> Result<Vec<Correction>> {
        self.client()
            .query(
                "SELECT c.revision, c.note, u.name, c.created_at FROM corrections c
                 JOIN essays e ON e.pk = c.essay_pk LEFT JOIN users u ON u.pk = c.user_pk
                 WHERE e.slug = $1 ORDER BY c.pk",
                &[&slug],
            )?
            .iter()
            .map(|r| {
                Ok(Correction {
                    revision: small("corrected revision", r.try_get(0)?)?,
                    note: r.try_get(1)?,
                    by: r.try_get(2)?,
                    created: r.try_get(3)?,
                })
            })
            .collect()
    }

    fn audit_log(&self, object: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
        self.client()
            .query(
                "SELECT a.at, u.name, a.action, a.object, a.detail FROM audit_log a
                 LEFT JOIN users u ON u.pk = a.user_pk
                 WHERE $1::TEXT IS NULL OR a.object = $1 ORDER BY a.pk DESC LIMIT $2",
                &[&object, &i64::from(limit.max(1))],
            )?
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    object: r.try_get(3)?,
                    detail: r.try_get(4)?,
                })
            })
            .collect()
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .client()
            .query_opt("SELECT value FROM settings WHERE key = $1", &[&key])?
            .map(|r| r.try_get(0))
            .transpose()?)
    }
}
