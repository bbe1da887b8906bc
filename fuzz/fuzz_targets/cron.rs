//! Cron expressions of cron triggers (and `scicd trigger next`).
//!
//! Properties: never a panic or a hang; an accepted expression has five fields and fires (an
//! expression no date matches is refused when parsed); its next fire times are strictly
//! increasing, all after the start, and whole minutes.
#![no_main]

use chrono::{Local, TimeZone, Timelike};
use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::trigger::cron;

fuzz_target!(|text: &str| {
    let Ok(schedule) = cron::parse(text) else { return };
    assert_eq!(text.split_whitespace().count(), 5, "an accepted expression has five fields");
    let from = Local.with_ymd_and_hms(2026, 11, 25, 12, 0, 30).single().expect("a plain local time");
    assert!(schedule.next_after(&from).is_some(), "an accepted expression fires: `{text}`");
    let mut last = from;
    for t in schedule.next_n(&from, 3) {
        assert!(t > last, "fire times go forward: {t} after {last} for `{text}`");
        assert_eq!((t.second(), t.nanosecond()), (0, 0), "a fire time is a whole minute: {t} for `{text}`");
        last = t;
    }
});
