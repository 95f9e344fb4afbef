//! `kinograph serve`: logging, the runtime, the listener and shutdown on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result};
use kinograph_web::{AppState, Site};
use tracing_subscriber::EnvFilter;

/// Structured logs on stderr; `KINOGRAPH_LOG` filters them (`info` by default).
pub fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_env("KINOGRAPH_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    // Fails only when a subscriber is already set, which then keeps logging.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub fn run(
    at: &crate::commands::Instance,
    addr: SocketAddr,
    base_url: Option<String>,
    limits: kinograph_web::Limits,
) -> Result<ExitCode> {
    let base_url = base_url
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_string();
    let state = AppState::open_on(
        &at.data,
        &at.database,
        Site {
            name: "Kinograph".into(),
            base_url: base_url.clone(),
        },
    )
    .with_context(|| format!("cannot serve the catalog in {}", at.data.display()))?
    .with_limits(limits);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr().unwrap_or(addr);
        tracing::info!(%local, %base_url, "serving");
        println!("Kinograph is serving on http://{local}/ (Ctrl-C to stop)");
        kinograph_web::serve(listener, state, shutdown_signal())
            .await
            .context("the server stopped")?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Ctrl-C, or SIGTERM on Unix (what service managers and containers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
