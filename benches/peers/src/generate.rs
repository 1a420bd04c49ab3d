//! Random valid `direktåtkomst` requests that crowd every boundary of the policy: ages 13,
//! 16 and 18 a day before, on and after the birthday, 29 February births, entries 13, 14
//! and 15 days old, entries around 2019-10-01, decisions signed on the day, the day after,
//! and a year (±1 day) before, care sealings ending the day before, on and after, and unit
//! ids in mixed case. Deterministic for a seed, with no dependency but serde_json.
//!
//! Requests are valid and nested (no dotted keys): facts with a default are sometimes left
//! out, sometimes given their default, and facts no rule reads (`ombud.*`) sometimes
//! appear. `post.kategori` is always given: VGR-OS (unsigned notes, until 2022-02-28)
//! reads it, and viewing days crowd that rule's last day.

use crate::date::{Date, is_leap};
use crate::request::{Exception, Service};
use serde_json::{Map, Value, json};

/// SplitMix64: small, fast, and good enough to spread requests over the input space.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i32, high: i32) -> i32 {
        low + self.below((high - low + 1).max(1) as u64) as i32
    }

    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        items.get(self.below(items.len() as u64) as usize).copied()
    }
}

/// Units, as HSA-ids; requests write them in mixed case.
const UNITS: [&str; 3] = ["SE2321000131-BUP1", "SE2321000131-VC7", "SE2321000131-PED1"];

const CATEGORIES: [&str; 9] = [
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

/// The day children's records were connected to the e-service.
fn connected() -> Date {
    Date::from_days(18_170) // 2019-10-01
}

/// `count` requests as JSON text, from `seed`.
pub fn requests(seed: u64, count: usize) -> impl Iterator<Item = String> {
    let mut rng = Rng::new(seed);
    (0..count).map(move |_| request(&mut rng).to_string())
}

/// One random valid request.
pub fn request(rng: &mut Rng) -> Value {
    let date = viewing_date(rng);
    let mut root = Map::new();
    root.insert("datum".into(), json!(date.to_string()));
    let reader = match rng.below(100) {
        0..40 => "patient",
        40..85 => "vårdnadshavare",
        _ => "ombud",
    };
    root.insert("läsare".into(), json!(reader));
    let mut choice = Map::new();
    flag(rng, &mut choice, "rådrum", 40);
    put_object(&mut root, "läsarval", choice);

    let entry_unit = rng.pick(&UNITS).unwrap_or("SE-A");
    root.insert(
        "patient".into(),
        Value::Object(patient(rng, date, entry_unit)),
    );
    if rng.chance(40) {
        let sealing = care_sealing(rng, date, entry_unit);
        put_object(&mut root, "vårdförsegling", sealing);
    }
    let mut guardian = Map::new();
    flag(rng, &mut guardian, "blockerad", 8);
    if rng.chance(60) {
        guardian.insert("förlängning".into(), grant(rng, date, entry_unit));
    }
    put_object(&mut root, "vårdnadshavare", guardian);
    if rng.chance(10) {
        root.insert("ombud".into(), proxy(rng, date));
    }
    root.insert("post".into(), Value::Object(entry(rng, date, entry_unit)));
    Value::Object(root)
}

fn viewing_date(rng: &mut Rng) -> Date {
    match rng.below(100) {
        // Around 28 February – 1 March, in leap and other years.
        0..15 => {
            let year = rng.between(2017, 2030);
            let (month, day) = match rng.below(3) {
                0 => (2, 28),
                1 if is_leap(year) => (2, 29),
                _ => (3, 1),
            };
            Date::from_ymd(year, month, day).unwrap_or_else(connected)
        }
        // Soon after children's records were connected.
        15..25 => connected().add_days(rng.between(0, 30)),
        // Around 2022-02-28, the last day of VGR-OS.
        25..32 => Date::from_ymd(2022, 2, 28)
            .unwrap_or_else(connected)
            .add_days(rng.between(-16, 3)),
        _ => Date::from_ymd(2016, 1, 1)
            .unwrap_or_else(connected)
            .add_days(rng.between(0, 15 * 365)),
    }
}

fn patient(rng: &mut Rng, date: Date, entry_unit: &str) -> Map<String, Value> {
    let mut patient = Map::new();
    let born = if rng.chance(12) {
        // Born on 29 February, 12–18 years before.
        let mut year = date.year() - rng.between(12, 18);
        while !is_leap(year) {
            year -= 1;
        }
        Date::from_ymd(year, 2, 29).unwrap_or(date)
    } else {
        let age = match rng.below(100) {
            0..60 => rng.pick(&[12, 13, 15, 16, 17, 18]).unwrap_or(16),
            60..80 => rng.between(0, 12),
            _ => rng.between(0, 95),
        };
        let shift = match rng.below(4) {
            0 => -1,
            1 => 1,
            2 => 0,
            _ => rng.between(-200, 200),
        };
        date.add_years(-age).add_days(shift)
    };
    patient.insert("födelsedatum".into(), json!(born.min(date).to_string()));
    flag(rng, &mut patient, "reservnummer", 4);
    flag(rng, &mut patient, "skyddad_identitet", 6);
    flag(rng, &mut patient, "vårdnadshavare_med_skyddad_identitet", 6);
    match rng.below(100) {
        0..5 => {
            patient.insert("försegling".into(), json!("av_patienten"));
        }
        5..30 => {
            patient.insert("försegling".into(), json!("ingen"));
        }
        _ => {}
    }
    if rng.chance(60) {
        patient.insert("tidig_åtkomst".into(), grant(rng, date, entry_unit));
    }
    patient
}

/// `{finns, signerad, enhet}` for a decision 13–15, signed near `date` or a year before.
fn grant(rng: &mut Rng, date: Date, entry_unit: &str) -> Value {
    let exists = rng.chance(70);
    let signed = match rng.below(6) {
        0 => date,
        1 => date.add_days(1),
        2 => date.add_days(-1),
        3 => date.add_years(-1).add_days(rng.between(-1, 1)),
        _ => date.add_days(-rng.between(2, 900)),
    };
    let unit = if rng.chance(70) {
        entry_unit
    } else {
        rng.pick(&UNITS).unwrap_or(entry_unit)
    };
    if !exists && rng.chance(50) {
        return json!({"finns": false});
    }
    json!({"finns": exists, "signerad": signed.to_string(), "enhet": mixed_case(rng, unit)})
}

fn care_sealing(rng: &mut Rng, date: Date, entry_unit: &str) -> Map<String, Value> {
    let mut sealing = Map::new();
    match rng.below(100) {
        0..30 => {}
        30..55 => {
            sealing.insert("finns".into(), json!(false));
        }
        _ => {
            sealing.insert("finns".into(), json!(true));
            let all_units = rng.chance(40);
            let omfattning = if all_units { "alla_enheter" } else { "enhet" };
            sealing.insert("omfattning".into(), json!(omfattning));
            if !all_units || rng.chance(50) {
                let unit = if rng.chance(60) {
                    entry_unit
                } else {
                    rng.pick(&UNITS).unwrap_or(entry_unit)
                };
                sealing.insert("enhet".into(), json!(mixed_case(rng, unit)));
            }
            let last_day = match rng.below(4) {
                0 => date.add_days(-1),
                1 => date,
                2 => date.add_days(1),
                _ => date.add_days(rng.between(-400, 400)),
            };
            sealing.insert("slutdatum".into(), json!(last_day.to_string()));
        }
    }
    sealing
}

fn proxy(rng: &mut Rng, date: Date) -> Value {
    let mut proxy = Map::new();
    flag(rng, &mut proxy, "förordnande", 50);
    if rng.chance(50) {
        let signed = date.add_days(-rng.between(0, 400));
        proxy.insert(
            "beslut".into(),
            json!({"finns": true, "signerad": signed.to_string()}),
        );
    }
    Value::Object(proxy)
}

fn entry(rng: &mut Rng, date: Date, unit: &str) -> Map<String, Value> {
    let mut entry = Map::new();
    let documented = match rng.below(100) {
        0..30 => date.add_days(-rng.between(13, 15)),
        30..45 => connected().add_days(rng.between(-1, 1)).min(date),
        45..50 => date.add_days(rng.between(1, 3)),
        _ => date.add_days(-rng.between(0, 3000)),
    };
    entry.insert("datum".into(), json!(documented.to_string()));
    entry.insert("vårdenhet".into(), json!(mixed_case(rng, unit)));
    match rng.below(100) {
        0..12 => {
            entry.insert("verksamhet".into(), json!("bup"));
        }
        12..50 => {
            let service = rng.pick(&Service::ALL).unwrap_or(Service::Other);
            entry.insert("verksamhet".into(), json!(service.name()));
        }
        _ => {}
    }
    match rng.below(100) {
        0..20 => {
            let exception = rng.pick(&Exception::ALL).unwrap_or(Exception::None);
            entry.insert("undantag".into(), json!(exception.name()));
        }
        20..40 => {
            entry.insert("undantag".into(), json!("inget"));
        }
        _ => {}
    }
    // Notes are a third of the entries, so that VGR-OS (unsigned notes) is met often.
    let category = if rng.chance(33) {
        "anteckning"
    } else {
        rng.pick(&CATEGORIES).unwrap_or("anteckning")
    };
    entry.insert("kategori".into(), json!(category));
    if rng.chance(40) {
        entry.insert("signerad".into(), json!(rng.chance(50)));
    }
    entry
}

/// A truth-valued fact: true with `percent` % probability; otherwise given as false half
/// of the time and left out (default false) the other half.
fn flag(rng: &mut Rng, object: &mut Map<String, Value>, key: &str, percent: u64) {
    if rng.chance(percent) {
        object.insert(key.into(), json!(true));
    } else if rng.chance(50) {
        object.insert(key.into(), json!(false));
    }
}

fn put_object(root: &mut Map<String, Value>, key: &str, object: Map<String, Value>) {
    if !object.is_empty() {
        root.insert(key.into(), Value::Object(object));
    }
}

/// The id with some letters in lower case: identifiers compare without regard to case.
fn mixed_case(rng: &mut Rng, id: &str) -> String {
    match rng.below(4) {
        0 => id.to_lowercase(),
        1 => id
            .chars()
            .map(|c| {
                if rng.chance(50) {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect(),
        _ => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_requests() {
        let a: Vec<String> = requests(7, 50).collect();
        let b: Vec<String> = requests(7, 50).collect();
        let c: Vec<String> = requests(8, 50).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn connected_is_2019_10_01() {
        assert_eq!(connected().to_string(), "2019-10-01");
    }
}
