//! Calendar dates and the brief's rules of time (BRIEF §4).
//!
//! A [`Date`] is a day number; arithmetic in months and years rolls a day that does not
//! exist in the target month forward to the first of the next month, so `2024-02-29 + 1 år`
//! is `2025-03-01`, the same day a person born on 29 February completes a year.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// A unit of date arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    #[serde(rename = "dagar")]
    Days,
    #[serde(rename = "månader")]
    Months,
    #[serde(rename = "år")]
    Years,
}

impl Unit {
    /// The Swedish word for `amount` of this unit.
    pub fn word(self, amount: i64) -> &'static str {
        match (self, amount.abs() == 1) {
            (Unit::Days, true) => "dag",
            (Unit::Days, false) => "dagar",
            (Unit::Months, true) => "månad",
            (Unit::Months, false) => "månader",
            (Unit::Years, _) => "år",
        }
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

impl Date {
    /// The earliest and latest dates accepted anywhere (years 1–9999).
    pub const MIN_YEAR: i64 = 1;
    pub const MAX_YEAR: i64 = 9999;

    /// A date from year, month and day, or `None` if no such day exists.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm), 1970-01-01 = 0.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        i32::try_from(era * 146_097 + doe - 719_468).ok().map(Date)
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = i64::from(self.0) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// Parses `YYYY-MM-DD`; `None` for anything else or a day that does not exist.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = digits(0..4)?;
        let month = u32::try_from(digits(5..7)?).ok()?;
        let day = u32::try_from(digits(8..10)?).ok()?;
        Date::from_ymd(year, month, day)
    }

    /// The day number (days since 1970-01-01).
    pub fn days(self) -> i32 {
        self.0
    }

    /// The date for a day number.
    pub const fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// This date moved by `amount` units; `None` outside years 1–9999.
    pub fn shift(self, amount: i64, unit: Unit) -> Option<Date> {
        match unit {
            Unit::Days => {
                let days = i64::from(self.0).checked_add(amount)?;
                let date = Date(i32::try_from(days).ok()?);
                let (year, _, _) = date.ymd();
                (Self::MIN_YEAR..=Self::MAX_YEAR)
                    .contains(&year)
                    .then_some(date)
            }
            Unit::Months => self.add_months(amount),
            Unit::Years => self.add_months(amount.checked_mul(12)?),
        }
    }

    fn add_months(self, months: i64) -> Option<Date> {
        let (year, month, day) = self.ymd();
        let (year, month, day) = add_months((year, month, day), months)?;
        Date::from_ymd(year, month, day)
    }

    /// Age in completed years on `on` for someone born on `self`; `None` before birth.
    ///
    /// A year is completed on the birthday, and a 29 February birthday falls on 1 March
    /// in years without one (BRIEF §4).
    pub fn age_on(self, on: Date) -> Option<i64> {
        if on < self {
            return None;
        }
        let (by, bm, bd) = self.ymd();
        let (oy, om, od) = on.ymd();
        let mut years = oy - by;
        // The birthday this year, rolled to 1 March when 29 February does not exist.
        let birthday = Date::from_ymd(oy, bm, bd).or_else(|| Date::from_ymd(oy, 3, 1));
        match birthday {
            Some(day) if on < day => years -= 1,
            Some(_) => {}
            None => {
                if (om, od) < (bm, bd) {
                    years -= 1;
                }
            }
        }
        Some(years)
    }
}

/// `(year, month, day)` moved by whole months; a day the target month lacks rolls to the
/// first of the next month. Not checked against the years a [`Date`] accepts.
fn add_months((year, month, day): (i64, u32, u32), months: i64) -> Option<(i64, u32, u32)> {
    let index = year
        .checked_mul(12)?
        .checked_add(i64::from(month) - 1)?
        .checked_add(months)?;
    let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    Some(if day <= days_in_month(year, month) {
        (year, month, day)
    } else if month == 12 {
        (year + 1, 1, 1)
    } else {
        (year, month + 1, 1)
    })
}

/// A date as evaluation reads it: the day number, to compare dates and move them by days,
/// and the number `YYYYMMDD`, from which an age and a move by months follow without
/// converting back to a calendar: the age in completed years is the difference of two
/// such numbers divided by 10,000 (the month-and-day part says whether this year's
/// birthday has come, and a 29 February birthday comes on 1 March in other years).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Day {
    date: Date,
    ymd: i32,
}

impl Day {
    pub(crate) fn of(date: Date) -> Day {
        let (year, month, day) = date.ymd();
        Day {
            date,
            ymd: ymd_number(year, month, day),
        }
    }

    /// `year-month-day`, if it exists in years 1–9999.
    fn from_ymd(year: i64, month: u32, day: u32) -> Option<Day> {
        Some(Day {
            date: Date::from_ymd(year, month, day)?,
            ymd: ymd_number(year, month, day),
        })
    }

    /// Parses `YYYY-MM-DD`, as [`Date::parse`].
    pub(crate) fn parse(text: &str) -> Option<Day> {
        let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes() else {
            return None;
        };
        let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = |bytes: &[u8]| {
            bytes
                .iter()
                .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        Day::from_ymd(i64::from(n(&[y0, y1, y2, y3])), n(&[m0, m1]), n(&[d0, d1]))
    }

    pub(crate) fn date(self) -> Date {
        self.date
    }

    /// Age in completed years on `on`, as [`Date::age_on`].
    pub(crate) fn age_on(self, on: Day) -> Option<i64> {
        (on.date >= self.date).then(|| i64::from((on.ymd - self.ymd) / 10_000))
    }

    /// As [`Date::shift`].
    pub(crate) fn shift(self, amount: i64, unit: Unit) -> Option<Day> {
        let months = match unit {
            Unit::Days => return self.date.shift(amount, Unit::Days).map(Day::of),
            Unit::Months => amount,
            Unit::Years => amount.checked_mul(12)?,
        };
        let (year, month, day) = (
            i64::from(self.ymd / 10_000),
            (self.ymd / 100 % 100) as u32,
            (self.ymd % 100) as u32,
        );
        let (year, month, day) = add_months((year, month, day), months)?;
        Day::from_ymd(year, month, day)
    }
}

/// `YYYYMMDD` of a date in years 1–9999 (at most 99,991,231: an `i32`).
fn ymd_number(year: i64, month: u32, day: u32) -> i32 {
    (year * 10_000 + i64::from(month * 100 + day)) as i32
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("ogiltigt datum `{text}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn round_trips_and_rejects_impossible_days() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-12-31",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(d(text).to_string(), text);
        }
        for text in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "26-01-01",
            "2026-1-01",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn age_counts_completed_years() {
        assert_eq!(d("2010-05-01").age_on(d("2026-05-01")), Some(16));
        assert_eq!(d("2010-05-02").age_on(d("2026-05-01")), Some(15));
        assert_eq!(d("2026-05-02").age_on(d("2026-05-01")), None);
    }

    #[test]
    fn leap_day_birthdays_complete_on_first_of_march() {
        let born = d("2008-02-29");
        assert_eq!(born.age_on(d("2025-02-28")), Some(16));
        assert_eq!(born.age_on(d("2024-02-28")), Some(15));
        assert_eq!(born.age_on(d("2024-02-29")), Some(16));
        assert_eq!(d("2009-02-28").age_on(d("2025-02-28")), Some(16));
        let born = d("2012-02-29");
        assert_eq!(born.age_on(d("2025-02-28")), Some(12));
        assert_eq!(born.age_on(d("2025-03-01")), Some(13));
    }

    #[test]
    fn month_and_year_arithmetic_rolls_forward() {
        assert_eq!(d("2024-02-29").shift(1, Unit::Years), Some(d("2025-03-01")));
        assert_eq!(d("2025-03-10").shift(1, Unit::Years), Some(d("2026-03-10")));
        assert_eq!(
            d("2024-01-31").shift(1, Unit::Months),
            Some(d("2024-03-01"))
        );
        assert_eq!(
            d("2026-05-15").shift(-14, Unit::Days),
            Some(d("2026-05-01"))
        );
        assert_eq!(d("9999-12-31").shift(1, Unit::Days), None);
    }

    #[test]
    fn days_agree_with_dates() {
        let mut born = d("1999-12-25");
        while born < d("2004-03-05") {
            let mut on = born.shift(-40, Unit::Days).unwrap();
            while on < d("2010-01-01") {
                let (b, o) = (Day::of(born), Day::of(on));
                assert_eq!(b.age_on(o), born.age_on(on), "{born} {on}");
                for (n, unit) in [(1, Unit::Years), (-6, Unit::Months), (14, Unit::Days)] {
                    assert_eq!(o.shift(n, unit).map(Day::date), on.shift(n, unit), "{on}");
                }
                assert_eq!(Day::parse(&on.to_string()), Some(o));
                on = on.shift(37, Unit::Days).unwrap();
            }
            born = born.shift(3, Unit::Days).unwrap();
        }
        for text in [
            "2026-02-29",
            "2026-13-01",
            "0000-01-01",
            "2026-1-01",
            "2026-01-01 ",
        ] {
            assert_eq!(Day::parse(text), None, "{text}");
        }
        assert_eq!(
            Day::parse("9999-12-31").map(Day::date),
            Date::from_ymd(9999, 12, 31)
        );
        assert_eq!(Day::of(d("9999-12-31")).shift(1, Unit::Months), None);
    }

    #[test]
    fn age_agrees_with_year_arithmetic() {
        let mut born = d("1999-12-25");
        while born < d("2004-03-05") {
            let mut on = born;
            while on < d("2010-01-01") {
                let age = born.age_on(on).unwrap();
                assert!(born.shift(age, Unit::Years).unwrap() <= on);
                assert!(
                    born.shift(age + 1, Unit::Years).unwrap() > on,
                    "{born} {on}"
                );
                on = on.shift(37, Unit::Days).unwrap();
            }
            born = born.shift(3, Unit::Days).unwrap();
        }
    }
}
