//! A reader's data, in and out: the Letterboxd import (an uploaded export ZIP or CSV), the
//! Letterboxd CSV and full archive downloads, the archive's re-import, and diary settings.
//!
//! Uploads are multipart forms; their CSRF token travels in the form's address (see
//! `auth::csrf`), and the upload is written to a temporary file for the importers, which read
//! paths. A failed import changes nothing: the importers write in one transaction.

use std::io::Write;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kinograph_import::diary::{
    ArchiveReport, LETTERBOXD_IMPORT_FILE, LetterboxdReport, export_archive, export_letterboxd,
    import_archive, import_letterboxd, read_archive, read_export,
};
use kinograph_import::letterboxd_csv::write_import_csv;
use kinograph_publishing::User;
use kinograph_store::DiaryRead;
use serde::Deserialize;

use crate::AppState;
use crate::error::{Failure, PageError};
use crate::pages::{Ctx, render, see_other};
use crate::views::Meta;

/// The largest upload taken: a Letterboxd export of a very long diary is a few MiB zipped.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

#[derive(Template)]
#[template(path = "diary_data.html")]
struct DataPage {
    meta: Meta,
    user: User,
    autoremove: bool,
    /// What the last import did, line by line.
    report: Vec<String>,
    /// Rows left out, `file:line — title (year)`.
    left_out: Vec<String>,
    error: Option<String>,
}

async fn page(state: &AppState, ctx: &Ctx, user: User) -> Result<DataPage, Failure> {
    let id = user.id;
    let autoremove = state
        .read(move |_, store| Ok(store.watchlist_autoremove(id)?))
        .await?;
    Ok(DataPage {
        meta: Meta::new(
            state.site(),
            "/account/diary",
            "Your diary’s data",
            "Import your Letterboxd history, download your diary, diary settings.",
        )
        .with(ctx),
        user,
        autoremove,
        report: Vec::new(),
        left_out: Vec::new(),
        error: None,
    })
}

fn signed_in(ctx: &Ctx) -> Option<User> {
    ctx.viewer.user().cloned()
}

pub async fn data_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let Some(user) = signed_in(&ctx) else {
        return Ok(see_other("/login?next=/account/diary"));
    };
    Ok(render(&page(&state, &ctx, user).await?)?.into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct Settings {
    pub autoremove: Option<String>,
}

pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Settings>,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let on = form.autoremove.is_some();
    state
        .write(move |_, store| Ok(store.diary(|w| w.set_watchlist_autoremove(user.id, on))?))
        .await?;
    Ok(see_other("/account/diary"))
}

/// The uploaded file of a multipart form: its name and bytes.
async fn upload(mut form: Multipart, field: &str) -> Result<(String, Vec<u8>), Failure> {
    while let Some(part) = form
        .next_field()
        .await
        .map_err(|e| Failure::BadRequest(format!("the upload could not be read: {e}")))?
    {
        if part.name() != Some(field) {
            continue;
        }
        let name = part.file_name().unwrap_or("upload").to_string();
        let bytes = part
            .bytes()
            .await
            .map_err(|e| Failure::BadRequest(format!("the upload could not be read: {e}")))?;
        if bytes.is_empty() {
            return Err(Failure::BadRequest("choose a file to upload".into()));
        }
        return Ok((name, bytes.to_vec()));
    }
    Err(Failure::BadRequest("choose a file to upload".into()))
}

/// An upload written where the importers can read it; removed when dropped.
struct Spilled {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// Writes an upload to a file of its own, keeping what its name says it is (`.zip`, `.json`,
/// or a CSV's own name such as `diary.csv`): the readers tell formats apart by name and content.
fn spill(name: &str, bytes: &[u8]) -> Result<Spilled, Failure> {
    let internal = |e: std::io::Error| Failure::Internal(format!("writing the upload: {e}"));
    let base: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let lower = base.to_ascii_lowercase();
    let file_name = if lower.ends_with(".csv") && !lower.starts_with('.') {
        base
    } else if lower.ends_with(".zip") {
        "upload.zip".to_string()
    } else if lower.ends_with(".json") {
        "upload.json".to_string()
    } else {
        "upload".to_string()
    };
    let dir = tempfile::tempdir().map_err(internal)?;
    let path = dir.path().join(file_name);
    std::fs::File::create(&path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(internal)?;
    Ok(Spilled { _dir: dir, path })
}

pub async fn import_letterboxd_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    form: Multipart,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let (name, bytes) = upload(form, "export").await?;
    let owner = user.clone();
    let outcome = state
        .write(move |_, store| {
            let file = spill(&name, &bytes)?;
            let result = read_export(&file.path)
                .and_then(|export| import_letterboxd(store, &export, &owner));
            Ok(result.map_err(|e| format!("{e:#}")))
        })
        .await?;
    let mut page = page(&state, &ctx, user).await?;
    match outcome {
        Ok(report) => letterboxd_lines(&report, &mut page),
        Err(error) => page.error = Some(format!("Nothing was imported: {error}")),
    }
    Ok(render(&page)?.into_response())
}

fn letterboxd_lines(report: &LetterboxdReport, page: &mut DataPage) {
    page.report.push(format!(
        "Imported from Letterboxd: {} rows added or changed.",
        report.added()
    ));
    for c in &report.files {
        page.report.push(format!(
            "{}: {} read, {} added, {} already here{}{}",
            c.file,
            c.read,
            c.added,
            c.unchanged,
            if c.merged > 0 {
                format!(", {} merged into diary entries", c.merged)
            } else {
                String::new()
            },
            if c.unmatched > 0 {
                format!(", {} not in the catalog", c.unmatched)
            } else {
                String::new()
            },
        ));
    }
    for list in &report.lists {
        page.report
            .push(format!("List “{}”: {} films.", list.name, list.films));
    }
    if !report.missing.is_empty() {
        page.report.push(format!(
            "Not in the export (nothing imported from them): {}.",
            report.missing.join(", ")
        ));
    }
    for m in &report.near_year {
        page.report.push(format!(
            "{}:{}: {} ({}) matched {} ({}), a year apart: check it.",
            m.file,
            m.line,
            m.title,
            year(m.year),
            m.film_title,
            year(m.film_year)
        ));
    }
    for m in &report.ambiguous {
        page.report.push(format!(
            "{}:{}: several films are called {} ({}); the most nominated was taken.",
            m.file,
            m.line,
            m.title,
            year(m.year)
        ));
    }
    for u in &report.unmatched {
        page.left_out.push(format!(
            "{}:{}: {} ({}) is not in the catalog",
            u.file,
            u.line,
            u.title,
            year(u.year)
        ));
    }
    for r in &report.rejected {
        page.left_out.push(r.message.clone());
    }
}

fn year(year: Option<i32>) -> String {
    year.map_or_else(|| "no year".to_string(), |y| y.to_string())
}

pub async fn import_archive_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    form: Multipart,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let (name, bytes) = upload(form, "archive").await?;
    let owner = user.clone();
    let outcome = state
        .write(move |_, store| {
            let file = spill(&name, &bytes)?;
            let result = read_archive(&file.path)
                .and_then(|archive| import_archive(store, &archive, &owner));
            Ok(result.map_err(|e| format!("{e:#}")))
        })
        .await?;
    let mut page = page(&state, &ctx, user).await?;
    match outcome {
        Ok(report) => archive_lines(&report, &mut page),
        Err(error) => page.error = Some(format!("Nothing was imported: {error}")),
    }
    Ok(render(&page)?.into_response())
}

fn archive_lines(report: &ArchiveReport, page: &mut DataPage) {
    for (what, tally) in [
        ("Diary entries", report.viewings),
        ("Films (watched, ratings, likes, watchlist)", report.films),
        ("Lists", report.lists),
        ("People followed", report.following),
    ] {
        page.report.push(format!(
            "{what}: {} new, {} updated, {} already here.",
            tally.new, tally.updated, tally.unchanged
        ));
    }
    for u in &report.unmatched {
        page.left_out.push(format!(
            "{}: {} ({}) is not in this catalog",
            u.place,
            u.film.title,
            year(u.film.year)
        ));
    }
    for name in &report.unknown_users {
        page.left_out
            .push(format!("following {name}: no such member here"));
    }
}

fn download(content_type: &'static str, file_name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

pub async fn letterboxd_download(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let body = state
        .read(move |_, store| {
            let rows =
                export_letterboxd(store, &user).map_err(|e| Failure::Internal(format!("{e:#}")))?;
            let mut out = Vec::new();
            write_import_csv(&mut out, &rows).map_err(|e| Failure::Internal(e.to_string()))?;
            Ok(out)
        })
        .await?;
    Ok(download(
        "text/csv; charset=utf-8",
        LETTERBOXD_IMPORT_FILE,
        body,
    ))
}

pub async fn archive_download(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let user = ctx.viewer.required()?.clone();
    let name = user.name.clone();
    let body = state
        .read(move |_, store| {
            let archive =
                export_archive(store, &user).map_err(|e| Failure::Internal(format!("{e:#}")))?;
            serde_json::to_vec_pretty(&archive).map_err(|e| Failure::Internal(e.to_string()))
        })
        .await?;
    Ok(download(
        "application/json",
        &format!("kinograph-{name}.json"),
        body,
    ))
}
