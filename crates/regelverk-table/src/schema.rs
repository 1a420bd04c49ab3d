//! The facts a table knows, resolved once for fast lookup: a slot per fact, the typed
//! defaults, and the keys a request may use at each level of nesting, so a request's text
//! is read straight into its slots.

use super::request::{RequestError, parse_value};
use super::time::Day;
use super::{FactSchema, FactType};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

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

impl<T> Slots<T> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut()
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

/// A fact's value as evaluation reads it. Texts are borrowed from the request's text where
/// they need no change (no escape, already normalised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Val<'a> {
    /// Not given, and no default.
    Absent,
    Bool(bool),
    Int(i64),
    Date(Day),
    Text(Cow<'a, str>),
    Enum(u16),
}

impl Val<'_> {
    /// The same value, borrowing its text.
    pub(crate) fn borrowed(&self) -> Val<'_> {
        match self {
            Val::Absent => Val::Absent,
            Val::Bool(b) => Val::Bool(*b),
            Val::Int(n) => Val::Int(*n),
            Val::Date(d) => Val::Date(*d),
            Val::Text(t) => Val::Text(Cow::Borrowed(t)),
            Val::Enum(v) => Val::Enum(*v),
        }
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

/// A hash for names: the schema's own, looked up but never filled from requests, so no
/// request can make lookups slow.
#[derive(Default)]
pub(crate) struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.add(u64::from_le_bytes(w));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (w, b) in w.iter_mut().zip(rest) {
                *w = *b;
            }
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl NameHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Names<V> = HashMap<Box<str>, V, BuildHasherDefault<NameHasher>>;

/// The facts a table knows, resolved for fast lookup.
#[derive(Debug)]
pub(crate) struct Schema {
    facts: Slots<FactSchema>,
    index: HashMap<String, FactSlot>,
    /// Dotted prefixes of fact names (`patient` for `patient.födelsedatum`).
    prefixes: HashSet<String>,
    defaults: Slots<Val<'static>>,
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
        let defaults = facts
            .iter()
            .map(|f| match &f.default {
                Some(json) => parse_value(f, json)
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
                    .collect(),
                _ => Ok(Names::default()),
            })
            .collect::<Result<Vec<_>, String>>()?;
        let levels = levels(&facts, &index);
        Ok(Schema {
            facts: Slots(facts),
            index,
            prefixes,
            defaults: Slots(defaults),
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

    pub(crate) fn fact_count(&self) -> usize {
        self.facts.0.len()
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.facts.0.iter().map(|f| f.name.as_str())
    }

    pub(crate) fn defaults(&self) -> &Slots<Val<'static>> {
        &self.defaults
    }

    /// Slots for a request: every fact absent.
    pub(crate) fn absent<'a>(&self) -> Slots<Val<'a>> {
        Slots(vec![Val::Absent; self.fact_count()])
    }

    /// Fills the facts a request left out with their defaults.
    pub(crate) fn fill_defaults<'a>(&'a self, given: &mut Slots<Val<'a>>) {
        for (value, default) in given.0.iter_mut().zip(&self.defaults.0) {
            if *value == Val::Absent {
                *value = default.borrowed();
            }
        }
    }

    /// A key at a level of nesting, as the request wrote it; `None` when the level has no
    /// such key.
    pub(crate) fn key(&self, level: Level, key: &str) -> Option<Key> {
        self.levels.get(level.0)?.get(key).copied()
    }

    /// How many levels there are: the top and one per dotted prefix.
    pub(crate) fn level_count(&self) -> usize {
        self.levels.len()
    }

    /// The index of an enumeration value, by name.
    pub(crate) fn value(&self, slot: FactSlot, name: &str) -> Option<u16> {
        self.values[slot].get(name).copied()
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
                names.entry(key.into()).or_insert(Key::Prefix(inner));
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
