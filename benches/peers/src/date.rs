//! Calendar dates for the hand-written baseline, the cedar context and the request
//! generator, written here so that no peer borrows regelverk's own date code.
//!
//! A date is kept two ways at once: as a day number (days since 1970-01-01), for "newer than
//! 14 days", and as the number `YYYYMMDD`, for ordering and for ages. The age in completed
//! years is `(on − born) / 10000` on those numbers: the month-and-day part decides whether
//! this year's birthday has come, so someone born on 29 February completes a year on
//! 1 March in a year without one (BRIEF §4), with no special case.

/// A calendar date in the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
    ymd: i32,
}

impl Date {
    /// The date `year-month-day`, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let ymd = year.checked_mul(10_000)? + (month * 100 + day) as i32;
        Some(Date {
            days: days_from_civil(year, month, day),
            ymd,
        })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        Date::from_ymd(number(0..4)? as i32, number(5..7)?, number(8..10)?)
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        let (year, month, day) = civil_from_days(days);
        Date {
            days,
            ymd: year * 10_000 + (month * 100 + day) as i32,
        }
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.days
    }

    /// The number `YYYYMMDD`.
    pub fn ymd(self) -> i32 {
        self.ymd
    }

    pub fn year(self) -> i32 {
        self.ymd.div_euclid(10_000)
    }

    pub fn month(self) -> u32 {
        (self.ymd.rem_euclid(10_000) / 100) as u32
    }

    pub fn day(self) -> u32 {
        (self.ymd.rem_euclid(100)) as u32
    }

    /// The date `n` days later (earlier when negative).
    pub fn add_days(self, n: i32) -> Date {
        Date::from_days(self.days + n)
    }

    /// The same month and day `n` years later; 29 February becomes 28 February in a year
    /// without it (only the generator uses this, to place requests near birthdays).
    pub fn add_years(self, n: i32) -> Date {
        let year = self.year() + n;
        let day = self.day().min(days_in_month(year, self.month()));
        Date::from_ymd(year, self.month(), day).unwrap_or(self)
    }

    /// Completed years from `self` (a birth date) to `on`.
    pub fn age_on(self, on: Date) -> i32 {
        (on.ymd - self.ymd).div_euclid(10_000)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

pub fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-from-days algorithms (public domain), in eras of 400 years.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| unreachable!("test date {text}"))
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2000-03-01").days(), 11_017);
        for days in -1_000..30_000 {
            let date = Date::from_days(days);
            assert_eq!(Date::parse(&date.to_string()), Some(date));
        }
    }

    #[test]
    fn ages_follow_the_brief() {
        assert_eq!(d("2010-05-01").age_on(d("2026-05-01")), 16);
        assert_eq!(d("2010-05-02").age_on(d("2026-05-01")), 15);
        // Born 29 February: a year is completed on 1 March when there is no 29 February.
        assert_eq!(d("2008-02-29").age_on(d("2025-02-28")), 16);
        assert_eq!(d("2008-02-29").age_on(d("2025-03-01")), 17);
        assert_eq!(d("2008-02-29").age_on(d("2024-02-29")), 16);
    }

    #[test]
    fn malformed_dates_are_refused() {
        for text in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-01",
            "20250101",
            "2025-01-0x",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }
}
