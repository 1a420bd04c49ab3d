//! Random requests over the brief's vocabulary (§3), biased to the boundaries the brief
//! draws: ages 12/13, 15/16, 17/18; 13 and 14 days; a year less a day; the day an end date
//! or a connection date falls on; units differing only in letter case.

use crate::brief::{Decision, REQUIRED, Request, Ruleset, Value};
use crate::calendar::Ymd;

/// SplitMix64, seeded: the same requests on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

pub const UNITS: [&str; 3] = ["SE-A", "se-a", "SE-B"];
const NATIONAL_UNDANTAG: [&str; 5] = [
    "inget",
    "uppgiftslämnare",
    "synnerlig_vikt",
    "våldsutsatthet",
    "förundersökning",
];
pub const VGR_UNDANTAG: [&str; 3] = ["tidig_hypotes", "enkelblind_prövning", "orosanmälan_barn"];
const VERKSAMHET: [&str; 8] = [
    "bup",
    "vuxenpsykiatri",
    "rättspsykiatri",
    "ungdomsmottagning",
    "klinisk_genetik",
    "barnahus",
    "tandvård",
    "övrig",
];
const KATEGORI: [&str; 9] = [
    "vårdkontakt",
    "anteckning",
    "diagnos",
    "läkemedel",
    "provsvar",
    "remiss",
    "vaccination",
    "uppmärksamhetsinformation",
    "tillväxtkurva",
];

/// Every value the brief allows a fact of a decision, for completing a request that lacks
/// it (dates and units around those the request holds).
pub fn domain(fact: &str, decision: Decision, request: &Request) -> Vec<Value> {
    let texts = |v: &[&str]| v.iter().map(|s| Value::Text((*s).to_owned())).collect();
    match fact {
        "läsare" => texts(&["patient", "vårdnadshavare", "ombud"]),
        "vårdförsegling.omfattning" => texts(&["enhet", "alla_enheter"]),
        "post.kategori" => texts(&KATEGORI),
        "begäran.från" if decision == Decision::Upplåsning => {
            texts(&["patienten", "ombud", "fullmaktshavare", "annan"])
        }
        "begäran.från" => texts(&["patienten", "ombud", "fullmaktshavare", "vården"]),
        "begäran.inlämning" => texts(&["personligen_på_vårdenhet", "post_till_support"]),
        "begäran.fall" => texts(&[
            "misstag",
            "skydd_behövs_inte",
            "ur_hotsituation",
            "hotad_vill_inte",
            "hotad_inget_att_dölja",
            "hotad_katastrof",
        ]),
        "begäran.beslutsfattare" => texts(&[
            "verksamhetschef",
            "av_verksamhetschefen_utsedd",
            "överläkare_bakjour",
            "annan",
        ]),
        f if f.ends_with(".enhet") || f == "post.vårdenhet" => {
            let mut units: Vec<Value> = texts(&["SE-A", "SE-B", "SE-C"]);
            for v in request.values() {
                if let Value::Text(t) = v
                    && t.starts_with("SE")
                    && !units.contains(v)
                {
                    units.push(Value::Text(t.clone()));
                }
            }
            units
        }
        _ => {
            // A date: every date of the request moved across the brief's boundaries.
            let mut dates = Vec::new();
            for v in request.values() {
                if let Value::Date(d) = v {
                    for days in [-366, -365, -14, -13, -1, 0, 1, 13, 14, 365, 366] {
                        dates.push(d.plus_days(days));
                    }
                    for years in [-18, -16, -13, -12, 12, 13, 16, 18] {
                        for days in [-1, 0, 1] {
                            dates.push(d.plus_years(years).plus_days(days));
                        }
                    }
                }
            }
            dates.push(Ymd::new(2019, 10, 1));
            dates.push(Ymd::new(2019, 9, 30));
            dates.sort();
            dates.dedup();
            dates.into_iter().map(Value::Date).collect()
        }
    }
}

/// A fact with a default is left out a third of the time: the default then decides.
fn maybe(r: &mut Request, rng: &mut Rng, fact: &'static str, value: Value) {
    if REQUIRED.contains(&fact) || !rng.chance(33) {
        r.insert(fact, value);
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// A day near `datum` that matters for a decision signed or ending then.
fn near(rng: &mut Rng, datum: Ymd) -> Ymd {
    match rng.below(6) {
        0 => datum.plus_years(-1).plus_days(rng.pick(&[-1, 0, 1])),
        1 => datum.plus_days(rng.pick(&[-1, 0, 1])),
        2 => datum.plus_days(-(rng.below(700) as i64)),
        3 => datum.plus_years(-1),
        4 => datum.plus_days(rng.below(30) as i64),
        _ => datum.plus_days(-364),
    }
}

/// A complete request for `decision`: every fact without a default given, facts with a
/// default given or left out. `vårdförsegling.slutdatum`, optional, is sometimes left out.
pub fn request(rng: &mut Rng, ruleset: Ruleset, decision: Decision) -> Request {
    let mut r = Request::new();
    match decision {
        Decision::Direktåtkomst => {
            let start = Ymd::new(2024, 9, 1).day_number();
            let datum = Ymd::from_day_number(start + rng.below(3 * 365 + 120) as i64);
            r.insert("datum", Value::Date(datum));
            r.insert(
                "läsare",
                text(rng.pick(&["patient", "vårdnadshavare", "ombud"])),
            );
            let age = rng.pick(&[
                0, 5, 11, 12, 12, 13, 13, 14, 15, 15, 16, 16, 17, 17, 18, 18, 19, 30, 80,
            ]);
            let born = datum.plus_years(-age).plus_days(rng.pick(&[-1, 0, 0, 1]));
            r.insert("patient.födelsedatum", Value::Date(born.min(datum)));
            let b = rng.chance(30);
            maybe(&mut r, rng, "läsarval.rådrum", Value::Bool(b));
            let b = rng.chance(10);
            maybe(&mut r, rng, "patient.reservnummer", Value::Bool(b));
            let b = rng.chance(15);
            maybe(&mut r, rng, "patient.skyddad_identitet", Value::Bool(b));
            let b = rng.chance(15);
            maybe(
                &mut r,
                rng,
                "patient.vårdnadshavare_med_skyddad_identitet",
                Value::Bool(b),
            );
            let v = if rng.chance(10) {
                "av_patienten"
            } else {
                "ingen"
            };
            maybe(&mut r, rng, "patient.försegling", text(v));
            let b = rng.chance(40);
            maybe(&mut r, rng, "patient.tidig_åtkomst.finns", Value::Bool(b));
            r.insert(
                "patient.tidig_åtkomst.signerad",
                Value::Date(near(rng, datum)),
            );
            r.insert("patient.tidig_åtkomst.enhet", text(rng.pick(&UNITS)));
            let b = rng.chance(25);
            maybe(&mut r, rng, "vårdförsegling.finns", Value::Bool(b));
            r.insert(
                "vårdförsegling.omfattning",
                text(rng.pick(&["enhet", "alla_enheter"])),
            );
            r.insert("vårdförsegling.enhet", text(rng.pick(&UNITS)));
            if !rng.chance(20) {
                let end = datum.plus_days(rng.pick(&[-30, -1, 0, 0, 1, 30]));
                r.insert("vårdförsegling.slutdatum", Value::Date(end));
            }
            let b = rng.chance(10);
            maybe(&mut r, rng, "vårdnadshavare.blockerad", Value::Bool(b));
            let b = rng.chance(40);
            maybe(
                &mut r,
                rng,
                "vårdnadshavare.förlängning.finns",
                Value::Bool(b),
            );
            r.insert(
                "vårdnadshavare.förlängning.signerad",
                Value::Date(near(rng, datum)),
            );
            r.insert("vårdnadshavare.förlängning.enhet", text(rng.pick(&UNITS)));
            let b = rng.chance(50);
            maybe(&mut r, rng, "ombud.förordnande", Value::Bool(b));
            let b = rng.chance(50);
            maybe(&mut r, rng, "ombud.beslut.finns", Value::Bool(b));
            r.insert("ombud.beslut.signerad", Value::Date(near(rng, datum)));
            let post = match rng.below(4) {
                0 => rng.pick(&[
                    Ymd::new(2019, 9, 30),
                    Ymd::new(2019, 10, 1),
                    Ymd::new(2019, 10, 2),
                    Ymd::new(2015, 6, 1),
                ]),
                1 => datum.plus_days(-(rng.below(2000) as i64)),
                _ => datum.plus_days(rng.pick(&[1, 0, -1, -12, -13, -13, -14, -14, -15, -30])),
            };
            r.insert("post.datum", Value::Date(post));
            r.insert("post.vårdenhet", text(rng.pick(&UNITS)));
            let b = !rng.chance(20);
            maybe(&mut r, rng, "post.signerad", Value::Bool(b));
            let v = if rng.chance(30) {
                "bup"
            } else {
                rng.pick(&VERKSAMHET)
            };
            maybe(&mut r, rng, "post.verksamhet", text(v));
            r.insert("post.kategori", text(rng.pick(&KATEGORI)));
            let v = if ruleset == Ruleset::Vgr && rng.chance(30) {
                rng.pick(&VGR_UNDANTAG)
            } else if rng.chance(50) {
                "inget"
            } else {
                rng.pick(&NATIONAL_UNDANTAG)
            };
            maybe(&mut r, rng, "post.undantag", text(v));
        }
        Decision::Upplåsning => {
            let from = rng.pick(&[
                "patienten",
                "patienten",
                "ombud",
                "fullmaktshavare",
                "annan",
            ]);
            r.insert("begäran.från", text(from));
            for fact in [
                "begäran.blankett_undertecknad",
                "begäran.identitet_styrkt",
                "begäran.misstanke_om_tvång",
            ] {
                let b = rng.chance(60);
                maybe(&mut r, rng, fact, Value::Bool(b));
            }
            let how = rng.pick(&["personligen_på_vårdenhet", "post_till_support"]);
            r.insert("begäran.inlämning", text(how));
            let case = rng.pick(&[
                "misstag",
                "skydd_behövs_inte",
                "ur_hotsituation",
                "hotad_vill_inte",
                "hotad_inget_att_dölja",
                "hotad_katastrof",
            ]);
            r.insert("begäran.fall", text(case));
        }
        Decision::Försegling => {
            let from = rng.pick(&["patienten", "ombud", "fullmaktshavare", "vården", "vården"]);
            r.insert("begäran.från", text(from));
            for fact in [
                "begäran.akut",
                "begäran.menprövning_gjord",
                "begäran.slutdatum_satt",
            ] {
                let b = rng.chance(60);
                maybe(&mut r, rng, fact, Value::Bool(b));
            }
            let who = rng.pick(&[
                "verksamhetschef",
                "av_verksamhetschefen_utsedd",
                "överläkare_bakjour",
                "annan",
            ]);
            r.insert("begäran.beslutsfattare", text(who));
        }
    }
    r
}
