//! All terminal output goes through the `Printer`: data to stdout, everything else (progress,
//! warnings, errors, hints) to stderr. Colour only on a terminal and never with `NO_COLOR` or
//! `--no-color`. Writing to a closed stream is never a panic. The live display of a run
//! (`live_progress`) draws the engine's progress events on a terminal only.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use console::style;

use crate::engine::{Event, Progress};
use crate::env::{self, Environment};
use crate::error::Error;
use crate::text::{one_line, sanitize, short_duration};

/// The one place that writes to stdout and stderr.
#[derive(Debug, Clone)]
pub(crate) struct Printer {
    verbose: u8,
}

impl Printer {
    /// Colour is used only when stderr is a terminal and neither `--no-color` nor `NO_COLOR`
    /// says otherwise.
    pub(crate) fn new(no_color: bool, environment: &Environment, verbose: u8) -> Self {
        let color = !no_color
            && !environment.is_set(env::NO_COLOR)
            && console::Term::stderr().features().colors_supported();
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(color);
        Self { verbose }
    }

    /// Writes command output to stdout. A closed pipe is reported as an error for the caller
    /// to end quietly. Like everything printed, it is sanitized: what comes from outside
    /// (file names, answers, error bodies) may hold escape sequences.
    pub(crate) fn data(&self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(sanitize(text).as_bytes())?;
        stdout.flush()
    }

    /// A progress or status line on stderr.
    pub(crate) fn info(&self, line: &str) {
        write_stderr(&format!("{}\n", sanitize(line)));
    }

    /// True with `-v`: worth computing what only `detail` would show.
    pub(crate) fn is_verbose(&self) -> bool {
        self.verbose > 0
    }

    /// A line on stderr shown only with `-v`.
    pub(crate) fn detail(&self, line: &str) {
        if self.verbose > 0 {
            write_stderr(&format!("{}\n", style(one_line(line)).dim()));
        }
    }

    /// A warning line on stderr, prefixed so it is recognisable inside git's output. One
    /// line, whatever the text holds.
    pub(crate) fn warn(&self, line: &str) {
        write_stderr(&format!(
            "{} {}\n",
            style("changes: warning:").yellow().bold(),
            one_line(line)
        ));
    }

    /// An error and its hints on stderr.
    pub(crate) fn error(&self, error: &Error) {
        let mut text = format!("{} {}\n", style("error:").red().bold(), one_line(&error.message));
        for hint in &error.hints {
            text.push_str(&format!("{} {}\n", style("hint:").cyan(), one_line(hint)));
        }
        write_stderr(&text);
    }
}

/// Writes to stderr, ignoring failures: a closed stderr must not crash a hook.
fn write_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// One status line rewritten in place on a terminal (`done of total` while something long
/// runs); nothing at all when stderr is not a terminal.
pub(crate) struct ProgressLine {
    term: Option<console::Term>,
}

impl ProgressLine {
    /// A line on stderr when it is a terminal.
    pub(crate) fn new() -> Self {
        let term = console::Term::stderr();
        Self { term: term.is_term().then_some(term) }
    }

    /// Replaces the line's text.
    pub(crate) fn update(&self, text: &str) {
        if let Some(term) = &self.term {
            let _ = term.clear_line();
            let _ = term.write_str(text);
        }
    }

    /// Clears the line.
    pub(crate) fn finish(&self) {
        if let Some(term) = &self.term {
            let _ = term.clear_line();
        }
    }
}

/// Frames of the spinner shown beside a model still being asked.
const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/// How often the spinner moves; also how long a run may take before anything is drawn, so
/// that an instant answer (the built-in model) never flashes a line.
const TICK: Duration = Duration::from_millis(100);

/// A live display of a run's progress on stderr, fed by the engine's events; `None` when
/// stderr is not a terminal (hooks from IDEs, CI, captured output get nothing).
pub(crate) fn live_progress() -> Option<Progress> {
    if !console::Term::stderr().is_term() {
        return None;
    }
    let display: Mutex<Option<LiveStatus>> = Mutex::new(None);
    Some(Arc::new(move |event| {
        let Ok(mut display) = display.lock() else { return };
        match event {
            Event::Started { models } => *display = Some(LiveStatus::start(models)),
            Event::Finished { index, result } => {
                if let Some(live) = display.as_ref() {
                    live.update(index, result);
                }
            }
            Event::Done => {
                if let Some(live) = display.take() {
                    live.finish();
                }
            }
        }
    }))
}

/// One line per model, rewritten in place as answers arrive (a spinner while a model is
/// asked, then its time and status), cleared at the end. A thread of its own moves the
/// spinner.
struct LiveStatus {
    shared: Arc<LiveLines>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

/// What the display and its ticker thread share.
struct LiveLines {
    term: console::Term,
    names: Vec<String>,
    /// `None` while the model is being asked, then its final line.
    done: Mutex<Vec<Option<String>>>,
    frame: AtomicUsize,
    drawn: AtomicBool,
    stopped: AtomicBool,
}

impl LiveStatus {
    fn start(names: Vec<String>) -> Self {
        let shared = Arc::new(LiveLines {
            term: console::Term::stderr(),
            done: Mutex::new(vec![None; names.len()]),
            names,
            frame: AtomicUsize::new(0),
            drawn: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
        });
        let lines = Arc::clone(&shared);
        let ticker = std::thread::Builder::new()
            .name("changes-status".to_string())
            .spawn(move || loop {
                std::thread::park_timeout(TICK);
                if lines.stopped.load(Ordering::SeqCst) {
                    return;
                }
                lines.frame.fetch_add(1, Ordering::Relaxed);
                lines.redraw();
            })
            .ok();
        Self { shared, ticker }
    }

    /// Replaces the line of the model at `index` with its result.
    fn update(&self, index: usize, result: Result<Duration, String>) {
        let Some(name) = self.shared.names.get(index) else { return };
        let text = match result {
            Ok(duration) => {
                format!("  {} {name}: {}", style("✓").green(), short_duration(duration))
            }
            Err(reason) => format!("  {} {name}: {}", style("✗").red(), one_line(&reason)),
        };
        if let Ok(mut done) = self.shared.done.lock() {
            if let Some(line) = done.get_mut(index) {
                *line = Some(text);
            }
        }
        if self.shared.drawn.load(Ordering::SeqCst) {
            self.shared.redraw();
        }
    }

    /// Stops the spinner and removes the block: what remains on screen is the result.
    fn finish(mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        if let Some(ticker) = self.ticker.take() {
            ticker.thread().unpark();
            let _ = ticker.join();
        }
        if self.shared.drawn.load(Ordering::SeqCst) {
            let _ = self.shared.term.clear_last_lines(self.shared.names.len());
        }
    }
}

impl LiveLines {
    fn redraw(&self) {
        let Ok(done) = self.done.lock() else { return };
        let frame = SPINNER[self.frame.load(Ordering::Relaxed) % SPINNER.len()];
        if self.drawn.swap(true, Ordering::SeqCst) {
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
}
