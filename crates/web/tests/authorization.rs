//! The authorization matrix: every route the router has (from `kinograph_web::routes()`) ×
//! every kind of caller (a visitor, a reader, a writer, an editor, an admin — none of whom
//! own the objects — and the objects' owner) × every object the route reaches (public catalog
//! things, essays in each unpublished state, private and public diary entries and lists,
//! a member's and a writer's pages), each answer checked against the table below.
//!
//! The table is ours, written from what the site intends; a route in the router without a row
//! here fails the test by name, and so does a row whose access rule differs from the router's.
//! Every answer of 200 is also searched for the private objects' words: what a caller may not
//! see must not be in anything they are sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use kinograph_diary::{NewList, NewListItem, NewViewing};
use kinograph_publishing::{Action, NewUser, Publication, Role, User, hash_password, token_hash};
use kinograph_store::editorial::{self as ops, Draft};
use kinograph_store::{Database, EditorialRead, Store, testing};
use kinograph_web::{Access, AppState, Limits, Site, app, routes};
use tower::ServiceExt;

// ------------------------------------------------------------------------------------------
// Who asks, and about what

/// The callers. Reader, writer, editor and admin own none of the objects: for a private
/// object they are "another user's session or token". Owner is the object's owner (the
/// reader `rhea` for diary things, the writer `wren` for essays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    Reader,
    Writer,
    Editor,
    Admin,
    Owner,
}

const ACTORS: [Actor; 6] = [
    Actor::Anonymous,
    Actor::Reader,
    Actor::Writer,
    Actor::Editor,
    Actor::Admin,
    Actor::Owner,
];

/// What a route is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Object {
    /// Nothing of anyone's (a list of everything, the caller's own account).
    None,
    /// Public catalog things: a film, a person, a ceremony, a category, a publication.
    Catalog,
    /// wren's essays, in each state.
    Published,
    Draft,
    Submitted,
    InReview,
    Approved,
    Unpublished,
    /// rhea's diary entries and lists.
    PublicEntry,
    PrivateEntry,
    PublicList,
    PrivateList,
    /// rhea as a member (her profile, diary pages, feed) and wren as a writer.
    Member,
    Writer,
}

const PRIVATE_OBJECTS: [Object; 7] = [
    Object::Draft,
    Object::Submitted,
    Object::InReview,
    Object::Approved,
    Object::Unpublished,
    Object::PrivateEntry,
    Object::PrivateList,
];

const RHEA: &str = "rhea";
const WREN: &str = "wren";
const RHEA_PASSWORD: &str = "rhea-secret-pass-42";

impl Object {
    fn owner(self) -> Option<&'static str> {
        match self {
            Object::None | Object::Catalog => None,
            Object::Published
            | Object::Draft
            | Object::Submitted
            | Object::InReview
            | Object::Approved
            | Object::Unpublished
            | Object::Writer => Some(WREN),
            Object::PublicEntry
            | Object::PrivateEntry
            | Object::PublicList
            | Object::PrivateList
            | Object::Member => Some(RHEA),
        }
    }

    fn is_essay(self) -> bool {
        matches!(
            self,
            Object::Published
                | Object::Draft
                | Object::Submitted
                | Object::InReview
                | Object::Approved
                | Object::Unpublished
        )
    }

    /// Words that are in the private object and nowhere else (never in an address).
    fn marker(self) -> &'static str {
        match self {
            Object::Draft => "Quiet Draft Essay",
            Object::Submitted => "Waiting Submitted Essay",
            Object::InReview => "Pending Review Essay",
            Object::Approved => "Signed Approved Essay",
            Object::Unpublished => "Withdrawn Unpublished Essay",
            Object::PrivateEntry => "Xylophone private thoughts",
            Object::PrivateList => "Hidden Picks",
            other => panic!("{other:?} is not private"),
        }
    }

    /// The essay's title (its slug is made from it).
    fn title(self) -> &'static str {
        match self {
            Object::Published => "Open Published Essay",
            other => other.marker(),
        }
    }

    /// The workflow step each essay is asked to take: the one its editors (or, for a draft,
    /// its author) may take from its state.
    fn action(self) -> &'static str {
        match self {
            Object::Draft => "submit",
            Object::Submitted => "review",
            Object::InReview => "request_changes",
            Object::Approved => "publish",
            Object::Unpublished => "republish",
            Object::Published => "unpublish",
            other => panic!("{other:?} is not an essay"),
        }
    }
}

fn slug_of(title: &str) -> String {
    kinograph_publishing::slugify(title)
}

/// The account behind each actor for `object`.
fn user_of(actor: Actor, object: Object) -> Option<&'static str> {
    match actor {
        Actor::Anonymous => None,
        Actor::Reader => Some("otto"),
        Actor::Writer => Some("walt"),
        Actor::Editor => Some("edna"),
        Actor::Admin => Some("ada"),
        Actor::Owner => Some(object.owner().expect("an owned object")),
    }
}

/// Whether `user` may see the private `object`: an unpublished essay is its author's and
/// the editors' (admins are editors too); a private diary entry or list is its owner's only.
fn may_see(user: Option<&str>, object: Object) -> bool {
    if object.is_essay() {
        matches!(user, Some(WREN | "edna" | "ada"))
    } else {
        user == Some(RHEA)
    }
}

// ------------------------------------------------------------------------------------------
// The expected answers

/// 303 to the log-in page.
const LOGIN: u16 = 1303;
/// Not asked: the route has no owned object, so no owner column.
const NA: u16 = 0;
const OK: u16 = 200;
const CREATED: u16 = 201;
const GONE: u16 = 204;
const SEE: u16 = 303;
const BAD: u16 = 400;
const UNAUTH: u16 = 401;
const FORBID: u16 = 403;
const MISSING: u16 = 404;
const CONFLICT: u16 = 409;

struct Rule {
    method: &'static str,
    path: &'static str,
    access: Access,
    /// For each object: what the visitor, reader, writer, editor, admin and owner get.
    cells: &'static [(Object, [u16; 6])],
}

const fn rule(
    method: &'static str,
    path: &'static str,
    access: Access,
    cells: &'static [(Object, [u16; 6])],
) -> Rule {
    Rule {
        method,
        path,
        access,
        cells,
    }
}

use Access::{AtLeast, Editorial, Owner, Public, SignedIn, Visible};
use Object as O;

const EVERYONE_OK: [u16; 6] = [OK, OK, OK, OK, OK, NA];
const MEMBERS_OK: [u16; 6] = [LOGIN, OK, OK, OK, OK, NA];
const MEMBERS_SEE: [u16; 6] = [UNAUTH, SEE, SEE, SEE, SEE, NA];
/// A draft-like essay any of whose readers (its author and the editors) may read.
const ESSAY_READERS: [u16; 6] = [MISSING, MISSING, MISSING, OK, OK, OK];
const ALL_OK: [u16; 6] = [OK, OK, OK, OK, OK, OK];
/// A private diary thing, to be read.
const OWNER_ONLY: [u16; 6] = [MISSING, MISSING, MISSING, MISSING, MISSING, OK];

#[rustfmt::skip]
const RULES: &[Rule] = &[
    // The catalog, essays, search, the checker. Public pages read on behalf of the caller.
    rule("GET", "/", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/films/{id}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/people/{id}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/awards/{body}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/awards/{body}/{ceremony}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/awards/{body}/categories/{slug}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/awards/{body}/categories/{slug}/winners", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/awards/{body}/{ceremony}/films", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/records", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/search", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/essays", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/essays/{slug}", Visible, &[
        (O::Published, ALL_OK),
        (O::Draft, ESSAY_READERS),
        (O::Submitted, ESSAY_READERS),
        (O::InReview, ESSAY_READERS),
        (O::Approved, ESSAY_READERS),
        (O::Unpublished, ESSAY_READERS),
    ]),
    rule("GET", "/check", Public, &[(O::None, EVERYONE_OK)]),
    rule("POST", "/check", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/publications/{slug}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/writers/{name}", Public, &[(O::Writer, ALL_OK)]),
    rule("GET", "/feeds/{scope}/{key}/{format}", Public, &[
        (O::Catalog, EVERYONE_OK),
        (O::Writer, ALL_OK),
        (O::Member, ALL_OK),
    ]),
    // Operations and assets.
    rule("GET", "/healthz", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/readyz", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/metrics", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/static/kinograph.css", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/static/kinograph.js", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/favicon.svg", Public, &[(O::None, EVERYONE_OK)]),
    // Accounts. Logging in (as rhea) and signing up are open to anyone.
    rule("GET", "/login", Public, &[(O::None, EVERYONE_OK)]),
    rule("POST", "/login", Public, &[(O::None, [SEE, SEE, SEE, SEE, SEE, NA])]),
    rule("POST", "/logout", Public, &[(O::None, [SEE, SEE, SEE, SEE, SEE, NA])]),
    rule("GET", "/signup", Public, &[(O::None, EVERYONE_OK)]),
    rule("POST", "/signup", Public, &[(O::None, [SEE, SEE, SEE, SEE, SEE, NA])]),
    rule("GET", "/account", SignedIn, &[(O::None, MEMBERS_OK)]),
    // Sent with a wrong current password: past the sign-in check, refused for that.
    rule("POST", "/account/password", SignedIn, &[(O::None, [UNAUTH, BAD, BAD, BAD, BAD, NA])]),
    rule("POST", "/account/tokens", SignedIn, &[(O::None, [UNAUTH, OK, OK, OK, OK, NA])]),
    // Writing and editing.
    rule("GET", "/write", AtLeast(Role::Writer), &[(O::None, [LOGIN, FORBID, OK, OK, OK, NA])]),
    rule("POST", "/write", AtLeast(Role::Writer), &[(O::None, [UNAUTH, FORBID, SEE, SEE, SEE, NA])]),
    // The desk of an essay (its check, its earlier drafts, the editors' overrides) is its
    // author's and the editors'; a published essay is read at /essays/ by everyone else.
    rule("GET", "/write/{slug}", Editorial, &[
        (O::Published, [LOGIN, FORBID, FORBID, OK, OK, OK]),
        (O::Draft, [LOGIN, MISSING, MISSING, OK, OK, OK]),
        (O::Submitted, [LOGIN, MISSING, MISSING, OK, OK, OK]),
        (O::InReview, [LOGIN, MISSING, MISSING, OK, OK, OK]),
        (O::Approved, [LOGIN, MISSING, MISSING, OK, OK, OK]),
        (O::Unpublished, [LOGIN, MISSING, MISSING, OK, OK, OK]),
    ]),
    // Saving: the author edits a draft; editors edit in review and correct once published;
    // nobody edits a submission (it waits for an editor) or an unpublished essay.
    rule("POST", "/write/{slug}", Editorial, &[
        (O::Published, [UNAUTH, FORBID, FORBID, SEE, SEE, FORBID]),
        (O::Draft, [UNAUTH, MISSING, MISSING, SEE, SEE, SEE]),
        (O::Submitted, [UNAUTH, MISSING, MISSING, FORBID, FORBID, FORBID]),
        (O::InReview, [UNAUTH, MISSING, MISSING, SEE, SEE, FORBID]),
        (O::Approved, [UNAUTH, MISSING, MISSING, SEE, SEE, FORBID]),
        (O::Unpublished, [UNAUTH, MISSING, MISSING, CONFLICT, CONFLICT, CONFLICT]),
    ]),
    // Each essay asked to take the step its state allows (see `Object::action`): the author
    // submits a draft; every other step is an editor's.
    rule("POST", "/write/{slug}/act", Editorial, &[
        (O::Published, [UNAUTH, FORBID, FORBID, SEE, SEE, FORBID]),
        (O::Draft, [UNAUTH, MISSING, MISSING, SEE, SEE, SEE]),
        (O::Submitted, [UNAUTH, MISSING, MISSING, SEE, SEE, FORBID]),
        (O::InReview, [UNAUTH, MISSING, MISSING, SEE, SEE, FORBID]),
        (O::Approved, [UNAUTH, MISSING, MISSING, SEE, SEE, FORBID]),
        (O::Unpublished, [UNAUTH, MISSING, MISSING, SEE, SEE, FORBID]),
    ]),
    // Overriding the in-review essay's contradicted claim: editors only. The draft has no
    // such claim, which an editor is told (400).
    rule("POST", "/write/{slug}/override", Editorial, &[
        (O::InReview, [UNAUTH, MISSING, MISSING, SEE, SEE, FORBID]),
        (O::Draft, [UNAUTH, MISSING, MISSING, BAD, BAD, FORBID]),
    ]),
    rule("GET", "/write/{slug}/revisions", Editorial, &[
        (O::Published, [UNAUTH, FORBID, FORBID, OK, OK, OK]),
        (O::Draft, [UNAUTH, MISSING, MISSING, OK, OK, OK]),
        (O::Submitted, [UNAUTH, MISSING, MISSING, OK, OK, OK]),
        (O::InReview, [UNAUTH, MISSING, MISSING, OK, OK, OK]),
        (O::Approved, [UNAUTH, MISSING, MISSING, OK, OK, OK]),
        (O::Unpublished, [UNAUTH, MISSING, MISSING, OK, OK, OK]),
    ]),
    rule("GET", "/editor", AtLeast(Role::Editor), &[(O::None, [LOGIN, FORBID, FORBID, OK, OK, NA])]),
    rule("GET", "/admin", AtLeast(Role::Admin), &[(O::None, [LOGIN, FORBID, FORBID, FORBID, OK, NA])]),
    rule("POST", "/admin/signup", AtLeast(Role::Admin), &[(O::None, [UNAUTH, FORBID, FORBID, FORBID, SEE, NA])]),
    rule("POST", "/admin/users/{name}/role", AtLeast(Role::Admin), &[(O::None, [UNAUTH, FORBID, FORBID, FORBID, SEE, NA])]),
    // The diary. Someone else's entry or list is missing to anyone but its owner — even to
    // an admin, and even when it is public, for what changes it.
    rule("POST", "/diary", SignedIn, &[(O::None, MEMBERS_SEE)]),
    rule("GET", "/diary/{id}/edit", Owner, &[
        (O::PublicEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, OK]),
        (O::PrivateEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, OK]),
    ]),
    rule("POST", "/diary/{id}/edit", Owner, &[
        (O::PublicEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
        (O::PrivateEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
    ]),
    rule("POST", "/diary/{id}/delete", Owner, &[
        (O::PublicEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
        (O::PrivateEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
    ]),
    rule("POST", "/films/{id}/{switch}", SignedIn, &[(O::Catalog, MEMBERS_SEE)]),
    rule("GET", "/activity", SignedIn, &[(O::None, MEMBERS_OK)]),
    rule("GET", "/lists", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/lists/new", SignedIn, &[(O::None, MEMBERS_OK)]),
    rule("POST", "/lists/new", SignedIn, &[(O::None, MEMBERS_SEE)]),
    rule("POST", "/lists/add", Owner, &[
        (O::PublicList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
        (O::PrivateList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
    ]),
    rule("GET", "/account/diary", SignedIn, &[(O::None, MEMBERS_OK)]),
    rule("POST", "/account/diary/settings", SignedIn, &[(O::None, MEMBERS_SEE)]),
    rule("POST", "/account/diary/letterboxd", SignedIn, &[(O::None, [UNAUTH, OK, OK, OK, OK, NA])]),
    rule("POST", "/account/diary/archive", SignedIn, &[(O::None, [UNAUTH, OK, OK, OK, OK, NA])]),
    rule("GET", "/account/diary/letterboxd-import.csv", SignedIn, &[(O::None, [UNAUTH, OK, OK, OK, OK, NA])]),
    rule("GET", "/account/diary/archive.json", SignedIn, &[(O::None, [UNAUTH, OK, OK, OK, OK, NA])]),
    rule("GET", "/u/{name}", Public, &[(O::Member, ALL_OK)]),
    rule("GET", "/u/{name}/diary", Public, &[(O::Member, ALL_OK)]),
    rule("GET", "/u/{name}/films", Public, &[(O::Member, ALL_OK)]),
    rule("GET", "/u/{name}/likes", Public, &[(O::Member, ALL_OK)]),
    rule("GET", "/u/{name}/watchlist", Public, &[(O::Member, ALL_OK)]),
    rule("GET", "/u/{name}/stats", Public, &[(O::Member, ALL_OK)]),
    // Following: anyone signed in may follow rhea; following oneself is refused.
    rule("POST", "/u/{name}/follow", SignedIn, &[(O::Member, [UNAUTH, SEE, SEE, SEE, SEE, CONFLICT])]),
    rule("GET", "/u/{name}/reviews/{id}", Visible, &[
        (O::PublicEntry, ALL_OK),
        (O::PrivateEntry, OWNER_ONLY),
    ]),
    rule("POST", "/u/{name}/reviews/{id}/like", Visible, &[
        (O::PublicEntry, [UNAUTH, SEE, SEE, SEE, SEE, SEE]),
        (O::PrivateEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
    ]),
    rule("GET", "/u/{name}/lists", Public, &[(O::Member, ALL_OK)]),
    rule("GET", "/u/{name}/lists/{slug}", Visible, &[
        (O::PublicList, ALL_OK),
        (O::PrivateList, OWNER_ONLY),
    ]),
    rule("GET", "/u/{name}/lists/{slug}/edit", Owner, &[
        (O::PublicList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, OK]),
        (O::PrivateList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, OK]),
    ]),
    rule("POST", "/u/{name}/lists/{slug}/edit", Owner, &[
        (O::PublicList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
        (O::PrivateList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
    ]),
    rule("POST", "/u/{name}/lists/{slug}/delete", Owner, &[
        (O::PublicList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
        (O::PrivateList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
    ]),
    rule("POST", "/u/{name}/lists/{slug}/like", Visible, &[
        (O::PublicList, [UNAUTH, SEE, SEE, SEE, SEE, SEE]),
        (O::PrivateList, [UNAUTH, MISSING, MISSING, MISSING, MISSING, SEE]),
    ]),
    // The JSON API: a bearer token or nothing; 401 where one is needed.
    rule("GET", "/api/films/{id}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/api/people/{id}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/api/search", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/api/records", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/api/awards/{body}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/api/awards/{body}/{ceremony}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/api/awards/{body}/categories/{slug}", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/api/essays", Public, &[(O::None, EVERYONE_OK)]),
    rule("POST", "/api/essays", AtLeast(Role::Writer), &[(O::None, [UNAUTH, FORBID, CREATED, CREATED, CREATED, NA])]),
    rule("GET", "/api/essays/{slug}", Visible, &[
        (O::Published, ALL_OK),
        (O::Draft, ESSAY_READERS),
        (O::Submitted, ESSAY_READERS),
        (O::InReview, ESSAY_READERS),
        (O::Approved, ESSAY_READERS),
        (O::Unpublished, ESSAY_READERS),
    ]),
    rule("POST", "/api/essays/{slug}/actions/{action}", Editorial, &[
        (O::Published, [UNAUTH, FORBID, FORBID, OK, OK, FORBID]),
        (O::Draft, [UNAUTH, MISSING, MISSING, OK, OK, OK]),
        (O::Submitted, [UNAUTH, MISSING, MISSING, OK, OK, FORBID]),
        (O::InReview, [UNAUTH, MISSING, MISSING, OK, OK, FORBID]),
        (O::Approved, [UNAUTH, MISSING, MISSING, OK, OK, FORBID]),
        (O::Unpublished, [UNAUTH, MISSING, MISSING, OK, OK, FORBID]),
    ]),
    rule("GET", "/api/me", SignedIn, &[(O::None, [UNAUTH, OK, OK, OK, OK, NA])]),
    rule("GET", "/api/users/{name}/diary", Public, &[(O::Member, ALL_OK)]),
    rule("POST", "/api/diary", SignedIn, &[(O::None, [UNAUTH, CREATED, CREATED, CREATED, CREATED, NA])]),
    rule("GET", "/api/diary/{id}", Visible, &[
        (O::PublicEntry, ALL_OK),
        (O::PrivateEntry, OWNER_ONLY),
    ]),
    rule("DELETE", "/api/diary/{id}", Owner, &[
        (O::PublicEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, GONE]),
        (O::PrivateEntry, [UNAUTH, MISSING, MISSING, MISSING, MISSING, GONE]),
    ]),
    rule("GET", "/api/films/{id}/ratings", Public, &[(O::Catalog, EVERYONE_OK)]),
    rule("GET", "/api/users/{name}/lists", Public, &[(O::Member, ALL_OK)]),
    rule("GET", "/api/users/{name}/lists/{slug}", Visible, &[
        (O::PublicList, ALL_OK),
        (O::PrivateList, OWNER_ONLY),
    ]),
    rule("GET", "/api/me/archive", SignedIn, &[(O::None, [UNAUTH, OK, OK, OK, OK, NA])]),
    rule("POST", "/api/check", Public, &[(O::None, EVERYONE_OK)]),
    rule("GET", "/api/openapi.json", Public, &[(O::None, EVERYONE_OK)]),
];

// ------------------------------------------------------------------------------------------
// The seeded world

const ANORA: &str = "tt28607951";
const SEAN_BAKER: &str = "nm0048918";
const CSRF: &str = "a-csrf-token-of-the-authorization-matrix-0123456789";
/// A claim the checker contradicts (Anora is from 2024): the in-review essay carries it.
const CONTRADICTED: &str = "## A year\n\nSean Baker directed *Anora* (2019).\n";
const NEUTRAL: &str = "A few quiet words about going to the cinema.\n";

fn session_of(user: &str) -> String {
    format!("kgs_matrix_session_of_{user}")
}

fn token_of(user: &str) -> String {
    format!("kgt_matrix_token_of_{user}")
}

/// A data folder and its store with the world in it, copied afresh whenever a request may have
/// changed it.
struct World {
    template: tempfile::TempDir,
    database: Database,
    entries: BTreeMap<Object, i64>,
    claim: (String, String),
}

fn create_user(store: &mut Store, name: &str, role: Role, password: Option<&str>) -> User {
    store
        .edit(|w| {
            let user = w.create_user(&NewUser {
                name: name.into(),
                display_name: name.into(),
                role,
                password_hash: password.map(|p| hash_password(p).unwrap()),
            })?;
            w.create_session(user.id, &token_hash(&session_of(name)), 30)?;
            w.create_api_token(user.id, "matrix", &token_hash(&token_of(name)))?;
            Ok(user)
        })
        .unwrap()
}

fn essay(store: &mut Store, author: &User, object: Object, body: &str) -> String {
    let checker = kinograph_store::checker_for(store, body).unwrap();
    let draft = Draft {
        title: object.title().into(),
        subtitle: None,
        tags: Vec::new(),
        spoilers: false,
        body: body.into(),
    };
    let slug = ops::create(store, &checker, author, Some("campus-reel"), &draft, None).unwrap();
    assert_eq!(slug, slug_of(object.title()));
    slug
}

fn viewing(private: bool, review: &str) -> NewViewing {
    let day = NaiveDate::from_ymd_opt(2025, 3, 2).unwrap();
    NewViewing {
        film: ANORA.into(),
        watched: Some(day),
        logged: day,
        rating: None,
        liked: false,
        rewatch: false,
        review: Some(review.into()),
        spoilers: false,
        tags: Vec::new(),
        private,
        letterboxd_uri: None,
        key: kinograph_store::diary::new_key().unwrap(),
    }
}

fn list(name: &str, private: bool) -> NewList {
    NewList {
        name: name.into(),
        description: None,
        ranked: false,
        private,
        tags: Vec::new(),
        created: NaiveDate::from_ymd_opt(2025, 3, 2).unwrap(),
        items: vec![NewListItem {
            film: ANORA.into(),
            note: None,
        }],
    }
}

impl World {
    fn seed() -> World {
        let template = tempfile::tempdir().unwrap();
        let (database, mut store) = common::catalog(template.path());
        store
            .edit(|w| {
                w.put_publication(&Publication {
                    slug: "campus-reel".into(),
                    name: "The Campus Reel".into(),
                    description: "A student film magazine.".into(),
                    links: Vec::new(),
                })?;
                Ok(())
            })
            .unwrap();
        let rhea = create_user(&mut store, RHEA, Role::Reader, Some(RHEA_PASSWORD));
        let wren = create_user(&mut store, WREN, Role::Writer, None);
        let edna = create_user(&mut store, "edna", Role::Editor, None);
        for (name, role) in [
            ("otto", Role::Reader),
            ("walt", Role::Writer),
            ("ada", Role::Admin),
        ] {
            create_user(&mut store, name, role, None);
        }

        // wren's essays, one in each state but corrected.
        fn act(store: &mut Store, slug: &str, steps: &[(Action, &User)]) {
            for (action, by) in steps {
                ops::act(store, slug, *action, by).unwrap();
            }
        }
        let to_approved = [
            (Action::Submit, &wren),
            (Action::StartReview, &edna),
            (Action::Approve, &edna),
        ];
        essay(&mut store, &wren, Object::Draft, NEUTRAL);
        let slug = essay(&mut store, &wren, Object::Submitted, NEUTRAL);
        act(&mut store, &slug, &to_approved[..1]);
        let slug = essay(&mut store, &wren, Object::InReview, CONTRADICTED);
        act(&mut store, &slug, &to_approved[..2]);
        let claim = store
            .revisions(&slug)
            .unwrap()
            .pop()
            .unwrap()
            .check
            .contradicted[0]
            .clone();
        let slug = essay(&mut store, &wren, Object::Approved, NEUTRAL);
        act(&mut store, &slug, &to_approved);
        let slug = essay(&mut store, &wren, Object::Published, NEUTRAL);
        act(&mut store, &slug, &to_approved);
        act(&mut store, &slug, &[(Action::Publish, &edna)]);
        let slug = essay(&mut store, &wren, Object::Unpublished, NEUTRAL);
        act(&mut store, &slug, &to_approved);
        act(
            &mut store,
            &slug,
            &[(Action::Publish, &edna), (Action::Unpublish, &edna)],
        );

        // rhea's diary: an entry and a list of each kind.
        let mut entries = BTreeMap::new();
        for (object, private, review) in [
            (Object::PublicEntry, false, "A public review of Anora."),
            (Object::PrivateEntry, true, Object::PrivateEntry.marker()),
        ] {
            let (id, _) =
                kinograph_store::diary::log(&mut store, rhea.id, &viewing(private, review))
                    .unwrap();
            entries.insert(object, id);
        }
        store
            .diary(|w| {
                w.put_list(rhea.id, "open-favourites", &list("Open Favourites", false))?;
                w.put_list(
                    rhea.id,
                    &slug_of(Object::PrivateList.marker()),
                    &list(Object::PrivateList.marker(), true),
                )?;
                Ok(())
            })
            .unwrap();
        drop(store);
        // Opening the site once builds the search index, which each copy then shares.
        drop(open(template.path(), &database));
        World {
            template,
            database,
            entries,
            claim: (claim.kind, claim.text),
        }
    }

    /// A fresh copy of the world, served.
    fn fresh(&self) -> (tempfile::TempDir, Router) {
        common::blocking(|| {
            let copy = tempfile::tempdir().unwrap();
            copy_dir(self.template.path(), copy.path());
            let database = match &self.database {
                Database::Sqlite(_) => Database::Sqlite(copy.path().to_path_buf()),
                Database::Postgres(template) => {
                    let url = testing::postgres_url().unwrap();
                    Database::Postgres(testing::copy_schema_url(&url, template).unwrap())
                }
            };
            let router = open(copy.path(), &database);
            (copy, router)
        })
    }
}

fn open(dir: &Path, database: &Database) -> Router {
    let state = AppState::open_on(
        dir,
        database,
        Site {
            name: "Kinograph".into(),
            base_url: "http://localhost".into(),
        },
    )
    .unwrap()
    .with_limits(Limits {
        login: None,
        writes: None,
        ..Limits::default()
    });
    app(state)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else if !entry.file_name().to_string_lossy().ends_with(".lock") {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

// ------------------------------------------------------------------------------------------
// Requests

/// The route's path with its parameters filled in for `object`.
fn fill(world: &World, path: &str, object: Object) -> String {
    let essay = || slug_of(object.title());
    let list = || match object {
        Object::PublicList => "open-favourites".to_string(),
        Object::PrivateList => slug_of(Object::PrivateList.marker()),
        other => panic!("{path}: {other:?} is not a list"),
    };
    let entry = || world.entries[&object].to_string();
    let mut filled = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        filled.push_str(&rest[..start]);
        let end = start + rest[start..].find('}').unwrap();
        let param = &rest[start + 1..end];
        let before = &path[..path.len() - rest.len() + start];
        let value = match param {
            "id" if before.contains("/diary") || before.contains("/reviews") => entry(),
            "id" if before.contains("/people") => SEAN_BAKER.to_string(),
            "id" => ANORA.to_string(),
            "body" => "oscars".to_string(),
            "ceremony" => "97".to_string(),
            "slug" if before.contains("/awards") => "best-picture".to_string(),
            "slug" if before.contains("/publications") => "campus-reel".to_string(),
            "slug" if before.contains("/lists") => list(),
            "slug" => essay(),
            "name" if before.starts_with("/writers") => WREN.to_string(),
            "name" if before.starts_with("/admin") => "otto".to_string(),
            "name" => RHEA.to_string(),
            "scope" | "key" | "format" => {
                let (scope, key) = match object {
                    Object::Catalog => ("film", ANORA),
                    Object::Writer => ("writer", WREN),
                    Object::Member => ("member", RHEA),
                    other => panic!("{path}: no feed of {other:?}"),
                };
                match param {
                    "scope" => scope.to_string(),
                    "key" => key.to_string(),
                    _ => "atom".to_string(),
                }
            }
            "switch" => "watchlist".to_string(),
            "action" => object.action().to_string(),
            other => panic!("{path}: no value for the parameter {other:?}; teach `fill` one"),
        };
        filled.push_str(&value);
        rest = &rest[end + 1..];
    }
    filled.push_str(rest);
    if path.ends_with("/search") {
        filled.push_str("?q=anora");
    }
    filled
}

/// The form a page's POST sends (its CSRF token is added), or the API's JSON body.
fn form(world: &World, path: &str, object: Object) -> Vec<(String, String)> {
    let fields: Vec<(&str, String)> = match path {
        "/check" => vec![("text", "Sean Baker directed Anora.".into())],
        "/login" => vec![
            ("name", RHEA.into()),
            ("password", RHEA_PASSWORD.into()),
            ("next", "/".into()),
        ],
        "/signup" => vec![
            ("name", "newcomer".into()),
            ("display_name", "Newcomer".into()),
            ("password", "newcomer-pass-42".into()),
            ("password_again", "newcomer-pass-42".into()),
        ],
        "/account/password" => vec![
            ("current", "not-the-password-42".into()),
            ("new", "a-new-password-42".into()),
            ("new_again", "a-new-password-42".into()),
        ],
        "/account/tokens" => vec![("name", "matrix".into())],
        "/write" => vec![("title", "A Fresh Essay".into()), ("body", NEUTRAL.into())],
        "/write/{slug}" => vec![
            ("title", object.title().into()),
            ("body", NEUTRAL.into()),
            ("note", "a fix".into()),
        ],
        "/write/{slug}/act" => vec![("action", object.action().into())],
        "/write/{slug}/override" => vec![
            ("kind", world.claim.0.clone()),
            ("text", world.claim.1.clone()),
            ("reason", "the source says so".into()),
        ],
        "/admin/signup" => vec![("open", "on".into())],
        "/admin/users/{name}/role" => vec![("role", "reader".into())],
        "/diary" | "/diary/{id}/edit" => {
            vec![("film", ANORA.into()), ("review", "Seen again.".into())]
        }
        "/lists/new" | "/u/{name}/lists/{slug}/edit" => {
            vec![("name", "Another List".into()), ("films", ANORA.into())]
        }
        "/lists/add" => vec![
            (
                "list",
                fill(world, "/u/{name}/lists/{slug}", object)
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .into(),
            ),
            ("film", ANORA.into()),
        ],
        "/account/diary/settings" => vec![("autoremove", "on".into())],
        "/films/{id}/{switch}"
        | "/u/{name}/follow"
        | "/u/{name}/reviews/{id}/like"
        | "/u/{name}/lists/{slug}/like" => vec![("on", "1".into())],
        _ => Vec::new(),
    };
    fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn json_body(path: &str) -> Option<&'static str> {
    match path {
        "/api/essays" => Some(r#"{"title":"An API Essay","body":"A few quiet words."}"#),
        "/api/diary" => Some(r#"{"film":"tt28607951"}"#),
        "/api/check" => Some(r#"{"text":"Sean Baker directed Anora."}"#),
        _ => None,
    }
}

const BOUNDARY: &str = "matrix-boundary";

fn multipart(field: &str, file: &str, content: &str) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n"
    )
}

fn request(
    world: &World,
    method: &str,
    path: &str,
    api: bool,
    actor: Actor,
    object: Object,
) -> Request<Body> {
    let user = user_of(actor, object);
    let mut uri = fill(world, path, object);
    let mut builder = Request::builder().method(method);
    if api {
        if let Some(user) = user {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {}", token_of(user)));
        }
    } else {
        let mut cookie = format!("kg_csrf={CSRF}");
        if let Some(user) = user {
            cookie.push_str(&format!("; kg_session={}", session_of(user)));
        }
        builder = builder.header(header::COOKIE, cookie);
    }
    let body = if method == "GET" || method == "DELETE" {
        Body::empty()
    } else if api {
        match json_body(path) {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json)
            }
            None => Body::empty(),
        }
    } else if let Some((field, file, content)) = match path {
        "/account/diary/letterboxd" => Some((
            "export",
            "watched.csv",
            "Date,Name,Year,Letterboxd URI\r\n2025-03-02,Anora,2024,https://boxd.it/matrix\r\n",
        )),
        "/account/diary/archive" => Some(("archive", "archive.json", "{}")),
        _ => None,
    } {
        // An upload carries its CSRF token in its address.
        uri.push_str(&format!("?csrf={CSRF}"));
        builder = builder.header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        Body::from(multipart(field, file, content))
    } else {
        let mut fields = form(world, path, object);
        fields.push(("csrf".into(), CSRF.into()));
        builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from(serde_urlencoded::to_string(fields).unwrap())
    };
    builder.uri(uri).body(body).unwrap()
}

// ------------------------------------------------------------------------------------------
// The matrix

fn status_name(expected: u16) -> String {
    match expected {
        LOGIN => "303 to /login".to_string(),
        other => other.to_string(),
    }
}

/// The rules by route, after checking that the router's routes and the table's rows are the
/// same set with the same access rules; otherwise what differs, by route.
fn rules_by_route() -> Result<BTreeMap<(&'static str, &'static str), &'static Rule>, String> {
    let mut problems = Vec::new();
    let rules: BTreeMap<(&str, &str), &Rule> =
        RULES.iter().map(|r| ((r.method, r.path), r)).collect();
    if rules.len() != RULES.len() {
        problems.push("a rule is written twice".to_string());
    }
    for spec in routes() {
        match rules.get(&(spec.method.as_str(), spec.path)) {
            None => problems.push(format!(
                "{} {} is in the router but has no rule in tests/authorization.rs: \
                 say what each caller gets",
                spec.method, spec.path
            )),
            Some(rule) if rule.access != spec.access => problems.push(format!(
                "{} {}: the router declares {:?}, the rule expects {:?}",
                spec.method, spec.path, spec.access, rule.access
            )),
            Some(_) => {}
        }
    }
    let declared: BTreeSet<(String, &str)> = routes()
        .iter()
        .map(|s| (s.method.to_string(), s.path))
        .collect();
    for rule in RULES {
        if !declared.contains(&(rule.method.to_string(), rule.path)) {
            problems.push(format!(
                "{} {} has a rule but is not in the router",
                rule.method, rule.path
            ));
        }
    }
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(problems.join("\n"))
    }
}

/// Quick, without the world: a route added to the router without a rule fails here by name.
#[test]
fn every_route_in_the_router_has_a_rule() {
    if let Err(problems) = rules_by_route() {
        panic!("{problems}");
    }
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_rules_say() {
    let rules = rules_by_route().unwrap_or_else(|problems| panic!("{problems}"));
    let world = common::blocking(World::seed);
    let (mut _dir, mut site) = world.fresh();
    let mut cells = 0;
    let mut objects = BTreeSet::new();
    let mut failures = Vec::new();
    for spec in routes() {
        let rule = rules[&(spec.method.as_str(), spec.path)];
        for (object, expected) in rule.cells {
            objects.insert(*object);
            for (actor, expected) in ACTORS.iter().zip(expected) {
                if *expected == NA {
                    assert!(
                        object.owner().is_none(),
                        "{} {}: the owner of {object:?} must have a cell",
                        rule.method,
                        rule.path
                    );
                    continue;
                }
                cells += 1;
                let request = request(
                    &world,
                    rule.method,
                    rule.path,
                    spec.is_api(),
                    *actor,
                    *object,
                );
                let shown = format!("{} {}", request.method(), request.uri());
                let response = site.clone().oneshot(request).await.unwrap();
                let status = response.status().as_u16();
                let location = response
                    .headers()
                    .get(header::LOCATION)
                    .map(|v| v.to_str().unwrap().to_string());
                let body = response.into_body().collect().await.unwrap().to_bytes();
                let body = String::from_utf8_lossy(&body);
                let got = if status == 303
                    && location.as_deref().is_some_and(|l| l.starts_with("/login"))
                {
                    LOGIN
                } else {
                    status
                };
                if got != *expected {
                    let excerpt: String = body.chars().take(300).collect();
                    failures.push(format!(
                        "{shown} as {actor:?} ({object:?}): expected {}, got {} {}",
                        status_name(*expected),
                        status_name(got),
                        excerpt.replace('\n', " ")
                    ));
                }
                if status == 200 {
                    let user = user_of(*actor, *object);
                    for private in PRIVATE_OBJECTS {
                        if !may_see(user, private) && body.contains(private.marker()) {
                            failures.push(format!(
                                "{shown} as {actor:?}: the answer shows {private:?} ({:?}), which is not theirs to see",
                                private.marker()
                            ));
                        }
                    }
                }
                // A write that went through may have changed the world: start again from a copy.
                if rule.method != "GET" && status < 400 {
                    (_dir, site) = world.fresh();
                }
            }
        }
    }
    println!(
        "authorization matrix: {} routes × {} callers × {} objects: {cells} cells",
        routes().len(),
        ACTORS.len(),
        objects.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
