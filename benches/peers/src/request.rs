//! A `direktåtkomst` request as a typed Rust value: the input of the hand-written baseline,
//! and the step from JSON to cedar's context (cedar reads no JSON of this shape itself).
//!
//! Facts with a default take it when left out (BRIEF §3.1); a fact without one is required
//! where the policy can need it. Identifiers are kept in canonical form (upper case), so
//! that `"se-a"` and `"SE-A"` are the same unit. This is no validator: the comparison runs
//! on valid requests, and regelverk alone is responsible for refusing the rest.

use crate::date::Date;
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Patient,
    Guardian,
    Proxy,
}

/// `post.verksamhet`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Bup,
    AdultPsychiatry,
    ForensicPsychiatry,
    YouthClinic,
    ClinicalGenetics,
    ChildrensAdvocacyCentre,
    Dental,
    Other,
}

impl Service {
    pub const ALL: [Service; 8] = [
        Service::Bup,
        Service::AdultPsychiatry,
        Service::ForensicPsychiatry,
        Service::YouthClinic,
        Service::ClinicalGenetics,
        Service::ChildrensAdvocacyCentre,
        Service::Dental,
        Service::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Bup => "bup",
            Service::AdultPsychiatry => "vuxenpsykiatri",
            Service::ForensicPsychiatry => "rättspsykiatri",
            Service::YouthClinic => "ungdomsmottagning",
            Service::ClinicalGenetics => "klinisk_genetik",
            Service::ChildrensAdvocacyCentre => "barnahus",
            Service::Dental => "tandvård",
            Service::Other => "övrig",
        }
    }

    fn from_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// `post.undantag`: the four national exceptions and VGR's three keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exception {
    None,
    Informant,
    ExceptionalGrounds,
    Violence,
    PreliminaryInvestigation,
    /// VGR: hidden from everyone.
    EarlyHypothesis,
    /// VGR: hidden from everyone.
    SingleBlindTrial,
    /// VGR: hidden from guardians.
    ChildConcern,
}

impl Exception {
    pub const ALL: [Exception; 8] = [
        Exception::None,
        Exception::Informant,
        Exception::ExceptionalGrounds,
        Exception::Violence,
        Exception::PreliminaryInvestigation,
        Exception::EarlyHypothesis,
        Exception::SingleBlindTrial,
        Exception::ChildConcern,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Exception::None => "inget",
            Exception::Informant => "uppgiftslämnare",
            Exception::ExceptionalGrounds => "synnerlig_vikt",
            Exception::Violence => "våldsutsatthet",
            Exception::PreliminaryInvestigation => "förundersökning",
            Exception::EarlyHypothesis => "tidig_hypotes",
            Exception::SingleBlindTrial => "enkelblind_prövning",
            Exception::ChildConcern => "orosanmälan_barn",
        }
    }

    fn from_name(name: &str) -> Option<Exception> {
        Exception::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// `post.kategori`: the policy tells notes (VGR-OS) from every other category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Note,
    Other,
}

impl Category {
    /// The categories of `typ Kategori` other than `anteckning`.
    const OTHERS: [&str; 8] = [
        "vårdkontakt",
        "diagnos",
        "läkemedel",
        "provsvar",
        "remiss",
        "vaccination",
        "uppmärksamhetsinformation",
        "tillväxtkurva",
    ];

    fn from_name(name: &str) -> Option<Category> {
        if name == "anteckning" {
            Some(Category::Note)
        } else {
            Category::OTHERS.contains(&name).then_some(Category::Other)
        }
    }
}

/// A decision granting access 13–15 (`vårdnadshavare.förlängning`,
/// `patient.tidig_åtkomst`), when one exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub signed: Date,
    pub unit: String,
}

/// `vårdförsegling`, when one exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CareSealing {
    pub all_units: bool,
    /// The sealed unit; needed only when the sealing covers one unit.
    pub unit: Option<String>,
    pub last_day: Date,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub date: Date,
    pub reader: Reader,
    /// `läsarval.rådrum`
    pub delay_chosen: bool,
    pub born: Date,
    pub reserve_number: bool,
    pub protected_identity: bool,
    pub guardian_protected_identity: bool,
    pub sealed_by_patient: bool,
    pub early_access: Option<Grant>,
    pub care_sealing: Option<CareSealing>,
    pub guardian_blocked: bool,
    pub extension: Option<Grant>,
    pub entry_date: Date,
    pub entry_unit: String,
    /// `post.signerad`
    pub signed: bool,
    pub category: Category,
    pub service: Service,
    pub exception: Exception,
}

/// Why a JSON request could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for ReadError {}

impl Request {
    /// Reads JSON text.
    pub fn from_text(text: &str) -> Result<Request, ReadError> {
        let json: Value = serde_json::from_str(text).map_err(|e| ReadError(e.to_string()))?;
        Request::from_json(&json)
    }

    /// Reads a parsed JSON request.
    pub fn from_json(json: &Value) -> Result<Request, ReadError> {
        let root = Facts::object(json, "begäran")?;
        let patient = root.child("patient")?;
        let guardian = root.child("vårdnadshavare")?;
        let entry = root.child("post")?;
        let sealing = root.child("vårdförsegling")?;
        let reader = match root.text("läsare")? {
            "patient" => Reader::Patient,
            "vårdnadshavare" => Reader::Guardian,
            "ombud" => Reader::Proxy,
            other => return Err(ReadError(format!("okänd läsare `{other}`"))),
        };
        let sealed_by_patient = match patient.text_or("försegling", "ingen")? {
            "ingen" => false,
            "av_patienten" => true,
            other => return Err(ReadError(format!("okänd försegling `{other}`"))),
        };
        let care_sealing = if sealing.bool_or("finns", false)? {
            let all_units = match sealing.text("omfattning")? {
                "enhet" => false,
                "alla_enheter" => true,
                other => return Err(ReadError(format!("okänd omfattning `{other}`"))),
            };
            let unit = if all_units {
                sealing.optional_id("enhet")?
            } else {
                Some(sealing.id("enhet")?)
            };
            Some(CareSealing {
                all_units,
                unit,
                last_day: sealing.date("slutdatum")?,
            })
        } else {
            None
        };
        let service = entry.text_or("verksamhet", "övrig")?;
        let service = Service::from_name(service)
            .ok_or_else(|| ReadError(format!("okänd verksamhet `{service}`")))?;
        let exception = entry.text_or("undantag", "inget")?;
        let exception = Exception::from_name(exception)
            .ok_or_else(|| ReadError(format!("okänt undantag `{exception}`")))?;
        let category = entry.text("kategori")?;
        let category = Category::from_name(category)
            .ok_or_else(|| ReadError(format!("okänd kategori `{category}`")))?;
        Ok(Request {
            date: root.date("datum")?,
            reader,
            delay_chosen: root.child("läsarval")?.bool_or("rådrum", false)?,
            born: patient.date("födelsedatum")?,
            reserve_number: patient.bool_or("reservnummer", false)?,
            protected_identity: patient.bool_or("skyddad_identitet", false)?,
            guardian_protected_identity: patient
                .bool_or("vårdnadshavare_med_skyddad_identitet", false)?,
            sealed_by_patient,
            early_access: patient.child("tidig_åtkomst")?.grant()?,
            care_sealing,
            guardian_blocked: guardian.bool_or("blockerad", false)?,
            extension: guardian.child("förlängning")?.grant()?,
            entry_date: entry.date("datum")?,
            entry_unit: entry.id("vårdenhet")?,
            signed: entry.bool_or("signerad", true)?,
            category,
            service,
            exception,
        })
    }
}

/// One JSON object of a request, or an object left out (all its facts take defaults).
struct Facts<'j> {
    path: String,
    object: Option<&'j Map<String, Value>>,
}

impl<'j> Facts<'j> {
    fn object(json: &'j Value, path: &str) -> Result<Facts<'j>, ReadError> {
        match json {
            Value::Object(map) => Ok(Facts {
                path: path.to_owned(),
                object: Some(map),
            }),
            _ => Err(ReadError(format!("`{path}` ska vara ett objekt"))),
        }
    }

    fn name(&self, key: &str) -> String {
        if self.path == "begäran" {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&self, key: &str) -> Option<&'j Value> {
        self.object.and_then(|o| o.get(key))
    }

    fn child(&self, key: &str) -> Result<Facts<'j>, ReadError> {
        match self.get(key) {
            None => Ok(Facts {
                path: self.name(key),
                object: None,
            }),
            Some(json) => Facts::object(json, &self.name(key)),
        }
    }

    fn text(&self, key: &str) -> Result<&'j str, ReadError> {
        match self.get(key) {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(ReadError(format!("`{}` ska vara en text", self.name(key)))),
            None => Err(ReadError(format!("`{}` saknas", self.name(key)))),
        }
    }

    fn text_or(&self, key: &str, default: &'static str) -> Result<&'j str, ReadError> {
        match self.get(key) {
            None => Ok(default),
            Some(_) => self.text(key),
        }
    }

    fn bool_or(&self, key: &str, default: bool) -> Result<bool, ReadError> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(ReadError(format!(
                "`{}` ska vara sant/falskt",
                self.name(key)
            ))),
        }
    }

    fn date(&self, key: &str) -> Result<Date, ReadError> {
        let text = self.text(key)?;
        Date::parse(text)
            .ok_or_else(|| ReadError(format!("`{}`: `{text}` är inget datum", self.name(key))))
    }

    /// An identifier in canonical form: upper case (the generator's ids are ASCII).
    fn id(&self, key: &str) -> Result<String, ReadError> {
        Ok(self.text(key)?.to_uppercase())
    }

    fn optional_id(&self, key: &str) -> Result<Option<String>, ReadError> {
        match self.get(key) {
            None => Ok(None),
            Some(_) => self.id(key).map(Some),
        }
    }

    /// `finns`, and when it holds, `signerad` and `enhet`.
    fn grant(&self) -> Result<Option<Grant>, ReadError> {
        if !self.bool_or("finns", false)? {
            return Ok(None);
        }
        Ok(Some(Grant {
            signed: self.date("signerad")?,
            unit: self.id("enhet")?,
        }))
    }
}
