//! The progress bar of long batches: drawn on standard error only when it is a terminal,
//! never with `--quiet`, and cleared when the batch ends so that only the summary stays.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Batches shorter than this finish too fast for a bar to help.
const MIN_FILES: usize = 8;

/// A bar counting finished files, or nothing when it would not be seen.
pub(crate) struct Progress {
    /// The bar, when one is shown.
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `files` files, shown when `wanted` (no `--quiet`), standard error is a
    /// terminal and the batch is long enough.
    pub(crate) fn new(files: usize, wanted: bool) -> Progress {
        let shown = wanted && files >= MIN_FILES && std::io::stderr().is_terminal();
        let bar = shown.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
            // The template is a constant; fall back to the default style if it ever breaks.
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40.cyan/blue} {pos}/{len} files  {elapsed} elapsed, {eta} left  {wide_msg}",
            ) {
                bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
            }
            bar
        });
        Progress { bar }
    }

    /// Counts one finished file, showing its name.
    pub(crate) fn finished(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_owned());
            bar.inc(1);
        }
    }

    /// Removes the bar from the terminal.
    pub(crate) fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
