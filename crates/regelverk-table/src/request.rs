//! Requests: JSON checked against the ruleset's facts before any decision is made. Every
//! fact is typed and validated here, once; a name the ruleset does not declare, a wrong
//! type, an unknown value or an impossible date is an error, never a default.

use super::schema::{FactSlot, Given, Schema, Slots, Texts, Val};
use super::suggest_name;
use super::{FactSchema, FactType};
use crate::time::{Date, Day};
use serde_json::Value as Json;
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
    /// Bytes that are not UTF-8 text ([`crate::Evaluator::decide_bytes_with`]).
    NotUtf8,
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
                // A type of a thousand values is listed in part: the message stays a line.
                const SHOWN: usize = 20;
                write!(
                    f,
                    "`{fact}` kan inte vara `{value}`: tillåtna värden är {}",
                    allowed
                        .iter()
                        .take(SHOWN)
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                )?;
                match allowed.len().checked_sub(SHOWN) {
                    Some(more) if more > 0 => write!(f, " och {more} till"),
                    _ => Ok(()),
                }
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
            RequestError::NotUtf8 => write!(f, "begäran är inte giltig UTF-8-text"),
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

impl Schema {
    /// Checks a JSON request against the facts: nested objects (`{"patient": {"födelsedatum":
    /// …}}`) and dotted keys (`{"patient.födelsedatum": …}`) are both accepted.
    pub(crate) fn request(self: &Arc<Self>, json: &Json) -> Result<Request, RequestError> {
        let Json::Object(map) = json else {
            return Err(RequestError::NotAnObject);
        };
        let mut request = Request::absent(self);
        self.walk(map, "", &mut request)?;
        self.fill_defaults(&mut request.values, &mut request.texts);
        Ok(request)
    }

    /// Reads one object of a request into `given`, the values named so far.
    fn walk(
        &self,
        map: &serde_json::Map<String, Json>,
        prefix: &str,
        given: &mut Request,
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
                if given.values[slot] != Val::Absent {
                    return Err(RequestError::Invalid(format!(
                        "`{}` anges två gånger",
                        clip(&name)
                    )));
                }
                given.values[slot] = parse_value(self.fact(slot), value, &mut given.texts)?;
            } else if self.is_prefix(&name) {
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
                // A key of absurd length is no typo, and measuring it against every name
                // would cost time in proportion to its length.
                let suggestion = (name.len() <= MAX_SUGGESTED)
                    .then(|| suggest_name(&name, self.names()).map(str::to_owned))
                    .flatten();
                return Err(RequestError::UnknownFact {
                    name: clip(&name),
                    suggestion,
                });
            }
        }
        Ok(())
    }
}

/// What a request must give for a fact, as an error message says it.
pub(crate) fn expected(ty: &FactType) -> String {
    match ty {
        FactType::Bool => "true eller false".into(),
        FactType::Int { min, max } => format!("ett heltal {min}..{max}"),
        FactType::Date => "ett datum som \"2026-05-01\"".into(),
        FactType::Text => "en text".into(),
        FactType::Id => "en identitet som \"SE2321000024-BUP1\"".into(),
        FactType::Enum(values) => format!("ett av {}", values.join(", ")),
    }
}

/// A fact's value from JSON, checked against its type.
pub(crate) fn parse_value(
    fact: &FactSchema,
    json: &Json,
    texts: &mut Texts,
) -> Result<Val, RequestError> {
    let wrong = || RequestError::WrongType {
        fact: fact.name.clone(),
        expected: match &fact.ty {
            FactType::Text => "en text inom citattecken".into(),
            ty => expected(ty),
        },
    };
    match (&fact.ty, json) {
        (FactType::Bool, Json::Bool(b)) => Ok(Val::Bool(*b)),
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
            Ok(Val::Int(v))
        }
        (FactType::Date, Json::String(s)) => {
            Day::parse(s)
                .map(Val::Date)
                .ok_or_else(|| RequestError::InvalidDate {
                    fact: fact.name.clone(),
                    value: clip(s),
                })
        }
        (FactType::Text, Json::String(s)) => Ok(texts.hold(s.nfc().collect::<String>())),
        (FactType::Id, Json::String(s)) => match super::ident::canonical(s) {
            Ok(id) => Ok(texts.hold(id)),
            Err(e) => Err(RequestError::InvalidId {
                fact: fact.name.clone(),
                value: clip(s),
                problem: e,
            }),
        },
        (FactType::Enum(values), Json::String(s)) => {
            let s: String = s.nfc().collect();
            values
                .iter()
                .position(|v| *v == s)
                .and_then(|i| u16::try_from(i).ok())
                .map(Val::Enum)
                .ok_or_else(|| RequestError::UnknownValue {
                    fact: fact.name.clone(),
                    value: clip(&s),
                    allowed: values.clone(),
                })
        }
        _ => Err(wrong()),
    }
}

/// Keys longer than this (in bytes) get no "menade du": no typo is that long.
const MAX_SUGGESTED: usize = 200;

/// The most characters of a request's own text an error message repeats.
const MAX_ECHOED: usize = 80;

/// Text from a request as an error message repeats it: at most [`MAX_ECHOED`] characters,
/// so a megabyte of garbage is never echoed back.
pub(crate) fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHOED) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()),
    }
}

/// A checked request: one typed slot per fact, defaults filled in.
#[derive(Clone, Debug)]
pub struct Request {
    values: Slots<Val>,
    /// The texts the values hold.
    texts: Texts,
    schema: Arc<Schema>,
}

impl Request {
    /// A request over `schema` with every fact left out, defaults too.
    fn absent(schema: &Arc<Schema>) -> Request {
        Request {
            values: schema.absent(),
            texts: Texts::default(),
            schema: Arc::clone(schema),
        }
    }

    /// An empty request over `schema` (defaults filled in).
    pub(crate) fn empty(schema: &Arc<Schema>) -> Request {
        let mut request = Request::absent(schema);
        schema.fill_defaults(&mut request.values, &mut request.texts);
        request
    }

    /// The schema the request was checked against.
    pub(crate) fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// The values, one per slot of the schema.
    pub(crate) fn values(&self) -> Given<'_> {
        Given::new(&self.values, self.texts.as_slice(), &[])
    }

    /// Sets a fact (used by the witness search, which builds requests value by value).
    pub(crate) fn set(&mut self, slot: FactSlot, value: Option<FactValue>) {
        self.values[slot] = match value {
            None => Val::Absent,
            Some(FactValue::Bool(b)) => Val::Bool(b),
            Some(FactValue::Int(n)) => Val::Int(n),
            Some(FactValue::Date(d)) => Val::Date(Day::of(d)),
            Some(FactValue::Text(t)) => self
                .texts
                .replace(self.values[slot], t.into_boxed_bytes().into_vec()),
            Some(FactValue::Enum(v)) => Val::Enum(v),
        };
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
        (_, Some(key)) => Err(RequestError::DuplicateKey { key: clip(&key) }),
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(RequestError::Syntax(describe_syntax(&e))),
    }
}

/// Where and how JSON text is malformed, in Swedish (serde_json's own words are English).
fn describe_syntax(e: &serde_json::Error) -> String {
    // A request on one line (a batch line) needs only the column.
    let place = match e.line() {
        1 => format!("kolumn {}", e.column()),
        line => format!("rad {line}, kolumn {}", e.column()),
    };
    match e.classify() {
        serde_json::error::Category::Eof => format!("texten tar slut mitt i ett värde ({place})"),
        serde_json::error::Category::Syntax => format!("fel tecken eller ord ({place})"),
        serde_json::error::Category::Io => format!("kan inte läsas ({place})"),
        // Made by the request reader itself, or a number out of range: kept as it is.
        serde_json::error::Category::Data => e.to_string(),
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
