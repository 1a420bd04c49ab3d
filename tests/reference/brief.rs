//! The reference: the three decisions of the three rulesets, written by hand from the
//! domain brief (`shared/domain/BRIEF.md`, revision 2, §3–§5), not from the rule files.
//! Each rule below quotes the brief's words it encodes. Only the outcome (`utfall`) is
//! compared: reasons are named by the rule files, not by the brief.
//!
//! A request is a map from fact names to values; a fact left out takes the default the
//! brief's §3 tables give it, and a fact without one that a rule reads is a refusal.

use crate::calendar::Ymd;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ruleset {
    National,
    Rjh,
    Vgr,
}

impl Ruleset {
    pub const ALL: [Ruleset; 3] = [Ruleset::National, Ruleset::Rjh, Ruleset::Vgr];

    pub fn dir(self) -> &'static str {
        match self {
            Ruleset::National => "rules",
            Ruleset::Rjh => "regions/jamtland-harjedalen",
            Ruleset::Vgr => "regions/vastra-gotaland",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    Direktåtkomst,
    Upplåsning,
    Försegling,
}

impl Decision {
    pub const ALL: [Decision; 3] = [
        Decision::Direktåtkomst,
        Decision::Upplåsning,
        Decision::Försegling,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Decision::Direktåtkomst => "direktåtkomst",
            Decision::Upplåsning => "upplåsning",
            Decision::Försegling => "försegling",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Date(Ymd),
    /// An enum value or an identifier.
    Text(String),
}

pub type Request = BTreeMap<&'static str, Value>;

/// Why the reference refuses a request (the implementation must answer `fel`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A fact without a default, read by a rule, is not in the request.
    Missing(&'static str),
    /// A value the ruleset does not know (VGR's keywords outside VGR).
    Unknown(&'static str),
    /// RJH: a care sealing without an end date (RJH rutin 2.2.2).
    NoEndDate,
    /// The patient is born after the day of the request: no age can be computed.
    Unborn,
}

pub type Answer = Result<&'static str, Refusal>;

/// The brief's §3 defaults.
fn default(fact: &str) -> Option<Value> {
    let value = match fact {
        "läsarval.rådrum"
        | "patient.reservnummer"
        | "patient.skyddad_identitet"
        | "patient.vårdnadshavare_med_skyddad_identitet"
        | "patient.tidig_åtkomst.finns"
        | "vårdförsegling.finns"
        | "vårdnadshavare.blockerad"
        | "vårdnadshavare.förlängning.finns"
        | "ombud.förordnande"
        | "ombud.beslut.finns"
        | "begäran.blankett_undertecknad"
        | "begäran.identitet_styrkt"
        | "begäran.misstanke_om_tvång"
        | "begäran.akut"
        | "begäran.menprövning_gjord"
        | "begäran.slutdatum_satt" => Value::Bool(false),
        "post.signerad" => Value::Bool(true),
        "patient.försegling" => Value::Text("ingen".into()),
        "post.verksamhet" => Value::Text("övrig".into()),
        "post.undantag" => Value::Text("inget".into()),
        _ => return None,
    };
    Some(value)
}

/// The brief's §3 facts without a default.
pub const REQUIRED: &[&str] = &[
    "datum",
    "läsare",
    "patient.födelsedatum",
    "patient.tidig_åtkomst.signerad",
    "patient.tidig_åtkomst.enhet",
    "vårdförsegling.omfattning",
    "vårdförsegling.enhet",
    "vårdnadshavare.förlängning.signerad",
    "vårdnadshavare.förlängning.enhet",
    "ombud.beslut.signerad",
    "post.datum",
    "post.vårdenhet",
    "post.kategori",
    "begäran.från",
    "begäran.inlämning",
    "begäran.fall",
    "begäran.beslutsfattare",
];

/// The request as rules read it: defaults filled in, a missing fact a refusal.
struct Facts<'r>(&'r Request);

impl Facts<'_> {
    fn get(&self, fact: &'static str) -> Result<Value, Refusal> {
        match self.0.get(fact) {
            Some(v) => Ok(v.clone()),
            None => default(fact).ok_or(Refusal::Missing(fact)),
        }
    }
    fn bool(&self, fact: &'static str) -> Result<bool, Refusal> {
        match self.get(fact)? {
            Value::Bool(b) => Ok(b),
            other => panic!("{fact} is no truth value: {other:?}"),
        }
    }
    fn date(&self, fact: &'static str) -> Result<Ymd, Refusal> {
        match self.get(fact)? {
            Value::Date(d) => Ok(d),
            other => panic!("{fact} is no date: {other:?}"),
        }
    }
    fn text(&self, fact: &'static str) -> Result<String, Refusal> {
        match self.get(fact)? {
            Value::Text(t) => Ok(t),
            other => panic!("{fact} is no text: {other:?}"),
        }
    }
    fn is(&self, fact: &'static str, value: &str) -> Result<bool, Refusal> {
        Ok(self.text(fact)? == value)
    }
    /// An optional fact (`vårdförsegling.slutdatum`): `None` when not given.
    fn optional_date(&self, fact: &'static str) -> Option<Ymd> {
        match self.0.get(fact) {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        }
    }
    /// Two identifiers are the same unit whatever their letter case (§3: "compared in a
    /// canonical form").
    fn same_unit(&self, a: &'static str, b: &'static str) -> Result<bool, Refusal> {
        Ok(self.text(a)?.to_uppercase() == self.text(b)?.to_uppercase())
    }
    fn age(&self) -> Result<i32, Refusal> {
        let (born, on) = (self.date("patient.födelsedatum")?, self.date("datum")?);
        if born > on {
            return Err(Refusal::Unborn);
        }
        Ok(born.age_on(on))
    }
}

/// The reference's answer: the outcome, or why the request must be refused.
pub fn decide(ruleset: Ruleset, decision: Decision, request: &Request) -> Answer {
    let facts = Facts(request);
    match decision {
        Decision::Direktåtkomst => direktåtkomst(ruleset, &facts),
        Decision::Upplåsning => upplåsning(ruleset, &facts),
        Decision::Försegling => försegling(ruleset, &facts),
    }
}

// ------------------------------------------------------------------ direktåtkomst

/// The national exceptions (§5.1 point 5) and VGR's keywords (§5.3).
const NATIONAL_EXCEPTIONS: [&str; 4] = [
    "uppgiftslämnare",
    "synnerlig_vikt",
    "våldsutsatthet",
    "förundersökning",
];
const VGR_KEYWORDS: [&str; 3] = ["tidig_hypotes", "enkelblind_prövning", "orosanmälan_barn"];

fn direktåtkomst(ruleset: Ruleset, f: &Facts<'_>) -> Answer {
    // §3.1: "The values added by VGR are unknown to the national and RJH rulesets: a request
    // carrying `tidig_hypotes` against RJH is an error, not a `visa`."
    let undantag = f.text("post.undantag")?;
    if ruleset != Ruleset::Vgr && VGR_KEYWORDS.contains(&undantag.as_str()) {
        return Err(Refusal::Unknown("post.undantag"));
    }
    // §5.2: "a care sealing without `slutdatum` is an error (RJH rutin 2.2.2), never `visa`".
    if ruleset == Ruleset::Rjh
        && f.bool("vårdförsegling.finns")?
        && f.optional_date("vårdförsegling.slutdatum").is_none()
    {
        return Err(Refusal::NoEndDate);
    }
    if hidden(ruleset, f)? {
        return Ok("dölj");
    }
    Ok(if granted(ruleset, f)? {
        "visa"
    } else {
        "dölj"
    })
}

/// §5.1 points 5–10, and VGR's hiding rules (§5.3): "These hide an entry whatever grants
/// it, and beat every grant above."
fn hidden(ruleset: Ruleset, f: &Facts<'_>) -> Result<bool, Refusal> {
    let reader = f.text("läsare")?;
    let guardian = reader == "vårdnadshavare";
    let undantag = f.text("post.undantag")?;
    // 5. "Entries marked with one of the four national exceptions".
    if NATIONAL_EXCEPTIONS.contains(&undantag.as_str()) {
        return Ok(true);
    }
    // 6. "A patient-sealed account: hidden for every reader".
    if f.is("patient.försegling", "av_patienten")? {
        return Ok(true);
    }
    // 7. "A care-initiated sealing in force for the entry's unit, or for all units: through
    // its `slutdatum` inclusive where one is set, otherwise until lifted".
    if f.bool("vårdförsegling.finns")? {
        let covers = f.is("vårdförsegling.omfattning", "alla_enheter")?
            || f.same_unit("vårdförsegling.enhet", "post.vårdenhet")?;
        let in_force = match f.optional_date("vårdförsegling.slutdatum") {
            Some(end) => f.date("datum")? <= end,
            None => true,
        };
        if covers && in_force {
            return Ok(true);
        }
    }
    // 8. "A blocked guardian sees nothing".
    if guardian && f.bool("vårdnadshavare.blockerad")? {
        return Ok(true);
    }
    // 9. "A patient with only a reservnummer has no direct access, nor does anyone to that
    // record".
    if f.bool("patient.reservnummer")? {
        return Ok(true);
    }
    // 10. "A reader who chose `läsarval.rådrum` does not see entries newer than 14 days";
    // §4: "documented fewer than 14 days before `datum`".
    if f.bool("läsarval.rådrum")? {
        let age_in_days = f.date("datum")?.day_number() - f.date("post.datum")?.day_number();
        if age_in_days < 14 {
            return Ok(true);
        }
    }
    if ruleset == Ruleset::Vgr {
        // "`tidig_hypotes` and `enkelblind_prövning` hide the entry from every reader;
        // `orosanmälan_barn` hides it from guardians only".
        if undantag == "tidig_hypotes" || undantag == "enkelblind_prövning" {
            return Ok(true);
        }
        if guardian && undantag == "orosanmälan_barn" {
            return Ok(true);
        }
        // "A patient under 18 with protected identity, or with a guardian who has
        // protected identity: the whole account is sealed, hidden for every reader".
        if (f.bool("patient.skyddad_identitet")?
            || f.bool("patient.vårdnadshavare_med_skyddad_identitet")?)
            && f.age()? < 18
        {
            return Ok(true);
        }
        // "Guardians do not see entries written by BUP".
        if guardian && f.is("post.verksamhet", "bup")? {
            return Ok(true);
        }
        // "Guardians do not see entries documented before 2019-10-01".
        if guardian && f.date("post.datum")? < Ymd::new(2019, 10, 1) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// §5.1 points 1–4 and the regions' deviations: "nothing is shown unless a rule grants it".
fn granted(ruleset: Ruleset, f: &Facts<'_>) -> Result<bool, Refusal> {
    let reader = f.text("läsare")?;
    match reader.as_str() {
        // 1. "The patient sees own entries from age 16"; 3. "a child aged 13–15 with early
        // own access sees own entries".
        "patient" => {
            let age = f.age()?;
            Ok(age >= 16
                || ((13..=15).contains(&age)
                    && f.bool("patient.tidig_åtkomst.finns")?
                    && decided_here(ruleset, f, "patient.tidig_åtkomst")?))
        }
        // 2. "A guardian sees a child's entries until the child turns 13"; 3. "A guardian
        // with an extension sees the entries of a child aged 13–15".
        "vårdnadshavare" => {
            let age = f.age()?;
            Ok(age <= 12
                || ((13..=15).contains(&age)
                    && f.bool("vårdnadshavare.förlängning.finns")?
                    && decided_here(ruleset, f, "vårdnadshavare.förlängning")?))
        }
        // 4. "A proxy (`ombud`) gets no direct access"; RJH: "A proxy gets direct access
        // when a court appointment is on file and a decision signed within the last year
        // exists (RJH rutin 4)".
        "ombud" => Ok(ruleset == Ruleset::Rjh
            && f.bool("ombud.förordnande")?
            && f.bool("ombud.beslut.finns")?
            && f.date("ombud.beslut.signerad")?
                .valid_one_year_on(f.date("datum")?)),
        other => panic!("no reader {other}"),
    }
}

/// Where an extension or early access (`prefix.signerad`, `prefix.enhet`) holds for this
/// entry. Everywhere, §4: "A decision signed after `datum` is not yet valid." Nationally
/// "the extension is not limited to a unit or a period"; RJH: "cover only entries from the
/// unit that decided it (`enhet` = `post.vårdenhet`), and hold one year from signing"; VGR:
/// "cover only entries from the deciding unit; no period is set".
fn decided_here(ruleset: Ruleset, f: &Facts<'_>, prefix: &str) -> Result<bool, Refusal> {
    let (signed, unit): (&'static str, &'static str) = match prefix {
        "patient.tidig_åtkomst" => (
            "patient.tidig_åtkomst.signerad",
            "patient.tidig_åtkomst.enhet",
        ),
        _ => (
            "vårdnadshavare.förlängning.signerad",
            "vårdnadshavare.förlängning.enhet",
        ),
    };
    let (signed, datum) = (f.date(signed)?, f.date("datum")?);
    Ok(match ruleset {
        Ruleset::National => signed <= datum,
        Ruleset::Rjh => f.same_unit(unit, "post.vårdenhet")? && signed.valid_one_year_on(datum),
        Ruleset::Vgr => f.same_unit(unit, "post.vårdenhet")? && signed <= datum,
    })
}

// ------------------------------------------------------------------ upplåsning

fn upplåsning(ruleset: Ruleset, f: &Facts<'_>) -> Answer {
    match ruleset {
        // §5.1: "Nationally there is no unsealing rule: `upplåsning` gives `neka`".
        Ruleset::National => Ok("neka"),
        // §5.2 (RJH rutin 2.3.1).
        Ruleset::Rjh => {
            if !f.is("begäran.från", "patienten")? {
                Ok("neka")
            } else if !f.bool("begäran.blankett_undertecknad")? {
                Ok("ofullständig")
            } else {
                // "handed in at a unit or posted to support": either way.
                f.text("begäran.inlämning")?;
                Ok("verkställ")
            }
        }
        // §5.3 (VGR rutin), "first match wins".
        Ruleset::Vgr => {
            if !f.is("begäran.från", "patienten")? {
                return Ok("neka");
            }
            if !f.bool("begäran.blankett_undertecknad")?
                || !f.bool("begäran.identitet_styrkt")?
                || !f.is("begäran.inlämning", "personligen_på_vårdenhet")?
            {
                return Ok("ofullständig");
            }
            Ok(match f.text("begäran.fall")?.as_str() {
                "hotad_vill_inte" => "neka",
                "hotad_inget_att_dölja" => "överväg_verkställ",
                "hotad_katastrof" => "konsultera_expertis",
                _ if f.bool("begäran.misstanke_om_tvång")? => "neka",
                _ => "verkställ",
            })
        }
    }
}

// ------------------------------------------------------------------ försegling

fn försegling(ruleset: Ruleset, f: &Facts<'_>) -> Answer {
    let from = f.text("begäran.från")?;
    let head = |f: &Facts<'_>| -> Result<bool, Refusal> {
        let who = f.text("begäran.beslutsfattare")?;
        Ok(who == "verksamhetschef" || who == "av_verksamhetschefen_utsedd")
    };
    match ruleset {
        // §5.1: "a patient may seal their own account ... everything else is refused".
        Ruleset::National => Ok(if from == "patienten" {
            "verkställ"
        } else {
            "neka"
        }),
        // §5.2 (RJH rutin 2.2).
        Ruleset::Rjh => match from.as_str() {
            "patienten" => Ok("verkställ"),
            "vården" => {
                // "menprövning must always be made ... and an end date set, so without
                // either: `ofullständig`. With both, decided by the head of unit or the
                // head's designee, acute or not: `verkställ`; acute and decided by the
                // senior physician on call: `verkställ`. Any other care-initiated request:
                // `ofullständig`."
                if !f.bool("begäran.menprövning_gjord")? || !f.bool("begäran.slutdatum_satt")? {
                    return Ok("ofullständig");
                }
                let on_call = f.bool("begäran.akut")?
                    && f.is("begäran.beslutsfattare", "överläkare_bakjour")?;
                Ok(if head(f)? || on_call {
                    "verkställ"
                } else {
                    "ofullständig"
                })
            }
            _ => Ok("neka"),
        },
        // §5.3 (VGR rutin).
        Ruleset::Vgr => match from.as_str() {
            "patienten" => Ok("verkställ"),
            "ombud" | "fullmaktshavare" => Ok("neka"),
            "vården" if f.bool("begäran.akut")? || head(f)? => Ok("verkställ"),
            "vården" => Ok("ofullständig"),
            other => panic!("försegling from {other} is not in the brief"),
        },
    }
}

// ------------------------------------------------------------------ the brief's examples

/// §6's worked examples, on the reference itself.
#[test]
fn the_worked_examples_of_the_brief() {
    let date = |s: &str| {
        let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap()).collect();
        Value::Date(Ymd::new(p[0] as i32, p[1], p[2]))
    };
    let text = |s: &str| Value::Text(s.to_owned());
    let base = |reader: &str, born: &str, datum: &str| -> Request {
        Request::from([
            ("datum", date(datum)),
            ("läsare", text(reader)),
            ("patient.födelsedatum", date(born)),
            ("post.kategori", text("provsvar")),
            ("post.datum", date("2026-01-01")),
            ("post.vårdenhet", text("A")),
        ])
    };
    let d = |r, q: &Request| decide(r, Decision::Direktåtkomst, q);
    use Ruleset::*;
    assert_eq!(
        d(National, &base("patient", "2010-05-01", "2026-05-01")),
        Ok("visa")
    );
    assert_eq!(
        d(National, &base("patient", "2010-05-02", "2026-05-01")),
        Ok("dölj")
    );
    assert_eq!(
        d(
            National,
            &base("vårdnadshavare", "2013-05-02", "2026-05-01")
        ),
        Ok("visa")
    );
    let mut extended = base("vårdnadshavare", "2012-01-15", "2026-05-31");
    extended.insert("vårdnadshavare.förlängning.finns", Value::Bool(true));
    extended.insert("vårdnadshavare.förlängning.signerad", date("2025-06-01"));
    extended.insert("vårdnadshavare.förlängning.enhet", text("A"));
    assert_eq!(d(Rjh, &extended), Ok("visa"));
    extended.insert("datum", date("2026-06-01"));
    assert_eq!(d(Rjh, &extended), Ok("dölj"));
    assert_eq!(d(Vgr, &extended), Ok("visa"));
    let mut bup = base("vårdnadshavare", "2021-01-01", "2026-05-01");
    bup.insert("post.verksamhet", text("bup"));
    assert_eq!(d(Vgr, &bup), Ok("dölj"));
    let unseal = Request::from([
        ("begäran.från", text("patienten")),
        ("begäran.blankett_undertecknad", Value::Bool(true)),
        ("begäran.inlämning", text("post_till_support")),
        ("begäran.fall", text("misstag")),
    ]);
    assert_eq!(decide(Rjh, Decision::Upplåsning, &unseal), Ok("verkställ"));
    assert_eq!(
        decide(Vgr, Decision::Upplåsning, &unseal),
        Ok("ofullständig")
    );
    // §3: a VGR keyword against RJH is an error, not a `visa`.
    let mut keyword = base("patient", "1980-01-01", "2026-05-01");
    keyword.insert("post.undantag", text("tidig_hypotes"));
    assert_eq!(d(Rjh, &keyword), Err(Refusal::Unknown("post.undantag")));
    assert_eq!(d(Vgr, &keyword), Ok("dölj"));
}
