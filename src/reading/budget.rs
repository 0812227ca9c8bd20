//! The per-file time budget: no single file may hold up a run.
//!
//! Each file's work (read, structure and, for `scan` and `index`, match) runs
//! on a worker thread (one long-lived worker per calling thread, so the
//! tokenizer's per-thread buffers and word memo are reused from file to
//! file); the caller waits for the result at most the budget
//! (`--file-timeout`, 60 s by default) and then gives up on that file,
//! reports "N 秒たっても読み終わらないため打ち切りました" for it and goes on with the next. A worker
//! that was given up on is abandoned and the next file gets a new one.
//!
//! Why a worker thread rather than deadline checks inside the readers: most of
//! the time on a hostile input is spent in code that is not ours (html5ever's
//! tree builder, quick-xml, the regex engines, the tokenizer), where no check
//! can be put; a thread covers all of it, and any loop we may get wrong later,
//! without threading a deadline through every function.
//!
//! What giving up means: Rust cannot stop a thread, so the abandoned work
//! runs on in the background until it ends (or the process exits) and then
//! its result is dropped. It cannot corrupt anything: the worker owns its
//! input (the path, the bytes, a clone of the matcher) and only ever sends
//! its result through a channel nobody listens to any more; it writes no file
//! and touches no shared state. The cost is CPU and memory held by that
//! thread until it ends, which is the right trade for a tool run once over a
//! folder. A worker that panics (a bug in tenken) is also caught here and
//! reported as an error for its file instead of ending the run.

use std::cell::RefCell;
use std::sync::mpsc;
use std::time::Duration;

/// How long one file may take unless `--file-timeout` says otherwise.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(60);

/// Stack of each worker: the readers recurse over the document tree.
const WORKER_STACK: usize = 8 << 20;

/// Why the work on one file did not come back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error(
        "{secs} 秒たっても読み終わらないため打ち切りました。1 ファイルあたりの制限時間は --file-timeout で延ばせます (gave up after {secs} s)",
        secs = seconds(*.0)
    )]
    TimedOut(Duration),
    #[error(
        "このファイルを読む途中で内部エラーが起きました。tenken の不具合ですので、このメッセージを添えて報告してください (internal error: {0})"
    )]
    Panicked(String),
    #[error("作業用のスレッドを起動できません (cannot start a worker thread: {0})")]
    Spawn(String),
}

/// A job for a worker thread: it runs the work and sends the result.
type Job = Box<dyn FnOnce() + Send>;

/// A long-lived worker thread that runs one job at a time.
struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Worker {
    fn start() -> Result<Worker, BudgetError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("tenken-file".into())
            .stack_size(WORKER_STACK)
            .spawn(move || {
                for job in queue {
                    job();
                }
            })
            .map_err(|e| BudgetError::Spawn(e.to_string()))?;
        Ok(Worker { jobs })
    }
}

thread_local! {
    /// The worker of the calling thread (a rayon thread): kept from file to
    /// file, so that its thread-local state (the tokenizer's buffers and
    /// word memo, its allocator arena) is reused; replaced after a time-out.
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Runs `work` on the calling thread's worker and waits for it at most
/// `budget`. After a time-out the worker is abandoned (it finishes the work
/// in the background and then ends) and the next call starts a new one.
pub fn within<T, F>(budget: Duration, work: F) -> Result<T, BudgetError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (sender, receiver) = mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .map_err(|payload| panic_message(payload.as_ref()));
        // The receiver is gone when the caller gave up: nothing to do then.
        let _ = sender.send(result);
    });
    WORKER.with_borrow_mut(|slot| {
        if slot.is_none() {
            *slot = Some(Worker::start()?);
        }
        let sent = slot.as_ref().map(|w| w.jobs.send(job));
        if !matches!(sent, Some(Ok(()))) {
            *slot = None;
            return Err(BudgetError::Spawn("the worker thread has ended".into()));
        }
        match receiver.recv_timeout(budget) {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(message)) => Err(BudgetError::Panicked(message)),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                *slot = None;
                Err(BudgetError::TimedOut(budget))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                *slot = None;
                Err(BudgetError::Panicked(
                    "the worker ended without a result".into(),
                ))
            }
        }
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string());
    // Errors are printed on one line.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A duration in seconds as a user wrote it: `60`, `0.5`, `0.001`.
pub fn seconds(duration: Duration) -> String {
    // f64's Display is the shortest text that reads back the same: 60, 0.3.
    format!("{}", duration.as_secs_f64())
}

/// Parses `--file-timeout SECS`: a positive number of seconds, decimals allowed.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("「{text}」は秒数ではありません。秒数を数字で指定してください（小数も可、例: 0.5） (not a number of seconds)"))?;
    if !value.is_finite() || value <= 0.0 || value > 1e9 {
        return Err(format!(
            "「{text}」: 0 より大きい秒数を指定してください（小数も可、例: 0.5） (give a number of seconds above 0)"
        ));
    }
    Ok(Duration::from_secs_f64(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn returns_the_result_in_time() {
        assert_eq!(within(Duration::from_secs(10), || 6 * 7), Ok(42));
    }

    #[test]
    fn gives_up_on_slow_work_quickly() {
        let started = Instant::now();
        let result = within(Duration::from_millis(20), || {
            std::thread::sleep(Duration::from_secs(5));
        });
        assert_eq!(
            result,
            Err(BudgetError::TimedOut(Duration::from_millis(20)))
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        let message = BudgetError::TimedOut(Duration::from_millis(20)).to_string();
        assert!(
            message.starts_with("0.02 秒たっても読み終わらないため打ち切りました")
                && message.ends_with("(gave up after 0.02 s)"),
            "{message}"
        );
    }

    #[test]
    fn a_panic_becomes_an_error() {
        let result: Result<(), _> = within(Duration::from_secs(10), || panic!("boom\nsecond line"));
        assert_eq!(
            result,
            Err(BudgetError::Panicked("boom second line".into()))
        );
    }

    #[test]
    fn seconds_are_shown_and_parsed_as_written() {
        assert_eq!(seconds(Duration::from_secs(60)), "60");
        assert_eq!(seconds(Duration::from_millis(500)), "0.5");
        assert_eq!(seconds(Duration::from_millis(1)), "0.001");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5");
        assert_eq!(parse_seconds("60"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
        assert!(parse_seconds("inf").is_err());
    }
}
