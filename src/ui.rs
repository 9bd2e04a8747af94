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

/// Frames of the spinner shown beside a model still being asked.
const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// One line per model on stderr, rewritten in place as answers arrive (a spinner while a
/// model is asked, then its time and status), cleared at the end. Only on a terminal: piped
/// or captured stderr (hooks from IDEs, CI) gets nothing.
pub struct LiveStatus {
    term: console::Term,
    names: Vec<String>,
    /// `None` while the model is being asked, then its final line.
    done: std::sync::Mutex<Vec<Option<String>>>,
    frame: std::sync::atomic::AtomicUsize,
    drawn: std::sync::atomic::AtomicBool,
}

impl LiveStatus {
    /// A status block for these models, or `None` when stderr is not a terminal.
    pub fn start(names: &[String]) -> Option<Self> {
        let term = console::Term::stderr();
        if !term.is_term() {
            return None;
        }
        let status = Self {
            term,
            names: names.to_vec(),
            done: std::sync::Mutex::new(vec![None; names.len()]),
            frame: std::sync::atomic::AtomicUsize::new(0),
            drawn: std::sync::atomic::AtomicBool::new(false),
        };
        status.redraw();
        Some(status)
    }

    /// Moves the spinners one frame.
    pub fn tick(&self) {
        self.frame.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.redraw();
    }

    /// Replaces the line of the model at `index` with its result.
    pub fn update(&self, index: usize, name: &str, result: Result<std::time::Duration, &str>) {
        let text = match result {
            Ok(duration) => format!(
                "  {} {name}: {}",
                style("✓").green(),
                crate::report::format_duration_short(duration)
            ),
            Err(reason) => format!("  {} {name}: {reason}", style("✗").red()),
        };
        if let Ok(mut done) = self.done.lock() {
            if let Some(line) = done.get_mut(index) {
                *line = Some(text);
            }
        }
        self.redraw();
    }

    fn redraw(&self) {
        let Ok(done) = self.done.lock() else { return };
        let frame = SPINNER[self.frame.load(std::sync::atomic::Ordering::Relaxed) % SPINNER.len()];
        if self.drawn.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let _ = self.term.clear_last_lines(self.names.len());
        }
        let width = usize::from(self.term.size().1).saturating_sub(1).max(20);
        for (name, line) in self.names.iter().zip(done.iter()) {
            let text = match line {
                Some(text) => text.clone(),
                None => format!("  {} {name}: {}", style(frame).cyan(), style("asking…").dim()),
            };
            let _ = self.term.write_line(&console::truncate_str(&text, width, "…"));
        }
    }

    /// Removes the block: what remains on screen is the result.
    pub fn finish(&self) {
        if self.drawn.load(std::sync::atomic::Ordering::SeqCst) {
            let _ = self.term.clear_last_lines(self.names.len());
        }
    }
}
