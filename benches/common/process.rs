//! Running the `tenken` binary in benchmarks: wall time and peak memory read
//! from /proc while it runs, medians of repeated runs, and corpora made of
//! the shared corpus repeated (as hard links, taking no disk space).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One run of the binary: wall time, CPU time (user and system, all its
/// threads), peak resident and peak anonymous memory.
pub struct Measured {
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_kb: u64,
    pub anon_kb: u64,
}

/// The CPU time a process has used so far (utime + stime of
/// /proc/PID/stat, in clock ticks of 1/100 s, Linux's USER_HZ).
fn cpu_so_far(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may hold spaces: count after it.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the line are the 12th and 13th after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// A field of /proc/PID/status in kB (VmHWM, RssAnon …).
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs tenken with `args`, polling its memory until it exits.
pub fn measure(args: &[&str]) -> Measured {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tenken runs");
    let (mut peak_kb, mut anon_kb, mut cpu) = (0, 0, Duration::ZERO);
    loop {
        // Read every 5 ms until the process ends: the last reading misses
        // at most its last 5 ms.
        if let Some(used) = cpu_so_far(child.id()) {
            cpu = cpu.max(used);
        }
        if let Some(kb) = status_kb(child.id(), "VmHWM") {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(kb) = status_kb(child.id(), "RssAnon") {
            anon_kb = anon_kb.max(kb);
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = start.elapsed();
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "tenken {args:?}: {stderr}"
    );
    Measured {
        wall,
        cpu,
        peak_kb,
        anon_kb,
    }
}

/// The run of median wall time among `runs` runs of `args`.
pub fn median_of(runs: usize, args: &[&str]) -> Measured {
    let mut all: Vec<Measured> = (0..runs).map(|_| measure(args)).collect();
    all.sort_by_key(|m| m.wall);
    all.swap_remove(runs / 2)
}

/// `copies` copies of every file under `root`, as hard links (copies when
/// the file system refuses links) in `dir/copy-N/...`; returns the bytes and
/// the number of files.
pub fn synthesise(root: &Path, dir: &Path, copies: usize) -> (u64, u64) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let (mut bytes, mut count) = (0, 0);
    for n in 0..copies {
        for file in &files {
            let rel = file.strip_prefix(root).expect("inside the corpus");
            let to = dir.join(format!("copy-{n:03}")).join(rel);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
            if std::fs::hard_link(file, &to).is_err() {
                std::fs::copy(file, &to).expect("copy");
            }
            bytes += std::fs::metadata(&to).map_or(0, |m| m.len());
            count += 1;
        }
    }
    (bytes, count)
}

pub fn line(what: &str, bytes: u64, files: u64, m: &Measured) {
    println!(
        "{what:34} {:>8.1} MB/s {:>8.0} files/s {:>8.2?} (CPU {:>7.2?})   peak {:>6.0} MB (heap {:>6.0} MB)",
        super::mb_per_s(bytes, m.wall),
        files as f64 / m.wall.as_secs_f64(),
        m.wall,
        m.cpu,
        m.peak_kb as f64 / 1024.0,
        m.anon_kb as f64 / 1024.0
    );
}
