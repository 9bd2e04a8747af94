//! One module per command; each exposes one `cmd_*` function taking the shared `Context`.

pub mod config;
pub mod hook;
pub mod models;
pub mod report;

/// JSON as printed on stdout: pretty, with a final newline. Key order is the order of the
/// fields, so output is deterministic.
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// Refuses `--format json` on a command that does not produce JSON yet, rather than printing
/// text a program would then fail to parse.
pub fn text_only(context: &Context, command: &str) -> Result<(), crate::error::Error> {
    if context.format == crate::cli::Format::Json {
        return Err(crate::error::Error::unavailable(&format!("--format json for `{command}`")));
    }
    Ok(())
}

use crate::config::{FlagOverrides, Loaded};
use crate::env::Environment;
use crate::error::Error;
use crate::git::Repository;
use crate::ui::Printer;

/// What every command gets: the environment snapshot, the printer and the global flags.
pub struct Context {
    /// Environment variables, read once.
    pub environment: Environment,
    /// Output.
    pub printer: Printer,
    /// `--models`, empty for the defaults.
    pub models: Vec<String>,
    /// Flags that override configuration.
    pub flags: FlagOverrides,
    /// `--format`.
    pub format: crate::cli::Format,
}

impl Context {
    /// Loads the configuration for `repository` (its `.changes.yaml` is a layer), or without a
    /// repository layer when there is none.
    pub fn load_config(&self, repository: Option<&Repository>) -> Result<Loaded, Error> {
        let root = repository.and_then(Repository::work_tree);
        Ok(crate::config::load(&self.environment, root, &self.flags)?)
    }
}
