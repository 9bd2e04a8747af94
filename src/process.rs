//! Every subprocess `changes` starts goes through here, with a time limit: a stuck helper
//! program must never hold up a command.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How often a child that has closed its output is checked for having exited.
const EXIT_POLL: Duration = Duration::from_millis(5);

/// Runs `program` with `arguments` and returns its trimmed standard output when it exits
/// successfully within `limit`; `None` when it is missing, fails, or takes too long (then it
/// is killed).
pub(crate) fn output(program: &str, arguments: &[&str], limit: Duration) -> Option<String> {
    let deadline = Instant::now() + limit;
    let mut child = Command::new(program)
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // The output is read while the child runs: a pipe holds only 64 KiB, and a child whose
    // output is not drained blocks on its next write until the limit kills it.
    let Some(mut stdout) = child.stdout.take() else {
        return stop(child);
    };
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::Builder::new().name("process-output".into()).spawn(move || {
        let mut bytes = Vec::new();
        let read = stdout.read_to_end(&mut bytes).map(|_| bytes);
        // The receiver is gone only when the limit already passed; nobody wants the text.
        let _ = sender.send(read);
    });
    if reader.is_err() {
        return stop(child);
    }
    // End of output comes first (the child closes its end as it exits), then the exit status.
    // A grandchild that keeps the pipe open cannot stretch the limit: the wait for the output
    // ends at the deadline, and the reader thread is left to finish when the pipe closes.
    let bytes = match receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) | Err(_) => return stop(child),
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let text = String::from_utf8(bytes).ok()?;
                return status.success().then(|| text.trim().to_string());
            }
            Ok(None) if Instant::now() < deadline => {
                let left = deadline.saturating_duration_since(Instant::now());
                std::thread::sleep(EXIT_POLL.min(left));
            }
            _ => return stop(child),
        }
    }
}

/// Kills and reaps a child that failed or ran out of time, so no zombie is left behind.
fn stop(mut child: Child) -> Option<String> {
    let _ = child.kill();
    let _ = child.wait();
    None
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

    #[test]
    fn output_larger_than_a_pipe_buffer_is_read_while_the_child_runs() {
        let started = Instant::now();
        let script = r"head -c 1000000 /dev/zero | tr '\0' x";
        let text = output("sh", &["-c", script], Duration::from_secs(20));
        assert_eq!(text.map(|text| text.len()), Some(1_000_000));
        // Before the fix this child blocked on a full pipe until the limit killed it.
        assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    }

    #[test]
    fn a_grandchild_holding_the_output_open_does_not_stretch_the_limit() {
        let started = Instant::now();
        // The shell exits at once, but the backgrounded sleep keeps its standard output open.
        let text = output("sh", &["-c", "echo early; sleep 3 &"], Duration::from_millis(300));
        assert_eq!(text, None);
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    }
}
