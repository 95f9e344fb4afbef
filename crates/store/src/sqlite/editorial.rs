//! Accounts, publications and the editorial workflow in SQLite.

use chrono::NaiveDate;
use kinograph_catalog::Outcome;
use kinograph_publishing::{
    AuditEntry, ClaimKey, Correction, EditorialFilter, EssayHead, EssayState, Member, NewRevision,
    NewUser, Override, Publication, Revision, RevisionCheck, Role, User,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteBackend, json_list, to_json_list};
use crate::{EditorialRead, EditorialWrite, Error, Result};

pub(crate) fn parsed<T: std::str::FromStr<Err = String>>(
    what: &'static str,
    text: &str,
) -> Result<T> {
    text.parse()
        .map_err(|detail| Error::Corrupt { what, detail })
}

const USER_COLUMNS: &str = "u.pk, u.name, u.display_name, u.role, u.created_at";

fn user_row(r: &Row<'_>) -> rusqlite::Result<(i64, String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

/// A user from its row: `USER_COLUMNS` in order.
pub(crate) fn user(
    (id, name, display_name, role, created): (i64, String, String, String, String),
) -> Result<User> {
    Ok(User {
        id,
        name,
        display_name,
        role: parsed("user role", &role)?,
        created,
    })
}

fn one_user(conn: &Connection, sql: &str, key: &str) -> Result<Option<User>> {
    conn.prepare_cached(sql)?
        .query_row([key], user_row)
        .optional()?
        .map(user)
        .transpose()
}

pub(crate) fn claims_json(claims: &[ClaimKey]) -> String {
    serde_json::Value::from(
        claims
            .iter()
            .map(|c| serde_json::json!([c.kind, c.text]))
            .collect::<Vec<_>>(),
    )
    .to_string()
}

pub(crate) fn claims_from_json(text: &str) -> Result<Vec<ClaimKey>> {
    let pairs: Vec<(String, String)> = serde_json::from_str(text).map_err(|e| Error::Corrupt {
        what: "contradicted claims",
        detail: e.to_string(),
    })?;
    Ok(pairs
        .into_iter()
        .map(|(kind, text)| ClaimKey { kind, text })
        .collect())
}

/// A publication's links as stored (JSON `[[label, url], …]`).
pub(crate) fn links_json(links: &[(String, String)]) -> Result<String> {
    serde_json::to_string(links).map_err(|e| Error::Rejected(e.to_string()))
}

pub(crate) fn links_from_json(text: &str) -> Result<Vec<(String, String)>> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt {
        what: "publication links",
        detail: e.to_string(),
    })
}

fn essay_pk(conn: &Connection, slug: &str) -> Result<i64> {
    conn.prepare_cached("SELECT pk FROM essays WHERE slug = ?1")?
        .query_row([slug], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::UnknownEntity {
            kind: "essay",
            id: slug.to_string(),
        })
}

/// Appends the essay to the search change log (a published one is indexed, an unpublished
/// one removed), in the same transaction as the change.
fn essay_changed(conn: &Connection, pk: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO search_changes (entity_kind, entity_pk) VALUES ('essay', ?1)",
    )?
    .execute([pk])?;
    Ok(())
}

pub(super) struct EditorialWriter<'c> {
    conn: &'c Connection,
}

impl<'c> EditorialWriter<'c> {
    pub(super) fn new(conn: &'c Connection) -> Self {
        EditorialWriter { conn }
    }
}

impl EditorialWrite for EditorialWriter<'_> {
    fn create_user(&mut self, new: &NewUser) -> Result<User> {
        let taken: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)")?
            .query_row([&new.name], |r| r.get(0))?;
        if taken {
            return Err(Error::Taken(format!(
                "the user name {:?} is taken",
                new.name
            )));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO users (name, display_name, role, password_hash) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![new.name, new.display_name, new.role.as_str(), new.password_hash])?;
        one_user(
            self.conn,
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?1"),
            &new.name,
        )?
        .ok_or_else(|| Error::Rejected("the new user vanished".into()))
    }

    fn set_password(&mut self, user: i64, hash: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE users SET password_hash = ?2 WHERE pk = ?1")?
            .execute(params![user, hash])?;
        Ok(())
    }

    fn set_role(&mut self, user: i64, role: Role) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE users SET role = ?2 WHERE pk = ?1")?
            .execute(params![user, role.as_str()])?;
        Ok(())
    }

    fn create_session(&mut self, user: i64, token_hash: &str, days: u32) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO sessions (token_hash, user_pk, expires_at)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+' || ?3 || ' days'))",
            )?
            .execute(params![token_hash, user, days])?;
        Ok(())
    }

    fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
            .execute([token_hash])?;
        Ok(())
    }

    fn delete_sessions_of(&mut self, user: i64, keep: Option<&str>) -> Result<()> {
        self.conn
            .prepare_cached(
                "DELETE FROM sessions WHERE user_pk = ?1 AND (?2 IS NULL OR token_hash <> ?2)",
            )?
            .execute(params![user, keep])?;
        Ok(())
    }

    fn create_api_token(&mut self, user: i64, name: &str, token_hash: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO api_tokens (user_pk, name, token_hash) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![user, name, token_hash])?;
        Ok(())
    }

    fn put_publication(&mut self, p: &Publication) -> Result<Outcome> {
        let links = links_json(&p.links)?;
        let existing: Option<(String, String, String)> = self
            .conn
            .prepare_cached("SELECT name, description, links FROM publications WHERE slug = ?1")?
            .query_row([&p.slug], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if existing.as_ref() == Some(&(p.name.clone(), p.description.clone(), links.clone())) {
            return Ok(Outcome::Unchanged);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO publications (slug, name, description, links) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
                   description = excluded.description, links = excluded.links",
            )?
            .execute(params![p.slug, p.name, p.description, links])?;
        Ok(if existing.is_some() {
            Outcome::Updated
        } else {
            Outcome::New
        })
    }

    fn add_member(&mut self, publication: &str, user: i64, role: Role) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached(
                "INSERT INTO publication_members (publication_pk, user_pk, role)
                 SELECT pk, ?2, ?3 FROM publications WHERE slug = ?1
                 ON CONFLICT (publication_pk, user_pk) DO UPDATE SET role = excluded.role",
            )?
            .execute(params![publication, user, role.as_str()])?;
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
                self.conn
                    .prepare_cached("SELECT pk FROM publications WHERE slug = ?1")?
                    .query_row([p], |r| r.get(0))
                    .optional()?
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
                .conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM essays WHERE slug = ?1)")?
                .query_row([&candidate], |r| r.get(0))?;
            if !taken {
                break;
            }
            n += 1;
            candidate = format!("{slug}-{n}");
        }
        self.conn
            .prepare_cached(
                "INSERT INTO essays (slug, title, author, body, dataset, state, author_pk,
                                     publication_pk, updated_at)
                 VALUES (?1, '', ?2, '', 'kinograph', 'draft', ?3, ?4,
                         strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            )?
            .execute(params![candidate, author_name, author, publication_pk])?;
        Ok(candidate)
    }

    fn add_revision(&mut self, slug: &str, r: &NewRevision) -> Result<u32> {
        let pk = essay_pk(self.conn, slug)?;
        let number: u32 = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM essay_revisions WHERE essay_pk = ?1",
            )?
            .query_row([pk], |row| row.get(0))?;
        let tags = to_json_list(&r.tags);
        self.conn
            .prepare_cached(
                "INSERT INTO essay_revisions (essay_pk, number, title, subtitle, tags, spoilers, body,
                     user_pk, note, supported, contradicted, unverifiable)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                pk,
                number,
                r.title,
                r.subtitle,
                tags,
                r.spoilers,
                r.body,
                r.by,
                r.note,
                r.check.supported,
                claims_json(&r.check.contradicted),
                r.check.unverifiable
            ])?;
        self.conn
            .prepare_cached(
                "UPDATE essays SET title = ?2, subtitle = ?3, tags = ?4, spoilers = ?5, body = ?6,
                     revision = ?7, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 WHERE pk = ?1",
            )?
            .execute(params![
                pk, r.title, r.subtitle, tags, r.spoilers, r.body, number
            ])?;
        self.conn
            .prepare_cached("DELETE FROM essay_mentions WHERE essay_pk = ?1")?
            .execute([pk])?;
        let mut insert = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO essay_mentions (essay_pk, entity_kind, entity_id) VALUES (?1, ?2, ?3)",
        )?;
        for mention in &r.mentions {
            insert.execute(params![pk, mention.kind.as_str(), mention.id])?;
        }
        essay_changed(self.conn, pk)?;
        Ok(number)
    }

    fn set_state(&mut self, slug: &str, state: EssayState) -> Result<()> {
        let pk = essay_pk(self.conn, slug)?;
        self.conn
            .prepare_cached(
                "UPDATE essays SET state = ?2,
                     published = CASE WHEN ?2 IN ('published', 'corrected') AND published IS NULL
                                      THEN strftime('%Y-%m-%d', 'now') ELSE published END,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 WHERE pk = ?1",
            )?
            .execute(params![pk, state.as_str()])?;
        essay_changed(self.conn, pk)
    }

    fn set_published_date(&mut self, slug: &str, date: NaiveDate) -> Result<()> {
        let pk = essay_pk(self.conn, slug)?;
        self.conn
            .prepare_cached("UPDATE essays SET published = ?2 WHERE pk = ?1")?
            .execute(params![pk, date.format("%Y-%m-%d").to_string()])?;
        Ok(())
    }

    fn add_override(&mut self, slug: &str, claim: &ClaimKey, reason: &str, by: i64) -> Result<()> {
        let pk = essay_pk(self.conn, slug)?;
        self.conn
            .prepare_cached(
                "INSERT INTO claim_overrides (essay_pk, kind, text, reason, user_pk)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (essay_pk, kind, text) DO UPDATE SET reason = excluded.reason,
                   user_pk = excluded.user_pk, created_at = excluded.created_at",
            )?
            .execute(params![pk, claim.kind, claim.text, reason, by])?;
        Ok(())
    }

    fn add_correction(&mut self, slug: &str, revision: u32, note: &str, by: i64) -> Result<()> {
        let pk = essay_pk(self.conn, slug)?;
        self.conn
            .prepare_cached(
                "INSERT INTO corrections (essay_pk, revision, note, user_pk) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![pk, revision, note, by])?;
        Ok(())
    }

    fn audit(
        &mut self,
        actor: Option<i64>,
        action: &str,
        object: &str,
        detail: &str,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO audit_log (user_pk, action, object, detail) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![actor, action, object, detail])?;
        Ok(())
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }
}

const HEAD_COLUMNS: &str = "e.slug, e.title, e.subtitle, e.tags, e.state, u.name, e.author,
    p.slug, p.name, e.spoilers, e.published, e.revision, e.updated_at";

const HEAD_FROM: &str = "FROM essays e
    LEFT JOIN users u ON u.pk = e.author_pk
    LEFT JOIN publications p ON p.pk = e.publication_pk";

/// `HEAD_COLUMNS` in order, grouped.
pub(crate) type HeadRow = (
    (String, String, Option<String>, String, String),
    (Option<String>, String, Option<String>, Option<String>),
    (bool, Option<String>, u32, Option<String>),
);

fn head_row(r: &Row<'_>) -> rusqlite::Result<HeadRow> {
    Ok((
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
        (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?),
        (r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?),
    ))
}

pub(crate) fn head(row: HeadRow) -> Result<EssayHead> {
    let ((slug, title, subtitle, tags, state), (author, author_name, pub_slug, pub_name), rest) =
        row;
    let (spoilers, published, revision, updated) = rest;
    Ok(EssayHead {
        slug,
        title,
        subtitle,
        tags: json_list(&tags)?,
        state: parsed("essay state", &state)?,
        author,
        author_name,
        publication: pub_slug.zip(pub_name),
        spoilers,
        published: published
            .map(|d| {
                NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|e| Error::Corrupt {
                    what: "essay publication date",
                    detail: format!("{d}: {e}"),
                })
            })
            .transpose()?,
        revision,
        updated,
    })
}

/// A revision's columns in order (number, title, subtitle, tags, spoilers, body; user name,
/// note, supported, contradicted, unverifiable, created_at), grouped.
pub(crate) type RevisionRow = (
    (u32, String, Option<String>, String, bool, String),
    (Option<String>, String, u32, String, u32, String),
);

pub(crate) fn revision(
    ((number, title, subtitle, tags, spoilers, body), rest): RevisionRow,
) -> Result<Revision> {
    let (by, note, supported, contradicted, unverifiable, created) = rest;
    Ok(Revision {
        number,
        title,
        subtitle,
        tags: json_list(&tags)?,
        spoilers,
        body,
        by,
        note,
        check: RevisionCheck {
            supported,
            contradicted: claims_from_json(&contradicted)?,
            unverifiable,
        },
        created,
    })
}

impl EditorialRead for SqliteBackend {
    fn user(&self, name: &str) -> Result<Option<User>> {
        one_user(
            &self.conn,
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?1"),
            name,
        )
    }

    fn password_hash(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT password_hash FROM users WHERE name = ?1")?
            .query_row([name], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    fn users(&self) -> Result<Vec<User>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"
            ))?
            .query_map([], user_row)?
            .map(|row| user(row?))
            .collect()
    }

    fn session_user(&self, token_hash: &str) -> Result<Option<User>> {
        one_user(
            &self.conn,
            &format!(
                "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.pk = s.user_pk
                 WHERE s.token_hash = ?1 AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
            ),
            token_hash,
        )
    }

    fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        one_user(
            &self.conn,
            &format!(
                "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.pk = t.user_pk
                 WHERE t.token_hash = ?1"
            ),
            token_hash,
        )
    }

    fn publication(&self, slug: &str) -> Result<Option<(Publication, Vec<Member>)>> {
        let Some(publication) = self.publications()?.into_iter().find(|p| p.slug == slug) else {
            return Ok(None);
        };
        let members = self
            .conn
            .prepare_cached(
                "SELECT u.name, u.display_name, m.role FROM publication_members m
                 JOIN publications p ON p.pk = m.publication_pk JOIN users u ON u.pk = m.user_pk
                 WHERE p.slug = ?1 ORDER BY u.display_name",
            )?
            .query_map([slug], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))
            })?
            .map(|row| {
                let (user, display_name, role) = row?;
                Ok(Member {
                    user,
                    display_name,
                    role: parsed("member role", &role)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some((publication, members)))
    }

    fn publications(&self) -> Result<Vec<Publication>> {
        self.conn
            .prepare_cached(
                "SELECT slug, name, description, links FROM publications ORDER BY name",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?))
            })?
            .map(|row| {
                let (slug, name, description, links) = row?;
                let links = links_from_json(&links)?;
                Ok(Publication {
                    slug,
                    name,
                    description,
                    links,
                })
            })
            .collect()
    }

    fn essay_head(&self, slug: &str) -> Result<Option<EssayHead>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {HEAD_COLUMNS} {HEAD_FROM} WHERE e.slug = ?1"
            ))?
            .query_row([slug], head_row)
            .optional()?
            .map(head)
            .transpose()
    }

    fn essay_heads(&self, filter: &EditorialFilter) -> Result<Vec<EssayHead>> {
        let states: Vec<&str> = filter.states.iter().map(|s| s.as_str()).collect();
        let states = to_json_list(&states.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let sql = format!(
            "SELECT {HEAD_COLUMNS} {HEAD_FROM}
             WHERE (?1 IS NULL OR u.name = ?1)
               AND (?2 = '[]' OR e.state IN (SELECT value FROM json_each(?2)))
               AND (?3 IS NULL OR p.slug = ?3)
               AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(e.tags) WHERE value = ?4))
               AND (?5 IS NULL OR e.pk IN (SELECT essay_pk FROM essay_mentions WHERE entity_id = ?5))
             ORDER BY COALESCE(e.published, '') DESC, e.updated_at DESC, e.slug
             LIMIT ?6"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(
                params![
                    filter.author,
                    states,
                    filter.publication,
                    filter.tag,
                    filter.mentioning,
                    i64::from(filter.limit.max(1))
                ],
                head_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(head).collect()
    }

    fn revisions(&self, slug: &str) -> Result<Vec<Revision>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT r.number, r.title, r.subtitle, r.tags, r.spoilers, r.body, u.name, r.note,
                        r.supported, r.contradicted, r.unverifiable, r.created_at
                 FROM essay_revisions r JOIN essays e ON e.pk = r.essay_pk
                 LEFT JOIN users u ON u.pk = r.user_pk
                 WHERE e.slug = ?1 ORDER BY r.number",
            )?
            .query_map([slug], |r| {
                Ok((
                    (
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get::<_, String>(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ),
                    (
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get::<_, String>(9)?,
                        r.get(10)?,
                        r.get(11)?,
                    ),
                ))
            })?
            .collect::<rusqlite::Result<Vec<RevisionRow>>>()?;
        rows.into_iter().map(revision).collect()
    }

    fn overrides(&self, slug: &str) -> Result<Vec<Override>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT o.kind, o.text, o.reason, u.name, o.created_at FROM claim_overrides o
                 JOIN essays e ON e.pk = o.essay_pk LEFT JOIN users u ON u.pk = o.user_pk
                 WHERE e.slug = ?1 ORDER BY o.created_at",
            )?
            .query_map([slug], |r| {
                Ok(Override {
                    claim: ClaimKey {
                        kind: r.get(0)?,
                        text: r.get(1)?,
                    },
                    reason: r.get(2)?,
                    by: r.get(3)?,
                    created: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn corrections(&self, slug: &str) -> Result<Vec<Correction>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.revision, c.note, u.name, c.created_at FROM corrections c
                 JOIN essays e ON e.pk = c.essay_pk LEFT JOIN users u ON u.pk = c.user_pk
                 WHERE e.slug = ?1 ORDER BY c.pk",
            )?
            .query_map([slug], |r| {
                Ok(Correction {
                    revision: r.get(0)?,
                    note: r.get(1)?,
                    by: r.get(2)?,
                    created: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn audit_log(&self, object: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT a.at, u.name, a.action, a.object, a.detail FROM audit_log a
                 LEFT JOIN users u ON u.pk = a.user_pk
                 WHERE ?1 IS NULL OR a.object = ?1 ORDER BY a.pk DESC LIMIT ?2",
            )?
            .query_map(params![object, i64::from(limit.max(1))], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    object: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }
}
