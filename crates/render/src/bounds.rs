//! Bounds on laying out one report: a template (the user's copy, or a built-in one meeting
//! data no one foresaw) that loops, or grows without end, stops the run with a message
//! naming the template, instead of running for hours or exhausting memory.
//!
//! A watchdog thread checks the template being laid out against its time and memory
//! bounds. Neither template engine can be stopped from outside, so past a bound the
//! watchdog ends the process with exit code 2; nothing has been written by then (the
//! reports are laid out before any output folder is made). The size of what a template
//! writes is bounded where it is written.

use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use sprout_config::RenderLimits;

/// The template being laid out, and its bounds.
struct Watch {
    template: String,
    started: Instant,
    seconds: u64,
    /// Resident memory when it started, and the most it may add.
    memory_at_start: Option<u64>,
    memory: u64,
}

static WATCHED: Mutex<Option<Watch>> = Mutex::new(None);
static WATCHDOG: Once = Once::new();

/// How often the watchdog looks.
const TICK: Duration = Duration::from_millis(50);

/// Runs `work`, laying out `template`, under the time and memory bounds of `limits`.
pub fn watched<T>(template: &str, limits: &RenderLimits, work: impl FnOnce() -> T) -> T {
    WATCHDOG.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("template watchdog".into())
            .spawn(watch);
    });
    set(Some(Watch {
        template: template.to_owned(),
        started: Instant::now(),
        seconds: limits.template_seconds,
        memory_at_start: resident_bytes(),
        memory: limits.template_memory,
    }));
    let out = work();
    set(None);
    out
}

fn set(watch: Option<Watch>) {
    if let Ok(mut w) = WATCHED.lock() {
        *w = watch;
    }
}

fn watch() {
    loop {
        std::thread::sleep(TICK);
        let Ok(guard) = WATCHED.lock() else { return };
        let Some(w) = guard.as_ref() else { continue };
        let over_time = w.started.elapsed() > Duration::from_secs(w.seconds);
        let grown = match (w.memory_at_start, resident_bytes()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => 0,
        };
        let message = if over_time {
            format!(
                "{}: laying out the report took longer than {} seconds, so it was stopped; \
                 a loop in the template that does not end can cause this. If the report is \
                 simply large, raise `template_seconds` in [limits]",
                w.template, w.seconds
            )
        } else if grown > w.memory {
            format!(
                "{}: laying out the report needed more than {} of memory, so it was stopped; \
                 a template that builds ever larger values can cause this. If the report is \
                 simply large, raise `template_memory` in [limits]",
                w.template,
                bytes_in_words(w.memory)
            )
        } else {
            continue;
        };
        eprintln!("error: {}", sprout_core::privacy::clip(&message, 600));
        std::process::exit(i32::from(sprout_core::exit::UNUSABLE_INPUT));
    }
}

/// The process's resident memory, where the system says (Linux).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// "2 GiB", "256 MiB".
pub fn bytes_in_words(n: u64) -> String {
    if n >= 1 << 30 && n.is_multiple_of(1 << 30) {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// A writer that refuses to grow past a bound, so a template that writes without end
/// stops at the bound rather than filling memory.
#[derive(Debug)]
pub struct Capped {
    pub bytes: Vec<u8>,
    limit: u64,
    /// The bound was reached.
    pub overflowed: bool,
}

impl Capped {
    pub fn new(limit: u64) -> Self {
        Self {
            bytes: Vec::new(),
            limit,
            overflowed: false,
        }
    }
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() as u64 + buf.len() as u64 > self.limit {
            self.overflowed = true;
            return Err(std::io::Error::other("output past its bound"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_capped_writer_stops_at_its_bound() {
        let mut w = Capped::new(10);
        assert!(w.write_all(b"12345").is_ok());
        assert!(w.write_all(b"123456").is_err());
        assert!(w.overflowed);
        assert_eq!(w.bytes, b"12345");
    }

    #[test]
    fn work_within_bounds_returns_its_value() {
        let limits = RenderLimits::default();
        assert_eq!(watched("t.html", &limits, || 6 * 7), 42);
        assert!(WATCHED.lock().is_ok_and(|w| w.is_none()));
    }
}
