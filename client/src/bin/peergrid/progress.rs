//! Progress of long work (a readings file, an export, a load run) on standard error, drawn only
//! when standard error is a terminal: scripts and logs see the results alone.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `len` items of `what` (e.g. `readings`).
pub fn bar(len: usize, what: &'static str) -> ProgressBar {
	let style =
		ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({elapsed}, {eta} left)")
			.unwrap_or_else(|_| ProgressStyle::default_bar());
	ProgressBar::new(len as u64).with_style(style).with_message(what)
}
