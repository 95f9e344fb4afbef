//! Every route of the site in one table: its method, its path pattern, who may use it, and the
//! handler. [`crate::app`] builds the router from this table alone (the API's part through
//! `utoipa-axum`, which also documents it), and [`routes`] gives it out so that tests can go
//! through every route the router has — a route cannot be added without a row here, and a
//! row states its access rule.
//!
//! The access rule describes what the handlers enforce (through the store's privacy reads and
//! `kinograph_publishing`'s workflow rules); it is not a second check.

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};
use kinograph_publishing::Role;
use utoipa_axum::router::UtoipaMethodRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::{api, api_diary, diary, diary_data, editorial, pages, syndication};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not. What the answer holds is read on behalf of the viewer, so a
    /// private thing in it shows only to whom may see it.
    Public,
    /// Anyone, about one object that may be private: a private diary entry or list answers
    /// only to its owner, an unpublished essay only to its author and the editors; to anyone
    /// else it is missing (404), so its existence is not given away.
    Visible,
    /// A signed-in member of any role, acting as themselves. A visitor is sent to log in
    /// (pages: 303, or 401 for a form post) or answered 401 (the API).
    SignedIn,
    /// A signed-in member, on an object of their own: someone else's is missing (404),
    /// whatever their role — not even an admin touches another's diary.
    Owner,
    /// An essay's author or an editor, as the workflow allows: to anyone else an unpublished
    /// essay is missing (404), and a step that is not theirs to take is refused (403).
    Editorial,
    /// Signed in with at least this role; below it, 403.
    AtLeast(Role),
}

/// One route: a method on a path pattern (axum's `{param}` syntax), its access rule and its
/// handler.
#[derive(Debug)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    handler: Handler,
}

/// Pages are plain axum routes; API routes carry their OpenAPI description with them.
enum Handler {
    Page(fn() -> MethodRouter<AppState>),
    Api(fn() -> UtoipaMethodRouter<AppState>),
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Handler::Page(_) => "page",
            Handler::Api(_) => "api",
        })
    }
}

impl RouteSpec {
    /// Whether the route is part of the JSON API (bearer tokens, JSON errors).
    pub fn is_api(&self) -> bool {
        matches!(self.handler, Handler::Api(_))
    }

    pub(crate) fn page_handler(&self) -> Option<MethodRouter<AppState>> {
        match self.handler {
            Handler::Page(make) => Some(make()),
            Handler::Api(_) => None,
        }
    }

    pub(crate) fn api_handler(&self) -> Option<UtoipaMethodRouter<AppState>> {
        match self.handler {
            Handler::Api(make) => Some(make()),
            Handler::Page(_) => None,
        }
    }
}

/// Every route of the site, pages first, then the API.
pub fn routes() -> &'static [RouteSpec] {
    ROUTES
}

const fn page(
    method: Method,
    path: &'static str,
    access: Access,
    make: fn() -> MethodRouter<AppState>,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        handler: Handler::Page(make),
    }
}

const fn api(
    method: Method,
    path: &'static str,
    access: Access,
    make: fn() -> UtoipaMethodRouter<AppState>,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        handler: Handler::Api(make),
    }
}

use Access::{AtLeast, Editorial, Owner, Public, SignedIn, Visible};

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const DELETE: Method = Method::DELETE;

/// Uploads may be larger than any other form.
fn upload(router: MethodRouter<AppState>) -> MethodRouter<AppState> {
    router.layer(DefaultBodyLimit::max(diary_data::MAX_UPLOAD_BYTES))
}

#[rustfmt::skip]
static ROUTES: &[RouteSpec] = &[
    // The catalog, essays, search and the checker.
    page(GET, "/", Public, || get(pages::home)),
    page(GET, "/films/{id}", Public, || get(pages::film)),
    page(GET, "/people/{id}", Public, || get(pages::person)),
    page(GET, "/awards/{body}", Public, || get(pages::awards)),
    page(GET, "/awards/{body}/{ceremony}", Public, || get(pages::ceremony)),
    page(GET, "/awards/{body}/categories/{slug}", Public, || get(pages::category)),
    page(GET, "/awards/{body}/categories/{slug}/winners", Public, || get(diary::category_winners)),
    page(GET, "/awards/{body}/{ceremony}/films", Public, || get(diary::ceremony_films)),
    page(GET, "/records", Public, || get(pages::records)),
    page(GET, "/search", Public, || get(pages::search)),
    page(GET, "/essays", Public, || get(pages::essays)),
    page(GET, "/essays/{slug}", Visible, || get(pages::essay)),
    page(GET, "/check", Public, || get(pages::check_form)),
    page(POST, "/check", Public, || post(pages::check_submit)),
    page(GET, "/publications/{slug}", Public, || get(editorial::publication)),
    page(GET, "/writers/{name}", Public, || get(editorial::writer)),
    page(GET, "/feeds/{scope}/{key}/{format}", Public, || get(syndication::feed)),
    // Operations and assets.
    page(GET, "/healthz", Public, || get(crate::healthz)),
    page(GET, "/readyz", Public, || get(crate::readyz)),
    page(GET, "/metrics", Public, || get(crate::metrics_text)),
    page(GET, "/static/kinograph.css", Public, || get(crate::stylesheet)),
    page(GET, "/static/kinograph.js", Public, || get(crate::script)),
    page(GET, "/favicon.svg", Public, || get(crate::favicon)),
    // Accounts.
    page(GET, "/login", Public, || get(editorial::login_form)),
    page(POST, "/login", Public, || post(editorial::login)),
    page(POST, "/logout", Public, || post(editorial::logout)),
    page(GET, "/signup", Public, || get(editorial::signup_form)),
    page(POST, "/signup", Public, || post(editorial::signup)),
    page(GET, "/account", SignedIn, || get(editorial::account)),
    page(POST, "/account/password", SignedIn, || post(editorial::change_password)),
    page(POST, "/account/tokens", SignedIn, || post(editorial::create_token)),
    // Writing and editing.
    page(GET, "/write", AtLeast(Role::Writer), || get(editorial::desk)),
    page(POST, "/write", AtLeast(Role::Writer), || post(editorial::create_essay)),
    page(GET, "/write/{slug}", Editorial, || get(editorial::edit_page)),
    page(POST, "/write/{slug}", Editorial, || post(editorial::save_essay)),
    page(POST, "/write/{slug}/act", Editorial, || post(editorial::essay_action)),
    page(POST, "/write/{slug}/override", Editorial, || post(editorial::override_claim)),
    page(GET, "/write/{slug}/revisions", Editorial, || get(editorial::revisions)),
    page(GET, "/editor", AtLeast(Role::Editor), || get(editorial::queue)),
    page(GET, "/admin", AtLeast(Role::Admin), || get(editorial::admin)),
    page(POST, "/admin/signup", AtLeast(Role::Admin), || post(editorial::admin_signup)),
    page(POST, "/admin/users/{name}/role", AtLeast(Role::Admin), || post(editorial::admin_role)),
    // The diary.
    page(POST, "/diary", SignedIn, || post(diary::log)),
    page(GET, "/diary/{id}/edit", Owner, || get(diary::edit_form)),
    page(POST, "/diary/{id}/edit", Owner, || post(diary::edit)),
    page(POST, "/diary/{id}/delete", Owner, || post(diary::delete)),
    page(POST, "/films/{id}/{switch}", SignedIn, || post(diary::film_switch)),
    page(GET, "/activity", SignedIn, || get(diary::activity)),
    page(GET, "/lists", Public, || get(diary::all_lists)),
    page(GET, "/lists/new", SignedIn, || get(diary::new_list_form)),
    page(POST, "/lists/new", SignedIn, || post(diary::create_list)),
    page(POST, "/lists/add", Owner, || post(diary::add_to_list)),
    page(GET, "/account/diary", SignedIn, || get(diary_data::data_page)),
    page(POST, "/account/diary/settings", SignedIn, || post(diary_data::settings)),
    page(POST, "/account/diary/letterboxd", SignedIn, || upload(post(diary_data::import_letterboxd_upload))),
    page(POST, "/account/diary/archive", SignedIn, || upload(post(diary_data::import_archive_upload))),
    page(GET, "/account/diary/letterboxd-import.csv", SignedIn, || get(diary_data::letterboxd_download)),
    page(GET, "/account/diary/archive.json", SignedIn, || get(diary_data::archive_download)),
    page(GET, "/u/{name}", Public, || get(diary::profile)),
    page(GET, "/u/{name}/diary", Public, || get(diary::diary)),
    page(GET, "/u/{name}/films", Public, || get(diary::films)),
    page(GET, "/u/{name}/likes", Public, || get(diary::likes)),
    page(GET, "/u/{name}/watchlist", Public, || get(diary::watchlist)),
    page(GET, "/u/{name}/stats", Public, || get(diary::stats_page)),
    page(POST, "/u/{name}/follow", SignedIn, || post(diary::follow)),
    page(GET, "/u/{name}/reviews/{id}", Visible, || get(diary::review)),
    page(POST, "/u/{name}/reviews/{id}/like", Visible, || post(diary::like_review)),
    page(GET, "/u/{name}/lists", Public, || get(diary::member_lists)),
    page(GET, "/u/{name}/lists/{slug}", Visible, || get(diary::list)),
    page(GET, "/u/{name}/lists/{slug}/edit", Owner, || get(diary::edit_list_form)),
    page(POST, "/u/{name}/lists/{slug}/edit", Owner, || post(diary::edit_list)),
    page(POST, "/u/{name}/lists/{slug}/delete", Owner, || post(diary::delete_list)),
    page(POST, "/u/{name}/lists/{slug}/like", Visible, || post(diary::like_list)),
    // The JSON API.
    api(GET, "/api/films/{id}", Public, || routes!(api::film)),
    api(GET, "/api/people/{id}", Public, || routes!(api::person)),
    api(GET, "/api/search", Public, || routes!(api::search)),
    api(GET, "/api/records", Public, || routes!(api::records)),
    api(GET, "/api/awards/{body}", Public, || routes!(api::award_body)),
    api(GET, "/api/awards/{body}/{ceremony}", Public, || routes!(api::ceremony)),
    api(GET, "/api/awards/{body}/categories/{slug}", Public, || routes!(api::category)),
    api(GET, "/api/essays", Public, || routes!(api::essays)),
    api(POST, "/api/essays", AtLeast(Role::Writer), || routes!(api::create_essay)),
    api(GET, "/api/essays/{slug}", Visible, || routes!(api::essay)),
    api(POST, "/api/essays/{slug}/actions/{action}", Editorial, || routes!(api::essay_action)),
    api(GET, "/api/me", SignedIn, || routes!(api::me)),
    api(GET, "/api/users/{name}/diary", Public, || routes!(api_diary::member_diary)),
    api(POST, "/api/diary", SignedIn, || routes!(api_diary::log_entry)),
    api(GET, "/api/diary/{id}", Visible, || routes!(api_diary::entry)),
    api(DELETE, "/api/diary/{id}", Owner, || routes!(api_diary::delete_entry)),
    api(GET, "/api/films/{id}/ratings", Public, || routes!(api_diary::film_ratings)),
    api(GET, "/api/users/{name}/lists", Public, || routes!(api_diary::member_lists)),
    api(GET, "/api/users/{name}/lists/{slug}", Visible, || routes!(api_diary::member_list)),
    api(GET, "/api/me/archive", SignedIn, || routes!(api_diary::archive)),
    api(POST, "/api/check", Public, || routes!(api::check)),
    api(GET, "/api/openapi.json", Public, || routes!(api::openapi)),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// An API row's method and path are the ones its handler documents: the table cannot
    /// say one thing while the router and the OpenAPI document do another.
    #[test]
    fn api_rows_match_what_their_handlers_document() {
        for spec in ROUTES {
            let Some((_, paths, _)) = spec.api_handler() else {
                continue;
            };
            let documented: Vec<(String, String)> = paths
                .paths
                .iter()
                .flat_map(|(path, item)| {
                    let methods = [
                        ("GET", item.get.is_some()),
                        ("POST", item.post.is_some()),
                        ("PUT", item.put.is_some()),
                        ("PATCH", item.patch.is_some()),
                        ("DELETE", item.delete.is_some()),
                    ];
                    methods
                        .into_iter()
                        .filter(|(_, present)| *present)
                        .map(|(method, _)| (method.to_string(), path.clone()))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(
                documented,
                vec![(spec.method.to_string(), spec.path.to_string())],
                "the row {} {}",
                spec.method,
                spec.path
            );
        }
    }

    #[test]
    fn no_route_is_declared_twice() {
        let mut seen = std::collections::BTreeSet::new();
        for spec in ROUTES {
            assert!(
                seen.insert((spec.method.to_string(), spec.path)),
                "{} {} is declared twice",
                spec.method,
                spec.path
            );
        }
    }
}
