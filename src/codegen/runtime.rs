//! The parts of a generated module that do not depend on the table: days and their
//! arithmetic, identifiers, texts, the errors, and reading facts by name. Each is emitted
//! only when the decision needs it, so the module has no dead code.
//!
//! The semantics are those of `regelverk_table::time` and `ident`, restated with `std` only:
//! a day is kept as its day number and as `YYYYMMDD`, an age is the difference of the latter
//! divided by 10,000 (a 29 February birthday comes on 1 March in other years), and a move by
//! months rolls a day the month lacks to the first of the next month.

/// Always: the day type, the errors and a decision's parts.
pub(super) const CORE: &str = r#"/// A calendar day: its day number (days since 1970-01-01) and its number `YYYYMMDD`, from
/// which an age follows without a calendar. Made by [`Day::from_ymd`] and [`Day::parse`]
/// (years 1–9999), and by the decision's date arithmetic, which may leave those years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    days: i32,
    ymd: i64,
}

impl Day {
    /// The day `year-month-day` in years 1–9999, or `None` if there is no such day.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Day> {
        if (1..=9999).contains(&year) {
            Day::proleptic(year, month, day)
        } else {
            None
        }
    }

    /// Parses `YYYY-MM-DD` (years 1–9999); `None` for anything else.
    pub fn parse(text: &str) -> Option<Day> {
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

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.days
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        (
            self.ymd.div_euclid(10_000),
            (self.ymd.rem_euclid(10_000) / 100) as u32,
            self.ymd.rem_euclid(100) as u32,
        )
    }

    /// A day of the proleptic Gregorian calendar in any year, if it exists and its day
    /// number fits.
    fn proleptic(year: i64, month: u32, day: u32) -> Option<Day> {
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
        let days = i32::try_from(era.checked_mul(146_097)? + doe - 719_468).ok()?;
        Some(Day {
            days,
            ymd: year * 10_000 + i64::from(month * 100 + day),
        })
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// `YYYY-MM-DD`; a computed day outside years 0–9999 with its sign (`+10000-01-01`).
impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        if (0..=9999).contains(&y) {
            write!(f, "{y:04}-{m:02}-{d:02}")
        } else {
            write!(f, "{y:+05}-{m:02}-{d:02}")
        }
    }
}

/// Why a request could not be decided: never a default, never `visa`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// A fact the request's path needs was left out, and it has no default.
    Missing(&'static str),
    /// A fact's value has the wrong type.
    WrongType(&'static str),
    /// A date fact that is no day `YYYY-MM-DD` in years 1–9999.
    InvalidDate(&'static str),
    /// A value the fact's type does not have.
    UnknownValue(&'static str),
    /// An identifier this module does not accept (see `Id`).
    InvalidId(&'static str),
    /// A text this module does not accept (see `Text`).
    InvalidText(&'static str),
    /// A whole number outside the fact's declared range.
    OutOfRange(&'static str, i64),
    /// An age asked for on a day before the birth date.
    BornAfter { born: Day, on: Day },
    /// A day moved beyond the calendar's day numbers.
    Shift {
        day: Day,
        amount: i64,
        unit: &'static str,
    },
    /// A whole number outside the table's intervals; `age` for an age.
    Outside { value: i64, age: bool },
    /// No row of the table covers the request.
    NoRow,
    /// The pair at this position names no fact of the ruleset ([`Facts::from_pairs`]).
    UnknownFact(usize),
    /// The pair at this position names a fact an earlier pair named.
    Duplicate(usize),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Missing(fact) => write!(f, "faktumet `{fact}` saknas men behövs för beslutet"),
            Error::WrongType(fact) => write!(f, "`{fact}` har fel typ"),
            Error::InvalidDate(fact) => write!(f, "`{fact}` är inget giltigt datum"),
            Error::UnknownValue(fact) => write!(f, "`{fact}` har ett värde som typen inte har"),
            Error::InvalidId(fact) => write!(f, "`{fact}` är ingen giltig identitet"),
            Error::InvalidText(fact) => write!(f, "`{fact}` är ingen text som kan jämföras här"),
            Error::OutOfRange(fact, value) => {
                write!(f, "`{fact}` = {value} ligger utanför det tillåtna")
            }
            Error::BornAfter { born, on } => write!(f, "födelsedatumet {born} ligger efter {on}"),
            Error::Shift { day, amount, unit } => {
                write!(f, "datumet {day} går inte att flytta {amount} {unit}")
            }
            Error::Outside { value, age } => write!(
                f,
                "värdet {value} för `{}` ligger utanför tabellens intervall",
                if *age { "åldern" } else { "heltalet" }
            ),
            Error::NoRow => write!(f, "ingen rad i tabellen gäller den här begäran"),
            Error::UnknownFact(i) => write!(f, "faktum nummer {} finns inte i regelverket", i + 1),
            Error::Duplicate(i) => write!(f, "faktum nummer {} anges två gånger", i + 1),
        }
    }
}

impl std::error::Error for Error {}

/// A fact's value as a caller hands it to [`Facts::from_fn`]: dates, identifiers, texts and
/// the values of an enumeration as text (`"2026-05-01"`, `"patient"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Bool(bool),
    Int(i64),
    Text(&'a str),
}

/// What a row says: its outcome, its reason and the rule that decided.
#[derive(Clone, Copy)]
struct Verdict {
    outcome: Outcome,
    reason: Option<Reason>,
    rule: Option<Rule>,
}

impl Verdict {
    /// The decision of the row at `row`.
    const fn row(self, row: usize) -> Decision {
        Decision {
            outcome: self.outcome,
            reason: self.reason,
            rule: self.rule,
            row,
            shown_from: None,
        }
    }
}
"#;

/// When the decision reads any fact.
pub(super) const READ: &str = r#"
/// A fact's type as [`Facts::from_fn`] reads it from a [`Value`].
trait FromValue<'a>: Sized {
    fn from_value(value: Value<'a>, fact: &'static str) -> Result<Self, Error>;
}

impl FromValue<'_> for bool {
    fn from_value(value: Value<'_>, fact: &'static str) -> Result<bool, Error> {
        match value {
            Value::Bool(b) => Ok(b),
            _ => Err(Error::WrongType(fact)),
        }
    }
}

impl FromValue<'_> for Day {
    fn from_value(value: Value<'_>, fact: &'static str) -> Result<Day, Error> {
        match value {
            Value::Text(text) => Day::parse(text).ok_or(Error::InvalidDate(fact)),
            _ => Err(Error::WrongType(fact)),
        }
    }
}

/// A fact given to [`Facts::from_fn`], or `None` when it is left out.
fn read<'a, T: FromValue<'a>>(
    fact: &mut impl FnMut(&str) -> Option<Value<'a>>,
    name: &'static str,
) -> Result<Option<T>, Error> {
    fact(name).map(|v| T::from_value(v, name)).transpose()
}
"#;

/// When a fact other than a whole number has a default.
pub(super) const READ_OR: &str = r#"
/// A fact given to [`Facts::from_fn`], or its declared default when it is left out.
fn read_or<'a, T: FromValue<'a>>(
    fact: &mut impl FnMut(&str) -> Option<Value<'a>>,
    name: &'static str,
    default: T,
) -> Result<T, Error> {
    Ok(read(fact, name)?.unwrap_or(default))
}
"#;

/// When a fact has no default: reading it when left out is an error.
pub(super) const NEED: &str = r#"
/// A fact's value, or [`Error::Missing`] when the request left it out.
fn need<T>(value: Option<T>, fact: &'static str) -> Result<T, Error> {
    value.ok_or(Error::Missing(fact))
}
"#;

/// When some rule says `visas från`.
pub(super) const SHOWN: &str = r#"
impl Decision {
    /// The decision, with the day a hidden entry will be shown.
    const fn shown(self, day: Day) -> Decision {
        Decision {
            shown_from: Some(day),
            ..self
        }
    }
}
"#;

/// When the decision compares identifiers.
pub(super) const ID: &str = r#"
/// An identifier (such as an HSA-id), compared as the compiled table compares them: without
/// regard to letter case. Only ASCII letters, digits and `- _ . : /` are accepted. The table
/// also folds other scripts and compatibility forms (NFKC), which this module, with `std`
/// only, cannot do: an identifier with any other character is refused ([`Error::InvalidId`]),
/// never compared unfolded. Canonicalise such an id with `regelverk_table::ident::canonical`
/// and decide with the table, or refuse it.
#[derive(Clone, Copy, Debug)]
pub struct Id<'a>(&'a str);

impl<'a> Id<'a> {
    /// The identifier `text`, if this module accepts it.
    pub fn new(text: &'a str) -> Option<Id<'a>> {
        let valid = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:/".contains(&b));
        valid.then_some(Id(text))
    }

    pub fn as_str(self) -> &'a str {
        self.0
    }

    /// Whether this is the identifier whose canonical form (upper case) is `canonical`.
    pub fn is(self, canonical: &str) -> bool {
        self.0.len() == canonical.len()
            && self
                .0
                .bytes()
                .zip(canonical.bytes())
                .all(|(a, b)| a.to_ascii_uppercase() == b)
    }
}

/// The same identifier: equal without regard to letter case.
impl PartialEq for Id<'_> {
    fn eq(&self, other: &Id<'_>) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Id<'_> {}

impl<'a> FromValue<'a> for Id<'a> {
    fn from_value(value: Value<'a>, fact: &'static str) -> Result<Id<'a>, Error> {
        match value {
            Value::Text(text) => Id::new(text).ok_or(Error::InvalidId(fact)),
            _ => Err(Error::WrongType(fact)),
        }
    }
}
"#;

/// When the decision compares texts.
pub(super) const TEXT: &str = r#"
/// A text, compared exactly. Only a text whose characters are all below U+0300 is accepted:
/// such a text is in the normal form (NFC) the compiled table compares texts in, however it
/// was written. Normalising any other text needs Unicode's tables, which this module, with
/// `std` only, does not have: it is refused ([`Error::InvalidText`]), never compared as it
/// came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text<'a>(&'a str);

impl<'a> Text<'a> {
    /// The text, if this module accepts it.
    pub fn new(text: &'a str) -> Option<Text<'a>> {
        text.chars().all(|c| c < '\u{300}').then_some(Text(text))
    }

    pub fn as_str(self) -> &'a str {
        self.0
    }
}

impl<'a> FromValue<'a> for Text<'a> {
    fn from_value(value: Value<'a>, fact: &'static str) -> Result<Text<'a>, Error> {
        match value {
            Value::Text(text) => Text::new(text).ok_or(Error::InvalidText(fact)),
            _ => Err(Error::WrongType(fact)),
        }
    }
}
"#;

/// When a fact is a whole number.
pub(super) const INT: &str = r#"
impl FromValue<'_> for i64 {
    fn from_value(value: Value<'_>, fact: &'static str) -> Result<i64, Error> {
        match value {
            Value::Int(n) => Ok(n),
            _ => Err(Error::WrongType(fact)),
        }
    }
}

/// A whole number given to [`Facts::from_fn`], checked against its declared range.
fn read_int<'a>(
    fact: &mut impl FnMut(&str) -> Option<Value<'a>>,
    name: &'static str,
    min: i64,
    max: i64,
) -> Result<Option<i64>, Error> {
    read::<i64>(fact, name)?
        .map(|v| in_range(v, name, min, max))
        .transpose()
}

/// A whole number within its fact's declared range.
fn in_range(value: i64, fact: &'static str, min: i64, max: i64) -> Result<i64, Error> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Error::OutOfRange(fact, value))
    }
}
"#;

/// When the decision computes an age.
pub(super) const AGE: &str = r#"
/// Age in completed years on `on` for someone born on `born`.
fn age(born: Day, on: Day) -> Result<i64, Error> {
    if on >= born {
        Ok((on.ymd - born.ymd) / 10_000)
    } else {
        Err(Error::BornAfter { born, on })
    }
}
"#;

/// When the decision moves a day by days.
pub(super) const SHIFT_DAYS: &str = r#"
/// `day` moved by `amount` days (`unit` as the rules say it, for the error).
fn shift_days(day: Day, amount: i64, unit: &'static str) -> Result<Day, Error> {
    let error = Error::Shift { day, amount, unit };
    let days = i64::from(day.days).checked_add(amount).ok_or(error)?;
    let days = i32::try_from(days).map_err(|_| error)?;
    // Civil from days (H. Hinnant's algorithm).
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Ok(Day {
        days,
        ymd: y * 10_000 + m * 100 + d,
    })
}
"#;

/// When the decision moves a day by months or years.
pub(super) const SHIFT_MONTHS: &str = r#"
/// `day` moved by `amount` units of `per` months (`unit` as the rules say it, for the
/// error); a day the target month lacks rolls to the first of the next month.
fn shift_months(day: Day, amount: i64, per: i64, unit: &'static str) -> Result<Day, Error> {
    let error = Error::Shift { day, amount, unit };
    let (year, month, d) = day.ymd();
    let index = amount
        .checked_mul(per)
        .and_then(|months| {
            year.checked_mul(12)?
                .checked_add(i64::from(month) - 1)?
                .checked_add(months)
        })
        .ok_or(error)?;
    let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    let (year, month, d) = if d <= days_in_month(year, month) {
        (year, month, d)
    } else if month == 12 {
        (year + 1, 1, 1)
    } else {
        (year, month + 1, 1)
    };
    Day::proleptic(year, month, d).ok_or(error)
}
"#;
