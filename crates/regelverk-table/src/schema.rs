//! The facts a table knows, resolved once for fast lookup: a slot per fact, the typed
//! defaults, and the keys a request may use at each level of nesting, so a request's text
//! is read straight into its slots.

use super::request::{RequestError, parse_value};
use super::time::Day;
use super::{FactSchema, FactType};
use std::collections::{HashMap, HashSet};

/// A fact's place in the requests of one schema: the index of its value slot, made only by
/// [`Schema`] (below its fact count) and read only through [`Slots`] of the same schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FactSlot(usize);

impl FactSlot {
    /// The fact's position in the table's `facts`.
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

/// One entry per fact of a schema, indexed by [`FactSlot`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Slots<T>(Vec<T>);

impl<T> Default for Slots<T> {
    fn default() -> Slots<T> {
        Slots(Vec::new())
    }
}

impl Slots<Val> {
    /// Every value taken out again: all slots absent.
    pub(crate) fn empty(&mut self) {
        self.0.fill(Val::Absent);
    }
}

/// Memory for the values of one request at a time, kept between requests so that deciding
/// a stream of requests allocates nothing per request in the usual case
/// ([`crate::Evaluator::decide_text_with`]). It holds no values between requests, only the
/// shape of the last request read (its keys and punctuation as written, not its values), so
/// that a request shaped as the one before it is read by comparing its shape.
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) room: Room,
    /// The texts of the values in `room`'s slots while a request is decided.
    pub(crate) texts: Texts,
    pub(crate) shape: super::json::Shape,
}

/// Slots for one request at a time: between requests only absent values (the reader of a
/// request empties what it wrote, [`super::json::empty`]), so that no value of one request
/// can be read as another's.
#[derive(Debug, Default)]
pub(crate) struct Room(Slots<Val>);

impl Room {
    /// The slots, all absent, for a request of `schema`.
    pub(crate) fn slots(&mut self, schema: &Schema) -> &mut Slots<Val> {
        let values = &mut self.0.0;
        // A room holds only absent values: as many as this schema has facts, it is ready.
        if values.len() != schema.fact_count() {
            values.clear();
            values.resize(schema.fact_count(), Val::Absent);
        }
        &mut self.0
    }
}

impl<T> std::ops::Index<FactSlot> for Slots<T> {
    type Output = T;

    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: a FactSlot is made by its schema below its fact count, every Slots \
                  of that schema has one entry per fact, and a request is read only by the \
                  evaluator of its schema (Evaluator::check_schema)"
    )]
    fn index(&self, slot: FactSlot) -> &T {
        &self.0[slot.0]
    }
}

impl<T> std::ops::IndexMut<FactSlot> for Slots<T> {
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: as for Index: the slot and the Slots come from the same schema"
    )]
    fn index_mut(&mut self, slot: FactSlot) -> &mut T {
        &mut self.0[slot.0]
    }
}

/// A fact's value as evaluation reads it. A text is where the request wrote it when it
/// needs no change (no escape, already normalised), and is otherwise held beside the
/// values: so a value is `Copy`, holds no borrow, and slots are emptied without
/// dropping anything. A text is its bytes (UTF-8 in normal form, an identifier in
/// canonical form): evaluation only ever compares texts for equality, byte by byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Val {
    /// Not given, and no default.
    Absent,
    Bool(bool),
    Int(i64),
    Date(Day),
    /// A text as the request wrote it: the bytes `start..end` of its text, always the text
    /// of the same values ([`Given`]).
    Text {
        start: u32,
        end: u32,
    },
    /// A text held beside the values, at this place in their list of texts: always the
    /// list of the same values ([`Given`]).
    Owned(usize),
    Enum(u16),
}

/// Values in slots with the texts they name ([`Val::Text`] in the request's text,
/// [`Val::Owned`] held beside), as evaluation reads them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Given<'f> {
    slots: &'f [Val],
    owned: &'f [Vec<u8>],
    text: &'f [u8],
}

impl<'f> Given<'f> {
    /// `slots`, whose [`Val::Owned`] texts are in `owned` and whose [`Val::Text`] texts are
    /// in `text`, the request's (empty for values that name none).
    pub(crate) fn new(slots: &'f Slots<Val>, owned: &'f [Vec<u8>], text: &'f [u8]) -> Given<'f> {
        Given {
            slots: &slots.0,
            owned,
            text,
        }
    }

    /// The value in a slot.
    #[inline]
    #[expect(
        clippy::indexing_slicing,
        reason = "INVARIANT: as for Slots' Index: the slot and the values are of the same schema"
    )]
    pub(crate) fn get(&self, slot: FactSlot) -> &'f Val {
        &self.slots[slot.0]
    }

    /// The text of a value of these slots; `None` for a value that is no text.
    #[inline]
    pub(crate) fn text(&self, value: &Val) -> Option<&'f [u8]> {
        match *value {
            #[expect(
                clippy::indexing_slicing,
                reason = "INVARIANT: a Text place is made only by the reader of the request's \
                          text (json::read), within it, for values given with that text"
            )]
            Val::Text { start, end } => Some(&self.text[start as usize..end as usize]),
            #[expect(
                clippy::indexing_slicing,
                reason = "INVARIANT: an Owned place is made only by pushing its text on the list \
                          of the same values (Texts::hold), which is never shortened while \
                          they hold it"
            )]
            Val::Owned(i) => Some(self.owned[i].as_slice()),
            _ => None,
        }
    }
}

/// The texts values hold ([`Val::Owned`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Texts(Vec<Vec<u8>>);

impl Texts {
    /// Holds a text; the value that names it.
    pub(crate) fn hold(&mut self, text: impl Into<Vec<u8>>) -> Val {
        self.0.push(text.into());
        Val::Owned(self.0.len() - 1)
    }

    /// Puts `text` in the place `value` names when it names one, else holds it anew.
    pub(crate) fn replace(&mut self, value: Val, text: Vec<u8>) -> Val {
        match value {
            Val::Owned(i) => match self.0.get_mut(i) {
                Some(place) => {
                    *place = text;
                    value
                }
                None => self.hold(text),
            },
            _ => self.hold(text),
        }
    }

    /// No text held: for the next values.
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    pub(crate) fn as_slice(&self) -> &[Vec<u8>] {
        &self.0
    }
}

/// A key of a request at some level of nesting: a fact, or a prefix whose facts follow in
/// a nested object.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Key {
    Fact(FactSlot),
    Prefix(Level),
}

/// A level of nesting: the top, or the facts under a dotted prefix. Made only by
/// [`Schema::new`] as the position of a level it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Level(usize);

impl Level {
    /// The request object itself.
    pub(crate) const TOP: Level = Level(0);

    /// The level's position, below [`MAX_LEVELS`].
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

/// The most levels (the top and every dotted prefix) the text reader tells apart; a schema
/// with more is read the slow way.
pub(crate) const MAX_LEVELS: usize = 64;

/// Names looked up by the text reader (the keys of a level, the values of an
/// enumeration): the schema's own, in an open-addressed table at most half full, found by
/// a hash of the name's length and its first and last eight bytes — two loads and a
/// multiplication, however long the name. The same words decide equality for a name of at
/// most sixteen bytes (they hold all of it); a longer one is compared whole as well. The
/// table is never filled from requests, so a request can at worst walk one run of the
/// schema's own names.
#[derive(Debug)]
pub(crate) struct Names<V> {
    /// `None` is an empty place; the length is a power of two.
    places: Vec<Option<Entry<V>>>,
}

/// A name in a [`Names`] table, with the words of its [`Spelling`].
#[derive(Clone, Debug)]
struct Entry<V> {
    head: u64,
    tail: u64,
    name: Box<str>,
    value: V,
    /// Whether the name is [`Spelling::is_plain`]: only such a name is found by bytes.
    plain: bool,
}

/// A high bit in each byte of `word` (eight bytes of text, little-endian) that is a quote:
/// exact up to the first, which is all a reader looks for.
#[inline(always)]
pub(crate) fn quotes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let q = word ^ (ONES * u64::from(b'"'));
    q.wrapping_sub(ONES) & !q & HIGH
}

/// A name's bytes as the reader met them, with the words it is hashed and compared by:
/// `head` is the first eight bytes and `tail` the last eight (little-endian); a name of
/// fewer than eight bytes is all in `head`, padded with zeros, and its `tail` is zero.
/// Two names of the same length and at most sixteen bytes are equal exactly when their
/// words are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spelling<'a> {
    bytes: &'a [u8],
    head: u64,
    tail: u64,
}

impl<'a> Spelling<'a> {
    /// The spelling of a name on its own.
    pub(crate) fn of(bytes: &'a [u8]) -> Spelling<'a> {
        match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(head), Some(tail)) => Spelling {
                bytes,
                head: u64::from_le_bytes(*head),
                tail: u64::from_le_bytes(*tail),
            },
            _ => {
                let mut head = 0u64;
                for (i, b) in bytes.iter().enumerate() {
                    head |= u64::from(*b) << (8 * i);
                }
                Spelling {
                    bytes,
                    head,
                    tail: 0,
                }
            }
        }
    }

    /// The spelling of `text[start..end]`: a short name is read with the bytes after it
    /// (a key is followed at least by its quote, colon and value) and those masked off,
    /// rather than byte by byte.
    #[inline(always)]
    pub(crate) fn within(text: &'a [u8], start: usize, end: usize) -> Option<Spelling<'a>> {
        let bytes = text.get(start..end)?;
        let len = bytes.len();
        if len < 8
            && let Some(word) = text.get(start..).and_then(|rest| rest.first_chunk::<8>())
        {
            // `len` is below 8, so the shift is below 64.
            let mask = (1u64 << (8 * len)) - 1;
            return Some(Spelling {
                bytes,
                head: u64::from_le_bytes(*word) & mask,
                tail: 0,
            });
        }
        Some(Spelling::of(bytes))
    }

    /// The spelling of the bytes from `start` up to the next quote, and where that quote
    /// is, when they are fewer than sixteen and the text holds sixteen bytes from `start`:
    /// read from those two words, rather than searched for and then read. `None` when not.
    #[inline(always)]
    pub(crate) fn quoted(text: &'a [u8], start: usize) -> Option<(Spelling<'a>, usize)> {
        let words = text.get(start..)?.first_chunk::<16>()?;
        let (first, second) = words.split_at(8);
        let word =
            |bytes: &[u8]| -> Option<u64> { Some(u64::from_le_bytes(bytes.try_into().ok()?)) };
        let (first, second) = (word(first)?, word(second)?);
        let (head, tail, len) = match (quotes(first), quotes(second)) {
            (0, 0) => return None,
            (0, q) => {
                let len = 8 + (q.trailing_zeros() / 8) as usize;
                let end = start + len;
                (first, word(text.get(end - 8..end)?)?, len)
            }
            // Below 8, so the shift is below 64.
            (q, _) => {
                let len = (q.trailing_zeros() / 8) as usize;
                (first & ((1u64 << (8 * len)) - 1), 0, len)
            }
        };
        let bytes = text.get(start..start + len)?;
        Some((Spelling { bytes, head, tail }, start + len))
    }

    /// The first eight bytes (all of a shorter name, padded with zeros).
    pub(crate) fn head(&self) -> u64 {
        self.head
    }

    /// The last eight bytes (zero for a name of fewer than eight).
    pub(crate) fn tail(&self) -> u64 {
        self.tail
    }

    /// Whether a name's bytes may stand in a JSON string as they are: no quote, backslash
    /// or control character. Only such names are found by the bytes of a request
    /// ([`Names::find`]), so bytes that match one are a whole string, with no escape.
    fn is_plain(name: &[u8]) -> bool {
        !name.iter().any(|&b| matches!(b, b'"' | b'\\' | 0..=0x1f))
    }

    /// The hash of the length and the words, mixed by one multiplication; the place is
    /// taken from the high bits, the well-mixed ones (a table never has 2^32 places).
    #[inline]
    fn hash(&self) -> usize {
        let mixed =
            (self.head ^ self.tail.rotate_left(29) ^ (self.bytes.len() as u64).rotate_left(56))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> 32) as usize
    }
}

impl<V> Entry<V> {
    /// Whether this is the name spelt so.
    #[inline]
    fn is(&self, spelling: &Spelling<'_>) -> bool {
        self.head == spelling.head
            && self.tail == spelling.tail
            && self.name.len() == spelling.bytes.len()
            && (spelling.bytes.len() <= 16 || self.name.as_bytes() == spelling.bytes)
    }
}

impl<V: Copy> Default for Names<V> {
    fn default() -> Names<V> {
        Names { places: vec![None] }
    }
}

impl<V: Copy> Names<V> {
    /// The table of these names; a name given twice keeps its first value.
    fn new(names: impl IntoIterator<Item = (Box<str>, V)>) -> Names<V> {
        let names: Vec<(Box<str>, V)> = names.into_iter().collect();
        let mut table = Names {
            places: vec![None; (names.len() * 2).next_power_of_two().max(1)],
        };
        for (name, value) in names {
            table.insert(name, value);
        }
        table
    }

    /// Adds a name unless it is there already (the first value stays).
    fn insert(&mut self, name: Box<str>, value: V) {
        if self.get(&name).is_some() {
            return;
        }
        let used = self.places.iter().filter(|p| p.is_some()).count();
        if (used + 1) * 2 > self.places.len() {
            let old = std::mem::take(&mut self.places);
            self.places = vec![None; (old.len() * 2).max(2)];
            for entry in old.into_iter().flatten() {
                self.put(entry);
            }
        }
        let spelling = Spelling::of(name.as_bytes());
        let (head, tail) = (spelling.head, spelling.tail);
        let plain = Spelling::is_plain(name.as_bytes());
        self.put(Entry {
            head,
            tail,
            name,
            value,
            plain,
        });
    }

    /// Puts a name in the first empty place of its run; there is one, the table being at
    /// most half full.
    fn put(&mut self, entry: Entry<V>) {
        let mask = self.places.len() - 1;
        let mut at = Spelling::of(entry.name.as_bytes()).hash() & mask;
        loop {
            match self.places.get_mut(at) {
                Some(place @ None) => {
                    *place = Some(entry);
                    return;
                }
                Some(Some(_)) => at = (at + 1) & mask,
                None => return,
            }
        }
    }

    /// The value of a name, if the table has it.
    pub(crate) fn get(&self, name: &str) -> Option<V> {
        self.entry(&Spelling::of(name.as_bytes()))
            .map(|entry| entry.value)
    }

    /// The value of the name spelt so, if the table has it and it is plain
    /// ([`Spelling::is_plain`]): then the bytes are that name, and so UTF-8, and the
    /// whole of a JSON string.
    #[inline(always)]
    pub(crate) fn find(&self, spelling: &Spelling<'_>) -> Option<V> {
        self.entry(spelling)
            .filter(|entry| entry.plain)
            .map(|entry| entry.value)
    }

    #[inline(always)]
    fn entry(&self, spelling: &Spelling<'_>) -> Option<&Entry<V>> {
        let mask = self.places.len() - 1;
        let mut at = spelling.hash() & mask;
        loop {
            match self.places.get(at)? {
                Some(entry) if entry.is(spelling) => return Some(entry),
                Some(_) => at = (at + 1) & mask,
                None => return None,
            }
        }
    }
}

/// The facts a table knows, resolved for fast lookup.
#[derive(Debug)]
pub(crate) struct Schema {
    /// This schema's own number, never another's in this process: what a request's shape
    /// is kept with ([`super::json::Shape`]), as the slots it names are this schema's.
    id: u64,
    facts: Slots<FactSchema>,
    index: HashMap<String, FactSlot>,
    /// Dotted prefixes of fact names (`patient` for `patient.födelsedatum`).
    prefixes: HashSet<String>,
    defaults: Slots<Val>,
    /// The texts the defaults hold.
    default_texts: Texts,
    /// Per level, the keys it may hold: `patient` and `patient.födelsedatum` at the top,
    /// `födelsedatum` under `patient`.
    levels: Vec<Names<Key>>,
    /// Per enumeration fact, its values by name.
    values: Slots<Names<u16>>,
}

/// Two schemas are the same when their facts are: everything else is made from them.
impl PartialEq for Schema {
    fn eq(&self, other: &Schema) -> bool {
        self.facts == other.facts
    }
}

impl Schema {
    /// Resolves a table's facts; a name given twice or a default of the wrong type is an error.
    pub(crate) fn new(facts: Vec<FactSchema>) -> Result<Schema, String> {
        let mut index = HashMap::new();
        for (i, f) in facts.iter().enumerate() {
            if index.insert(f.name.clone(), FactSlot(i)).is_some() {
                return Err(format!("faktumet `{}` finns två gånger", f.name));
            }
        }
        let mut prefixes = HashSet::new();
        for f in &facts {
            let mut rest = f.name.as_str();
            while let Some((head, _)) = rest.rsplit_once('.') {
                prefixes.insert(head.to_owned());
                rest = head;
            }
        }
        let mut default_texts = Texts::default();
        let defaults = facts
            .iter()
            .map(|f| match &f.default {
                Some(json) => parse_value(f, json, &mut default_texts)
                    .map_err(|e: RequestError| format!("standardvärdet för `{}`: {e}", f.name)),
                None => Ok(Val::Absent),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let values = facts
            .iter()
            .map(|f| match &f.ty {
                FactType::Enum(values) => values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        u16::try_from(i)
                            .map(|i| (v.clone().into_boxed_str(), i))
                            .map_err(|_| format!("faktumet `{}` har för många värden", f.name))
                    })
                    .collect::<Result<Vec<_>, String>>()
                    .map(Names::new),
                _ => Ok(Names::default()),
            })
            .collect::<Result<Vec<_>, String>>()?;
        let levels = levels(&facts, &index);
        static SCHEMAS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Schema {
            id: SCHEMAS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            facts: Slots(facts),
            index,
            prefixes,
            defaults: Slots(defaults),
            default_texts,
            levels,
            values: Slots(values),
        })
    }

    /// The slot of a fact, by name.
    pub(crate) fn slot(&self, name: &str) -> Option<FactSlot> {
        self.index.get(name).copied()
    }

    pub(crate) fn is_prefix(&self, name: &str) -> bool {
        self.prefixes.contains(name)
    }

    pub(crate) fn fact(&self, slot: FactSlot) -> &FactSchema {
        &self.facts[slot]
    }

    /// This schema's own number (never 0).
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    pub(crate) fn fact_count(&self) -> usize {
        self.facts.0.len()
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.facts.0.iter().map(|f| f.name.as_str())
    }

    pub(crate) fn defaults(&self) -> Given<'_> {
        Given::new(&self.defaults, self.default_texts.as_slice(), &[])
    }

    /// Fills the facts left out of `values` (whose texts are `texts`) with their defaults,
    /// so that a checked request reads every default where it stands.
    pub(crate) fn fill_defaults(&self, values: &mut Slots<Val>, texts: &mut Texts) {
        let defaults = self.defaults();
        for (value, default) in values.0.iter_mut().zip(&self.defaults.0) {
            if *value == Val::Absent {
                *value = match defaults.text(default) {
                    Some(text) => texts.hold(text),
                    None => *default,
                };
            }
        }
    }

    /// Slots for a request: every fact absent.
    pub(crate) fn absent(&self) -> Slots<Val> {
        Slots(vec![Val::Absent; self.fact_count()])
    }

    /// A key at a level of nesting; `None` when the level has no such key.
    pub(crate) fn key(&self, level: Level, key: &str) -> Option<Key> {
        self.levels.get(level.0)?.get(key)
    }

    /// A key at a level of nesting, as the request spelt it; `None` when the level has no
    /// key of these bytes.
    #[inline(always)]
    pub(crate) fn key_spelt(&self, level: Level, key: &Spelling<'_>) -> Option<Key> {
        self.levels.get(level.0)?.find(key)
    }

    /// How many levels there are: the top and one per dotted prefix.
    pub(crate) fn level_count(&self) -> usize {
        self.levels.len()
    }

    /// The index of an enumeration value, by name.
    pub(crate) fn value(&self, slot: FactSlot, name: &str) -> Option<u16> {
        self.values[slot].get(name)
    }

    /// The index of an enumeration value, as the request spelt it.
    #[inline(always)]
    pub(crate) fn value_spelt(&self, slot: FactSlot, name: &Spelling<'_>) -> Option<u16> {
        self.values[slot].find(name)
    }
}

/// The keys of each level. A name that is both a fact and a prefix is read as the fact, as
/// the slow reader does.
fn levels(facts: &[FactSchema], index: &HashMap<String, FactSlot>) -> Vec<Names<Key>> {
    let mut levels: Vec<Names<Key>> = vec![Names::default()];
    let mut level_of: HashMap<&str, Level> = HashMap::new();
    for f in facts {
        let name = f.name.as_str();
        // Every dot splits the name into a level (the prefix) and a key under it.
        let cuts = std::iter::once(None).chain(name.match_indices('.').map(|(i, _)| Some(i)));
        for cut in cuts {
            let (level, key) = match cut {
                None => (Level::TOP, name),
                Some(i) => {
                    let (Some(prefix), Some(key)) = (name.get(..i), name.get(i + 1..)) else {
                        continue;
                    };
                    let next = Level(levels.len());
                    let level = *level_of.entry(prefix).or_insert(next);
                    if level == next {
                        levels.push(Names::default());
                    }
                    (level, key)
                }
            };
            if let Some(names) = levels.get_mut(level.0) {
                names.insert(key.into(), Key::Fact(index_of(index, name)));
            }
        }
    }
    // Prefixes are keys too, at every level above them, unless a fact has the name.
    for (&prefix, &inner) in &level_of {
        let cuts = std::iter::once(None).chain(prefix.match_indices('.').map(|(i, _)| Some(i)));
        for cut in cuts {
            let (level, key) = match cut {
                None => (Some(Level::TOP), prefix),
                Some(i) => (
                    prefix.get(..i).and_then(|p| level_of.get(p).copied()),
                    prefix.get(i + 1..).unwrap_or(""),
                ),
            };
            if let Some(names) = level.and_then(|l| levels.get_mut(l.0)) {
                names.insert(key.into(), Key::Prefix(inner));
            }
        }
    }
    levels
}

/// The slot of a fact of the schema being made.
fn index_of(index: &HashMap<String, FactSlot>, name: &str) -> FactSlot {
    match index.get(name) {
        Some(slot) => *slot,
        None => unreachable!("INVARIANT: `{name}` is a fact of the schema, indexed first"),
    }
}
