//! The editorial operations: each checks the rules (`kinograph_publishing`), runs the checker
//! where text changes, and writes its changes and its audit-log entry in one transaction.

use kinograph_catalog::{EssayMention, NamedKind};
use kinograph_checker::{Checker, MentionKind, Verdict};
use kinograph_publishing::{
    Action, Actor, ClaimKey, EssayHead, EssayState, NewRevision, Refusal, RevisionCheck, User,
    can_edit, can_view, transition, unresolved,
};

use crate::{EditorialRead, Error, Result, Store};

/// An essay's text and metadata as a writer or an editor saves it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub subtitle: Option<String>,
    pub tags: Vec<String>,
    pub spoilers: bool,
    pub body: String,
}

impl Draft {
    fn validate(&self) -> Result<()> {
        if self.title.trim().is_empty() {
            return Err(Error::Rejected("title: an essay needs a title".into()));
        }
        if self.title.chars().count() > 300 {
            return Err(Error::Rejected("title: at most 300 characters".into()));
        }
        if self.body.len() > 1024 * 1024 {
            return Err(Error::Rejected("body: at most 1 MiB".into()));
        }
        Ok(())
    }
}

fn refused(refusal: Refusal) -> Error {
    match refusal {
        Refusal::Forbidden(m) => Error::Forbidden(m),
        Refusal::Conflict(m) => Error::Conflict(m),
    }
}

fn object(slug: &str) -> String {
    format!("essay:{slug}")
}

/// The essay as `user` may see it: a missing essay and one they may not see are the same.
pub fn visible_head(store: &Store, slug: &str, user: Option<&User>) -> Result<EssayHead> {
    let head = store.essay_head(slug)?;
    match head {
        Some(head) if can_view(user.map(|u| actor(u, &head)), head.state) => Ok(head),
        _ => Err(Error::UnknownEntity {
            kind: "essay",
            id: slug.to_string(),
        }),
    }
}

pub fn actor(user: &User, head: &EssayHead) -> Actor {
    Actor {
        role: user.role,
        is_author: head.author.as_deref() == Some(user.name.as_str()),
    }
}

/// What the checker says of `body`: the revision's summary and the entities it names.
fn check(
    store: &Store,
    checker: &Checker,
    body: &str,
) -> Result<(RevisionCheck, Vec<EssayMention>)> {
    let report = checker
        .check(store, body)
        .map_err(|e| Error::Check(e.to_string()))?;
    let mut summary = RevisionCheck::default();
    for claim in &report.claims {
        match claim.verdict {
            Verdict::Supported => summary.supported += 1,
            Verdict::Unverifiable => summary.unverifiable += 1,
            Verdict::Contradicted => summary.contradicted.push(ClaimKey {
                kind: claim.kind.as_str().to_string(),
                text: claim.text.clone(),
            }),
        }
    }
    let mut mentions: Vec<EssayMention> = report
        .mentions
        .iter()
        .filter_map(|m| {
            let kind = match m.kind {
                MentionKind::Film => NamedKind::Film,
                MentionKind::Person => NamedKind::Person,
                MentionKind::Character => NamedKind::Character,
                MentionKind::Company => NamedKind::Company,
                MentionKind::Award => return None,
            };
            Some(EssayMention {
                kind,
                id: m.entity.as_ref()?.id.clone(),
            })
        })
        .collect();
    mentions.sort_by(|a, b| (a.kind.as_str(), &a.id).cmp(&(b.kind.as_str(), &b.id)));
    mentions.dedup();
    Ok((summary, mentions))
}

/// Starts an essay: a draft by `author` (a writer or above) with its first revision, under
/// `slug` (else one made from the title; `-2`, `-3`… added when taken). Returns its slug.
pub fn create(
    store: &mut Store,
    checker: &Checker,
    author: &User,
    publication: Option<&str>,
    draft: &Draft,
    slug: Option<&str>,
) -> Result<String> {
    if !author.role.can_write() {
        return Err(Error::Forbidden("only writers may write essays".into()));
    }
    draft.validate()?;
    let (summary, mentions) = check(store, checker, &draft.body)?;
    let slug = match slug {
        Some(slug) if kinograph_catalog::is_essay_slug(slug) => slug.to_string(),
        Some(slug) => {
            return Err(Error::Rejected(format!(
                "slug {slug:?}: lowercase letters, digits and single dashes"
            )));
        }
        None => kinograph_publishing::slugify(&draft.title),
    };
    store.edit(|w| {
        let slug = w.create_essay(&slug, Some(author.id), &author.display_name, publication)?;
        w.add_revision(
            &slug,
            &revision(draft, author, "first draft", summary, mentions),
        )?;
        w.audit(Some(author.id), "create", &object(&slug), &draft.title)?;
        Ok(slug)
    })
}

fn revision(
    draft: &Draft,
    by: &User,
    note: &str,
    check: RevisionCheck,
    mentions: Vec<EssayMention>,
) -> NewRevision {
    NewRevision {
        title: draft.title.trim().to_string(),
        subtitle: draft
            .subtitle
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        tags: draft
            .tags
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect(),
        spoilers: draft.spoilers,
        body: draft.body.clone(),
        by: by.id,
        note: note.to_string(),
        check,
        mentions,
    }
}

/// Saves a new revision of an essay not yet published. An edit of an approved essay sends it
/// back to review: the sign-off was for the text before.
pub fn revise(
    store: &mut Store,
    checker: &Checker,
    slug: &str,
    by: &User,
    draft: &Draft,
    note: &str,
) -> Result<u32> {
    let head = visible_head(store, slug, Some(by))?;
    if head.state.is_public() || head.state == EssayState::Unpublished {
        return Err(Error::Conflict(
            "a published essay changes only by a correction".into(),
        ));
    }
    if !can_edit(actor(by, &head), head.state) {
        return Err(Error::Forbidden(format!(
            "you cannot edit an essay that is {}",
            head.state.label().to_lowercase()
        )));
    }
    draft.validate()?;
    let (summary, mentions) = check(store, checker, &draft.body)?;
    store.edit(|w| {
        let number = w.add_revision(slug, &revision(draft, by, note, summary, mentions))?;
        if head.state == EssayState::Approved {
            w.set_state(slug, EssayState::InReview)?;
        }
        w.audit(
            Some(by.id),
            "revise",
            &object(slug),
            &format!("revision {number}"),
        )?;
        Ok(number)
    })
}

/// The latest revision's contradicted claims that no override covers.
pub fn open_claims(store: &Store, slug: &str) -> Result<Vec<ClaimKey>> {
    let revisions = store.revisions(slug)?;
    let Some(latest) = revisions.last() else {
        return Ok(Vec::new());
    };
    let overridden: Vec<ClaimKey> = store
        .overrides(slug)?
        .into_iter()
        .map(|o| o.claim)
        .collect();
    Ok(unresolved(&latest.check.contradicted, &overridden)
        .into_iter()
        .cloned()
        .collect())
}

/// Moves an essay one step along the workflow, if the rules allow `by` to.
pub fn act(store: &mut Store, slug: &str, action: Action, by: &User) -> Result<EssayState> {
    let head = visible_head(store, slug, Some(by))?;
    let open = open_claims(store, slug)?;
    let next = transition(actor(by, &head), head.state, action, open.len()).map_err(refused)?;
    store.edit(|w| {
        w.set_state(slug, next)?;
        w.audit(
            Some(by.id),
            action.as_str(),
            &object(slug),
            &format!("{} → {}", head.state.as_str(), next.as_str()),
        )?;
        Ok(next)
    })
}

/// An editor's decision that a contradicted claim stands, with the reason kept on record.
pub fn override_claim(
    store: &mut Store,
    slug: &str,
    claim: &ClaimKey,
    reason: &str,
    by: &User,
) -> Result<()> {
    visible_head(store, slug, Some(by))?;
    if !by.role.can_edit() {
        return Err(Error::Forbidden(
            "only an editor may override the fact-check".into(),
        ));
    }
    if reason.trim().len() < 3 {
        return Err(Error::Rejected("reason: say why the claim stands".into()));
    }
    let latest = store.revisions(slug)?.pop();
    if !latest.is_some_and(|r| r.check.contradicted.contains(claim)) {
        return Err(Error::Rejected(format!(
            "the latest revision has no contradicted {} claim {:?}",
            claim.kind, claim.text
        )));
    }
    store.edit(|w| {
        w.add_override(slug, claim, reason.trim(), by.id)?;
        w.audit(
            Some(by.id),
            "override",
            &object(slug),
            &format!("{} claim {:?}: {}", claim.kind, claim.text, reason.trim()),
        )?;
        Ok(())
    })
}

/// A correction to a published essay: a new revision, listed on the essay with its date.
pub fn correct(
    store: &mut Store,
    checker: &Checker,
    slug: &str,
    by: &User,
    draft: &Draft,
    note: &str,
) -> Result<u32> {
    let head = visible_head(store, slug, Some(by))?;
    if !by.role.can_edit() {
        return Err(Error::Forbidden(
            "only an editor may correct an essay".into(),
        ));
    }
    if !head.state.is_public() {
        return Err(Error::Conflict(
            "only a published essay is corrected; edit the draft instead".into(),
        ));
    }
    if note.trim().is_empty() {
        return Err(Error::Rejected(
            "note: a correction says what was corrected".into(),
        ));
    }
    draft.validate()?;
    let (summary, mentions) = check(store, checker, &draft.body)?;
    store.edit(|w| {
        let number = w.add_revision(slug, &revision(draft, by, note, summary, mentions))?;
        w.add_correction(slug, number, note.trim(), by.id)?;
        w.set_state(slug, EssayState::Corrected)?;
        w.audit(Some(by.id), "correct", &object(slug), note.trim())?;
        Ok(number)
    })
}
