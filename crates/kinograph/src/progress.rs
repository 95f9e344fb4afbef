//! A progress bar on a terminal, nothing otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kinograph_import::Progress;

#[derive(Debug)]
pub struct Bar {
    bar: Option<ProgressBar>,
    label: String,
}

impl Bar {
    pub fn new(label: impl Into<String>) -> Self {
        Bar {
            bar: None,
            label: label.into(),
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
    }

    fn advance(&mut self, bytes_read: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes_read);
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
