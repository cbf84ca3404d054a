//! The member imports running (or lately finished) on this server, keyed by their upload's
//! token: rows done and to do while one runs, then its report or why it stopped. Bounded:
//! finished imports are forgotten after an hour, and at most `MAX_RUNS` are kept.

use crate::import::members_report::Report;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How many imports are remembered at once.
pub const MAX_RUNS: usize = 64;
/// How long a finished import's report stays readable.
pub const KEEP_FINISHED: Duration = Duration::from_hours(1);

/// Where one import stands.
#[derive(Debug, Clone)]
pub enum Run {
    /// Running: `done` of `todo` rows written (`todo` is 0 until the file is read).
    Running {
        done: usize,
        todo: usize,
    },
    Finished(Report),
    /// Stopped before writing anything, with the message to show.
    Failed(String),
}

/// Why `start` did not start an import.
#[derive(Debug, PartialEq, Eq)]
pub enum NotStarted {
    /// This token's import runs or has finished: never twice.
    Already,
    /// `MAX_RUNS` imports are running.
    Busy,
}

struct Entry {
    run: Run,
    /// When it finished (or failed); `None` while it runs.
    ended: Option<Instant>,
}

static RUNS: LazyLock<Mutex<HashMap<String, Entry>>> = LazyLock::new(Default::default);

fn runs() -> MutexGuard<'static, HashMap<String, Entry>> {
    // A poisoned lock only means a panic elsewhere while holding it; the map stays usable.
    RUNS.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Records `token`'s import as running, unless it runs or finished already (a failed one
/// may start again).
pub fn start(token: &str) -> Result<(), NotStarted> {
    let mut runs = runs();
    let now = Instant::now();
    runs.retain(|_, e| {
        e.ended
            .is_none_or(|at| now.duration_since(at) < KEEP_FINISHED)
    });
    if let Some(entry) = runs.get(token)
        && !matches!(entry.run, Run::Failed(_))
    {
        return Err(NotStarted::Already);
    }
    if runs.len() >= MAX_RUNS && !runs.contains_key(token) {
        let oldest = runs
            .iter()
            .filter_map(|(t, e)| e.ended.map(|at| (at, t.clone())))
            .min();
        match oldest {
            Some((_, t)) => {
                runs.remove(&t);
            }
            None => return Err(NotStarted::Busy),
        }
    }
    runs.insert(
        token.to_owned(),
        Entry {
            run: Run::Running { done: 0, todo: 0 },
            ended: None,
        },
    );
    Ok(())
}

/// Records rows done while `token`'s import runs.
pub fn progress(token: &str, done: usize, todo: usize) {
    if let Some(entry) = runs().get_mut(token) {
        entry.run = Run::Running { done, todo };
    }
}

/// Records how `token`'s import ended.
pub fn finish(token: &str, outcome: Result<Report, String>) {
    if let Some(entry) = runs().get_mut(token) {
        entry.run = match outcome {
            Ok(report) => Run::Finished(report),
            Err(message) => Run::Failed(message),
        };
        entry.ended = Some(Instant::now());
    }
}

/// Where `token`'s import stands; `None` for one this server does not know (or forgot).
pub fn get(token: &str) -> Option<Run> {
    runs().get(token).map(|e| e.run.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_starts_once_and_a_failed_one_may_start_again() {
        let token = "runs-test-once";
        assert_eq!(start(token), Ok(()));
        assert_eq!(start(token), Err(NotStarted::Already));
        progress(token, 3, 10);
        assert!(matches!(
            get(token),
            Some(Run::Running { done: 3, todo: 10 })
        ));
        finish(token, Err("stopped".into()));
        assert!(matches!(get(token), Some(Run::Failed(_))));
        assert_eq!(start(token), Ok(()));
        finish(token, Ok(Report::default()));
        assert_eq!(start(token), Err(NotStarted::Already));
        assert!(get("runs-test-unknown").is_none());
    }
}
