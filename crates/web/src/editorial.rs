//! The publishing side of the site: accounts (sign-up, log-in, password, API tokens), the
//! writer's desk, the editor's queue and review (sign-off, overrides, corrections), revisions
//! and their diffs, publications and writers, and the admin's audit log.
//!
//! Every change goes through `kinograph_store::editorial`, which applies the rules of
//! `kinograph_publishing` and logs who did what. Forms post back and redirect (303) on success.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use kinograph_publishing::{
    Action, AuditEntry, ClaimKey, DiffLine, EditorialFilter, EssayHead, EssayState, Member,
    NewUser, Override, Publication, Revision, Role, User, check_password, check_user_name,
    hash_password, line_diff, new_token, token_hash, transition, verify_password,
};
use kinograph_store::editorial::{self as ops, Draft};
use kinograph_store::{EditorialRead, Store};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{SESSION_COOKIE, SESSION_DAYS, cookie_value, set_cookie};
use crate::error::{Failure, PageError};
use crate::pages::{Ctx, local_path_or, render, see_other};
use crate::views::{CheckView, EssayCard, Meta};

type PageResult = Result<Html<String>, PageError>;

/// Only a path on this site: no `//host` or `https://` redirect targets.
fn local_path(next: Option<&str>) -> String {
    local_path_or(next, "/")
}

// ------------------------------------------------------------------------------------------
// Log-in, sign-up, log-out

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    meta: Meta,
    next: String,
    name: String,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<NextQuery>,
) -> PageResult {
    render(&LoginPage {
        meta: Meta::new(
            state.site(),
            "/login",
            "Log in",
            "Log in to write, edit and keep your diary.",
        )
        .with(&ctx),
        next: local_path(query.next.as_deref()),
        name: String::new(),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// Starts a session for `user`: a new token, its hash stored, the cookie set.
async fn start_session(state: &AppState, user: &User, to: &str) -> Result<Response, Failure> {
    let token = new_token("kgs_").map_err(Failure::Internal)?;
    let hash = token_hash(&token);
    let id = user.id;
    state
        .write(move |_, store| Ok(store.edit(|w| w.create_session(id, &hash, SESSION_DAYS))?))
        .await?;
    let mut response = see_other(to);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &token,
            state.site().is_https(),
            false,
            i64::from(SESSION_DAYS),
        ),
    );
    Ok(response)
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let name = form.name.trim().to_lowercase();
    let password = form.password;
    let lookup = name.clone();
    // The hash is checked off the async threads: argon2 is slow on purpose.
    let user = state
        .read(move |_, store| {
            let Some(hash) = store.password_hash(&lookup)? else {
                // Spend the same time as a real check, so timing does not tell which names exist.
                let _ = verify_password(&password, dummy_hash());
                return Ok(None);
            };
            if verify_password(&password, &hash) {
                Ok(store.user(&lookup)?)
            } else {
                Ok(None)
            }
        })
        .await?;
    match user {
        Some(user) => Ok(start_session(&state, &user, &local_path(form.next.as_deref())).await?),
        None => {
            let page = LoginPage {
                meta: Meta::new(state.site(), "/login", "Log in", "Log in to Kinograph.")
                    .with(&ctx),
                next: local_path(form.next.as_deref()),
                name,
                error: Some("that user name and password do not match".into()),
            };
            Ok((axum::http::StatusCode::UNAUTHORIZED, render(&page)?).into_response())
        }
    }
}

/// A hash verified when the user does not exist, made once.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not anyone's password").unwrap_or_default())
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(token) = cookie_value(&headers, SESSION_COOKIE) {
        let hash = token_hash(&token);
        state
            .write(move |_, store| Ok(store.edit(|w| w.delete_session(&hash))?))
            .await?;
    }
    let mut response = see_other("/");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", state.site().is_https(), false, 0),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    meta: Meta,
    open: bool,
    name: String,
    display_name: String,
    error: Option<String>,
}

const SIGNUP_SETTING: &str = "signup";

async fn signup_open(state: &AppState) -> Result<bool, Failure> {
    state
        .read(|_, store| Ok(store.setting(SIGNUP_SETTING)?.as_deref() != Some("closed")))
        .await
}

pub async fn signup_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let open = signup_open(&state).await?;
    render(&SignupPage {
        meta: Meta::new(
            state.site(),
            "/signup",
            "Sign up",
            "Make an account to write for the magazine or keep a film diary.",
        )
        .with(&ctx),
        open,
        name: String::new(),
        display_name: String::new(),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    /// "on" when the person wants to write.
    writer: Option<String>,
}

pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SignupForm>,
) -> Result<Response, PageError> {
    if !signup_open(&state).await? {
        return Err(Failure::Forbidden("sign-up is closed on this site".into()).into());
    }
    let name = form.name.trim().to_lowercase();
    let display_name = if form.display_name.trim().is_empty() {
        name.clone()
    } else {
        form.display_name.trim().to_string()
    };
    let problem = check_user_name(&name)
        .err()
        .or_else(|| check_password(&form.password).err())
        .or_else(|| {
            (form.password != form.password_again).then(|| "the two passwords differ".to_string())
        });
    if let Some(error) = problem {
        let page = SignupPage {
            meta: Meta::new(state.site(), "/signup", "Sign up", "Make an account.").with(&ctx),
            open: true,
            name,
            display_name,
            error: Some(error),
        };
        return Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)?).into_response());
    }
    let role = if form.writer.is_some() {
        Role::Writer
    } else {
        Role::Reader
    };
    let password = form.password;
    let user = state
        .write(move |_, store| {
            let hash = hash_password(&password).map_err(Failure::Internal)?;
            Ok(store.edit(|w| {
                let user = w.create_user(&NewUser {
                    name,
                    display_name,
                    role,
                    password_hash: Some(hash),
                })?;
                w.audit(
                    Some(user.id),
                    "signup",
                    &format!("user:{}", user.name),
                    role.as_str(),
                )?;
                Ok(user)
            })?)
        })
        .await?;
    let to = if user.role.can_write() { "/write" } else { "/" };
    Ok(start_session(&state, &user, to).await?)
}

// ------------------------------------------------------------------------------------------
// Account: password, API tokens

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    meta: Meta,
    user: User,
    message: Option<String>,
    error: Option<String>,
    new_token: Option<String>,
}

fn account_page(state: &AppState, ctx: &Ctx, user: User) -> AccountPage {
    AccountPage {
        meta: Meta::new(
            state.site(),
            "/account",
            "Your account",
            "Your Kinograph account.",
        )
        .with(ctx),
        user,
        message: None,
        error: None,
        new_token: None,
    }
}

fn login_redirect(path: &str) -> Response {
    see_other(&format!("/login?next={path}"))
}

pub async fn account(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let Some(user) = ctx.viewer.user().cloned() else {
        return Ok(login_redirect("/account"));
    };
    Ok(render(&account_page(&state, &ctx, user))?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    new_again: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let problem = check_password(&form.new).err().or_else(|| {
        (form.new != form.new_again).then(|| "the two new passwords differ".to_string())
    });
    let keep = cookie_value(&headers, SESSION_COOKIE).map(|t| token_hash(&t));
    let outcome = match problem {
        Some(error) => Err(error),
        None => {
            let (name, id) = (user.name.clone(), user.id);
            state
                .write(move |_, store| {
                    let Some(hash) = store.password_hash(&name)? else {
                        return Ok(Err("this account has no password to change".to_string()));
                    };
                    if !verify_password(&form.current, &hash) {
                        return Ok(Err("the current password is wrong".to_string()));
                    }
                    let new_hash = hash_password(&form.new).map_err(Failure::Internal)?;
                    store.edit(|w| {
                        w.set_password(id, &new_hash)?;
                        // Anyone else logged in as this user is logged out.
                        w.delete_sessions_of(id, keep.as_deref())?;
                        w.audit(Some(id), "password_change", &format!("user:{name}"), "")
                    })?;
                    Ok(Ok(()))
                })
                .await?
        }
    };
    let mut page = account_page(&state, &ctx, user);
    let status = match outcome {
        Ok(()) => {
            page.message = Some("Your password is changed; other sessions are logged out.".into());
            axum::http::StatusCode::OK
        }
        Err(error) => {
            page.error = Some(error);
            axum::http::StatusCode::BAD_REQUEST
        }
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let label = if form.name.trim().is_empty() {
        "API token".to_string()
    } else {
        form.name.trim().chars().take(80).collect()
    };
    let token = new_token("kgt_").map_err(Failure::Internal)?;
    let hash = token_hash(&token);
    let (id, name) = (user.id, user.name.clone());
    state
        .write(move |_, store| {
            Ok(store.edit(|w| {
                w.create_api_token(id, &label, &hash)?;
                w.audit(Some(id), "token_create", &format!("user:{name}"), &label)
            })?)
        })
        .await?;
    let mut page = account_page(&state, &ctx, user);
    page.new_token = Some(token);
    Ok(render(&page)?.into_response())
}

// ------------------------------------------------------------------------------------------
// The writer's desk

#[derive(Template)]
#[template(path = "desk.html")]
struct DeskPage {
    meta: Meta,
    essays: Vec<EssayRow>,
    publications: Vec<Publication>,
}

/// An essay in an editorial list.
struct EssayRow {
    slug: String,
    title: String,
    state: EssayState,
    author: String,
    publication: String,
    updated: String,
}

impl EssayRow {
    fn of(head: &EssayHead) -> EssayRow {
        EssayRow {
            slug: head.slug.clone(),
            title: if head.title.is_empty() {
                "(untitled)".into()
            } else {
                head.title.clone()
            },
            state: head.state,
            author: head.author_name.clone(),
            publication: head
                .publication
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            updated: head.updated.clone().unwrap_or_default(),
        }
    }
}

fn writer_required(ctx: &Ctx) -> Result<User, Failure> {
    let user = ctx.viewer.required()?;
    if !user.role.can_write() {
        return Err(Failure::Forbidden(
            "only writers write essays; ask an editor to make you one".into(),
        ));
    }
    Ok(user.clone())
}

pub async fn desk(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if ctx.viewer.user().is_none() {
        return Ok(login_redirect("/write"));
    }
    let user = writer_required(&ctx)?;
    let page = state
        .read(move |state, store| {
            let essays = store.essay_heads(&EditorialFilter {
                author: Some(user.name.clone()),
                limit: 200,
                ..EditorialFilter::default()
            })?;
            Ok(DeskPage {
                meta: Meta::new(
                    state.site(),
                    "/write",
                    "Your essays",
                    "Your drafts and published essays.",
                ),
                essays: essays.iter().map(EssayRow::of).collect(),
                publications: store.publications()?,
            })
        })
        .await?;
    let page = DeskPage {
        meta: page.meta.with(&ctx),
        ..page
    };
    Ok(render(&page)?.into_response())
}

/// The essay form's fields.
#[derive(Debug, Deserialize)]
pub struct EssayForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    subtitle: String,
    /// Comma-separated.
    #[serde(default)]
    tags: String,
    spoilers: Option<String>,
    #[serde(default)]
    body: String,
    /// The revision note; for a published essay, the correction note.
    #[serde(default)]
    note: String,
    publication: Option<String>,
}

impl EssayForm {
    fn draft(&self) -> Draft {
        Draft {
            title: self.title.trim().to_string(),
            subtitle: Some(self.subtitle.trim().to_string()).filter(|s| !s.is_empty()),
            tags: self
                .tags
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            spoilers: self.spoilers.is_some(),
            body: self.body.replace("\r\n", "\n"),
        }
    }
}

pub async fn create_essay(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EssayForm>,
) -> Result<Response, PageError> {
    let user = writer_required(&ctx)?;
    let publication = form.publication.clone().filter(|p| !p.is_empty());
    let slug = start_essay(&state, user, publication, form.draft()).await?;
    Ok(see_other(&format!("/write/{slug}")))
}

/// Starts a draft by `user`, checked against the catalog (the page's and the API's way in).
pub async fn start_essay(
    state: &AppState,
    user: User,
    publication: Option<String>,
    draft: Draft,
) -> Result<String, Failure> {
    state
        .write(move |state, store| {
            let checker = state.checker_for(store, &draft.body)?;
            Ok(ops::create(
                store,
                &checker,
                &user,
                publication.as_deref(),
                &draft,
                None,
            )?)
        })
        .await
}

/// An action the viewer may take now, or why not.
struct ActionButton {
    action: &'static str,
    label: &'static str,
    blocked: Option<String>,
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    meta: Meta,
    head: EssayHead,
    revision: Revision,
    check: CheckView,
    actions: Vec<ActionButton>,
    open_claims: Vec<ClaimKey>,
    overrides: Vec<Override>,
    can_edit: bool,
    can_override: bool,
    published: bool,
    tags: String,
    corrections: Vec<kinograph_publishing::Correction>,
}

/// An essay's head for its desk (the edit page, the revisions), which is its author's and the
/// editors' only: it holds the earlier drafts, the check and the editors' overrides. To anyone
/// else an unpublished essay does not exist (404) and a published one is read on its page (403).
fn desk_head(store: &Store, slug: &str, user: &User) -> Result<EssayHead, Failure> {
    let head = ops::visible_head(store, slug, Some(user))?;
    if !ops::actor(user, &head).is_author && !user.role.can_edit() {
        return Err(Failure::Forbidden(format!(
            "only its author and the editors work on this essay; read it at /essays/{slug}"
        )));
    }
    Ok(head)
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let Some(user) = ctx.viewer.user().cloned() else {
        return Ok(login_redirect(&format!("/write/{slug}")));
    };
    let page = state
        .read(move |state, store| {
            let head = desk_head(store, &slug, &user)?;
            let actor = ops::actor(&user, &head);
            let revision = store
                .revisions(&slug)?
                .pop()
                .ok_or_else(|| Failure::NotFound(format!("essay {slug:?} has no text yet")))?;
            let checker = state.checker_for(store, &revision.body)?;
            let report = checker.check(store, &revision.body)?;
            let open_claims = ops::open_claims(store, &slug)?;
            let actions = Action::ALL
                .into_iter()
                .filter_map(|action| {
                    match transition(actor, head.state, action, open_claims.len()) {
                        Ok(_) => Some(ActionButton {
                            action: action.as_str(),
                            label: action.label(),
                            blocked: None,
                        }),
                        Err(kinograph_publishing::Refusal::Conflict(reason))
                            if action == Action::Approve && head.state == EssayState::InReview =>
                        {
                            Some(ActionButton {
                                action: action.as_str(),
                                label: action.label(),
                                blocked: Some(reason),
                            })
                        }
                        Err(_) => None,
                    }
                })
                .collect();
            let published = head.state.is_public();
            Ok(EditPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/write/{slug}"),
                    format!("Editing “{}”", revision.title),
                    "The essay, its fact-check and its workflow.",
                ),
                can_edit: kinograph_publishing::can_edit(actor, head.state)
                    && head.state != EssayState::Submitted,
                can_override: user.role.can_edit(),
                tags: revision.tags.join(", "),
                check: CheckView::of(&revision.body, &report),
                overrides: store.overrides(&slug)?,
                corrections: store.corrections(&slug)?,
                open_claims,
                actions,
                published,
                revision,
                head,
            })
        })
        .await?;
    let page = EditPage {
        meta: page.meta.with(&ctx),
        ..page
    };
    Ok(render(&page)?.into_response())
}

pub async fn save_essay(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<EssayForm>,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let draft = form.draft();
    let note = form.note.trim().to_string();
    let target = format!("/write/{slug}");
    state
        .write(move |state, store| {
            let head = ops::visible_head(store, &slug, Some(&user))?;
            let checker = state.checker_for(store, &draft.body)?;
            if head.state.is_public() {
                ops::correct(store, &checker, &slug, &user, &draft, &note)?;
            } else {
                let note = if note.is_empty() {
                    "edited"
                } else {
                    note.as_str()
                };
                ops::revise(store, &checker, &slug, &user, &draft, note)?;
            }
            Ok(())
        })
        .await?;
    Ok(see_other(&target))
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
}

pub async fn essay_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let action: Action = form
        .action
        .parse()
        .map_err(|e: String| Failure::BadRequest(format!("action: {e}")))?;
    let target = if action == Action::Publish || action == Action::Republish {
        format!("/essays/{slug}")
    } else {
        format!("/write/{slug}")
    };
    state
        .write(move |_, store| Ok(ops::act(store, &slug, action, &user)?))
        .await?;
    Ok(see_other(&target))
}

#[derive(Debug, Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    reason: String,
}

pub async fn override_claim(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<OverrideForm>,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let target = format!("/write/{slug}#sign-off");
    state
        .write(move |_, store| {
            let claim = ClaimKey {
                kind: form.kind,
                text: form.text,
            };
            Ok(ops::override_claim(
                store,
                &slug,
                &claim,
                &form.reason,
                &user,
            )?)
        })
        .await?;
    Ok(see_other(&target))
}

#[derive(Template)]
#[template(path = "revisions.html")]
struct RevisionsPage {
    meta: Meta,
    slug: String,
    title: String,
    revisions: Vec<Revision>,
    from: u32,
    to: u32,
    diff: Vec<DiffLine>,
}

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    from: Option<u32>,
    to: Option<u32>,
}

pub async fn revisions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<DiffQuery>,
) -> PageResult {
    let user = ctx.viewer.required()?.clone();
    let page = state
        .read(move |state, store| {
            let head = desk_head(store, &slug, &user)?;
            let revisions = store.revisions(&slug)?;
            let last = revisions.last().map_or(0, |r| r.number);
            let to = query.to.unwrap_or(last);
            let from = query.from.unwrap_or(to.saturating_sub(1).max(1));
            let text = |n: u32| {
                revisions
                    .iter()
                    .find(|r| r.number == n)
                    .map(|r| r.body.clone())
                    .ok_or_else(|| Failure::NotFound(format!("no revision {n}")))
            };
            let diff = line_diff(&text(from)?, &text(to)?);
            Ok(RevisionsPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/write/{slug}/revisions"),
                    format!("Revisions of “{}”", head.title),
                    "Every saved version of the essay, and what changed.",
                ),
                title: head.title,
                slug,
                revisions,
                from,
                to,
                diff,
            })
        })
        .await?;
    let page = RevisionsPage {
        meta: page.meta.with(&ctx),
        ..page
    };
    render(&page)
}

// ------------------------------------------------------------------------------------------
// Editors and admins

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    meta: Meta,
    waiting: Vec<EssayRow>,
}

fn editor_required(ctx: &Ctx) -> Result<User, Failure> {
    let user = ctx.viewer.required()?;
    if !user.role.can_edit() {
        return Err(Failure::Forbidden("the editor queue is for editors".into()));
    }
    Ok(user.clone())
}

pub async fn queue(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if ctx.viewer.user().is_none() {
        return Ok(login_redirect("/editor"));
    }
    editor_required(&ctx)?;
    let page = state
        .read(|state, store| {
            let waiting = store.essay_heads(&EditorialFilter {
                states: vec![
                    EssayState::Submitted,
                    EssayState::InReview,
                    EssayState::Approved,
                ],
                limit: 200,
                ..EditorialFilter::default()
            })?;
            Ok(QueuePage {
                meta: Meta::new(
                    state.site(),
                    "/editor",
                    "Editor queue",
                    "Essays waiting for an editor.",
                ),
                waiting: waiting.iter().map(EssayRow::of).collect(),
            })
        })
        .await?;
    let page = QueuePage {
        meta: page.meta.with(&ctx),
        ..page
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    meta: Meta,
    users: Vec<User>,
    audit: Vec<AuditEntry>,
    signup_open: bool,
    roles: [Role; 4],
}

fn admin_required(ctx: &Ctx) -> Result<User, Failure> {
    let user = ctx.viewer.required()?;
    if user.role != Role::Admin {
        return Err(Failure::Forbidden("this page is for admins".into()));
    }
    Ok(user.clone())
}

pub async fn admin(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if ctx.viewer.user().is_none() {
        return Ok(login_redirect("/admin"));
    }
    admin_required(&ctx)?;
    let page = state
        .read(|state, store| {
            Ok(AdminPage {
                meta: Meta::new(
                    state.site(),
                    "/admin",
                    "Admin",
                    "Users, sign-up and the audit log.",
                ),
                users: store.users()?,
                audit: store.audit_log(None, 200)?,
                signup_open: store.setting(SIGNUP_SETTING)?.as_deref() != Some("closed"),
                roles: Role::ALL,
            })
        })
        .await?;
    let page = AdminPage {
        meta: page.meta.with(&ctx),
        ..page
    };
    Ok(render(&page)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct SignupSettingForm {
    open: Option<String>,
}

pub async fn admin_signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SignupSettingForm>,
) -> Result<Response, PageError> {
    let admin = admin_required(&ctx)?;
    let value = if form.open.is_some() {
        "open"
    } else {
        "closed"
    };
    state
        .write(move |_, store| {
            Ok(store.edit(|w| {
                w.set_setting(SIGNUP_SETTING, value)?;
                w.audit(Some(admin.id), "signup_setting", "site", value)
            })?)
        })
        .await?;
    Ok(see_other("/admin"))
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn admin_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, PageError> {
    let admin = admin_required(&ctx)?;
    let role: Role = form
        .role
        .parse()
        .map_err(|e: String| Failure::BadRequest(format!("role: {e}")))?;
    state
        .write(move |_, store| {
            let user = store
                .user(&name)?
                .ok_or_else(|| Failure::NotFound(format!("no user {name:?}")))?;
            Ok(store.edit(|w| {
                w.set_role(user.id, role)?;
                w.audit(
                    Some(admin.id),
                    "user_role",
                    &format!("user:{name}"),
                    role.as_str(),
                )
            })?)
        })
        .await?;
    Ok(see_other("/admin"))
}

// ------------------------------------------------------------------------------------------
// Publications and writers

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationPage {
    meta: Meta,
    publication: Publication,
    members: Vec<Member>,
    essays: Vec<EssayCard>,
    feed_key: String,
}

fn published_filter() -> Vec<EssayState> {
    vec![EssayState::Published, EssayState::Corrected]
}

pub async fn publication(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> PageResult {
    let page = state
        .read(move |state, store| {
            let (publication, members) = store
                .publication(&slug)?
                .ok_or_else(|| Failure::NotFound(format!("no publication {slug:?}")))?;
            let essays = store.essay_heads(&EditorialFilter {
                publication: Some(slug.clone()),
                states: published_filter(),
                limit: 100,
                ..EditorialFilter::default()
            })?;
            Ok(PublicationPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/publications/{slug}"),
                    publication.name.clone(),
                    publication.description.clone(),
                ),
                essays: essays.iter().map(card).collect(),
                feed_key: slug,
                publication,
                members,
            })
        })
        .await?;
    let page = PublicationPage {
        meta: page.meta.with(&ctx),
        ..page
    };
    render(&page)
}

pub fn card(head: &EssayHead) -> EssayCard {
    EssayCard::of(&kinograph_catalog::EssaySummary {
        slug: head.slug.clone(),
        title: head.title.clone(),
        subtitle: head.subtitle.clone(),
        author: head.author_name.clone(),
        tags: head.tags.clone(),
        published: head.published,
    })
}

#[derive(Template)]
#[template(path = "writer.html")]
struct WriterPage {
    meta: Meta,
    writer: User,
    essays: Vec<EssayCard>,
}

pub async fn writer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    let page = state
        .read(move |state, store| {
            let writer = store
                .user(&name)?
                .ok_or_else(|| Failure::NotFound(format!("no writer {name:?}")))?;
            let essays = store.essay_heads(&EditorialFilter {
                author: Some(name.clone()),
                states: published_filter(),
                limit: 100,
                ..EditorialFilter::default()
            })?;
            Ok(WriterPage {
                meta: Meta::new(
                    state.site(),
                    &format!("/writers/{name}"),
                    writer.display_name.clone(),
                    format!("Essays by {}.", writer.display_name),
                ),
                essays: essays.iter().map(card).collect(),
                writer,
            })
        })
        .await?;
    let page = WriterPage {
        meta: page.meta.with(&ctx),
        ..page
    };
    render(&page)
}
