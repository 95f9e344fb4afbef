//! The editorial workflow over HTTP, in-process, as browsers would drive it (cookies, CSRF
//! tokens, redirects): a writer signs up and submits, an editor reviews, signs off the
//! fact-check, publishes and corrects; and the security rules hold on the way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Browser, api, token_of};

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::http::StatusCode;
use kinograph_publishing::{NewUser, Publication, Role, hash_password};
use kinograph_store::Database;
use kinograph_web::{AppState, Site, app};

const EDITOR_PASSWORD: &str = "editor-secret-pass";
const WRITER_PASSWORD: &str = "writer-secret-pass-42";
const READER_PASSWORD: &str = "reader-secret-pass-42";

/// Every log line of this test binary, to show that no password is ever logged.
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .try_init();
        buffer
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A catalog (the demo world, our Academy Awards rows), a publication and an editor; and where
/// the catalog is.
fn site(dir: &Path) -> (Router, Database) {
    common::blocking(|| {
        let (database, mut store) = common::catalog(dir);
        store
            .edit(|w| {
                w.put_publication(&Publication {
                    slug: "campus-reel".into(),
                    name: "The Campus Reel".into(),
                    description: "A student film magazine.".into(),
                    links: vec![("Mastodon".into(), "https://example.social/@reel".into())],
                })?;
                for (name, role, password) in [
                    ("edna", Role::Editor, EDITOR_PASSWORD),
                    ("ada", Role::Admin, EDITOR_PASSWORD),
                ] {
                    w.create_user(&NewUser {
                        name: name.into(),
                        display_name: name.to_uppercase(),
                        role,
                        password_hash: Some(hash_password(password).unwrap()),
                    })?;
                }
                Ok(())
            })
            .unwrap();
        drop(store);
        let state = AppState::open_on(
            dir,
            &database,
            Site {
                name: "Kinograph".into(),
                base_url: "http://localhost".into(),
            },
        )
        .unwrap();
        (app(state), database)
    })
}

const ESSAY: &str = "## Anora's year\n\nSean Baker directed *Anora* (2019), about a dancer in Brooklyn. \
It was made for about $6 million and Mikey Madison plays Ani.\n\n\
Sneaky <script>alert('x')</script> and <img src=x onerror=alert(1)> [link](javascript:alert(1)).\n";

#[tokio::test]
async fn the_whole_editorial_workflow() {
    let logs = logs();
    let dir = tempfile::tempdir().unwrap();
    let (app, database) = site(dir.path());

    // A writer signs up and drafts an essay with a wrong year in it.
    let mut writer = Browser::new(&app);
    let signed_up = writer
        .post(
            "/signup",
            &[
                ("name", "wendy"),
                ("display_name", "Wendy Writer"),
                ("password", WRITER_PASSWORD),
                ("password_again", WRITER_PASSWORD),
                ("writer", "on"),
            ],
        )
        .await;
    assert_eq!(
        signed_up.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_up.body
    );
    assert_eq!(signed_up.location.as_deref(), Some("/write"));
    let created = writer
        .post(
            "/write",
            &[
                ("title", "Anora's Year"),
                ("subtitle", "A night in Brighton Beach."),
                ("tags", "Sean Baker, Oscars"),
                ("publication", "campus-reel"),
                ("body", ESSAY),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let slug = created
        .location
        .unwrap()
        .trim_start_matches("/write/")
        .to_string();
    assert_eq!(slug, "anoras-year");
    assert_eq!(
        writer.act(&slug, "submit").await.status,
        StatusCode::SEE_OTHER
    );

    // Nobody else sees the draft: a visitor, a reader, search.
    let mut visitor = Browser::new(&app);
    let unpublished = visitor.get("/api/search?q=anora%27s+year&kind=essay").await;
    assert!(
        unpublished.body.contains("\"total\":0"),
        "{}",
        unpublished.body
    );
    assert_eq!(
        visitor.get(&format!("/essays/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get(&format!("/api/essays/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut reader = Browser::new(&app);
    let joined = reader
        .post(
            "/signup",
            &[
                ("name", "rita"),
                ("password", READER_PASSWORD),
                ("password_again", READER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reader.get(&format!("/essays/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        reader.get(&format!("/write/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );

    // The writer cannot publish, by the page or by the API.
    assert_eq!(
        writer.act(&slug, "publish").await.status,
        StatusCode::FORBIDDEN
    );
    let writer_token = token_of(&mut writer).await;
    let (status, _) = api(
        &app,
        "POST",
        &format!("/api/essays/{slug}/actions/publish"),
        &writer_token,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A reader's token cannot call editor endpoints either.
    let reader_token = token_of(&mut reader).await;
    for action in ["review", "approve", "publish"] {
        let (status, body) = api(
            &app,
            "POST",
            &format!("/api/essays/{slug}/actions/{action}"),
            &reader_token,
        )
        .await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{action}: {status} {body}"
        );
    }
    let (status, body) = api(&app, "GET", "/api/me", &reader_token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"role\":\"reader\""), "{body}");

    // The editor sees it in the queue, takes it, and sees the contradicted claim.
    let mut editor = Browser::new(&app);
    editor.log_in("edna", EDITOR_PASSWORD).await;
    let queue = editor.get("/editor").await;
    assert!(
        queue.body.contains("Anora&#39;s Year") || queue.body.contains("Anora's Year"),
        "{}",
        queue.body
    );
    assert_eq!(
        editor.act(&slug, "review").await.status,
        StatusCode::SEE_OTHER
    );
    let review = editor.get(&format!("/write/{slug}")).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review.body.contains("1 contradicted claim blocks approval"),
        "{}",
        review.body
    );
    assert!(review.body.contains("Anora* (2019)"), "{}", review.body);
    // Approval waits for the sign-off.
    let refused = editor.act(&slug, "approve").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    // An override needs a reason.
    let no_reason = editor
        .post(
            &format!("/write/{slug}/override"),
            &[("kind", "year"), ("text", "*Anora* (2019)"), ("reason", "")],
        )
        .await;
    assert_eq!(
        no_reason.status,
        StatusCode::BAD_REQUEST,
        "{}",
        no_reason.body
    );
    // The editor fixes the year instead: a new revision, checked again.
    let fixed = ESSAY.replace("(2019)", "(2024)");
    let saved = editor
        .post(
            &format!("/write/{slug}"),
            &[
                ("title", "Anora's Year"),
                ("subtitle", "A night in Brighton Beach."),
                ("tags", "sean baker, oscars"),
                ("body", &fixed),
                ("note", "fixed the release year"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        editor.act(&slug, "approve").await.status,
        StatusCode::SEE_OTHER
    );
    let published = editor.act(&slug, "publish").await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(
        published.location.as_deref(),
        Some(&*format!("/essays/{slug}"))
    );

    // Now everyone can read it, its script inert.
    let page = visitor.get(&format!("/essays/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<h1>Anora&#39;s Year</h1>")
            || page.body.contains("<h1>Anora's Year</h1>"),
        "{}",
        page.body
    );
    for inert in ["<script>alert", "onerror", "javascript:alert"] {
        assert!(
            !page.body.contains(inert),
            "{inert} survived:\n{}",
            page.body
        );
    }
    // It is on the film page, and in the publication's, the film's and the writer's feeds.
    let film = visitor.get("/films/tt28607951").await;
    assert!(
        film.body.contains(&format!("/essays/{slug}")),
        "not on the film page"
    );
    for feed in [
        "/feeds/publication/campus-reel/atom",
        "/feeds/publication/campus-reel/rss",
        "/feeds/film/tt28607951/atom",
        "/feeds/film/tt28607951/rss",
        "/feeds/writer/wendy/atom",
        "/feeds/person/nm0048918/rss",
        "/feeds/tag/sean%20baker/atom",
    ] {
        let answer = visitor.get(feed).await;
        assert_eq!(answer.status, StatusCode::OK, "{feed}");
        if feed.ends_with("atom") {
            let parsed = atom_syndication::Feed::read_from(answer.body.as_bytes()).unwrap();
            assert_eq!(parsed.entries().len(), 1, "{feed}");
            assert!(
                parsed.entries()[0]
                    .id()
                    .ends_with(&format!("/essays/{slug}")),
                "{feed}"
            );
        } else {
            let parsed = rss::Channel::read_from(answer.body.as_bytes()).unwrap();
            assert_eq!(parsed.items().len(), 1, "{feed}");
        }
    }
    // And readers find it by search, as soon as it is published (not before: see below).
    let found = visitor.get("/api/search?q=anora%27s+year&kind=essay").await;
    assert!(
        found.body.contains(&format!("\"id\":\"{slug}\"")),
        "{}",
        found.body
    );
    let publication = visitor.get("/publications/campus-reel").await;
    assert!(publication.body.contains(&format!("/essays/{slug}")));

    // A correction is logged on the essay with its date, and in the audit log.
    let corrected = editor
        .post(
            &format!("/write/{slug}"),
            &[
                ("title", "Anora's Year"),
                ("body", &fixed.replace("a dancer", "an exotic dancer")),
                ("note", "Ani is an exotic dancer"),
            ],
        )
        .await;
    assert_eq!(
        corrected.status,
        StatusCode::SEE_OTHER,
        "{}",
        corrected.body
    );
    let page = visitor.get(&format!("/essays/{slug}")).await;
    assert!(page.body.contains("Corrections"), "{}", page.body);
    assert!(page.body.contains("Ani is an exotic dancer"));
    let mut admin = Browser::new(&app);
    admin.log_in("ada", EDITOR_PASSWORD).await;
    let audit = admin.get("/admin").await;
    assert_eq!(audit.status, StatusCode::OK);
    for action in [
        "signup", "create", "submit", "review", "revise", "approve", "publish", "correct",
    ] {
        assert!(
            audit.body.contains(&format!("<td>{action}</td>")),
            "no {action} in the audit log"
        );
    }
    // Revisions and their diff.
    let diffs = editor
        .get(&format!("/write/{slug}/revisions?from=1&to=2"))
        .await;
    assert!(diffs.body.contains("diff-removed"), "{}", diffs.body);
    assert!(diffs.body.contains("(2024)"));
    // The reader cannot open the admin page or the queue.
    assert_eq!(reader.get("/admin").await.status, StatusCode::FORBIDDEN);
    assert_eq!(reader.get("/editor").await.status, StatusCode::FORBIDDEN);

    // No password is stored or logged in clear.
    let (database, wal) = match &database {
        Database::Sqlite(dir) => (
            std::fs::read(dir.join(kinograph_store::SQLITE_FILE)).unwrap(),
            std::fs::read(dir.join(format!("{}-wal", kinograph_store::SQLITE_FILE)))
                .unwrap_or_default(),
        ),
        Database::Postgres(url) => (
            common::blocking(|| kinograph_store::testing::stored_text(url))
                .unwrap()
                .into_bytes(),
            Vec::new(),
        ),
    };
    let logged = logs.lock().unwrap().clone();
    for password in [EDITOR_PASSWORD, WRITER_PASSWORD, READER_PASSWORD] {
        for (what, bytes) in [("database", &database), ("WAL", &wal), ("logs", &logged)] {
            assert!(
                !bytes
                    .windows(password.len())
                    .any(|w| w == password.as_bytes()),
                "{password} found in the {what}"
            );
        }
    }
    assert!(!logged.is_empty(), "the logs were captured");
}

#[tokio::test]
async fn forms_need_their_csrf_token_and_logins_their_password() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = site(dir.path());
    let mut browser = Browser::new(&app);
    browser.get("/").await;
    // Without the token (or with another one): refused, nothing done.
    let forged = browser
        .post_raw("/login", &[("name", "edna"), ("password", EDITOR_PASSWORD)])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let wrong = browser
        .post_raw(
            "/login",
            &[
                ("name", "edna"),
                ("password", EDITOR_PASSWORD),
                ("csrf", "made-up-token-made-up-token-made-up"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(!browser.cookies.contains_key("kg_session"));
    // A wrong password is refused the same way for a name that exists and one that does not.
    for name in ["edna", "nobody"] {
        let answer = browser
            .post("/login", &[("name", name), ("password", "wrong password!")])
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(answer.body.contains("do not match"));
    }
    browser.log_in("edna", EDITOR_PASSWORD).await;
    assert!(browser.cookies.contains_key("kg_session"));
    // Logging out ends the session.
    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/editor").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_admin_can_close_sign_up() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = site(dir.path());
    let mut admin = Browser::new(&app);
    admin.log_in("ada", EDITOR_PASSWORD).await;
    assert_eq!(
        admin.post("/admin/signup", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let mut visitor = Browser::new(&app);
    let refused = visitor
        .post(
            "/signup",
            &[
                ("name", "late"),
                ("password", WRITER_PASSWORD),
                ("password_again", WRITER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        visitor
            .get("/signup")
            .await
            .body
            .contains("Sign-up is closed")
    );
}

#[tokio::test]
async fn a_password_change_logs_out_the_other_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = site(dir.path());
    let mut laptop = Browser::new(&app);
    laptop.log_in("edna", EDITOR_PASSWORD).await;
    let mut phone = Browser::new(&app);
    phone.log_in("edna", EDITOR_PASSWORD).await;
    assert_eq!(phone.get("/editor").await.status, StatusCode::OK);

    let wrong = laptop
        .post(
            "/account/password",
            &[
                ("current", "not it at all"),
                ("new", "a brand new password"),
                ("new_again", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("the current password is wrong"));
    let changed = laptop
        .post(
            "/account/password",
            &[
                ("current", EDITOR_PASSWORD),
                ("new", "a brand new password"),
                ("new_again", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    // This session goes on; the phone's is over; the old password no longer opens one.
    assert_eq!(laptop.get("/editor").await.status, StatusCode::OK);
    assert_eq!(phone.get("/editor").await.status, StatusCode::SEE_OTHER);
    let old = phone
        .post("/login", &[("name", "edna"), ("password", EDITOR_PASSWORD)])
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    phone.log_in("edna", "a brand new password").await;
}
