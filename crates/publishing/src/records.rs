//! What the store keeps of accounts, publications and the editorial history, as callers see it.

use chrono::NaiveDate;

use crate::{ClaimKey, EssayState, Role};

/// An account. Its password hash never leaves the store except to be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    /// The login and URL name (`/writers/{name}`).
    pub name: String,
    pub display_name: String,
    pub role: Role,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub name: String,
    pub display_name: String,
    pub role: Role,
    /// An argon2id PHC string; `None` for an account that cannot log in yet (an archive's
    /// author imported with their essays).
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// (label, URL) of its social links.
    pub links: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user: String,
    pub display_name: String,
    pub role: Role,
}

/// An essay's place in the workflow, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EssayHead {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub tags: Vec<String>,
    pub state: EssayState,
    /// The author's account name, when the essay has one.
    pub author: Option<String>,
    /// The byline.
    pub author_name: String,
    pub publication: Option<(String, String)>,
    pub spoilers: bool,
    pub published: Option<NaiveDate>,
    pub revision: u32,
    pub updated: Option<String>,
}

/// What the checker said of one revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevisionCheck {
    pub supported: u32,
    pub contradicted: Vec<ClaimKey>,
    pub unverifiable: u32,
}

/// One saved version of an essay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub number: u32,
    pub title: String,
    pub subtitle: Option<String>,
    pub tags: Vec<String>,
    pub spoilers: bool,
    pub body: String,
    /// Who saved it (account name).
    pub by: Option<String>,
    pub note: String,
    pub check: RevisionCheck,
    pub created: String,
}

/// A revision to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRevision {
    pub title: String,
    pub subtitle: Option<String>,
    pub tags: Vec<String>,
    pub spoilers: bool,
    pub body: String,
    pub by: i64,
    pub note: String,
    pub check: RevisionCheck,
    /// The catalog entities the text names: (kind, id), kinds as [`kinograph_catalog::NamedKind`].
    pub mentions: Vec<kinograph_catalog::EssayMention>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub claim: ClaimKey,
    pub reason: String,
    pub by: Option<String>,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub revision: u32,
    pub note: String,
    pub by: Option<String>,
    /// When (RFC 3339, UTC); the essay shows its date.
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub object: String,
    pub detail: String,
}

/// Which essays to list for the editorial side (drafts included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditorialFilter {
    /// Only this author's (account name).
    pub author: Option<String>,
    /// Only in these states; empty: any.
    pub states: Vec<EssayState>,
    pub publication: Option<String>,
    pub tag: Option<String>,
    /// Only essays naming this catalog entity.
    pub mentioning: Option<String>,
    pub limit: u32,
}
