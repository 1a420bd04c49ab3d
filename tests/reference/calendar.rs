//! Dates for the reference, written apart from `regelverk::time` so a mistake there is not
//! repeated here: a date is (year, month, day), days are counted by summing whole years
//! and months, and the brief's rules of time (§4) are spelt out as the brief says them.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ymd {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub fn leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn month_length(year: i32, month: u32) -> u32 {
    const LENGTHS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if month == 2 && leap(year) {
        29
    } else {
        LENGTHS[month as usize - 1]
    }
}

impl Ymd {
    pub fn new(year: i32, month: u32, day: u32) -> Ymd {
        assert!((1..=12).contains(&month) && day >= 1 && day <= month_length(year, month));
        Ymd { year, month, day }
    }

    /// Days since 0001-01-01 (day 0), by whole years, then whole months.
    pub fn day_number(self) -> i64 {
        let years = i64::from(self.year - 1);
        let mut days = years * 365 + years / 4 - years / 100 + years / 400;
        for m in 1..self.month {
            days += i64::from(month_length(self.year, m));
        }
        days + i64::from(self.day) - 1
    }

    /// The date of a day number (the inverse of [`Ymd::day_number`]), by stepping whole
    /// years and months: slow, but plainly right.
    pub fn from_day_number(mut n: i64) -> Ymd {
        let mut year = 1 + (n / 366) as i32;
        n -= Ymd::new(year, 1, 1).day_number();
        loop {
            let length = if leap(year) { 366 } else { 365 };
            if n < length {
                break;
            }
            n -= length;
            year += 1;
        }
        let mut month = 1;
        while n >= i64::from(month_length(year, month)) {
            n -= i64::from(month_length(year, month));
            month += 1;
        }
        Ymd::new(year, month, n as u32 + 1)
    }

    pub fn plus_days(self, days: i64) -> Ymd {
        Ymd::from_day_number(self.day_number() + days)
    }

    /// The same day `years` later; a 29 February that does not exist there is 1 March
    /// (§4: a person born on 29 February completes a year on 1 March).
    pub fn plus_years(self, years: i32) -> Ymd {
        let year = self.year + years;
        if self.month == 2 && self.day == 29 && !leap(year) {
            Ymd::new(year, 3, 1)
        } else {
            Ymd::new(year, self.month, self.day)
        }
    }

    /// Completed years on `on` of someone born on `self` (`on` not before `self`).
    pub fn age_on(self, on: Ymd) -> i32 {
        let mut age = on.year - self.year;
        if on < self.plus_years(age) {
            age -= 1;
        }
        age
    }

    /// Valid from this day (signing) through the day before the same date a year later.
    pub fn valid_one_year_on(self, on: Ymd) -> bool {
        self <= on && on < self.plus_years(1)
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[test]
fn the_rules_of_time_in_the_brief() {
    let d = |y, m, d| Ymd::new(y, m, d);
    // Day numbers round-trip over four centuries.
    let start = d(1999, 12, 25).day_number();
    for n in start..start + 150_000 {
        assert_eq!(Ymd::from_day_number(n).day_number(), n);
    }
    assert_eq!(d(2026, 5, 15).plus_days(-14), d(2026, 5, 1));
    assert_eq!(d(2024, 2, 29).plus_years(1), d(2025, 3, 1));
    // §4: 16 on the birthday, 29 February completing on 1 March.
    assert_eq!(d(2010, 5, 1).age_on(d(2026, 5, 1)), 16);
    assert_eq!(d(2010, 5, 2).age_on(d(2026, 5, 1)), 15);
    assert_eq!(d(2008, 2, 29).age_on(d(2025, 2, 28)), 16);
    assert_eq!(d(2012, 2, 29).age_on(d(2025, 2, 28)), 12);
    assert_eq!(d(2012, 2, 29).age_on(d(2025, 3, 1)), 13);
    // §4: signed 2025-03-10, valid 2025-03-10 to 2026-03-09.
    let signed = d(2025, 3, 10);
    assert!(!signed.valid_one_year_on(d(2025, 3, 9)));
    assert!(signed.valid_one_year_on(d(2025, 3, 10)));
    assert!(signed.valid_one_year_on(d(2026, 3, 9)));
    assert!(!signed.valid_one_year_on(d(2026, 3, 10)));
}
