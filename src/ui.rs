//! All terminal output goes through the `Printer`: data to stdout, everything else (progress,
//! warnings, errors, hints) to stderr. Colour only on a terminal and never with `NO_COLOR` or
//! `--no-color`. Writing to a closed stream is never a panic.

use std::io::{self, Write};

use console::style;

use crate::env::{self, Environment};
use crate::error::Error;

/// The one place that writes to stdout and stderr.
#[derive(Debug, Clone)]
pub struct Printer {
    color: bool,
    verbose: u8,
}

impl Printer {
    /// Colour is used only when stderr is a terminal and neither `--no-color` nor `NO_COLOR`
    /// says otherwise.
    pub fn new(no_color: bool, environment: &Environment, verbose: u8) -> Self {
        let color = !no_color
            && !environment.is_set(env::NO_COLOR)
            && console::Term::stderr().features().colors_supported();
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(color);
        Self { color, verbose }
    }

    /// Whether colour is on.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Writes command output to stdout. A closed pipe is reported as an error for the caller
    /// to end quietly.
    pub fn data(&self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()
    }

    /// A progress or status line on stderr.
    pub fn info(&self, line: &str) {
        write_stderr(&format!("{line}\n"));
    }

    /// A line on stderr shown only with `-v`.
    pub fn detail(&self, line: &str) {
        if self.verbose > 0 {
            write_stderr(&format!("{}\n", style(line).dim()));
        }
    }

    /// A warning line on stderr, prefixed so it is recognisable inside git's output.
    pub fn warn(&self, line: &str) {
        write_stderr(&format!("{} {line}\n", style("changes: warning:").yellow().bold()));
    }

    /// An error and its hints on stderr.
    pub fn error(&self, error: &Error) {
        let mut text = format!("{} {}\n", style("error:").red().bold(), error.message);
        for hint in &error.hints {
            text.push_str(&format!("{} {hint}\n", style("hint:").cyan()));
        }
        write_stderr(&text);
    }
}

/// Writes to stderr, ignoring failures: a closed stderr must not crash a hook.
fn write_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
