//! Calendar dates and the brief's rules of time (BRIEF §4).
//!
//! A [`Date`] is a day number; arithmetic in months and years rolls a day that does not
//! exist in the target month forward to the first of the next month, so `2024-02-29 + 1 år`
//! is `2025-03-01`, the same day a person born on 29 February completes a year.
//!
//! # Range
//!
//! A date written in a request or a rule is in years 1–9999 ([`Date::parse`]). Arithmetic
//! is not limited to them: `0001-01-05 - 14 dagar` and `9999-06-01 + 1 år` are dates of the
//! proleptic Gregorian calendar (year 0 and year 10000), and compare as any other, so
//! every date that can be written can be used in every rule (a reader on 0001-01-05 who
//! chose rådrum, a decision signed in 9999). Only a date more than five million years away
//! (a day number beyond `i32`) cannot be computed: [`Date::shift`] gives `None`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date, stored as days since 1970-01-01 (negative before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// A unit of date arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    Days,
    Months,
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

/// The day number of 1 January of each year 0–9999: a date's bytes are read with a look
/// in this table rather than by arithmetic.
static YEARS: [i32; 10_000] = {
    let mut years = [0i32; 10_000];
    // 0000-01-01, 719,528 days before 1970-01-01.
    let mut day = -719_528;
    let mut year = 0;
    while year < 10_000 {
        #[expect(
            clippy::indexing_slicing,
            reason = "INVARIANT: year runs below 10,000, the array's length (checked when compiled)"
        )]
        {
            years[year] = day;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        day += if leap { 366 } else { 365 };
        year += 1;
    }
    years
};

/// Days in a year before each month (1–12) and before the next year (13), for a common
/// year and a leap year.
const MONTHS: [[u32; 14]; 2] = [
    [
        0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
    ],
    [
        0, 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366,
    ],
];

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
    /// The earliest and latest years a date may be written in (in a request or a rule).
    pub const MIN_YEAR: i64 = 1;
    pub const MAX_YEAR: i64 = 9999;

    /// A date from year, month and day, or `None` if no such day exists or the year is not
    /// one a date may be written in (1–9999).
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) {
            return None;
        }
        Date::from_ymd_proleptic(year, month, day)
    }

    /// Whether the date is in the years a date may be written in (1–9999): every date a
    /// request can hold is, and a date computed from one may not be.
    pub fn is_writable(self) -> bool {
        (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&self.ymd().0)
    }

    /// A date of the proleptic Gregorian calendar in any year (year 0 is 1 BC), or `None`
    /// if no such day exists or its day number does not fit.
    fn from_ymd_proleptic(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
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
        i32::try_from(era.checked_mul(146_097)? + doe - 719_468)
            .ok()
            .map(Date)
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
        // The digits read straight from the bytes: no substring, no general number parser.
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            bytes.get(range)?.iter().try_fold(0u32, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
            })
        };
        let year = i64::from(digits(0..4)?);
        let month = digits(5..7)?;
        let day = digits(8..10)?;
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

    /// This date moved by `amount` units, also into years before 1 or after 9999 (see the
    /// module's documentation); `None` only for a day number beyond `i32`.
    pub fn shift(self, amount: i64, unit: Unit) -> Option<Date> {
        match unit {
            Unit::Days => {
                let days = i64::from(self.0).checked_add(amount)?;
                Some(Date(i32::try_from(days).ok()?))
            }
            Unit::Months => self.add_months(amount),
            Unit::Years => self.add_months(amount.checked_mul(12)?),
        }
    }

    fn add_months(self, months: i64) -> Option<Date> {
        let (year, month, day) = self.ymd();
        let (year, month, day) = add_months((year, month, day), months)?;
        Date::from_ymd_proleptic(year, month, day)
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
        let birthday =
            Date::from_ymd_proleptic(oy, bm, bd).or_else(|| Date::from_ymd_proleptic(oy, 3, 1));
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
        (year.checked_add(1)?, 1, 1)
    } else {
        (year, month + 1, 1)
    })
}

/// A date as evaluation reads it: the day number, to compare dates and move them by days,
/// and the number `YYYYMMDD` (`year × 10,000 + month × 100 + day`, ascending with the date
/// in every year, before year 1 too), from which an age and a move by months follow
/// without converting back to a calendar: the age in completed years is the difference of
/// two such numbers divided by 10,000 (the month-and-day part says whether this year's
/// birthday has come, and a 29 February birthday comes on 1 March in other years).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Day {
    date: Date,
    ymd: i64,
}

impl Day {
    pub(crate) fn of(date: Date) -> Day {
        let (year, month, day) = date.ymd();
        Day {
            date,
            ymd: ymd_number(year, month, day),
        }
    }

    /// Parses `YYYY-MM-DD`, as [`Date::parse`] (years 1–9999).
    pub(crate) fn parse(text: &str) -> Option<Day> {
        Day::parse_bytes(text.as_bytes())
    }

    /// Parses the bytes of `YYYY-MM-DD` (so ASCII, and UTF-8), as [`Date::parse`]: the
    /// digits and dashes at their fixed places, checked as one word, and the day number
    /// looked up by year and month (a test holds it to [`Date::from_ymd`] on every day of
    /// years 0–9999, another to the calendar on every byte in every place).
    #[inline]
    pub(crate) fn parse_bytes(bytes: &[u8]) -> Option<Day> {
        let [a0, a1, a2, a3, a4, a5, a6, a7, d0, d1] = *bytes else {
            return None;
        };
        // `YYYY-MM-` as one word: each digit XOR `0` is its value (0–9), each dash XOR `-`
        // is zero, and any other byte is 10 or more in its place, which adding 0x76 carries
        // into the byte's high bit (a byte of 0x80 or more has it already).
        let x =
            u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]) ^ u64::from_le_bytes(*b"0000-00-");
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const DASHES: u64 = 0xFF00_00FF_0000_0000;
        if (x | x.wrapping_add(0x7676_7676_7676_7676)) & HIGH != 0 || x & DASHES != 0 {
            return None;
        }
        // Each digit with the one after it as a number: byte i of `pairs` is 10 × byte i +
        // byte i + 1, at most 99, so no byte carries into the next.
        let pairs = x.wrapping_mul(10).wrapping_add(x >> 8);
        let at = |i: u32| ((pairs >> (8 * i)) & 0xFF) as u32;
        let (century, in_century, month) = (at(0), at(2), at(5));
        let digit = |b: u8| {
            let d = b.wrapping_sub(b'0');
            (d <= 9).then_some(u32::from(d))
        };
        let day = digit(d0)? * 10 + digit(d1)?;
        let year = century * 100 + in_century;
        // A leap year by its digits, so that it need not wait for the look in `YEARS`: a
        // year of a century divisible by 400, any other divisible by 4.
        let leap = usize::from(if in_century == 0 { century } else { in_century } % 4 == 0);
        let (Some(&start), Some(&before), Some(&next)) = (
            YEARS.get(year as usize),
            MONTHS
                .get(leap)
                .and_then(|months| months.get(month as usize)),
            MONTHS
                .get(leap)
                .and_then(|months| months.get(month as usize + 1)),
        ) else {
            return None;
        };
        if year == 0 || month == 0 || day == 0 || day > next - before {
            return None;
        }
        Some(Day {
            date: Date::from_days(start + (before + day - 1) as i32),
            ymd: ymd_number(i64::from(year), month, day),
        })
    }

    pub(crate) fn date(self) -> Date {
        self.date
    }

    /// Age in completed years on `on`, as [`Date::age_on`].
    pub(crate) fn age_on(self, on: Day) -> Option<i64> {
        (on.date >= self.date).then(|| (on.ymd - self.ymd) / 10_000)
    }

    /// As [`Date::shift`], also into years before 1 and after 9999.
    pub(crate) fn shift(self, amount: i64, unit: Unit) -> Option<Day> {
        let months = match unit {
            Unit::Days => return self.date.shift(amount, Unit::Days).map(Day::of),
            Unit::Months => amount,
            Unit::Years => amount.checked_mul(12)?,
        };
        let (year, month, day) = (
            self.ymd.div_euclid(10_000),
            (self.ymd.rem_euclid(10_000) / 100) as u32,
            (self.ymd.rem_euclid(100)) as u32,
        );
        let (year, month, day) = add_months((year, month, day), months)?;
        Some(Day {
            date: Date::from_ymd_proleptic(year, month, day)?,
            ymd: ymd_number(year, month, day),
        })
    }
}

/// `YYYYMMDD` of a date: a [`Date`]'s year is within ±6 million, so this fits an `i64`.
fn ymd_number(year: i64, month: u32, day: u32) -> i64 {
    year * 10_000 + i64::from(month * 100 + day)
}

/// `YYYY-MM-DD`; a computed date outside years 0–9999 is written as ISO 8601 extends the
/// year, with its sign (`+10000-06-01`, `-0001-12-31`).
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        if (0..=9999).contains(&y) {
            write!(f, "{y:04}-{m:02}-{d:02}")
        } else {
            write!(f, "{y:+05}-{m:02}-{d:02}")
        }
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

    /// The request reader's day, on every day that can be written and on the numbers
    /// around them that are none, is exactly the calendar's.
    #[test]
    fn a_days_bytes_are_read_as_the_calendar_reads_them() {
        for year in 0..=9999 {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let parsed = Day::parse_bytes(text.as_bytes());
                    let expected = Date::from_ymd(i64::from(year), month, day).map(Day::of);
                    assert_eq!(parsed, expected, "{text}");
                }
            }
        }
        for text in [
            "2026-1-01",
            "2026-01-1a",
            "２０２６-01-01",
            "2026/01/01",
            "+202-01-01",
        ] {
            assert_eq!(Day::parse_bytes(text.as_bytes()), None, "{text}");
        }
    }

    /// Every byte in every place of a date, read as a word, is refused exactly when it is
    /// not the digit or dash the place wants.
    #[test]
    fn any_byte_out_of_place_is_refused() {
        let good = *b"2024-02-29";
        for place in 0..good.len() {
            for byte in 0..=255u8 {
                let mut text = good;
                text[place] = byte;
                let wanted = if place == 4 || place == 7 {
                    byte == b'-'
                } else {
                    byte.is_ascii_digit()
                };
                let read = Day::parse_bytes(&text);
                match std::str::from_utf8(&text) {
                    Ok(text) if wanted => assert_eq!(read, Date::parse(text).map(Day::of)),
                    _ => assert_eq!(read, None, "{text:?}"),
                }
            }
        }
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
    }

    #[test]
    fn arithmetic_leaves_the_writable_years() {
        // A reader on 0001-01-05 who chose rådrum: 14 days back is in year 0.
        let early = d("0001-01-05").shift(-14, Unit::Days).unwrap();
        assert_eq!(early.to_string(), "0000-12-22");
        assert!(!early.is_writable());
        assert!(early < d("0001-01-01"));
        // Year 0 is a leap year in the proleptic calendar.
        assert_eq!(
            d("0001-02-28").shift(-1, Unit::Years).unwrap().to_string(),
            "0000-02-28"
        );
        assert_eq!(
            d("0001-03-01")
                .shift(-1, Unit::Years)
                .unwrap()
                .shift(-1, Unit::Days)
                .unwrap()
                .to_string(),
            "0000-02-29"
        );
        assert_eq!(
            d("0001-01-01").shift(-2, Unit::Years).unwrap().to_string(),
            "-0001-01-01"
        );
        // A decision signed in 9999 is valid one year.
        let late = d("9999-06-01").shift(1, Unit::Years).unwrap();
        assert_eq!(late.to_string(), "+10000-06-01");
        assert!(late > d("9999-12-31"));
        assert_eq!(
            d("9999-12-31").shift(1, Unit::Days).unwrap().to_string(),
            "+10000-01-01"
        );
        assert_eq!(
            d("9999-02-28")
                .shift(1, Unit::Years)
                .unwrap()
                .shift(1, Unit::Days)
                .unwrap()
                .to_string(),
            "+10000-02-29"
        );
        // Ages over the whole range, and from dates outside it.
        assert_eq!(d("0001-01-01").age_on(d("9999-12-31")), Some(9998));
        assert_eq!(early.age_on(d("2026-01-01")), Some(2025));
        // Only a day number beyond `i32` cannot be computed.
        assert_eq!(d("2026-01-01").shift(i64::from(i32::MAX), Unit::Days), None);
        assert_eq!(d("2026-01-01").shift(6_000_000, Unit::Years), None);
        assert_eq!(d("2026-01-01").shift(i64::MAX, Unit::Years), None);
        assert_eq!(d("2026-01-01").shift(i64::MIN, Unit::Months), None);
    }

    #[test]
    fn day_numbers_round_trip_over_the_whole_range() {
        let mut day = d("0001-01-01").shift(-800, Unit::Days).unwrap();
        let end = d("9999-12-31").shift(800, Unit::Days).unwrap();
        while day <= end {
            let (y, m, dd) = day.ymd();
            assert_eq!(Date::from_ymd_proleptic(y, m, dd), Some(day));
            assert_eq!(Date::from_ymd(y, m, dd).is_some(), day.is_writable());
            day = day.shift(1, Unit::Days).unwrap();
        }
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
        let late = Day::of(d("9999-12-31")).shift(1, Unit::Months);
        assert_eq!(
            late.map(|d| d.date().to_string()).as_deref(),
            Some("+10000-01-31")
        );
        // Before year 1 the numbers still ascend with the date.
        let early = Day::of(d("0001-01-01")).shift(-13, Unit::Months).unwrap();
        assert_eq!(early.date().to_string(), "-0001-12-01");
        assert_eq!(early.age_on(Day::of(d("0001-12-01"))), Some(2));
        assert_eq!(early.age_on(Day::of(d("0001-11-30"))), Some(1));
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
