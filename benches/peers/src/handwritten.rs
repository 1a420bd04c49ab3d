//! The VGR `direktåtkomst` policy as a plain Rust function over a typed request: the
//! baseline, what a developer would write by hand without any rules engine.
//!
//! The order of the tests is the priority chain of `rules/dölj.regel` with VGR's rules
//! placed where `regions/vastra-gotaland/` puts them; the first test that holds decides.

use crate::date::Date;
use crate::request::{Category, Exception, Grant, Reader, Request, Service};

/// `visa` or `dölj`, with the reason, and the day a hidden entry will be shown when the
/// rule that hides it says so (VGR-OS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub show: bool,
    pub reason: &'static str,
    pub shown_from: Option<Date>,
}

const fn show(reason: &'static str) -> Decision {
    Decision {
        show: true,
        reason,
        shown_from: None,
    }
}

const fn hide(reason: &'static str) -> Decision {
    Decision {
        show: false,
        reason,
        shown_from: None,
    }
}

/// 2019-10-01 as `YYYYMMDD`: the day children's records were connected to the e-service
/// (VGR-ANS).
const CONNECTED: i32 = 20_191_001;

/// 2022-02-28 as `YYYYMMDD`: the last day unsigned notes were held back (VGR-OS).
const UNSIGNED_UNTIL: i32 = 20_220_228;

/// 2022-03-01 as a day number: the first day VGR-OS no longer holds a note back.
const UNSIGNED_ENDED: i32 = 19_052;

pub fn decide(r: &Request) -> Decision {
    let age = || r.born.age_on(r.date);
    let guardian = r.reader == Reader::Guardian;
    // N9, N6
    if r.reserve_number {
        return hide("reservnummer");
    }
    if r.sealed_by_patient {
        return hide("förseglad");
    }
    // VGR-SK, before N7
    if (r.protected_identity || r.guardian_protected_identity) && age() < 18 {
        return hide("skyddad_identitet");
    }
    // N7
    if let Some(sealing) = &r.care_sealing
        && r.date <= sealing.last_day
        && (sealing.all_units || sealing.unit.as_deref() == Some(r.entry_unit.as_str()))
    {
        return hide("vårdförseglad");
    }
    // N8
    if guardian && r.guardian_blocked {
        return hide("vårdnadshavare_blockerad");
    }
    // N5, VGR-S2, VGR-S3
    match r.exception {
        Exception::Informant
        | Exception::ExceptionalGrounds
        | Exception::Violence
        | Exception::PreliminaryInvestigation
        | Exception::EarlyHypothesis
        | Exception::SingleBlindTrial => return hide("undantag"),
        Exception::ChildConcern if guardian => return hide("undantag"),
        Exception::ChildConcern | Exception::None => {}
    }
    // VGR-BUP, VGR-ANS
    if guardian && r.service == Service::Bup {
        return hide("bup");
    }
    if guardian && r.entry_date.ymd() < CONNECTED {
        return hide("före_anslutning");
    }
    let new = r.entry_date.days() > r.date.days() - 14;
    // VGR-OS, until 2022-02-28: an unsigned note is shown when 14 days old, or when the
    // rule ends, whichever comes first.
    if r.date.ymd() <= UNSIGNED_UNTIL && !r.signed && r.category == Category::Note && new {
        let days = (r.entry_date.days() + 14).min(UNSIGNED_ENDED);
        return Decision {
            shown_from: Some(Date::from_days(days)),
            ..hide("osignerad")
        };
    }
    if r.delay_chosen && new {
        return hide("rådrum");
    }
    // N1, N2, VGR-13-15a, VGR-13-15b, N4
    let holds = |grant: &Option<Grant>| {
        grant
            .as_ref()
            .is_some_and(|g| g.unit == r.entry_unit && g.signed <= r.date)
    };
    match r.reader {
        Reader::Patient if age() >= 16 => show("egen_åtkomst"),
        Reader::Patient if (13..=15).contains(&age()) && holds(&r.early_access) => {
            show("tidig_egen_åtkomst")
        }
        Reader::Guardian if age() < 13 => show("vårdnadshavare"),
        Reader::Guardian if (13..=15).contains(&age()) && holds(&r.extension) => {
            show("förlängd_åtkomst")
        }
        Reader::Proxy => hide("ombud"),
        Reader::Patient | Reader::Guardian => hide("ingen_behörighet"),
    }
}
