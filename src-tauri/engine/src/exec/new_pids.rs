//! Which process ids can belong to processes created since a moment: every process a step starts
//! is created after the step, and Linux hands out ids in increasing order until they wrap at
//! `pid_max`. So a scan for a step's leftovers need only look at ids above the last one handed out
//! before the step began, unless the ids have wrapped since. Without that a scan opens a file of
//! every process on the machine at the end of every step.

/// The last process id handed out, and the number of processes (and threads) created since boot,
/// at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PidMark {
    last_pid: i32,
    forks: u64,
}

impl PidMark {
    /// Now, or `None` where the kernel does not say (not Linux, or `/proc` hidden).
    pub(crate) fn now() -> Option<PidMark> {
        read_mark()
    }

    /// The ids that processes created since `self` can have, up to now: `None` when every id is
    /// possible (the ids wrapped around, or the kernel does not say).
    pub(crate) fn ids_since(&self) -> Option<std::ops::RangeInclusive<i32>> {
        let now = read_mark()?;
        let pid_max = read_number("/proc/sys/kernel/pid_max")?;
        self.window_to(now, pid_max)
    }

    /// The window from `self` to `now`. Ids are handed out in increasing order from the last one
    /// and wrap to the bottom at `pid_max`: a `now` below `self` wrapped; a `now` above it may
    /// also have wrapped all the way round, which takes at least `pid_max` creations, less the
    /// few hundred ids the kernel keeps for itself (300).
    fn window_to(&self, now: PidMark, pid_max: u64) -> Option<std::ops::RangeInclusive<i32>> {
        let created = now.forks.checked_sub(self.forks)?;
        if now.last_pid < self.last_pid || created >= pid_max.saturating_sub(300) {
            return None;
        }
        Some(self.last_pid.saturating_add(1)..=now.last_pid)
    }
}

#[cfg(target_os = "linux")]
fn read_mark() -> Option<PidMark> {
    // The count first: a process created between the two reads then widens the window (safe)
    // instead of hiding a wrap.
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let forks = stat.lines().find_map(|l| l.strip_prefix("processes "))?.trim().parse().ok()?;
    let last_pid = i32::try_from(read_number("/proc/sys/kernel/ns_last_pid")?).ok()?;
    Some(PidMark { last_pid, forks })
}

#[cfg(not(target_os = "linux"))]
fn read_mark() -> Option<PidMark> {
    None
}

fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(last_pid: i32, forks: u64) -> PidMark {
        PidMark { last_pid, forks }
    }

    #[test]
    fn ids_handed_out_after_the_mark_are_in_the_window() {
        assert_eq!(mark(1000, 50).window_to(mark(1040, 90), 32768), Some(1001..=1040));
    }

    #[test]
    fn nothing_created_since_gives_an_empty_window() {
        assert!(mark(1000, 50).window_to(mark(1000, 50), 32768).unwrap().is_empty());
    }

    #[test]
    fn ids_that_wrapped_below_the_mark_give_no_window() {
        assert_eq!(mark(32000, 50).window_to(mark(400, 1200), 32768), None);
    }

    #[test]
    fn ids_that_may_have_wrapped_all_the_way_round_give_no_window() {
        assert_eq!(mark(1000, 50).window_to(mark(1040, 50 + 32768 - 300), 32768), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_child_started_after_the_mark_is_in_the_window() {
        let before = PidMark::now().expect("Linux tells the last process id");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        child.wait().unwrap();
        let window = before.ids_since().expect("no wrap in a moment");
        assert!(window.contains(&pid), "{pid} not in {window:?}");
    }
}
