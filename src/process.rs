//! Every subprocess `changes` starts goes through here, with a time limit: a stuck helper
//! program must never hold up a command.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `program` with `arguments` and returns its trimmed standard output when it exits
/// successfully within `limit`; `None` when it is missing, fails, or takes too long (then it
/// is killed).
pub fn output(program: &str, arguments: &[&str], limit: Duration) -> Option<String> {
    let mut child = Command::new(program)
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut text = String::new();
                child.stdout.take()?.read_to_string(&mut text).ok()?;
                return status.success().then(|| text.trim().to_string());
            }
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_returned_and_slow_or_missing_programs_give_nothing() {
        assert_eq!(output("echo", &["  hello "], Duration::from_secs(5)).as_deref(), Some("hello"));
        assert_eq!(output("false", &[], Duration::from_secs(5)), None);
        assert_eq!(output("no-such-program-anywhere", &[], Duration::from_secs(5)), None);
        let started = Instant::now();
        assert_eq!(output("sleep", &["10"], Duration::from_millis(200)), None);
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
