//! Essays: a Markdown or plain-text file, imported through the editorial workflow
//! ([`kinograph_store::editorial`]) and linked to the catalog by the checker.
//!
//! A file may start with TOML front matter between `+++` lines:
//!
//! ```text
//! +++
//! title = "The Long Road to Anora"
//! subtitle = "One line under the title."      # optional
//! author = "Kinograph Editors"                # optional: the byline of an author account made for it
//! published = 2025-03-20                      # optional
//! tags = ["sean baker"]                       # optional
//! spoilers = true                             # optional
//! slug = "long-road"                          # optional: else the file name
//! +++
//! The essay…
//! ```
//!
//! Without front matter, the first non-empty line is the title (a Markdown `# ` before it is
//! dropped) and the rest is the essay; the slug comes from the file name.

use chrono::NaiveDate;
use kinograph_catalog::{Outcome, is_essay_slug};
use kinograph_checker::Checker;
use kinograph_publishing::{Action, EssayState, NewUser, Publication, Role, User, check_user_name};
use kinograph_store::editorial::{self, Draft};
use kinograph_store::{CatalogRead, EditorialRead, Store};
use serde::Deserialize;

use crate::{Error, Result, Tally};

/// The essays of the demo world (our own writing), as (file name, text).
pub const DEMO_ESSAYS: &[(&str, &str)] = &[
    (
        "sean-baker-the-long-road-to-anora.md",
        include_str!("../demo/essays/sean-baker-the-long-road-to-anora.md"),
    ),
    (
        "parasite-upstairs-downstairs.md",
        include_str!("../demo/essays/parasite-upstairs-downstairs.md"),
    ),
    (
        "everything-everywhere-the-multiverse-wins.md",
        include_str!("../demo/essays/everything-everywhere-the-multiverse-wins.md"),
    ),
];

/// The demo world's publication, which its essays appear in.
pub const DEMO_PUBLICATION: &str = "kinograph-review";
/// The demo world's editor account (no password: it cannot log in), author of its essays.
pub const DEMO_EDITOR: &str = "kinograph-editors";
/// The editor account an [`import`] acts as (no password: it cannot log in), made when first
/// needed.
pub const OPERATOR: &str = "kinograph";
/// Why a contradicted claim of an essay imported with `publish` stands.
pub const ARCHIVE_OVERRIDE_REASON: &str =
    "published before it came to Kinograph; imported by the operator";

/// The longest title and body the editorial workflow accepts (checked here too, so that a file
/// over them is refused before anything is written).
const MAX_TITLE_CHARS: usize = 300;
const MAX_BODY_BYTES: usize = 1024 * 1024;

const FENCE: &str = "+++";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    subtitle: Option<String>,
    author: Option<String>,
    published: Option<toml::value::Datetime>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    spoilers: bool,
    slug: Option<String>,
}

/// An essay file, parsed and validated but not yet stored. Text fields are normalised as the
/// workflow stores them (title and subtitle trimmed, tags trimmed and lowercase), so a file is
/// compared with what is stored as it will be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EssayFile {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// The front matter's `author`: the display name of an author account made for the essay.
    pub author: Option<String>,
    pub tags: Vec<String>,
    pub spoilers: bool,
    /// The front matter's `published` date: kept as the essay's publication date when the import
    /// publishes it (an archive keeps its dates).
    pub published: Option<NaiveDate>,
    pub body: String,
    /// What the file was called when parsed, for messages and correction notes.
    pub dataset: String,
}

impl EssayFile {
    /// The essay's text and metadata as the workflow saves them.
    pub fn draft(&self) -> Draft {
        Draft {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            tags: self.tags.clone(),
            spoilers: self.spoilers,
            body: self.body.clone(),
        }
    }

    /// The file's name without its folders.
    pub fn file_name(&self) -> &str {
        self.dataset
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&self.dataset)
    }
}

/// What [`import`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// `New`: the essay was created. `Updated`: its text changed (a revision; a correction once
    /// published) or it went on to publication. `Unchanged`: nothing was written.
    pub outcome: Outcome,
    pub slug: String,
    /// Where it is in the workflow now.
    pub state: EssayState,
}

fn invalid(dataset: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Invalid {
        dataset: dataset.to_string(),
        line,
        message: message.into(),
    }
}

/// `sean-baker-the-long-road-to-anora.md` → `sean-baker-the-long-road-to-anora`.
fn slug_from_file_name(name: &str) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.split_once('.').map_or(stem, |(stem, _)| stem);
    kinograph_catalog::normalize::key(stem).replace(' ', "-")
}

fn normalised_tags(tags: Vec<String>) -> Vec<String> {
    tags.into_iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Parses an essay file, with or without front matter. `dataset` names it in messages; the
/// slug defaults to its file name.
pub fn parse(text: &str, dataset: &str) -> Result<EssayFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.split_inclusive('\n').next().unwrap_or("");
    let file = if first_line.trim_end() == FENCE {
        with_front_matter(&text[first_line.len()..], dataset)?
    } else {
        without_front_matter(text, dataset)?
    };
    if file.title.chars().count() > MAX_TITLE_CHARS {
        return Err(invalid(
            dataset,
            1,
            format!("the title is longer than {MAX_TITLE_CHARS} characters"),
        ));
    }
    if file.body.len() > MAX_BODY_BYTES {
        return Err(invalid(dataset, 1, "the essay is longer than 1 MiB"));
    }
    Ok(file)
}

fn with_front_matter(rest: &str, dataset: &str) -> Result<EssayFile> {
    let mut front_len = None;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == FENCE {
            front_len = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((front_end, body_start)) = front_len else {
        return Err(invalid(
            dataset,
            1,
            "the front matter has no closing `+++` line",
        ));
    };
    let front = &rest[..front_end];
    let matter: FrontMatter = toml::from_str(front).map_err(|e| {
        let line = e
            .span()
            .map(|s| front[..s.start.min(front.len())].matches('\n').count() + 1)
            .unwrap_or(0);
        invalid(dataset, line + 1, e.message().trim())
    })?;
    let line_of = |key: &str| {
        front
            .lines()
            .position(|l| l.trim_start().starts_with(key))
            .map_or(1, |i| i + 2)
    };
    let published = matter
        .published
        .map(|date| {
            NaiveDate::parse_from_str(&date.to_string(), "%Y-%m-%d").map_err(|_| {
                invalid(
                    dataset,
                    line_of("published"),
                    format!("published: {date} is not a date (expected YYYY-MM-DD)"),
                )
            })
        })
        .transpose()?;
    let slug = matter.slug.unwrap_or_else(|| slug_from_file_name(dataset));
    if !is_essay_slug(&slug) {
        return Err(invalid(
            dataset,
            line_of("slug"),
            format!("slug {slug:?} is not lowercase letters, digits and single dashes"),
        ));
    }
    if matter.title.trim().is_empty() {
        return Err(invalid(dataset, line_of("title"), "title is empty"));
    }
    if matter
        .author
        .as_deref()
        .is_some_and(|a| a.trim().is_empty())
    {
        return Err(invalid(dataset, line_of("author"), "author is empty"));
    }
    let body = rest[body_start..]
        .trim_start_matches(['\n', '\r'])
        .to_string();
    if body.trim().is_empty() {
        return Err(invalid(
            dataset,
            1,
            "the essay has no text after its front matter",
        ));
    }
    Ok(EssayFile {
        slug,
        title: matter.title.trim().to_string(),
        subtitle: matter
            .subtitle
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        author: matter.author.map(|a| a.trim().to_string()),
        tags: normalised_tags(matter.tags),
        spoilers: matter.spoilers,
        published,
        body,
        dataset: dataset.to_string(),
    })
}

/// A file without front matter: its first non-empty line is the title.
fn without_front_matter(text: &str, dataset: &str) -> Result<EssayFile> {
    let mut offset = 0;
    let mut title = None;
    for (number, line) in (1..).zip(text.split_inclusive('\n')) {
        offset += line.len();
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            title = Some((number, trimmed));
            break;
        }
    }
    let Some((line, title)) = title else {
        return Err(invalid(dataset, 1, "the essay is empty"));
    };
    if title == "---" {
        return Err(invalid(
            dataset,
            line,
            "front matter goes between `+++` lines, in TOML (`---` YAML front matter is not read)",
        ));
    }
    let title = title.strip_prefix("# ").map_or(title, str::trim);
    let mut rest = &text[offset..];
    // A Setext underline (`=====`) belongs to the title above it.
    if let Some(next) = rest.split_inclusive('\n').next() {
        let underline = next.trim();
        if underline.len() >= 3 && underline.bytes().all(|b| b == b'=') {
            rest = &rest[next.len()..];
        }
    }
    let body = rest.trim_start_matches(['\n', '\r']).to_string();
    if body.trim().is_empty() {
        return Err(invalid(
            dataset,
            line,
            "the essay has no text after its title (its first line)",
        ));
    }
    let slug = slug_from_file_name(dataset);
    if !is_essay_slug(&slug) {
        return Err(invalid(
            dataset,
            1,
            format!(
                "the file name gives no usable slug ({slug:?}): rename the file, or add front matter with `slug = \"…\"`"
            ),
        ));
    }
    Ok(EssayFile {
        slug,
        title: title.to_string(),
        subtitle: None,
        author: None,
        tags: Vec::new(),
        spoilers: false,
        published: None,
        body,
        dataset: dataset.to_string(),
    })
}

fn checker_error(error: impl std::fmt::Display) -> Error {
    Error::Linking(error.to_string())
}

/// A checker over the names `text` can contain.
fn checker_for(store: &Store, text: &str) -> Result<Checker> {
    kinograph_store::checker_for(store, text).map_err(checker_error)
}

/// The text the essay has now: its latest revision, else (an essay stored before the workflow)
/// its row.
fn stored_draft(store: &Store, slug: &str, spoilers: bool) -> Result<Option<Draft>> {
    if let Some(latest) = store.revisions(slug)?.pop() {
        return Ok(Some(Draft {
            title: latest.title,
            subtitle: latest.subtitle,
            tags: latest.tags,
            spoilers: latest.spoilers,
            body: latest.body,
        }));
    }
    Ok(store.essay(slug)?.map(|essay| Draft {
        title: essay.title,
        subtitle: essay.subtitle,
        tags: essay.tags,
        spoilers,
        body: essay.body,
    }))
}

/// The account `name`, made (with `display_name` and `role`, no password) when missing; an
/// existing one must have at least `role`.
fn account(store: &mut Store, name: &str, display_name: &str, role: Role) -> Result<User> {
    match store.user(name)? {
        Some(user) if user.role >= role => Ok(user),
        Some(user) => Err(Error::Refused(format!(
            "the user {name:?} is a {}, not a {role}",
            user.role
        ))),
        None => Ok(store.edit(|w| {
            let user = w.create_user(&NewUser {
                name: name.to_string(),
                display_name: display_name.to_string(),
                role,
                password_hash: None,
            })?;
            w.audit(None, "user_add", &format!("user:{name}"), role.as_str())?;
            Ok(user)
        })?),
    }
}

/// The editor an import acts as: the demo's editor, else the [`OPERATOR`] account.
fn operator(store: &mut Store, given: Option<&User>) -> Result<User> {
    match given {
        Some(user) => Ok(user.clone()),
        None => account(store, OPERATOR, "Kinograph", Role::Editor),
    }
}

/// Overrides the contradicted claims of the essay's latest revision that no override covers yet,
/// as an archive essay's: it was published as it stands.
fn override_open_claims(store: &mut Store, slug: &str, by: &User) -> Result<()> {
    for claim in editorial::open_claims(store, slug)? {
        editorial::override_claim(store, slug, &claim, ARCHIVE_OVERRIDE_REASON, by)?;
    }
    Ok(())
}

/// Takes the essay from `state` along the workflow to published, each step by `by`: submitted,
/// in review (its contradicted claims overridden), approved, published. An essay an editor
/// unpublished stays so.
fn publish(
    store: &mut Store,
    slug: &str,
    mut state: EssayState,
    by: &User,
    first_published: Option<NaiveDate>,
) -> Result<EssayState> {
    for _ in 0..EssayState::ALL.len() {
        let action = match state {
            EssayState::Draft => Action::Submit,
            EssayState::Submitted => Action::StartReview,
            EssayState::InReview => {
                override_open_claims(store, slug, by)?;
                Action::Approve
            }
            EssayState::Approved => Action::Publish,
            EssayState::Published | EssayState::Corrected | EssayState::Unpublished => break,
        };
        state = editorial::act(store, slug, action, by)?;
        if action == Action::Publish
            && let Some(date) = first_published
        {
            // An archive essay keeps the day it first appeared, not the day it was imported.
            store.edit(|w| w.set_published_date(slug, date))?;
        }
    }
    Ok(state)
}

/// Imports an essay by the account `author` (a user name; made a writer without a password,
/// shown as the front matter's `author` or else as `author`, when it does not exist), in
/// `publication` (which must exist), under the file's slug. With `publish` it goes through the
/// workflow to published as the [`OPERATOR`] editor, its contradicted claims overridden with
/// [`ARCHIVE_OVERRIDE_REASON`]; each step is in the audit log.
///
/// Importing the same file again writes nothing. A changed file updates the essay: a
/// correction (noted "updated from FILE") once it is published, else a new revision. An essay
/// of another author's or in another publication, or one an editor unpublished, is refused.
/// Whatever is refused is refused before anything is written; a run that fails part-way
/// through the workflow (the store failing) is completed by running it again.
pub fn import(
    store: &mut Store,
    file: EssayFile,
    author: &str,
    publication: Option<&str>,
    publish: bool,
) -> Result<Imported> {
    import_as(store, file, author, publication, publish, None)
}

fn import_as(
    store: &mut Store,
    file: EssayFile,
    author: &str,
    publication: Option<&str>,
    publish_it: bool,
    operator_user: Option<&User>,
) -> Result<Imported> {
    check_user_name(author).map_err(|m| Error::Refused(format!("author: {m}")))?;
    if let Some(slug) = publication
        && store.publication(slug)?.is_none()
    {
        return Err(Error::Refused(format!("there is no publication {slug:?}")));
    }
    let slug = file.slug.clone();
    let draft = file.draft();
    let Some(head) = store.essay_head(&slug)? else {
        let checker = checker_for(store, &file.body)?;
        let display_name = file.author.as_deref().unwrap_or(author);
        let writer = account(store, author, display_name, Role::Writer)?;
        let by = publish_it
            .then(|| operator(store, operator_user))
            .transpose()?;
        let created =
            editorial::create(store, &checker, &writer, publication, &draft, Some(&slug))?;
        let state = match by {
            Some(by) => publish(store, &created, EssayState::Draft, &by, file.published)?,
            None => EssayState::Draft,
        };
        return Ok(Imported {
            outcome: Outcome::New,
            slug: created,
            state,
        });
    };
    if let Some(owner) = head.author.as_deref()
        && owner != author
    {
        return Err(Error::Refused(format!(
            "the essay {slug:?} is by {owner}, not {author}: give the file another slug (`slug = \"…\"` in its front matter)"
        )));
    }
    if let (Some((known, _)), Some(given)) = (&head.publication, publication)
        && known != given
    {
        return Err(Error::Refused(format!(
            "the essay {slug:?} appears in {known}, not {given}"
        )));
    }
    let changed = stored_draft(store, &slug, head.spoilers)?.as_ref() != Some(&draft);
    let mut state = head.state;
    let moves_on = publish_it && !state.is_public() && state != EssayState::Unpublished;
    if !changed && !moves_on {
        return Ok(Imported {
            outcome: Outcome::Unchanged,
            slug,
            state,
        });
    }
    if changed {
        match state {
            EssayState::Unpublished => {
                return Err(Error::Refused(format!(
                    "the essay {slug:?} was unpublished by an editor: it is updated only once it is published again"
                )));
            }
            EssayState::Submitted if !publish_it => {
                return Err(Error::Refused(format!(
                    "the essay {slug:?} is submitted to the editors: it changes once they start the review, or once it is withdrawn"
                )));
            }
            _ => {}
        }
    }
    let checker = changed
        .then(|| checker_for(store, &file.body))
        .transpose()?;
    let by = operator(store, operator_user)?;
    if let Some(checker) = checker {
        let note = format!("updated from {}", file.file_name());
        match state {
            EssayState::Published | EssayState::Corrected => {
                editorial::correct(store, &checker, &slug, &by, &draft, &note)?;
                state = EssayState::Corrected;
                if publish_it {
                    override_open_claims(store, &slug, &by)?;
                }
            }
            EssayState::Draft => {
                // The author's own draft is revised by them; an essay without an account, by the
                // operator.
                let reviser = match head.author.as_deref() {
                    Some(name) => store.user(name)?.unwrap_or_else(|| by.clone()),
                    None => by.clone(),
                };
                editorial::revise(store, &checker, &slug, &reviser, &draft, &note)?;
            }
            EssayState::Submitted => {
                state = editorial::act(store, &slug, Action::StartReview, &by)?;
                editorial::revise(store, &checker, &slug, &by, &draft, &note)?;
            }
            EssayState::InReview | EssayState::Approved => {
                editorial::revise(store, &checker, &slug, &by, &draft, &note)?;
                // A revision sends an approved essay back to review.
                state = EssayState::InReview;
            }
            EssayState::Unpublished => {}
        }
    }
    if publish_it {
        state = publish(store, &slug, state, &by, file.published)?;
    }
    Ok(Imported {
        outcome: Outcome::Updated,
        slug,
        state,
    })
}

/// The demo world's publication.
pub fn demo_publication() -> Publication {
    Publication {
        slug: DEMO_PUBLICATION.to_string(),
        name: "The Kinograph Review".to_string(),
        description: "Essays on films and the awards they won, each checked against the Kinograph catalog before it is published.".to_string(),
        links: vec![(
            "Academy Awards data".to_string(),
            "https://github.com/DLu/oscar_data".to_string(),
        )],
    }
}

/// The demo publication and its editor, as [`demo_publication`] and [`DEMO_EDITOR`] say, in one
/// transaction (none when they are as they should be). Returns the editor.
fn demo_masthead(store: &mut Store) -> Result<User> {
    let publication = demo_publication();
    let existing = store.user(DEMO_EDITOR)?;
    let known = store.publication(DEMO_PUBLICATION)?;
    let member = known.as_ref().is_some_and(|(_, members)| {
        members
            .iter()
            .any(|m| m.user == DEMO_EDITOR && m.role == Role::Editor)
    });
    let same = known.as_ref().is_some_and(|(p, _)| *p == publication);
    if let Some(editor) = &existing
        && editor.role.can_edit()
        && same
        && member
    {
        return Ok(editor.clone());
    }
    let object = format!("publication:{DEMO_PUBLICATION}");
    Ok(store.edit(|w| {
        match w.put_publication(&publication)? {
            Outcome::New => w.audit(None, "publication_add", &object, &publication.name)?,
            Outcome::Updated => w.audit(None, "publication_update", &object, &publication.name)?,
            Outcome::Unchanged => {}
        }
        let editor = match existing {
            Some(mut user) => {
                if !user.role.can_edit() {
                    w.set_role(user.id, Role::Editor)?;
                    w.audit(
                        None,
                        "user_role",
                        &format!("user:{DEMO_EDITOR}"),
                        &format!("{} → {}", user.role, Role::Editor),
                    )?;
                    user.role = Role::Editor;
                }
                user
            }
            None => {
                let user = w.create_user(&NewUser {
                    name: DEMO_EDITOR.to_string(),
                    display_name: "Kinograph Editors".to_string(),
                    role: Role::Editor,
                    password_hash: None,
                })?;
                w.audit(None, "user_add", &format!("user:{DEMO_EDITOR}"), "editor")?;
                user
            }
        };
        if !member {
            w.add_member(DEMO_PUBLICATION, editor.id, Role::Editor)?;
            w.audit(
                None,
                "member_add",
                &object,
                &format!("{DEMO_EDITOR}: editor"),
            )?;
        }
        Ok(editor)
    })?)
}

/// Loads the demo world's writing: its publication, its editor (a member of it) and
/// [`DEMO_ESSAYS`] by that editor, each taken through the workflow to published by them.
/// Load the demo catalog first: essays are linked to what the catalog holds. Running it again
/// changes nothing. Returns what became of the essays.
pub fn load_demo(store: &mut Store) -> Result<Tally> {
    let editor = demo_masthead(store)?;
    let mut tally = Tally::default();
    for (name, text) in DEMO_ESSAYS {
        let file = parse(text, &format!("kinograph-demo/essays/{name}"))?;
        let imported = import_as(
            store,
            file,
            DEMO_EDITOR,
            Some(DEMO_PUBLICATION),
            true,
            Some(&editor),
        )?;
        tally.add(imported.outcome);
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use kinograph_publishing::{AuditEntry, EditorialFilter};

    use super::*;
    use crate::{DEMO_CATALOG, DEMO_DATASET, curated};

    #[test]
    fn front_matter_gives_metadata_and_the_rest_is_the_body() {
        let file = parse(
            "+++\ntitle = \"On Tangerine\"\nauthor = \"A. Writer\"\npublished = 2025-01-02\ntags = [\" X \"]\nspoilers = true\n+++\n\nBody text.\n",
            "essays/on-tangerine.md",
        )
        .unwrap();
        assert_eq!(file.slug, "on-tangerine");
        assert_eq!(file.title, "On Tangerine");
        assert_eq!(file.author.as_deref(), Some("A. Writer"));
        assert_eq!(file.published, NaiveDate::from_ymd_opt(2025, 1, 2));
        assert_eq!(file.body, "Body text.\n");
        assert_eq!(file.tags, ["x"]);
        assert!(file.spoilers);
        assert_eq!(file.file_name(), "on-tangerine.md");
    }

    #[test]
    fn a_file_without_front_matter_takes_its_title_from_its_first_line() {
        let plain = parse(
            "\n\n  On Starlet  \n\nFirst paragraph.\n",
            "notes/on-starlet.txt",
        )
        .unwrap();
        assert_eq!(plain.slug, "on-starlet");
        assert_eq!(plain.title, "On Starlet");
        assert_eq!(plain.body, "First paragraph.\n");
        assert_eq!(plain.author, None);
        let markdown = parse("# The *Florida* Project\n\nText.", "The Florida Project.md").unwrap();
        assert_eq!(markdown.title, "The *Florida* Project");
        assert_eq!(markdown.slug, "the-florida-project");
        assert_eq!(markdown.body, "Text.");
        let setext = parse("Red Rocket\n==========\nText.\n", "red-rocket.md").unwrap();
        assert_eq!(
            (setext.title.as_str(), setext.body.as_str()),
            ("Red Rocket", "Text.\n")
        );
    }

    #[test]
    fn every_demo_essay_parses() {
        for (name, text) in DEMO_ESSAYS {
            let file = parse(text, name).unwrap();
            assert!(file.published.is_some(), "{name}");
            assert_eq!(file.author.as_deref(), Some("Kinograph Editors"), "{name}");
        }
    }

    #[test]
    fn bad_files_say_where() {
        let check = |text: &str, expected: &str| {
            let error = parse(text, "x.md").unwrap_err().to_string();
            assert_eq!(error, expected);
        };
        check(" \n\n", "x.md:1: the essay is empty");
        check(
            "\nJust a title\n\n",
            "x.md:2: the essay has no text after its title (its first line)",
        );
        check(
            "---\ntitle: T\n---\nText\n",
            "x.md:1: front matter goes between `+++` lines, in TOML (`---` YAML front matter is not read)",
        );
        check(
            &format!("{}\n\nText\n", "t".repeat(301)),
            "x.md:1: the title is longer than 300 characters",
        );
        check(
            "+++\ntitle = \"T\"\n",
            "x.md:1: the front matter has no closing `+++` line",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\npublished = \"soon\"\n+++\nText\n",
            "x.md:4: invalid type: string \"soon\", expected a TOML datetime",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\npublished = 2025-01-02T10:00:00\n+++\nText\n",
            "x.md:4: published: 2025-01-02T10:00:00 is not a date (expected YYYY-MM-DD)",
        );
        check(
            "+++\nauthor = \"A\"\n+++\nText\n",
            "x.md:2: missing field `title`",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \" \"\n+++\nText\n",
            "x.md:3: author is empty",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\nslug = \"Bad Slug\"\n+++\nText\n",
            "x.md:4: slug \"Bad Slug\" is not lowercase letters, digits and single dashes",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\n+++\n\n",
            "x.md:1: the essay has no text after its front matter",
        );
        let error = parse("Title\n\nText\n", "---.txt").unwrap_err().to_string();
        assert!(
            error.starts_with("---.txt:1: the file name gives no usable slug"),
            "{error}"
        );
    }

    /// A store holding the demo catalog.
    fn demo_store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        curated::parse(DEMO_CATALOG, DEMO_DATASET)
            .unwrap()
            .import(&mut store)
            .unwrap();
        store
    }

    fn add_publication(store: &mut Store, slug: &str) {
        store
            .edit(|w| {
                w.put_publication(&Publication {
                    slug: slug.into(),
                    name: "The Test Review".into(),
                    description: String::new(),
                    links: Vec::new(),
                })
            })
            .unwrap();
    }

    /// The audit log of one essay, oldest first, as (actor, action).
    fn audit(store: &Store, slug: &str) -> Vec<(String, String)> {
        let mut entries: Vec<AuditEntry> = store
            .audit_log(Some(&format!("essay:{slug}")), 100)
            .unwrap();
        entries.reverse();
        entries
            .into_iter()
            .map(|e| (e.actor.unwrap_or_default(), e.action))
            .collect()
    }

    fn steps(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// Our own words: one claim the demo catalog contradicts (Anora is of 2024).
    const NOTES: &str = "# Notes on Anora\n\nSean Baker made Anora (2019) after Red Rocket.\n";

    #[test]
    fn an_essay_imported_with_publish_goes_through_the_workflow_on_record() {
        let mut store = demo_store();
        add_publication(&mut store, "test-review");
        let file = parse(NOTES, "essays/notes-on-anora.txt").unwrap();
        let imported = import(&mut store, file.clone(), "ana", Some("test-review"), true).unwrap();
        assert_eq!(
            imported,
            Imported {
                outcome: Outcome::New,
                slug: "notes-on-anora".into(),
                state: EssayState::Published,
            }
        );
        let ana = store.user("ana").unwrap().unwrap();
        assert_eq!((ana.role, ana.display_name.as_str()), (Role::Writer, "ana"));
        assert_eq!(store.password_hash("ana").unwrap(), None);
        let operator = store.user(OPERATOR).unwrap().unwrap();
        assert_eq!(operator.role, Role::Editor);

        let head = store.essay_head("notes-on-anora").unwrap().unwrap();
        assert_eq!(head.state, EssayState::Published);
        assert_eq!(head.author.as_deref(), Some("ana"));
        assert_eq!(
            head.publication,
            Some(("test-review".into(), "The Test Review".into()))
        );
        assert!(head.published.is_some());
        // Public now: listed, and named on Anora's page.
        let listed = store
            .essays(&kinograph_store::EssayFilter {
                mentioning: None,
                limit: 10,
            })
            .unwrap();
        assert_eq!(listed.len(), 1);
        let essay = store.essay("notes-on-anora").unwrap().unwrap();
        assert!(!essay.mentions.is_empty());

        let overrides = store.overrides("notes-on-anora").unwrap();
        assert_eq!(overrides.len(), 1, "{overrides:?}");
        assert_eq!(overrides[0].claim.kind, "year");
        assert_eq!(overrides[0].reason, ARCHIVE_OVERRIDE_REASON);
        assert_eq!(overrides[0].by.as_deref(), Some(OPERATOR));
        assert!(
            editorial::open_claims(&store, "notes-on-anora")
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            audit(&store, "notes-on-anora"),
            steps(&[
                ("ana", "create"),
                ("kinograph", "submit"),
                ("kinograph", "review"),
                ("kinograph", "override"),
                ("kinograph", "approve"),
                ("kinograph", "publish"),
            ])
        );
        let accounts = store.audit_log(Some("user:ana"), 10).unwrap();
        assert_eq!(accounts.len(), 1);
        assert_eq!(
            (accounts[0].action.as_str(), accounts[0].actor.as_deref()),
            ("user_add", None)
        );

        // The same file again: nothing written.
        let again = import(&mut store, file.clone(), "ana", Some("test-review"), true).unwrap();
        assert_eq!(again.outcome, Outcome::Unchanged);
        assert_eq!(again.state, EssayState::Published);
        assert_eq!(audit(&store, "notes-on-anora").len(), 6);
        assert_eq!(store.revisions("notes-on-anora").unwrap().len(), 1);
        // An essay does not move to another publication.
        add_publication(&mut store, "other-review");
        let error =
            import(&mut store, file.clone(), "ana", Some("other-review"), true).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the essay \"notes-on-anora\" appears in test-review, not other-review"
        );

        // A changed file corrects the published essay.
        let changed = parse(
            "# Notes on Anora\n\nSean Baker made Anora (2024) after Red Rocket.\n",
            "essays/notes-on-anora.txt",
        )
        .unwrap();
        let corrected = import(&mut store, changed, "ana", Some("test-review"), true).unwrap();
        assert_eq!(
            (corrected.outcome, corrected.state),
            (Outcome::Updated, EssayState::Corrected)
        );
        let corrections = store.corrections("notes-on-anora").unwrap();
        assert_eq!(corrections.len(), 1);
        assert_eq!(corrections[0].note, "updated from notes-on-anora.txt");
        assert_eq!(corrections[0].revision, 2);
        assert_eq!(
            audit(&store, "notes-on-anora").last(),
            Some(&("kinograph".to_string(), "correct".to_string()))
        );
    }

    #[test]
    fn an_essay_imported_without_publish_stays_a_draft_and_is_revised() {
        let mut store = demo_store();
        let file = parse(NOTES, "notes-on-anora.md").unwrap();
        let draft = import(&mut store, file.clone(), "ana", None, false).unwrap();
        assert_eq!(
            (draft.outcome, draft.state),
            (Outcome::New, EssayState::Draft)
        );
        // Nothing is done as the operator, so no operator account is made.
        assert!(store.user(OPERATOR).unwrap().is_none());
        let hidden = store
            .essays(&kinograph_store::EssayFilter {
                mentioning: None,
                limit: 10,
            })
            .unwrap();
        assert!(hidden.is_empty(), "a draft is not public");
        assert_eq!(
            import(&mut store, file, "ana", None, false)
                .unwrap()
                .outcome,
            Outcome::Unchanged
        );

        let mut changed = parse(NOTES, "notes-on-anora.md").unwrap();
        changed.body.push_str("\nA second paragraph.\n");
        let revised = import(&mut store, changed.clone(), "ana", None, false).unwrap();
        assert_eq!(
            (revised.outcome, revised.state),
            (Outcome::Updated, EssayState::Draft)
        );
        let revisions = store.revisions("notes-on-anora").unwrap();
        assert_eq!(revisions.len(), 2);
        assert_eq!(revisions[1].by.as_deref(), Some("ana"));
        assert_eq!(revisions[1].note, "updated from notes-on-anora.md");

        // Someone else's file under the same slug is refused, and writes nothing.
        let error = import(&mut store, changed.clone(), "bob", None, true).unwrap_err();
        assert!(matches!(error, Error::Refused(_)), "{error}");
        assert!(store.user("bob").unwrap().is_none());

        // The same text with publish: it moves on.
        let published = import(&mut store, changed, "ana", None, true).unwrap();
        assert_eq!(
            (published.outcome, published.state),
            (Outcome::Updated, EssayState::Published)
        );
    }

    #[test]
    fn a_refused_import_writes_nothing() {
        let mut store = demo_store();
        let file = parse(NOTES, "notes-on-anora.md").unwrap();
        for (author, publication) in [("ana", Some("no-such-review")), ("Not A Name", None)] {
            let error = import(&mut store, file.clone(), author, publication, true).unwrap_err();
            assert!(matches!(error, Error::Refused(_)), "{error}");
        }
        assert!(store.users().unwrap().is_empty());
        assert!(store.essay_head("notes-on-anora").unwrap().is_none());
        // A reader cannot be an essay's author.
        store
            .edit(|w| {
                w.create_user(&NewUser {
                    name: "rae".into(),
                    display_name: "Rae".into(),
                    role: Role::Reader,
                    password_hash: None,
                })
            })
            .unwrap();
        assert!(import(&mut store, file, "rae", None, false).is_err());
        assert!(store.essay_head("notes-on-anora").unwrap().is_none());
    }

    #[test]
    fn an_essay_stored_before_the_workflow_is_unchanged_by_its_file_and_corrected_by_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../store/tests/fixtures/schema-v3.sqlite");
        std::fs::copy(committed, dir.path().join(kinograph_store::SQLITE_FILE)).unwrap();
        let mut store =
            Store::open_sqlite(dir.path(), kinograph_store::OpenMode::ExistingOnly).unwrap();
        let text = "+++\ntitle = \"On fixture-essay\"\nauthor = \"A Writer\"\ntags = [\"test\"]\n+++\nSome words.";
        let same = parse(text, "fixture-essay.md").unwrap();
        let unchanged = import(&mut store, same, "a-writer", None, true).unwrap();
        assert_eq!(
            (unchanged.outcome, unchanged.state),
            (Outcome::Unchanged, EssayState::Published)
        );
        assert!(store.users().unwrap().is_empty(), "nothing was written");

        let changed = parse(&format!("{text} And more."), "fixture-essay.md").unwrap();
        let corrected = import(&mut store, changed, "a-writer", None, true).unwrap();
        assert_eq!(
            (corrected.outcome, corrected.state),
            (Outcome::Updated, EssayState::Corrected)
        );
        let revisions = store.revisions("fixture-essay").unwrap();
        assert_eq!(revisions.len(), 1);
        assert_eq!(revisions[0].by.as_deref(), Some(OPERATOR));
        assert_eq!(
            store.essay("fixture-essay").unwrap().unwrap().body,
            "Some words. And more."
        );
    }

    #[test]
    fn the_demo_essays_are_published_through_the_workflow_once() {
        let mut store = demo_store();
        let first = load_demo(&mut store).unwrap();
        assert_eq!((first.new, first.updated, first.unchanged), (3, 0, 0));
        let (publication, members) = store.publication(DEMO_PUBLICATION).unwrap().unwrap();
        assert_eq!(publication, demo_publication());
        assert_eq!(members.len(), 1);
        assert_eq!(
            (members[0].user.as_str(), members[0].role),
            (DEMO_EDITOR, Role::Editor)
        );
        let heads = store
            .essay_heads(&EditorialFilter {
                limit: 10,
                ..EditorialFilter::default()
            })
            .unwrap();
        assert_eq!(heads.len(), 3);
        for head in &heads {
            assert_eq!(head.state, EssayState::Published, "{}", head.slug);
            assert_eq!(head.author.as_deref(), Some(DEMO_EDITOR));
            assert_eq!(head.author_name, "Kinograph Editors");
            // An archive keeps its dates: the front matter's, not the day of the import.
            let (_, text) = DEMO_ESSAYS
                .iter()
                .find(|(name, _)| name.starts_with(&head.slug))
                .unwrap();
            assert_eq!(
                head.published,
                parse(text, "x.md").unwrap().published,
                "{}",
                head.slug
            );
            let actions: Vec<(String, String)> = audit(&store, &head.slug)
                .into_iter()
                .filter(|(_, action)| action != "override")
                .collect();
            assert_eq!(
                actions,
                steps(&[
                    (DEMO_EDITOR, "create"),
                    (DEMO_EDITOR, "submit"),
                    (DEMO_EDITOR, "review"),
                    (DEMO_EDITOR, "approve"),
                    (DEMO_EDITOR, "publish"),
                ])
            );
        }
        assert!(store.user(OPERATOR).unwrap().is_none());
        let log = store.audit_log(None, 1000).unwrap().len();

        let second = load_demo(&mut store).unwrap();
        assert_eq!((second.new, second.updated, second.unchanged), (0, 0, 3));
        assert_eq!(store.audit_log(None, 1000).unwrap().len(), log);
    }
}
