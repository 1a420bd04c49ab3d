//! Requests: JSON checked against the ruleset's facts before any decision is made. Every
//! fact is typed and validated here, once; a name the ruleset does not declare, a wrong
//! type, an unknown value or an impossible date is an error, never a default.

use super::suggest_name;
use super::{FactSchema, FactType};
use crate::time::Date;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;

/// A fact's value in a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactValue {
    Bool(bool),
    Int(i64),
    Date(Date),
    Text(Box<str>),
    Enum(u16),
}

/// Why a request cannot be decided. Each names the fact and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    NotAnObject,
    UnknownFact {
        name: String,
        suggestion: Option<String>,
    },
    Missing {
        fact: String,
        expected: String,
    },
    WrongType {
        fact: String,
        expected: String,
    },
    UnknownValue {
        fact: String,
        value: String,
        allowed: Vec<String>,
    },
    InvalidDate {
        fact: String,
        value: String,
    },
    InvalidId {
        fact: String,
        value: String,
        problem: super::ident::IdError,
    },
    /// A key given twice in one JSON object.
    DuplicateKey {
        key: String,
    },
    /// Text that is not JSON.
    Syntax(String),
    OutOfRange {
        fact: String,
        value: i64,
        min: i64,
        max: i64,
    },
    Invalid(String),
    /// A request checked against the facts of another table, whose slots mean other facts.
    OtherTable,
    /// A column position outside the table (a caller's mistake).
    UnknownColumn(usize),
    NoRow,
}

impl std::fmt::Display for RequestError {
    // Over 80 lines on purpose: one flat arm per variant keeps every message a caller may
    // see in one place, to read and word alike.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestError::NotAnObject => write!(
                f,
                "begäran måste vara ett JSON-objekt, t.ex. {{\"läsare\": \"patient\"}}"
            ),
            RequestError::UnknownFact {
                name,
                suggestion: Some(s),
            } => {
                write!(f, "okänt faktum `{name}`: menade du `{s}`?")
            }
            RequestError::UnknownFact {
                name,
                suggestion: None,
            } => {
                write!(
                    f,
                    "okänt faktum `{name}`: regelverket deklarerar inget faktum med det namnet"
                )
            }
            RequestError::Missing { fact, expected } => {
                write!(
                    f,
                    "faktumet `{fact}` saknas men behövs för beslutet: ange {expected}"
                )
            }
            RequestError::WrongType { fact, expected } => {
                write!(f, "`{fact}` har fel typ: ange {expected}")
            }
            RequestError::UnknownValue {
                fact,
                value,
                allowed,
            } => {
                write!(
                    f,
                    "`{fact}` kan inte vara `{value}`: tillåtna värden är {}",
                    allowed.join(", ")
                )
            }
            RequestError::InvalidDate { fact, value } => {
                write!(
                    f,
                    "`{fact}` är inget giltigt datum: `{value}` (skriv ÅÅÅÅ-MM-DD, t.ex. 2026-05-01)"
                )
            }
            RequestError::InvalidId {
                fact,
                value,
                problem,
            } => {
                write!(
                    f,
                    "`{fact}` är ingen giltig identitet: {:?}: {problem}",
                    value
                )
            }
            RequestError::DuplicateKey { key } => write!(
                f,
                "nyckeln `{key}` anges två gånger i samma objekt: ange varje faktum en gång"
            ),
            RequestError::Syntax(e) => write!(f, "ogiltig JSON: {e}"),
            RequestError::OutOfRange {
                fact,
                value,
                min,
                max,
            } => {
                write!(f, "`{fact}` = {value} ligger utanför {min}..{max}")
            }
            RequestError::Invalid(message) => write!(f, "{message}"),
            RequestError::OtherTable => write!(
                f,
                "begäran kontrollerades mot en tabell med andra fakta: kontrollera den med den här tabellen"
            ),
            RequestError::UnknownColumn(column) => {
                write!(f, "tabellen har ingen kolumn nummer {column}")
            }
            RequestError::NoRow => write!(f, "ingen rad i tabellen gäller den här begäran"),
        }
    }
}

impl std::error::Error for RequestError {}

/// A fact's place in the requests of one schema: the index of its value slot, made only by
/// [`Schema::slot`] (below the schema's fact count) and read only through [`Slots`] of the
/// same schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FactSlot(usize);

impl FactSlot {
    /// The fact's position in the table's `facts`.
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

/// One entry per fact of a schema, indexed by [`FactSlot`].
#[derive(Clone, Debug)]
pub(crate) struct Slots<T>(Vec<T>);

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

/// The facts a table knows, resolved for fast lookup.
#[derive(Debug, PartialEq)]
pub(crate) struct Schema {
    facts: Slots<FactSchema>,
    index: HashMap<String, FactSlot>,
    /// Dotted prefixes of fact names (`patient` for `patient.födelsedatum`).
    prefixes: HashSet<String>,
    defaults: Slots<Option<FactValue>>,
}

impl<T: PartialEq> PartialEq for Slots<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
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
                    .map(Some)
                    .map_err(|e| format!("standardvärdet för `{}`: {e}", f.name)),
                None => Ok(None),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Schema {
            facts: Slots(facts),
            index,
            prefixes,
            defaults: Slots(defaults),
        })
    }

    /// The slot of a fact, by name.
    pub(crate) fn slot(&self, name: &str) -> Option<FactSlot> {
        self.index.get(name).copied()
    }

    pub(crate) fn fact(&self, slot: FactSlot) -> &FactSchema {
        &self.facts[slot]
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.facts.0.iter().map(|f| f.name.as_str())
    }

    /// Checks a JSON request against the facts: nested objects (`{"patient": {"födelsedatum":
    /// …}}`) and dotted keys (`{"patient.födelsedatum": …}`) are both accepted.
    pub(crate) fn request(self: &Arc<Self>, json: &Json) -> Result<Request, RequestError> {
        let Json::Object(map) = json else {
            return Err(RequestError::NotAnObject);
        };
        let mut given = Slots(vec![None; self.facts.0.len()]);
        self.walk(map, "", &mut given)?;
        let values = given
            .0
            .into_iter()
            .zip(&self.defaults.0)
            .map(|(given, default)| given.or_else(|| default.clone()))
            .collect();
        Ok(Request {
            values: Slots(values),
            schema: Arc::clone(self),
        })
    }

    /// Reads one object of a request into `given`, the values named so far.
    fn walk(
        &self,
        map: &serde_json::Map<String, Json>,
        prefix: &str,
        given: &mut Slots<Option<FactValue>>,
    ) -> Result<(), RequestError> {
        for (key, value) in map {
            let key: String = key.nfc().collect();
            let name = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            if let Some(slot) = self.slot(&name) {
                // The same fact both dotted and nested (`"patient.ålder"` beside
                // `"patient": {"ålder": …}`): neither may win.
                if given[slot].is_some() {
                    return Err(RequestError::Invalid(format!("`{name}` anges två gånger")));
                }
                given[slot] = Some(parse_value(self.fact(slot), value)?);
            } else if self.prefixes.contains(&name) {
                match value {
                    Json::Object(inner) => self.walk(inner, &name, given)?,
                    _ => {
                        return Err(RequestError::WrongType {
                            fact: name.clone(),
                            expected: format!("ett objekt med fakta under `{name}.`"),
                        });
                    }
                }
            } else {
                let suggestion = suggest_name(&name, self.names()).map(str::to_owned);
                return Err(RequestError::UnknownFact { name, suggestion });
            }
        }
        Ok(())
    }
}

/// What a request must give for a fact, as an error message says it.
fn expected(ty: &FactType) -> String {
    match ty {
        FactType::Bool => "true eller false".into(),
        FactType::Int { min, max } => format!("ett heltal {min}..{max}"),
        FactType::Date => "ett datum som \"2026-05-01\"".into(),
        FactType::Text => "en text".into(),
        FactType::Id => "en identitet som \"SE2321000024-BUP1\"".into(),
        FactType::Enum(values) => format!("ett av {}", values.join(", ")),
    }
}

fn parse_value(fact: &FactSchema, json: &Json) -> Result<FactValue, RequestError> {
    let wrong = || RequestError::WrongType {
        fact: fact.name.clone(),
        expected: match &fact.ty {
            FactType::Text => "en text inom citattecken".into(),
            ty => expected(ty),
        },
    };
    match (&fact.ty, json) {
        (FactType::Bool, Json::Bool(b)) => Ok(FactValue::Bool(*b)),
        (FactType::Int { min, max }, Json::Number(n)) => {
            let v = n.as_i64().ok_or_else(wrong)?;
            if v < *min || v > *max {
                return Err(RequestError::OutOfRange {
                    fact: fact.name.clone(),
                    value: v,
                    min: *min,
                    max: *max,
                });
            }
            Ok(FactValue::Int(v))
        }
        (FactType::Date, Json::String(s)) => {
            Date::parse(s)
                .map(FactValue::Date)
                .ok_or_else(|| RequestError::InvalidDate {
                    fact: fact.name.clone(),
                    value: s.clone(),
                })
        }
        (FactType::Text, Json::String(s)) => Ok(FactValue::Text(
            s.nfc().collect::<String>().into_boxed_str(),
        )),
        (FactType::Id, Json::String(s)) => match super::ident::canonical(s) {
            Ok(id) => Ok(FactValue::Text(id.into_boxed_str())),
            Err(e) => Err(RequestError::InvalidId {
                fact: fact.name.clone(),
                value: s.clone(),
                problem: e,
            }),
        },
        (FactType::Enum(values), Json::String(s)) => {
            let s: String = s.nfc().collect();
            values
                .iter()
                .position(|v| *v == s)
                .and_then(|i| u16::try_from(i).ok())
                .map(FactValue::Enum)
                .ok_or_else(|| RequestError::UnknownValue {
                    fact: fact.name.clone(),
                    value: s,
                    allowed: values.clone(),
                })
        }
        _ => Err(wrong()),
    }
}

/// A checked request: one typed slot per fact, defaults filled in.
#[derive(Clone, Debug)]
pub struct Request {
    values: Slots<Option<FactValue>>,
    schema: Arc<Schema>,
}

impl Request {
    /// An empty request over `schema` (defaults filled in).
    pub(crate) fn empty(schema: &Arc<Schema>) -> Request {
        Request {
            values: schema.defaults.clone(),
            schema: Arc::clone(schema),
        }
    }

    /// The schema the request was checked against.
    pub(crate) fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    fn get(&self, slot: FactSlot) -> Result<&FactValue, RequestError> {
        self.values[slot].as_ref().ok_or_else(|| {
            let fact = self.schema.fact(slot);
            RequestError::Missing {
                fact: fact.name.clone(),
                expected: expected(&fact.ty),
            }
        })
    }

    /// Whether the request gives a fact. Only an optional fact (`kan_saknas`) may be left
    /// out: for any other, a request without it is an error, as when its value is read.
    pub(crate) fn present(&self, slot: FactSlot) -> Result<bool, RequestError> {
        if self.schema.fact(slot).kan_saknas {
            Ok(self.values[slot].is_some())
        } else {
            self.get(slot).map(|_| true)
        }
    }

    fn mistyped(&self, slot: FactSlot) -> RequestError {
        let fact = self.schema.fact(slot);
        RequestError::WrongType {
            fact: fact.name.clone(),
            expected: expected(&fact.ty),
        }
    }

    pub(crate) fn bool(&self, slot: FactSlot) -> Result<bool, RequestError> {
        match self.get(slot)? {
            FactValue::Bool(b) => Ok(*b),
            _ => Err(self.mistyped(slot)),
        }
    }
    pub(crate) fn int(&self, slot: FactSlot) -> Result<i64, RequestError> {
        match self.get(slot)? {
            FactValue::Int(n) => Ok(*n),
            _ => Err(self.mistyped(slot)),
        }
    }
    pub(crate) fn date(&self, slot: FactSlot) -> Result<Date, RequestError> {
        match self.get(slot)? {
            FactValue::Date(d) => Ok(*d),
            _ => Err(self.mistyped(slot)),
        }
    }
    pub(crate) fn text(&self, slot: FactSlot) -> Result<&str, RequestError> {
        match self.get(slot)? {
            FactValue::Text(t) => Ok(t),
            _ => Err(self.mistyped(slot)),
        }
    }
    pub(crate) fn enumeration(&self, slot: FactSlot) -> Result<u16, RequestError> {
        match self.get(slot)? {
            FactValue::Enum(v) => Ok(*v),
            _ => Err(self.mistyped(slot)),
        }
    }

    /// Sets a fact (used by the witness search, which builds requests value by value).
    pub(crate) fn set(&mut self, slot: FactSlot, value: Option<FactValue>) {
        self.values[slot] = value;
    }
}

/// Sets `a.b.c` in nested objects: how a request names a dotted fact. A value in the way
/// (`a` set to a number) is replaced by an object.
pub fn insert_dotted(map: &mut serde_json::Map<String, Json>, name: &str, value: Json) {
    match name.split_once('.') {
        None => {
            map.insert(name.to_owned(), value);
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_owned())
                .or_insert_with(|| Json::Object(serde_json::Map::new()));
            if !entry.is_object() {
                *entry = Json::Object(serde_json::Map::new());
            }
            if let Json::Object(inner) = entry {
                insert_dotted(inner, rest, value);
            }
        }
    }
}

/// Parses the text of a request. Unlike `serde_json::from_str`, which lets the last of two
/// equal keys win, a key given twice in one object is an error: `{"misstanke_om_tvång":
/// true, "misstanke_om_tvång": false}` must never be read as either.
pub fn parse_json(text: &str) -> Result<Json, RequestError> {
    let duplicate = std::cell::RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(Strict(&duplicate), &mut de)
        .and_then(|value| de.end().map(|()| value));
    match (parsed, duplicate.into_inner()) {
        (_, Some(key)) => Err(RequestError::DuplicateKey { key }),
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(RequestError::Syntax(e.to_string())),
    }
}

/// A JSON value whose objects are checked for repeated keys; the first repeated key is
/// recorded in the cell and parsing stops.
#[derive(Clone, Copy)]
struct Strict<'a>(&'a std::cell::RefCell<Option<String>>);

impl<'de> serde::de::DeserializeSeed<'de> for Strict<'_> {
    type Value = Json;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ett JSON-värde")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
        // JSON text has no infinite or NaN numbers; were one to appear, it is refused rather
        // than read as `null`.
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom(format!("talet {v} går inte att använda")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                *self.0.borrow_mut() = Some(key);
                return Err(serde::de::Error::custom("dubbel nyckel"));
            }
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Json::Object(object))
    }
}
