//! A progress bar on a terminal, nothing otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kinograph_import::Progress;

#[derive(Debug)]
pub struct Bar {
    bar: Option<ProgressBar>,
    label: String,
    started: Option<std::time::Instant>,
}

impl Bar {
    pub fn new(label: impl Into<String>) -> Self {
        Bar {
            bar: None,
            label: label.into(),
            started: None,
        }
    }
}

impl Progress for Bar {
    fn start(&mut self, total_bytes: Option<u64>) {
        if !std::io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::stderr());
        let template = "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})";
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(self.label.clone());
        self.bar = Some(bar);
        self.started = Some(std::time::Instant::now());
    }

    fn advance(&mut self, bytes_read: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes_read);
        }
    }

    fn rows(&mut self, rows: u64) {
        if let (Some(bar), Some(started)) = (&self.bar, self.started) {
            let seconds = started.elapsed().as_secs_f64();
            let rate = if seconds > 0.0 {
                rows as f64 / seconds
            } else {
                0.0
            };
            bar.set_message(format!("{} {rows} rows, {rate:.0} rows/s", self.label));
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
