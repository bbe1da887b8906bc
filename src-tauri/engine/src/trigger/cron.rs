//! Cron expressions: five fields (minute hour day-of-month month day-of-week), evaluated in the
//! local time zone. Names (`mon`, `jan`), ranges, lists and steps are understood; seconds and
//! years are not (they are not five-field cron).

use chrono::{DateTime, Datelike, Days, Local, NaiveDate, TimeZone, Utc};
use croner::parser::{CronParser, Seconds, Year};
use croner::Cron;

/// A parsed expression.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
}

/// The fields, in order.
const FIELDS: [&str; 5] = ["minute", "hour", "day-of-month", "month", "day-of-week"];

/// Parses a five-field expression; the error says what is wrong.
pub fn parse(expression: &str) -> Result<Schedule, String> {
    let fields = expression.split_whitespace().count();
    if fields != 5 {
        return Err(format!(
            "`{expression}` has {fields} field(s); a cron expression has five: minute hour day-of-month month day-of-week, e.g. `0 3 * * *` for 03:00 every day"
        ));
    }
    // croner skips empty list items: a field of only commas would match nothing, and each search
    // for the next fire time would step through the years up to its limit (seconds of CPU).
    if let Some((name, field)) =
        FIELDS.iter().zip(expression.split_whitespace()).find(|(_, f)| f.split(',').any(str::is_empty))
    {
        return Err(format!(
            "`{expression}`: the {name} field `{field}` has an empty item (a comma with nothing on one side); separate values with single commas, e.g. `0,30`"
        ));
    }
    let parser = CronParser::builder().seconds(Seconds::Disallowed).year(Year::Disallowed).build();
    let cron = parser.parse(expression).map_err(|e| format!("`{expression}` is not a valid cron expression: {e}"))?;
    if !fires_at_all(&cron) {
        return Err(format!(
            "`{expression}` never fires: no date has that day of the month in those months (e.g. 30 February) or that day of the week; use `L` for the last day of a month, e.g. `0 3 L * *`"
        ));
    }
    Ok(Schedule { cron })
}

/// Whether some minute of some day matches. Hour and minute fields always match something once
/// parsed (no empty items); the day part may not (`0 0 30 2 *`, `0 0 31 2 +mon`), and the search
/// for its next fire time would step through the years to croner's limit, the year 5000 (hundreds
/// of milliseconds, at every look). 28 consecutive years inside one century hold every kind of
/// year: leap or not, starting on each day of the week. Days are checked in UTC at the first
/// matching hour and minute: the question is about the calendar, not a time zone's clock changes.
fn fires_at_all(cron: &Cron) -> bool {
    let p = &cron.pattern;
    let (Some(hour), Some(minute)) =
        ((0..24).find(|h| p.hour_match(*h).unwrap_or(false)), (0..60).find(|m| p.minute_match(*m).unwrap_or(false)))
    else {
        return false;
    };
    let (Some(mut day), Some(end)) = (NaiveDate::from_ymd_opt(2028, 1, 1), NaiveDate::from_ymd_opt(2056, 1, 1)) else {
        return true;
    };
    while day < end {
        if p.month_match(day.month()).unwrap_or(false) {
            let at = Utc.with_ymd_and_hms(day.year(), day.month(), day.day(), hour, minute, 0).single();
            if at.is_some_and(|at| cron.is_time_matching(&at).unwrap_or(false)) {
                return true;
            }
        }
        let Some(next) = day.checked_add_days(Days::new(1)) else { return true };
        day = next;
    }
    false
}

impl Schedule {
    /// The first fire time strictly after `after`.
    pub fn next_after(&self, after: &DateTime<Local>) -> Option<DateTime<Local>> {
        self.cron.find_next_occurrence(after, false).ok()
    }

    /// The next `n` fire times after `after`.
    pub fn next_n(&self, after: &DateTime<Local>, n: usize) -> Vec<DateTime<Local>> {
        let mut out = Vec::with_capacity(n);
        let mut at = *after;
        while out.len() < n {
            match self.next_after(&at) {
                Some(t) => {
                    out.push(t);
                    at = t;
                }
                None => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn next_times_follow_the_expression_in_local_time() {
        let s = parse("0 3 * * *").unwrap();
        let from = Local.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let next = s.next_n(&from, 2);
        assert_eq!(next[0], Local.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap());
        assert_eq!(next[1], Local.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap());
        let weekdays = parse("*/15 9-17 * * mon-fri").unwrap();
        let t = weekdays.next_after(&Local.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()).unwrap();
        assert_eq!(t, Local.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(), "Saturday noon -> Monday 09:00");
    }

    #[test]
    fn invalid_expressions_say_why() {
        assert!(parse("0 3 * *").unwrap_err().contains("has 4 field(s)"));
        assert!(parse("0 0 3 * * *").unwrap_err().contains("has 6 field(s)"));
        assert!(parse("61 * * * *").unwrap_err().contains("not a valid cron expression"));
        assert!(parse("* * * * funday").is_err());
        assert!(parse("").unwrap_err().contains("has 0 field(s)"));
    }

    #[test]
    fn a_field_with_an_empty_list_item_is_refused_instead_of_never_firing() {
        // Found by fuzzing (cron target): croner accepted `,` as a minute field matching nothing,
        // and the next fire time was searched for up to the year 5000, for seconds.
        let err = parse(", * 14 * 4").unwrap_err();
        assert!(err.contains("the minute field `,` has an empty item"), "{err}");
        assert!(parse("0 0 1,,15 * *").unwrap_err().contains("the day-of-month field `1,,15`"));
        assert!(parse("0 9 * * mon,").unwrap_err().contains("the day-of-week field `mon,`"));
        let s = parse("0,30 9 * * *").unwrap();
        let from = Local.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        assert_eq!(s.next_n(&from, 2), [0, 30].map(|m| Local.with_ymd_and_hms(2026, 11, 26, 9, m, 0).unwrap()));
    }

    #[test]
    fn an_expression_no_date_matches_is_refused_instead_of_searched_to_the_year_5000() {
        for never in ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "15 3 30,31 2 *", "0 0 31 2 +mon"] {
            let err = parse(never).unwrap_err();
            assert!(err.contains("never fires") && err.contains("`0 3 L * *`"), "{never}: {err}");
        }
        let from = Local.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        // Rare but real: 29 February, the fifth Monday of a February (a leap year whose February
        // starts on a Monday), Friday the 13th, a day of the month or a weekday in February (either matches).
        for (rare, year) in
            [("0 0 29 2 *", 2028), ("0 0 * 2 mon#5", 2044), ("0 0 13 * +fri", 2027), ("0 0 30 2 mon", 2027)]
        {
            let next = parse(rare).unwrap().next_after(&from).unwrap_or_else(|| panic!("{rare} fires"));
            assert_eq!(next.year(), year, "{rare}: {next}");
        }
    }
}
