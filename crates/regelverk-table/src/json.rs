//! The fast way from a request's bytes to its slots: one pass, each key looked up by its
//! bytes at its level of nesting (normalised only when that misses), each value read
//! straight into its fact's slot, a text kept as its place in the request. No JSON value is
//! built and, for a request in normal form, nothing is allocated but the slots.
//!
//! The bytes need not be UTF-8: a key or an enumeration value that matches one of the
//! schema's own names is those bytes, so UTF-8 (and in normal form); a date is ASCII
//! digits, an identifier in canonical form ASCII letters, digits and separators; only a
//! text, another identifier or a name that misses is checked with `str::from_utf8` on its
//! own. Outside strings only ASCII is read. So a request this reader accepts is UTF-8
//! throughout, without a pass of its own over the line.
//!
//! A request shaped as the last one the reader accepted — the same bytes outside the facts'
//! values: braces, keys, colons, commas, white space — is read by comparing those bytes
//! with the kept [`Shape`] and reading each value in its place, checked against its type
//! as always: no key is looked up, as the keys are those of a request read before, known,
//! each given once. A request of another shape is read key by key, and its shape kept.
//!
//! The reader only ever says "this is the request" or "read it the careful way": anything
//! it is not sure of — an error of any kind, bytes that are not UTF-8, a key given twice, a
//! number that is not a whole one, an escape it would have to think about — makes [`read`]
//! give `None`, and the caller reads the text again with [`crate::parse_json`] and the
//! schema's slow check, which say precisely what is wrong. So the errors are exactly those
//! of the careful way, and the reader only needs to be right about requests that are valid.

use super::FactType;
use super::ident;
use super::schema::{
    FactSlot, Key, Level, MAX_LEVELS, Schema, Slots, Spelling, Texts, Val, quotes,
};
use super::time::Day;
use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Nesting deeper than this is left to the careful reader (which refuses past 128).
const MAX_DEPTH: usize = 32;

/// The longest request whose shape is kept: a longer one is read key by key each time.
const MAX_SHAPE: usize = 1 << 16;

/// Reads a request's bytes into `slots`, all absent before (defaults not filled in), with
/// the texts that are not as the request wrote them in `texts`; `None`, and the slots left
/// absent, when they are anything but a valid request, in UTF-8, in the simplest form. A
/// request read key by key leaves its shape in `shape` for the next. Once the values are
/// read, [`empty`] takes them out again.
pub(crate) fn read(
    schema: &Schema,
    text: &[u8],
    slots: &mut Slots<Val>,
    texts: &mut Texts,
    shape: &mut Shape,
) -> Option<Read> {
    if schema.level_count() > MAX_LEVELS {
        return None;
    }
    texts.clear();
    let mut reader = Reader {
        schema,
        text,
        pos: 0,
        slots,
        texts,
        marks: std::mem::take(&mut shape.marks),
        marking: false,
    };
    // A scratch used for one request only (`decide_text`) keeps no shape.
    let first = shape.reads == 0;
    shape.reads = shape.reads.saturating_add(1);
    let trying = shape.schema == schema.id() && shape.worth_trying();
    if trying {
        if reader.shaped(shape).is_some() {
            shape.misses = 0;
            shape.marks = reader.marks;
            return Some(Read::Shaped);
        }
        reader.pos = 0;
        reader.slots.empty();
        reader.texts.clear();
    }
    shape.misses = shape.misses.saturating_add(1);
    reader.marks.clear();
    reader.marking = !first && shape.worth_trying();
    let read = reader.request();
    if read.is_none() {
        reader.slots.empty();
    } else if reader.marking {
        // A shape that cannot be kept is only a request read key by key the next time.
        let _kept = shape.keep(schema, text, &reader.marks);
    }
    shape.marks = reader.marks;
    read.map(|()| Read::Keyed)
}

/// How [`read`] read a request: what [`empty`] takes out of its slots.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Read {
    /// By the shape kept: a value in each of its steps' slots.
    Shaped,
    /// Key by key: values anywhere.
    Keyed,
}

/// Takes the values of a request [`read`] (`how`) out of its slots, all absent again;
/// `shape` is the one the reader was given, as it left it.
pub(crate) fn empty(slots: &mut Slots<Val>, shape: &Shape, how: Read) {
    match how {
        Read::Shaped => {
            for step in &shape.steps {
                slots[step.slot] = Val::Absent;
            }
        }
        Read::Keyed => slots.empty(),
    }
}

/// A text as the request wrote it, at `start..end` of its text; `None` past the 4 GiB a
/// place is counted in (such a text is held by the careful way).
fn written(start: usize, end: usize) -> Option<Val> {
    Some(Val::Text {
        start: u32::try_from(start).ok()?,
        end: u32::try_from(end).ok()?,
    })
}

/// The shape of the last request read key by key: its bytes outside the facts' values
/// (the gaps), and after each gap the fact whose value follows. A value is a JSON string,
/// `true`, `false` or a whole number, so where it ends is known from its own bytes; a
/// request whose gaps are these bytes, with a value of its fact's type between each two,
/// has exactly the keys, nesting and order of the request the shape was taken from.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    /// The schema whose slots the shape names ([`Schema::id`]); 0, no schema's, when none
    /// is kept.
    schema: u64,
    /// The gaps, one after another.
    gaps: Vec<u8>,
    /// Per value, the gap before it and its fact. The last gap, after the last value, is
    /// `last`.
    steps: Vec<Step>,
    last: Gap,
    /// Memory for the values' places while a request is read key by key: start, end, fact.
    marks: Vec<(usize, usize, FactSlot)>,
    /// How many requests in a row were not read by their shape.
    misses: u32,
    /// How many requests were read with this shape's scratch.
    reads: u32,
}

/// A value of a shape, after its gap.
#[derive(Debug)]
struct Step {
    gap: Gap,
    slot: FactSlot,
    kind: Kind,
}

/// How a step's value is read in a shaped request: a date at fixed places, an
/// enumeration value by its plain bytes, an identifier or a truth value in line (the
/// first as [`Reader::canonical_id`]), anything else as a key-by-key read reads it.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Date,
    Enum,
    Id,
    Bool,
    Other,
}

/// A gap of a shape: where it lies in [`Shape::gaps`], and its bytes as words to compare
/// ([`Spelling`]'s, the first eight bytes and the last eight).
#[derive(Debug, Default)]
struct Gap {
    start: usize,
    end: usize,
    head: u64,
    tail: u64,
}

impl Shape {
    /// Whether to read the next request by its shape, and keep the shape of one read key by
    /// key: after a request read by its shape or a few that were not, always; in a stream
    /// of ever other shapes, once in a while, so that it costs little more than reading
    /// key by key.
    fn worth_trying(&self) -> bool {
        self.misses < 8 || self.misses.is_multiple_of(64)
    }

    /// Keeps the shape of `text`, read key by key with its values at `marks`; when it
    /// cannot (a long request), none.
    fn keep(
        &mut self,
        schema: &Schema,
        text: &[u8],
        marks: &[(usize, usize, FactSlot)],
    ) -> Option<()> {
        self.schema = 0;
        if text.len() > MAX_SHAPE {
            return None;
        }
        self.gaps.clear();
        self.steps.clear();
        let mut at = 0;
        for &(start, end, slot) in marks {
            // The marks are the reader's own places in `text`, in order.
            let gap = self.gap(text.get(at..start)?);
            let kind = match schema.fact(slot).ty {
                FactType::Date => Kind::Date,
                FactType::Enum(_) => Kind::Enum,
                FactType::Id => Kind::Id,
                FactType::Bool => Kind::Bool,
                FactType::Int { .. } | FactType::Text => Kind::Other,
            };
            self.steps.push(Step { gap, slot, kind });
            at = end;
        }
        self.last = self.gap(text.get(at..)?);
        self.schema = schema.id();
        Some(())
    }

    fn gap(&mut self, bytes: &[u8]) -> Gap {
        let start = self.gaps.len();
        self.gaps.extend_from_slice(bytes);
        let spelling = Spelling::of(bytes);
        Gap {
            start,
            end: self.gaps.len(),
            head: spelling.head(),
            tail: spelling.tail(),
        }
    }
}

struct Reader<'s, 't> {
    schema: &'s Schema,
    text: &'t [u8],
    pos: usize,
    slots: &'s mut Slots<Val>,
    /// The texts the slots hold: those not as the request wrote them.
    texts: &'s mut Texts,
    /// Where each value read key by key stands: start, end, fact; while `marking`.
    marks: Vec<(usize, usize, FactSlot)>,
    marking: bool,
}

/// A JSON string as read.
enum Token {
    /// No escape: the bytes between the quotes, not yet known to be UTF-8.
    Plain { start: usize, end: usize },
    /// Decoded from escapes (and so UTF-8).
    Decoded(String),
}

impl<'t> Reader<'_, 't> {
    /// The whole request, key by key.
    fn request(&mut self) -> Option<()> {
        self.space();
        self.object(Level::TOP, 0)?;
        self.space();
        (self.pos == self.text.len()).then_some(())
    }

    /// The whole request, as shaped: each gap as kept, each value read in its place.
    fn shaped(&mut self, shape: &Shape) -> Option<()> {
        for step in &shape.steps {
            self.gap(shape, &step.gap)?;
            // Each kind puts its value in its slot itself: a value of one variant is
            // stored as that variant, not gathered with the others' first.
            let slot = step.slot;
            match step.kind {
                Kind::Date => self.slots[slot] = Val::Date(self.quoted_date()?),
                Kind::Enum => {
                    let value =
                        self.plain_name(|spelling| self.schema.value_spelt(slot, spelling))?;
                    self.slots[slot] = Val::Enum(value);
                }
                Kind::Id => {
                    self.slots[slot] = match self.canonical_id() {
                        Some(id) => id,
                        None => self.value(slot)?,
                    }
                }
                Kind::Bool => self.slots[slot] = Val::Bool(self.boolean()?),
                Kind::Other => self.slots[slot] = self.value(slot)?,
            }
        }
        self.gap(shape, &shape.last)?;
        (self.pos == self.text.len()).then_some(())
    }

    /// The bytes of a gap, exactly: compared as its first and last eight when they are
    /// eight to sixteen, as one word masked when fewer (the eight bytes from here, or at the
    /// end of the text the eight up to the gap's end, shifted), else sixteen at a time.
    #[inline(always)]
    fn gap(&mut self, shape: &Shape, gap: &Gap) -> Option<()> {
        let len = gap.end - gap.start;
        let end = self.pos.checked_add(len)?;
        let here = self.text.get(self.pos..end)?;
        let same = match (here.first_chunk::<8>(), here.last_chunk::<8>()) {
            (Some(head), Some(tail)) if len <= 16 => {
                u64::from_le_bytes(*head) == gap.head && u64::from_le_bytes(*tail) == gap.tail
            }
            (Some(_), Some(_)) => same_bytes(here, shape.gaps.get(gap.start..gap.end)?),
            // `len` is below 8, so the mask's shift is below 64; the last word's shift is
            // too, as an empty gap is no bytes to compare.
            _ => match self
                .text
                .get(self.pos..)
                .and_then(|rest| rest.first_chunk::<8>())
            {
                Some(word) => u64::from_le_bytes(*word) & ((1u64 << (8 * len)) - 1) == gap.head,
                None => match self
                    .text
                    .get(..end)
                    .and_then(|before| before.last_chunk::<8>())
                {
                    Some(word) => {
                        len == 0 || u64::from_le_bytes(*word) >> (8 * (8 - len)) == gap.head
                    }
                    None => Some(here) == shape.gaps.get(gap.start..gap.end),
                },
            },
        };
        same.then(|| self.pos = end)
    }

    /// A date written plainly, `"YYYY-MM-DD"`, at its fixed places.
    #[inline]
    fn quoted_date(&mut self) -> Option<Day> {
        let [b'"', date @ .., b'"'] = self.text.get(self.pos..self.pos + 12)? else {
            return None;
        };
        let day = Day::parse_bytes(date)?;
        self.pos += 12;
        Some(day)
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    /// Skips white space: a byte of it here, more in [`Reader::space_run`].
    #[inline(always)]
    fn space(&mut self) {
        if let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.pos += 1;
            if let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
                self.space_run();
            }
        }
    }

    /// Skips white space: a run of spaces (an indentation) eight bytes at a time.
    #[inline(never)]
    fn space_run(&mut self) {
        const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
        let mut pos = self.pos;
        while let Some(rest) = self.text.get(pos..) {
            match rest.first_chunk::<8>() {
                Some(word) if u64::from_le_bytes(*word) == SPACES => pos += 8,
                _ => match rest.first() {
                    Some(b' ' | b'\n' | b'\t' | b'\r') => pos += 1,
                    _ => break,
                },
            }
        }
        self.pos = pos;
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    /// An object at `level`: every key known there, every fact once, every prefix once.
    fn object(&mut self, level: Level, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.space();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        // The prefixes this object has named (bit per level): a second would be a key given
        // twice in one object.
        let mut prefixes = 0u64;
        loop {
            let key = match self.plain_name(|spelling| self.schema.key_spelt(level, spelling)) {
                Some(key) => key,
                None => {
                    let key = self.string()?;
                    self.name(
                        &key,
                        |spelling| self.schema.key_spelt(level, spelling),
                        |name| self.schema.key(level, name),
                    )?
                }
            };
            self.space();
            self.eat(b':')?;
            self.space();
            match key {
                Key::Fact(slot) => {
                    // Given before, here or nested: the careful reader says which.
                    if !matches!(self.slots[slot], Val::Absent) {
                        return None;
                    }
                    let start = self.pos;
                    let value = self.value(slot)?;
                    self.slots[slot] = value;
                    if self.marking {
                        self.marks.push((start, self.pos, slot));
                    }
                }
                Key::Prefix(inner) => {
                    let bit = 1u64.checked_shl(u32::try_from(inner.index()).ok()?)?;
                    if prefixes & bit != 0 {
                        return None;
                    }
                    prefixes |= bit;
                    self.object(inner, depth + 1)?;
                }
            }
            self.space();
            if self.eat(b',').is_some() {
                self.space();
                continue;
            }
            return self.eat(b'}');
        }
    }

    /// One of the schema's names (a key, an enumeration value) as a string with no escape,
    /// found by the bytes up to the next quote, the fast way; `None` (and nothing read)
    /// when they are no name, to be read again as a string. The bytes of a name the
    /// tables hold are never a quote, a backslash or a control character
    /// (`Spelling::is_plain`), so when they match, the string ends at that quote and is
    /// exactly the name.
    #[inline(always)]
    fn plain_name<V>(&mut self, spelt: impl Fn(&Spelling<'_>) -> Option<V>) -> Option<V> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos + 1;
        let (found, end) = match Spelling::quoted(self.text, start) {
            Some((spelling, end)) => (spelt(&spelling)?, end),
            None => {
                let end = start + quote(self.text.get(start..)?)?;
                (spelt(&Spelling::within(self.text, start, end)?)?, end)
            }
        };
        self.pos = end + 1;
        Some(found)
    }

    /// One of the schema's names (a key, an enumeration value): found by its bytes as
    /// written, or else, when they are UTF-8, in normal form.
    #[inline]
    fn name<V>(
        &self,
        token: &Token,
        spelt: impl Fn(&Spelling<'_>) -> Option<V>,
        named: impl Fn(&str) -> Option<V>,
    ) -> Option<V> {
        match token {
            Token::Plain { start, end } => spelt(&Spelling::within(self.text, *start, *end)?)
                .or_else(|| {
                    let text = std::str::from_utf8(self.text.get(*start..*end)?).ok()?;
                    named(&nfc(text)?)
                }),
            Token::Decoded(text) => named(text).or_else(|| named(&nfc(text)?)),
        }
    }

    /// An identifier written plainly in canonical form — a string of ASCII capital
    /// letters, digits and [`ident::SEPARATORS`] — the fast way, as the bytes the request
    /// wrote; `None` (and nothing read) when it is not so, or ends in the text's last eight
    /// bytes, to be read as [`Reader::value`] reads any identifier.
    #[inline(always)]
    fn canonical_id(&mut self) -> Option<Val> {
        let text = self.text;
        self.unescaped(canonical_run, |start, end| {
            (end > start && text.get(end) == Some(&b'"')).then_some(())?;
            written(start, end)
        })
    }

    /// A string with no escape, the fast way: where it ends found by `end` in the bytes
    /// after its opening quote, its value by `read` from its place (start, end); `None`
    /// (and nothing read) when either finds none.
    #[inline(always)]
    fn unescaped<V>(
        &mut self,
        end: impl Fn(&[u8]) -> Option<usize>,
        read: impl Fn(usize, usize) -> Option<V>,
    ) -> Option<V> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos + 1;
        let end = start + end(self.text.get(start..)?)?;
        let value = read(start, end)?;
        self.pos = end + 1;
        Some(value)
    }

    /// `true` or `false`.
    #[inline(always)]
    fn boolean(&mut self) -> Option<bool> {
        if self.word(b"true") {
            Some(true)
        } else if self.word(b"false") {
            Some(false)
        } else {
            None
        }
    }

    /// A fact's value, checked against its type as [`crate::request::parse_value`] does.
    fn value(&mut self, slot: FactSlot) -> Option<Val> {
        let fact = self.schema.fact(slot);
        match &fact.ty {
            FactType::Bool => self.boolean().map(Val::Bool),
            FactType::Int { min, max } => {
                let n = self.integer()?;
                (*min..=*max).contains(&n).then_some(Val::Int(n))
            }
            FactType::Date => match self.plain_date() {
                Some(day) => Some(day),
                None => self.date(),
            }
            .map(Val::Date),
            FactType::Text => match self.string()? {
                Token::Plain { start, end } => {
                    let text = std::str::from_utf8(self.text.get(start..end)?).ok()?;
                    match nfc(text) {
                        Some(normal) => Some(self.texts.hold(normal)),
                        None => written(start, end),
                    }
                }
                Token::Decoded(text) => Some(self.texts.hold(nfc(&text).unwrap_or(text))),
            },
            FactType::Id => {
                if let Some(id) = self.canonical_id() {
                    return Some(id);
                }
                match self.string()? {
                    Token::Plain { start, end } => match id(self.text.get(start..end)?)? {
                        Cow::Borrowed(_) => written(start, end),
                        Cow::Owned(id) => Some(self.texts.hold(id)),
                    },
                    Token::Decoded(text) => ident::canonical(&text)
                        .ok()
                        .map(|id| self.texts.hold(id.into_bytes())),
                }
            }
            FactType::Enum(_) => {
                let index =
                    match self.plain_name(|spelling| self.schema.value_spelt(slot, spelling)) {
                        Some(index) => index,
                        None => {
                            let token = self.string()?;
                            self.name(
                                &token,
                                |spelling| self.schema.value_spelt(slot, spelling),
                                |name| self.schema.value(slot, name),
                            )?
                        }
                    };
                Some(Val::Enum(index))
            }
        }
    }

    /// A date as a string with no escape, the fast way: `YYYY-MM-DD` up to the next quote
    /// (digits and dashes, so the whole string); `None` (and nothing read) otherwise.
    #[inline(always)]
    fn plain_date(&mut self) -> Option<Day> {
        let text = self.text;
        self.unescaped(quote, |start, end| Day::parse_bytes(text.get(start..end)?))
    }

    /// A date as any string.
    fn date(&mut self) -> Option<Day> {
        match self.string()? {
            Token::Plain { start, end } => Day::parse_bytes(self.text.get(start..end)?),
            Token::Decoded(text) => Day::parse(&text),
        }
    }

    /// `true` or `false` (as an array, compared whole).
    #[inline(always)]
    fn word<const N: usize>(&mut self, word: &[u8; N]) -> bool {
        let found = self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.first_chunk::<N>())
            == Some(word);
        if found {
            self.pos += N;
        }
        found
    }

    /// A JSON number that is a whole number in `i64`: `-?(0|[1-9][0-9]*)`, with no fraction
    /// or exponent (those the careful reader refuses for whole-number facts).
    fn integer(&mut self) -> Option<i64> {
        let negative = self.eat(b'-').is_some();
        let start = self.pos;
        let mut n: i64 = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            let digit = i64::from(b - b'0');
            n = n.checked_mul(10)?;
            n = if negative {
                n.checked_sub(digit)?
            } else {
                n.checked_add(digit)?
            };
            self.pos += 1;
        }
        let digits = self.pos - start;
        let leading_zero = digits > 1 && self.text.get(start) == Some(&b'0');
        // `-0` too is read as a fraction by the careful reader.
        let minus_zero = negative && n == 0;
        if digits == 0
            || leading_zero
            || minus_zero
            || matches!(self.peek(), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        Some(n)
    }

    /// A JSON string: its place when it holds no escape, else its text decoded.
    #[inline(always)]
    fn string(&mut self) -> Option<Token> {
        self.eat(b'"')?;
        let start = self.pos;
        let end = start + plain(self.text.get(start..)?);
        self.pos = end;
        match self.peek()? {
            b'"' => {
                self.pos += 1;
                Some(Token::Plain { start, end })
            }
            b'\\' => self.escaped(start).map(Token::Decoded),
            _ => None,
        }
    }

    /// The rest of a string that holds an escape, decoded; `None` unless it is UTF-8.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> Option<String> {
        let mut out = self.text.get(start..self.pos)?.to_vec();
        loop {
            let run = self.pos;
            self.pos += plain(self.text.get(run..)?);
            out.extend_from_slice(self.text.get(run..self.pos)?);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return String::from_utf8(out).ok();
                }
                b'\\' => {
                    self.pos += 1;
                    let c = match self.peek()? {
                        b'u' => {
                            self.pos += 1;
                            self.unicode()?
                        }
                        simple => {
                            self.pos += 1;
                            match simple {
                                b'"' => '"',
                                b'\\' => '\\',
                                b'/' => '/',
                                b'b' => '\u{8}',
                                b'f' => '\u{c}',
                                b'n' => '\n',
                                b'r' => '\r',
                                b't' => '\t',
                                _ => return None,
                            }
                        }
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => return None,
            }
        }
    }

    /// The character of a `\u` escape (after the `u`), with a surrogate pair read whole; a
    /// lone surrogate is left to the careful reader, which refuses it.
    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return char::from_u32(first);
        }
        self.eat(b'\\')?;
        self.eat(b'u')?;
        let second = self.hex4()?;
        if !(0xDC00..0xE000).contains(&second) {
            return None;
        }
        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    }

    /// Four hexadecimal digits, as a number.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..)?.first_chunk::<4>()?;
        let mut n = 0;
        for &b in digits {
            n = n * 16 + char::from(b).to_digit(16)?;
        }
        self.pos += 4;
        Some(n)
    }
}

/// How many bytes at the start of `bytes` may stand in a string as they are: up to the
/// first quote, backslash or control character (or the end). Eight bytes at a time.
#[inline]
fn plain(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A high bit in each byte that is zero in `w` (exact up to the first such byte).
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let mut done = 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let Ok(word) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let w = u64::from_le_bytes(word);
        let special = zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\'))) | {
            // Bytes below 0x20: `w − 0x20…` borrows into their high bit.
            w.wrapping_sub(ONES * 0x20) & !w & HIGH
        };
        if special != 0 {
            return done + (special.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    done + words
        .remainder()
        .iter()
        .position(|&b| matches!(b, b'"' | b'\\' | 0..=0x1f))
        .unwrap_or(words.remainder().len())
}

/// A text in normal form (NFC), or `None` when it already is: the usual case, checked
/// without allocating.
fn nfc(text: &str) -> Option<String> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        None
    } else {
        Some(text.nfc().collect())
    }
}

/// What a byte may be in an identifier written plainly: not at all (0), a letter in lower
/// case (2), or else as it is (1): the ASCII letters and digits and the bytes of
/// `ident::SEPARATORS`, spelt out for speed (a test checks they agree).
#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: b runs below 256, the array's length (a constant, checked when compiled)"
)]
const ID_BYTES: [u8; 256] = {
    let mut kinds = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        kinds[b] = if byte.is_ascii_lowercase() {
            2
        } else if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b':' | b'/') {
            1
        } else {
            0
        };
        b += 1;
    }
    kinds
};

/// The bytes of an identifier in canonical form ([`ident::canonical`]), borrowed when the
/// request wrote it so (then they are ASCII, so UTF-8); `None` when it is malformed or not
/// UTF-8.
fn id(bytes: &[u8]) -> Option<Cow<'_, [u8]>> {
    let mut kinds = 0;
    for &b in bytes {
        let kind = ID_BYTES.get(usize::from(b)).copied().unwrap_or(0);
        if kind == 0 {
            kinds = 0;
            break;
        }
        kinds |= kind;
    }
    match kinds {
        // Empty, or more than ASCII letters, digits and separators: the general way.
        0 => ident::canonical(std::str::from_utf8(bytes).ok()?)
            .ok()
            .map(|id| Cow::Owned(id.into_bytes())),
        1 => Some(Cow::Borrowed(bytes)),
        _ => Some(Cow::Owned(bytes.to_ascii_uppercase())),
    }
}

/// How many bytes at the start of `bytes` may stand as they are in an identifier in
/// canonical form: ASCII capital letters, digits and [`ident::SEPARATORS`] (`-./:` and the
/// digits are the run 0x2D–0x3A, then `A`–`Z`, and `_`). Eight bytes at a time; `None`
/// when the run reaches the last bytes, fewer than eight.
#[inline(always)]
fn canonical_run(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // For bytes below 0x80 no sum here carries out of its byte, so each byte's high bit
    // says whether it is within `lo..=hi`: `b + 0x80 − lo` reaches 0x80 when `b ≥ lo`, and
    // `b + 0x7F − hi` stays below when `b ≤ hi`. (A byte of 0x80 or more may carry into
    // the bytes after it, which do not count: it is not in the run.)
    let within = |w: u64, lo: u8, hi: u8| {
        w.wrapping_add(ONES * u64::from(0x80 - lo)) & !w.wrapping_add(ONES * u64::from(0x7F - hi))
    };
    // A high bit in each byte that is exactly `b` (no sum carries out of its byte).
    let is = |w: u64, b: u8| {
        let y = w ^ (ONES * u64::from(b));
        !((y & LOW).wrapping_add(LOW) | y)
    };
    let mut done = 0;
    let (words, _) = bytes.as_chunks::<8>();
    for word in words {
        let w = u64::from_le_bytes(*word);
        let fits = (within(w, 0x2D, 0x3A) | within(w, b'A', b'Z') | is(w, b'_')) & !w & HIGH;
        let stops = !fits & HIGH;
        if stops != 0 {
            return Some(done + (stops.trailing_zeros() / 8) as usize);
        }
        done += 8;
    }
    None
}

/// Whether two runs of bytes of the same length, at least sixteen, are the same, compared
/// sixteen bytes at a time (the last sixteen may overlap those before).
#[inline(always)]
fn same_bytes(here: &[u8], kept: &[u8]) -> bool {
    let word = |bytes: &[u8; 16]| u128::from_le_bytes(*bytes);
    let (words, _) = here.as_chunks::<16>();
    let (kept_words, _) = kept.as_chunks::<16>();
    here.len() == kept.len()
        && words
            .iter()
            .zip(kept_words)
            .all(|(a, b)| word(a) == word(b))
        && here.last_chunk::<16>().map(word) == kept.last_chunk::<16>().map(word)
}

/// Where the first quote in `bytes` is, eight bytes at a time.
#[inline]
fn quote(bytes: &[u8]) -> Option<usize> {
    let mut done = 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let Ok(word) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let found = quotes(u64::from_le_bytes(word));
        if found != 0 {
            return Some(done + (found.trailing_zeros() / 8) as usize);
        }
        done += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == b'"')
        .map(|at| done + at)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_plain_separators_are_the_identifier_separators() {
        let plain: Vec<char> = (0..=127u8)
            .filter(|b| super::ID_BYTES[usize::from(*b)] == 1 && !b.is_ascii_alphanumeric())
            .map(char::from)
            .collect();
        let mut separators = super::ident::SEPARATORS.to_vec();
        separators.sort_unstable();
        assert_eq!(plain, separators);
        for b in 0..=255u8 {
            let kind = super::ID_BYTES[usize::from(b)];
            assert_eq!(kind == 2, b.is_ascii_lowercase(), "{b}");
            assert_eq!(
                kind != 0,
                b.is_ascii_alphanumeric() || plain.contains(&char::from(b)),
                "{b}"
            );
        }
    }

    /// The identifier bytes counted eight at a time are those that may stand as they are in
    /// an identifier in canonical form: every byte in every place of a word.
    #[test]
    fn a_canonical_run_stops_at_the_first_byte_out_of_place() {
        let canonical = |b: u8| super::ID_BYTES[usize::from(b)] == 1 && !b.is_ascii_lowercase();
        for place in 0..16 {
            for b in 0..=255u8 {
                for filler in [b'A', b'9', b'-', b'_', b'Z', b'/'] {
                    let mut bytes = vec![filler; 24];
                    bytes[place] = b;
                    let run = if canonical(b) { 24 } else { place };
                    let expected = (run + 8 <= 24).then_some(run);
                    assert_eq!(super::canonical_run(&bytes), expected, "{b:#x} at {place}");
                }
            }
        }
    }

    /// A name read from two words is spelt as the name on its own, ends at its quote, and
    /// is read so only when its quote is among the sixteen bytes there are.
    #[test]
    fn a_name_read_from_two_words_is_the_name() {
        for len in 0..24 {
            for extra in 0..20 {
                let mut text = b"{\"".to_vec();
                text.extend((0..len).map(|i| b'a' + (i % 26) as u8));
                text.push(b'"');
                text.extend((0..extra).map(|i| b"\":,\" }"[i % 6]));
                let quoted = super::Spelling::quoted(&text, 2);
                if len < 16 && text.len() >= 18 {
                    let (spelling, end) = quoted.expect("read");
                    let alone = super::Spelling::of(&text[2..2 + len]);
                    assert_eq!(end, 2 + len);
                    assert_eq!(
                        (spelling.head(), spelling.tail()),
                        (alone.head(), alone.tail())
                    );
                } else {
                    assert!(quoted.is_none(), "{len} {extra}");
                }
            }
        }
    }

    #[test]
    fn long_runs_are_the_same_only_when_every_byte_is() {
        let kept: Vec<u8> = (0..72).collect();
        for len in 16..72 {
            let kept = &kept[..len];
            assert!(super::same_bytes(kept, kept));
            for place in 0..len {
                let mut here = kept.to_vec();
                here[place] ^= 0x20;
                assert!(!super::same_bytes(&here, kept), "{len} {place}");
            }
        }
    }

    /// Every plain identifier read by bytes is the canonical one, and a malformed one none.
    #[test]
    fn identifiers_read_by_bytes_are_canonical() {
        for text in [
            "SE-A",
            "se-a",
            "Se2321000131-bUP1",
            "",
            "a b",
            "ＳＥ-ａ",
            "a\u{0}",
            "x/y:z_1.2",
        ] {
            assert_eq!(
                super::id(text.as_bytes()).map(|id| id.into_owned()),
                super::ident::canonical(text).ok().map(String::into_bytes),
                "{text}"
            );
        }
        assert_eq!(super::id(b"\xffA"), None);
    }
}
